"""LinkedIn: the body for the Posts API, ``POST /rest/posts``.

Reference: https://learn.microsoft.com/en-us/linkedin/marketing/community-management/shares/posts-api
(and, for ``commentary``, the little text format:
https://learn.microsoft.com/en-us/linkedin/marketing/community-management/shares/little-text-format)

``author``
    The URN of the member or organization posting
    (``urn:li:organization:123`` or ``urn:li:person:abc``): ``author=``, else
    the draft's account when it is such a URN. Without one,
    :class:`~crisiscomms.errors.ValidationError` names ``author``.
``commentary``
    The post's text in little text: every reserved character
    (``\\ | { } @ [ ] ( ) < > # * _ ~``) backslash-escaped, so LinkedIn shows
    it as written. The draft measured this escaped text against the 3,000
    limit.
``visibility``
    ``PUBLIC`` (the default), ``CONNECTIONS``, ``LOGGED_IN`` or ``CONTAINER``.
``distribution``
    ``{"feedDistribution": "MAIN_FEED", "targetEntities": [],
    "thirdPartyDistributionChannels": []}``: the main feed, untargeted.
``lifecycleState``
    ``PUBLISHED``, or ``DRAFT`` with ``draft_state=True``.
``isReshareDisabledByAuthor``
    ``false``: people may reshare the announcement.

Send it with the ``LinkedIn-Version`` and ``X-Restli-Protocol-Version:
2.0.0`` headers the API requires.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from crisiscomms.channels.linkedin import escape_little_text
from crisiscomms.errors import ValidationError
from crisiscomms.payloads._common import choice

if TYPE_CHECKING:
    from crisiscomms.drafts import Draft

__all__ = ["VISIBILITIES", "build"]

VISIBILITIES = ("PUBLIC", "CONNECTIONS", "LOGGED_IN", "CONTAINER")
"""The visibilities a post may have."""

_AUTHOR = re.compile(r"urn:li:(person|organization):[A-Za-z0-9_-]+")


def build(
    draft: Draft,
    *,
    author: str | None = None,
    visibility: str = "PUBLIC",
    draft_state: bool = False,
) -> dict[str, Any]:
    """The Posts API body for the draft's one post."""
    urn = author if author is not None else draft.account
    if not isinstance(urn, str) or not _AUTHOR.fullmatch(urn):
        given = "" if urn is None else f", not {urn!r}"
        raise ValidationError(
            "LinkedIn needs the poster's URN, such as urn:li:organization:123 "
            f"(pass author=){given}",
            field="author",
        )
    return {
        "author": urn,
        "commentary": escape_little_text(draft.parts[0]),
        "visibility": choice(visibility, VISIBILITIES, field="visibility"),
        "distribution": {
            "feedDistribution": "MAIN_FEED",
            "targetEntities": [],
            "thirdPartyDistributionChannels": [],
        },
        "lifecycleState": "DRAFT" if draft_state else "PUBLISHED",
        "isReshareDisabledByAuthor": False,
    }
