"""Reading a mention: which intent it carries, by rules kept as data.

The rules are a TOML file (``intents.toml`` beside this module): one
``[[intent]]`` table per intent, most urgent first, each with regular
expressions matched against the mention once it is *read* the same way every
time (:func:`read`): lowercased, contractions spelled out, common post
spellings and one-letter slips mended, links and handles set aside, and words
and ``?!.,`` parted by single spaces. Users extend the rules with files of
their own (:meth:`IntentRules.with_files`), as they do the tone rules.
"""

from __future__ import annotations

import functools
import os
import re
import sys
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from importlib import resources
from types import MappingProxyType
from typing import Any

import attrs

from crisiscomms.errors import LoadError, ValidationError
from crisiscomms.replies.gates import openings

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on Python 3.10 only
    import tomli as tomllib

__all__ = ["Intent", "IntentRules", "Reading", "classify", "read"]

#: The intents every rule set has: the fallbacks :meth:`IntentRules.classify` relies on.
QUESTION, UNRELATED = "question", "unrelated"

_URL = re.compile(r"(?:https?://|www\.)\S+", re.IGNORECASE)
_HANDLE = re.compile(r"(?<![\w@])@[\w.-]+(?:@[\w.-]+)?")
_TOKEN = re.compile(r"[a-z0-9]+(?:'[a-z]+)*|\$|[?!.,;:]")
_RUN = re.compile(r"([a-z])\1{2,}")
# The memo of word readings stops growing here (a day of mentions needs a few thousand).
_KNOWN_WORDS = 50_000
_KNOWN_READINGS = 20_000
_NEGATORS = frozenset({"not", "no", "never", "nobody", "nothing", "without", "hardly", "neither"})
# A negation reaches at most this many words forward, and never past a clause break.
_NEGATION_REACH = 2
_CLAUSE_BREAKS = frozenset({",", ".", ";", ":", "!", "?", "but", "just", "though", "although"})
_SUFFIXES = (("n't", " not"), ("'re", " are"), ("'ll", " will"), ("'ve", " have"), ("'m", " am"))
_IRREGULAR = {"won't": "will not", "can't": "can not", "shan't": "shall not", "ain't": "is not"}
# "'s" is spelled out only after words where it stands for "is" (not a possessive).
_IS_AFTER = frozenset(
    {"it", "that", "what", "where", "when", "who", "how", "there", "here", "everything", "he"}
)
_FIELDS = frozenset(
    {"name", "patterns", "emoji", "negatable", "needs_human", "reason", "overrides", "needs_topic"}
)
_FILE_FIELDS = frozenset(
    {
        "intent",
        "spelling",
        "keywords",
        "not_slips",
        "topic",
        "shouting",
        "statement",
        "human_words",
        "disable",
    }
)


def _compile(pattern: object, field: str) -> re.Pattern[str]:
    if not isinstance(pattern, str) or not pattern:
        raise ValidationError("must be a non-empty regular expression", field=field)
    try:
        return re.compile(pattern)
    except re.error as error:
        raise ValidationError(f"not a regular expression: {error}", field=field) from None


@attrs.frozen
class _Gate:
    """The words a pattern's match must start with: ``whole`` holds one or two whole
    words (``"my"``, ``"my account"``), ``starts`` the same with the last word cut
    short (``"hack"``, ``"my acc"``)."""

    whole: frozenset[str]
    starts: frozenset[str]


def _gate(pattern: re.Pattern[str]) -> _Gate | None:
    """The gate of a pattern that opens with ``\\b`` and a word, else ``None`` (always tried).

    A speed-up only (:func:`~crisiscomms.replies.gates.openings`): a mention
    without any of the words a match must begin with cannot match.
    """
    found = openings(pattern.pattern)
    if not found:
        return None
    whole: set[str] = set()
    starts: set[str] = set()
    for opening in found:
        words = opening.split(" ")
        if len(words) == 1:
            starts.add(words[0])
        elif not words[1]:
            whole.add(words[0])
        elif len(words) > 2:
            whole.add(f"{words[0]} {words[1]}")
        else:
            starts.add(f"{words[0]} {words[1]}")
    return _Gate(frozenset(whole), frozenset(starts))


@attrs.frozen(kw_only=True)
class Intent:
    """One intent: its name, the patterns and emoji that show it, and how it is handled.

    ``negatable``: a match right after a negation ("not mad") does not count.
    ``needs_human``: a person answers these; ``reason`` says why.
    ``overrides``: a match wins over every intent that does not need a person
    (spam that happens to say "password"). ``needs_topic``: a match counts
    only when the mention has a word about the incident.
    """

    name: str
    patterns: tuple[re.Pattern[str], ...] = ()
    emoji: tuple[str, ...] = ()
    negatable: bool = False
    needs_human: bool = False
    reason: str | None = None
    overrides: bool = False
    needs_topic: bool = False

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any], *, where: str) -> Intent:
        """An intent from one ``[[intent]]`` table; ``where`` names it in errors."""
        for key in data:
            if key not in _FIELDS:
                raise ValidationError("unknown field", field=f"{where}.{key}")
        name = data.get("name")
        if not isinstance(name, str) or not re.fullmatch(r"[a-z][a-z0-9_-]*", name):
            raise ValidationError("must be a lowercase name", field=f"{where}.name")
        patterns = _strings(data.get("patterns", []), f"{where}.patterns")
        emoji = _strings(data.get("emoji", []), f"{where}.emoji")
        flags = {}
        for key in ("negatable", "needs_human", "overrides", "needs_topic"):
            value = data.get(key, False)
            if not isinstance(value, bool):
                raise ValidationError("must be true or false", field=f"{where}.{key}")
            flags[key] = value
        reason = data.get("reason")
        if reason is not None and not isinstance(reason, str):
            raise ValidationError("must be a string", field=f"{where}.reason")
        return cls(
            name=name,
            patterns=tuple(_compile(p, f"{where}.patterns[{i}]") for i, p in enumerate(patterns)),
            emoji=tuple(_plain_emoji(item) for item in emoji),
            reason=reason,
            **flags,
        )

    def merged(self, other: Intent, *, given: Iterable[str]) -> Intent:
        """This intent with ``other``'s patterns and emoji added, and those of its flags
        that its table ``given`` names taken; the others stay ours, so adding patterns
        to ``press`` never drops its ``needs_human``."""
        flags = {
            name: getattr(other, name)
            for name in ("negatable", "needs_human", "overrides", "needs_topic", "reason")
            if name in given
        }
        return attrs.evolve(
            self,
            patterns=self.patterns + other.patterns,
            emoji=self.emoji + other.emoji,
            **flags,
        )


def _strings(value: object, field: str) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise ValidationError("must be a list of strings", field=field)
    return list(value)


def _plain_emoji(text: str) -> str:
    # Variation selectors vary between keyboards; "❤️" and "❤" are the same heart.
    return text.replace("\ufe0f", "")


@attrs.frozen(kw_only=True)
class Reading:
    """What a mention asks.

    ``intent`` is the most urgent intent found; ``intents`` every intent found,
    most urgent first (an angry question about what to do reads as
    ``("action", "angry")``). ``needs_human`` is True when a person should
    answer or check, and ``reason`` says why. ``cues`` are the words that
    decided ``intent``.
    """

    intent: str
    intents: tuple[str, ...]
    needs_human: bool = False
    reason: str | None = None
    cues: tuple[str, ...] = ()


def _deletes(word: str) -> set[str]:
    return {word[:index] + word[index + 1 :] for index in range(len(word))}


def _read_only(value: Mapping[str, str]) -> Mapping[str, str]:
    return MappingProxyType(dict(value))


@attrs.frozen(kw_only=True)
class IntentRules:
    """An ordered set of intents (most urgent first) and the reading rules they share.

    Immutable: :meth:`with_files` returns a new set. (Readings already made are
    remembered inside the set, which changes nothing a caller can see.)
    ``spelling`` maps a post spelling to the words it stands for; ``keywords``
    are the words whose one-letter slips are mended; ``topic`` holds the
    patterns that tie a mention to an incident; ``shouting`` names the intent
    an all-capital mention counts toward.
    """

    intents: tuple[Intent, ...]
    spelling: Mapping[str, str] = attrs.field(factory=dict, converter=_read_only)
    keywords: tuple[str, ...] = ()
    not_slips: frozenset[str] = frozenset()
    topic: tuple[re.Pattern[str], ...] = ()
    shouting: str | None = None
    statement: str | None = None
    human_words: tuple[re.Pattern[str], ...] = ()
    _slips: Mapping[str, str] = attrs.field(init=False, eq=False, repr=False)
    _plan: tuple[tuple[Intent, tuple[tuple[int, re.Pattern[str]], ...]], ...] = attrs.field(
        init=False, eq=False, repr=False
    )
    _whole: Mapping[str, frozenset[int]] = attrs.field(init=False, eq=False, repr=False)
    _starts: Mapping[str, frozenset[int]] = attrs.field(init=False, eq=False, repr=False)
    _always: frozenset[int] = attrs.field(init=False, eq=False, repr=False)
    _owner: tuple[int, ...] = attrs.field(init=False, eq=False, repr=False)
    _patterns: tuple[re.Pattern[str], ...] = attrs.field(init=False, eq=False, repr=False)
    _with_emoji: frozenset[int] = attrs.field(init=False, eq=False, repr=False)
    _opens: dict[str, frozenset[int]] = attrs.field(init=False, eq=False, repr=False, factory=dict)
    # Readings of texts seen before: a day of mentions repeats itself ("me too", "eta?").
    _readings: dict[str, Reading] = attrs.field(init=False, eq=False, repr=False, factory=dict)
    # Each word's reading, worked out once: mentions of one day share most of their words.
    _known: dict[str, tuple[str, ...]] = attrs.field(init=False, eq=False, repr=False, factory=dict)

    def __attrs_post_init__(self) -> None:
        names = [intent.name for intent in self.intents]
        if len(set(names)) != len(names):
            raise ValidationError("intent names must be unique", field="intents")
        for needed in (QUESTION, UNRELATED):
            if needed not in names:
                raise ValidationError(f"the {needed!r} intent is required", field="intents")
        for field, value in (("shouting", self.shouting), ("statement", self.statement)):
            if value is not None and value not in names:
                raise ValidationError(f"no intent named {value!r}", field=field)
        # Symmetric deletion: a word and a keyword one edit apart share a one-letter deletion
        # (or one is a deletion of the other), so one lookup finds a slip of any kind.
        slips: dict[str, str] = {}
        for keyword in sorted(self.keywords, key=lambda word: (len(word), word)):
            for variant in (keyword, *_deletes(keyword)):
                slips.setdefault(variant, keyword)
        object.__setattr__(self, "_slips", MappingProxyType(slips))
        # Which patterns a mention's words can open: a pattern is tried only where the
        # words its match must begin with are present (or always, when they are unknown).
        whole: dict[str, set[int]] = {}
        starts: dict[str, set[int]] = {}
        always: set[int] = set()
        plan: list[tuple[Intent, tuple[tuple[int, re.Pattern[str]], ...]]] = []
        number = 0
        for intent in self.intents:
            numbered = []
            for pattern in intent.patterns:
                gate = _gate(pattern)
                if gate is None:
                    always.add(number)
                else:
                    for word in gate.whole:
                        whole.setdefault(word, set()).add(number)
                    for start in gate.starts:
                        starts.setdefault(start, set()).add(number)
                numbered.append((number, pattern))
                number += 1
            plan.append((intent, tuple(numbered)))
        object.__setattr__(self, "_plan", tuple(plan))
        object.__setattr__(
            self,
            "_owner",
            tuple(index for index, (_, numbered) in enumerate(plan) for _ in numbered),
        )
        object.__setattr__(
            self, "_patterns", tuple(pattern for _, numbered in plan for _, pattern in numbered)
        )
        object.__setattr__(
            self,
            "_with_emoji",
            frozenset(index for index, intent in enumerate(self.intents) if intent.emoji),
        )
        object.__setattr__(self, "_whole", {k: frozenset(v) for k, v in whole.items()})
        object.__setattr__(self, "_starts", {k: frozenset(v) for k, v in starts.items()})
        object.__setattr__(self, "_always", frozenset(always))

    def _open(self, tokens: Sequence[str]) -> set[int]:
        """The numbers of the patterns worth trying on a mention with these words."""
        found = set(self._always)
        memo = self._opens
        for pair in {" ".join(tokens[index : index + 2]) for index in range(len(tokens))}:
            opens = memo.get(pair)
            if opens is None:
                opens = self._opens_of(pair)
                if len(memo) < _KNOWN_WORDS:
                    memo[pair] = opens
            found.update(opens)
        return found

    def _opens_of(self, pair: str) -> frozenset[int]:
        """The patterns a match may start at a word (and the word after it) can open."""
        whole, starts = self._whole, self._starts
        first = pair.partition(" ")[0]
        found: set[int] = set(whole.get(first, ()))
        found.update(whole.get(pair, ()))
        for end in range(1, len(first) + 1):
            found.update(starts.get(first[:end], ()))
        for end in range(len(first) + 2, len(pair) + 1):
            found.update(starts.get(pair[:end], ()))
        return frozenset(found)

    @classmethod
    def default(cls) -> IntentRules:
        """The bundled rules (``crisiscomms/replies/intents.toml``), loaded once."""
        return _bundled()

    @property
    def names(self) -> tuple[str, ...]:
        """The intent names, most urgent first."""
        return tuple(intent.name for intent in self.intents)

    def intent(self, name: str) -> Intent:
        """The intent called ``name``."""
        for intent in self.intents:
            if intent.name == name:
                return intent
        raise ValidationError(f"no intent named {name!r}", field="intent")

    def with_files(self, *paths: str | os.PathLike[str]) -> IntentRules:
        """These rules extended by rule files: an ``[[intent]]`` with a known name adds
        patterns to it, a new one goes just before ``before`` (default: before
        ``question``); ``[spelling]``, ``keywords`` and ``topic`` add to ours and
        ``disable`` removes intents by name."""
        rules = self
        for path in paths:
            rules = rules._with_file(os.fspath(path))
        return rules

    def _with_file(self, path: str) -> IntentRules:
        try:
            with open(path, "rb") as handle:
                data = tomllib.loads(handle.read().decode("utf-8"))
        except OSError as error:
            raise LoadError(f"cannot read the intent file: {error.strerror}", path=path) from None
        except UnicodeDecodeError:
            raise LoadError("not UTF-8 text", path=path) from None
        except tomllib.TOMLDecodeError as error:
            raise LoadError(f"not valid TOML: {error}", path=path) from None
        try:
            return self._merge(data)
        except ValidationError as error:
            raise LoadError(error.reason, path=path, field=error.field) from None

    def _merge(self, data: Mapping[str, Any]) -> IntentRules:
        for key in data:
            if key not in _FILE_FIELDS:
                raise ValidationError("unknown top-level key", field=key)
        intents = list(self.intents)
        tables = data.get("intent", [])
        if not isinstance(tables, list):
            raise ValidationError("must be an array of tables ([[intent]])", field="intent")
        for index, table in enumerate(tables):
            where = f"intent[{index}]"
            if not isinstance(table, Mapping):
                raise ValidationError("must be a table", field=where)
            fields = dict(table)
            before = fields.pop("before", None)
            intent = Intent.from_mapping(fields, where=where)
            names = [item.name for item in intents]
            if intent.name in names:
                position = names.index(intent.name)
                intents[position] = intents[position].merged(intent, given=fields)
                continue
            target = QUESTION if before is None else before
            if not isinstance(target, str) or target not in names:
                raise ValidationError(f"no intent named {target!r}", field=f"{where}.before")
            intents.insert(names.index(target), intent)
        disable = _strings(data.get("disable", []), "disable")
        for name in disable:
            if name in (QUESTION, UNRELATED):
                raise ValidationError(f"the {name!r} intent cannot be disabled", field="disable")
        intents = [intent for intent in intents if intent.name not in disable]
        spelling = data.get("spelling", {})
        if not isinstance(spelling, Mapping) or not all(
            isinstance(value, str) for value in spelling.values()
        ):
            raise ValidationError("must map spellings to words", field="spelling")
        topic = _strings(data.get("topic", []), "topic")
        shouting = data.get("shouting", self.shouting)
        if shouting is not None and not isinstance(shouting, str):
            raise ValidationError("must be an intent name", field="shouting")
        return IntentRules(
            intents=tuple(intents),
            spelling=dict(self.spelling) | {str(key).lower(): v for key, v in spelling.items()},
            keywords=(*self.keywords, *_strings(data.get("keywords", []), "keywords")),
            not_slips=self.not_slips | set(_strings(data.get("not_slips", []), "not_slips")),
            topic=(
                *self.topic,
                *(_compile(p, f"topic[{i}]") for i, p in enumerate(topic)),
            ),
            shouting=shouting,
            statement=_optional_name(data.get("statement", self.statement), "statement"),
            human_words=(
                *self.human_words,
                *(
                    _compile(p, f"human_words[{i}]")
                    for i, p in enumerate(_strings(data.get("human_words", []), "human_words"))
                ),
            ),
        )

    # -- reading -----------------------------------------------------------------

    def read(self, text: str) -> str:
        """The mention as the patterns see it (see the module's docstring)."""
        return " ".join(self._tokens(text))

    def _tokens(self, text: str) -> list[str]:
        text = unicodedata.normalize("NFKC", text).replace("\u2019", "'").replace("\u2018", "'")
        if "@" in text or "http" in text or "www." in text:
            text = _HANDLE.sub(" ", _URL.sub(" ", text))
        text = _RUN.sub(r"\1\1", text.lower())
        words: list[str] = []
        known = self._known
        for raw in _TOKEN.findall(text):
            if words and raw in "?!.,;:" and words[-1] == raw:
                continue  # "???" reads as one question mark
            spelled = known.get(raw)
            if spelled is None:
                spelled = tuple(self._word(raw).split())
                if len(known) < _KNOWN_WORDS:
                    known[raw] = spelled
            words.extend(spelled)
        return words

    def _word(self, word: str) -> str:
        if "'" in word:
            return self._contraction(word)
        found = self.spelling.get(word)
        if found is not None:
            return found
        if (
            len(word) < 5
            or not word.isalpha()
            or self._slips.get(word) == word
            or word in self.not_slips
        ):
            return word
        # A slip keeps the first and last letters ("pasword", "compromized"); a changed
        # ending is another form of a word ("reported" is not "reporter").
        for variant in (word, *sorted(_deletes(word))):
            keyword = self._slips.get(variant)
            if keyword is not None and keyword[0] == word[0] and keyword[-1] == word[-1]:
                return keyword
        return word

    def _contraction(self, word: str) -> str:
        if word in _IRREGULAR:
            return _IRREGULAR[word]
        if word in self.spelling:
            return self.spelling[word]
        for suffix, spelled in _SUFFIXES:
            if word.endswith(suffix):
                return self._word(word[: -len(suffix)]) + spelled
        if word.endswith("'s"):
            stem = word[:-2]
            return f"{stem} is" if stem in _IS_AFTER else stem
        if word.endswith("'d"):
            return word[:-2] + " would"
        return word.replace("'", "")

    def classify(self, text: str) -> Reading:
        """What ``text`` asks: the most urgent intent found, and every other one."""
        known = self._readings.get(text)
        if known is None:
            known = self._with_person(text, self._classify(text))
            if len(self._readings) < _KNOWN_READINGS:
                self._readings[text] = known
        return known

    def _classify(self, text: str) -> Reading:
        tokens = self._tokens(text)
        read = " ".join(tokens)
        plain = _plain_emoji(text)
        by_intent: dict[int, list[re.Pattern[str]]] = {}
        for number in sorted(self._open(tokens)):
            by_intent.setdefault(self._owner[number], []).append(self._patterns[number])
        shouting = _is_shouting(text)
        candidates = set(by_intent)
        candidates.update(index for index in self._with_emoji if self.intents[index].emoji)
        if shouting and self.shouting is not None:
            candidates.add(self.names.index(self.shouting))
        topic: bool | None = None
        found: dict[str, tuple[str, ...]] = {}
        for index in sorted(candidates):
            intent = self.intents[index]
            if intent.needs_topic:
                if topic is None:
                    topic = self._on_topic(read)
                if not topic:
                    continue
            cues = _cues(intent, by_intent.get(index, ()), read, plain)
            if shouting and intent.name == self.shouting:
                cues = (*cues, "ALL CAPITALS")
            if cues:
                found[intent.name] = cues
        order = [intent for intent in self.intents if intent.name in found]
        human = [intent for intent in order if intent.needs_human]
        overriding = [intent for intent in order if intent.overrides]
        chosen: Intent | None
        if overriding and not human:
            chosen = overriding[0]
        else:
            named = [intent for intent in order if intent.name != UNRELATED]
            chosen = named[0] if named else None
        if chosen is None:
            return self._fallback(text, tokens, self._on_topic(read) if topic is None else topic)
        intents = tuple(
            intent.name for intent in order if intent.name != UNRELATED or intent is chosen
        )
        rest = tuple(name for name in intents if name != chosen.name)
        needs_human, reason = chosen.needs_human, chosen.reason if chosen.needs_human else None
        if chosen.overrides and rest:
            # Spam words beside a real question ("my account posts 'follow me back' spam,
            # what do I do?"): left unanswered, but a person looks first.
            needs_human = True
            reason = (
                f"{chosen.name}: reads as spam but also as {', '.join(rest)}; "
                "a person checks it before it is left unanswered"
            )
        return Reading(
            intent=chosen.name,
            intents=(chosen.name, *rest),
            needs_human=needs_human,
            reason=reason,
            cues=found[chosen.name],
        )

    def _with_person(self, text: str, reading: Reading) -> Reading:
        """The reading, marked for a person when the mention has press or legal words."""
        if reading.needs_human or not self.human_words:
            return reading
        read = self.read(text)
        for pattern in self.human_words:
            found = pattern.search(read)
            if found:
                return attrs.evolve(
                    reading,
                    needs_human=True,
                    reason=f"mentions {found.group()!r}, a press or legal word; "
                    "a person checks the reply",
                )
        return reading

    def _on_topic(self, read: str) -> bool:
        return any(pattern.search(read) for pattern in self.topic)

    def _fallback(self, text: str, tokens: Sequence[str], on_topic: bool) -> Reading:
        if not text.strip():
            # A bare mention (a handle and nothing else): a general answer serves.
            return Reading(intent=QUESTION, intents=(QUESTION,))
        if on_topic:
            if self.statement is not None and not _asks(tokens):
                # Words about the incident and no question: most such posts report it.
                return Reading(intent=self.statement, intents=(self.statement,))
            return Reading(intent=QUESTION, intents=(QUESTION,))
        return Reading(
            intent=UNRELATED,
            intents=(UNRELATED,),
            needs_human=True,
            reason="unrelated: no words about the incident, but no sign of spam; "
            "a person checks it before it is left unanswered",
        )


_ASKING = frozenset(
    [
        "what",
        "why",
        "how",
        "who",
        "when",
        "where",
        "which",
        "is",
        "are",
        "was",
        "were",
        "do",
        "does",
        "did",
        "can",
        "could",
        "will",
        "would",
        "should",
        "has",
        "have",
        "any",
        "anyone",
        "so",
        "huh",
    ]
)


def _asks(tokens: Sequence[str]) -> bool:
    """Whether a read mention asks something: a question mark, or a question word first."""
    return "?" in tokens or (bool(tokens) and tokens[0] in _ASKING)


def _optional_name(value: object, field: str) -> str | None:
    if value is not None and not isinstance(value, str):
        raise ValidationError("must be an intent name", field=field)
    return value


def _is_shouting(text: str) -> bool:
    if text.lower() == text:
        return False  # no capitals at all: the common case, decided at once
    if "@" in text or "http" in text or "www." in text:
        text = _URL.sub(" ", _HANDLE.sub(" ", text))
    letters = sum(map(str.isalpha, text))
    return letters >= 8 and sum(map(str.isupper, text)) >= 0.9 * letters


def _cues(
    intent: Intent, patterns: Iterable[re.Pattern[str]], read: str, plain: str
) -> tuple[str, ...]:
    cues: list[str] = []
    for pattern in patterns:
        for match in pattern.finditer(read):
            if intent.negatable and _negated(read, match.start()):
                continue
            cues.append(match.group().strip())
            break
    cues.extend(symbol for symbol in intent.emoji if symbol in plain)
    return tuple(cues)


def _negated(read: str, start: int) -> bool:
    before = read[:start].split()
    for word in reversed(before[-_NEGATION_REACH:]):
        if word in _CLAUSE_BREAKS:
            return False
        if word in _NEGATORS:
            return True
    return False


def _build(data: Mapping[str, Any]) -> IntentRules:
    """The rules of one file on its own (the bundled file is the base of every set)."""
    tables = data.get("intent", [])
    if not isinstance(tables, list):
        raise ValidationError("must be an array of tables ([[intent]])", field="intent")
    spelling = data.get("spelling", {})
    if not isinstance(spelling, Mapping) or not all(isinstance(v, str) for v in spelling.values()):
        raise ValidationError("must map spellings to words", field="spelling")
    shouting = data.get("shouting")
    return IntentRules(
        intents=tuple(
            Intent.from_mapping(table, where=f"intent[{index}]")
            for index, table in enumerate(tables)
        ),
        spelling={str(key).lower(): str(value) for key, value in spelling.items()},
        keywords=tuple(_strings(data.get("keywords", []), "keywords")),
        not_slips=frozenset(_strings(data.get("not_slips", []), "not_slips")),
        topic=tuple(
            _compile(p, f"topic[{i}]")
            for i, p in enumerate(_strings(data.get("topic", []), "topic"))
        ),
        shouting=shouting if isinstance(shouting, str) else None,
        statement=_optional_name(data.get("statement"), "statement"),
        human_words=tuple(
            _compile(p, f"human_words[{i}]")
            for i, p in enumerate(_strings(data.get("human_words", []), "human_words"))
        ),
    )


@functools.cache
def _bundled() -> IntentRules:
    name = "crisiscomms/replies/intents.toml"
    text = resources.files("crisiscomms.replies").joinpath("intents.toml").read_text("utf-8")
    try:
        return _build(tomllib.loads(text))
    except (tomllib.TOMLDecodeError, ValidationError) as error:  # pragma: no cover - packaging
        raise LoadError(str(error), path=name) from None


def read(text: str, *, rules: IntentRules | None = None) -> str:
    """``text`` as the intent patterns see it."""
    return (rules or IntentRules.default()).read(text)


def classify(text: str, *, rules: IntentRules | None = None) -> Reading:
    """The intent of one mention's text, by ``rules`` (default: the bundled rules)."""
    return (rules or IntentRules.default()).classify(text)
