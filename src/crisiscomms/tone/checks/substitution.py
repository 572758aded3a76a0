"""``substitution``: a plainer word for each phrase of ``swap`` (phrase = replacement)."""

from __future__ import annotations

from collections.abc import Iterator

from crisiscomms.tone.checks.base import Check, Options
from crisiscomms.tone.phrases import Scan, anchors_of, compile_phrases, group_of
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
        # Each phrase is tried only in the paragraphs holding its own anchor, on the
        # lower-cased text where it can be (see Group).
        self.swaps = tuple(
            (group_of([phrase]), replacement)
            for phrase, replacement in zip(phrases, swap.values(), strict=True)
        )
        self.anchors = anchors_of(phrases)
        self.full_stop = any(phrase.full_stop for phrase in phrases)
        self.woken: dict[str, list[int]] = {}
        for index, phrase in enumerate(phrases):
            for anchor in phrase.anchors or ():
                self.woken.setdefault(anchor, []).append(index)

    def find(self, text: str, scope: Scope, scan: Scan) -> Iterator[Hit]:
        found: list[tuple[int, int, str]] = []
        awake = {index for anchor in self.woken.keys() & scan.held for index in self.woken[anchor]}
        low = scan.same_length_low
        for index in sorted(awake):
            group, replacement = self.swaps[index]
            for begin, end in scan.windows(group.anchors):
                found.extend(
                    (*match.span(), replacement) for match in group.finditer(text, low, begin, end)
                )
        found.sort(key=lambda item: (item[0], -item[1]))
        covered = -1
        for start, end, replacement in found:
            if start < covered:
                continue  # inside a longer phrase ("at this point in time", "at this time")
            covered = end
            # The match may be in the lower-cased text: quote the text itself.
            matched = text[start:end]
            suggestion = _same_case(replacement, matched)
            yield Hit(start, end, {"match": matched, "suggestion": suggestion}, suggestion)
