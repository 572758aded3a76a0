"""``existence``: a finding wherever one of the rule's phrases appears.

``phrases`` lists what to find (see :mod:`crisiscomms.tone.phrases`);
``pattern`` adds a raw regular expression for what phrases cannot say.
``unless`` lists phrases that excuse a hit when they appear in the same
sentence: the actor named ("because we"), the failure owned ("our fault"),
a guarantee denied ("we cannot promise").
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from crisiscomms.errors import ValidationError
from crisiscomms.tone.checks.base import Check, Options
from crisiscomms.tone.phrases import (
    Group,
    Scan,
    alternation,
    anchors_of,
    grouped,
    sentence_around,
    words_of,
)
from crisiscomms.tone.scope import Hit, Scope

__all__ = ["Existence"]


class Existence(Check):
    """A finding for every match of a phrase, unless its sentence holds an ``unless`` phrase."""

    fields = ("phrases", "pattern", "unless")

    def __init__(self, options: Options) -> None:
        phrases = options.phrases("phrases")
        raw = options.text("pattern")
        if not phrases and raw is None:
            raise ValidationError("an existence rule needs 'phrases' or 'pattern'", field="phrases")
        # Each phrase is tried only in the sentences holding its own anchor.
        self.phrases = grouped(phrases)
        if raw is not None:
            try:
                self.phrases.append(Group(None, re.compile(raw, re.IGNORECASE)))
            except re.error as error:
                raise ValidationError(f"bad regular expression: {error}", field="pattern") from None
        self.anchors = anchors_of(phrases) if raw is None else None
        self.full_stop = any(phrase.full_stop for phrase in phrases)
        # A phrase stops at a sentence end, and so at a blank line; a raw pattern may not.
        self.local = raw is None
        self.words = words_of(phrases) if raw is None else None
        # Which phrases each anchor wakes, so a post wakes only its own phrases.
        self.woken: dict[str, list[int]] = {}
        self.unanchored = [
            index for index, group in enumerate(self.phrases) if group.anchors is None
        ]
        for index, group in enumerate(self.phrases):
            for anchor in group.anchors or ():
                self.woken.setdefault(anchor, []).append(index)
        unless = options.phrases("unless")
        self.unless = alternation(unless) if unless else None

    def find(self, text: str, scope: Scope, scan: Scan) -> Iterator[Hit]:
        found: list[re.Match[str]] = []
        awake = {index for anchor in self.woken.keys() & scan.held for index in self.woken[anchor]}
        for index in sorted(awake.union(self.unanchored)):
            found.extend(self.matches(index, text, scan))
        return self.hits(text, found)

    def matches(self, index: int, text: str, scan: Scan) -> list[re.Match[str]]:
        """The matches of phrase group ``index`` in the sentences holding its anchor."""
        group = self.phrases[index]
        found: list[re.Match[str]] = []
        if not group.possible(scan):
            return found
        for begin, end in scan.windows(group.anchors):
            found.extend(group.finditer(text, scan.same_length_low, begin, end))
        return found

    def hits(self, text: str, found: list[re.Match[str]]) -> Iterator[Hit]:
        """The hits of the phrase matches ``found``: overlaps and excused ones left out."""
        # Phrases may overlap ("any inconvenience", "inconvenience"): the first, longest one wins.
        found.sort(key=lambda match: (match.start(), -match.end()))
        covered = -1
        for match in found:
            if match.start() < covered or match.start() == match.end():
                continue
            if self.unless is not None:
                sentence = sentence_around(text, *match.span())
                if self.unless.search(text, *sentence):
                    continue
            covered = match.end()
            # The match may be in the lower-cased text: quote the text itself.
            yield Hit(match.start(), match.end(), {"match": text[match.start() : match.end()]})
