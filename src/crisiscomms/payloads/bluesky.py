"""Bluesky: ``app.bsky.feed.post`` records, one per post of the thread.

References: https://docs.bsky.app/docs/advanced-guides/posts, and the
lexicons https://github.com/bluesky-social/atproto/blob/main/lexicons/app/bsky/feed/post.json
and https://github.com/bluesky-social/atproto/blob/main/lexicons/app/bsky/richtext/facet.json

Create each with ``com.atproto.repo.createRecord``, the record as
``record`` and ``app.bsky.feed.post`` as ``collection``. A record holds:

``$type``
    ``app.bsky.feed.post``.
``text``
    The post's text, as drafted: at most 300 graphemes and 3,000 UTF-8 bytes.
``createdAt``
    When the post was written, RFC 3339 in UTC with milliseconds
    (``2024-05-01T09:30:00.000Z``): ``created_at=`` (a timezone-aware
    datetime), else the time ``to_payload`` is called.
``langs``
    The text's language as a one-item list (``["en"]`` unless ``language=``
    says otherwise).
``facets``
    What makes parts of the text rich, each with the UTF-8 byte offsets of
    its span (``byteStart`` inclusive, ``byteEnd`` exclusive), as the
    lexicon requires, so ``text.encode()[byteStart:byteEnd]`` is the span:

    - ``app.bsky.richtext.facet#link`` for every http(s) URL (its ``uri``),
      sentence punctuation after it left out;
    - ``app.bsky.richtext.facet#tag`` for every hashtag (its ``tag``,
      without the ``#``; at most 64 graphemes; trailing punctuation left out;
      a run of digits such as ``#1`` is not a tag);
    - ``app.bsky.richtext.facet#mention`` for every ``@handle`` whose DID
      you give in ``dids={"alice.bsky.social": "did:plc:..."}``. A mention
      facet must carry the account's DID, and finding it takes a network call
      (``com.atproto.identity.resolveHandle``) that the library never makes:
      a handle without a DID keeps its text and gets no facet, so it shows as
      plain text and notifies no one.

    Left out when there is none.
``reply``
    Only on replies: ``{"root": {"uri", "cid"}, "parent": {"uri", "cid"}}``,
    the thread's first post and the post answered, added by
    :func:`~crisiscomms.post_thread` from the ``(uri, cid)`` references
    your poster returns.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

import regex

from crisiscomms import counting
from crisiscomms.errors import ValidationError
from crisiscomms.payloads._common import language as language_tag
from crisiscomms.payloads._common import links, timestamp

if TYPE_CHECKING:
    from crisiscomms.drafts import Draft

__all__ = ["TAG_MAX_GRAPHEMES", "build", "facets", "reply", "strong_ref"]

TAG_MAX_GRAPHEMES = 64
"""Graphemes of a hashtag facet's ``tag`` (640 UTF-8 bytes at most as well)."""

_FACET = "app.bsky.richtext.facet"
# A handle is a domain name: dot-separated labels of letters, digits and hyphens,
# the last (the top-level domain) starting with a letter.
_MENTION = re.compile(
    r"(?:(?<=\s)|(?<=\()|^)@((?:[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?\.)+"
    r"[a-zA-Z](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)(?![\w@.-]*[\w@-])"
)
_TAG = re.compile(r"(?:(?<=\s)|^)[#\uff03]([^\s\u00ad\u2060\u200a-\u200d\u20e2]+)")
# Sentence punctuation after a tag is not part of it (as Bluesky's own clients read it).
_TAG_TRAILING = regex.compile(r"\p{P}+$")
_DID = re.compile(r"did:[a-z]+:[a-zA-Z0-9._:%-]*[a-zA-Z0-9._-]")


def _offset(text: str, index: int) -> int:
    return counting.utf8_length(text[:index])


def _facet(text: str, start: int, end: int, feature: dict[str, Any]) -> dict[str, Any]:
    return {
        "index": {"byteStart": _offset(text, start), "byteEnd": _offset(text, end)},
        "features": [feature],
    }


def _dids(dids: Mapping[str, str] | None) -> dict[str, str]:
    if dids is None:
        return {}
    if not isinstance(dids, Mapping):
        raise ValidationError("must map handles to DIDs", field="dids")
    known: dict[str, str] = {}
    for handle, did in dids.items():
        key = str(handle).lstrip("@").lower()
        if not isinstance(did, str) or not _DID.fullmatch(did):
            raise ValidationError(f"{did!r} is not a DID (did:plc:...)", field=f"dids.{key}")
        known[key] = did
    return known


def facets(text: str, *, dids: Mapping[str, str] | None = None) -> list[dict[str, Any]]:
    """The link, hashtag and mention facets of ``text``, in text order."""
    known = _dids(dids)
    found: list[tuple[int, int, dict[str, Any]]] = [
        (start, end, {"$type": f"{_FACET}#link", "uri": text[start:end]})
        for start, end in links(text)
    ]

    def free(start: int, end: int) -> bool:
        return all(end <= s or start >= e for s, e, _ in found)

    for match in _MENTION.finditer(text):
        did = known.get(match.group(1).lower())
        if did is not None and free(*match.span()):
            found.append((*match.span(), {"$type": f"{_FACET}#mention", "did": did}))
    for match in _TAG.finditer(text):
        tag = _TAG_TRAILING.sub("", match.group(1))
        if (
            not tag
            or tag.isdigit()
            or counting.grapheme_count(tag) > TAG_MAX_GRAPHEMES
            or counting.utf8_length(tag) > 10 * TAG_MAX_GRAPHEMES
        ):
            continue
        start = match.start()
        end = match.start(1) + len(tag)
        if free(start, end):
            found.append((start, end, {"$type": f"{_FACET}#tag", "tag": tag}))
    return [
        _facet(text, start, end, feature)
        for start, end, feature in sorted(found, key=lambda f: f[0])
    ]


def build(
    draft: Draft,
    *,
    created_at: dt.datetime | None = None,
    language: str = "en",
    dids: Mapping[str, str] | None = None,
    in_reply_to: Any = None,
    root: Any = None,
) -> list[dict[str, Any]]:
    """One ``app.bsky.feed.post`` record per part."""
    when = timestamp(created_at)
    langs = [language_tag(language)]
    records: list[dict[str, Any]] = []
    for part in draft.parts:
        record: dict[str, Any] = {
            "$type": "app.bsky.feed.post",
            "text": part,
            "createdAt": when,
            "langs": langs,
        }
        rich = facets(part, dids=dids)
        if rich:
            record["facets"] = rich
        records.append(record)
    if in_reply_to is not None and records:
        records[0] = reply(records[0], parent=in_reply_to, root=root)
    return records


def strong_ref(value: Any, *, field: str = "in_reply_to") -> dict[str, str]:
    """A ``com.atproto.repo.strongRef`` (``{"uri", "cid"}``) from a ``(uri, cid)``
    pair or a mapping with ``uri`` and ``cid`` (such as createRecord's response)."""
    if isinstance(value, Mapping):
        uri, cid = value.get("uri"), value.get("cid")
    elif isinstance(value, Sequence) and not isinstance(value, str) and len(value) == 2:
        uri, cid = value
    else:
        raise ValidationError(
            f"must be a (uri, cid) reference to a post, not {value!r}", field=field
        )
    if not isinstance(uri, str) or not uri.startswith("at://"):
        raise ValidationError(f"{uri!r} is not an at:// URI", field=field)
    if not isinstance(cid, str) or not cid.strip():
        raise ValidationError(f"{cid!r} is not a CID", field=field)
    return {"uri": uri, "cid": cid}


def reply(body: Mapping[str, Any], *, parent: Any, root: Any = None) -> dict[str, Any]:
    """``body`` as a reply to ``parent`` in the thread that starts at ``root``
    (``parent`` itself when left out)."""
    parent_ref = strong_ref(parent)
    root_ref = parent_ref if root is None else strong_ref(root, field="root")
    return {**body, "reply": {"root": root_ref, "parent": parent_ref}}
