"""``capitalization``: no shouting.

A word in capitals is shouting when it has more than ``max_acronym``
letters (``URGENT``; ``NHS`` and ``GDPR`` are acronyms) and is neither in
``allow`` nor written so in the incident record (a product called ``ACMEPAY``).
Three or more words in capitals in a row (``DO NOT USE THE APP``) are one
finding, unless every one of them is allowed, written so in the record or
holds a digit (``AWS EC2 API``). Links, e-mail addresses and handles are
left alone.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from crisiscomms.tone.checks.base import Check, Options
from crisiscomms.tone.readability import masked_links
from crisiscomms.tone.phrases import Scan
from crisiscomms.tone.scope import Hit, Scope

__all__ = ["Capitalization"]

# A word of letters and digits with no lower-case letter and two capitals or more.
_CAPS_WORD = r"(?<![\w@#/.])(?=[^\W_]*[^\W\d_a-z]{2})[^\W_a-z]+(?![\w.@/])"
# Such words in a row, separated by white space, within one sentence.
_RUN = re.compile(rf"{_CAPS_WORD}(?:[ \t]+{_CAPS_WORD})*")
_TWO_CAPITALS = re.compile(r"[^\W\d_a-z]{2}")


class Capitalization(Check):
    """Shouted words and shouted runs of words, acronyms and the record's names excepted."""

    fields = ("allow", "max_acronym", "run_words")

    def __init__(self, options: Options) -> None:
        self.allow = frozenset(word.upper() for word in options.strings("allow"))
        found = options.count("max_acronym")
        self.max_acronym = 5 if found is None else found
        self.run_words = options.count("run_words") or 3

    def _known(self, word: str, names: frozenset[str]) -> bool:
        return word in self.allow or word in names or any(char.isdigit() for char in word)

    def find(self, text: str, scope: Scope, scan: Scan) -> Iterator[Hit]:
        if not _TWO_CAPITALS.search(text):
            return  # the usual case: nothing in capitals at all
        masked = masked_links(text)
        for run in _RUN.finditer(masked):
            words = run.group().split()
            if len(words) >= self.run_words:
                if not all(self._known(word, scan.names) for word in words):
                    yield Hit(*run.span(), {"match": text[run.start() : run.end()]})
                continue
            position = run.start()
            for word in words:
                start = masked.index(word, position)
                position = start + len(word)
                letters = sum(char.isalpha() for char in word)
                if letters > self.max_acronym and not self._known(word, scan.names):
                    yield Hit(start, position, {"match": word})
