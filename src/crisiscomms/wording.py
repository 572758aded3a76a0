"""Small pieces of English the templates need: times, lists, sentences.

Every function here is deterministic and independent of the process's locale,
so the same incident gives byte-identical drafts on every machine.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections.abc import Iterable

__all__ = ["clock", "day", "join_words", "lower_first", "period", "sentence", "upper_first", "when"]

_CLOSING = ".!?:;…)\"'\u201d\u2019"  # punctuation that already ends a sentence
_DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


def _local(moment: dt.datetime, zone: str | zoneinfo.ZoneInfo) -> dt.datetime:
    tz = zone if isinstance(zone, zoneinfo.ZoneInfo) else zoneinfo.ZoneInfo(zone)
    return moment.astimezone(tz)


def _abbreviation(local: dt.datetime) -> str:
    name = local.tzname() or ""
    # zoneinfo gives numeric names ("+0530", "-03") where the zone has no letters.
    return f"UTC{name}" if name.startswith(("+", "-")) else name


def clock(moment: dt.datetime, zone: str | zoneinfo.ZoneInfo) -> str:
    """``3:00 pm PDT``: the time as the audience reads it, with the zone's abbreviation."""
    local = _local(moment, zone)
    hour = local.hour % 12 or 12
    half = "am" if local.hour < 12 else "pm"
    return f"{hour}:{local.minute:02d} {half} {_abbreviation(local)}".rstrip()


def day(moment: dt.datetime, zone: str | zoneinfo.ZoneInfo) -> str:
    """``Saturday, October 26``: the date in the audience's timezone."""
    local = _local(moment, zone)
    return f"{_DAYS[local.weekday()]}, {_MONTHS[local.month - 1]} {local.day}"


def when(moment: dt.datetime, zone: str | zoneinfo.ZoneInfo) -> str:
    """``3:00 pm PDT on Saturday, October 26``."""
    return f"{clock(moment, zone)} on {day(moment, zone)}"


def join_words(items: Iterable[str], *, conjunction: str = "and") -> str:
    """``a``, ``a and b``, ``a, b and c``."""
    words = [item.strip() for item in items if item.strip()]
    if len(words) <= 1:
        return "".join(words)
    return f"{', '.join(words[:-1])} {conjunction} {words[-1]}"


def sentence(text: str) -> str:
    """The text with a capital first letter and a closing full stop where it has none."""
    return period(upper_first(text))


def period(text: str) -> str:
    """The text with a closing full stop where it has no closing punctuation."""
    stripped = text.strip()
    if stripped and stripped[-1] not in _CLOSING:
        stripped += "."
    return stripped


def upper_first(text: str) -> str:
    """The text with its first letter capitalised and nothing else changed."""
    stripped = text.strip()
    return stripped[:1].upper() + stripped[1:]


def lower_first(text: str) -> str:
    """The text with its first letter lowered, unless it starts an acronym (``API``)."""
    stripped = text.strip()
    if len(stripped) > 1 and stripped[1].isupper():
        return stripped
    return stripped[:1].lower() + stripped[1:]
