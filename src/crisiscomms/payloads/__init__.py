"""Platform API payloads: each draft as the JSON-ready request body its platform takes.

:meth:`crisiscomms.Draft.to_payload` builds them; this package holds one
module per platform, each documenting its fields and linking to the
platform's reference. Nothing here touches the network: a payload is plain
data (dicts, lists, strings, numbers, booleans) that ``json.dumps`` accepts,
for your own HTTP client to send.

========== ================================== ==========================================
channel    request                            payload
========== ================================== ==========================================
email      a mail provider's send call        one dict (:mod:`.email`)
x          ``POST /2/tweets``                 a list of bodies, one per post
facebook   ``POST /{page-id}/feed``           one dict
mastodon   ``POST /api/v1/statuses``          a list of bodies, one per post
bluesky    ``com.atproto.repo.createRecord``  a list of ``app.bsky.feed.post`` records
threads    ``POST /{user-id}/threads``        a list of bodies, one per post
linkedin   ``POST /rest/posts``               one dict
sms        an SMS provider's send call        one dict
slack      ``chat.postMessage``               one dict
statuspage ``POST``/``PATCH`` an incident     one dict
========== ================================== ==========================================

A thread's bodies are not yet chained: the id of each post is known only once
it is published. :func:`post_thread` publishes them in order, each as a reply
to the one before, through a function of yours that sends one body.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Mapping
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

from crisiscomms.errors import UnknownNameError, ValidationError
from crisiscomms.payloads import (
    bluesky,
    email,
    facebook,
    linkedin,
    mastodon,
    slack,
    sms,
    statuspage,
    threads,
    x,
)

if TYPE_CHECKING:
    from crisiscomms.drafts import Draft

__all__ = ["build", "post_thread", "reply_to"]

_BUILDERS: Mapping[str, Callable[..., Any]] = MappingProxyType(
    {
        "email": email.build,
        "x": x.build,
        "facebook": facebook.build,
        "mastodon": mastodon.build,
        "bluesky": bluesky.build,
        "threads": threads.build,
        "linkedin": linkedin.build,
        "sms": sms.build,
        "slack": slack.build,
        "statuspage": statuspage.build,
    }
)

# How a body becomes a reply, for the channels whose posts chain into threads.
_REPLIES: Mapping[str, Callable[..., dict[str, Any]]] = MappingProxyType(
    {
        "x": x.reply,
        "mastodon": mastodon.reply,
        "bluesky": bluesky.reply,
        "threads": threads.reply,
    }
)


def build(draft: Draft, **options: Any) -> Any:
    """The request body (a list of bodies for a thread) for ``draft``'s platform.

    ``options`` are the platform module's keyword options (``channel=`` for
    Slack, ``author=`` for LinkedIn, ``dids=`` for Bluesky ...); an option the
    platform does not take raises :class:`TypeError`.
    """
    try:
        builder = _BUILDERS[draft.channel]
    except KeyError:
        raise UnknownNameError(
            f"no payload for channel {draft.channel!r}",
            kind="channel",
            name=draft.channel,
            known=list(_BUILDERS),
        ) from None
    return builder(draft, **options)


def reply_to(
    channel: str, body: Mapping[str, Any], *, parent: Any, root: Any = None
) -> dict[str, Any]:
    """A copy of ``body`` that replies to the post ``parent``.

    ``parent`` is the id the platform gave the post replied to (for Bluesky,
    its ``(uri, cid)`` reference, or a mapping with ``uri`` and ``cid``);
    ``root`` is the first post of the thread, which Bluesky needs as well
    (``parent`` when left out). Only the thread channels (``x``,
    ``mastodon``, ``bluesky``, ``threads``) take replies.
    """
    try:
        attach = _REPLIES[channel]
    except KeyError:
        raise ValidationError(
            f"{channel} posts are not chained as replies", field="in_reply_to"
        ) from None
    return attach(body, parent=parent, root=parent if root is None else root)


def post_thread(
    draft: Draft,
    post: Callable[[dict[str, Any]], Any],
    *,
    in_reply_to: Any = None,
    root: Any = None,
    **options: Any,
) -> list[Any]:
    """Publish ``draft`` through ``post``, in order, each post a reply to the one before.

    ``post`` sends one request body and returns what the platform gave back
    to refer to the new post: its id for X, Mastodon and Threads, its
    ``(uri, cid)`` reference for Bluesky. ``post_thread`` returns those, one
    per post. ``in_reply_to`` continues an existing conversation (the first
    post replies to it; for Bluesky also pass that conversation's ``root``
    when it is not the post replied to); ``options`` go to
    :meth:`~crisiscomms.Draft.to_payload`.

    A single-post draft (``facebook``, ``slack`` ...) is posted once. If
    ``post`` raises, nothing after it is sent and the error propagates; the
    ids published so far are on the error as ``error.posted`` (a list), so a
    retry can continue with ``in_reply_to=error.posted[-1]``.
    """
    payload = draft.to_payload(**options)
    bodies = payload if isinstance(payload, list) else [payload]
    posted: list[Any] = []
    parent = in_reply_to
    thread_root = root if root is not None else in_reply_to
    for number, body in enumerate(bodies, start=1):
        if parent is not None:
            body = reply_to(draft.channel, body, parent=parent, root=thread_root)
        try:
            ref = post(body)
        except Exception as error:
            # Attached rather than wrapped, so the caller's own except clauses still match.
            with contextlib.suppress(AttributeError):
                error.posted = list(posted)  # type: ignore[attr-defined]
            raise
        if ref is None:
            raise ValidationError(
                f"the poster returned no id for post {number} of {len(bodies)}", field="post"
            )
        posted.append(ref)
        parent = ref
        if thread_root is None:
            thread_root = ref
    return posted
