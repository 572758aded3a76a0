"""Rules, rule sets and the checker: :class:`Rule`, :class:`RuleSet`, :func:`check_text`.

How a draft is checked, in three steps:

1. the rule set picks the rules in scope (channel, stage, severity, voice),
   once per scope;
2. one scan of each post finds which *anchor words* it holds (see
   :class:`~crisiscomms.tone.phrases.Gate`); a phrase rule none of whose
   anchors are there cannot match and is skipped;
3. each remaining rule's check (one module per rule type, under
   :mod:`crisiscomms.tone.checks`) yields hits, which become
   :class:`~crisiscomms.findings.Finding` records.

Rules that measure a whole draft (``occurrence``, ``readability``) see the
posts joined by blank lines, so an apology in the first post counts for the
whole thread.
"""

from __future__ import annotations

import bisect
import enum
import functools
import itertools
import os
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from importlib import resources
from types import MappingProxyType
from typing import Any

import attrs

from crisiscomms.errors import LoadError, UnknownNameError, ValidationError
from crisiscomms.findings import Finding, Level
from crisiscomms.tone.checks import Check, build_check
from crisiscomms.tone.checks.existence import Existence
from crisiscomms.tone.checks.grade import Readability
from crisiscomms.tone.checks.occurrence import Occurrence
from crisiscomms.tone.phrases import Gate, Scan
from crisiscomms.tone.readability import TextStats, masked_links, piece_stats
from crisiscomms.tone.rulefiles import RuleFile, RuleFileError, read_rule_file
from crisiscomms.tone.scope import CHANNELS, SEVERITIES, STAGES, Hit, Scope

__all__ = [
    "EVERY_LANGUAGE",
    "Rule",
    "RuleSet",
    "bundled_rule_files",
    "check_drafts",
    "check_parts",
    "check_text",
    "record_names",
    "rule_language",
]

_COMMON = (
    "id",
    "type",
    "level",
    "message",
    "family",
    "suggestion",
    "source",
    "channels",
    "stages",
    "severities",
    "voices",
)
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


def _thaw(value: Any) -> Any:
    if isinstance(value, Mapping):
        return {key: _thaw(item) for key, item in value.items()}
    if isinstance(value, tuple):
        return [_thaw(item) for item in value]
    return value


@attrs.frozen(kw_only=True)
class Rule:
    """One tone rule: what it looks for (``type`` and ``options``), how much it matters, where.

    ``family`` names the kind of mistake (``overpromising``, ``blame``...);
    ``suggestion`` says what to write instead (a hit may bring its own).
    The scope lists (``channels``, ``stages``, ``severities``, ``voices``)
    restrict where the rule applies; an empty list means everywhere. A
    non-empty scope list applies only when the checker is told that name.
    ``options`` holds the type's own fields; ``lists`` the word lists its
    phrases may name (``@harm``). Everything is compiled once, when the rule
    is made. ``message`` may use ``{match}``, ``{family}`` and the type's
    other values (``{suggestion}``, ``{count}``, ``{min}``, ``{max}``,
    ``{grade}``, ``{other}``).
    """

    id: str = attrs.field(validator=_rule_id)
    type: str
    level: Level = attrs.field(converter=_level)
    message: str = attrs.field(validator=_non_empty)
    family: str | None = attrs.field(default=None, validator=_optional_text)
    suggestion: str | None = attrs.field(default=None, validator=_optional_text)
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
    lists: Mapping[str, tuple[str, ...]] = attrs.field(
        factory=dict, converter=_freeze, eq=False, hash=False, repr=False
    )
    check: Check = attrs.field(init=False, eq=False, repr=False, hash=False)

    def __attrs_post_init__(self) -> None:
        if not isinstance(self.type, str):
            raise ValidationError("must be a string", field="type")
        for name in self.options:
            if name in _COMMON:
                raise ValidationError("is a common field, not an option", field=name)
        lists = {name: tuple(words) for name, words in self.lists.items()}
        object.__setattr__(self, "check", build_check(self.type, _thaw(self.options), lists))

    @classmethod
    def from_mapping(
        cls, data: Mapping[str, Any], *, lists: Mapping[str, Sequence[str]] | None = None
    ) -> Rule:
        """A rule from one ``[[rule]]`` table: common fields by name, the rest as ``options``."""
        for name in ("id", "type", "level", "message"):
            if name not in data:
                raise ValidationError("is required", field=name)
        common = {name: data[name] for name in _COMMON if name in data}
        options = {name: value for name, value in data.items() if name not in _COMMON}
        return cls(**common, options=options, lists=lists or {})

    @property
    def whole_text(self) -> bool:
        """True for rules that measure a whole draft (``occurrence``, ``readability``)."""
        return self.check.whole_text

    def applies(self, scope: Scope) -> bool:
        """Whether the rule is in scope for this channel, stage, severity and voice."""
        return (
            _within(self.channels, scope.channel)
            and _within(self.stages, scope.stage)
            and _within(self.severities, scope.severity)
            and _within(self.voices, scope.voice)
        )

    def hits(self, text: str, scope: Scope, scan: Scan | None = None) -> Iterator[Hit]:
        """The raw matches in ``text``, regardless of scope.

        ``scan`` is what a gate found in ``text``; made here when not given.
        """
        if scan is None:
            scan = Gate(self.check.gate_words()).scan(text)
        return self.check.find(text, scope, scan)

    def finding(self, hit: Hit, scope: Scope, *, part: int = 0, offset: int = 0) -> Finding:
        """The :class:`Finding` for one hit, its span moved back by ``offset``."""
        values = {
            "channel": scope.channel,
            "stage": scope.stage or "",
            "severity": scope.severity or "",
            "voice": scope.voice or "",
            "family": self.family or "",
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
            suggestion=hit.suggestion or self.suggestion,
            source=self.source,
        )


def _within(names: tuple[str, ...], value: str | None) -> bool:
    return not names or (value is not None and value in names)


# -- loading -------------------------------------------------------------------


def _rules_of(
    parsed: RuleFile, lists: Mapping[str, tuple[str, ...]]
) -> tuple[list[Rule], list[LoadError]]:
    """The file's rules, and a :class:`LoadError` (with its line) for each bad one."""
    rules: list[Rule] = []
    problems: list[LoadError] = []
    seen: set[str] = set()
    for index, table in enumerate(parsed.tables):
        rule_id = table.get("id")
        where = (
            str(rule_id) if isinstance(rule_id, str) and _ID.match(rule_id) else f"rule[{index}]"
        )
        try:
            rule = Rule.from_mapping(table, lists=lists)
        except ValidationError as error:
            field = f"{where}.{error.field}" if error.field else where
            line = parsed.line_of(index, error.field)
            problems.append(LoadError(error.reason, path=parsed.path, field=field, line=line))
            continue
        if rule.id in seen:
            line = parsed.line_of(index, "id")
            problems.append(
                LoadError(
                    "the same rule id appears twice in this file",
                    path=parsed.path,
                    field=f"{where}.id",
                    line=line,
                )
            )
        seen.add(rule.id)
        rules.append(rule)
    return rules, problems


def _read(path: str | os.PathLike[str]) -> RuleFile:
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
    return read_rule_file(text, name)


# The file whose rules read marks and case, not words (emoji, exclamation marks,
# hashtags, capitals): they hold in every language.
EVERY_LANGUAGE = "format.toml"


def _rules_folder() -> Any:
    return resources.files("crisiscomms.tone").joinpath("rules")


def rule_language(locale: str | None) -> str:
    """The language whose bundled rules check a draft in ``locale`` (``en`` for ``None``).

    A region reads its language (``de-AT``: ``de``); Brazilian Portuguese has its
    own. A language without a catalogue raises :class:`ValidationError` naming
    ``locale``."""
    from crisiscomms import i18n

    if locale is None:
        return i18n.DEFAULT
    return i18n.catalogue_tag(i18n.normalize(locale))


def bundled_rule_files(locale: str | None = None) -> list[str]:
    """The names, under ``crisiscomms/tone/rules``, of the files that check ``locale``:
    English's files at the top, another language's in its folder (``de/``,
    ``pt_BR/``), and :data:`EVERY_LANGUAGE` for all."""
    language = rule_language(locale)
    folder = _rules_folder()
    if language == "en":
        return sorted(e.name for e in folder.iterdir() if e.name.endswith(".toml"))
    own = folder.joinpath(language.replace("-", "_"))
    names = sorted(e.name for e in own.iterdir() if e.name.endswith(".toml"))
    return [EVERY_LANGUAGE, *(f"{own.name}/{name}" for name in names)]


@functools.cache
def _bundled(language: str = "en") -> RuleSet:
    folder = _rules_folder()
    files = []
    for name in bundled_rule_files(language):
        entry = folder
        for step in name.split("/"):
            entry = entry.joinpath(step)
        files.append(read_rule_file(entry.read_text("utf-8"), f"crisiscomms/tone/rules/{name}"))
    # Every bundled file may use every list its language's files define.
    lists = {name: words for parsed in files for name, words in parsed.lists.items()}
    rules: dict[str, Rule] = {}
    for parsed in files:
        found, problems = _rules_of(parsed, lists)
        if problems:  # pragma: no cover - a packaging mistake
            raise RuleFileError(problems, path=parsed.path)
        for rule in found:
            if rule.id in rules:  # pragma: no cover - a packaging mistake
                raise LoadError("duplicate bundled rule id", path=parsed.path, field=rule.id)
            rules[rule.id] = rule
    return RuleSet(tuple(rules.values()), lists=lists)


# -- rule sets ----------------------------------------------------------------


@attrs.frozen
class _Plan:
    """The rules of one scope: their gate, the per-post rules and the whole-draft rules.

    ``woken`` maps each anchor to the per-post rules it wakes (by position);
    ``always`` lists those that run on every post.
    """

    gate: Gate
    span: tuple[Rule, ...]
    whole: tuple[Rule, ...]
    woken: Mapping[str, tuple[int, ...]]
    always: frozenset[int]

    phrases: Mapping[str, tuple[tuple[int, int], ...]]
    # The per-post rules split in two: those that find in a post what they find
    # in each of its paragraphs (``Check.local``), and the rest.
    local: _Plan | None = None
    post: _Plan | None = None
    # The ids of the per-post rules.
    ids: frozenset[str] = frozenset()
    # Whether the drafts' paragraphs may be read sentence by sentence (see check_drafts).
    sentences: bool = False

    @classmethod
    def of(cls, gate: Gate, span: Sequence[Rule], whole: Sequence[Rule] = ()) -> _Plan:
        """The plan of ``span`` (per-post rules) and ``whole`` (whole-draft rules)."""
        woken: dict[str, list[int]] = {}
        phrases: dict[str, list[tuple[int, int]]] = {}
        for index, rule in enumerate(span):
            check = rule.check
            if isinstance(check, Existence) and check.anchors is not None:
                for group, members in enumerate(check.phrases):
                    for anchor in members.anchors or ():
                        phrases.setdefault(anchor, []).append((index, group))
                continue
            for anchor in check.anchors or ():
                woken.setdefault(anchor, []).append(index)
        return cls(
            gate=gate,
            ids=frozenset(rule.id for rule in span),
            span=tuple(span),
            whole=tuple(whole),
            woken=MappingProxyType({key: tuple(value) for key, value in woken.items()}),
            phrases=MappingProxyType({key: tuple(value) for key, value in phrases.items()}),
            always=frozenset(
                index
                for index, rule in enumerate(span)
                if rule.check.always or rule.check.anchors is None
            ),
        )

    def findings(self, text: str, scope: Scope, scan: Scan, part: int) -> Iterator[Finding]:
        """The per-post rules' findings in ``scan``'s post."""
        for rule, hit in self.hits(text, scope, scan):
            yield rule.finding(hit, scope, part=part)

    def hits(self, text: str, scope: Scope, scan: Scan) -> Iterator[tuple[Rule, Hit]]:
        """The per-post rules' hits in ``scan``'s post.

        Existence rules, the most numerous, are not called one by one: the
        phrase groups the post's anchors wake are matched, and only a rule
        with a match goes on to weigh them.
        """
        held = scan.held
        matched: dict[int, list[re.Match[str]]] = {}
        for key in sorted(
            {pair for anchor in self.phrases.keys() & held for pair in self.phrases[anchor]}
        ):
            rule_index, group = key
            check = self.span[rule_index].check
            assert isinstance(check, Existence)
            found = check.matches(group, text, scan)
            if found:
                matched.setdefault(rule_index, []).extend(found)
        awake = set(self.always).union(matched)
        for anchor in self.woken.keys() & held:
            awake.update(self.woken[anchor])
        for index in sorted(awake):
            rule = self.span[index]
            if isinstance(rule.check, Existence) and index not in self.always:
                hits = rule.check.hits(text, matched.get(index, []))
            else:
                hits = rule.check.find(text, scope, scan)
            for hit in hits:
                yield rule, hit


def _rule_tuple(rules: Iterable[Rule]) -> tuple[Rule, ...]:
    return tuple(rules)


@attrs.frozen
class RuleSet:
    """An immutable, ordered collection of rules with unique ids, and the word lists they share.

    Every method returns a new set; :meth:`default` is built once per process.
    """

    rules: tuple[Rule, ...] = attrs.field(converter=_rule_tuple)
    lists: Mapping[str, tuple[str, ...]] = attrs.field(
        kw_only=True, factory=dict, converter=_freeze, eq=False, hash=False, repr=False
    )
    _by_id: Mapping[str, Rule] = attrs.field(init=False, eq=False, repr=False, hash=False)
    # The plan of each scope checked so far (a cache, bounded below).
    _plans: dict[object, object] = attrs.field(
        init=False, eq=False, repr=False, hash=False, factory=dict
    )

    def __attrs_post_init__(self) -> None:
        by_id = MappingProxyType({rule.id: rule for rule in self.rules})
        if len(by_id) != len(self.rules):
            raise ValidationError("rule ids must be unique within a rule set", field="rules")
        object.__setattr__(self, "_by_id", by_id)

    @classmethod
    def default(cls, locale: str | None = None) -> RuleSet:
        """The bundled rules for drafts in ``locale`` (English when ``None``), loaded
        once per language: see :func:`bundled_rule_files`."""
        return _bundled(rule_language(locale))

    @classmethod
    def empty(cls) -> RuleSet:
        """A set without rules (the bundled word lists stay usable)."""
        return cls((), lists=_bundled().lists)

    @classmethod
    def from_files(cls, *paths: str | os.PathLike[str]) -> RuleSet:
        """The rules of the given files only (no bundled rules)."""
        return cls.empty().with_files(*paths)

    def with_rules(self, *rules: Rule) -> RuleSet:
        """A new set with ``rules`` added; a rule with a taken id replaces the old one in place."""
        merged = dict(self._by_id)
        for rule in rules:
            merged[rule.id] = rule
        return RuleSet(tuple(merged.values()), lists=self.lists)

    def with_files(self, *paths: str | os.PathLike[str]) -> RuleSet:
        """A new set with each file's rules added (a same-id rule replaced), then its ``disable``.

        A file's phrases may use the set's word lists and the file's own
        ``[lists]``. A bad file raises :class:`~crisiscomms.tone.rulefiles.RuleFileError`
        listing every mistake, each with its rule, field and line.
        """
        result = self
        for path in paths:
            parsed = _read(path)
            lists = {**result.lists, **parsed.lists}
            rules, problems = _rules_of(parsed, lists)
            known = set(result.ids) | {rule.id for rule in rules}
            for rule_id in parsed.disable:
                if rule_id not in known:
                    problems.append(
                        LoadError(
                            f"unknown rule id {rule_id!r}",
                            path=parsed.path,
                            field="disable",
                            line=parsed.line_of(None, "disable"),
                        )
                    )
            if problems:
                raise RuleFileError(problems, path=parsed.path)
            merged = RuleSet(result.with_rules(*rules).rules, lists=lists)
            result = merged.without(*parsed.disable)
        return result

    def without(self, *rule_ids: str) -> RuleSet:
        """A new set without the named rules; an unknown id raises ``UnknownNameError``."""
        for rule_id in rule_ids:
            if rule_id not in self._by_id:
                raise UnknownNameError(
                    f"no tone rule {rule_id!r}", kind="rule", name=rule_id, known=self.ids
                )
        dropped = set(rule_ids)
        return RuleSet(
            tuple(rule for rule in self.rules if rule.id not in dropped), lists=self.lists
        )

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

    def in_scope(self, scope: Scope) -> list[Rule]:
        """The rules that apply to ``scope``."""
        return [rule for rule in self.rules if rule.applies(scope)]

    def _shared(self, scopes: Sequence[Scope]) -> _Plan:
        """The local rules of every scope's plan together, behind one gate for every
        word any of their rules looks for (see :func:`check_drafts`); made once per
        set of scopes."""
        key = ("shared", frozenset(scopes))
        shared = self._plans.get(key)
        if shared is None:
            plans = [self._plan(scope) for scope in scopes]
            local = {rule.id: rule for plan in plans if plan.local for rule in plan.local.span}
            every = {rule.id: rule for plan in plans for rule in (*plan.span, *plan.whole)}
            gate = Gate(word for rule in every.values() for word in rule.check.gate_words())
            # What is read once for all the drafts: their local rules, and the phrases
            # whole-draft rules count.
            pieces = [
                *local.values(),
                *(rule for rule in every.values() if rule.whole_text and rule.check.by_paragraph),
            ]
            shared = attrs.evolve(
                _Plan.of(gate, list(local.values())),
                sentences=not any(rule.check.full_stop for rule in pieces),
            )
            if len(self._plans) < 256:
                self._plans[key] = shared
        assert isinstance(shared, _Plan)
        return shared

    def _plan(self, scope: Scope) -> _Plan:
        """The rules in scope and the gate of their anchors; worked out once per scope."""
        plan = self._plans.get(scope)
        if plan is None:
            rules = self.in_scope(scope)
            span = [rule for rule in rules if not rule.whole_text]
            gate = Gate(word for rule in rules for word in rule.check.gate_words())
            plan = attrs.evolve(
                _Plan.of(gate, span, [rule for rule in rules if rule.whole_text]),
                local=_Plan.of(gate, [rule for rule in span if rule.check.local]),
                post=_Plan.of(gate, [rule for rule in span if not rule.check.local]),
            )
            if len(self._plans) < 256:  # a bound for callers that vary the scope endlessly
                self._plans[scope] = plan
        assert isinstance(plan, _Plan)
        return plan


# -- checking -------------------------------------------------------------------


def _sorted(findings: Iterable[Finding]) -> list[Finding]:
    return sorted(findings, key=lambda f: (f.part, f.start, f.rule, f.end, f.message))


def _scope(channel: object, stage: object, severity: object, voice: object) -> Scope:
    """The scope of these names (or enum members), made once for each."""
    try:
        return _made_scope(channel, stage, severity, voice)
    except TypeError:  # a value that cannot be a key (not a name a caller should give)
        return _made_scope.__wrapped__(channel, stage, severity, voice)


@functools.lru_cache(maxsize=1024)
def _made_scope(channel: object, stage: object, severity: object, voice: object) -> Scope:
    name = _name(channel)
    if not name:
        raise ValidationError("must name a channel", field="channel")
    return Scope(channel=name, stage=_name(stage), severity=_name(severity), voice=_name(voice))


_CAPITAL_WORD = re.compile(r"(?<![\w])[^\W_a-z]*[^\W\d_a-z]{2}[^\W_a-z]*(?!\w)")


def record_names(record: object) -> frozenset[str]:
    """The words written in capitals anywhere in ``record`` (an incident, or any text).

    Strings, attrs records (an :class:`~crisiscomms.Incident`), mappings and
    sequences are searched. The shouting rule leaves these words alone: a
    name the record writes in capitals (``ACMEPAY``) is a name, not shouting.
    """
    texts: list[str] = []
    stack: list[Any] = [record]  # each item's type is told apart by _KINDS
    seen: set[int] = set()
    kinds = _KINDS
    while stack:
        item = stack.pop()
        kind = kinds.get(type(item))
        if kind is None:
            kind = kinds[type(item)] = _kind_of(type(item))
        if kind is _TEXT:
            if not item.islower():  # a text without capitals holds no such word
                texts.append(item)
            continue
        if not kind or id(item) in seen:
            continue
        seen.add(id(item))
        if kind is _MAPPING:
            stack.extend(item.values())
        elif kind is _ITEMS:
            stack.extend(item)
        else:
            stack.extend(getattr(item, name) for name in kind)
    # One search of every text at once; a line break keeps their words apart.
    return frozenset(word.upper() for word in _CAPITAL_WORD.findall("\n".join(texts)))


# How record_names reads a value of each type: as text, by its values, by its
# items, by its attrs fields (their names), or not at all (an empty tuple).
_TEXT, _MAPPING, _ITEMS = ("text",), ("mapping",), ("items",)
_KINDS: dict[type, tuple[str, ...]] = {}


def _kind_of(kind: type) -> tuple[str, ...]:
    if issubclass(kind, str):
        return _TEXT
    if attrs.has(kind):
        return tuple(field.name for field in attrs.fields(kind))
    if issubclass(kind, Mapping):
        return _MAPPING
    if issubclass(kind, (list, tuple, set, frozenset)):
        return _ITEMS
    return ()


def _runs(rule: Rule, scan: Scan) -> bool:
    return rule.check.always or scan.holds(rule.check.anchors)


def check_text(
    text: str,
    *,
    channel: str,
    voice: str | None = None,
    stage: str | None = None,
    severity: str | None = None,
    part: int = 0,
    rules: RuleSet | None = None,
    names: Iterable[str] = (),
    locale: str | None = None,
) -> list[Finding]:
    """Every finding of every rule in scope for ``text``, sorted by ``(start, rule)``.

    Spans are Python string indices into ``text``. ``channel``, ``voice``,
    ``stage`` and ``severity`` accept strings or the library's enums; a rule
    scoped to stages (say) is skipped when ``stage`` is ``None``. ``rules``
    defaults to :meth:`RuleSet.default` for ``locale`` (the text's language,
    English when ``None``); ``names`` are words in capitals that are names,
    not shouting (see :func:`record_names`).
    """
    findings = check_parts(
        [text],
        channel=channel,
        voice=voice,
        stage=stage,
        severity=severity,
        rules=rules,
        names=names,
        locale=locale,
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
    names: Iterable[str] = (),
    locale: str | None = None,
) -> list[Finding]:
    """The findings for a draft in several parts (a thread), sorted by ``(part, start, rule)``.

    Per-post rules run on each part. Whole-draft rules (``occurrence`` and
    ``readability``) run once on the parts joined by blank lines; a finding
    that spans the whole draft is reported on part 0, spanning that part.
    """
    scope = _scope(channel, stage, severity, voice)
    plan = (RuleSet.default(locale) if rules is None else rules)._plan(scope)
    known = frozenset(word.upper() for word in names)
    findings: list[Finding] = []
    scans = []
    for number, text in enumerate(parts):
        scan = plan.gate.scan(text, known)
        scans.append(scan)
        findings.extend(plan.findings(text, scope, scan, number))
    if plan.whole:
        # One post is its own whole draft. For a thread, what the gate found in
        # each post is what it would find in them joined: no word spans two posts.
        joined = scans[0] if len(parts) == 1 else Scan.joined(scans, "\n\n")
        findings.extend(_whole_draft(parts, plan.whole, scope, joined))
    return _sorted(findings)


def _part_starts(parts: Sequence[str]) -> list[int]:
    """Where each part starts in the parts joined by blank lines."""
    return list(itertools.accumulate((len(text) + 2 for text in parts[:-1]), initial=0))


def _whole_draft(
    parts: Sequence[str], rules: Sequence[Rule], scope: Scope, scan: Scan
) -> Iterator[Finding]:
    """The whole-draft rules' findings, each placed in the part where it starts."""
    starts = _part_starts(parts)
    for rule in rules:
        if not _runs(rule, scan):
            continue
        for hit in rule.hits(scan.text, scope, scan):
            yield _placed(rule, hit, scope, parts, starts, len(scan.text))


def _placed(
    rule: Rule, hit: Hit, scope: Scope, parts: Sequence[str], starts: Sequence[int], length: int
) -> Finding:
    """A whole-draft hit as a finding in the part where it starts (a hit spanning the
    whole draft is reported on part 0, spanning that part)."""
    if not parts or (hit.start == 0 and hit.end == length):
        first = len(parts[0]) if parts else 0
        return rule.finding(Hit(0, first, hit.values, hit.suggestion), scope, part=0)
    number = bisect.bisect_right(starts, hit.start) - 1
    end = min(hit.end, starts[number] + len(parts[number]))
    hit = Hit(hit.start, end, hit.values, hit.suggestion)
    return rule.finding(hit, scope, part=number, offset=starts[number])


def check_drafts(
    drafts: Sequence[tuple[Sequence[str], str]],
    *,
    voice: str | None = None,
    stage: str | None = None,
    severity: str | None = None,
    rules: RuleSet | None = None,
    names: Iterable[str] = (),
    locale: str | None = None,
) -> list[list[Finding]]:
    """:func:`check_parts` of each draft, given as ``(parts, channel)``: the same
    findings, with each sentence the drafts share read once.

    The drafts of one incident say the same sentences, split into posts and
    framed differently by each channel. Each paragraph is cut into sentences
    (after a full stop followed by a space or a line break, but not one that
    ends a link), and the distinct sentences are read in one pass, joined by
    blank lines: by the rules that look at words in place, by the phrases
    that whole-draft rules count, and by the readability counts. Each draft
    then adds up its own sentences. Where a rule in scope has a phrase that
    may run on past a full stop, paragraphs are read whole instead. The rules
    that count per post, and whole-draft rules that cannot be added up, read
    the draft itself; a single draft is read as :func:`check_parts` reads it.
    """
    rule_set = RuleSet.default(locale) if rules is None else rules
    if len(drafts) <= 1:  # nothing to share: read the draft itself
        return [
            check_parts(
                parts,
                channel=channel,
                voice=voice,
                stage=stage,
                severity=severity,
                rules=rule_set,
                names=names,
            )
            for parts, channel in drafts
        ]
    known = frozenset(word.upper() for word in names)
    scopes = [_scope(channel, stage, severity, voice) for _, channel in drafts]
    plans = [rule_set._plan(scope) for scope in scopes]
    shared = rule_set._shared(scopes)
    # The distinct pieces (paragraphs, or their sentences where no rule read in
    # them runs on past a full stop), and the pieces of each draft's paragraphs.
    index: dict[str, int] = {}
    pieces_of: dict[str, tuple[list[int], list[int]]] = {}
    layouts: list[_Layout] = []
    for parts, _ in drafts:
        layout = _Layout(pieces_of)
        for number, part in enumerate(parts):
            offset = 0
            for paragraph in part.split("\n\n"):
                pieces = pieces_of.get(paragraph)
                if pieces is None:
                    split = _pieces(paragraph, shared.sentences)
                    pieces = pieces_of[paragraph] = (
                        [at for at, _ in split],
                        [index.setdefault(piece, len(index)) for _, piece in split],
                    )
                layout.ids += pieces[1]
                layout.paragraphs.append((number, offset, paragraph))
                offset += len(paragraph) + 2
        layouts.append(layout)
    distinct = list(index)
    text = "\n\n".join(distinct)
    starts = _part_starts(distinct)
    scan = shared.gate.scan(text, known)
    scan.starts = starts
    # What the local rules found in each piece that holds a hit.
    local: dict[int, list[tuple[Rule, Hit]]] = {}
    # Local checks read nothing of the scope (see Check.local): any draft's will do.
    for rule, hit in shared.hits(text, scopes[0], scan):
        local.setdefault(bisect.bisect_right(starts, hit.start) - 1, []).append((rule, hit))
    counts = _Counts(text, scan, starts)
    maybe: dict[str, bool] = {}
    results = []
    for parts, scope, plan, layout in zip(
        (d[0] for d in drafts), scopes, plans, layouts, strict=True
    ):
        assert plan.local is not None
        assert plan.post is not None
        ids = plan.local.ids
        found = (
            [
                rule.finding(hit, scope, part=number, offset=starts[piece] - offset)
                for number, offset, piece in layout.places()
                if piece in local
                for rule, hit in local[piece]
                if rule.id in ids
            ]
            if not local.keys().isdisjoint(layout.ids)
            else []
        )
        # The rules that count per post, less those that can find nothing in any
        # paragraph (no "!" anywhere, say).
        post_rules = []
        for rule in plan.post.span:
            may = maybe.get(rule.id)
            if may is None:
                may = maybe[rule.id] = rule.check.may_find(scan)
            if may:
                post_rules.append(rule)
        for number, part in enumerate(parts if post_rules else ()):
            # What the gate found in every paragraph: more than the post holds, so a
            # rule may be tried in vain, never missed.
            post = Scan(part, None, scan.held, known, scan.words)
            post.looked_for = scan.looked_for
            for rule in post_rules:
                found.extend(
                    rule.finding(hit, scope, part=number)
                    for hit in rule.check.find(part, scope, post)
                )
        if plan.whole:
            found.extend(_whole_by_piece(parts, plan, scope, layout, counts, known))
        results.append(_sorted(found))
    return results


class _Layout:
    """Where a draft's pieces stand: its paragraphs as ``(part, offset, paragraph)``,
    and the ids of their pieces in order (see :func:`check_drafts`)."""

    def __init__(self, pieces_of: Mapping[str, tuple[list[int], list[int]]]) -> None:
        self.pieces_of = pieces_of
        self.paragraphs: list[tuple[int, int, str]] = []
        self.ids: list[int] = []

    def places(self) -> list[tuple[int, int, int]]:
        """Each piece as ``(part, offset in the part, piece id)``."""
        return [
            (number, offset + at, piece)
            for number, offset, paragraph in self.paragraphs
            for at, piece in zip(*self.pieces_of[paragraph], strict=True)
        ]


def _pieces(paragraph: str, sentences: bool) -> list[tuple[int, str]]:
    """The paragraph, or its sentences (split after each full stop followed by a
    space or a line break), each with where it starts.

    A full stop that ends a link, an address or a handle is part of it, not the
    end of a sentence (the readability counts blank it out with the link).
    """
    if not sentences:
        return [(0, paragraph)]
    # Where a full stop ends a line, as where a space follows it (the same length).
    probe = paragraph.replace(".\n", ". ") if ".\n" in paragraph else paragraph
    if ". " not in probe:
        return [(0, paragraph)]
    links = masked_links(paragraph) != paragraph
    pieces = []
    start = at = 0
    for sentence in probe.split(". ")[:-1]:
        stop = at + len(sentence) + 1  # just after the full stop
        if not (links and _ends_link(probe, stop)):
            pieces.append((start, paragraph[start:stop]))
            start = stop + 1
        at = stop + 1
    pieces.append((start, paragraph[start:]))
    return pieces


def _ends_link(text: str, end: int) -> bool:
    """Whether the full stop before ``end`` is blanked with a link, an address or a
    handle (see :func:`~crisiscomms.tone.readability.masked_links`): the run of
    characters other than white space that it ends is masked there."""
    start = end
    while start and not text[start - 1].isspace():
        start -= 1
    return not masked_links(text[start:end]).endswith(".")


class _Counts:
    """What whole-draft rules count in each distinct piece, found when first asked."""

    def __init__(self, text: str, scan: Scan, starts: list[int]) -> None:
        self.text = text
        self.scan = scan
        self.starts = starts
        self._spans: dict[tuple[str, int | None], dict[int, list[tuple[int, int]]]] = {}
        self._stats: list[tuple[int, int, int]] | None = None
        self._counted = False

    def readability(self) -> list[tuple[int, int, int]] | None:
        """The readability counts of each piece (see :func:`piece_stats`)."""
        if not self._counted:
            self._stats = piece_stats(self.text, self.starts)
            self._counted = True
        return self._stats

    def spans(self, rule: Rule, group: int | None = None) -> dict[int, list[tuple[int, int]]]:
        """The matches of an occurrence rule's phrases (or of one group of them) in each
        piece that holds one, from the piece's start."""
        key = (rule.id, group)
        found = self._spans.get(key)
        if found is None:
            check = rule.check
            assert isinstance(check, Occurrence)
            found = {}
            spans = (
                check.spans(self.text, self.scan)
                if group is None
                else check.group_spans(group, self.text, self.scan)
            )
            for start, end in spans:
                paragraph = bisect.bisect_right(self.starts, start) - 1
                base = self.starts[paragraph]
                found.setdefault(paragraph, []).append((start - base, end - base))
            self._spans[key] = found
        return found


def _whole_by_piece(
    parts: Sequence[str],
    plan: _Plan,
    scope: Scope,
    layout: _Layout,
    counts: _Counts,
    known: frozenset[str],
) -> list[Finding]:
    """A draft's whole-draft findings, added up from its pieces where they can be."""
    ids = layout.ids
    joined = "\n\n".join(parts)
    starts: list[int] | None = None
    draft_scan: Scan | None = None
    found: list[tuple[Rule, Hit]] = []
    for rule in plan.whole:
        check = rule.check
        if isinstance(check, Readability):
            stats = counts.readability() if check.formula == "flesch-kincaid" else None
            limit = check.limit(scope)
            if limit is None:
                continue
            if stats is None:
                hits = check.find(joined, scope, Scan(joined, "", frozenset(), known))
            else:
                hits = check.judge(joined, TextStats.total(map(stats.__getitem__, ids)), limit)
        elif isinstance(check, Occurrence) and check.by_paragraph and check.one_will_do:
            # Only a missing match can be reported: the first match found will do,
            # so the groups are read one at a time, and only until there is one.
            if any(
                not counts.spans(rule, group).keys().isdisjoint(ids)
                for group in range(len(check.groups))
            ):
                continue
            hits = check.judge(joined, [])
        elif isinstance(check, Occurrence) and check.by_paragraph:
            spans = counts.spans(rule)
            count = sum(len(spans[piece]) for piece in ids if piece in spans)
            if (check.min is None or count >= check.min) and (
                check.max is None or count <= check.max
            ):
                continue  # what the judge would find: nothing
            starts = starts or _part_starts(parts)
            hits = check.judge(
                joined,
                [
                    (starts[number] + offset + begin, starts[number] + offset + end)
                    for number, offset, piece in layout.places()
                    for begin, end in spans.get(piece, ())
                ],
            )
        else:
            if draft_scan is None:
                draft_scan = plan.gate.scan(joined, known)
            if not _runs(rule, draft_scan):
                continue
            hits = rule.hits(joined, scope, draft_scan)
        found.extend((rule, hit) for hit in hits)
    if not found:
        return []
    starts = starts or _part_starts(parts)
    return [_placed(rule, hit, scope, parts, starts, len(joined)) for rule, hit in found]
