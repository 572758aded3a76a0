"""Threads (Meta): a numbered thread, 500 characters a post, counted conservatively."""

from __future__ import annotations

from crisiscomms import counting
from crisiscomms.channels.social import ThreadChannel

__all__ = ["ThreadsChannel"]


class ThreadsChannel(ThreadChannel):
    """A Threads thread. Meta does not say how Threads counts its 500 characters, so
    :func:`crisiscomms.counting.threads_length` counts high: UTF-16 code units, and an
    emoji as its UTF-8 bytes where those are more. URLs count in full."""

    name = "threads"
    network = "threads"
    limit = counting.THREADS_MAX_LENGTH
    unit = "characters"
    counting = "UTF-16 code units, emoji as their UTF-8 bytes (conservative: Meta publishes none)"

    def measure(self, text: str) -> int:
        return counting.threads_length(text)
