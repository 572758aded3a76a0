"""Flesch-Kincaid grade level, computed offline with a rule-based syllable counter.

The grade is ``0.39 * (words / sentences) + 11.8 * (syllables / words) - 15.59``
(Kincaid, Fishburne, Rogers and Chissom, 1975). Everything here is plain
Python and deterministic: no dictionary download, no locale dependence.

What counts:

* **words** are runs of letters, with inner apostrophes (``we're``, ``don't``, curly or straight);
  numbers, URLs, email addresses and ``@mentions`` are not words;
* **sentences** end at ``.``, ``!``, ``?`` or ``…`` followed by a space or the
  end of the text, and at a line break (so a heading or a list item is a
  sentence of its own), unless the next line goes on with a lower-case
  letter: that line is wrapped (as plain-text email wraps its paragraphs); a
  stretch without a word is not a sentence;
* **syllables** are groups of vowels (``y`` included), corrected for a silent
  final ``e``, a silent ``-es`` or ``-ed`` and a few vowel pairs that are two
  syllables (``media``, ``serious``, ``actual``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence

import attrs

__all__ = [
    "COMMON_MARKS",
    "TextStats",
    "ascii_letters",
    "count_syllables",
    "flesch_kincaid_grade",
    "masked_links",
    "masked_stats",
    "piece_stats",
    "sentence_spans",
    "text_stats",
    "without_common_marks",
    "words",
]

_URL = re.compile(r"(?:https?://|mailto:|www\.)\S+")
_AT = re.compile(r"[^\s@]*@\S*")
_WORD = re.compile(r"[^\W\d_]+(?:['\u2019][^\W\d_]+)*")
_SENTENCE_END = re.compile(r"[.!?\u2026]+[\"'\u201d\u2019)\]]*(?=\s|$)|\n")
# The same sentence ends, written to open with a character set so that the
# engine skips straight to the candidates (about four times faster).
_SENTENCE_SPLIT = re.compile(r"[.!?\u2026\n](?:(?<=\n)|[.!?\u2026]*[\"'\u201d\u2019)\]]*(?=\s|$))")
# For texts whose letters are all ASCII (see ``masked_stats``).
_ASCII_LETTER = re.compile(r"[A-Za-z]")
_NON_ASCII = re.compile(r"[^\x00-\x7f]")
_NON_SPACE = re.compile(r"\S*")
# Between the pieces of a text counted in one pass (see ``piece_stats``): a byte
# that the encodings used here never produce, kept by the tables below.
_PIECE_END = 0xFF
# For texts whose letters are all ASCII: every byte of the UTF-8 text that
# is not an ASCII letter or a straight apostrophe becomes a space. Non-ASCII
# characters are then never letters, so each of their bytes only separates.
_WORD_BYTES = bytes(
    char
    if (chr(char).isascii() and chr(char).isalpha()) or char in (ord("'"), _PIECE_END)
    else ord(" ")
    for char in range(256)
)
# Sentence counting for texts whose letters are all ASCII (see ``_ascii_sentences``):
# every byte becomes one of "a" (a letter), "." (an end mark), " " (white space
# other than a line break), "E" (a line break) or "#" (anything else); closing
# quotes and brackets are dropped.
_CLOSERS = b"\"')]"
_SPACES = bytes(c for c in range(128) if re.match(r"\s", chr(c)) and c != 10)


def _sentence_table(question: bytes) -> bytes:
    def kind(code: int) -> bytes:
        char = chr(code)
        if char.isascii() and char.isalpha():
            return b"a"
        if char in ".!" or bytes([code]) == question:
            return b"."
        if code == 10:
            return b"E"
        if code == _PIECE_END:
            return b"|"
        if bytes([code]) in _SPACES:
            return b" "
        return b"#"

    return b"".join(kind(code) if code < 128 or code == _PIECE_END else b"#" for code in range(256))


_SENTENCE_BYTES = _sentence_table(b"?")  # an ASCII text: "?" is an end mark
_SENTENCE_BYTES_WIDE = _sentence_table(b"")  # "?" stands for a non-ASCII character
# The white space characters outside ASCII (``\s`` in a str pattern), as one set.
_WIDE_SPACE = re.compile("[\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]")
_NOT_LETTER = re.compile(r"[^a-z]")  # in a lowered word: apostrophes and all else go
_VOWELS = re.compile(r"[aeiouy]+")
# Vowel pairs that are two syllables, not one: medi-a, seri-ous, pri-or-ity, actu-al.
_SPLIT_PAIRS = re.compile(r"(?<![ct])ia|(?<![tscxgl])io|(?<!q)ua|(?<!q)uo|iet")
# -es and -ed endings that add no syllable ("makes", "fixed"; not "changes", "posted").
_SILENT_ENDING = re.compile(r"(?<!ch)(?<!sh)(?<![sxzgc])(?<![^aeiouy]l)es$|(?<![td])ed$")
_EXCEPTIONS = {
    "business": 2,
    "every": 2,
    "everyone": 3,
    "everything": 3,
    "people": 2,
    "area": 3,
    "idea": 3,
    "real": 1,
    "really": 2,
    "create": 2,
    "created": 3,
    "great": 1,
    "break": 1,
    "breach": 1,
    "eat": 1,
    "meat": 1,
    "seat": 1,
    "heat": 1,
    "treat": 1,
    "threat": 1,
    "threats": 1,
    "deal": 1,
    "steal": 1,
    "reveal": 2,
    "quiet": 2,
    "science": 2,
    "via": 2,
    "being": 2,
    "doing": 2,
    "going": 2,
    "seeing": 2,
    "the": 1,
    "fire": 1,
    "hour": 1,
    "hours": 1,
    "our": 1,
}


def count_syllables(word: str) -> int:
    """How many syllables ``word`` has, by rule: at least 1 for any word with a letter."""
    w = word.lower()
    if not (w.isascii() and w.isalpha()):  # most words are letters only already
        w = _NOT_LETTER.sub("", w)
    if not w:
        return 0
    if w in _EXCEPTIONS:
        return _EXCEPTIONS[w]
    if len(w) <= 3:
        return 1
    count = len(_VOWELS.findall(w))
    if "i" in w or "u" in w:  # every split pair holds one of them
        count += len(_SPLIT_PAIRS.findall(w))
    if w.endswith("e") and not w.endswith(("ee", "ye")):
        if not (w.endswith("le") and len(w) > 2 and w[-3] not in "aeiouy"):
            count -= 1
    elif w.endswith(("es", "ed")) and _SILENT_ENDING.search(w):
        count -= 1
    return max(count, 1)


class _SyllableMemo(dict[str | bytes, int]):
    """``count_syllables`` of each word seen (str, or ASCII bytes), looked up in C.

    Cleared when it grows large.
    """

    LIMIT = 50_000

    def __missing__(self, word: str | bytes) -> int:
        if len(self) >= self.LIMIT:
            self.clear()
        text = word.decode("ascii") if isinstance(word, bytes) else word
        count = self[word] = count_syllables(text)
        return count


_SYLLABLES = _SyllableMemo()


def _blank(match: re.Match[str]) -> str:
    return " " * len(match.group())


def masked_links(text: str) -> str:
    """``text`` with URLs, email addresses and mentions blanked out (same length)."""
    if "://" in text or "www." in text or "mailto:" in text:
        text = _blank_urls(text)
    if "@" in text:
        text = _blank_mentions(text)
    return text


def _blank_urls(text: str) -> str:
    """``_URL.sub(_blank, text)``, found with ``str.find`` instead of a scan of every position.

    A match starts at ``http://``, ``https://``, ``mailto:`` or ``www.`` (the
    leftmost, outside an earlier match) with a character other than white
    space after it, and runs to the next white space.
    """
    starts = []
    for mark, back in (("://", ("https", "http")), ("mailto:", ("",)), ("www.", ("",))):
        at = text.find(mark)
        while at >= 0:
            for scheme in back:
                if at >= len(scheme) and text.startswith(scheme, at - len(scheme)):
                    starts.append((at - len(scheme), at + len(mark)))
                    break
            at = text.find(mark, at + 1)
    pieces = []
    last = 0
    for start, body in sorted(starts):
        if start < last or body >= len(text) or text[body].isspace():
            continue
        match = _NON_SPACE.match(text, body)
        end = match.end() if match is not None else body  # pragma: no branch
        pieces.append(text[last:start])
        pieces.append(" " * (end - start))
        last = end
    pieces.append(text[last:])
    return "".join(pieces)


def _blank_mentions(text: str) -> str:
    """``_AT.sub(_blank, text)``, found with ``str.find`` instead of a scan of every position.

    A match of ``[^\\s@]*@\\S*`` is the whole run of non-space characters
    around the first ``@`` after the previous match (which ends at a space).
    """
    pieces = []
    last = 0
    at = text.find("@")
    while at >= 0:
        start = at
        while start > last and not text[start - 1].isspace():
            start -= 1
        match = _NON_SPACE.match(text, at)
        end = match.end() if match is not None else at + 1  # pragma: no branch
        pieces.append(text[last:start])
        pieces.append(" " * (end - start))
        last = end
        at = text.find("@", end)
    pieces.append(text[last:])
    return "".join(pieces)


def words(text: str) -> list[str]:
    """The words of ``text`` as readability counts them."""
    return _WORD.findall(masked_links(text))


def sentence_spans(text: str) -> Iterator[tuple[int, int]]:
    """``(start, end)`` of each sentence of ``text`` that holds a word, trimmed of spaces."""
    return _sentence_spans(masked_links(text))


def _sentence_spans(masked: str) -> Iterator[tuple[int, int]]:
    start = 0
    for match in _SENTENCE_END.finditer(_unwrapped(masked)):
        end = match.end() if match.group() != "\n" else match.start()
        yield from _trimmed(masked, start, end)
        start = match.end()
    yield from _trimmed(masked, start, len(masked))


def _trimmed(masked: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    piece = masked[start:end]
    if not _WORD.search(piece):
        return
    lead = len(piece) - len(piece.lstrip())
    yield start + lead, start + len(piece.rstrip())


@attrs.frozen
class TextStats:
    """The counts the Flesch-Kincaid formula reads."""

    words: int
    sentences: int
    syllables: int

    @classmethod
    def total(cls, counts: Iterable[tuple[int, int, int]]) -> TextStats:
        """The counts of texts taken together (joined by blank lines), from each one's
        ``(words, sentences, syllables)`` (see :func:`piece_stats`)."""
        words = sentences = syllables = 0
        for each in counts:
            words += each[0]
            sentences += each[1]
            syllables += each[2]
        return cls(words=words, sentences=sentences, syllables=syllables)

    @property
    def grade(self) -> float:
        """The Flesch-Kincaid grade level; 0.0 for a text without words."""
        if not self.words:
            return 0.0
        return (
            0.39 * (self.words / max(self.sentences, 1))
            + 11.8 * (self.syllables / self.words)
            - 15.59
        )


def text_stats(text: str) -> TextStats:
    """Words, sentences and syllables of ``text``."""
    return masked_stats(masked_links(text))


#: Characters outside ASCII common in drafts that are neither letters nor white
#: space: curly quotes, dashes, the ellipsis, bullets.
COMMON_MARKS = (
    "\u2018",
    "\u2019",
    "\u201c",
    "\u201d",
    "\u2013",
    "\u2014",
    "\u2026",
    "\u2022",
    "\u00b7",
)


def without_common_marks(text: str) -> str:
    """``text`` with each of :data:`COMMON_MARKS` made a space (the same length)."""
    for mark in COMMON_MARKS:
        if mark in text:
            text = text.replace(mark, " ")
    return text


def ascii_letters(text: str) -> bool:
    """True when every letter of ``text`` (``[^\\W\\d_]``) is an ASCII letter."""
    return _outside_ascii(text)[0]


def _outside_ascii(text: str) -> tuple[bool, bool]:
    """:func:`ascii_letters` of ``text``, and whether it holds white space outside
    ASCII: read without a scan of every character where the only characters
    outside ASCII are common marks and the no-break space, else from the few
    characters outside ASCII."""
    if text.isascii():
        return True, False
    text = without_common_marks(text)
    wide = "\u00a0" in text
    if wide:
        text = text.replace("\u00a0", " ")
    if text.isascii():
        return True, wide
    found = set(_NON_ASCII.findall(text))
    return (
        not any(_WORD.match(char) for char in found),
        wide or any(_WIDE_SPACE.match(char) for char in found),
    )


def _inner_apostrophes(letters: str) -> str:
    """``letters`` (letters, ``'`` and spaces) with each ``'`` not between two letters a space."""
    letters = f" {letters} "  # an apostrophe at either end has a space beside it
    while "''" in letters:
        letters = letters.replace("''", "  ")  # a run of them: each has one beside it
    # What is left stands alone, with a letter or a space on either side.
    return letters.replace(" '", "  ").replace("' ", "  ")


def _sentence_bytes(masked: str, wide_spaces: bool | None) -> tuple[bytes, bytes] | None:
    """``masked`` as one byte a character, with the table that reads it for sentences.

    A non-ASCII text has ``?`` made ``.`` (both end marks), ``…`` made ``.``
    and the curly closing quotes (U+201D, U+2019) made straight (closers,
    like ``)``); every
    other non-ASCII character is then one ``?`` byte, which the table reads
    as neither letter, end mark nor space. The letters and the characters
    around them are unchanged, so the words can be read from the same bytes.
    ``None`` for a text with non-ASCII white space (``wide_spaces``, looked
    for when ``None``).
    """
    if masked.isascii():
        return masked.encode("ascii"), _SENTENCE_BYTES
    if wide_spaces or (wide_spaces is None and _WIDE_SPACE.search(masked)):
        return None
    plain = (
        masked.replace("?", ".")
        .replace("\u2026", ".")
        .replace("\u201d", '"')
        .replace("\u2019", "'")
    )
    return plain.encode("ascii", "replace"), _SENTENCE_BYTES_WIDE


def _skeleton(raw: bytes, table: bytes) -> bytes:
    """``raw`` as letters ("a") and sentence ends ("E") only (see ``_sentence_table``).

    An end mark followed by white space ends a sentence, and so does a line
    break, unless the next line goes on with a lower-case letter: that line
    is wrapped (plain-text email wraps its paragraphs), not a new sentence.
    """
    if b"\n" in raw:
        raw = _WRAPPED_BYTES.sub(b" ", raw)
    skeleton = raw.translate(table, _CLOSERS).replace(b". ", b"E ")
    return skeleton.translate(None, b". #")


def _count_sentences(raw: bytes, table: bytes) -> int:
    """How many pieces between sentence ends hold a letter (see :func:`_ascii_sentences`)."""
    # Each run of letters that an end follows is a sentence, and so is a last
    # run of letters, whatever follows it.
    skeleton = _skeleton(raw, table)
    return skeleton.count(b"aE") + skeleton.endswith(b"a")


def _unwrapped(text: str) -> str:
    """``text`` with each line break before a lower-case letter (after any spaces)
    made a space: a wrapped line goes on with its sentence (the same length)."""
    if "\n" not in text:
        return text
    return _WRAPPED.sub(_wrap, text)


def _wrap(match: re.Match[str]) -> str:
    return " " if match.group(1).islower() else "\n"


_WRAPPED = re.compile(r"\n(?=[^\S\n]*([^\W\d_]))")
# The same for the bytes of a text whose letters are ASCII.
_WRAPPED_BYTES = re.compile(b"\n(?=[" + re.escape(_SPACES) + b"]*[a-z])")


def _ascii_sentences(masked: str, wide_spaces: bool | None = None) -> int | None:
    """How many pieces between sentence ends hold a letter, for a text whose letters are ASCII.

    The same count as splitting at ``_SENTENCE_END`` and keeping the pieces
    with a letter, from byte operations: an end is a line break (but for one
    before a lower-case letter), or an end mark followed by white space or the
    end of the text once the closing quotes and brackets are dropped. ``None``
    (take the regex path) for a text with non-ASCII white space
    (``wide_spaces``, looked for when ``None``).
    """
    encoded = _sentence_bytes(masked, wide_spaces)
    return None if encoded is None else _count_sentences(*encoded)


def masked_stats(
    masked: str, *, ascii_only: bool | None = None, wide_spaces: bool | None = None
) -> TextStats:
    """:func:`text_stats` of a text already passed through :func:`masked_links`.

    ``ascii_only`` is :func:`ascii_letters` of ``masked`` (or of a text that
    holds it), and ``wide_spaces`` whether it holds white space outside
    ASCII, when the caller knows them already.
    """
    if ascii_only is None:
        ascii_only, wide = _outside_ascii(masked)
        wide_spaces = wide if wide_spaces is None else wide_spaces
    if not ascii_only:
        found = _WORD.findall(masked)
        sentences = len(list(filter(_WORD.search, _SENTENCE_SPLIT.split(_unwrapped(masked)))))
    else:
        encoded = _sentence_bytes(masked, wide_spaces)
        if encoded is None:
            raw = masked.replace("\u2019", "'").encode("utf-8", "surrogatepass")
            pieces = _SENTENCE_SPLIT.split(_unwrapped(masked))
            sentences = sum(map(bool, map(_ASCII_LETTER.search, pieces)))
        else:
            raw = encoded[0]
            sentences = _count_sentences(*encoded)
        # Only the number of words and their syllables matter, so the
        # apostrophe's form does not (count_syllables drops both). With every
        # character that cannot be in a word made a space (in C, by
        # bytes.translate), each chunk left is one match of _WORD once
        # the apostrophes that are not between two letters are spaces too.
        letters = raw.translate(_WORD_BYTES)
        if b"''" in letters:
            letters = _inner_apostrophes(letters.decode("ascii")).encode("ascii")
        else:
            # A lone apostrophe joins two letters into one word or has a space
            # beside it already: dropping them all leaves the same words.
            letters = letters.translate(None, b"'")
        found = letters.split()
    return TextStats(
        words=len(found),
        sentences=sentences,
        syllables=sum(map(_SYLLABLES.__getitem__, found)),
    )


def piece_stats(text: str, starts: Sequence[int]) -> list[tuple[int, int, int]] | None:
    """:func:`text_stats` of each piece of ``text`` as ``(words, sentences, syllables)``,
    in one pass (see :meth:`TextStats.total`): the pieces start at
    ``starts`` (the first at 0) and each is followed by a blank line (``"\\n\\n"``).

    A blank line ends a sentence and a word, so a text made of some of the
    pieces, joined by blank lines, has the sum of their counts. ``None`` for a
    text with letters or white space outside ASCII (count each piece then).
    """
    masked = masked_links(text)
    ascii_only, wide_spaces = _outside_ascii(masked)
    if not ascii_only:
        return None
    encoded = _sentence_bytes(masked, wide_spaces)
    if encoded is None:
        return None
    raw, table = encoded
    # Each piece's blank line becomes a line break and a byte that no text here
    # holds, which both counts below keep: splitting at it gives the pieces.
    buffer = bytearray(raw)
    for start in starts[1:]:
        buffer[start - 1] = _PIECE_END
    marked = bytes(buffer)
    skeleton = _skeleton(marked, table)
    sentences = [piece.count(b"aE") + piece.endswith(b"a") for piece in skeleton.split(b"|")]
    letters = marked.translate(_WORD_BYTES)
    if b"''" in letters:
        letters = _inner_apostrophes(letters.decode("latin-1")).encode("latin-1")
    else:
        letters = letters.translate(None, b"'")
    syllables = _SYLLABLES.__getitem__
    return [
        (len(found), count, sum(map(syllables, found)))
        for found, count in zip(map(bytes.split, letters.split(b"\xff")), sentences, strict=True)
    ]


def flesch_kincaid_grade(text: str) -> float:
    """The Flesch-Kincaid grade level of ``text`` (US school grade; lower reads easier)."""
    return text_stats(text).grade


# ---------------------------------------------------------------------------
# Other languages. Each published adaptation of Flesch's reading ease gives a
# score from about 0 (hard) to 100 (easy) from words per sentence (ASL) and
# syllables per word (ASW); Japanese, written without spaces and without a
# syllable-based formula in common use, is measured by characters per sentence.

#: ``formula: (language, constant, per ASL, per ASW, source)``.
EASE_FORMULAS: dict[str, tuple[str, float, float, float, str]] = {
    "amstad": ("de", 180.0, 1.0, 58.5, "Amstad (1978), German"),
    "kandel-moles": ("fr", 207.0, 1.015, 73.6, "Kandel and Moles (1958), French"),
    "szigriszt-pazos": ("es", 206.835, 1.0, 62.3, "Szigriszt-Pazos (1993), Spanish"),
    "martins": ("pt", 248.835, 1.015, 84.6, "Martins et al. (1996), Brazilian Portuguese"),
}

_LANGUAGE_VOWELS = {
    "de": "aeiouyäöü",
    "fr": "aeiouyàâäéèêëîïôöùûüÿœæ",
    "es": "aeiouáéíóúü",
    "pt": "aeiouáâãàéêíóôõúü",
}
_ANY_SENTENCE_END = re.compile(
    r"[.!?\u2026\u3002\uff01\uff1f]+[\"'\u201d\u2019)\]\u300d\u300f]*(?=\s|$)|[\u3002\uff01\uff1f]|\n"
)
_FRENCH_SILENT = re.compile(r"(?<=[^aeiouyàâäéèêëîïôöùûüÿœæ])(?:es?|ent)$")


def syllables_in(word: str, language: str) -> int:
    """Syllables of ``word`` in ``language`` (``de``, ``fr``, ``es``, ``pt``): its
    groups of vowels, a diphthong counted once; in French a silent final
    ``-e``, ``-es`` or ``-ent`` after a consonant counts none."""
    low = word.lower()
    if language == "fr" and len(low) > 3:
        low = _FRENCH_SILENT.sub("", low)
    vowels = _LANGUAGE_VOWELS[language]
    groups = 0
    previous = False
    for char in low:
        is_vowel = char in vowels
        if is_vowel and not previous:
            groups += 1
        previous = is_vowel
    return max(groups, 1)


@attrs.frozen
class Ease:
    """A text's reading ease by one of :data:`EASE_FORMULAS`, with what it counted."""

    words: int
    sentences: int
    syllables: int
    score: float


def _sentences_of(text: str) -> list[str]:
    return [
        part for part in _ANY_SENTENCE_END.split(_unwrapped(masked_links(text))) if part.strip()
    ]


def reading_ease(text: str, formula: str) -> Ease:
    """``text``'s reading ease by ``formula`` (a key of :data:`EASE_FORMULAS`)."""
    language, constant, per_asl, per_asw, _ = EASE_FORMULAS[formula]
    sentences = 0
    total_words = 0
    syllables = 0
    for sentence in _sentences_of(text):
        found = _WORD.findall(sentence)
        if not found:
            continue
        sentences += 1
        total_words += len(found)
        syllables += sum(syllables_in(word, language) for word in found)
    if not total_words:
        return Ease(0, 0, 0, 100.0)
    asl = total_words / sentences
    asw = syllables / total_words
    score = constant - per_asl * asl - per_asw * asw
    return Ease(total_words, sentences, syllables, score)


def sentence_length(text: str) -> tuple[int, float]:
    """``(sentences, characters per sentence)`` of ``text``, white space and links
    left out: the measure for a language written without spaces."""
    lengths = [len("".join(part.split())) for part in _sentences_of(text)]
    lengths = [length for length in lengths if length]
    if not lengths:
        return 0, 0.0
    return len(lengths), sum(lengths) / len(lengths)
