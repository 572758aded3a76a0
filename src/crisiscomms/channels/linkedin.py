"""LinkedIn: one post of up to 3,000 characters, in the professional register.

LinkedIn's Posts API reads a post's ``commentary`` in its "little text" format, in
which ``\\ | { } @ [ ] ( ) < > # * _ ~`` are reserved: unescaped, LinkedIn may cut
the published post at the first one. ``parts`` holds the text as people read it;
``draft.metadata["little_text"]`` holds the same text escaped for the API.
"""

from __future__ import annotations

import re

from crisiscomms import counting
from crisiscomms.channels.base import Context
from crisiscomms.channels.social import PostChannel
from crisiscomms.drafts import Draft

__all__ = ["LITTLE_TEXT_RESERVED", "LinkedInChannel", "escape_little_text", "unescape_little_text"]

LITTLE_TEXT_RESERVED = "\\|{}@[]()<>#*_~"
"""The characters LinkedIn's little text format reserves (each is backslash-escaped)."""

_RESERVED = re.compile("[" + re.escape(LITTLE_TEXT_RESERVED) + "]")
_ESCAPED = re.compile(r"\\([" + re.escape(LITTLE_TEXT_RESERVED) + "])")


def escape_little_text(text: str) -> str:
    """``text`` with a backslash before every reserved character, for the Posts API."""
    return _RESERVED.sub(r"\\\g<0>", text)


def unescape_little_text(text: str) -> str:
    """The inverse of :func:`escape_little_text`."""
    return _ESCAPED.sub(r"\1", text)


class LinkedInChannel(PostChannel):
    """A LinkedIn post: 3,000 characters, counted as UTF-16 code units of the text
    *as sent*, that is with its little-text escapes, so the post fits whichever of
    the two LinkedIn counts."""

    name = "linkedin"
    network = "linkedin"
    limit = 3000
    unit = "UTF-16 code units"
    counting = "UTF-16 code units of the little-text-escaped commentary (escapes counted)"

    def measure(self, text: str) -> int:
        return counting.utf16_length(escape_little_text(text))

    def draft(self, context: Context) -> Draft:
        text = self.compose_text(context)
        return self.make_draft(context, (text,), metadata={"little_text": escape_little_text(text)})
