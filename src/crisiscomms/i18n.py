"""Languages: locale tags, the message catalogues, and the locale's dates, clocks and lists.

A locale is a BCP 47 tag (``de``, ``pt-BR``, ``ja``). The fixed words of
the templates go through gettext: each shipped language has a catalogue in
``crisiscomms/locales/<language>/LC_MESSAGES/crisiscomms.po``, compiled to a
``.mo`` file when the wheel is built (a source checkout reads the ``.po``).
English is the templates' own language and needs no catalogue.

A tag with a region falls back to its language's catalogue (``de-AT`` and
``de-CH`` read German, ``es-MX`` Spanish). Portuguese is shipped as spoken in
Brazil: ``pt`` and ``pt-BR`` read it; ``pt-PT`` is refused rather than
answered in Brazilian phrasing.

    >>> from crisiscomms import i18n
    >>> i18n.catalogue_tag("de-AT")
    'de'
    >>> i18n.gettext("de", "Investigating")
    'Wir untersuchen'
"""

from __future__ import annotations

import datetime as dt
import functools
import re
import zoneinfo
from collections.abc import Iterable
from typing import TYPE_CHECKING

from crisiscomms.errors import ValidationError, excerpt

if TYPE_CHECKING:
    import gettext as _gettext

    from babel import Locale

__all__ = [
    "DEFAULT",
    "N_",
    "SHIPPED",
    "catalogue_tag",
    "clock",
    "day",
    "direction",
    "gettext",
    "join_words",
    "normalize",
    "when",
]

#: The templates' own language.
DEFAULT = "en"

#: The languages with a catalogue, voices and tone rules.
SHIPPED = ("en", "de", "fr", "es", "pt-BR", "ja")

# Tags that would read a shipped catalogue written for another variety.
_REFUSED = {"pt-PT": "pt-BR is shipped; Portugal's Portuguese needs a catalogue of its own"}
_ALIASES = {"pt": "pt-BR"}

_TAG = re.compile(r"^[A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{2,8})*$")


def N_(message: str) -> str:
    """Mark ``message`` for the catalogue without translating it here."""
    return message


@functools.lru_cache(maxsize=64)
def _locale(tag: str) -> Locale:
    from babel import Locale

    return Locale.parse(tag.replace("-", "_"))


def normalize(tag: object, *, field: str = "locale") -> str:
    """``tag`` as a canonical BCP 47 tag (``pt_br`` becomes ``pt-BR``).

    Raises:
        ValidationError: naming ``field``, when ``tag`` is no locale Babel knows.
    """
    if tag in SHIPPED:  # the common case, without loading locale data
        return str(tag)
    if not isinstance(tag, str) or not _TAG.match(tag.strip()):
        raise ValidationError(
            f"must be a language tag such as 'de' or 'pt-BR', not {excerpt(tag)}", field=field
        )
    from babel import UnknownLocaleError

    try:
        known = _locale(tag.strip())
    except (UnknownLocaleError, ValueError):
        raise ValidationError(
            f"unknown language tag {excerpt(tag)} (shipped: {', '.join(SHIPPED)})", field=field
        ) from None
    parts = [known.language]
    if known.script:
        parts.append(known.script)
    if known.territory:
        parts.append(known.territory)
    return "-".join(parts)


def catalogue_tag(tag: str, *, field: str = "locale") -> str:
    """The shipped language that ``tag`` reads (``de-AT`` reads ``de``).

    Raises:
        ValidationError: naming ``field``, when no shipped language fits.
    """
    canonical = normalize(tag, field=field)
    if canonical in _REFUSED:
        raise ValidationError(f"{canonical} is not shipped: {_REFUSED[canonical]}", field=field)
    if canonical in SHIPPED:
        return canonical
    language = canonical.split("-")[0]
    language = _ALIASES.get(language, language)
    if language in SHIPPED:
        return language
    raise ValidationError(
        f"no catalogue for {canonical} (shipped: {', '.join(SHIPPED)}); "
        "see the docs on adding a language",
        field=field,
    )


def _folder(tag: str) -> str:
    return tag.replace("-", "_")


@functools.lru_cache(maxsize=16)
def _translations(tag: str) -> _gettext.NullTranslations:
    # Imported on first use: ``import crisiscomms`` stays quick.
    import gettext as _gettext
    import io
    from importlib import resources

    if tag == DEFAULT:
        return _gettext.NullTranslations()
    folder = (
        resources.files("crisiscomms")
        .joinpath("locales")
        .joinpath(_folder(tag))
        .joinpath("LC_MESSAGES")
    )
    compiled = folder.joinpath("crisiscomms.mo")
    if compiled.is_file():
        with compiled.open("rb") as file:
            return _gettext.GNUTranslations(file)
    # A source checkout: compile the catalogue in memory.
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    with folder.joinpath("crisiscomms.po").open("rb") as file:
        catalogue = read_po(file, locale=_folder(tag))
    buffer = io.BytesIO()
    write_mo(buffer, catalogue)
    buffer.seek(0)
    return _gettext.GNUTranslations(buffer)


def gettext(tag: str, message: str) -> str:
    """``message`` in the shipped language ``tag`` (English as written)."""
    return _translations(tag).gettext(message)


def ngettext(tag: str, singular: str, plural: str, count: int) -> str:
    """The singular or plural ``message`` for ``count``, in ``tag``."""
    return _translations(tag).ngettext(singular, plural, count)


def pgettext(tag: str, context: str, message: str) -> str:
    """``message`` in ``tag``, where ``context`` tells two uses of one English text apart."""
    return _translations(tag).pgettext(context, message)


def npgettext(tag: str, context: str, singular: str, plural: str, count: int) -> str:
    """:func:`ngettext` with a ``context``."""
    return _translations(tag).npgettext(context, singular, plural, count)


# Languages that capitalise every noun: a label keeps its capitals inside a sentence.
_NOUNS_CAPITALISED = frozenset({"de"})


def in_sentence(label: str, tag: str) -> str:
    """A label (a stage, a status) as it is written inside a sentence: lower-cased,
    except in a language that capitalises its nouns."""
    if tag.split("-")[0] in _NOUNS_CAPITALISED:
        return label
    return label.lower()


def direction(tag: str) -> str:
    """``rtl`` for a language written right to left (Arabic, Hebrew, Persian), else ``ltr``."""
    try:
        order = _locale(tag).character_order
    except Exception:  # a tag Babel does not know reads left to right
        return "ltr"
    return "rtl" if order == "right-to-left" else "ltr"


# ---------------------------------------------------------------------------
# Dates, clocks and lists in a locale other than English. English keeps its
# own rules (crisiscomms.wording), which drafts have always followed.


def _zone_name(local: dt.datetime, tag: str) -> str:
    """The zone as the locale abbreviates it (``MESZ``, ``JST``), else as the
    zone database does (``CEST``), else as an offset from UTC (``UTC+5:30``)."""
    from babel import dates

    name = dates.format_datetime(local, "z", tzinfo=local.tzinfo, locale=_folder(tag))
    if name.isalpha():
        return name
    database = local.tzname() or ""
    if database.isalpha():
        return database
    offset = local.utcoffset() or dt.timedelta()
    minutes = int(offset.total_seconds() // 60)
    sign = "+" if minutes >= 0 else "-"
    hours, rest = divmod(abs(minutes), 60)
    return f"UTC{sign}{hours}" + (f":{rest:02d}" if rest else "")


def clock(moment: dt.datetime, zone: zoneinfo.ZoneInfo, tag: str, style: str | None) -> str:
    """The time in ``zone`` as the locale writes it, with the zone's name.

    ``style`` is ``12h`` or ``24h`` when the record asks for one; ``None``
    follows the locale's custom (24-hour in German, French, Japanese ...).
    """
    from babel import dates

    local = moment.astimezone(zone)
    if style == "24h":
        pattern = "HH:mm"
    elif style == "12h":
        pattern = "h:mm a"
    else:
        pattern = _locale(tag).time_formats["short"].pattern
    text = dates.format_time(local, pattern, tzinfo=zone, locale=_folder(tag))
    return f"{text} {_zone_name(local, tag)}"


# The year, with the words and marks that join it to the rest of a date pattern.
_YEAR = re.compile(r"y+年|,?\s*(?:'[^']*'\s*)?y+\.?")


@functools.lru_cache(maxsize=32)
def _date_pattern(tag: str, year: bool) -> str:
    pattern = str(_locale(tag).date_formats["full"].pattern)
    return pattern if year else _YEAR.sub("", pattern).strip(" ,")


def day(moment: dt.datetime, zone: zoneinfo.ZoneInfo, tag: str, *, year: bool = False) -> str:
    """The weekday and date as the locale writes them in full (``Mittwoch, 1. Mai``)."""
    from babel import dates

    local = moment.astimezone(zone)
    return dates.format_date(local.date(), _date_pattern(tag, year), locale=_folder(tag))


def when(
    moment: dt.datetime,
    zone: zoneinfo.ZoneInfo,
    tag: str,
    style: str | None,
    *,
    since: dt.datetime | None = None,
) -> str:
    """The time with its day (``14:30 MESZ am Mittwoch, 1. Mai``); the year when
    ``since`` falls in another year."""
    year = since is not None and since.astimezone(zone).year != moment.astimezone(zone).year
    return gettext(tag, "%(time)s on %(day)s") % {
        "time": clock(moment, zone, tag, style),
        "day": day(moment, zone, tag, year=year),
    }


def number(value: int | float, tag: str) -> str:
    """``value`` with the locale's digit grouping and decimal sign (``4,200.5`` in
    English, ``4.200,5`` in German, ``4 200,5`` in French)."""
    from babel.numbers import format_decimal

    return str(format_decimal(value, locale=_folder(tag)))


def join_words(items: Iterable[str], tag: str, *, alternatives: bool = False) -> str:
    """The items as one list, joined the locale's way (``a, b und c``; with
    ``alternatives``, ``a, b oder c``)."""
    from babel.lists import format_list

    from crisiscomms.wording import bare

    words = [bare(item) for item in items]
    kept = [word for word in words if word]
    if alternatives:
        return format_list(kept, style="or", locale=_folder(tag))
    return format_list(kept, style="standard", locale=_folder(tag))
