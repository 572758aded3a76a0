"""Bluesky: a numbered thread within 300 graphemes and 3,000 UTF-8 bytes a post,
with a link facet for every URL so that the links are clickable."""

from __future__ import annotations

from typing import Any

from crisiscomms import counting, fitting
from crisiscomms.channels.base import Context
from crisiscomms.channels.social import ThreadChannel
from crisiscomms.drafts import Draft

__all__ = ["BlueskyChannel", "link_facets"]

_LINK_FEATURE = "app.bsky.richtext.facet#link"


def link_facets(text: str) -> list[dict[str, Any]]:
    """The ``app.bsky.richtext.facet`` records that make each http(s) URL in ``text`` a link.

    Offsets are UTF-8 byte offsets into ``text`` (``byteEnd`` exclusive), as the
    lexicon requires, so ``text.encode()[byteStart:byteEnd]`` is the URL. URLs are
    found as :func:`crisiscomms.fitting.protected_spans` finds them, so sentence
    punctuation after a link stays out of it.
    """
    facets: list[dict[str, Any]] = []
    for start, end in fitting.protected_spans(text):
        url = text[start:end]
        if not url.lower().startswith(("http://", "https://")):
            continue
        byte_start = counting.utf8_length(text[:start])
        facets.append(
            {
                "index": {
                    "byteStart": byte_start,
                    "byteEnd": byte_start + counting.utf8_length(url),
                },
                "features": [{"$type": _LINK_FEATURE, "uri": url}],
            }
        )
    return facets


class BlueskyChannel(ThreadChannel):
    """A Bluesky thread. A post may hold at most 300 grapheme clusters *and* 3,000
    UTF-8 bytes; :meth:`measure` folds both into one number, the larger of the
    grapheme count and the byte count divided by 10 (rounded up), so it is within
    300 exactly when both limits hold.

    ``draft.metadata["facets"]`` holds one list of link facets per part, ready for
    the post record's ``facets`` field.
    """

    name = "bluesky"
    network = "bluesky"
    limit = counting.BLUESKY_MAX_GRAPHEMES
    unit = "graphemes"
    counting = (
        "graphemes (pre-Unicode-15.1 conjuncts split), or UTF-8 bytes / 10 if more: "
        "within 300 exactly when both the 300-grapheme and the 3,000-byte limits hold"
    )

    def measure(self, text: str) -> int:
        return counting.bluesky_length(text)

    def draft(self, context: Context) -> Draft:
        parts = self.split(self.render(context))
        facets = [link_facets(part) for part in parts]
        return self.make_draft(context, parts, metadata={"facets": facets})
