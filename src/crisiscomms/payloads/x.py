"""X: bodies for the X API v2 create-post request, ``POST /2/tweets``.

Reference: https://docs.x.com/x-api/posts/create-post

Each part of the draft is one body:

``text``
    The post's text, as drafted: at most 280 weighted characters as
    twitter-text v3 counts them (URLs 23, emoji and most CJK 2).
``reply``
    Only on replies: ``{"in_reply_to_tweet_id": "<id>"}``, the id of the post
    answered. The first body carries it when the draft answers a mention whose
    ``id`` is known (from :func:`~crisiscomms.compose_replies`) or when
    ``in_reply_to`` is given; :func:`~crisiscomms.post_thread` adds it to the
    others as it publishes them.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from crisiscomms.errors import ValidationError

if TYPE_CHECKING:
    from crisiscomms.drafts import Draft

__all__ = ["build", "reply"]


def _post_id(value: Any, *, field: str) -> str:
    # X ids are 64-bit integers sent as decimal strings.
    text = str(value) if isinstance(value, int) and not isinstance(value, bool) else value
    if not isinstance(text, str) or not text.isascii() or not text.isdigit():
        raise ValidationError(f"must be a post id (digits), not {value!r}", field=field)
    return text


def build(draft: Draft, *, in_reply_to: str | int | None = None) -> list[dict[str, Any]]:
    """One ``POST /2/tweets`` body per part; the first replies to ``in_reply_to``
    (default: the answered mention's id, for a reply draft)."""
    bodies: list[dict[str, Any]] = [{"text": part} for part in draft.parts]
    target = in_reply_to if in_reply_to is not None else draft.metadata.get("mention_id")
    if target is not None and bodies:
        bodies[0] = reply(bodies[0], parent=target)
    return bodies


def reply(body: Mapping[str, Any], *, parent: Any, root: Any = None) -> dict[str, Any]:
    """``body`` as a reply to the post whose id is ``parent``."""
    return {**body, "reply": {"in_reply_to_tweet_id": _post_id(parent, field="in_reply_to")}}
