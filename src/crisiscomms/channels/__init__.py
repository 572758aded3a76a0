"""The channels: one module each, and the read-only table of them by name.

A channel declares its ``name``, ``limit``, ``unit`` and ``measure`` and
knows how to draft itself; see :class:`~crisiscomms.channels.base.Channel`.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from crisiscomms._names import CHANNEL_NAMES
from crisiscomms.channels.base import Channel, Context
from crisiscomms.channels.bluesky import BlueskyChannel
from crisiscomms.channels.email import EmailChannel
from crisiscomms.channels.facebook import FacebookChannel
from crisiscomms.channels.linkedin import LinkedInChannel
from crisiscomms.channels.mastodon import MastodonChannel
from crisiscomms.channels.slack import SlackChannel
from crisiscomms.channels.sms import SmsChannel
from crisiscomms.channels.statuspage import StatuspageChannel
from crisiscomms.channels.threads import ThreadsChannel
from crisiscomms.channels.x import XChannel
from crisiscomms.errors import UnknownNameError

__all__ = [
    "CHANNELS",
    "Channel",
    "Context",
    "available_channels",
    "canonical_name",
    "channel_aliases",
    "get_channel",
]

CHANNELS: Mapping[str, Channel] = MappingProxyType(
    {
        channel.name: channel
        for channel in (
            EmailChannel(),
            XChannel(),
            FacebookChannel(),
            MastodonChannel(),
            BlueskyChannel(),
            ThreadsChannel(),
            LinkedInChannel(),
            SmsChannel(),
            SlackChannel(),
            StatuspageChannel(),
        )
    }
)
# The table and the shared list of names must agree (the tone rules validate against it).
assert tuple(CHANNELS) == CHANNEL_NAMES, "channels/__init__.py and _names.py disagree"

_ALIASES: Mapping[str, str] = MappingProxyType(
    {alias: channel.name for channel in CHANNELS.values() for alias in channel.aliases}
)


def available_channels() -> list[str]:
    """The names of every channel, in the order compose drafts them."""
    return list(CHANNELS)


def channel_aliases() -> dict[str, str]:
    """Every alias and the channel it names, such as ``{"twitter": "x"}``."""
    return dict(_ALIASES)


def canonical_name(name: str) -> str | None:
    """The channel ``name`` stands for, alias or not (``"Twitter"`` gives ``"x"``);
    ``None`` for an unknown name."""
    if not isinstance(name, str):
        return None
    key = name.strip().lower()
    key = _ALIASES.get(key, key)
    return key if key in CHANNELS else None


def get_channel(name: str | Channel) -> Channel:
    """The channel called ``name`` (or one of its aliases, such as ``twitter``).

    A :class:`Channel` object is returned as it is, so a configured channel
    (``MastodonChannel(limit=1000)``) can stand wherever a name is accepted.
    """
    if isinstance(name, Channel):
        return name
    key = name.strip().lower() if isinstance(name, str) else name
    key = _ALIASES.get(key, key)
    try:
        return CHANNELS[key]
    except (KeyError, TypeError):
        raise UnknownNameError(
            f"unknown channel {name!r}",
            kind="channel",
            name=str(name),
            known=[*CHANNELS, *_ALIASES],
        ) from None
