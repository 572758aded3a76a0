"""``occurrence``: at least ``min`` and at most ``max`` matches of the phrases in a whole draft.

A shortfall (no apology in a major incident) spans the whole draft; an
excess (a fourth hedge) is reported on the first match past ``max``.
``pattern`` adds a raw regular expression, for what phrases cannot say (the
words of a language written without spaces).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from crisiscomms.errors import ValidationError
from crisiscomms.tone.checks.base import Check, Options
from crisiscomms.tone.phrases import Scan, group_of
from crisiscomms.tone.scope import Hit, Scope

__all__ = ["Occurrence"]


class Occurrence(Check):
    """Counts the phrases in the whole text against ``min`` and ``max``."""

    fields = ("phrases", "pattern", "min", "max")
    whole_text = True

    def __init__(self, options: Options) -> None:
        raw = options.text("pattern")
        phrases = options.phrases("phrases", required=raw is None)
        self.pattern = None
        if raw is not None:
            try:
                self.pattern = re.compile(raw, re.IGNORECASE)
            except re.error as error:
                raise ValidationError(f"bad regular expression: {error}", field="pattern") from None
        # One pattern for all the phrases, matched on the lower-cased post when it can be.
        self.group = group_of(phrases)
        self.has_phrases = bool(phrases)
        self.min = options.count("min")
        self.max = options.count("max")
        if self.min is None and self.max is None:
            raise ValidationError("an occurrence rule needs 'min' or 'max'", field="min")
        if self.min is not None and self.max is not None and self.min > self.max:
            raise ValidationError("must not exceed 'max'", field="min")
        self.anchors = self.group.anchors if raw is None else None
        # A one-word phrase is there wherever its anchor is: no need to scan for it.
        self.sure = frozenset(
            anchor for phrase in phrases if phrase.single for anchor in phrase.anchors or ()
        )
        # A minimum is checked even in a text without the words: that is its finding.
        self.always = bool(self.min)
        # A text's matches are its paragraphs' (no phrase crosses a blank line; a
        # raw pattern may).
        self.by_paragraph = self.pattern is None

    def find(self, text: str, scope: Scope, scan: Scan) -> Iterator[Hit]:
        spans: list[tuple[int, int]]
        if self.pattern is not None:
            matches = list(self.pattern.finditer(text))
            if self.has_phrases:
                matches += self.group.finditer(text, None, 0, len(text))
            spans = sorted(match.span() for match in matches)
        elif self.max is None:
            # Only a shortfall can be reported: stop at the minimum, trying one
            # anchor's sentences at a time (a sentence holding two anchors comes
            # twice: each match counts once).
            wanted = self.min or 0
            if wanted <= 1 and not self.sure.isdisjoint(scan.held):
                return
            found: set[tuple[int, int]] = set()
            for begin, end in scan.each_window(self.anchors):
                if len(found) >= wanted:
                    break
                found.update(
                    match.span()
                    for match in self.group.finditer(text, scan.same_length_low, begin, end)
                )
            spans = sorted(found)
        else:
            spans = self.spans(text, scan)
        yield from self.judge(text, spans)

    def spans(self, text: str, scan: Scan) -> list[tuple[int, int]]:
        """Every match of the phrases in ``text``, in order (phrases only)."""
        return [
            match.span()
            for begin, end in scan.windows(self.anchors)
            for match in self.group.finditer(text, scan.same_length_low, begin, end)
        ]

    def judge(self, text: str, spans: list[tuple[int, int]]) -> Iterator[Hit]:
        """The hits of a whole ``text`` whose matches are ``spans``, in order."""
        if self.max is None and self.min is not None:
            spans = spans[: self.min]  # a shortfall is all that can be reported
        values = {
            "count": str(len(spans)),
            "min": "" if self.min is None else str(self.min),
            "max": "" if self.max is None else str(self.max),
        }
        if self.min is not None and len(spans) < self.min:
            yield Hit(0, len(text), {**values, "match": ""})
        if self.max is not None and len(spans) > self.max:
            start, end = spans[self.max]
            # The match may be in the lower-cased text: quote the text itself.
            yield Hit(start, end, {**values, "match": text[start:end]})
