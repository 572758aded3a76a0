"""How Bluesky counts: 300 grapheme clusters and 3000 UTF-8 bytes, both at once.

Both limits come from the ``app.bsky.feed.post`` lexicon (``text``: ``maxGraphemes``
300, ``maxLength`` 3000). One number stands for both so that a post can be fitted
against a single limit.
"""

from __future__ import annotations

from typing import Final

from crisiscomms.counting.units import conservative_grapheme_count, utf8_length

__all__ = ["BLUESKY_MAX_BYTES", "BLUESKY_MAX_GRAPHEMES", "bluesky_length"]

BLUESKY_MAX_GRAPHEMES: Final = 300
"""Grapheme limit of a Bluesky post (``app.bsky.feed.post`` lexicon, ``maxGraphemes``)."""
BLUESKY_MAX_BYTES: Final = 3000
"""UTF-8 byte limit of a Bluesky post (``app.bsky.feed.post`` lexicon, ``maxLength``)."""


def bluesky_length(text: str) -> int:
    """Length of ``text`` to compare with Bluesky's 300 limit.

    A Bluesky post may have at most 300 grapheme clusters and 3000 UTF-8 bytes. This
    returns the larger of the grapheme count (with Indic conjuncts split as older
    Unicode rules do) and the byte count divided by 10, rounded up, so it is above 300
    exactly when either limit would be broken.
    """
    byte_units = -(-utf8_length(text) // (BLUESKY_MAX_BYTES // BLUESKY_MAX_GRAPHEMES))
    return max(conservative_grapheme_count(text), byte_units)
