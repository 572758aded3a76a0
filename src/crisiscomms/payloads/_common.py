"""What several payload builders share: option checks and finding links."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from crisiscomms import fitting
from crisiscomms.errors import ValidationError

__all__ = ["choice", "first_link", "language", "links", "timestamp"]


def choice(value: Any, allowed: Iterable[str], *, field: str) -> str:
    """``value`` if it is one of ``allowed``; else a :class:`ValidationError` naming ``field``."""
    known = tuple(allowed)
    if not isinstance(value, str) or value not in known:
        raise ValidationError(f"must be one of {', '.join(known)}, not {value!r}", field=field)
    return value


def language(value: Any, *, field: str = "language") -> str:
    """A BCP 47 language tag such as ``en`` or ``pt-BR`` (letters, digits and hyphens)."""
    if (
        not isinstance(value, str)
        or not value
        or not all(part.isascii() and part.isalnum() for part in value.split("-"))
        or not value.split("-")[0].isalpha()
        or not 2 <= len(value.split("-")[0]) <= 3
    ):
        raise ValidationError(f"must be a language tag such as 'en', not {value!r}", field=field)
    return value


def links(text: str) -> list[tuple[int, int]]:
    """The spans of the http(s) URLs in ``text``, found as fitting protects them."""
    return [
        (start, end)
        for start, end in fitting.protected_spans(text)
        if text[start:end].lower().startswith(("http://", "https://"))
    ]


def first_link(text: str) -> str | None:
    """The first http(s) URL in ``text``, if any."""
    spans = links(text)
    return text[spans[0][0] : spans[0][1]] if spans else None


def timestamp(value: dt.datetime | None) -> str:
    """``value`` (default: now) as an RFC 3339 UTC timestamp with milliseconds and ``Z``."""
    if value is None:
        value = dt.datetime.now(dt.timezone.utc)
    elif not isinstance(value, dt.datetime) or value.tzinfo is None:
        raise ValidationError("must be a timezone-aware datetime", field="created_at")
    value = value.astimezone(dt.timezone.utc)
    return value.strftime("%Y-%m-%dT%H:%M:%S.") + f"{value.microsecond // 1000:03d}Z"
