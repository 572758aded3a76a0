"""How X counts: twitter-text version 3's weighted length.

The text is NFC-normalised; code points weigh 1 or 2 by range; every URL X links weighs
23 (see :mod:`crisiscomms.counting.urls`); an emoji sequence twitter-text knows weighs 2
in all. The fixed sequences come from ``data/emoji-zwj-sequences.txt``,
``data/emoji-tag-flags.txt`` and ``data/flag-regions.txt``; the emoji expression is built
on first use, not at import.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from typing import Final

from crisiscomms.counting import _data
from crisiscomms.counting.urls import url_entities

__all__ = ["X_MAX_WEIGHTED_LENGTH", "X_URL_LENGTH", "x_weighted_length"]

X_MAX_WEIGHTED_LENGTH: Final = 280
"""Largest :func:`x_weighted_length` X accepts."""
X_URL_LENGTH: Final = 23
"""Weight of every linked URL on X (twitter-text's ``transformedURLLength``)."""

# Weight 1 in twitter-text v3: code points 0-4351, 8192-8205, 8208-8223 and 8242-8247;
# everything else weighs 2. U+00A9 and U+00AE are also counted 2 here because newer
# emoji lists (which X may use) treat them as emoji.
_HEAVY = re.compile("[^\x00-\xa8\xaa-\xad\xaf-\u10ff\u2000-\u200d\u2010-\u201f\u2032-\u2037]")


def _cp_class(spec: str) -> str:
    """Regular-expression class body for space-separated hex code points and ranges."""
    parts = []
    for item in spec.split():
        first, _, last = item.partition("-")
        parts.append(re.escape(chr(int(first, 16))))
        if last:
            parts.append("-" + re.escape(chr(int(last, 16))))
    return "".join(parts)


# Emoji sequences that twitter-text's emoji list (the Unicode 10 era list the conformance
# suite was written against) counts as one emoji of weight 2. Only sequences matter: a
# lone emoji code point already weighs 2. Newer emoji lists only add sequences, so
# collapsing just these never counts below X; an unknown sequence is counted per code
# point, which is never lower either.
_SKIN = _cp_class("1F3FB-1F3FF")
_ZWJ = "\u200d"
_VS16 = "\ufe0f"
_GENDER = f"{_ZWJ}[\u2640\u2642]{_VS16}"
_PROFESSION_PEOPLE = _cp_class("1F468 1F469")
_PROFESSION_TEXT_OBJECTS = _cp_class("2695 2696 2708")
_PROFESSION_OBJECTS = _cp_class(
    "1F33E 1F373 1F393 1F3A4 1F3A8 1F3EB 1F3ED 1F4BB 1F4BC 1F527 1F52C 1F680 1F692"
)
# Gendered activities whose base is text-default: a skin tone or VS16 must follow it.
_GENDERED_TEXT_BASES = _cp_class("1F3CB 1F3CC 1F574 1F575 26F9")
_GENDERED_BASES = _cp_class(
    "1F3C3 1F3C4 1F3CA 1F46E 1F471 1F473 1F477 1F481 1F482 1F486 1F487 1F645-1F647 1F64B "
    "1F64D 1F64E 1F6A3 1F6B4-1F6B6 1F926 1F935 1F937-1F939 1F93D 1F93E 1F9D6-1F9DD"
)
# Text-default emoji: followed by VS16 the pair is one emoji.
_TEXT_DEFAULT = _cp_class(
    "203C 2049 2139 2194-2199 21A9 21AA 231A 231B 2328 23CF 23ED-23EF 23F1 23F2 23F8-23FA "
    "24C2 25AA 25AB 25B6 25C0 25FB-25FE 2600-2604 260E 2611 2614 2615 2618 2620 2622 2623 "
    "2626 262A 262E 262F 2638-263A 2640 2642 2648-2653 2660 2663 2665 2666 2668 267B 267F "
    "2692-2697 2699 269B 269C 26A0 26A1 26AA 26AB 26B0 26B1 26BD 26BE 26C4 26C5 26C8 26CF "
    "26D1 26D3 26D4 26E9 26EA 26F0-26F5 26F8 26FA 26FD 2702 2708 2709 270F 2712 2714 2716 "
    "271D 2721 2733 2734 2744 2747 2757 2763 2764 27A1 2934 2935 2B05-2B07 2B1B 2B1C 2B50 "
    "2B55 3030 303D 3297 3299 1F004 1F170 1F171 1F17E 1F17F 1F202 1F21A 1F22F 1F237 1F321 "
    "1F324-1F32C 1F336 1F37D 1F396 1F397 1F399-1F39B 1F39E 1F39F 1F3CD 1F3CE 1F3D4-1F3DF "
    "1F3F3 1F3F5 1F3F7 1F43F 1F441 1F4FD 1F549 1F54A 1F56F 1F570 1F573 1F576-1F579 1F587 "
    "1F58A-1F58D 1F5A5 1F5A8 1F5B1 1F5B2 1F5BC 1F5C2-1F5C4 1F5D1-1F5D3 1F5DC-1F5DE 1F5E1 "
    "1F5E3 1F5E8 1F5EF 1F5F3 1F5FA 1F6CB 1F6CD-1F6CF 1F6E0-1F6E5 1F6E9 1F6F0 1F6F3"
)
# Skin-tone bases: text-default ones (may take VS16 first), then emoji-default ones.
_TEXT_MODIFIER_BASES = _cp_class("261D 26F7 26F9 270C 270D 1F3CB 1F3CC 1F574 1F575 1F590")
_MODIFIER_BASES = _cp_class(
    "270A 270B 1F385 1F3C2-1F3C4 1F3C7 1F3CA 1F442 1F443 1F446-1F450 1F466-1F469 1F46E "
    "1F470-1F478 1F47C 1F481-1F483 1F485-1F487 1F4AA 1F57A 1F595 1F596 1F645-1F647 "
    "1F64B-1F64F 1F6A3 1F6B4-1F6B6 1F6C0 1F6CC 1F918-1F91C 1F91E 1F91F 1F926 1F930-1F939 "
    "1F93D 1F93E 1F9D1-1F9DD"
)


def _regional_indicator(letter: str) -> str:
    return chr(0x1F1E6 + ord(letter) - ord("A"))


@functools.cache
def _emoji_sequence() -> re.Pattern[str]:
    # The alternatives keep the order of twitter-text's emoji expression: where two could
    # match at one position the earlier one wins, and that decides what is counted.
    fixed = sorted(_data.code_points("emoji-zwj-sequences.txt"), key=len, reverse=True)
    flags: dict[str, list[str]] = {}
    for region in _data.entries("flag-regions.txt"):
        flags.setdefault(region[0], []).append(_regional_indicator(region[1]))
    alternatives = [
        f"[{_PROFESSION_PEOPLE}][{_SKIN}]?{_ZWJ}"
        f"(?:[{_PROFESSION_TEXT_OBJECTS}]{_VS16}|[{_PROFESSION_OBJECTS}])",
        f"[{_GENDERED_TEXT_BASES}](?:[{_SKIN}]|{_VS16}){_GENDER}",
        f"[{_GENDERED_BASES}][{_SKIN}]?{_GENDER}",
        *fixed,
        f"[#*0-9]{_VS16}?\u20e3",
        f"[{_TEXT_DEFAULT}]{_VS16}",
        f"[{_TEXT_MODIFIER_BASES}](?:{_VS16}[{_SKIN}]?|[{_SKIN}])",
        f"[{_MODIFIER_BASES}][{_SKIN}]",
        *_data.code_points("emoji-tag-flags.txt"),
        *(
            f"{_regional_indicator(first)}[{''.join(seconds)}]"
            for first, seconds in sorted(flags.items())
        ),
    ]
    return re.compile("|".join(alternatives))


# Every sequence above holds at least one of these; text without them needs no emoji pass.
_EMOJI_SEQUENCE_HINT_CHARS = f"{_ZWJ}{_VS16}\u20e3{_SKIN}\U0001f1e6-\U0001f1ff\U000e0020-\U000e007f"
_EMOJI_SEQUENCE_HINT = re.compile(f"[{_EMOJI_SEQUENCE_HINT_CHARS}]")


@functools.cache
def _emoji_sequence_chars() -> frozenset[str]:
    # Every character any of those sequences can hold. A sequence lies inside one run of
    # these, and scanning such a run from its start finds what scanning the whole text
    # would, so only the runs around hint characters are scanned.
    fixed = "".join(
        (*_data.code_points("emoji-zwj-sequences.txt"), *_data.code_points("emoji-tag-flags.txt"))
    )
    sequence_class = re.compile(
        f"[#*0-9\u2640\u2642{_EMOJI_SEQUENCE_HINT_CHARS}{_PROFESSION_PEOPLE}"
        f"{_PROFESSION_TEXT_OBJECTS}{_PROFESSION_OBJECTS}{_GENDERED_TEXT_BASES}"
        f"{_GENDERED_BASES}{_TEXT_DEFAULT}{_TEXT_MODIFIER_BASES}{_MODIFIER_BASES}"
        f"{re.escape(fixed)}]"
    )
    return frozenset(
        char
        for block in (
            range(0x80),
            range(0x2000, 0x3300),
            range(0xFE0F, 0xFE10),
            range(0x1F000, 0x1FB00),
            range(0xE0020, 0xE0080),
        )
        for char in map(chr, block)
        if sequence_class.fullmatch(char)
    )


def _plain_weight(text: str) -> int:
    if text.isascii():
        return len(text)
    return len(text) + len(_HEAVY.findall(text))


def _segment_weight(text: str) -> int:
    weight = _plain_weight(text)
    if weight == len(text):
        return weight
    hint = _EMOJI_SEQUENCE_HINT.search(text)
    if hint is None:
        return weight
    chars, sequences = _emoji_sequence_chars(), _emoji_sequence()
    while hint:
        start, end = hint.span()
        while start and text[start - 1] in chars:
            start -= 1
        while end < len(text) and text[end] in chars:
            end += 1
        for emoji in sequences.findall(text, start, end):
            weight -= _plain_weight(emoji) - 2
        hint = _EMOJI_SEQUENCE_HINT.search(text, end)
    return weight


def _skip_utf16(text: str, start: int, end: int, units: int) -> int:
    # Index reached after twitter-text's counter skips ``units`` UTF-16 code units from
    # ``start``; a character it would only half skip is left to be counted (high).
    position = start
    while position < end and units > 0:
        units -= 2 if ord(text[position]) > 0xFFFF else 1
        if units < 0:
            break
        position += 1
    return position


def x_weighted_length(text: str) -> int:
    """Length of ``text`` as X counts it against its 280 limit (twitter-text v3).

    The text is NFC-normalised first. Code points 0-4351, 8192-8205, 8208-8223 and
    8242-8247 weigh 1, all others 2; each URL X links (see :func:`x_url_spans`) weighs 23
    however long it is; an emoji sequence twitter-text recognises (keycap, flag, skin
    tone, ZWJ sequence, emoji with VS16) weighs 2 in all.

    Never lower than X's count: emoji sequences newer than twitter-text's list, ``©`` and
    ``®``, a URL whose host twitter-text's implementations disagree on (counted as the
    larger of 23 and its characters), and ``"\\r\\n"`` (2) are all counted high.
    """
    if not text:
        return 0
    if not text.isascii() and not unicodedata.is_normalized("NFC", text):
        text = unicodedata.normalize("NFC", text)
    entities = url_entities(text)
    if not entities:
        return _segment_weight(text)
    weight = 0
    position = 0
    for start, end, skipped, certain in entities:
        if start < position:
            continue
        weight += _segment_weight(text[position:start])
        if certain:
            stop = start + skipped
            if skipped != end - start:
                stop = _skip_utf16(text, start, end, skipped)
            weight += X_URL_LENGTH + _segment_weight(text[stop:end])
        else:
            weight += max(X_URL_LENGTH, _segment_weight(text[start:end]))
        position = end
    return weight + _segment_weight(text[position:])
