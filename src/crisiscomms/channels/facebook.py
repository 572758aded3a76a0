"""Facebook: one post, fitted by sections."""

from __future__ import annotations

from crisiscomms import counting
from crisiscomms.channels.social import PostChannel

__all__ = ["FacebookChannel"]


class FacebookChannel(PostChannel):
    """A Facebook Page post: 63,206 characters, counted as UTF-16 code units
    (the safe upper bound: no platform counts a character as more)."""

    name = "facebook"
    network = "facebook"
    limit = 63_206
    unit = "UTF-16 code units"
    counting = "UTF-16 code units, the conservative reading of Facebook's character limit"

    def measure(self, text: str) -> int:
        return counting.utf16_length(text)
