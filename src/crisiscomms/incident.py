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
from crisiscomms.errors import ValidationError, excerpt
from crisiscomms.i18n import N_
from crisiscomms.voice import Spokesperson

__all__ = [
    "CLOCKS",
    "Component",
    "ComponentStatus",
    "Incident",
    "IncidentKind",
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
        return _STAGE_LABELS[self]

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


class IncidentKind(str, enum.Enum):
    """What sort of incident it is. For a ``security`` incident or a ``recall`` every
    user action is urgent: doing it prevents harm, so it comes first."""

    OUTAGE = "outage"
    SECURITY = "security"
    PRIVACY = "privacy"
    RECALL = "recall"
    MESSAGE = "message"
    OTHER = "other"

    def __str__(self) -> str:
        return self.value

    @property
    def urgent(self) -> bool:
        """True when what users should do prevents harm (a recall, a security incident)."""
        return self in (IncidentKind.SECURITY, IncidentKind.RECALL)


#: The clocks a record may ask for: ``12h`` (``3:00 pm``) or ``24h`` (``15:00``).
CLOCKS = ("12h", "24h")


def _clock(instance: object, attribute: attrs.Attribute[Any], value: str | None) -> None:
    if value is not None and value not in CLOCKS:
        raise ValidationError("must be '12h' or '24h'", field=attribute.name)


def _optional_text(instance: object, attribute: attrs.Attribute[Any], value: str | None) -> None:
    if value is not None:
        v.non_empty(instance, attribute, value)


def _optional_texts(value: Any) -> Any:
    return None if value is None else v.to_texts(value)


def _optional_texts_valid(instance: object, attribute: attrs.Attribute[Any], value: Any) -> None:
    if value is not None:
        v.texts(instance, attribute, value)


def _optional_tuple(value: Any) -> Any:
    return None if value is None else _to_tuple(value)


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
        return _STATUS_LABELS[self]


# The labels in English; the catalogues translate them (i18n.gettext(tag, label)).
_STAGE_LABELS = {
    Stage.INVESTIGATING: N_("Investigating"),
    Stage.IDENTIFIED: N_("Identified"),
    Stage.MONITORING: N_("Monitoring"),
    Stage.RESOLVED: N_("Resolved"),
    Stage.POSTMORTEM: N_("Post-mortem"),
}
# Severities as the Slack alert names them (the catalogues translate these).
_SEVERITY_LABELS = (N_("Minor"), N_("Major"), N_("Critical"))
_STATUS_LABELS = {
    ComponentStatus.OPERATIONAL: N_("Operational"),
    ComponentStatus.DEGRADED_PERFORMANCE: N_("Degraded performance"),
    ComponentStatus.PARTIAL_OUTAGE: N_("Partial outage"),
    ComponentStatus.MAJOR_OUTAGE: N_("Major outage"),
    ComponentStatus.UNDER_MAINTENANCE: N_("Under maintenance"),
}


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


def _to_kind(value: Any) -> Any:
    return v.enum_or_value(IncidentKind, value)


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
    handles: Mapping[str, str] = attrs.field(
        factory=dict, converter=v.to_handles, validator=v.handles, hash=False
    )
    sender_email: str | None = attrs.field(default=None, validator=v.email)
    #: A phone line readers are told to call: published, so never withheld as private.
    support_phone: str | None = attrs.field(default=None, validator=v.optional_text)
    clock: str | None = attrs.field(default=None, validator=_clock)
    # Where journalists are sent: replies to the press name it in their holding line.
    press_email: str | None = attrs.field(default=None, validator=v.email)

    @property
    def from_email(self) -> str:
        """The address announcements come from (``sender_email``, else the support address)."""
        return self.sender_email or self.support_email


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

    ``responders`` maps a channel name to the person who posts it there;
    ``approved`` lists the channels whose draft the approver has signed off
    (the internal alert lists the others as awaiting approval).
    """

    approver: str | None = attrs.field(default=None, validator=v.optional_text)
    engineering_lead: str | None = attrs.field(default=None, validator=v.optional_text)
    on_call: str | None = attrs.field(default=None, validator=v.optional_text)
    responders: Mapping[str, str] = attrs.field(
        factory=dict, converter=v.to_handles, validator=v.names, hash=False
    )

    approved: tuple[str, ...] = attrs.field(default=(), converter=v.to_texts, validator=v.texts)


def _needed_while_open(instance: object, attribute: attrs.Attribute[Any], value: Any) -> None:
    # Every open-stage draft tells readers what to do; an empty list would leave
    # that required section blank (or fail a template that reads its first item).
    stage = getattr(instance, "stage", None)
    if isinstance(stage, Stage) and stage.is_open and not value:
        raise ValidationError(
            f"must say what users should do while the incident is {stage.value}"
            ' (write "Nothing: ..." when there is nothing to do)',
            field=attribute.name,
        )


@attrs.frozen(kw_only=True)
class Update:
    """One entry of the incident's timeline.

    Besides its ``message`` (what is new), an entry may carry any of the
    incident's facts as they stood at ``at``: a field given here replaces the
    incident's (a list replaces the whole list); a field left out keeps what
    was known before. ``components`` change the named components' statuses
    (and add components not named before).
    """

    at: dt.datetime = attrs.field(converter=v.to_datetime, validator=v.aware)
    stage: Stage = attrs.field(converter=_to_stage, validator=v.enum_field(Stage))
    message: str = attrs.field(validator=v.non_empty)
    next_update_at: dt.datetime | None = attrs.field(
        default=None, converter=v.to_datetime, validator=[v.aware, v.not_before("at")]
    )
    headline: str | None = attrs.field(default=None, validator=_optional_text)
    short_headline: str | None = attrs.field(default=None, validator=_optional_text)
    summary: str | None = attrs.field(default=None, validator=_optional_text)
    impact: str | None = attrs.field(default=None, validator=_optional_text)
    cause: str | None = attrs.field(default=None, validator=_optional_text)
    data_loss: str | None = attrs.field(default=None, validator=_optional_text)
    actions: tuple[str, ...] | None = attrs.field(
        default=None, converter=_optional_texts, validator=_optional_texts_valid
    )
    user_actions: tuple[str, ...] | None = attrs.field(
        default=None, converter=_optional_texts, validator=_optional_texts_valid
    )
    urgent_actions: tuple[str, ...] | None = attrs.field(
        default=None, converter=_optional_texts, validator=_optional_texts_valid
    )
    not_affected: tuple[str, ...] | None = attrs.field(
        default=None, converter=_optional_texts, validator=_optional_texts_valid
    )
    unknowns: tuple[str, ...] | None = attrs.field(
        default=None, converter=_optional_texts, validator=_optional_texts_valid
    )
    components: tuple[Component, ...] | None = attrs.field(
        default=None,
        converter=_optional_tuple,
        validator=attrs.validators.optional(_tuple_instances(Component)),
    )


#: The facts an :class:`Update` may carry, overlaid in order on the incident's.
FACTS = (
    "headline",
    "short_headline",
    "summary",
    "impact",
    "cause",
    "data_loss",
    "actions",
    "user_actions",
    "urgent_actions",
    "not_affected",
    "unknowns",
)


@attrs.frozen(kw_only=True)
class EntryText:
    """One timeline entry's text in another language: its ``message`` and any of
    the facts the entry carries, under the same names."""

    message: str | None = attrs.field(default=None, validator=_optional_text)
    headline: str | None = attrs.field(default=None, validator=_optional_text)
    short_headline: str | None = attrs.field(default=None, validator=_optional_text)
    summary: str | None = attrs.field(default=None, validator=_optional_text)
    impact: str | None = attrs.field(default=None, validator=_optional_text)
    cause: str | None = attrs.field(default=None, validator=_optional_text)
    data_loss: str | None = attrs.field(default=None, validator=_optional_text)
    actions: tuple[str, ...] | None = attrs.field(
        default=None, converter=_optional_texts, validator=_optional_texts_valid
    )
    user_actions: tuple[str, ...] | None = attrs.field(
        default=None, converter=_optional_texts, validator=_optional_texts_valid
    )
    urgent_actions: tuple[str, ...] | None = attrs.field(
        default=None, converter=_optional_texts, validator=_optional_texts_valid
    )
    not_affected: tuple[str, ...] | None = attrs.field(
        default=None, converter=_optional_texts, validator=_optional_texts_valid
    )
    unknowns: tuple[str, ...] | None = attrs.field(
        default=None, converter=_optional_texts, validator=_optional_texts_valid
    )


@attrs.frozen(kw_only=True)
class SpeakerText:
    """A spokesperson's own lines in another language; ``key`` is the
    spokesperson's ``id`` (or preset) as in ``spokespeople``. ``name`` is
    optional: a person's name stays as written, a team's ("The Happiness
    team") may be given in the language."""

    key: str = attrs.field(validator=v.non_empty)
    name: str | None = attrs.field(default=None, validator=_optional_text)
    title: str | None = attrs.field(default=None, validator=_optional_text)
    greeting: str | None = attrs.field(default=None, validator=_optional_text)
    apology: str | None = attrs.field(default=None, validator=_optional_text)
    ownership: str | None = attrs.field(default=None, validator=_optional_text)
    sign_off: str | None = attrs.field(default=None, validator=_optional_text)


@attrs.frozen(kw_only=True)
class Translation:
    """The record's text in another language (``[translations.fr]`` in a file).

    Fields have the record's names; ``updates`` holds one :class:`EntryText`
    per timeline entry, in order. Names (the organisation's, components',
    links' addresses) are not translated. See :meth:`Incident.in_language`.
    """

    title: str | None = attrs.field(default=None, validator=_optional_text)
    summary: str | None = attrs.field(default=None, validator=_optional_text)
    impact: str | None = attrs.field(default=None, validator=_optional_text)
    cause: str | None = attrs.field(default=None, validator=_optional_text)
    data_loss: str | None = attrs.field(default=None, validator=_optional_text)
    headline: str | None = attrs.field(default=None, validator=_optional_text)
    short_headline: str | None = attrs.field(default=None, validator=_optional_text)
    content_warning: str | None = attrs.field(default=None, validator=_optional_text)
    actions: tuple[str, ...] | None = attrs.field(
        default=None, converter=_optional_texts, validator=_optional_texts_valid
    )
    user_actions: tuple[str, ...] | None = attrs.field(
        default=None, converter=_optional_texts, validator=_optional_texts_valid
    )
    urgent_actions: tuple[str, ...] | None = attrs.field(
        default=None, converter=_optional_texts, validator=_optional_texts_valid
    )
    not_affected: tuple[str, ...] | None = attrs.field(
        default=None, converter=_optional_texts, validator=_optional_texts_valid
    )
    unknowns: tuple[str, ...] | None = attrs.field(
        default=None, converter=_optional_texts, validator=_optional_texts_valid
    )
    updates: tuple[EntryText, ...] = attrs.field(
        default=(), converter=_to_tuple, validator=_tuple_instances(EntryText)
    )
    spokespeople: tuple[SpeakerText, ...] = attrs.field(
        default=(), converter=_to_tuple, validator=_tuple_instances(SpeakerText)
    )


#: The text fields of a record that a translation must give when the record has them.
TEXT_FIELDS = (
    "title",
    "summary",
    "impact",
    "cause",
    "data_loss",
    "headline",
    "short_headline",
    "content_warning",
    "actions",
    "user_actions",
    "urgent_actions",
    "not_affected",
    "unknowns",
)
#: The spokesperson's lines a translation must give when the record sets them.
SPEAKER_FIELDS = ("title", "greeting", "apology", "ownership", "sign_off")


def _to_locale(value: Any) -> Any:
    from crisiscomms import i18n

    return i18n.normalize(value) if isinstance(value, str) else value


def _locale_field(instance: object, attribute: attrs.Attribute[Any], value: Any) -> None:
    from crisiscomms import i18n

    i18n.normalize(value, field=attribute.name)


def _to_translations(value: Any) -> Any:
    if not isinstance(value, Mapping):
        return value

    def tag(key: Any) -> Any:
        try:
            return _to_locale(key)
        except ValidationError:
            return key  # refused by the validator, which names the key

    return {tag(key): item for key, item in value.items()}


def _translations_valid(instance: object, attribute: attrs.Attribute[Any], value: Any) -> None:
    from crisiscomms import i18n

    if not isinstance(value, Mapping):
        raise ValidationError("must map language tags to translations", field=attribute.name)
    for key, item in value.items():
        i18n.normalize(key, field=f"{attribute.name}.{key}")
        if not isinstance(item, Translation):
            raise ValidationError("must be a Translation", field=f"{attribute.name}.{key}")


def _zone(instance: object, attribute: attrs.Attribute[Any], value: str) -> None:
    try:
        zoneinfo.ZoneInfo(value)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError, TypeError):
        raise ValidationError(
            f"unknown timezone {excerpt(value)} (use an IANA name such as America/Los_Angeles)",
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
    user_actions: tuple[str, ...] = attrs.field(
        converter=v.to_texts, validator=[v.texts, _needed_while_open]
    )
    not_affected: tuple[str, ...] = attrs.field(converter=v.to_texts, validator=v.texts)
    status_url: str = attrs.field(validator=v.url)
    organization: Organization = attrs.field(validator=_instance_of(Organization))
    next_update_at: dt.datetime | None = attrs.field(
        default=None, converter=v.to_datetime, validator=[v.aware, v.not_before("started_at")]
    )
    updates: tuple[Update, ...] = attrs.field(
        default=(), converter=_to_tuple, validator=_tuple_instances(Update)
    )
    cause: str = attrs.field(default="", validator=v.text)
    unknowns: tuple[str, ...] = attrs.field(default=(), converter=v.to_texts, validator=v.texts)
    data_loss: str = attrs.field(default="", validator=v.text)
    resolved_at: dt.datetime | None = attrs.field(
        default=None, converter=v.to_datetime, validator=[v.aware, v.not_before("started_at")]
    )
    postmortem_url: str | None = attrs.field(default=None, validator=v.url)
    links: tuple[Link, ...] = attrs.field(
        default=(), converter=_to_tuple, validator=_tuple_instances(Link)
    )
    components: tuple[Component, ...] = attrs.field(
        default=(), converter=_to_tuple, validator=_tuple_instances(Component)
    )
    timezone: str = attrs.field(default="UTC", validator=_zone)
    voice: str = attrs.field(default="brand", validator=[v.non_empty, v.short_name])
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
    updated_at: dt.datetime | None = attrs.field(
        default=None, converter=v.to_datetime, validator=v.aware
    )
    headline: str | None = attrs.field(default=None, validator=_optional_text)
    short_headline: str | None = attrs.field(default=None, validator=_optional_text)
    urgent_actions: tuple[str, ...] = attrs.field(
        default=(), converter=v.to_texts, validator=v.texts
    )
    kind: IncidentKind = attrs.field(
        default=IncidentKind.OUTAGE,
        converter=_to_kind,
        validator=v.enum_field(IncidentKind),
    )
    clock: str | None = attrs.field(default=None, validator=_clock)
    #: The language the record is written in (a BCP 47 tag).
    locale: str = attrs.field(default="en", converter=_to_locale, validator=_locale_field)
    #: The record's text in other languages, by language tag.
    translations: Mapping[str, Translation] = attrs.field(
        factory=dict,
        converter=_to_translations,
        validator=_translations_valid,
        hash=False,
    )

    def __attrs_post_init__(self) -> None:
        _check_order(self)

    @property
    def zone(self) -> zoneinfo.ZoneInfo:
        """The audience's timezone."""
        return zoneinfo.ZoneInfo(self.timezone)

    @property
    def clock_style(self) -> str:
        """``12h`` or ``24h``: the record's ``clock``, else the organization's, else ``12h``."""
        return self.clock or self.organization.clock or "12h"

    @property
    def first_actions(self) -> tuple[str, ...]:
        """What users should do first because it prevents harm: ``urgent_actions``, and
        for a security incident or a recall every user action."""
        if self.kind.urgent:
            return _unique((*self.urgent_actions, *self.user_actions))
        return self.urgent_actions

    @property
    def later_actions(self) -> tuple[str, ...]:
        """The user actions that are not urgent."""
        first = set(self.first_actions)
        return tuple(action for action in self.user_actions if action not in first)

    @property
    def all_user_actions(self) -> tuple[str, ...]:
        """Every user action, the urgent ones first, each once."""
        return (*self.first_actions, *self.later_actions)

    def as_of(self, index: int | None = None) -> Incident:
        """The incident as it was known at timeline entry ``index`` (1-based; ``None``
        for the latest): the record's facts overlaid by entries 1 to ``index`` in
        order, the entry's stage and times, and only the timeline up to it.

        Component statuses follow the stage: once the incident is resolved, a
        component is operational unless a resolved or post-mortem entry set its
        status. A record without a timeline comes back with only that rule applied.
        """
        entry = self.update_at(index)
        if entry is None:
            return attrs.evolve(self, components=_settled(self.components, (), self.stage))
        position = len(self.updates) if index is None else index
        known = self.updates[:position]
        changes: dict[str, Any] = {}
        components = list(self.components)
        closing: list[Component] = []
        for update in known:
            for name in FACTS:
                value = getattr(update, name)
                if value is not None:
                    changes[name] = value
            if update.components is not None:
                components = _overlay(components, update.components)
                if not update.stage.is_open:
                    closing = _overlay(closing, update.components)
        closed_at = next((update.at for update in known if not update.stage.is_open), None)
        resolved_at = None
        if not entry.stage.is_open:
            resolved_at = self.resolved_at if self.resolved_at is not None else closed_at
        next_update = entry.next_update_at
        if next_update is None and position == len(self.updates):
            next_update = self.next_update_at
        return attrs.evolve(
            self,
            **changes,
            stage=entry.stage,
            updates=known,
            next_update_at=next_update,
            updated_at=entry.at,
            resolved_at=resolved_at,
            components=_settled(tuple(components), tuple(closing), entry.stage),
        )

    def in_language(self, tag: str | None = None) -> Incident:
        """The incident's text in the language ``tag`` (its own ``locale`` by default).

        The record's own text serves any tag of its language (``en-GB`` for an
        ``en`` record). Another language needs a translation for it
        (``translations["fr"]``, or ``translations["fr-CA"]`` for ``fr-CA``)
        that gives every text the record has: its fields, every timeline
        entry's message and facts, and the used spokespeople's own lines.
        The result has ``locale`` set to ``tag``.

        Raises:
            ValidationError: naming the first missing field (such as
                ``translations.fr.updates[1].message``) and counting the rest;
                a draft is never made of two languages.
        """
        from crisiscomms import i18n

        wanted = self.locale if tag is None else i18n.normalize(tag)
        if wanted == self.locale:
            return self
        language = wanted.split("-")[0]
        if language == self.locale.split("-")[0]:
            return attrs.evolve(self, locale=wanted)
        key = wanted if wanted in self.translations else None
        if key is None:
            key = next((k for k in self.translations if k.split("-")[0] == language), None)
        if key is None:
            raise ValidationError(
                f"the record is written in {self.locale} and has no {wanted} translation;"
                f" add [translations.{wanted}] with its text",
                field=f"translations.{wanted}",
            )
        return _translate(self, self.translations[key], key, wanted)

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


def _unique(items: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(items))


def _overlay(components: list[Component], changes: tuple[Component, ...]) -> list[Component]:
    """``components`` with each of ``changes`` replacing the one of the same name (or id)."""
    result = list(components)
    for change in changes:
        for position, current in enumerate(result):
            same_id = change.id is not None and change.id == current.id
            if same_id or current.name == change.name:
                result[position] = change
                break
        else:
            result.append(change)
    return result


def _settled(
    components: tuple[Component, ...], closing: tuple[Component, ...], stage: Stage
) -> tuple[Component, ...]:
    # A status written while the incident was open says nothing once it is fixed.
    if stage.is_open:
        return components
    kept = {component.name for component in closing}
    return tuple(
        component
        if component.name in kept
        else attrs.evolve(component, status=ComponentStatus.OPERATIONAL)
        for component in components
    )


def _translate(incident: Incident, text: Translation, key: str, tag: str) -> Incident:
    """``incident`` with ``text`` in place of its own; every missing text refused at once."""
    missing: list[str] = []
    changes: dict[str, Any] = {"locale": tag}

    def take(field: str, own: Any, given: Any, where: str) -> Any:
        if not own:
            return given if given is not None else own
        if given is None:
            missing.append(f"{where}.{field}")
            return own
        if isinstance(own, tuple) and len(given) != len(own):
            missing.append(f"{where}.{field} ({len(given)} items for the record's {len(own)})")
        return given

    where = f"translations.{key}"
    for field in TEXT_FIELDS:
        changes[field] = take(field, getattr(incident, field), getattr(text, field), where)
    entries = text.updates
    if incident.updates and len(entries) != len(incident.updates):
        missing.append(
            f"{where}.updates ({len(entries)} entries for the record's {len(incident.updates)})"
        )
    updates = []
    for index, update in enumerate(incident.updates):
        entry = entries[index] if index < len(entries) else EntryText()
        at = f"{where}.updates[{index}]"
        fields = {"message": take("message", update.message, entry.message, at)}
        for field in FACTS:
            fields[field] = take(field, getattr(update, field), getattr(entry, field), at)
        updates.append(attrs.evolve(update, **fields))
    changes["updates"] = tuple(updates)
    lines = {speaker.key: speaker for speaker in text.spokespeople}
    people = []
    for person in incident.spokespeople:
        own = lines.get(person.key, SpeakerText(key=person.key))
        at = f"{where}.spokespeople.{person.key}"
        fields = {
            field: take(field, getattr(person, field), getattr(own, field), at)
            for field in SPEAKER_FIELDS
        }
        if own.name is not None:
            fields["name"] = own.name
        people.append(attrs.evolve(person, **{k: v for k, v in fields.items() if v is not None}))
    changes["spokespeople"] = tuple(people)
    if missing:
        more = ""
        if len(missing) > 1:
            listed = ", ".join(missing[1:4]) + (", ..." if len(missing) > 4 else "")
            more = f" (and {len(missing) - 1} more: {listed})"
        raise ValidationError(
            f"the {key} translation is incomplete: a draft in {tag} would mix languages{more}",
            field=missing[0].split(" (")[0],
        )
    return attrs.evolve(incident, **changes)


_RANK = {stage: rank for rank, stage in enumerate(Stage)}


def _check_order(incident: Incident) -> None:
    """Refuse a timeline whose entries go back in time, reopen a resolved incident,
    or contradict the record's own stage."""
    latest: Update | None = None
    for position, update in enumerate(incident.updates):
        if latest is not None:
            if update.at < latest.at:
                raise ValidationError(
                    f"is earlier than updates[{position - 1}].at; list entries in time order",
                    field=f"updates[{position}].at",
                )
            # An open stage may follow another open one (a fix that did not hold),
            # but nothing reopens a resolved incident or comes back from its post-mortem.
            if not latest.stage.is_open and _RANK[update.stage] < _RANK[latest.stage]:
                raise ValidationError(
                    f"{update.stage.value!r} cannot follow a {latest.stage.value!r} entry "
                    f"(stages run investigating, identified, monitoring, resolved, postmortem)",
                    field=f"updates[{position}].stage",
                )
        latest = update
    closed = latest is not None and not latest.stage.is_open
    if closed and latest is not None and _RANK[incident.stage] < _RANK[latest.stage]:
        raise ValidationError(
            f"is {incident.stage.value!r}, but the timeline has reached {latest.stage.value!r}",
            field="stage",
        )
