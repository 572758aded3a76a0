"""How Threads is counted: conservatively, since Meta does not publish the rule."""

from __future__ import annotations

from typing import Final

import regex  # type: ignore[import-untyped, unused-ignore]  # no stubs in the typecheck group

from crisiscomms.counting.units import GRAPHEME, utf8_length, utf16_length

__all__ = ["THREADS_MAX_LENGTH", "threads_length"]

THREADS_MAX_LENGTH: Final = 500
"""Character limit of a Threads post."""

_THREADS_WIDE = regex.compile(r"[\U00010000-\U0010ffff\p{Emoji_Presentation}\ufe0f]")


def threads_length(text: str) -> int:
    """A conservative length of ``text`` for Threads' 500-character limit.

    Meta does not publish how Threads counts. This counts UTF-16 code units, except that
    a grapheme cluster holding an emoji-presentation character, VS16 or a character
    beyond the BMP counts its UTF-8 bytes when those are more. The result is never below
    the grapheme count nor the UTF-16 length.
    """
    if text.isascii():
        return len(text)
    total = utf16_length(text)
    if not _THREADS_WIDE.search(text):
        return total
    for cluster in GRAPHEME.findall(text):
        if _THREADS_WIDE.search(cluster):
            total += max(0, utf8_length(cluster) - utf16_length(cluster))
    return total
