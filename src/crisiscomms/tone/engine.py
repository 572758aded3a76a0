"""Rules, rule sets and the checker: :class:`Rule`, :class:`RuleSet`, :func:`check_text`.

A rule file is TOML: an array of ``[[rule]]`` tables, each with the common
fields (``id``, ``type``, ``level``, ``message``, ``source`` and the scope
lists ``channels``, ``stages``, ``severities``, ``voices``) and the fields of
its type (see :mod:`crisiscomms.tone.checks`). A user file may also hold a
top-level ``disable = ["rule.id", ...]`` list. The bundled files live in the
``rules`` folder beside this module.
"""

from __future__ import annotations

import enum
import functools
import os
import re
import sys
from collections.abc import Iterable, Iterator, Mapping, Sequence
from importlib import resources
from types import MappingProxyType
from typing import Any, cast

import attrs

from crisiscomms.errors import LoadError, UnknownNameError, ValidationError
from crisiscomms.findings import Finding, Level
from crisiscomms.tone.checks import (
    CHANNELS,
    SEVERITIES,
    STAGES,
    Check,
    Gate,
    Hit,
    Prepared,
    Scope,
    build_check,
)

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on Python 3.10 only
    import tomli as tomllib  # type: ignore[import-not-found, unused-ignore]

__all__ = ["Rule", "RuleSet", "check_parts", "check_text"]

_COMMON = ("id", "type", "level", "message", "source", "channels", "stages", "severities", "voices")
_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]*\Z")
_PLACEHOLDER = re.compile(r"\{(\w+)\}")


def _name(value: object) -> str | None:
    """An enum member's value, or the string itself; ``None`` stays ``None``."""
    if value is None:
        return None
    if isinstance(value, enum.Enum):
        return str(value.value)
    return str(value)


def _scope_list(value: Any) -> tuple[str, ...]:
    """A scope list as a tuple of names; a single name is a list of one."""
    if value is None:
        return ()
    if isinstance(value, (str, enum.Enum)):
        value = [value]
    if not isinstance(value, (list, tuple)):
        raise ValidationError("must be a list of names", field="scope")
    return tuple(str(_name(item)) for item in value)


def _scope_check(known: tuple[str, ...] | None) -> Any:
    def check(instance: object, attribute: attrs.Attribute[Any], value: tuple[str, ...]) -> None:
        for index, item in enumerate(value):
            if not item:
                raise ValidationError("must not hold an empty name", field=attribute.name)
            if known is not None and item not in known:
                raise ValidationError(
                    f"unknown name {item!r} (known: {', '.join(known)})",
                    field=f"{attribute.name}[{index}]",
                )

    return check


def _rule_id(instance: object, attribute: attrs.Attribute[Any], value: str) -> None:
    if not isinstance(value, str) or not _ID.match(value):
        raise ValidationError(
            "must be a name of letters, digits, '.', '-' or '_' (such as 'crisis.no-evidence')",
            field=attribute.name,
        )


def _non_empty(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if not isinstance(value, str) or not value.strip():
        raise ValidationError("must be a non-empty string", field=attribute.name)


def _optional_text(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if value is not None and not isinstance(value, str):
        raise ValidationError("must be a string", field=attribute.name)


def _level(value: Any) -> Level:
    try:
        return Level(value)
    except ValueError:
        raise ValidationError(
            f"unknown level {value!r} (known: suggestion, warning, error)", field="level"
        ) from None


def _freeze(value: Any) -> Any:
    if isinstance(value, Mapping):
        return MappingProxyType({key: _freeze(item) for key, item in value.items()})
    if isinstance(value, (list, tuple)):
        return tuple(_freeze(item) for item in value)
    return value


@attrs.frozen(kw_only=True)
class Rule:
    """One tone rule: what it looks for (``type`` and ``options``), how much it matters, where.

    The scope lists (``channels``, ``stages``, ``severities``, ``voices``)
    restrict where the rule applies; an empty list means everywhere. A
    non-empty scope list applies only when the checker is told that name:
    a stage-scoped rule is skipped when :func:`check_text` gets no ``stage``.
    ``options`` holds the type's own fields; its patterns are compiled once,
    when the rule is made. ``message`` may use ``{match}`` and the type's
    other values (``{suggestion}``, ``{count}``, ``{min}``, ``{max}``, ``{grade}``,
    ``{other}``).
    """

    id: str = attrs.field(validator=_rule_id)
    type: str
    level: Level = attrs.field(converter=_level)
    message: str = attrs.field(validator=_non_empty)
    source: str | None = attrs.field(default=None, validator=_optional_text)
    channels: tuple[str, ...] = attrs.field(
        default=(), converter=_scope_list, validator=_scope_check(CHANNELS)
    )
    stages: tuple[str, ...] = attrs.field(
        default=(), converter=_scope_list, validator=_scope_check(STAGES)
    )
    severities: tuple[str, ...] = attrs.field(
        default=(), converter=_scope_list, validator=_scope_check(SEVERITIES)
    )
    voices: tuple[str, ...] = attrs.field(
        default=(), converter=_scope_list, validator=_scope_check(None)
    )
    options: Mapping[str, Any] = attrs.field(factory=dict, converter=_freeze, hash=False)
    _check: Check = attrs.field(init=False, eq=False, repr=False, hash=False)

    def __attrs_post_init__(self) -> None:
        if not isinstance(self.type, str):
            raise ValidationError("must be a string", field="type")
        for name in self.options:
            if name in _COMMON:
                raise ValidationError("is a common field, not an option", field=name)
        object.__setattr__(self, "_check", build_check(self.type, _thaw(self.options)))

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any]) -> Rule:
        """A rule from one ``[[rule]]`` table: common fields by name, the rest as ``options``."""
        for name in ("id", "type", "level", "message"):
            if name not in data:
                raise ValidationError("is required", field=name)
        common = {name: data[name] for name in _COMMON if name in data}
        options = {name: value for name, value in data.items() if name not in _COMMON}
        return cls(**common, options=options)

    @property
    def whole_text(self) -> bool:
        """True for rules that measure the whole text (``occurrence``, ``readability``)."""
        return self._check.whole_text

    def applies(self, scope: Scope) -> bool:
        """Whether the rule is in scope for this channel, stage, severity and voice."""
        return (
            _within(self.channels, scope.channel)
            and _within(self.stages, scope.stage)
            and _within(self.severities, scope.severity)
            and _within(self.voices, scope.voice)
        )

    def hits(self, text: str, scope: Scope, prepared: Prepared | None = None) -> Iterator[Hit]:
        """The raw matches in ``text``, regardless of scope.

        ``prepared`` is ``Prepared(text, ruleset.gate)`` (see
        :class:`~crisiscomms.tone.checks.Prepared`), shared between rules;
        made here when not given.
        """
        if prepared is None:
            prepared = Prepared(text, Gate(patterns=self._check.patterns_used))
        return self._check.find(text, scope, prepared)

    def finding(self, hit: Hit, scope: Scope, *, part: int = 0, offset: int = 0) -> Finding:
        """The :class:`Finding` for one hit, its span moved back by ``offset``."""
        values = {
            "channel": scope.channel,
            "stage": scope.stage or "",
            "severity": scope.severity or "",
            "voice": scope.voice or "",
            **hit.values,
        }
        message = _PLACEHOLDER.sub(lambda m: values.get(m.group(1), m.group()), self.message)
        return Finding(
            rule=self.id,
            level=self.level,
            channel=scope.channel,
            message=message,
            start=hit.start - offset,
            end=hit.end - offset,
            part=part,
            suggestion=hit.suggestion,
            source=self.source,
        )


def _thaw(value: Any) -> Any:
    if isinstance(value, Mapping):
        return {key: _thaw(item) for key, item in value.items()}
    if isinstance(value, tuple):
        return [_thaw(item) for item in value]
    return value


def _within(names: tuple[str, ...], value: str | None) -> bool:
    return not names or (value is not None and value in names)


# -- loading -------------------------------------------------------------------

_RULE_HEADER = re.compile(r"^\s*\[\[\s*rule\s*\]\]")
_TOML_LINE = re.compile(r"at line (\d+)")


def _line_of(text: str, index: int | None, field: str | None) -> int | None:
    """The line of rule number ``index`` (and of its ``field`` when found) in ``text``."""
    lines = text.splitlines()
    if index is None:
        key = (field or "").split(".")[0].split("[")[0]
        for number, line in enumerate(lines, 1):
            if key and re.match(rf"\s*{re.escape(key)}\s*=", line):
                return number
        return None
    seen = -1
    header: int | None = None
    for number, line in enumerate(lines, 1):
        if _RULE_HEADER.match(line):
            seen += 1
            if seen > index:
                break
            header = number if seen == index else None
            continue
        if header is not None and field:
            key = field.split(".")[0].split("[")[0]
            if re.match(rf"""\s*["']?{re.escape(key)}["']?\s*[=.]""", line):
                return number
    return header


def _parse(text: str, path: str) -> tuple[list[Rule], list[str]]:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        line = getattr(error, "lineno", None)
        if line is None:
            found = _TOML_LINE.search(str(error))
            line = int(found.group(1)) if found else None
        raise LoadError(f"not valid TOML: {error}", path=path, line=line) from None
    for key in data:
        if key not in ("rule", "disable"):
            raise LoadError(
                "unknown top-level key (a rule file holds [[rule]] tables and 'disable')",
                path=path,
                field=key,
                line=_line_of(text, None, key),
            )
    disable = data.get("disable", [])
    if not isinstance(disable, list) or not all(isinstance(item, str) for item in disable):
        raise LoadError(
            "must be a list of rule ids",
            path=path,
            field="disable",
            line=_line_of(text, None, "disable"),
        )
    tables = data.get("rule", [])
    if not isinstance(tables, list):
        raise LoadError("must be an array of tables ([[rule]])", path=path, field="rule")
    rules: list[Rule] = []
    seen: set[str] = set()
    for index, table in enumerate(tables):
        if not isinstance(table, Mapping):
            raise LoadError("must be a table", path=path, field=f"rule[{index}]")
        rule_id = table.get("id")
        named = isinstance(rule_id, str) and _ID.match(rule_id)
        where = str(rule_id) if named else f"rule[{index}]"
        try:
            rule = Rule.from_mapping(table)
        except ValidationError as error:
            raise LoadError(
                error.reason,
                path=path,
                field=f"{where}.{error.field}" if error.field else where,
                line=_line_of(text, index, error.field),
            ) from None
        if rule.id in seen:
            raise LoadError(
                "the same rule id appears twice in this file",
                path=path,
                field=f"{where}.id",
                line=_line_of(text, index, "id"),
            )
        seen.add(rule.id)
        rules.append(rule)
    return rules, list(disable)


def _read(path: str | os.PathLike[str]) -> tuple[list[Rule], list[str]]:
    name = os.fspath(path)
    try:
        with open(name, "rb") as handle:
            raw = handle.read()
    except OSError as error:
        raise LoadError(f"cannot read the rule file: {error.strerror}", path=name) from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise LoadError("not UTF-8 text", path=name) from None
    return _parse(text, name)


@functools.cache
def _bundled() -> RuleSet:
    folder = resources.files("crisiscomms.tone").joinpath("rules")
    rules: dict[str, Rule] = {}
    for entry in sorted(folder.iterdir(), key=lambda item: item.name):
        if not entry.name.endswith(".toml"):
            continue
        found, _ = _parse(entry.read_text("utf-8"), f"crisiscomms/tone/rules/{entry.name}")
        for rule in found:
            if rule.id in rules:  # pragma: no cover - a packaging mistake
                raise LoadError("duplicate bundled rule id", path=entry.name, field=rule.id)
            rules[rule.id] = rule
    return RuleSet(tuple(rules.values()))


# -- rule sets ----------------------------------------------------------------


def _rule_tuple(rules: Iterable[Rule]) -> tuple[Rule, ...]:
    return tuple(rules)


def _index(rules: tuple[Rule, ...]) -> Mapping[str, Rule]:
    return MappingProxyType({rule.id: rule for rule in rules})


@attrs.frozen
class RuleSet:
    """An immutable, ordered collection of rules with unique ids.

    Every method returns a new set; :meth:`default` is built once per process.
    """

    rules: tuple[Rule, ...] = attrs.field(converter=_rule_tuple)
    _by_id: Mapping[str, Rule] = attrs.field(init=False, eq=False, repr=False, hash=False)
    # For each scope checked so far: its span rules (with their slots) and whole-text rules.
    _plans: dict[Scope, _Plan] = attrs.field(
        init=False, eq=False, repr=False, hash=False, factory=dict
    )
    # Gates (and, for rules that only report pattern matches, the gate slots of
    # their patterns), by the ids of the rules left out: none, or other voices'.
    _gates: dict[frozenset[str], tuple[Gate, Mapping[str, frozenset[int]]]] = attrs.field(
        init=False, eq=False, repr=False, hash=False, factory=dict
    )

    def __attrs_post_init__(self) -> None:
        by_id = _index(self.rules)
        if len(by_id) != len(self.rules):
            raise ValidationError("rule ids must be unique within a rule set", field="rules")
        object.__setattr__(self, "_by_id", by_id)

    @classmethod
    def default(cls) -> RuleSet:
        """The bundled rules (``crisiscomms/tone/rules/*.toml``), loaded once."""
        return _bundled()

    @classmethod
    def empty(cls) -> RuleSet:
        """A set without rules."""
        return cls(())

    @classmethod
    def from_files(cls, *paths: str | os.PathLike[str]) -> RuleSet:
        """The rules of the given files only (no bundled rules)."""
        return cls.empty().with_files(*paths)

    def with_rules(self, *rules: Rule) -> RuleSet:
        """A new set with ``rules`` added; a rule with a taken id replaces the old one in place."""
        merged = dict(self._by_id)
        for rule in rules:
            merged[rule.id] = rule
        return RuleSet(tuple(merged.values()))

    def with_files(self, *paths: str | os.PathLike[str]) -> RuleSet:
        """A new set with each file's rules added (a same-id rule replaced), then its ``disable``.

        A bad file raises :class:`~crisiscomms.errors.LoadError` naming the
        file, the rule and field, and the line where it can be found.
        """
        result = self
        for path in paths:
            rules, disable = _read(path)
            result = result.with_rules(*rules)
            unknown = [rule_id for rule_id in disable if rule_id not in result]
            if unknown:
                raise LoadError(
                    f"unknown rule id {unknown[0]!r}",
                    path=os.fspath(path),
                    field="disable",
                    line=_line_of(_text_of(path), None, "disable"),
                )
            result = result.without(*disable)
        return result

    def without(self, *rule_ids: str) -> RuleSet:
        """A new set without the named rules; an unknown id raises ``UnknownNameError``."""
        for rule_id in rule_ids:
            if rule_id not in self._by_id:
                raise UnknownNameError(
                    f"no tone rule {rule_id!r}", kind="rule", name=rule_id, known=self.ids
                )
        dropped = set(rule_ids)
        return RuleSet(tuple(rule for rule in self.rules if rule.id not in dropped))

    @property
    def ids(self) -> tuple[str, ...]:
        """The rule ids, in order."""
        return tuple(self._by_id)

    def __getitem__(self, rule_id: str) -> Rule:
        try:
            return self._by_id[rule_id]
        except KeyError:
            raise UnknownNameError(
                f"no tone rule {rule_id!r}", kind="rule", name=rule_id, known=self.ids
            ) from None

    def __contains__(self, rule_id: object) -> bool:
        return rule_id in self._by_id

    def __iter__(self) -> Iterator[Rule]:
        return iter(self.rules)

    def __len__(self) -> int:
        return len(self.rules)

    def _plan(self, scope: Scope) -> _Plan:
        """The rules in scope, split for :func:`check_parts`; worked out once per scope."""
        plan = self._plans.get(scope)
        if plan is None:
            in_scope = self.in_scope(scope)
            gate, slots = self._gate_for(scope)
            plan = _Plan(
                gate=gate,
                span=tuple(
                    (rule, rule._check, slots.get(rule.id), rule._check.needs, rule._check.has_idle)
                    for rule in in_scope
                    if not rule.whole_text
                ),
                whole=tuple(rule for rule in in_scope if rule.whole_text),
            )
            if len(self._plans) < 256:  # a bound for callers that vary the scope endlessly
                self._plans[scope] = plan
        return plan

    def _gate_for(self, scope: Scope) -> tuple[Gate, Mapping[str, frozenset[int]]]:
        """The gate and slots for ``scope``: without the first words of other voices' rules.

        Such words (the "I" and "my" a brand must not say) are common, and
        recording them where no rule in scope looks costs time on every draft.
        """
        unheard = frozenset(
            rule.id
            for rule in self.rules
            if rule.voices and (scope.voice is None or scope.voice not in rule.voices)
        )
        return self._gate_without(unheard)

    def _gate_without(self, unheard: frozenset[str]) -> tuple[Gate, Mapping[str, frozenset[int]]]:
        """The gate and slots of the rules not in ``unheard``, built on first use."""
        found = self._gates.get(unheard)
        if found is None:
            found = self._gates[unheard] = _gate_of(
                rule for rule in self.rules if rule.id not in unheard
            )
        return found

    @property
    def gate(self) -> Gate:
        """The :class:`~crisiscomms.tone.checks.Gate` of every rule's patterns."""
        return self._gate_without(frozenset())[0]

    def in_scope(self, scope: Scope) -> list[Rule]:
        """The rules that apply to ``scope``."""
        channel, stage, severity, voice = scope.channel, scope.stage, scope.severity, scope.voice
        return [
            rule
            for rule in self.rules
            if (not rule.channels or channel in rule.channels)
            and (not rule.stages or (stage is not None and stage in rule.stages))
            and (not rule.severities or (severity is not None and severity in rule.severities))
            and (not rule.voices or (voice is not None and voice in rule.voices))
        ]


def _gate_of(rules: Iterable[Rule]) -> tuple[Gate, Mapping[str, frozenset[int]]]:
    """The gate of ``rules``' patterns, and the gate slots of each pattern-only rule."""
    rules = tuple(rules)
    # A rule whose patterns all need a rare literal is skipped by a substring
    # test, and scanned in full in the few drafts holding one: its first
    # words (often common ones, such as "the") stay out of the gate.
    gate = Gate(
        patterns=[
            pattern
            for rule in rules
            if rule._check.needs is None
            for pattern in rule._check.patterns_used
        ]
    )
    slots = {}
    for rule in rules:
        used = rule._check.patterns_used
        if rule._check.pattern_only and all(pattern in gate.slots for pattern in used):
            slots[rule.id] = frozenset(gate.slots[pattern] for pattern in used)
    return gate, MappingProxyType(slots)


@attrs.frozen
class _Plan:
    """The rules of one scope: its gate, span rules, then whole-text rules.

    Each span rule comes with its check, its gate slots, the literals its
    patterns need when known (see :attr:`~crisiscomms.tone.checks.Check.needs`)
    and whether its check has an idle test of its own.
    """

    gate: Gate

    span: tuple[
        tuple[Rule, Check, frozenset[int] | None, tuple[tuple[str, ...], ...] | None, bool], ...
    ]
    whole: tuple[Rule, ...]


def _text_of(path: str | os.PathLike[str]) -> str:
    with open(os.fspath(path), encoding="utf-8") as handle:
        return handle.read()


# -- checking -------------------------------------------------------------------


def _sorted(findings: Iterable[Finding]) -> list[Finding]:
    return sorted(findings, key=lambda f: (f.part, f.start, f.rule, f.end, f.message))


def _scope(channel: object, stage: object, severity: object, voice: object) -> Scope:
    if (
        type(channel) is str
        and channel
        and all(value is None or type(value) is str for value in (stage, severity, voice))
    ):
        # Plain strings (not enums, which are named by their value below).
        names = (channel, stage, severity, voice)
        return Scope(*cast("tuple[str, str | None, str | None, str | None]", names))
    name = _name(channel)
    if not name:
        raise ValidationError("must name a channel", field="channel")
    return Scope(channel=name, stage=_name(stage), severity=_name(severity), voice=_name(voice))


def check_text(
    text: str,
    *,
    channel: str,
    voice: str | None = None,
    stage: str | None = None,
    severity: str | None = None,
    part: int = 0,
    rules: RuleSet | None = None,
) -> list[Finding]:
    """Every finding of every rule in scope for ``text``, sorted by ``(start, rule)``.

    Spans are Python string indices into ``text``. ``channel``, ``voice``,
    ``stage`` and ``severity`` accept strings or the library's enums; a rule
    scoped to stages (say) is skipped when ``stage`` is ``None``. ``rules``
    defaults to :meth:`RuleSet.default`.
    """
    findings = check_parts(
        [text], channel=channel, voice=voice, stage=stage, severity=severity, rules=rules
    )
    if part:
        findings = [attrs.evolve(finding, part=part) for finding in findings]
    return findings


def check_parts(
    parts: Sequence[str],
    *,
    channel: str,
    voice: str | None = None,
    stage: str | None = None,
    severity: str | None = None,
    rules: RuleSet | None = None,
) -> list[Finding]:
    """The findings for a draft in several parts (a thread), sorted by ``(part, start, rule)``.

    Span rules run on each part. Whole-text rules (``occurrence`` and
    ``readability``) run once on the parts joined by blank lines, so an
    apology in the first post satisfies the whole thread; a finding that
    spans the whole thread is reported on part 0, spanning that part.
    """
    scope = _scope(channel, stage, severity, voice)
    ruleset = RuleSet.default() if rules is None else rules
    plan = ruleset._plan(scope)
    # One scan of the joined thread serves every part: the parts are slices of
    # it, bounded by blank lines, so each part's view is what scanning the part
    # alone would give.
    joined = "\n\n".join(parts)
    joined_prepared = Prepared(joined, plan.gate)
    active = joined_prepared.active()
    # What cannot hit the whole thread cannot hit a part of it either.
    span_rules = []
    for rule, check, slots, needs, has_idle in plan.span:
        if slots is not None and active is not None and slots.isdisjoint(active):
            continue  # none of its patterns can start anywhere
        if has_idle and check.idle_in(joined_prepared):
            continue
        if needs is not None and all(joined_prepared.lacks(each) for each in needs):
            continue  # every pattern needs a literal the thread lacks
        span_rules.append((rule, check, slots))
    starts = []
    position = 0
    for text in parts:
        starts.append(position)
        position += len(text) + 2
    findings: list[Finding] = []
    if len(parts) == 1:
        views = [joined_prepared]  # one part: the joined text is the part
    else:
        views = joined_prepared.views(
            [(start, start + len(text)) for start, text in zip(starts, parts, strict=True)]
        )
    for number, (text, prepared) in enumerate(zip(parts, views, strict=True)):
        active = prepared.active() if prepared is not joined_prepared else active
        for rule, check, slots in span_rules:
            if slots is not None and active is not None and slots.isdisjoint(active):
                continue  # none of the rule's patterns can start anywhere in this part
            for hit in check.find(text, scope, prepared):
                findings.append(rule.finding(hit, scope, part=number))
    for rule in plan.whole:
        for hit in rule.hits(joined, scope, joined_prepared):
            if not parts or (hit.start == 0 and hit.end == len(joined)):
                first = len(parts[0]) if parts else 0
                hit = Hit(0, first, hit.values, hit.suggestion)
                findings.append(rule.finding(hit, scope, part=0))
                continue
            number = max(i for i, start in enumerate(starts) if start <= hit.start)
            end = min(hit.end, starts[number] + len(parts[number]))
            hit = Hit(hit.start, end, hit.values, hit.suggestion)
            findings.append(rule.finding(hit, scope, part=number, offset=starts[number]))
    return _sorted(findings)
