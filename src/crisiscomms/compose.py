"""``compose()``: one incident in, every channel's draft out, as a :class:`Bundle`."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import attrs

from crisiscomms import i18n, redaction
from crisiscomms._validate import to_enum
from crisiscomms.channels import (
    Channel,
    Context,
    available_channels,
    canonical_name,
    get_channel,
)
from crisiscomms.drafts import Draft
from crisiscomms.errors import ToneError, UnknownNameError, ValidationError, excerpt
from crisiscomms.findings import Finding, Level
from crisiscomms.incident import Incident, Severity, Stage
from crisiscomms.templating import renderer
from crisiscomms.voice import Spokesperson, preset_names, resolve

if TYPE_CHECKING:
    # Imported where first used: compiling the rules is the first check's cost, not
    # every import's.
    from crisiscomms import tone

__all__ = ["Bundle", "check", "compose"]


@attrs.frozen(kw_only=True)
class Bundle(Mapping[str, Draft]):
    """Every channel's draft for one incident: a mapping from channel name to :class:`Draft`.

    ``findings`` lists what the tone rules found in every draft. ``incident``
    is the record in the drafts' language, ``locale`` that language's tag.
    """

    incident: Incident
    speaker: Spokesperson
    drafts: Mapping[str, Draft] = attrs.field(hash=False)
    findings: tuple[Finding, ...] = ()
    locale: str = "en"

    def __getitem__(self, name: str) -> Draft:
        # A channel's aliases find its draft too: bundle["twitter"] is the X thread.
        try:
            return self.drafts[name]
        except KeyError:
            canonical = canonical_name(name)
            if canonical is None or canonical not in self.drafts:
                raise
            return self.drafts[canonical]

    def __iter__(self) -> Iterator[str]:
        return iter(self.drafts)

    def __len__(self) -> int:
        return len(self.drafts)

    @property
    def voice(self) -> str:
        """The name the spokesperson was chosen by."""
        return self.speaker.key

    @property
    def errors(self) -> tuple[Finding, ...]:
        """The error-level findings."""
        return tuple(finding for finding in self.findings if finding.level is Level.ERROR)

    def manifest(self) -> dict[str, Any]:
        """The JSON manifest, with the incident, the voice, every draft and every finding
        (see :mod:`crisiscomms.manifest`)."""
        from crisiscomms.manifest import build_manifest

        return build_manifest(self)


def _channels(channels: Iterable[str | Channel] | None) -> list[Channel]:
    if channels is None:
        return [get_channel(name) for name in available_channels()]
    if isinstance(channels, (str, Channel)):
        channels = [channels]
    chosen: dict[str, Channel] = {}
    for item in channels:
        channel = get_channel(item)
        chosen.setdefault(channel.name, channel)
    return list(chosen.values())


@attrs.frozen(kw_only=True)
class Prepared:
    """The two contexts a draft is made in: ``private`` with the incident as written
    (for the team's own channels), ``public`` with private details withheld."""

    private: Context
    public: Context
    redactor: redaction.Redactor
    redactions: tuple[redaction.Redaction, ...]

    def redaction_findings(self, channel: str, parts: Sequence[str]) -> list[Finding]:
        """A finding for each detail withheld from ``channel``'s draft."""
        return self.redactor.findings(self.redactions, channel=channel, parts=parts)


def prepare(
    incident: Incident,
    *,
    voice: str | Spokesperson | None,
    default_voice: str,
    template_dirs: Sequence[str | Path] = (),
    update: int | None = None,
    variables: Mapping[str, Any] | None = None,
    reload_templates: bool = False,
    locale: str | None = None,
) -> Prepared:
    """Resolve the language, the spokesperson and the update, and build the private
    and public contexts."""
    # The language must have a catalogue before its translation is looked for.
    tag = i18n.catalogue_tag(incident.locale if locale is None else locale)
    incident = incident.in_language(locale)
    org = incident.organization
    if isinstance(voice, str) and (len(voice) > 100 or not voice.isprintable()):
        # No voice is named so; refused here so the message shows only an excerpt.
        raise UnknownNameError(
            f"unknown voice {excerpt(voice)}", kind="voice", name=voice, known=preset_names()
        )
    speaker = resolve(
        voice,
        spokespeople=incident.spokespeople,
        default=default_voice,
        organization=org.name,
        support_email=org.support_email,
        locale=tag,
    )
    chosen = incident.update_at(update)
    # The 0-based position; not found by equality, which two equal entries would fool.
    index = None if chosen is None else len(incident.updates) - 1 if update is None else update - 1
    # What was known at the chosen entry, and nothing later.
    known = incident.as_of(None if index is None else index + 1)
    redactor = redaction.for_incident(incident)
    public, redactions = redactor.incident(known)
    public, more = _redact_headlines(redactor, public)
    private = Context(
        incident=known,
        speaker=speaker,
        voice=speaker.voice(organization=org.name, stage=known.stage.value, locale=tag),
        renderer=renderer(template_dirs, auto_reload=reload_templates).with_variables(
            variables or {}
        ),
        update=None if index is None else known.updates[index],
        update_number=None if index is None else index + 1,
        locale=tag,
    )
    return Prepared(
        private=private,
        public=attrs.evolve(
            private, incident=public, update=None if index is None else public.updates[index]
        ),
        redactor=redactor,
        redactions=(*redactions, *more),
    )


def _redact_headlines(
    redactor: redaction.Redactor, incident: Incident
) -> tuple[Incident, list[redaction.Redaction]]:
    """The headlines and urgent actions redacted like every other free-text field."""
    found: list[redaction.Redaction] = []

    def clean(value: str, field: str) -> str:
        result, kinds = redactor.redact(value)
        found.extend(redaction.Redaction(kind=kind, field=field) for kind in kinds)
        return result

    changes: dict[str, Any] = {
        "headline": None if incident.headline is None else clean(incident.headline, "headline"),
        "short_headline": (
            None
            if incident.short_headline is None
            else clean(incident.short_headline, "short_headline")
        ),
        "urgent_actions": tuple(
            clean(item, f"urgent_actions[{i}]") for i, item in enumerate(incident.urgent_actions)
        ),
    }
    if not found:
        return incident, []
    return attrs.evolve(incident, **changes), found


def compose(
    incident: Incident,
    *,
    voice: str | Spokesperson | None = None,
    channels: Iterable[str | Channel] | None = None,
    strict: bool = False,
    template_dirs: Sequence[str | Path] = (),
    update: int | None = None,
    rules: tone.RuleSet | None = None,
    variables: Mapping[str, Any] | None = None,
    reload_templates: bool = False,
    locale: str | None = None,
) -> Bundle:
    """Compose every channel's draft for ``incident``.

    ``voice`` is a preset name (``founder``, ``ceo``, ``community-manager``,
    ``brand``), the ``id`` of one of the incident's spokespeople, or a
    :class:`Spokesperson`; by default the incident's own ``voice``.
    ``channels`` names the channels (default: all); a configured channel
    object (``MastodonChannel(limit=1000)``) may stand for a name.
    ``template_dirs`` are searched before the packaged templates, one file
    overriding one file.
    ``update`` picks a timeline entry (1-based; default the latest).
    ``rules`` replaces the bundled tone rules. ``variables`` are names of
    your own that every template can use (``{{ unsubscribe_url }}``); a name
    the library already gives templates is refused with a
    :class:`~crisiscomms.errors.ValidationError` naming ``variables.<name>``,
    never silently overridden. With ``strict=True`` an
    error-level finding raises :class:`~crisiscomms.errors.ToneError`.
    Template files are read once per process; ``reload_templates=True``
    re-reads edited files in ``template_dirs`` (for a long-running review
    server), never the packaged ones.
    ``locale`` (a BCP 47 tag such as ``de`` or ``pt-BR``; default the record's
    own ``locale``) is the drafts' language: the fixed words, dates, clock and
    lists follow it, and the record's text comes from its translation for
    that language (:meth:`Incident.in_language`), refused with a
    :class:`~crisiscomms.errors.ValidationError` naming the first missing
    field rather than mixing two languages in one draft.
    """
    i18n.catalogue_tag(incident.locale if locale is None else locale)
    incident = incident.in_language(locale)
    prepared = prepare(
        incident,
        voice=voice,
        default_voice=incident.voice,
        template_dirs=template_dirs,
        update=update,
        variables=variables,
        reload_templates=reload_templates,
    )
    speaker = prepared.private.speaker
    drafts: dict[str, Draft] = {}
    chosen = _channels(channels)
    by_channel: dict[str, list[Finding]] = {}
    from crisiscomms.tone.engine import record_names

    names = record_names(incident)  # its names in capitals are not shouting

    def check(batch: list[Draft]) -> None:
        checked = _check_drafts(
            batch,
            voice=speaker.preset,
            stage=prepared.private.stage.value,
            severity=incident.severity.value,
            rules=rules,
            names=names,
            locale=prepared.private.locale,
        )
        for draft, found in zip(batch, checked, strict=True):
            by_channel[draft.channel].extend(found)

    # Public drafts first, checked together (they share most paragraphs): the
    # internal alert reports what was found in each.
    public = [channel for channel in chosen if channel.public]
    for channel in public:
        draft = drafts[channel.name] = channel.draft(prepared.public)
        by_channel[channel.name] = [
            *draft.findings,
            *prepared.redaction_findings(channel.name, draft.parts),
        ]
    check([drafts[channel.name] for channel in public])
    for channel in chosen:
        if channel.public:
            continue
        reviews = {key: tuple(value) for key, value in by_channel.items()}
        draft = drafts[channel.name] = channel.draft(
            attrs.evolve(prepared.private, reviews=reviews)
        )
        by_channel[channel.name] = list(draft.findings)
        check([draft])
    ordered = {channel.name: drafts[channel.name] for channel in chosen}
    findings = [finding for channel in chosen for finding in by_channel[channel.name]]
    bundle = Bundle(
        incident=incident,
        speaker=speaker,
        drafts=ordered,
        findings=tuple(findings),
        locale=prepared.private.locale,
    )
    if strict and bundle.errors:
        raise ToneError(bundle.errors)
    return bundle


def _check_drafts(
    drafts: Sequence[Draft],
    *,
    voice: str,
    stage: str,
    severity: str,
    rules: tone.RuleSet | None,
    names: frozenset[str] = frozenset(),
    locale: str | None = None,
) -> list[list[Finding]]:
    """Check the drafts of one bundle together: the same findings as
    :func:`tone.check_parts` gives each, with every paragraph they share read once."""
    from crisiscomms.tone.engine import check_drafts

    return check_drafts(
        [(draft.parts, draft.channel) for draft in drafts],
        voice=voice,
        stage=stage,
        severity=severity,
        rules=rules,
        names=names,
        locale=locale,
    )


def _named_enum(kind: type[Stage] | type[Severity], value: object, field: str) -> str:
    try:
        return str(to_enum(kind, value).value)
    except ValidationError as error:
        raise ValidationError(error.reason, field=field) from None


def check(
    text: str,
    *,
    channel: str,
    voice: str | Spokesperson | None = None,
    stage: str | None = None,
    severity: str | None = None,
    rules: tone.RuleSet | None = None,
    locale: str | None = None,
) -> list[Finding]:
    """Apply the tone rules to any text, as if it were ``channel``'s draft.

    ``voice``, ``stage`` and ``severity`` narrow the rules to those scoped
    to them; left out, only the rules that apply everywhere run. ``locale``
    is the text's language (English when ``None``): the bundled rules of that
    language check it, unless ``rules`` are given.
    """
    name = get_channel(channel).name
    stage_value = None if stage is None else _named_enum(Stage, stage, "stage")
    severity_value = None if severity is None else _named_enum(Severity, severity, "severity")
    if isinstance(voice, str) and voice not in preset_names():
        raise UnknownNameError(
            f"unknown voice {excerpt(voice)}", kind="voice", name=voice, known=preset_names()
        )
    voice_value = voice.preset if isinstance(voice, Spokesperson) else voice
    from crisiscomms import tone

    return tone.check_text(
        text,
        channel=name,
        voice=voice_value,
        stage=stage_value,
        severity=severity_value,
        rules=rules,
        locale=locale,
    )
