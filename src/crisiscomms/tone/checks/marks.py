"""``emoji``, ``exclamation`` and ``hashtags``: at most ``max`` of each mark.

``max`` is a table by severity (emoji, exclamation marks) or by channel
(hashtags), with ``default`` for the others; each mark past the limit is a
finding. A run such as ``!!!`` is one exclamation; an emoji sequence (a
family, a flag, a skin tone) is one emoji.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from crisiscomms.tone.checks.base import Check, Options
from crisiscomms.tone.phrases import Scan
from crisiscomms.tone.readability import without_common_marks
from crisiscomms.tone.scope import CHANNELS, SEVERITIES, Hit, Scope

__all__ = ["EMOJI", "EXCLAMATION", "HASHTAG", "Emoji", "Exclamation", "Hashtags"]

_PICTOGRAPH = (
    "\U0001f000-\U0001faff\u2600-\u27bf\u2b00-\u2bff"
    "\u231a\u231b\u2328\u23cf\u23e9-\u23f3\u23f8-\u23fa"
)
_MODIFIER = "\ufe0f\U0001f3fb-\U0001f3ff\U000e0020-\U000e007f"
_TEXT_STYLE = (
    "\u00a9\u00ae\u203c\u2049\u2122\u2139\u2194-\u2199\u21a9\u21aa\u24c2"
    "\u25aa\u25ab\u25b6\u25c0\u25fb-\u25fe\u3030\u303d\u3297\u3299"
)
EMOJI = re.compile(
    rf"[\U0001f1e6-\U0001f1ff]{{2}}"
    rf"|[{_PICTOGRAPH}][{_MODIFIER}]*(?:\u200d[{_PICTOGRAPH}][{_MODIFIER}]*)*"
    rf"|[0-9#*]\ufe0f?\u20e3"
    rf"|[{_TEXT_STYLE}]\ufe0f"
)
_HIGH = re.compile("[\u2190-\U0010ffff]")
EXCLAMATION = re.compile(r"[!\uff01\u203c\u2049]+")
HASHTAG = re.compile(r"(?<![\w/&#\uff03])[#\uff03](?=\w*[^\W\d_])\w+")


class _Counted(Check):
    """At most ``max[key]`` matches of ``pattern``; a finding on each one past it."""

    fields = ("max",)
    pattern: re.Pattern[str]
    keys: tuple[str, ...] = ()
    # Every match holds one of these characters (a cheap test before scanning).
    marks: tuple[str, ...] = ()

    def __init__(self, options: Options) -> None:
        self.limits = options.table("max", keys=self.keys)

    def key(self, scope: Scope) -> str | None:
        raise NotImplementedError  # pragma: no cover

    def possible(self, text: str) -> bool:
        return any(mark in text for mark in self.marks)

    def may_find(self, scan: Scan) -> bool:
        return self.possible(scan.text)

    def find(self, text: str, scope: Scope, scan: Scan) -> Iterator[Hit]:
        if not self.possible(text):
            return
        key = self.key(scope)
        limit = self.limits.get(key) if key is not None else None
        if limit is None:
            limit = self.limits.get("default")
        if limit is None:
            return
        matches = list(self.pattern.finditer(text))
        for match in matches[int(limit) :]:
            values = {"match": match.group(), "count": str(len(matches)), "max": f"{limit:g}"}
            yield Hit(match.start(), match.end(), values)


class Emoji(_Counted):
    """At most ``max`` emoji, by severity."""

    pattern = EMOJI
    keys = SEVERITIES

    def possible(self, text: str) -> bool:
        # Every emoji sequence holds a code point at or above U+2190 (the common
        # marks and the no-break space are all below it).
        if text.isascii():
            return False
        text = without_common_marks(text).replace("\u00a0", " ")
        return not text.isascii() and _HIGH.search(text) is not None

    def key(self, scope: Scope) -> str | None:
        return scope.severity


class Exclamation(_Counted):
    """At most ``max`` exclamation marks, by severity."""

    pattern = EXCLAMATION
    keys = SEVERITIES
    marks = ("!", "\uff01", "\u203c", "\u2049")

    def key(self, scope: Scope) -> str | None:
        return scope.severity


class Hashtags(_Counted):
    """At most ``max`` hashtags, by channel."""

    pattern = HASHTAG
    keys = CHANNELS
    marks = ("#", "\uff03")

    def key(self, scope: Scope) -> str | None:
        return scope.channel
