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
from crisiscomms.tone.phrases import Scan
from crisiscomms.tone.readability import ascii_letters, masked_links
from crisiscomms.tone.scope import Hit, Scope

__all__ = ["Capitalization"]

# A word of letters and digits without a lower-case letter, two capitals or more.
_WORD_ASCII = re.compile(r"[A-Z][A-Z0-9]*[A-Z][A-Z0-9]*")
# The same, standing alone (see ``_GLUE_BEFORE`` and ``_GLUE_AFTER``), for a text whose
# letters are ASCII: the bound before is looked back at after the first capital, so
# the engine still skips straight to capitals.
_STANDING_ASCII = re.compile(r"[A-Z](?<![\w@#/.][A-Z])[A-Z0-9]*[A-Z][A-Z0-9]*(?!\w|[.@/]\w)")
_WORD_ANY = re.compile(r"[^\W\d_a-z][^\W_a-z]*[^\W\d_a-z][^\W_a-z]*")
# What may not touch such a word: it would be part of a longer word, a handle, a path or a name.
_GLUE_BEFORE = re.compile(r"[\w@#/.]")
_GLUE_AFTER = re.compile(r"\w|[.@/]\w")
_BETWEEN = re.compile(r"[ \t]+")


class Capitalization(Check):
    """Shouted words and shouted runs of words, acronyms and the record's names excepted."""

    local = True
    fields = ("allow", "max_acronym", "run_words")

    def __init__(self, options: Options) -> None:
        self.allow = frozenset(word.upper() for word in options.strings("allow"))
        found = options.count("max_acronym")
        self.max_acronym = 5 if found is None else found
        self.run_words = options.count("run_words") or 3

    def _known(self, word: str, names: frozenset[str]) -> bool:
        return word in self.allow or word in names or any(char.isdigit() for char in word)

    def _words(self, text: str) -> list[re.Match[str]]:
        """The words in capitals that stand alone (not inside a longer word, handle or path)."""
        # Capitals outside ASCII need the slower pattern; dashes and emoji do not
        # (a character the readability counts take for a letter, such as "²",
        # takes the slower one too, which finds the same).
        if ascii_letters(text):
            return _standing_ascii(text)
        return [
            word
            for word in _WORD_ANY.finditer(text)
            if not (word.start() and _GLUE_BEFORE.match(text, word.start() - 1))
            and not _GLUE_AFTER.match(text, word.end())
            # Letters without case (kana, kanji, Hangul) are never capitals.
            and all(c.isupper() for c in word.group() if c.isalpha())
        ]

    def find(self, text: str, scope: Scope, scan: Scan) -> Iterator[Hit]:
        runs: list[list[re.Match[str]]] = []
        for word in self._words(text):
            if runs and _BETWEEN.fullmatch(text, runs[-1][-1].end(), word.start()):
                runs[-1].append(word)
            else:
                runs.append([word])
        for run in runs:
            words = [word.group() for word in run]
            if len(run) >= self.run_words:
                if not all(self._known(word, scan.names) for word in words):
                    start, end = run[0].start(), run[-1].end()
                    if not _in_link(text, start, end):
                        yield Hit(start, end, {"match": text[start:end]})
                continue
            for word in run:
                letters = sum(char.isalpha() for char in word.group())
                if (
                    letters > self.max_acronym
                    and not self._known(word.group(), scan.names)
                    and not _in_link(text, word.start(), word.end())
                ):
                    yield Hit(word.start(), word.end(), {"match": word.group()})


# Each character as one byte: "A" for a capital, "9" for a digit, " " for the rest.
_CAPITALS = bytes(
    ord("A")
    if chr(code).isascii() and chr(code).isupper()
    else ord("9")
    if 48 <= code <= 57
    else 32
    for code in range(256)
)


def _standing_ascii(text: str) -> list[re.Match[str]]:
    """``list(_STANDING_ASCII.finditer(text))``, tried only where two capitals, or a
    capital and a digit, stand together.

    Such a word fills a whole run of capitals and digits, starting with a
    capital, and holds two capitals: so a capital followed by a capital or a
    digit. The pattern is matched at the start of each run holding such a
    pair, found with byte searches rather than a scan of every position.
    """
    marks = text.encode("latin-1", "replace").translate(_CAPITALS)
    starts = set()
    for pair in (b"AA", b"A9"):
        at = marks.find(pair)
        while at >= 0:
            start = marks.rfind(b" ", 0, at) + 1
            if marks[start] == ord("A"):  # a word starts with a capital
                starts.add(start)
            end = marks.find(b" ", at)
            if end < 0:
                break
            at = marks.find(pair, end)
    found = []
    for start in sorted(starts):
        match = _STANDING_ASCII.match(text, start)
        if match is not None:
            found.append(match)
    return found


def _in_link(text: str, start: int, end: int) -> bool:
    """Whether ``text[start:end]`` lies in a link, an e-mail address or a handle."""
    # Links and addresses hold no white space: blank them in the word's own token only.
    begin = max(text.rfind(mark, 0, start) for mark in " \t\n(<[") + 1
    stop = min((at for mark in " \t\n)>]" if (at := text.find(mark, end)) >= 0), default=len(text))
    token = text[begin:stop]
    masked = masked_links(token)
    return masked[start - begin : end - begin].strip() != text[start:end].strip()
