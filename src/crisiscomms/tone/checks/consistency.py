"""``consistency``: two spellings of one thing (a ``pairs`` entry) must not both appear.

Spellings are exact (``sign-in`` is not ``sign in``), in any case. The
spelling that appears first is kept; each use of the other is a finding.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from crisiscomms.tone.checks.base import Check, Options
from crisiscomms.tone.phrases import Scan
from crisiscomms.tone.scope import Hit, Scope

__all__ = ["Consistency"]


def _spelling(text: str) -> re.Pattern[str]:
    words = r"\s+".join(re.escape(word) for word in text.split())
    return re.compile(rf"(?<![\w-]){words}(?![\w-])", re.IGNORECASE)


class Consistency(Check):
    """Flags the later-starting spelling of each pair when both appear."""

    fields = ("pairs",)

    def __init__(self, options: Options) -> None:
        pairs = options.pairs("pairs")
        self.pairs = tuple((_spelling(first), _spelling(second)) for first, second in pairs)
        # A pair is looked for only when the text holds both spellings' first words.
        self.firsts = tuple(
            (re.split(r"[^\w'%]", first.lower())[0], re.split(r"[^\w'%]", second.lower())[0])
            for first, second in pairs
        )

    def may_find(self, scan: Scan) -> bool:
        words = scan.words
        return any(a in words and b in words for a, b in self.firsts)

    def find(self, text: str, scope: Scope, scan: Scan) -> Iterator[Hit]:
        words = scan.words
        for (first, second), (word_a, word_b) in zip(self.pairs, self.firsts, strict=True):
            if word_a not in words or word_b not in words:
                continue
            a = list(first.finditer(text))
            b = list(second.finditer(text)) if a else []
            if not b:
                continue
            kept, flagged = (a, b) if a[0].start() <= b[0].start() else (b, a)
            for match in flagged:
                values = {"match": match.group(), "other": kept[0].group()}
                yield Hit(match.start(), match.end(), values, kept[0].group())
