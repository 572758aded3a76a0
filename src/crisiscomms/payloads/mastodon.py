"""Mastodon: bodies for ``POST /api/v1/statuses``.

Reference: https://docs.joinmastodon.org/methods/statuses/#create

Each part of the draft is one body:

``status``
    The post's text, as drafted (within the server's limit as Mastodon
    counts it: every URL 23, ``@user@domain`` as ``@user``).
``visibility``
    ``public`` (the default), ``unlisted``, ``private`` or ``direct``.
``language``
    The ISO 639 code of the text (``en`` unless you pass ``language=``; a
    tag such as ``pt-BR`` is sent as ``pt``).
``spoiler_text``
    Only when asked for (``spoiler_text=``, or the draft's
    ``metadata["spoiler_text"]``): the content warning readers see before
    they open the post. Mastodon counts it toward the same limit as the
    status, so a warning that leaves a part over the limit raises
    :class:`~crisiscomms.errors.FitError`.
``in_reply_to_id``
    Only on replies: the id of the status answered, added by
    :func:`~crisiscomms.post_thread`; the first body carries it with
    ``in_reply_to=``, or when the draft answers a mention whose ``id`` is
    known (from :func:`~crisiscomms.compose_replies`).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from crisiscomms import counting
from crisiscomms.errors import FitError, ValidationError
from crisiscomms.payloads._common import answering, choice, post_id
from crisiscomms.payloads._common import language as language_tag

if TYPE_CHECKING:
    from crisiscomms.drafts import Draft

__all__ = ["VISIBILITIES", "build", "reply"]

VISIBILITIES = ("public", "unlisted", "private", "direct")
"""The visibilities a status may have."""


def build(
    draft: Draft,
    *,
    visibility: str = "public",
    language: str = "en",
    spoiler_text: str | None = None,
    in_reply_to: str | int | None = None,
) -> list[dict[str, Any]]:
    """One ``POST /api/v1/statuses`` body per part."""
    common: dict[str, Any] = {
        "visibility": choice(visibility, VISIBILITIES, field="visibility"),
        "language": language_tag(language).split("-")[0].lower(),
    }
    warning = spoiler_text if spoiler_text is not None else draft.metadata.get("spoiler_text")
    if warning:
        if not isinstance(warning, str):
            raise ValidationError("must be a string", field="spoiler_text")
        cost = counting.mastodon_length(warning)
        longest = max((counting.mastodon_length(part) for part in draft.parts), default=0)
        if longest + cost > draft.limit:
            raise FitError(
                "the content warning and the longest post together are over the limit",
                channel=draft.channel,
                limit=draft.limit,
                measured=longest + cost,
                unit=draft.unit,
            )
        common["spoiler_text"] = warning
    bodies = [{"status": part, **common} for part in draft.parts]
    return answering(bodies, draft, in_reply_to=in_reply_to, reply=reply)


def reply(body: Mapping[str, Any], *, parent: Any, root: Any = None) -> dict[str, Any]:
    """``body`` as a reply to the status whose id is ``parent``."""
    return {**body, "in_reply_to_id": post_id(parent, noun="status")}
