"""X (formerly Twitter): a numbered thread, each post within 280 weighted characters."""

from __future__ import annotations

from crisiscomms import counting
from crisiscomms.channels.social import ThreadChannel

__all__ = ["XChannel"]


class XChannel(ThreadChannel):
    """X counts twitter-text v3 weighted length: most scripts' letters 1, CJK and emoji 2,
    every URL 23, after NFC normalisation."""

    name = "x"
    aliases = ("twitter",)
    network = "x"
    limit = 280
    unit = "weighted characters"
    counting = "twitter-text v3 weighted length: URLs 23, emoji and most CJK 2, NFC first"

    def measure(self, text: str) -> int:
        return counting.x_weighted_length(text)
