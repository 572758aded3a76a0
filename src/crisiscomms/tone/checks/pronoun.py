"""``pronoun``: the ``forbidden`` pronouns must not appear (scope the rule to ``voices``).

A pronoun written in capitals (``I``) matches only in capitals, so the
``i`` of ``i.e.`` is not the pronoun; the rest match in any case.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from crisiscomms.tone.checks.base import Check, Options
from crisiscomms.tone.phrases import Scan
from crisiscomms.tone.scope import Hit, Scope

__all__ = ["Pronoun"]


class Pronoun(Check):
    """A finding for every use of a forbidden pronoun."""

    local = True
    fields = ("forbidden",)

    def __init__(self, options: Options) -> None:
        forbidden = options.strings("forbidden", required=True)
        words = "|".join(
            re.escape(word) if word.isupper() else f"(?i:{re.escape(word)})" for word in forbidden
        )
        self.full_stop = any(re.search(r"\.\s", word) for word in forbidden)
        # "I'm" holds "I": the bound after the word is a word character only.
        self.pattern = re.compile(rf"(?<![\w'\u2019])(?:{words})(?!\w)")

    def find(self, text: str, scope: Scope, scan: Scan) -> Iterator[Hit]:
        for match in self.pattern.finditer(text):
            yield Hit(match.start(), match.end(), {"match": match.group()})
