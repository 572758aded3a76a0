"""How SMS counts: GSM-7 septets or UCS-2 units, and the segments a message is sent in.

Follows 3GPP TS 23.038 (the GSM 03.38 alphabet and its extension table) and the
concatenation header of 3GPP TS 23.040. Segments are filled with whole grapheme clusters,
as gateways split them, so a cluster (an emoji ZWJ sequence, an Indic conjunct, a letter
with its accents) never straddles two segments and the count is never below a gateway's.
"""

from __future__ import annotations

import itertools
import re
from typing import Final, Literal

from crisiscomms.counting.units import GRAPHEME, utf16_length

__all__ = [
    "SMS_GSM7_MULTI_SEGMENT",
    "SMS_GSM7_SINGLE_SEGMENT",
    "SMS_UCS2_MULTI_SEGMENT",
    "SMS_UCS2_SINGLE_SEGMENT",
    "sms_encoding",
    "sms_segments",
    "sms_split",
    "sms_units",
    "to_gsm7",
]

SMS_GSM7_SINGLE_SEGMENT: Final = 160
"""Septets in a GSM-7 message that is sent as one segment."""
SMS_GSM7_MULTI_SEGMENT: Final = 153
"""Septets per segment of a concatenated GSM-7 message (7 go to the UDH)."""
SMS_UCS2_SINGLE_SEGMENT: Final = 70
"""UTF-16 code units in a UCS-2 message that is sent as one segment."""
SMS_UCS2_MULTI_SEGMENT: Final = 67
"""UTF-16 code units per segment of a concatenated UCS-2 message."""

# The GSM 7-bit default alphabet in code order, without 0x1B (the escape to the
# extension table, which is not a character of its own).
_GSM7_BASIC: Final = (
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ"
    " !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§"
    "¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
# The extension table: each costs two septets (escape + character).
_GSM7_EXTENSION: Final = "\f^{}\\[~]|€"
_GSM7_ONLY = re.compile(f"[{re.escape(_GSM7_BASIC + _GSM7_EXTENSION)}]*")
_GSM7_EXTENSION_CHAR = re.compile(f"[{re.escape(_GSM7_EXTENSION)}]")
_GSM7_EQUIVALENTS = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u201a": "'",
        "\u201b": "'",
        "\u2032": "'",
        "\u00b4": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
        "\u201f": '"',
        "\u2033": '"',
        "\u00ab": '"',
        "\u00bb": '"',
        "\u2010": "-",
        "\u2011": "-",
        "\u2012": "-",
        "\u2013": "-",
        "\u2014": "-",
        "\u2015": "-",
        "\u2212": "-",
        "\u2026": "...",
        "\u00a0": " ",
        "\u2000": " ",
        "\u2001": " ",
        "\u2002": " ",
        "\u2003": " ",
        "\u2004": " ",
        "\u2005": " ",
        "\u2006": " ",
        "\u2007": " ",
        "\u2008": " ",
        "\u2009": " ",
        "\u200a": " ",
        "\u202f": " ",
        "\u205f": " ",
        "\u3000": " ",
        "\t": " ",
        "\u2022": "-",
        "\u00b7": ".",
    }
)


def sms_encoding(text: str) -> Literal["gsm7", "ucs2"]:
    """``"gsm7"`` if every character of ``text`` is in the GSM 03.38 default alphabet or
    its extension table, else ``"ucs2"`` (sent as UTF-16)."""
    return "gsm7" if _GSM7_ONLY.fullmatch(text) else "ucs2"


def sms_units(text: str) -> int:
    """Size of ``text`` in its SMS encoding: septets for GSM-7 (extension characters
    such as ``€`` or ``[`` cost 2), UTF-16 code units for UCS-2."""
    return _sms_units(text, sms_encoding(text) == "gsm7")


def _sms_units(text: str, gsm: bool) -> int:
    if gsm:
        return len(text) + len(_GSM7_EXTENSION_CHAR.findall(text))
    return utf16_length(text)


def _sms_budgets(text: str) -> tuple[bool, int, int]:
    if sms_encoding(text) == "gsm7":
        return True, SMS_GSM7_SINGLE_SEGMENT, SMS_GSM7_MULTI_SEGMENT
    return False, SMS_UCS2_SINGLE_SEGMENT, SMS_UCS2_MULTI_SEGMENT


_ASCII_CLUSTER = re.compile(r"\r\n|[\s\S]")


def _char_cost(char: str, gsm: bool) -> int:
    # An extension character is an escape plus the character; beyond the BMP, a surrogate
    # pair. Either way two units that must stay in one segment.
    if gsm:
        return 2 if char in _GSM7_EXTENSION else 1
    return 2 if ord(char) > 0xFFFF else 1


def _clusters(text: str) -> list[str]:
    if text.isascii():
        # "\r\n" is the only cluster of more than one ASCII character.
        if "\r\n" not in text:
            return list(text)
        clusters: list[str] = _ASCII_CLUSTER.findall(text)
    else:
        clusters = GRAPHEME.findall(text)
    return clusters


def _sms_cut_points(text: str) -> list[int]:
    gsm, single, per_segment = _sms_budgets(text)
    if _sms_units(text, gsm) <= single:
        return []
    cuts: list[int] = []
    used = 0
    position = 0
    for cluster in _clusters(text):
        cost = _sms_units(cluster, gsm)
        if used + cost > per_segment and used:
            # The whole cluster moves to the next segment, as gateways move it.
            cuts.append(position)
            used = 0
        if cost <= per_segment:
            used += cost
            position += len(cluster)
            continue
        # A cluster longer than a whole segment (a long run of combining marks) cannot
        # stay whole anywhere: it is cut between characters, never inside an escape or
        # surrogate pair.
        for char in cluster:
            char_cost = _char_cost(char, gsm)
            if used + char_cost > per_segment:
                cuts.append(position)
                used = 0
            used += char_cost
            position += 1
    return cuts


def sms_segments(text: str) -> int:
    """Number of SMS segments needed to send ``text``.

    One segment holds 160 GSM-7 septets or 70 UCS-2 units; longer texts are sent as
    concatenated segments of 153 septets or 67 units, split as :func:`sms_split` splits:
    whole grapheme clusters per segment, so the count is never below a gateway's.
    Empty text counts as 1 (an empty message is still one message).
    """
    return len(_sms_cut_points(text)) + 1


def sms_split(text: str) -> list[str]:
    """Split ``text`` into the segments of a concatenated SMS.

    Segments are filled greedily with whole grapheme clusters, at most 153 septets
    (GSM-7) or 67 units (UCS-2) each, or one segment of up to 160/70 when the whole text
    fits. No grapheme cluster (an emoji ZWJ sequence, a flag, an Indic conjunct, a letter
    with its accents, ``"\\r\\n"``) is split across segments, and so neither is an
    extension character's escape pair or a surrogate pair. Only a cluster longer than a
    whole segment is cut, between characters. Words may be split. Empty text gives
    ``[""]``.
    """
    cuts = _sms_cut_points(text)
    bounds = [0, *cuts, len(text)]
    return [text[a:b] for a, b in itertools.pairwise(bounds)]


def to_gsm7(text: str) -> str:
    """Replace typographic characters with their GSM-7 equivalents.

    Curly quotes become straight ones, dashes and bullets ``-``, the ellipsis ``...``,
    non-breaking and other special spaces (and tab) a space. Everything else is left as
    it is, so the result may still need UCS-2; check with :func:`sms_encoding`.
    """
    if text.isascii() and "\t" not in text:
        return text
    return text.translate(_GSM7_EQUIVALENTS)
