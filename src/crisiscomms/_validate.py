"""Validators and converters shared by the attrs records.

Every refusal is a :class:`~crisiscomms.errors.ValidationError` naming the field.
"""

from __future__ import annotations

import datetime as dt
import enum
import re
from collections.abc import Callable, Iterable, Mapping
from typing import Any, TypeVar
from urllib.parse import urlsplit

import attrs

from crisiscomms.errors import ValidationError

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
    raise ValidationError(f"unknown {kind.__name__.lower()} {value!r} (known: {known})")


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


def non_empty(instance: object, attribute: attrs.Attribute[Any], value: str) -> None:
    if not isinstance(value, str):
        raise ValidationError(f"must be text, not {type(value).__name__}", field=attribute.name)
    if not value.strip():
        raise ValidationError("must not be empty", field=attribute.name)


def text(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if not isinstance(value, str):
        raise ValidationError(f"must be text, not {type(value).__name__}", field=attribute.name)


def aware(instance: object, attribute: attrs.Attribute[Any], value: dt.datetime | None) -> None:
    if value is None:
        return
    if isinstance(value, str):
        raise ValidationError(f"{value!r} is not an ISO 8601 date and time", field=attribute.name)
    if not isinstance(value, dt.datetime):
        raise ValidationError("must be a date and time", field=attribute.name)
    if value.tzinfo is None or value.tzinfo.utcoffset(value) is None:
        raise ValidationError(
            "must carry a timezone (for example 2013-10-26T14:00:00-07:00)", field=attribute.name
        )


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


def check_url(value: str, *, field: str) -> None:
    if not isinstance(value, str):
        raise ValidationError("must be a URL", field=field)
    if any(ch.isspace() for ch in value) or any(ord(ch) < 32 for ch in value):
        raise ValidationError("must not contain spaces or control characters", field=field)
    parts = urlsplit(value)
    if parts.scheme.lower() not in {"http", "https"}:
        raise ValidationError(f"must be an http(s) URL, not {value!r}", field=field)
    if not parts.netloc or not parts.hostname:
        raise ValidationError(f"must name a host: {value!r}", field=field)


def url(instance: object, attribute: attrs.Attribute[Any], value: str | None) -> None:
    if value is not None:
        check_url(value, field=attribute.name)


def email(instance: object, attribute: attrs.Attribute[Any], value: str | None) -> None:
    if value is None:
        return
    if not isinstance(value, str) or not _EMAIL.match(value):
        raise ValidationError(f"{value!r} is not an email address", field=attribute.name)


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
        if not item.strip():
            raise ValidationError("must not be empty", field=f"{attribute.name}[{index}]")


def to_handles(value: Any) -> Any:
    if isinstance(value, Mapping):
        return dict(sorted((str(k).lower(), v) for k, v in value.items()))
    return value


def handles(instance: object, attribute: attrs.Attribute[Any], value: Any) -> None:
    if not isinstance(value, dict):
        raise ValidationError("must map networks to handles", field=attribute.name)
    for network, handle in value.items():
        if not isinstance(handle, str) or not handle.strip() or any(c.isspace() for c in handle):
            raise ValidationError(
                "must be a handle without spaces", field=f"{attribute.name}.{network}"
            )


def patterns(instance: object, attribute: attrs.Attribute[Any], value: tuple[str, ...]) -> None:
    for index, pattern in enumerate(value):
        try:
            re.compile(pattern)
        except re.error as error:
            raise ValidationError(
                f"not a regular expression: {error}", field=f"{attribute.name}[{index}]"
            ) from None
