"""Small pieces of English the templates need: times, dates, lists, sentences.

Every function here is deterministic and independent of the process's locale,
so the same incident gives byte-identical drafts on every machine. Dates and
lists are formatted here and nowhere else, so that another language's rules
can take their place in one module.

Nothing here changes the case of a letter the record wrote: "iPhone", "acme"
and "eBay" stay as written wherever they stand.
"""

from __future__ import annotations

import datetime as dt
import re
import zoneinfo
from collections.abc import Iterable

__all__ = [
    "DAY_AFTER",
    "bare",
    "clock",
    "day",
    "join_words",
    "lower_first",
    "past_tense",
    "period",
    "sentence",
    "time_near",
    "upper_first",
    "when",
]

# Punctuation that already ends a sentence (Japanese and Chinese marks included).
_CLOSING = ".!?:;…)\"'\u201d\u2019\u00bb\u3002\uff01\uff1f\uff1a\uff1b\u300d\u300f\uff09"
# Punctuation an item or a title may end with that a join or a seam would double.
_TRAILING = ".,;:\u2026 \t\n"
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

#: How far from the draft's own time a time may be and still go without its day.
DAY_AFTER = dt.timedelta(hours=18)

_Zone = str | zoneinfo.ZoneInfo


def _local(moment: dt.datetime, zone: _Zone) -> dt.datetime:
    tz = zone if isinstance(zone, zoneinfo.ZoneInfo) else zoneinfo.ZoneInfo(zone)
    return moment.astimezone(tz)


def _abbreviation(local: dt.datetime) -> str:
    name = local.tzname() or ""
    # zoneinfo gives numeric names ("+0530", "-03") where the zone has no letters.
    return f"UTC{name}" if name.startswith(("+", "-")) else name


def _zoneinfo(zone: _Zone) -> zoneinfo.ZoneInfo:
    return zone if isinstance(zone, zoneinfo.ZoneInfo) else zoneinfo.ZoneInfo(zone)


def clock(
    moment: dt.datetime, zone: _Zone, style: str | None = "12h", *, locale: str = "en"
) -> str:
    """``3:00 pm PDT`` (``style="12h"``) or ``15:00 PDT`` (``"24h"``): the time as
    the audience reads it, with the zone's abbreviation. In another ``locale``
    the time is written that language's way (:func:`crisiscomms.i18n.clock`);
    ``style=None`` is the language's own clock (12-hour in English)."""
    if locale != "en":
        from crisiscomms import i18n

        return i18n.clock(moment, _zoneinfo(zone), locale, style)
    local = _local(moment, zone)
    if style == "24h":
        text = f"{local.hour:02d}:{local.minute:02d}"
    else:
        hour = local.hour % 12 or 12
        half = "am" if local.hour < 12 else "pm"
        text = f"{hour}:{local.minute:02d} {half}"
    return f"{text} {_abbreviation(local)}".rstrip()


def day(moment: dt.datetime, zone: _Zone, *, year: bool = False, locale: str = "en") -> str:
    """``Saturday, October 26`` (``Saturday, October 26, 2013`` with ``year``): the
    date in the audience's timezone, in ``locale``'s words."""
    if locale != "en":
        from crisiscomms import i18n

        return i18n.day(moment, _zoneinfo(zone), locale, year=year)
    local = _local(moment, zone)
    text = f"{_DAYS[local.weekday()]}, {_MONTHS[local.month - 1]} {local.day}"
    return f"{text}, {local.year}" if year else text


def when(
    moment: dt.datetime,
    zone: _Zone,
    style: str | None = "12h",
    *,
    since: dt.datetime | None = None,
    locale: str = "en",
) -> str:
    """``3:00 pm PDT on Saturday, October 26``; the year is added when ``since`` (the
    draft's own time) falls in another year."""
    if locale != "en":
        from crisiscomms import i18n

        return i18n.when(moment, _zoneinfo(zone), locale, style, since=since)
    year = since is not None and _local(since, zone).year != _local(moment, zone).year
    return f"{clock(moment, zone, style)} on {day(moment, zone, year=year)}"


def time_near(
    moment: dt.datetime,
    zone: _Zone,
    style: str | None = "12h",
    *,
    since: dt.datetime | None,
    locale: str = "en",
) -> str:
    """The time alone when it falls on the same calendar day as ``since`` (the draft's
    own time) and within :data:`DAY_AFTER` of it; otherwise with its day and date, as
    :func:`when` writes it. Without ``since`` the day is always given."""
    if since is not None:
        same_day = _local(moment, zone).date() == _local(since, zone).date()
        if same_day and abs(moment - since) <= DAY_AFTER:
            return clock(moment, zone, style, locale=locale)
    return when(moment, zone, style, since=since, locale=locale)


def _item(text: str) -> str:
    return text.strip().rstrip(_TRAILING).strip()


def join_words(items: Iterable[str], *, conjunction: str = "and") -> str:
    """``a``, ``a and b``, ``a, b, and c`` (the serial comma); ``a; b; and c`` when an
    item holds a comma of its own. Each item loses a trailing full stop or comma,
    so the list never doubles or strands punctuation."""
    words = [_item(item) for item in items]
    words = [word for word in words if word]
    if len(words) <= 1:
        return "".join(words)
    with_commas = any("," in word for word in words)
    if len(words) == 2:
        # "a, which ..., and b": the comma closes the item's own clause.
        return f"{words[0]}{',' if with_commas else ''} {conjunction} {words[1]}"
    mark = ";" if with_commas else ","
    return f"{f'{mark} '.join(words[:-1])}{mark} {conjunction} {words[-1]}"


def bare(text: str) -> str:
    """The text without a closing full stop, comma, colon or ellipsis, for a title
    or a list item that something else will follow ("?" and "!" stay)."""
    return _item(text)


# Languages whose sentences close with the ideographic full stop.
_IDEOGRAPHIC = ("ja", "zh")


def period(text: str, *, locale: str = "en") -> str:
    """The text with a closing full stop where it has no closing punctuation
    (``。`` in Japanese and Chinese); a trailing comma, semicolon or colon gives
    way to it."""
    stripped = text.strip()
    # A comma, semicolon or colon cannot close a sentence: the full stop takes its place.
    bare = stripped.rstrip(",;:\u3001\uff0c\uff1b\uff1a").rstrip()
    if bare != stripped and bare:
        stripped = bare
    if stripped and stripped[-1] not in _CLOSING:
        stripped += "\u3002" if locale.split("-")[0] in _IDEOGRAPHIC else "."
    return stripped


def sentence(text: str) -> str:
    """The text as a sentence: stripped, with a closing full stop where it has no
    closing punctuation. The case of every letter is left as written (a sentence
    may start with "iPhone", "acme" or a link)."""
    return period(text)


def upper_first(text: str) -> str:
    """The text with its first letter capitalised when it starts with a plain
    lower-case word; a link, a word with capitals inside ("iPhone", "eBay") and
    anything else are left as written."""
    stripped = text.strip()
    first = stripped.split(maxsplit=1)[0] if stripped else ""
    if not first.isalpha() or not first.islower() or "://" in stripped[:12]:
        return stripped
    return stripped[:1].upper() + stripped[1:]


# Words that may lose their capital inside a sentence: they are never names.
_COMMON = frozenset(
    [
        "a",
        "an",
        "the",
        "this",
        "that",
        "these",
        "those",
        "we",
        "our",
        "us",
        "it",
        "its",
        "they",
        "their",
        "there",
        "here",
        "some",
        "most",
        "many",
        "all",
        "every",
        "each",
        "no",
        "one",
        "your",
        "you",
        "he",
        "she",
        "his",
        "her",
    ]
)


def lower_first(text: str) -> str:
    """The text with its first letter lowered only when its first word is a common
    word that is never a name ("The", "Our", "Some"); a name, a product, an acronym
    or anything else keeps the case the record wrote."""
    stripped = text.strip()
    first = stripped.split(maxsplit=1)[0] if stripped else ""
    if first.lower() in _COMMON and first[:1].isupper() and first[1:].islower():
        return stripped[:1].lower() + stripped[1:]
    return stripped


# Present-tense forms that are false once an incident is over, and their past.
_PAST = {
    "is": "was",
    "are": "were",
    "isn't": "wasn't",
    "aren't": "weren't",
    "is not": "was not",
    "are not": "were not",
    "can't": "couldn't",
    "cannot": "could not",
    "can not": "could not",
    "won't": "wouldn't",
    "will not": "would not",
    "don't": "didn't",
    "doesn't": "didn't",
    "do not": "did not",
    "does not": "did not",
    "has": "had",
    "have": "had",
    "fail": "failed",
    "fails": "failed",
}
_PRESENT = re.compile(
    r"\b(" + "|".join(sorted(map(re.escape, _PAST), key=len, reverse=True)) + r")\b",
    re.IGNORECASE,
)


def past_tense(text: str) -> str:
    """A present-tense headline put in the past ("Card payments are down" becomes
    "Card payments were down"), for drafts made once the incident is over. Only
    the verbs "be", "have", "can", "will", "do" and "fail" change; every other
    word, and the case of every letter, stays as written."""

    def swap(match: re.Match[str]) -> str:
        word = match.group(0)
        past = _PAST[word.lower()]
        return past[:1].upper() + past[1:] if word[:1].isupper() else past

    return _PRESENT.sub(swap, text)
