"""``substitution``: a plainer word for each phrase of ``swap`` (phrase = replacement)."""

from __future__ import annotations

import re
from collections.abc import Iterator

from crisiscomms.tone.checks.base import Check, Options
from crisiscomms.tone.phrases import LazyPattern, Scan, anchors_of, compile_phrases
from crisiscomms.tone.scope import Hit, Scope

__all__ = ["Substitution"]


def _same_case(replacement: str, original: str) -> str:
    if original[:1].isupper() and replacement[:1].islower():
        return replacement[:1].upper() + replacement[1:]
    return replacement


class Substitution(Check):
    """A finding for every match of a ``swap`` phrase, suggesting its replacement."""

    local = True
    fields = ("swap",)

    def __init__(self, options: Options) -> None:
        swap = options.mapping("swap")
        phrases = compile_phrases(swap, options.lists, "swap")
        # Each phrase is tried only in the sentences holding its own anchor.
        self.swaps = tuple(
            (phrase.anchors, LazyPattern(phrase.source, re.IGNORECASE), replacement)
            for phrase, replacement in zip(phrases, swap.values(), strict=True)
        )
        self.anchors = anchors_of(phrases)
        self.full_stop = any(phrase.full_stop for phrase in phrases)
        self.woken: dict[str, list[int]] = {}
        for index, phrase in enumerate(phrases):
            for anchor in phrase.anchors or ():
                self.woken.setdefault(anchor, []).append(index)

    def find(self, text: str, scope: Scope, scan: Scan) -> Iterator[Hit]:
        found: list[tuple[re.Match[str], str]] = []
        awake = {index for anchor in self.woken.keys() & scan.held for index in self.woken[anchor]}
        for index in sorted(awake):
            anchors, pattern, replacement = self.swaps[index]
            for begin, end in scan.windows(anchors):
                found.extend((match, replacement) for match in pattern.finditer(text, begin, end))
        found.sort(key=lambda item: (item[0].start(), -item[0].end()))
        covered = -1
        for match, replacement in found:
            if match.start() < covered:
                continue  # inside a longer phrase ("at this point in time", "at this time")
            covered = match.end()
            suggestion = _same_case(replacement, match.group())
            yield Hit(
                match.start(),
                match.end(),
                {"match": match.group(), "suggestion": suggestion},
                suggestion,
            )
