"""Slack: the body for ``chat.postMessage``, with Block Kit blocks.

References: https://docs.slack.dev/reference/methods/chat.postMessage,
https://docs.slack.dev/reference/block-kit/blocks/header-block and
https://docs.slack.dev/reference/block-kit/blocks/section-block

``channel``
    Where it goes: ``channel=`` (a conversation id such as ``C0123456789``
    or a name), else the draft's account (the organization's ``slack``
    handle). Without one, :class:`~crisiscomms.errors.ValidationError` names
    ``channel``.
``text``
    The whole alert in mrkdwn: what notifications, screen readers and
    older clients show (Slack keeps 40,000 characters of it; the draft is
    measured against that).
``blocks``
    What the message shows:

    - a ``header`` block: the alert's first line as ``plain_text``, at most
      150 characters (shortened at a word with an ellipsis; the full line
      stays in the first section);
    - ``section`` blocks with ``mrkdwn`` text, the alert's paragraphs packed
      in order, at most 3,000 characters each. A paragraph longer than that
      is split at line breaks, then at spaces, never inside a
      ``<url|label>`` link or an ``&amp;`` entity;
    - at most 50 blocks in all.
``unfurl_links``
    ``false``: the status link is in the text; a large preview of it would
    push the alert's facts out of view.

Every piece of incident text in the alert was escaped (``&amp;``, ``&lt;``,
``&gt;``) when it was drafted, so no block can notify ``@channel`` or link
where the record did not.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from crisiscomms import counting, fitting
from crisiscomms.errors import ValidationError

if TYPE_CHECKING:
    from crisiscomms.drafts import Draft

__all__ = ["HEADER_LIMIT", "MAX_BLOCKS", "SECTION_LIMIT", "blocks", "build", "plain"]

HEADER_LIMIT = 150
"""Characters of a header block's ``plain_text``."""
SECTION_LIMIT = 3000
"""Characters of a section block's text."""
MAX_BLOCKS = 50
"""Blocks in one message."""

# Slack counts characters; UTF-16 code units are never fewer, so a text within
# the limit by this measure is within it by Slack's.
_measure = counting.utf16_length

_LINK = re.compile(r"<([^<>|]*)\|([^<>]*)>|<([^<>|]*)>")
_EMPHASIS = re.compile(r"(?<![\w*_~])([*_~])(?=\S)(.+?)(?<=\S)\1(?![\w*_~])")
_ENTITIES = (("&lt;", "<"), ("&gt;", ">"), ("&amp;", "&"))
# Cut points must not fall inside a <...> link or an &...; entity.
_ATOMS = re.compile(r"<[^<>\n]*>|&[a-z]+;")


def plain(mrkdwn: str) -> str:
    """``mrkdwn`` as plain text: links as their labels, emphasis markers and
    entities undone."""
    text = _LINK.sub(lambda m: m.group(2) if m.group(2) is not None else (m.group(3) or ""), mrkdwn)
    text = _EMPHASIS.sub(r"\2", text)
    for entity, char in _ENTITIES:
        text = text.replace(entity, char)
    return " ".join(text.split())


def _safe_cuts(atoms: list[tuple[int, int]]) -> Callable[[int], bool]:
    def safe(index: int) -> bool:
        return not any(start < index < end for start, end in atoms)

    return safe


def _cut(text: str, limit: int) -> list[str]:
    """``text`` in pieces of at most ``limit``, cut at line breaks, else spaces,
    else anywhere outside a link or entity."""
    pieces: list[str] = []
    while _measure(text) > limit:
        atoms = [m.span() for m in _ATOMS.finditer(text)]
        safe = _safe_cuts(atoms)

        # The longest prefix within the limit (measures grow with the prefix).
        low, high = 0, len(text)
        while low < high:
            middle = (low + high + 1) // 2
            if _measure(text[:middle]) <= limit:
                low = middle
            else:
                high = middle - 1
        end = low
        cut = next(
            (i for sep in ("\n", " ") for i in range(end, 0, -1) if text[i - 1] == sep and safe(i)),
            None,
        )
        if cut is None:
            # No line break or space: cut outside any link or entity, and never
            # leave an empty piece.
            cut = max(next((i for i in range(end, 0, -1) if safe(i)), end), 1)
        pieces.append(text[:cut].rstrip())
        text = text[cut:].lstrip()
    if text:
        pieces.append(text)
    return [piece for piece in pieces if piece]


def blocks(mrkdwn: str) -> list[dict[str, Any]]:
    """The header and section blocks for an alert written in mrkdwn."""
    lines = mrkdwn.strip().splitlines()
    result: list[dict[str, Any]] = []
    heading = plain(lines[0]) if lines else ""
    if heading:
        result.append(
            {
                "type": "header",
                "text": {
                    "type": "plain_text",
                    "text": fitting.truncate(heading, limit=HEADER_LIMIT, measure=_measure),
                    "emoji": True,
                },
            }
        )
        # The first line is in the header when it fits whole; else the section keeps it.
        if _measure(heading) <= HEADER_LIMIT:
            lines = lines[1:]
    paragraphs = [p.strip() for p in "\n".join(lines).split("\n\n") if p.strip()]
    pieces = [piece for p in paragraphs for piece in _cut(p, SECTION_LIMIT)]
    sections: list[str] = []
    for piece in pieces:
        if sections and _measure(sections[-1] + "\n\n" + piece) <= SECTION_LIMIT:
            sections[-1] += "\n\n" + piece
        else:
            sections.append(piece)
    result.extend(
        {"type": "section", "text": {"type": "mrkdwn", "text": text}} for text in sections
    )
    if len(result) > MAX_BLOCKS:
        # Unreachable for drafts within 40,000 characters (at most 27 sections);
        # said plainly rather than sent and refused.
        raise ValidationError(
            f"the alert needs {len(result)} blocks, over Slack's {MAX_BLOCKS}", field="blocks"
        )
    return result


def build(draft: Draft, *, channel: str | None = None) -> dict[str, Any]:
    """The ``chat.postMessage`` body for the alert."""
    target = channel if channel is not None else draft.account
    if not isinstance(target, str) or not target.strip():
        raise ValidationError(
            "Slack needs a conversation to post in (pass channel=, such as 'C0123456789')",
            field="channel",
        )
    text = draft.parts[0]
    return {
        "channel": target,
        "text": text,
        "blocks": blocks(text),
        "unfurl_links": False,
    }
