"""The channel names, in the order compose drafts them.

Kept apart from :mod:`crisiscomms.channels` so that modules below it (the
tone rules, which validate their scopes) can know the names without
importing every channel.
"""

from __future__ import annotations

__all__ = ["CHANNEL_NAMES"]

CHANNEL_NAMES: tuple[str, ...] = (
    "email",
    "x",
    "facebook",
    "mastodon",
    "bluesky",
    "threads",
    "linkedin",
    "sms",
    "slack",
    "statuspage",
)
