"""Post lengths measured the way each platform measures them.

Every function here is pure and cheap enough to call on each keystroke. Where a
platform's exact rule is unknown, or differs between its implementations, the count is
deliberately *high*: a post that fits by these numbers fits on the platform. See
``docs/counting.md`` for the rule behind each function and its public source.

One module per platform, each short enough to read in one sitting:

X (formerly Twitter)
    :mod:`~crisiscomms.counting.x`: :func:`x_weighted_length`, twitter-text's version 3
    weighting and its emoji sequences; :mod:`~crisiscomms.counting.urls`:
    :func:`x_url_spans`, its URL grammar and top-level domains.
Mastodon, Threads, Bluesky
    :func:`mastodon_length`, :func:`threads_length`, :func:`bluesky_length`, in
    :mod:`~crisiscomms.counting.mastodon`, :mod:`~crisiscomms.counting.threads` and
    :mod:`~crisiscomms.counting.bluesky`.
SMS
    :mod:`~crisiscomms.counting.sms`: :func:`sms_encoding`, :func:`sms_units`,
    :func:`sms_segments`, :func:`sms_split` and :func:`to_gsm7` follow 3GPP TS 23.038
    (the GSM 03.38 alphabet).
Plain measures
    :mod:`~crisiscomms.counting.units`: :func:`graphemes`, :func:`grapheme_count`,
    :func:`utf8_length`, :func:`utf16_length`.

The tables (top-level domains, emoji sequences, flag regions) are text files in
``data/``, read on first use. Nothing here imports from the rest of the package.
"""

from __future__ import annotations

from crisiscomms.counting.bluesky import BLUESKY_MAX_BYTES, BLUESKY_MAX_GRAPHEMES, bluesky_length
from crisiscomms.counting.mastodon import MASTODON_MAX_LENGTH, mastodon_length
from crisiscomms.counting.sms import (
    SMS_GSM7_MULTI_SEGMENT,
    SMS_GSM7_SINGLE_SEGMENT,
    SMS_UCS2_MULTI_SEGMENT,
    SMS_UCS2_SINGLE_SEGMENT,
    sms_encoding,
    sms_segments,
    sms_split,
    sms_units,
    to_gsm7,
)
from crisiscomms.counting.threads import THREADS_MAX_LENGTH, threads_length
from crisiscomms.counting.units import grapheme_count, graphemes, utf8_length, utf16_length
from crisiscomms.counting.urls import x_url_spans
from crisiscomms.counting.x import X_MAX_WEIGHTED_LENGTH, X_URL_LENGTH, x_weighted_length

__all__ = [
    "BLUESKY_MAX_BYTES",
    "BLUESKY_MAX_GRAPHEMES",
    "MASTODON_MAX_LENGTH",
    "SMS_GSM7_MULTI_SEGMENT",
    "SMS_GSM7_SINGLE_SEGMENT",
    "SMS_UCS2_MULTI_SEGMENT",
    "SMS_UCS2_SINGLE_SEGMENT",
    "THREADS_MAX_LENGTH",
    "X_MAX_WEIGHTED_LENGTH",
    "X_URL_LENGTH",
    "bluesky_length",
    "grapheme_count",
    "graphemes",
    "mastodon_length",
    "sms_encoding",
    "sms_segments",
    "sms_split",
    "sms_units",
    "threads_length",
    "to_gsm7",
    "utf8_length",
    "utf16_length",
    "x_url_spans",
    "x_weighted_length",
]
