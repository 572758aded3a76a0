"""``occurrence``: at least ``min`` and at most ``max`` matches of the phrases in a whole draft.

A shortfall (no apology in a major incident) spans the whole draft; an
excess (a fourth hedge) is reported on the first match past ``max``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from crisiscomms.errors import ValidationError
from crisiscomms.tone.checks.base import Check, Options
from crisiscomms.tone.phrases import Scan, alternation, anchors_of
from crisiscomms.tone.scope import Hit, Scope

__all__ = ["Occurrence"]


class Occurrence(Check):
    """Counts the phrases in the whole text against ``min`` and ``max``."""

    fields = ("phrases", "min", "max")
    whole_text = True

    def __init__(self, options: Options) -> None:
        phrases = options.phrases("phrases", required=True)
        self.pattern = alternation(phrases)
        self.min = options.count("min")
        self.max = options.count("max")
        if self.min is None and self.max is None:
            raise ValidationError("an occurrence rule needs 'min' or 'max'", field="min")
        if self.min is not None and self.max is not None and self.min > self.max:
            raise ValidationError("must not exceed 'max'", field="min")
        self.anchors = anchors_of(phrases)
        # A one-word phrase is there wherever its anchor is: no need to scan for it.
        self.sure = frozenset(
            anchor for phrase in phrases if phrase.single for anchor in phrase.anchors or ()
        )
        # A minimum is checked even in a text without the words: that is its finding.
        self.always = bool(self.min)

    def find(self, text: str, scope: Scope, scan: Scan) -> Iterator[Hit]:
        if self.max is None:
            # Only a shortfall can be reported: stop at the minimum, trying one
            # anchor's sentences at a time (overlaps do not matter for reaching it).
            wanted = self.min or 0
            if wanted <= 1 and not self.sure.isdisjoint(scan.held):
                return
            matches: list[re.Match[str]] = []
            for begin, end in scan.each_window(self.anchors):
                if len(matches) >= wanted:
                    break
                matches.extend(self.pattern.finditer(text, begin, end))
            matches = matches[:wanted]
        else:
            matches = [
                match
                for begin, end in scan.windows(self.anchors)
                for match in self.pattern.finditer(text, begin, end)
            ]
        values = {
            "count": str(len(matches)),
            "min": "" if self.min is None else str(self.min),
            "max": "" if self.max is None else str(self.max),
        }
        if self.min is not None and len(matches) < self.min:
            yield Hit(0, len(text), {**values, "match": ""})
        if self.max is not None and len(matches) > self.max:
            excess = matches[self.max]
            yield Hit(excess.start(), excess.end(), {**values, "match": excess.group()})
