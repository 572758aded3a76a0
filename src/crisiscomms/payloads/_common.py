"""What several payload builders share: option checks, finding links and replies."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

from crisiscomms import fitting
from crisiscomms.errors import ValidationError

if TYPE_CHECKING:
    from crisiscomms.drafts import Draft

__all__ = ["answering", "choice", "first_link", "language", "links", "post_id", "timestamp"]


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


def post_id(value: Any, *, noun: str) -> str:
    """``value`` as the id of the ``noun`` answered (an integer is written in decimal);
    else a :class:`ValidationError` naming ``in_reply_to``."""
    text = str(value) if isinstance(value, int) and not isinstance(value, bool) else value
    if not isinstance(text, str) or not text.strip():
        raise ValidationError(f"must be a {noun} id, not {value!r}", field="in_reply_to")
    return text


def answering(
    bodies: list[dict[str, Any]],
    draft: Draft,
    *,
    in_reply_to: Any,
    reply: Callable[..., dict[str, Any]],
) -> list[dict[str, Any]]:
    """``bodies`` with the first made a ``reply`` to ``in_reply_to``, by default to the
    mention a reply draft answers when its id is known."""
    target = in_reply_to if in_reply_to is not None else draft.metadata.get("mention_id")
    if target is not None and bodies:
        bodies[0] = reply(bodies[0], parent=target)
    return bodies
