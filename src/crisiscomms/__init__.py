"""crisiscomms: write an incident's facts once, get every channel's announcement.

>>> import crisiscomms
>>> incident = crisiscomms.load_incident("examples/buffer-2013.toml")  # doctest: +SKIP
>>> bundle = crisiscomms.compose(incident, voice="founder")  # doctest: +SKIP
>>> bundle["x"].parts  # doctest: +SKIP
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

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
from crisiscomms.loading import incident_from_mapping, load_incident
from crisiscomms.voice import Spokesperson, Voice

if TYPE_CHECKING:
    from crisiscomms.payloads import post_thread
    from crisiscomms.replies import Mention, compose_replies

#: The library's version; the package's own metadata is built from this line.
__version__ = "0.1.0"

# Imported when first used: composing drafts, what most callers do, needs neither.
_LATER = {
    "post_thread": "crisiscomms.payloads",
    "Mention": "crisiscomms.replies",
    "compose_replies": "crisiscomms.replies",
}


def __getattr__(name: str) -> Any:
    module = _LATER.get(name)
    if module is not None:
        value = getattr(importlib.import_module(module), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted({*globals(), *_LATER})


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
    "incident_from_mapping",
    "load_incident",
    "post_thread",
]
