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

__version__: str  # read from the package metadata on first use (see __getattr__)

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
    # importlib.metadata costs more to import than the rest of the package's start-up
    # does, so the version is only looked up when someone asks for it.
    if name != "__version__":
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("crisiscomms")
    except PackageNotFoundError:  # pragma: no cover - running from a bare source tree
        return "0.0.0"


def __dir__() -> list[str]:
    return sorted({*globals(), *_LATER, "__version__"})


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
