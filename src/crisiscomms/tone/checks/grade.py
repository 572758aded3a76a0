"""``readability``: the Flesch-Kincaid grade of a whole draft must not pass the channel's limit.

``grades`` maps channels (or ``default``) to the highest grade allowed;
drafts shorter than ``min_words`` words are not graded.
"""

from __future__ import annotations

from collections.abc import Iterator

from crisiscomms.tone.checks.base import Check, Options
from crisiscomms.tone.phrases import Scan
from crisiscomms.tone.readability import text_stats
from crisiscomms.tone.scope import CHANNELS, Hit, Scope

__all__ = ["Readability"]


class Readability(Check):
    """One finding, spanning the text, when its grade is above the channel's limit."""

    fields = ("grades", "min_words")
    whole_text = True

    def __init__(self, options: Options) -> None:
        self.grades = options.table("grades", keys=CHANNELS, numbers=True)
        self.min_words = options.count("min_words") or 0

    def find(self, text: str, scope: Scope, scan: Scan) -> Iterator[Hit]:
        limit = self.grades.get(scope.channel, self.grades.get("default"))
        if limit is None:
            return
        stats = text_stats(text)
        if stats.words < self.min_words or stats.grade <= limit:
            return
        yield Hit(0, len(text), {"grade": f"{stats.grade:.1f}", "max": f"{limit:g}", "match": ""})
