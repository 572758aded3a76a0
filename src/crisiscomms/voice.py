"""Who speaks, and how: :class:`Spokesperson` and the voice presets.

The presets (``founder``, ``ceo``, ``community-manager``, ``brand``) are data,
in ``voices.toml`` beside this module. A :class:`Spokesperson` picks a preset
and may override any of its fields; :meth:`Spokesperson.voice` resolves the
two into the :class:`Voice` the templates read.
"""

from __future__ import annotations

import functools
import re
import sys
from collections.abc import Mapping
from importlib import resources
from typing import Any, Literal

import attrs

from crisiscomms import _validate as v
from crisiscomms.errors import UnknownNameError, ValidationError, excerpt

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on Python 3.10 only
    import tomli as tomllib

__all__ = ["PRESETS", "Spokesperson", "Voice", "preset_names"]

# Which table of a preset holds a stage's own lines; open stages use the preset's own.
_STAGE_LINES = {"resolved": "resolved", "postmortem": "postmortem"}

_FIELDS = ("pronoun", "greeting", "apology", "ownership", "sign_off", "posts_as", "signature")


@functools.cache
def _presets() -> Mapping[str, Mapping[str, Any]]:
    data = tomllib.loads(resources.files("crisiscomms").joinpath("voices.toml").read_text("utf-8"))
    return {name: dict(fields) for name, fields in data.items()}


@functools.cache
def _localized(tag: str) -> Mapping[str, Mapping[str, Any]]:
    """The presets' lines in the language ``tag`` (``locales/<tag>/voices.toml``),
    laid over the English presets; English itself has none."""
    if tag == "en":
        return _presets()
    folder = resources.files("crisiscomms").joinpath("locales").joinpath(tag.replace("-", "_"))
    path = folder.joinpath("voices.toml")
    data = tomllib.loads(path.read_text("utf-8")) if path.is_file() else {}
    merged: dict[str, dict[str, Any]] = {}
    for name, fields in _presets().items():
        own = dict(fields)
        lines = data.get(name, {})
        for key, value in lines.items():
            if isinstance(value, dict):
                own[key] = {**own.get(key, {}), **value}
            else:
                own[key] = value
        merged[name] = own
    return merged


def preset_names() -> tuple[str, ...]:
    """The names of the bundled voice presets."""
    return tuple(_presets())


PRESETS = ("founder", "ceo", "community-manager", "brand")


def _preset(instance: object, attribute: attrs.Attribute[Any], value: str) -> None:
    if not isinstance(value, str) or value not in _presets():
        raise ValidationError(
            f"unknown voice preset {excerpt(value)} (known: {', '.join(preset_names())})",
            field=attribute.name,
        )


def _pronoun(instance: object, attribute: attrs.Attribute[Any], value: str | None) -> None:
    if value is not None and value not in ("I", "we"):
        raise ValidationError("must be 'I' or 'we'", field=attribute.name)


def _posts_as(instance: object, attribute: attrs.Attribute[Any], value: str | None) -> None:
    if value is not None and value not in ("own", "brand"):
        raise ValidationError("must be 'own' or 'brand'", field=attribute.name)


def _optional_text(instance: object, attribute: attrs.Attribute[Any], value: str | None) -> None:
    if value is not None:
        v.non_empty(instance, attribute, value)


def _signature(value: Any) -> Any:
    return None if value is None else v.to_texts(value)


def _signature_lines(instance: object, attribute: attrs.Attribute[Any], value: Any) -> None:
    if value is not None:
        v.texts(instance, attribute, value)


@attrs.frozen(kw_only=True)
class Voice:
    """A resolved voice: the wording a spokesperson uses, with pronoun forms.

    Templates read it as ``voice``: ``voice.we`` is ``I`` or ``we``,
    ``voice.our`` is ``my`` or ``our``, ``voice.We_re`` is ``I'm`` or ``We're``.
    """

    preset: str
    pronoun: Literal["I", "we"]
    greeting: str
    apology: str
    ownership: str
    sign_off: str
    signature: tuple[str, ...]
    posts_as: Literal["own", "brand"]

    @property
    def singular(self) -> bool:
        """True when the spokesperson speaks as ``I``."""
        return self.pronoun == "I"

    @property
    def we(self) -> str:
        return "I" if self.singular else "we"

    @property
    def We(self) -> str:
        return "I" if self.singular else "We"

    @property
    def our(self) -> str:
        return "my" if self.singular else "our"

    @property
    def Our(self) -> str:
        return "My" if self.singular else "Our"

    @property
    def us(self) -> str:
        return "me" if self.singular else "us"

    @property
    def we_re(self) -> str:
        return "I'm" if self.singular else "we're"

    @property
    def We_re(self) -> str:
        return "I'm" if self.singular else "We're"

    @property
    def we_ll(self) -> str:
        return "I'll" if self.singular else "we'll"

    @property
    def We_ll(self) -> str:
        return "I'll" if self.singular else "We'll"


@attrs.frozen(kw_only=True)
class Spokesperson:
    """The person (or the brand) an announcement is spoken by.

    ``preset`` picks the voice preset; every other voice field left ``None``
    comes from it. ``handles`` maps a network to the person's own account,
    used where the voice posts as its own (``posts_as = "own"``).
    """

    name: str = attrs.field(validator=v.non_empty)
    title: str = attrs.field(default="", validator=v.text)
    preset: str = attrs.field(default="brand", validator=_preset)
    email: str | None = attrs.field(default=None, validator=v.email)
    handles: dict[str, str] = attrs.field(
        factory=dict, converter=v.to_handles, validator=v.handles, hash=False
    )
    id: str | None = attrs.field(default=None, validator=_optional_text)
    pronoun: str | None = attrs.field(default=None, validator=_pronoun)
    greeting: str | None = attrs.field(default=None, validator=_optional_text)
    apology: str | None = attrs.field(default=None, validator=_optional_text)
    ownership: str | None = attrs.field(default=None, validator=_optional_text)
    sign_off: str | None = attrs.field(default=None, validator=_optional_text)
    signature: tuple[str, ...] | None = attrs.field(
        default=None, converter=_signature, validator=_signature_lines
    )
    sender_name: str | None = attrs.field(default=None, validator=_optional_text)
    posts_as: str | None = attrs.field(default=None, validator=_posts_as)

    @property
    def key(self) -> str:
        """The name ``compose(voice=...)`` finds this spokesperson by (``id``, else the preset)."""
        return self.id or self.preset

    def voice(self, *, organization: str, stage: str | None = None, locale: str = "en") -> Voice:
        """Resolve the preset and this spokesperson's overrides into a :class:`Voice`.

        ``stage`` picks the preset's lines for that stage: its ``[preset.resolved]``
        or ``[preset.postmortem]`` table, where the apology and ownership are in the
        past tense and promise nothing about work already done. ``locale`` (a
        shipped language) picks the presets' lines in that language.
        """
        base = dict(_localized(locale)[self.preset])
        base.update(base.get(_STAGE_LINES.get(stage or "", ""), {}))
        chosen = {name: getattr(self, name) for name in _FIELDS}
        merged = {name: base[name] if chosen[name] is None else chosen[name] for name in _FIELDS}
        fill = {"org": organization, "name": self.name, "title": self.title}

        def fmt(value: str) -> str:
            # Only the names in ``fill``, written exactly as {org}, {name} or {title},
            # are replaced; any other brace (a lone one, {for this}, {org.__class__})
            # stays as written. str.format would raise on them, or read attributes.
            return re.sub(r"\{(org|name|title)\}", lambda match: fill[match.group(1)], value)

        return Voice(
            preset=self.preset,
            pronoun=merged["pronoun"],
            greeting=fmt(merged["greeting"]),
            apology=fmt(merged["apology"]),
            ownership=fmt(merged["ownership"]),
            sign_off=fmt(merged["sign_off"]),
            # A line such as "{title}, {org}" loses its comma when there is no title.
            signature=tuple(
                line for line in (fmt(raw).strip(", ") for raw in merged["signature"]) if line
            ),
            posts_as=merged["posts_as"],
        )


def resolve(
    choice: str | Spokesperson | None,
    *,
    spokespeople: tuple[Spokesperson, ...],
    default: str,
    organization: str,
    support_email: str,
    locale: str = "en",
) -> Spokesperson:
    """Find the spokesperson ``choice`` names.

    A :class:`Spokesperson` is used as it is. A name is looked up among the
    incident's ``spokespeople`` (by ``id``, then by preset); a preset name the
    incident does not staff speaks for the organization.
    """
    if isinstance(choice, Spokesperson):
        return choice
    name = default if choice is None else choice
    # Names match in any case (``Founder``), as channel names do.
    folded = name.strip().casefold() if isinstance(name, str) else name
    for person in spokespeople:
        if person.key.casefold() == folded:
            return person
    for person in spokespeople:
        if person.preset == folded:
            return person
    if isinstance(folded, str) and folded in _presets():
        name = folded
    if name not in _presets():
        known = sorted({*_presets(), *(person.key for person in spokespeople)})
        raise UnknownNameError(f"unknown voice {name!r}", kind="voice", name=name, known=known)
    if name == "brand":
        return Spokesperson(name=organization, preset="brand", email=support_email)
    if _presets()[name]["pronoun"] == "I":
        # An "I" voice needs a real person: a made-up name would sign a false apology.
        raise ValidationError(
            f"the incident names no {name}: add a spokespeople entry with preset = {name!r}",
            field="spokespeople",
        )
    from crisiscomms import i18n

    team = i18n.gettext(locale, "The %(org)s team") % {"org": organization}
    return Spokesperson(name=team, title="", preset=name, email=support_email)
