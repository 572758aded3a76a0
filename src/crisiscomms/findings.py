"""What a check found: the :class:`Finding` record and its :class:`Level`."""

from __future__ import annotations

import enum

import attrs

__all__ = ["Finding", "Level"]


class Level(str, enum.Enum):
    """How much a finding matters; ``error`` fails ``strict`` mode."""

    SUGGESTION = "suggestion"
    WARNING = "warning"
    ERROR = "error"

    def __str__(self) -> str:
        return self.value

    @property
    def rank(self) -> int:
        """0 for a suggestion, 1 for a warning, 2 for an error."""
        return _RANKS[self]


_RANKS = {Level.SUGGESTION: 0, Level.WARNING: 1, Level.ERROR: 2}


@attrs.frozen(kw_only=True)
class Finding:
    """One thing a rule found in one draft.

    ``start`` and ``end`` are character offsets (Python string indices) into
    the part numbered ``part`` of the draft for ``channel``.
    """

    rule: str
    level: Level = attrs.field(converter=Level)
    channel: str
    message: str
    start: int = 0
    end: int = 0
    part: int = 0
    suggestion: str | None = None
    source: str | None = None

    def __str__(self) -> str:
        where = f"{self.channel}[{self.part}] {self.start}-{self.end}"
        text = f"{where} {self.level}: {self.rule}: {self.message}"
        if self.suggestion:
            text += f" (suggestion: {self.suggestion})"
        return text

    def to_dict(self) -> dict[str, object]:
        """The finding as plain JSON-ready data, as the manifest writes it."""
        return {
            "rule": self.rule,
            "level": self.level.value,
            "channel": self.channel,
            "message": self.message,
            "start": self.start,
            "end": self.end,
            "part": self.part,
            "suggestion": self.suggestion,
            "source": self.source,
        }
