"""Plain measures: grapheme clusters, UTF-8 bytes, UTF-16 code units."""

from __future__ import annotations

import re

import regex  # type: ignore[import-untyped, unused-ignore]  # no stubs in the typecheck group

__all__ = [
    "conservative_grapheme_count",
    "grapheme_count",
    "graphemes",
    "utf8_length",
    "utf16_length",
]

GRAPHEME = regex.compile(r"\X")
# Characters that never join a neighbour into one grapheme cluster (Unicode's
# Grapheme_Cluster_Break is Other or Control for each; a test checks this against the
# regex module's data): Latin, Greek and Cyrillic letters, general punctuation without
# the zero-width joiners, currency, letterlike symbols, arrows, the ideographic space.
# Text made only of these has one cluster per character but for "\r\n", so it is counted
# without segmenting it, which is most of the time spent on Western-script posts.
SIMPLE_CHARS = (
    "\x00-\u02ff\u0370-\u0482\u048a-\u0590\u2010-\u2027\u2030-\u205f"
    "\u20a0-\u20cf\u2100-\u23ff\u3000"
)
_SIMPLE_TEXT = re.compile(f"[{SIMPLE_CHARS}]*")
_ASTRAL = re.compile("[\U00010000-\U0010ffff]")
# Unicode 15.1 rule GB9c keeps an Indic conjunct (consonant, virama, consonant) in one
# cluster; engines on older Unicode data (older Ruby, ICU, graphemer) split it. Counting
# each such join as an extra cluster gives the older, higher number.
_INDIC_CONJUNCT_JOIN = regex.compile(
    r"\p{InCB=Linker}[\p{InCB=Extend}\p{InCB=Linker}]*\p{InCB=Consonant}"
)


def graphemes(text: str) -> list[str]:
    """Split ``text`` into extended grapheme clusters (what a reader sees as characters).

    Uses the Unicode data of the installed ``regex`` module; ``"".join`` of the result is
    always ``text``.
    """
    clusters: list[str] = GRAPHEME.findall(text)
    return clusters


def grapheme_count(text: str) -> int:
    """Number of extended grapheme clusters in ``text`` (see :func:`graphemes`)."""
    if text.isascii() or _SIMPLE_TEXT.fullmatch(text):
        # "\r\n" is the only multi-character cluster made of these characters.
        return len(text) - text.count("\r\n")
    return len(GRAPHEME.findall(text))


def conservative_grapheme_count(text: str) -> int:
    """A grapheme count no lower than that of any engine from Unicode 11 on."""
    count = grapheme_count(text)
    if not text.isascii() and not _SIMPLE_TEXT.fullmatch(text):
        count += len(_INDIC_CONJUNCT_JOIN.findall(text))
    return count


def utf8_length(text: str) -> int:
    """Number of bytes of ``text`` encoded as UTF-8."""
    if text.isascii():
        return len(text)
    return len(text.encode("utf-8", "surrogatepass"))


def utf16_length(text: str) -> int:
    """Number of UTF-16 code units of ``text`` (what JavaScript's ``length`` reports)."""
    if text.isascii():
        return len(text)
    return len(text) + len(_ASTRAL.findall(text))
