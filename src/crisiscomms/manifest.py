"""The JSON manifest: what ``crisiscomms draft --json`` prints and ``--out`` writes.

Its shape is described by a JSON Schema shipped inside the package
(``crisiscomms/manifest.schema.json``, read with :func:`schema`).
``schema_version`` changes when a field is removed or changes meaning;
fields may be added without a change, so readers should ignore keys they
do not know.
"""

from __future__ import annotations

import json
from importlib import resources
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from crisiscomms.compose import Bundle

__all__ = ["SCHEMA_VERSION", "build_manifest", "schema"]

#: The version of the manifest's shape (see the module docstring).
SCHEMA_VERSION = 1


def build_manifest(bundle: Bundle) -> dict[str, Any]:
    """The manifest for ``bundle``: the incident, the voice, every draft (as a
    list in drafting order and keyed by channel) and every finding."""
    from crisiscomms import __version__

    incident = bundle.incident
    drafts = [draft.to_dict() for draft in bundle.drafts.values()]
    return {
        "schema_version": SCHEMA_VERSION,
        "crisiscomms_version": __version__,
        "incident": {
            "title": incident.title,
            "stage": incident.stage.value,
            "severity": incident.severity.value,
            "started_at": incident.started_at.isoformat(),
            "status_url": incident.status_url,
        },
        "voice": bundle.voice,
        "locale": bundle.locale,
        "spokesperson": {"name": bundle.speaker.name, "title": bundle.speaker.title},
        "drafts": drafts,
        # The same drafts again, for readers that pick one channel by name.
        "drafts_by_channel": {draft["channel"]: draft for draft in drafts},
        "findings": [finding.to_dict() for finding in bundle.findings],
    }


def schema() -> dict[str, Any]:
    """The manifest's JSON Schema (draft 2020-12), as shipped in the package."""
    text = resources.files("crisiscomms").joinpath("manifest.schema.json").read_text("utf-8")
    loaded: dict[str, Any] = json.loads(text)
    return loaded
