"""Where a text is checked (:class:`Scope`), what a check found (:class:`Hit`), and the names."""

from __future__ import annotations

from collections.abc import Mapping

import attrs

from crisiscomms._names import CHANNEL_NAMES
from crisiscomms.incident import Severity, Stage

__all__ = ["CHANNELS", "SEVERITIES", "STAGES", "Hit", "Scope"]

# The names rule scopes may use: one source each, shared with the model and
# the channel table.
STAGES = tuple(stage.value for stage in Stage)
SEVERITIES = tuple(severity.value for severity in Severity)
CHANNELS = CHANNEL_NAMES


@attrs.frozen(cache_hash=True)
class Scope:
    """The situation a draft is checked in; ``None`` where the caller did not say."""

    channel: str
    stage: str | None = None
    severity: str | None = None
    voice: str | None = None


@attrs.frozen
class Hit:
    """One place a check matched: a span of the text and what the message may say."""

    start: int
    end: int
    values: Mapping[str, str] = attrs.field(factory=dict)
    suggestion: str | None = None
