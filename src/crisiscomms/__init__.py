"""crisiscomms: write an incident's facts once, get every channel's announcement.

>>> import crisiscomms
>>> incident = crisiscomms.load_incident("examples/buffer-2013.toml")  # doctest: +SKIP
>>> bundle = crisiscomms.compose(incident, voice="founder")  # doctest: +SKIP
>>> bundle["x"].parts  # doctest: +SKIP
"""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

from crisiscomms.channels import available_channels, channel_aliases, get_channel
from crisiscomms.compose import Bundle, check, compose
from crisiscomms.drafts import Draft, EmailDraft
from crisiscomms.errors import CrisisCommsError
from crisiscomms.findings import Finding, Level
from crisiscomms.incident import (
    Component,
    ComponentStatus,
    Incident,
    Link,
    Organization,
    Severity,
    Stage,
    Team,
    Update,
)
from crisiscomms.loading import load_incident
from crisiscomms.payloads import post_thread
from crisiscomms.replies import Mention, compose_replies
from crisiscomms.voice import Spokesperson, Voice

try:
    __version__ = version("crisiscomms")
except PackageNotFoundError:  # pragma: no cover - running from a bare source tree
    __version__ = "0.0.0"

__all__ = [
    "Bundle",
    "Component",
    "ComponentStatus",
    "CrisisCommsError",
    "Draft",
    "EmailDraft",
    "Finding",
    "Incident",
    "Level",
    "Link",
    "Mention",
    "Organization",
    "Severity",
    "Spokesperson",
    "Stage",
    "Team",
    "Update",
    "Voice",
    "__version__",
    "available_channels",
    "channel_aliases",
    "check",
    "compose",
    "compose_replies",
    "get_channel",
    "load_incident",
    "post_thread",
]
