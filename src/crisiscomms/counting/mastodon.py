"""How Mastodon counts: grapheme clusters, with linked URLs as 23 and remote mentions short.

Mastodon's ``StatusLengthValidator`` replaces every URL with a scheme by 23 characters
and each ``@user@domain`` mention by ``@user``, then counts grapheme clusters. Its URL
grammar is twitter-text's with wider path and query characters
(``config/initializers/twitter_regex.rb``).
"""

from __future__ import annotations

import functools
import re
from typing import Final

import regex  # type: ignore[import-untyped, unused-ignore]  # no stubs in the typecheck group

from crisiscomms.counting.units import conservative_grapheme_count
from crisiscomms.counting.urls import url_grammar, url_matches

__all__ = ["MASTODON_MAX_LENGTH", "mastodon_length"]

MASTODON_MAX_LENGTH: Final = 500
"""Default character limit of a Mastodon server; servers may configure another."""

# Mastodon counts every linked URL as this many characters.
_MASTODON_URL_LENGTH = 23
_MASTODON_URL_PLACEHOLDER = "x" * _MASTODON_URL_LENGTH
# A remote mention "@user@example.org" counts as "@user". Only ASCII mentions that
# Mastodon's own pattern certainly matches are shortened; others count in full.
_MASTODON_REMOTE_MENTION = regex.compile(
    r"(?<![=/\w\p{L}\p{M}\p{N}\p{Pc}])(@[a-z0-9_]+(?:[a-z0-9_.\-]+[a-z0-9_]+)?)"
    r"@[a-z0-9_]+(?:[.\-]+[a-z0-9_]+)+(?![\w\p{L}\p{M}\p{N}\p{Pc}@])",
    regex.IGNORECASE,
)


# Mastodon's widened path and query characters; its spans decide what it replaces with
# 23 characters.
_WHITE_SPACE = "\t-\r \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000"
_MASTODON_UCHARS = (
    "\xa0-\ud7ff\uf900-\ufdcf\ufdf0-\uffef\U00010000-\U0001fffd\U00020000-\U0002fffd"
    "\U00030000-\U0003fffd\U00040000-\U0004fffd\U00050000-\U0005fffd\U00060000-\U0006fffd"
    "\U00070000-\U0007fffd\U00080000-\U0008fffd\U00090000-\U0009fffd\U000a0000-\U000afffd"
    "\U000b0000-\U000bfffd\U000c0000-\U000cfffd\U000d0000-\U000dfffd\U000e1000-\U000efffd"
    "\ue000-\uf8ff\U000f0000-\U000ffffd\U00100000-\U0010fffd"
)


@functools.cache
def _mastodon_url() -> re.Pattern[str]:
    return re.compile(
        url_grammar(
            f"[^{_WHITE_SPACE}<>()?]",
            f"[^{_WHITE_SPACE}()?!*\"'\u300c\u300d<>;:=,.$%\\[\\]~&|@]",
            f"[a-z0-9!?*'();:&=+$/%#\\[\\]\\-_.,~|@^{_MASTODON_UCHARS}]",
            f"[a-z0-9_&=#/\\-{_MASTODON_UCHARS}]",
        ),
        re.IGNORECASE,
    )


def _mastodon_url_spans(text: str) -> list[tuple[int, int, bool]]:
    # (start, end, host is ASCII) of the URLs with a scheme Mastodon's grammar finds.
    if ":" not in text or "." not in text:
        return []
    return [
        (match.start(2), match.end(2), match.group(4).isascii())
        for match in url_matches(_mastodon_url(), text)
        if match.group(3)
    ]


def mastodon_length(text: str) -> int:
    """Length of ``text`` as Mastodon counts it against its (default 500) limit.

    Mastodon's status length validator counts grapheme clusters after replacing every URL
    that has a scheme with 23 characters and each ``@user@domain`` mention with
    ``@user``. Here such a URL counts 23 when its host is ASCII and otherwise the larger
    of 23 and its own length (Mastodon may not link it); Indic conjuncts count as the
    pre-Unicode-15.1 rules split them.
    """
    if not text:
        return 0
    pieces: list[str] = []
    position = 0
    for start, end, ascii_host in _mastodon_url_spans(text):
        url = text[start:end]
        pieces.append(text[position:start])
        if ascii_host or conservative_grapheme_count(url) <= _MASTODON_URL_LENGTH:
            pieces.append(_MASTODON_URL_PLACEHOLDER)
        else:
            pieces.append(url)
        position = end
    pieces.append(text[position:])
    countable = "".join(pieces)
    # A remote mention holds two "@"; counting them is far quicker than the pattern.
    if countable.count("@") >= 2:
        countable = _MASTODON_REMOTE_MENTION.sub(r"\1", countable)
    return conservative_grapheme_count(countable)
