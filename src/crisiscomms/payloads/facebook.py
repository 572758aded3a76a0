"""Facebook: the body for publishing to a Page's feed, ``POST /{page-id}/feed``.

Reference: https://developers.facebook.com/docs/graph-api/reference/page/feed/#publish

``message``
    The post's text, as drafted.
``link``
    The URL Facebook previews under the post: ``link=`` when given, else the
    first http(s) link in the text (the status page, in the packaged
    templates); left out when there is none or ``link=False``.
``published``
    ``true`` unless you pass ``published=False`` (to review the post in
    the Page's publishing tools first).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from crisiscomms.errors import ValidationError
from crisiscomms.payloads._common import first_link

if TYPE_CHECKING:
    from crisiscomms.drafts import Draft

__all__ = ["build"]


def build(
    draft: Draft, *, link: str | bool | None = None, published: bool = True
) -> dict[str, Any]:
    """The feed body for the draft's one post."""
    text = draft.parts[0]
    body: dict[str, Any] = {"message": text}
    if link is None or link is True:
        found = first_link(text)
        if found is not None:
            body["link"] = found
    elif isinstance(link, str):
        if not link.lower().startswith(("http://", "https://")):
            raise ValidationError(f"must be an http(s) URL, not {link!r}", field="link")
        body["link"] = link
    if not isinstance(published, bool):
        raise ValidationError("must be true or false", field="published")
    body["published"] = published
    return body
