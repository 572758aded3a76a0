"""Threads (Meta): bodies for creating a text post, ``POST /{threads-user-id}/threads``.

Reference: https://developers.facebook.com/docs/threads/posts and, for
replies, https://developers.facebook.com/docs/threads/reply-management

Threads publishes in two steps: this body creates a media container, and
``POST /{threads-user-id}/threads_publish`` with its ``creation_id``
publishes it. A poster for :func:`~crisiscomms.post_thread` does both and
returns the published post's id. Each part of the draft is one body:

``media_type``
    Always ``TEXT``.
``text``
    The post's text, as drafted (500 characters, counted conservatively).
``reply_to_id``
    Only on replies: the id of the published post answered, added by
    :func:`~crisiscomms.post_thread`; the first body carries it with
    ``in_reply_to=``, or when the draft answers a mention whose ``id`` is
    known.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from crisiscomms.payloads._common import answering, post_id

if TYPE_CHECKING:
    from crisiscomms.drafts import Draft

__all__ = ["build", "reply"]


def build(draft: Draft, *, in_reply_to: str | int | None = None) -> list[dict[str, Any]]:
    """One container body per part."""
    bodies: list[dict[str, Any]] = [{"media_type": "TEXT", "text": part} for part in draft.parts]
    return answering(bodies, draft, in_reply_to=in_reply_to, reply=reply)


def reply(body: Mapping[str, Any], *, parent: Any, root: Any = None) -> dict[str, Any]:
    """``body`` as a reply to the post whose id is ``parent``."""
    return {**body, "reply_to_id": post_id(parent, noun="post")}
