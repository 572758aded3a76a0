"""The incident record: the facts, written once.

Every record is a frozen attrs class with keyword-only fields, validated on
construction; a refused value raises
:class:`~crisiscomms.errors.ValidationError` naming the field.
"""

from __future__ import annotations

import datetime as dt
import enum
import zoneinfo
from collections.abc import Mapping
from typing import Any

import attrs

from crisiscomms import _validate as v
from crisiscomms.errors import ValidationError
from crisiscomms.voice import Spokesperson

__all__ = [
    "Component",
    "ComponentStatus",
    "Incident",
    "Link",
    "Organization",
    "Severity",
    "Stage",
    "Team",
    "Update",
]


class Stage(str, enum.Enum):
    """Where the incident stands; the wording of every draft follows it."""

    INVESTIGATING = "investigating"
    IDENTIFIED = "identified"
    MONITORING = "monitoring"
    RESOLVED = "resolved"
    POSTMORTEM = "postmortem"

    def __str__(self) -> str:
        return self.value

    @property
    def label(self) -> str:
        """The stage as a reader sees it, such as ``Investigating`` or ``Post-mortem``."""
        return "Post-mortem" if self is Stage.POSTMORTEM else self.value.capitalize()

    @property
    def is_open(self) -> bool:
        """True until the incident is resolved."""
        return self in (Stage.INVESTIGATING, Stage.IDENTIFIED, Stage.MONITORING)


class Severity(str, enum.Enum):
    """How bad it is; tone rules and wording scale with it."""

    MINOR = "minor"
    MAJOR = "major"
    CRITICAL = "critical"

    def __str__(self) -> str:
        return self.value

    @property
    def rank(self) -> int:
        """0 for minor, 1 for major, 2 for critical."""
        return list(Severity).index(self)


class ComponentStatus(str, enum.Enum):
    """A component's state, from the fixed set status pages use (Statuspage's own values)."""

    OPERATIONAL = "operational"
    DEGRADED_PERFORMANCE = "degraded_performance"
    PARTIAL_OUTAGE = "partial_outage"
    MAJOR_OUTAGE = "major_outage"
    UNDER_MAINTENANCE = "under_maintenance"

    def __str__(self) -> str:
        return self.value

    @property
    def label(self) -> str:
        """The status as a reader sees it, such as ``Partial outage``."""
        return self.value.replace("_", " ").capitalize()


def _to_component_status(value: Any) -> Any:
    # "major outage" and "Major-Outage" read as the value a status page stores.
    if isinstance(value, str):
        words = "_".join(value.strip().lower().replace("-", " ").split())
        if words in ComponentStatus._value2member_map_:
            return ComponentStatus(words)
    return v.enum_or_value(ComponentStatus, value)


def _to_tuple(value: Any) -> Any:
    """A list as a tuple (``None`` as none); anything else left for the validator to refuse.

    Records are built by the caller, or from mappings by
    :func:`~crisiscomms.loading.incident_from_mapping`, which names a bad nested
    field in full (``organization.support_email``).
    """
    if value is None:
        return ()
    return tuple(value) if isinstance(value, (list, tuple)) else value


def _instance_of(kind: type[Any]) -> Any:
    def check(instance: object, attribute: attrs.Attribute[Any], value: Any) -> None:
        if not isinstance(value, kind):
            hint = (
                " (load mappings with incident_from_mapping)" if isinstance(value, Mapping) else ""
            )
            raise ValidationError(f"must be a {kind.__name__}{hint}", field=attribute.name)

    return check


def _tuple_instances(kind: type[Any]) -> Any:
    def check(instance: object, attribute: attrs.Attribute[Any], value: Any) -> None:
        if not isinstance(value, tuple):
            raise ValidationError(f"must be a list of {kind.__name__}", field=attribute.name)
        for index, item in enumerate(value):
            if not isinstance(item, kind):
                raise ValidationError(
                    f"must be a {kind.__name__}", field=f"{attribute.name}[{index}]"
                )

    return check


def _to_stage(value: Any) -> Any:
    return v.enum_or_value(Stage, value)


def _to_severity(value: Any) -> Any:
    return v.enum_or_value(Severity, value)


@attrs.frozen(kw_only=True)
class Link:
    """A labelled http(s) link."""

    url: str = attrs.field(validator=v.url)
    label: str = attrs.field(default="", validator=v.text)


@attrs.frozen(kw_only=True)
class Organization:
    """Who is speaking: the company, its support address and its accounts.

    ``handles`` maps a network (``x``, ``facebook``, ``mastodon`` ...) to the
    brand's account there. ``press_email``, when given, is where replies to
    journalists send them.
    """

    name: str = attrs.field(validator=v.non_empty)
    support_email: str = attrs.field(validator=v.email)
    website: str | None = attrs.field(default=None, validator=v.url)
    handles: dict[str, str] = attrs.field(
        factory=dict, converter=v.to_handles, validator=v.handles, hash=False
    )
    sender_email: str | None = attrs.field(default=None, validator=v.email)
    # Where journalists are sent: replies to the press name it in their holding line.
    press_email: str | None = attrs.field(default=None, validator=v.email)

    @property
    def from_email(self) -> str:
        """The address announcements come from (``sender_email``, else the support address)."""
        return self.sender_email or self.support_email


@attrs.frozen(kw_only=True)
class Update:
    """One entry of the incident's timeline."""

    at: dt.datetime = attrs.field(converter=v.to_datetime, validator=v.aware)
    stage: Stage = attrs.field(converter=_to_stage, validator=v.enum_field(Stage))
    message: str = attrs.field(validator=v.non_empty)
    next_update_at: dt.datetime | None = attrs.field(
        default=None, converter=v.to_datetime, validator=v.aware
    )


@attrs.frozen(kw_only=True)
class Component:
    """A part of the service and its status during the incident (for status pages).

    ``status`` is one of :class:`ComponentStatus` (its string value, or the
    same words with spaces, is accepted); ``id`` is the status page's own id
    for the component, when known.
    """

    name: str = attrs.field(validator=v.non_empty)
    status: ComponentStatus = attrs.field(
        default=ComponentStatus.DEGRADED_PERFORMANCE,
        converter=_to_component_status,
        validator=v.enum_field(ComponentStatus),
    )
    id: str | None = attrs.field(default=None, validator=attrs.validators.optional(v.non_empty))


@attrs.frozen(kw_only=True)
class Team:
    """Who does what during the response.

    ``responders`` maps a channel name to the person who posts it there.
    """

    approver: str | None = None
    engineering_lead: str | None = None
    on_call: str | None = None
    responders: dict[str, str] = attrs.field(factory=dict, converter=v.to_handles, hash=False)


def _zone(instance: object, attribute: attrs.Attribute[Any], value: str) -> None:
    try:
        zoneinfo.ZoneInfo(value)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError, TypeError):
        raise ValidationError(
            f"unknown timezone {value!r} (use an IANA name such as America/Los_Angeles)",
            field=attribute.name,
        ) from None


@attrs.frozen(kw_only=True)
class Incident:
    """The facts of one incident, from which every channel's draft is composed.

    Lists accept any sequence and are stored as tuples; ``stage`` and
    ``severity`` accept their string values.
    """

    title: str = attrs.field(validator=v.non_empty)
    stage: Stage = attrs.field(converter=_to_stage, validator=v.enum_field(Stage))
    severity: Severity = attrs.field(converter=_to_severity, validator=v.enum_field(Severity))
    started_at: dt.datetime = attrs.field(converter=v.to_datetime, validator=v.aware)
    summary: str = attrs.field(validator=v.non_empty)
    impact: str = attrs.field(validator=v.non_empty)
    actions: tuple[str, ...] = attrs.field(converter=v.to_texts, validator=v.texts)
    user_actions: tuple[str, ...] = attrs.field(converter=v.to_texts, validator=v.texts)
    not_affected: tuple[str, ...] = attrs.field(converter=v.to_texts, validator=v.texts)
    status_url: str = attrs.field(validator=v.url)
    organization: Organization = attrs.field(validator=_instance_of(Organization))
    next_update_at: dt.datetime | None = attrs.field(
        default=None, converter=v.to_datetime, validator=v.aware
    )
    updates: tuple[Update, ...] = attrs.field(
        default=(), converter=_to_tuple, validator=_tuple_instances(Update)
    )
    cause: str = attrs.field(default="", validator=v.text)
    unknowns: tuple[str, ...] = attrs.field(default=(), converter=v.to_texts, validator=v.texts)
    data_loss: str = attrs.field(default="", validator=v.text)
    resolved_at: dt.datetime | None = attrs.field(
        default=None, converter=v.to_datetime, validator=v.aware
    )
    postmortem_url: str | None = attrs.field(default=None, validator=v.url)
    links: tuple[Link, ...] = attrs.field(
        default=(), converter=_to_tuple, validator=_tuple_instances(Link)
    )
    components: tuple[Component, ...] = attrs.field(
        default=(), converter=_to_tuple, validator=_tuple_instances(Component)
    )
    timezone: str = attrs.field(default="UTC", validator=_zone)
    voice: str = attrs.field(default="brand", validator=v.non_empty)
    spokespeople: tuple[Spokesperson, ...] = attrs.field(
        default=(), converter=_to_tuple, validator=_tuple_instances(Spokesperson)
    )
    team: Team = attrs.field(factory=Team, validator=_instance_of(Team))
    private_patterns: tuple[str, ...] = attrs.field(
        default=(), converter=v.to_texts, validator=[v.texts, v.patterns]
    )
    #: A content warning for networks that show one before the post (Mastodon's
    #: ``spoiler_text``); empty for none.
    content_warning: str = attrs.field(default="", validator=v.text)

    @property
    def zone(self) -> zoneinfo.ZoneInfo:
        """The audience's timezone."""
        return zoneinfo.ZoneInfo(self.timezone)

    def update_at(self, index: int | None) -> Update | None:
        """The timeline entry ``index`` (1-based; ``None`` for the latest), if any."""
        if not self.updates:
            if index is not None:
                raise ValidationError(
                    f"no update {index}: the incident has no timeline", field="updates"
                )
            return None
        if index is None:
            return self.updates[-1]
        if not 1 <= index <= len(self.updates):
            raise ValidationError(
                f"no update {index}: the timeline has {len(self.updates)}", field="updates"
            )
        return self.updates[index - 1]
