"""Validators and converters shared by the attrs records.

Every refusal is a :class:`~crisiscomms.errors.ValidationError` naming the field.
"""

from __future__ import annotations

import datetime as dt
import enum
import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import Any, TypeVar
from urllib.parse import urlsplit

import attrs

from crisiscomms.errors import ValidationError, excerpt

E = TypeVar("E", bound=enum.Enum)

_EMAIL = re.compile(
    r"^[^@\s<>()\[\]\\,;:\"]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9-]+)+$"
)


def to_enum(kind: type[E], value: Any) -> E:
    """The member of ``kind`` that ``value`` is or names (any case); a ValidationError otherwise."""
    if isinstance(value, kind):
        return value
    if isinstance(value, str):
        try:
            return kind(value.strip().lower())
        except ValueError:
            pass
    known = ", ".join(str(member.value) for member in kind)
    raise ValidationError(f"unknown {kind.__name__.lower()} {excerpt(value)} (known: {known})")


def enum_or_value(kind: type[E], value: Any) -> Any:
    """The member ``value`` names, or ``value`` itself for :func:`enum_field` to refuse
    (a converter cannot name the field; a validator can)."""
    try:
        return to_enum(kind, value)
    except ValidationError:
        return value


def enum_field(kind: type[E]) -> Callable[[object, attrs.Attribute[Any], Any], None]:
    def check(instance: object, attribute: attrs.Attribute[Any], value: Any) -> None:
        try:
            to_enum(kind, value)
        except ValidationError as error:
            raise ValidationError(error.reason, field=attribute.name) from None

    return check


# Letters that draw nothing: Hangul fillers, the half-width filler and the blank braille cell.
_BLANK_LETTERS = frozenset("\u115f\u1160\u3164\uffa0\u2800")


def visible(value: str) -> bool:
    """True when ``value`` has a character a reader would see: not only spaces,
    zero-width and other format characters, controls, marks with nothing to
    mark, or blank letters."""
    return any(unicodedata.category(ch)[0] in "LNPS" and ch not in _BLANK_LETTERS for ch in value)


def check_text(value: object, *, field: str) -> str:
    """``value`` if it is text that every output can encode; a ValidationError otherwise.

    A lone surrogate (``"\\ud800"`` read from JSON or YAML) cannot be written as
    UTF-8, so printing, ``--json``, ``--out`` and email would all fail later.
    """
    if not isinstance(value, str):
        raise ValidationError(f"must be text, not {type(value).__name__}", field=field)
    for index, ch in enumerate(value):
        if "\ud800" <= ch <= "\udfff":
            raise ValidationError(
                f"holds a lone surrogate (U+{ord(ch):04X}) at character {index},"
                " which no output can encode",
                field=field,
            )
    return value


def check_non_empty(value: object, *, field: str) -> str:
    """Text with something visible in it (see :func:`visible`)."""
    check_text(value, field=field)
    assert isinstance(value, str)
    if not visible(value):
        raise ValidationError(
            "must not be empty (or only spaces and invisible characters)", field=field
        )
    return value


def non_empty(instance: object, attribute: attrs.Attribute[Any], value: str) -> None:
    check_non_empty(value, field=attribute.name)


def text(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    check_text(value, field=attribute.name)


def short_name(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    """A name that picks something (a voice preset, a spokesperson's id): one short line."""
    if isinstance(value, str) and (len(value) > 100 or not value.isprintable()):
        raise ValidationError(
            f"{excerpt(value)} is not a name (one line, at most 100 characters)",
            field=attribute.name,
        )


def optional_text(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if value is not None:
        check_non_empty(value, field=attribute.name)


#: The years a date may fall in. Far enough from year 1 and 9999 that moving a
#: time to any timezone, and a few days either way, can never overflow.
YEARS = (1900, 9000)


def aware(instance: object, attribute: attrs.Attribute[Any], value: dt.datetime | None) -> None:
    if value is None:
        return
    if isinstance(value, str):
        raise ValidationError(
            f"{excerpt(value)} is not an ISO 8601 date and time", field=attribute.name
        )
    if not isinstance(value, dt.datetime):
        raise ValidationError("must be a date and time", field=attribute.name)
    try:
        offset = value.utcoffset()
    except (ValueError, TypeError, OverflowError):
        offset = None
    if offset is None:
        raise ValidationError(
            "must carry a timezone (for example 2013-10-26T14:00:00-07:00)", field=attribute.name
        )
    first, last = YEARS
    if not first <= value.year <= last:
        raise ValidationError(
            f"must fall between the years {first} and {last}, not {value.year}",
            field=attribute.name,
        )


def not_before(other: str) -> Callable[[object, attrs.Attribute[Any], Any], None]:
    """A validator refusing a time earlier than the record's field ``other``
    (both checked by :func:`aware` first)."""

    def check(instance: object, attribute: attrs.Attribute[Any], value: Any) -> None:
        start = getattr(instance, other, None)
        if not isinstance(value, dt.datetime) or not isinstance(start, dt.datetime):
            return
        if value < start:
            raise ValidationError(
                f"must not be before {other} ({value.isoformat()} is earlier than"
                f" {start.isoformat()})",
                field=attribute.name,
            )

    return check


def to_datetime(value: Any) -> Any:
    """Parse ISO 8601 text (``Z`` included); leave anything else for the validator."""
    if isinstance(value, str):
        raw = value.strip()
        if raw.endswith(("Z", "z")):
            raw = raw[:-1] + "+00:00"
        try:
            return dt.datetime.fromisoformat(raw)
        except ValueError:
            return value
    return value


# Characters a URL never holds unescaped (RFC 3986), which Markdown, HTML or a
# reader would take as the URL's end or as markup: "https://x/"><script>".
_URL_REFUSED = frozenset('<>"`{}|\\^')


def check_url(value: str, *, field: str) -> None:
    if not isinstance(value, str):
        raise ValidationError("must be a URL", field=field)
    check_text(value, field=field)
    if any(ch.isspace() or not ch.isprintable() for ch in value):
        raise ValidationError(
            "must not contain spaces, control or invisible characters", field=field
        )
    bad = next((ch for ch in value if ch in _URL_REFUSED), None)
    if bad is not None:
        raise ValidationError(
            f"must not contain {bad!r} (percent-encode it: %{ord(bad):02X})", field=field
        )
    try:
        parts = urlsplit(value)
        host = parts.hostname
        parts.port  # noqa: B018 - an out-of-range or non-numeric port raises here
    except ValueError as error:
        raise ValidationError(f"is not a valid URL ({error})", field=field) from None
    if parts.scheme.lower() not in {"http", "https"}:
        raise ValidationError(f"must be an http(s) URL, not {excerpt(value)}", field=field)
    if not parts.netloc or not host:
        raise ValidationError(f"must name a host: {excerpt(value)}", field=field)


def url(instance: object, attribute: attrs.Attribute[Any], value: str | None) -> None:
    if value is not None:
        check_url(value, field=attribute.name)


def email(instance: object, attribute: attrs.Attribute[Any], value: str | None) -> None:
    if value is None:
        return
    check_text(value, field=attribute.name)
    if len(value) > 254 or not _EMAIL.match(value):
        raise ValidationError(f"{excerpt(value)} is not an email address", field=attribute.name)


def to_texts(value: Any) -> tuple[str, ...]:
    """Accept one string or an iterable of strings; keep the order."""
    if isinstance(value, str):
        return (value,) if value.strip() else ()
    if isinstance(value, Iterable) and not isinstance(value, Mapping):
        return tuple(value)
    return value  # type: ignore[no-any-return]


def texts(instance: object, attribute: attrs.Attribute[Any], value: tuple[Any, ...]) -> None:
    if not isinstance(value, tuple):
        raise ValidationError("must be a list of texts", field=attribute.name)
    for index, item in enumerate(value):
        if not isinstance(item, str):
            raise ValidationError(
                f"must be text, not {type(item).__name__}", field=f"{attribute.name}[{index}]"
            )
        check_non_empty(item, field=f"{attribute.name}[{index}]")


def key_name(key: object) -> str:
    """A key as it may appear in a dotted field name: itself when short and
    plain, else its :func:`~crisiscomms.errors.excerpt`."""
    if isinstance(key, str) and 0 < len(key) <= 40 and key.isprintable() and key.isascii():
        return key
    return excerpt(key, limit=20)


class FrozenMap(Mapping[str, str]):
    """A read-only mapping of texts, for the mappings inside frozen records.

    A template (or a caller) holding a record can read it but never change
    it, so one compose cannot alter what the next one sees. It compares equal
    to a dict with the same items, hashes, and pickles.
    """

    __slots__ = ("_items",)
    _items: dict[str, str]

    def __init__(self, items: Mapping[str, str] | Iterable[tuple[str, str]] = ()) -> None:
        object.__setattr__(self, "_items", dict(items))

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError("FrozenMap is read-only")

    def __getitem__(self, key: str) -> str:
        return self._items[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._items)

    def __len__(self) -> int:
        return len(self._items)

    def __hash__(self) -> int:
        return hash(tuple(self._items.items()))

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Mapping) and dict(self._items) == dict(other.items())

    def __repr__(self) -> str:
        return f"FrozenMap({self._items!r})"

    def __reduce__(self) -> tuple[Any, ...]:
        return (FrozenMap, (dict(self._items),))


def to_handles(value: Any) -> Any:
    if isinstance(value, Mapping):
        if not all(isinstance(key, str) for key in value):
            return value  # for the validator to refuse, naming the field
        return FrozenMap(sorted((key.lower(), item) for key, item in value.items()))
    return value


def handles(instance: object, attribute: attrs.Attribute[Any], value: Any) -> None:
    if not isinstance(value, FrozenMap):
        raise ValidationError("must map networks (text) to handles", field=attribute.name)
    for network, handle in value.items():
        field = f"{attribute.name}.{key_name(network)}"
        check_text(network, field=field)
        check_text(handle, field=field)
        if not visible(handle) or any(c.isspace() or not c.isprintable() for c in handle):
            raise ValidationError("must be a handle without spaces", field=field)


def names(instance: object, attribute: attrs.Attribute[Any], value: Any) -> None:
    """A mapping of keys to people's names (the team's responders per channel)."""
    if not isinstance(value, FrozenMap):
        raise ValidationError("must map channels (text) to names", field=attribute.name)
    for key, name in value.items():
        field = f"{attribute.name}.{key_name(key)}"
        check_text(key, field=field)
        check_non_empty(name, field=field)


def patterns(instance: object, attribute: attrs.Attribute[Any], value: tuple[str, ...]) -> None:
    for index, pattern in enumerate(value):
        try:
            re.compile(pattern)
        except (re.error, RecursionError, OverflowError) as error:
            raise ValidationError(
                f"not a regular expression: {error}", field=f"{attribute.name}[{index}]"
            ) from None
