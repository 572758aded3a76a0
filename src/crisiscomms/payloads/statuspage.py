"""Statuspage: the body for creating or updating an incident.

References: https://developer.statuspage.io/#operation/postPagesPageIdIncidents
(create, ``POST /v1/pages/{page_id}/incidents``) and
https://developer.statuspage.io/#operation/patchPagesPageIdIncidentsIncidentId
(update, ``PATCH /v1/pages/{page_id}/incidents/{incident_id}``). Both take
the same ``{"incident": {...}}`` body:

``name``
    The incident's title (at most 255 characters, shortened at a word).
``status``
    ``investigating``, ``identified``, ``monitoring`` or ``resolved`` (a
    post-mortem is announced on a resolved incident).
``impact_override``
    The severity: ``minor``, ``major`` or ``critical``.
``body``
    The update's Markdown text.
``components``
    ``{component_id: status}``, each status one of
    :class:`~crisiscomms.ComponentStatus` (``operational``,
    ``degraded_performance``, ``partial_outage``, ``major_outage``,
    ``under_maintenance``): the status page's component states change with
    the update.
``component_ids``
    The same ids, as the list of components the incident affects.
``deliver_notifications``
    ``true`` unless ``deliver_notifications=False``: subscribers are told.

Statuspage knows components by id. A component of the record without an
``id`` takes the one ``component_ids={name: id}`` gives it; one with no id
at all is left out of ``components`` and ``component_ids`` (the body still
names it and its status where room allows), so the request never carries a
name where the API expects an id.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from crisiscomms.errors import ValidationError
from crisiscomms.incident import ComponentStatus

if TYPE_CHECKING:
    from crisiscomms.drafts import Draft

__all__ = ["IMPACTS", "STATUSES", "build"]

STATUSES = ("investigating", "identified", "monitoring", "resolved")
"""The statuses of a realtime incident."""
IMPACTS = ("none", "minor", "major", "critical")
"""The impacts an incident may declare."""

_STATUS_OF_STAGE = {
    "investigating": "investigating",
    "identified": "identified",
    "monitoring": "monitoring",
    "resolved": "resolved",
    "postmortem": "resolved",
}


def _ids(component_ids: Mapping[str, str] | None) -> Mapping[str, str]:
    if component_ids is None:
        return {}
    if not isinstance(component_ids, Mapping):
        raise ValidationError("must map component names to ids", field="component_ids")
    for name, value in component_ids.items():
        if not isinstance(value, str) or not value.strip():
            raise ValidationError("must be a non-empty id", field=f"component_ids.{name}")
    return component_ids


def build(
    draft: Draft,
    *,
    component_ids: Mapping[str, str] | None = None,
    deliver_notifications: bool = True,
) -> dict[str, Any]:
    """The ``{"incident": {...}}`` body for the draft's update."""
    known = _ids(component_ids)
    metadata = draft.metadata
    status = str(metadata.get("status") or _STATUS_OF_STAGE.get(draft.stage, "investigating"))
    components: dict[str, str] = {}
    for item in metadata.get("components", ()):
        component_id = item.get("id") or known.get(item.get("name", ""))
        if component_id:
            components[component_id] = ComponentStatus(item.get("status")).value
    if not isinstance(deliver_notifications, bool):
        raise ValidationError("must be true or false", field="deliver_notifications")
    incident: dict[str, Any] = {
        "name": draft.title or "",
        "status": status,
        "body": draft.parts[0],
        "components": components,
        "component_ids": list(components),
        "deliver_notifications": deliver_notifications,
    }
    impact = metadata.get("impact")
    if impact in IMPACTS:
        incident["impact_override"] = impact
    return {"incident": incident}
