"""``occurrence``: at least ``min`` and at most ``max`` matches of the phrases in a whole draft.

A shortfall (no apology in a major incident) spans the whole draft; an
excess (a fourth hedge) is reported on the first match past ``max``.
``pattern`` adds a raw regular expression, for what phrases cannot say (the
words of a language written without spaces).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from crisiscomms.errors import ValidationError
from crisiscomms.tone.checks.base import Check, Options
from crisiscomms.tone.phrases import Scan, anchors_of, grouped
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
        # One pattern for the phrases of each anchor set, tried only in the sentences
        # holding one of its anchors, on the lower-cased post when it can be.
        self.groups = grouped(phrases)
        self.has_phrases = bool(phrases)
        self.min = options.count("min")
        self.max = options.count("max")
        if self.min is None and self.max is None:
            raise ValidationError("an occurrence rule needs 'min' or 'max'", field="min")
        if self.min is not None and self.max is not None and self.min > self.max:
            raise ValidationError("must not exceed 'max'", field="min")
        self.anchors = anchors_of(phrases) if raw is None else None
        self.full_stop = any(phrase.full_stop for phrase in phrases)
        # A one-word phrase is there wherever its anchor is: no need to scan for it.
        self.sure = frozenset(
            anchor for phrase in phrases if phrase.single for anchor in phrase.anchors or ()
        )
        # A minimum is checked even in a text without the words: that is its finding.
        self.always = bool(self.min)
        # Only a missing match can be reported, and one match is enough.
        self.one_will_do = self.max is None and (self.min or 0) <= 1
        # A text's matches are its paragraphs' (no phrase crosses a blank line; a
        # raw pattern may).
        self.by_paragraph = self.pattern is None

    def find(self, text: str, scope: Scope, scan: Scan) -> Iterator[Hit]:
        spans: list[tuple[int, int]]
        if self.pattern is not None:
            found = [match.span() for match in self.pattern.finditer(text)]
            for group in self.groups:
                found.extend(match.span() for match in group.finditer(text, None, 0, len(text)))
            spans = sorted(found)
        elif self.max is None:
            # Only a shortfall can be reported: stop at the minimum, trying one
            # anchor's sentences at a time.
            wanted = self.min or 0
            if self.one_will_do and not self.sure.isdisjoint(scan.held):
                return
            spans = []
            for group in self.groups:
                if len(spans) >= wanted:
                    break
                if not group.possible(scan):
                    continue
                for begin, end in scan.each_window(group.anchors):
                    spans = apart(
                        spans,
                        (
                            match.span()
                            for match in group.finditer(text, scan.same_length_low, begin, end)
                        ),
                    )
                    if len(spans) >= wanted:
                        break
        else:
            spans = self.spans(text, scan)
        yield from self.judge(text, spans)

    def spans(self, text: str, scan: Scan) -> list[tuple[int, int]]:
        """Every match of the phrases in ``text``, in order, none overlapping (phrases only)."""
        return apart(
            [],
            (
                span
                for index in range(len(self.groups))
                for span in self.group_spans(index, text, scan)
            ),
        )

    def group_spans(self, index: int, text: str, scan: Scan) -> Iterator[tuple[int, int]]:
        """The matches of the phrases of group ``index`` in ``text`` (one may overlap
        another group's)."""
        group = self.groups[index]
        if not group.possible(scan):
            return
        low = scan.same_length_low
        for begin, end in scan.windows(group.anchors):
            for match in group.finditer(text, low, begin, end):
                yield match.span()

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


def apart(spans: list[tuple[int, int]], more: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    """``spans`` and ``more`` in order, without a span that starts inside an earlier
    one: where two phrases overlap ("next update", "update ... by 3 pm"), the first,
    longest one counts."""
    found = sorted({*spans, *more}, key=lambda span: (span[0], -span[1]))
    kept: list[tuple[int, int]] = []
    for span in found:
        if not kept or span[0] >= kept[-1][1]:
            kept.append(span)
    return kept
