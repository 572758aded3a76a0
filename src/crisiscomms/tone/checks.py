"""The rule types: one check class per ``type``, built from a rule's own fields.

Each builder reads its fields from an :class:`Options` view of the rule's
mapping, compiles every pattern once, and returns a :class:`Check`. A check's
``find`` yields :class:`Hit` records (a span, the values its message may use,
and an optional suggestion); :mod:`crisiscomms.tone.engine` turns them into
findings.
"""

from __future__ import annotations

import bisect
import functools
import importlib
import re
import sys
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from typing import Any

import attrs

from crisiscomms._names import CHANNEL_NAMES
from crisiscomms.errors import ValidationError
from crisiscomms.incident import Severity, Stage
from crisiscomms.tone.readability import masked_links, masked_stats

__all__ = [
    "CHANNELS",
    "RULE_TYPES",
    "SEVERITIES",
    "STAGES",
    "Check",
    "Gate",
    "Hit",
    "Options",
    "Scope",
    "build_check",
]

# The names rule scopes may use: one source each, shared with the model and
# the channel table.
STAGES = tuple(stage.value for stage in Stage)
SEVERITIES = tuple(severity.value for severity in Severity)
CHANNELS = CHANNEL_NAMES


@attrs.frozen
class Scope:
    """The situation a draft is checked in; ``None`` where the caller did not say."""

    channel: str
    stage: str | None = None
    severity: str | None = None
    voice: str | None = None


@attrs.frozen
class Hit:
    """One place a check matched: a span of the text and what the message may say."""

    start: int
    end: int
    values: Mapping[str, str] = attrs.field(factory=dict)
    suggestion: str | None = None


class Check:
    """The behaviour of one rule type. ``whole_text`` checks measure a document, not a span."""

    whole_text = False
    # True when every hit is a match of one of the check's token patterns.
    pattern_only = False
    fields: tuple[str, ...] = ()

    @functools.cached_property
    def needs(self) -> tuple[tuple[str, ...], ...] | None:
        """For a check whose hits are all matches: the literals each pattern needs, if all do.

        The check cannot hit a text that lacks every pattern's literals
        (see :func:`required_literals`); ``None`` when that cannot be told.
        """
        if not self.pattern_only:
            return None
        found = [pattern.needs for pattern in self.patterns_used]
        if not found or any(needs is None for needs in found):
            return None
        if sum(len(needs) for needs in found if needs is not None) > _MAX_TESTS:
            return None  # so many tests cost more than they save
        return tuple(needs for needs in found if needs is not None)

    @functools.cached_property
    def patterns_used(self) -> tuple[_Pattern, ...]:
        """Every token pattern of the check (for the rule set's :class:`Gate`)."""
        found: list[_Pattern] = []
        for value in vars(self).values():
            for item in value if isinstance(value, tuple) else (value,):
                for pattern in item if isinstance(item, tuple) else (item,):
                    if isinstance(pattern, _Pattern):
                        found.append(pattern)
        return tuple(found)

    def idle(self, text: str) -> bool:
        """A cheap, exact test: True when the check cannot hit ``text`` or any part of it."""
        return False

    @property
    def has_idle(self) -> bool:
        """Whether the check has an idle test of its own (the default one says never idle)."""
        kind = type(self)
        return kind.idle is not Check.idle or kind.idle_in is not Check.idle_in

    def idle_in(self, prepared: Prepared) -> bool:
        """:meth:`idle` of ``prepared.text``, using what ``prepared`` has worked out."""
        return self.idle(prepared.text)

    def find(
        self, text: str, scope: Scope, prepared: Prepared
    ) -> Iterator[Hit]:  # pragma: no cover
        """The hits in ``text``; ``prepared`` is the same text, ready for the shortcuts."""
        raise NotImplementedError


# Trying a pattern at one position costs about as much as scanning this many
# characters; past that many candidate positions, one scan is cheaper.
_MATCH_COST = 24
# A non-ASCII letter may match an ASCII letter under re.IGNORECASE without
# lowering to it (U+017F "long s" matches "s"), so such texts take the plain path.
_UNUSUAL_LETTER = re.compile(r"(?![\x00-\x7f])[^\W\d_]")
_ASCII_RUN = re.compile(r"[\x00-\x7f]+")
_WORD_CHAR = re.compile(r"\w")
_WIDE_SPACE = re.compile(r"\s")
_NO_POSITIONS: list[int] = []


def _trie(keys: Iterable[str]) -> str:
    """A regex matching the longest of ``keys`` at a position (see :func:`first_words`).

    A space in a key stands for a run of white space; a key ending in
    ``$`` must end where its last word ends.
    """
    root: dict[str, Any] = {}
    for key in keys:
        node = root
        body = key[:-1] if key.endswith(_EXACT) else key
        for char in body:
            node = node.setdefault(char, {})
        node.setdefault(_EXACT if key.endswith(_EXACT) else "", {})

    def build(node: dict[str, Any]) -> str:
        branches = [
            (r"\s+" if char == _SPACE else re.escape(char)) + build(child)
            for char, child in sorted(node.items())
            if char not in ("", _EXACT)
        ]
        body = "|".join(branches)
        if "" in node:
            return f"(?:{body})?" if branches else ""
        if _EXACT in node:
            return f"(?:{body}|(?!\\w))" if branches else "(?!\\w)"
        return body if len(branches) == 1 else f"(?:{body})"

    return build(root)


@functools.lru_cache(maxsize=64)
def _gate_pattern(keys: tuple[str, ...], ascii_only: bool) -> re.Pattern[str]:
    # The key must start a word: one character that is no word character comes
    # first. Opening with a character set lets the engine skip through the
    # words in C, about twice as fast as trying (?<!\w) at every position.
    before = "[^a-z0-9_]" if ascii_only else r"\W"
    return re.compile(before + "(" + _trie(keys) + ")")


class Gate:
    """The first words of a rule set's patterns (see :func:`first_words`), found in one scan.

    The scan records, at each word start, the longest key the text there
    begins with (white space runs read as one space); ``expand`` maps each key
    to the recorded keys whose positions it must look at. ``patterns`` (the
    rule set's) get their candidate positions worked out once per text.
    """

    def __init__(self, firsts: Iterable[str] = (), patterns: Iterable[_Pattern] = ()) -> None:
        listed = tuple(pattern for pattern in patterns if pattern.firsts)
        keys = set(firsts)
        for pattern in listed:
            keys |= pattern.firsts or frozenset()
        self.words = frozenset(keys)
        self._keys = tuple(sorted(keys))
        # A body read as a prefix covers every use; an exact-only body needs (?!\w).
        bodies = {key[:-1] if key.endswith(_EXACT) else key for key in keys}
        self.bodies = frozenset(bodies)
        self.expand: dict[str, tuple[str, ...]] = {}
        ordered = sorted(bodies)
        for key in keys:
            body = key[:-1] if key.endswith(_EXACT) else key
            # The bodies that start with this one sit together in sorted order.
            low = bisect.bisect_left(ordered, body)
            high = low
            while high < len(ordered) and ordered[high].startswith(body):
                high += 1
            extending = ordered[low:high]
            if key.endswith(_EXACT):
                extending = [
                    other
                    for other in extending
                    if other == body or not _word_char(ord(other[len(body)]))
                ]
            self.expand[key] = tuple(extending)
        self.slots: dict[_Pattern, int] = {}
        listeners: defaultdict[str, list[int]] = defaultdict(list)
        for pattern in listed:
            if pattern in self.slots:
                continue
            slot = self.slots[pattern] = len(self.slots)
            for body in {b for key in pattern.firsts or () for b in self.expand[key]}:
                listeners[body].append(slot)
        self.listeners = {body: tuple(slots) for body, slots in listeners.items()}
        self._compiled: dict[bool, re.Pattern[str]] = {}

    def compiled(self, ascii_only: bool) -> re.Pattern[str] | None:
        """The scanning regex, for texts whose word characters are ASCII when ``ascii_only``."""
        if not self._keys:
            return None
        compiled = self._compiled.get(ascii_only)
        if compiled is None:
            compiled = self._compiled[ascii_only] = _gate_pattern(self._keys, ascii_only)
        return compiled

    def scan(self, lowered: str, ascii_only: bool = False) -> dict[str, list[int]]:
        """Each recorded key, and the sorted positions where the lowered text begins with it.

        ``ascii_only`` says the text has no non-ASCII word character.
        """
        pattern = self.compiled(ascii_only)
        positions: dict[str, list[int]] = {}
        if pattern is None:
            return positions
        # One space in front: the character before the first word. A match's
        # start is then the key's position in ``lowered``.
        padded = " " + lowered
        search = pattern.search
        for match in pattern.finditer(padded):
            key = match.group(1)
            if key.isalnum():
                # One word: the common case, and no other word starts inside it.
                positions.setdefault(key, []).append(match.start())
                continue
            # A key of several words may hide where another starts: look inside
            # it, from just after each start found.
            end = match.end()
            inner: re.Match[str] | None = match
            while inner is not None and inner.start() < end:
                key = inner.group(1)
                where = inner.start()
                if key.isalnum():
                    after = inner.end()
                else:
                    key = _SPACE.join(key.split())  # a white space run reads as one space
                    after = where + 1
                positions.setdefault(key, []).append(where)
                inner = search(padded, after)
        return positions


class Prepared:
    """A text made ready for the pattern shortcuts: lowered, and where each first word starts.

    ``positions`` maps the gate's recorded keys to the sorted positions where
    the text begins with them; it is ``None`` (no shortcut) when lowering
    changes the text's length or the text holds a non-ASCII letter.
    :meth:`views` gives the same for slices of the text (the parts of a
    joined thread) without scanning them again.
    """

    __slots__ = (
        "_candidates",
        "_lacking",
        "_masked",
        "_memo",
        "_offset",
        "_pairs",
        "_parent",
        "_positions",
        "ascii_words",
        "gate",
        "lowered",
        "odd",
        "text",
        "unusual",
        "wide_spaces",
    )

    def __init__(self, text: str, gate: Gate | None = None) -> None:
        self.text = text
        lowered = text.lower()
        self.lowered: str | None = lowered if len(lowered) == len(text) else None
        self.gate = gate
        self._parent: Prepared | None = None
        self._offset = 0
        self._masked: str | None = None
        self._pairs: list[int] | None = None
        self._memo: dict[frozenset[str], list[int]] = {}
        self._lacking: dict[tuple[str, ...], bool] = {}
        self._candidates: dict[int, list[int]] | None = None
        # The distinct non-ASCII characters: what is left once the ASCII runs are cut out.
        self._positions: dict[str, list[int]] | None = None
        if text.isascii():
            self.odd: frozenset[str] = frozenset()
            self.unusual = self.wide_spaces = False
            self.ascii_words = True
            if gate is not None:
                self._positions = gate.scan(lowered, True)
            return
        odd = self.odd = frozenset(_ASCII_RUN.sub("", text))
        # Same as _UNUSUAL_LETTER.search(text), from the few distinct non-ASCII characters.
        self.unusual = any(_UNUSUAL_LETTER.match(char) for char in odd)
        # No non-ASCII word character: \w and the letter classes are ASCII-only here.
        self.ascii_words = not any(_WORD_CHAR.match(char) for char in odd)
        # White space outside ASCII (the readability shortcut reads ASCII white space only).
        self.wide_spaces = any(_WIDE_SPACE.match(char) for char in odd)
        if gate is not None and self.lowered is not None and not self.unusual:
            ascii_only = not any(_WORD_CHAR.search(char.lower()) for char in odd)
            self._positions = gate.scan(lowered, ascii_only)

    @property
    def positions(self) -> dict[str, list[int]] | None:
        """Each recorded key and the sorted positions where the text begins with it."""
        if self._positions is None and self._parent is not None:
            parent = self._parent.positions
            if parent is not None:
                start, end = self._offset, self._offset + len(self.text)
                positions = {}
                for key, found in parent.items():
                    low = bisect.bisect_left(found, start)
                    high = bisect.bisect_left(found, end)
                    if high > low:
                        positions[key] = [where - start for where in found[low:high]]
                self._positions = positions
        return self._positions

    def views(self, bounds: Sequence[tuple[int, int]]) -> list[Prepared]:
        """``Prepared(self.text[start:end], self.gate)`` for each of ``bounds``, from this scan.

        For slices bounded by white space (parts joined by blank lines): no
        key crosses white space at their edges, and their lowered and masked
        texts are slices of this text's. The bounds must be sorted and apart.
        """
        views = []
        for start, end in bounds:
            view = Prepared.__new__(Prepared)
            view.text = self.text[start:end]
            view.lowered = None if self.lowered is None else self.lowered[start:end]
            view.gate = self.gate
            view._parent = self
            view._offset = start
            view._masked = None
            view._pairs = None
            view._memo = {}
            view._lacking = {}
            view._candidates = None
            view._positions = None
            view.unusual = self.unusual
            view.ascii_words = self.ascii_words
            view.wide_spaces = self.wide_spaces
            view.odd = self.odd  # the part's own are among them
            views.append(view)
        candidates = self._slot_candidates()
        if candidates is not None and len(views) == 1 and views[0].text == self.text:
            views[0]._candidates = candidates  # the whole text: the same candidates
        elif candidates is not None:
            firsts = [start for start, _ in bounds]
            local: list[dict[int, list[int]]] = [{} for _ in views]
            for view, own in zip(views, local, strict=True):
                view._candidates = own
            for slot, found in candidates.items():
                for where in found:
                    index = bisect.bisect_right(firsts, where) - 1
                    if index < 0:
                        continue
                    view = views[index]
                    if where >= view._offset + len(view.text):
                        continue
                    own = local[index]
                    if slot in own:
                        own[slot].append(where - view._offset)
                    else:
                        own[slot] = [where - view._offset]
        return views

    @property
    def masked(self) -> str:
        """The text with links, addresses and mentions blanked (see ``masked_links``)."""
        if self._masked is None:
            if self._parent is not None:
                start = self._offset
                self._masked = self._parent.masked[start : start + len(self.text)]
            else:
                self._masked = masked_links(self.text)
        return self._masked

    def capital_pairs(self) -> list[int]:
        """Where ``_ASCII_PAIR.finditer(self.masked)`` matches, in order.

        A thread's parts get theirs from the joined text's one scan: no pair
        crosses the white space between parts, so the scan reaches each part
        with no pair in progress and finds there what scanning it alone would.
        """
        if self._pairs is None:
            if self._parent is not None:
                found = self._parent.capital_pairs()
                start, end = self._offset, self._offset + len(self.text)
                low = bisect.bisect_left(found, start)
                high = bisect.bisect_left(found, end)
                self._pairs = [where - start for where in found[low:high]]
            else:
                self._pairs = _capital_pairs(self.masked)
        return self._pairs

    def lacks(self, needs: tuple[str, ...]) -> bool:
        """True when the text surely holds none of ``needs`` (lowered literals).

        ``False`` whenever the lowered text cannot tell (see :class:`Prepared`).
        """
        lowered = self.lowered
        if lowered is None or self.unusual:
            return False
        found = self._lacking.get(needs)
        if found is None:
            found = self._lacking[needs] = not any(need in lowered for need in needs)
        return found

    def starts(self, prefixes: frozenset[str]) -> list[int] | None:
        """Sorted positions where the text may begin with one of ``prefixes``, if known."""
        found = self.positions
        if found is None or self.gate is None or not prefixes <= self.gate.words:
            return None
        memo = self._memo.get(prefixes)
        if memo is not None:
            return memo
        expand = self.gate.expand
        lists = [found[body] for key in prefixes for body in expand[key] if body in found]
        if not lists:
            result = _NO_POSITIONS
        elif len(lists) == 1:
            result = lists[0]
        else:
            result = sorted(set().union(*lists))
        self._memo[prefixes] = result
        return result

    def _slot_candidates(self) -> dict[int, list[int]] | None:
        """The candidate positions of each of the gate's patterns that has any."""
        if self._candidates is None:
            found = self._positions
            if found is None or self.gate is None:
                return None
            candidates: dict[int, list[int]] = {}
            merged = set()
            listeners = self.gate.listeners
            for body, where in found.items():
                for number in listeners.get(body, ()):
                    if number in candidates:
                        candidates[number] = candidates[number] + where
                        merged.add(number)
                    else:
                        candidates[number] = where
            for number in merged:
                candidates[number] = sorted(set(candidates[number]))
            self._candidates = candidates
        return self._candidates

    def active(self) -> frozenset[int] | None:
        """The gate's pattern slots with a candidate position here; ``None`` when unknown."""
        candidates = self._slot_candidates()
        return None if candidates is None else frozenset(candidates)

    def starts_for(self, pattern: _Pattern) -> list[int] | None:
        """:meth:`starts` of ``pattern``'s first words, worked out once for the gate's patterns."""
        if pattern.firsts is None or self.gate is None:
            return None
        slot = self.gate.slots.get(pattern)
        if slot is None:
            return self.starts(pattern.firsts)
        candidates = self._slot_candidates()
        if candidates is None:
            return None
        return candidates.get(slot, _NO_POSITIONS)


class _Found:
    """One match: its span in the original text, the text there, and its token group."""

    __slots__ = ("_end", "_start", "_text", "name")

    def __init__(self, start: int, end: int, text: str, name: str | None) -> None:
        self._start, self._end, self._text, self.name = start, end, text, name

    def start(self) -> int:
        return self._start

    def end(self) -> int:
        return self._end

    def group(self) -> str:
        return self._text


class _Pattern:
    """Tokens joined into one pattern, with two shortcuts that never change the result.

    * The pattern's *first words* (see :func:`first_words`) say how a match
      can start; when the text's word index is available, the pattern is
      tried only at those positions instead of everywhere.
    * When no token needs upper case (no capital literal, no ``(?-i:...)``),
      the pattern runs without ``re.IGNORECASE`` on the lowered text, which is
      about twice as fast; spans map back one to one.

    ``full`` is the plain pattern (``re.IGNORECASE`` on the original text),
    which the shortcuts must always agree with.
    """

    def __init__(
        self, tokens: Sequence[str], field: str, *, named: bool = False, bounded: bool = True
    ) -> None:
        self.tokens = tuple(tokens)
        self.named = named
        if not named and not bounded and len(self.tokens) == 1:
            source = self.tokens[0]  # a raw pattern, kept as written (for (?x))
        elif named:
            source = "|".join(f"(?P<s{i}>{token})" for i, token in enumerate(self.tokens))
        else:
            source = "|".join(f"(?:{token})" for token in self.tokens)
        if bounded:
            source = _bounded(source)
        self.full = _compile(source, field)
        self.plain = re.compile(source) if _caseless(source) else None
        self.firsts = first_words(source)
        self.needs = required_literals(source)

    def finditer(self, text: str, prepared: Prepared) -> Iterator[_Found]:
        positions = prepared.starts_for(self)
        if positions is not None and not positions:
            return  # no word the pattern can start with: nothing to scan
        pattern, subject = self.full, text
        if self.plain is not None and prepared.lowered is not None and not prepared.unusual:
            pattern, subject = self.plain, prepared.lowered
        if positions is not None and len(positions) * _MATCH_COST > len(subject):
            positions = None  # so many starts that one scan is cheaper
        if positions is None:
            matches: Iterable[re.Match[str]] = pattern.finditer(subject)
        else:
            matches = self._at_words(pattern, subject, positions)
        for match in matches:
            start, end = match.span()
            if end == start:
                continue
            name = None
            if self.named:
                name = next(key for key, value in match.groupdict().items() if value is not None)
            yield _Found(start, end, text[start:end], name)

    @staticmethod
    def _at_words(
        pattern: re.Pattern[str], subject: str, positions: list[int]
    ) -> Iterator[re.Match[str]]:
        end = 0
        for position in positions:
            if position < end:
                continue
            match = pattern.match(subject, position)
            if match is not None and match.end() > match.start():
                end = match.end()
                yield match


class Options:
    """Typed, field-naming access to a rule's type-specific fields.

    Every read marks the field used; :meth:`finish` refuses whatever is left,
    so a misspelt field is an error rather than silently ignored.
    """

    def __init__(self, data: Mapping[str, Any]) -> None:
        self._data = dict(data)
        self._used: set[str] = set()

    def _get(self, name: str) -> Any:
        self._used.add(name)
        return self._data.get(name)

    def has(self, name: str) -> bool:
        """Whether the rule gives ``name``."""
        return name in self._data

    def strings(self, name: str, *, required: bool = False) -> tuple[str, ...]:
        """A list of non-empty strings (a single string is a list of one)."""
        value = self._get(name)
        if value is None:
            if required:
                raise ValidationError("is required", field=name)
            return ()
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, (list, tuple)) or not all(
            isinstance(item, str) and item for item in value
        ):
            raise ValidationError("must be a list of non-empty strings", field=name)
        if required and not value:
            raise ValidationError("must not be empty", field=name)
        return tuple(value)

    def text(self, name: str, *, default: str | None = None) -> str | None:
        """An optional string."""
        value = self._get(name)
        if value is None:
            return default
        if not isinstance(value, str):
            raise ValidationError("must be a string", field=name)
        return value

    def count(self, name: str) -> int | None:
        """An optional whole number, 0 or more."""
        value = self._get(name)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise ValidationError("must be a whole number, 0 or more", field=name)
        return value

    def table(self, name: str, *, keys: tuple[str, ...], numbers: bool = False) -> dict[str, float]:
        """A required table from ``keys`` (or ``default``) to a count (or any number)."""
        value = self._get(name)
        if not isinstance(value, Mapping) or not value:
            raise ValidationError("must be a non-empty table", field=name)
        table: dict[str, float] = {}
        for key, item in value.items():
            if key not in (*keys, "default"):
                raise ValidationError(
                    f"unknown key {key!r} (known: {', '.join((*keys, 'default'))})",
                    field=f"{name}.{key}",
                )
            bad = isinstance(item, bool) or not isinstance(item, (int, float)) or item < 0
            if bad or (not numbers and not isinstance(item, int)):
                kind = "a number" if numbers else "a whole number"
                raise ValidationError(f"must be {kind}, 0 or more", field=f"{name}.{key}")
            table[key] = float(item)
        return table

    def mapping(self, name: str) -> dict[str, str]:
        """A required non-empty table of strings to strings."""
        value = self._get(name)
        if not isinstance(value, Mapping) or not value:
            raise ValidationError("must be a non-empty table", field=name)
        for key, item in value.items():
            if not isinstance(item, str):
                raise ValidationError("must be a string", field=f"{name}.{key}")
        return dict(value)

    def pairs(self, name: str) -> tuple[tuple[str, str], ...]:
        """A required list of two-string lists."""
        value = self._get(name)
        if not isinstance(value, (list, tuple)) or not value:
            raise ValidationError("must be a non-empty list of pairs", field=name)
        result = []
        for index, pair in enumerate(value):
            if (
                not isinstance(pair, (list, tuple))
                or len(pair) != 2
                or not all(isinstance(item, str) and item for item in pair)
            ):
                raise ValidationError("must be a pair of strings", field=f"{name}[{index}]")
            result.append((pair[0], pair[1]))
        return tuple(result)

    def finish(self) -> None:
        """Refuse any field no builder read."""
        for name in self._data:
            if name not in self._used:
                raise ValidationError("unknown field for this rule type", field=name)


# -- first words ----------------------------------------------------------------
#
# Every token is word-bounded at its start, so a match begins at the start of a
# word. Walking the parsed pattern gives the lowered *keys* one of which the
# text there must begin with: "sorry", "apologi", "we believe$"... (a space
# stands for a run of white space; "$" means the last word ends there, so
# "we$" does not stand for "well"). The checker then tries the pattern only
# where such keys start: a speed-up only, never a change in what is found. A
# pattern whose keys cannot be worked out runs everywhere.
#
# The walk needs the regex parser, which is private; any surprise (an import
# error, a changed parse) turns the shortcut off, never the checking.

try:  # pragma: no branch - the parser is private, so any surprise disables the shortcut
    _sre: Any = importlib.import_module(
        "re._parser" if sys.version_info >= (3, 11) else "sre_parse"
    )
    _OPS: Any = importlib.import_module(
        "re._constants" if sys.version_info >= (3, 11) else "sre_constants"
    )
except ImportError:  # pragma: no cover
    _sre = None

_SPACE = " "
_EXACT = "$"
_MAX_KEYS = 200
_MAX_STEPS = 20_000


def _word_char(code: int) -> bool:
    char = chr(code)
    return char.isalnum() or char == "_"


def _is_class(sequence: Any, category: Any) -> bool:
    """Whether a parsed sequence is the one class ``category`` (``\\s`` or ``\\w``)."""
    if len(sequence) != 1:
        return False
    op, value = sequence[0]
    if op is _OPS.IN:
        return bool(list(value) == [(_OPS.CATEGORY, category)])
    return bool(op is _OPS.CATEGORY and value == category)


class _GiveUp(Exception):
    """The walk cannot tell (``unknown``) or finds too many keys."""

    def __init__(self, unknown: bool) -> None:
        super().__init__()
        self.unknown = unknown


class _KeyWalk:
    """The keys of one parsed pattern, words joined by at most ``spaces`` spaces."""

    ANY = ("any",)  # a continuation: something unknown follows

    def __init__(self, spaces: int) -> None:
        self.spaces = spaces
        self.keys: set[str] = set()
        self.steps = 0

    def finish(self, acc: str, exact: bool) -> None:
        if acc.endswith(_SPACE):
            acc, exact = acc[:-1], True  # white space followed: the word ended
        if not acc:
            raise _GiveUp(unknown=True)
        if exact and _word_char(ord(acc[-1])):
            acc += _EXACT
        self.keys.add(acc)
        if len(self.keys) > _MAX_KEYS:
            raise _GiveUp(unknown=False)

    def nonword(self, item: tuple[Any, Any]) -> bool:
        """Whether a one-character item can only match a character that is not ``\\w``."""
        op, value = item
        if op is _OPS.LITERAL:
            return not _word_char(value)
        if op is _OPS.CATEGORY:
            return value in (_OPS.CATEGORY_SPACE, _OPS.CATEGORY_NOT_WORD)
        if op is _OPS.IN:
            return bool(value) and all(self.nonword(member) for member in value)
        return False

    def walk(self, cont: Any, acc: str) -> None:
        while True:
            self.steps += 1
            if self.steps > _MAX_STEPS:
                raise _GiveUp(unknown=False)
            if cont is None or cont is self.ANY:
                self.finish(acc, False)
                return
            (sequence, index), rest = cont
            if index >= len(sequence):
                cont = rest
                continue
            op, value = sequence[index]
            after = ((sequence, index + 1), rest)
            spaced = acc.endswith(_SPACE)
            if op is _OPS.LITERAL:
                char = chr(value)
                lowered = char.lower()
                if char.isspace() or len(lowered) != 1:
                    self.finish(acc, char.isspace())
                    return
                if not _word_char(ord(lowered)) and (not acc or spaced):
                    if not acc:
                        raise _GiveUp(unknown=True)  # a match starting off a word
                    self.finish(acc, True)
                    return
                acc += lowered
                cont = after
            elif op is _OPS.IN and value and all(item[0] is _OPS.LITERAL for item in value):
                if len(value) > 8:
                    self.finish(acc, False)
                    return
                for item in value:
                    self.walk((([item], 0), after), acc)
                return
            elif op in (_OPS.IN, _OPS.CATEGORY):
                if not acc:
                    raise _GiveUp(unknown=True)
                self.finish(acc, self.nonword((op, value)))
                return
            elif op is _OPS.SUBPATTERN:
                cont = ((value[-1], 0), after)
            elif op is _OPS.BRANCH:
                for branch in value[1]:
                    self.walk(((branch, 0), after), acc)
                return
            elif op in (_OPS.MAX_REPEAT, _OPS.MIN_REPEAT):
                minimum, maximum, item = value
                if (
                    op is _OPS.MAX_REPEAT
                    and minimum == 1
                    and maximum is _OPS.MAXREPEAT
                    and _is_class(item, _OPS.CATEGORY_SPACE)
                    and acc
                ):
                    if spaced or acc.count(_SPACE) >= self.spaces:
                        self.finish(acc, True)
                        return
                    acc += _SPACE
                    cont = after
                    continue
                follow = after if maximum == 1 else self.ANY
                if minimum == 0:
                    self.walk(after, acc)
                cont = ((item, 0), follow)
            elif op in (_OPS.ASSERT, _OPS.ASSERT_NOT):
                direction, item = value
                if (
                    op is _OPS.ASSERT_NOT
                    and direction == 1
                    and acc
                    and not spaced
                    and _is_class(item, _OPS.CATEGORY_WORD)
                ):
                    self.finish(acc, True)
                    return
                cont = after  # zero-width: the match goes on with the next item
            elif op is _OPS.AT:
                if acc and not spaced and value in (_OPS.AT_BOUNDARY, _OPS.AT_END_STRING):
                    self.finish(acc, True)
                    return
                cont = after
            else:
                if not acc:
                    raise _GiveUp(unknown=True)
                self.finish(acc, False)
                return


@functools.lru_cache(maxsize=512)
def first_words(pattern: str) -> frozenset[str] | None:
    """Lowered keys one of which the text must begin with where ``pattern`` matches, if known.

    Only for patterns whose every match starts a word (the engine's tokens are
    bounded by ``(?<!\\w)``); ``None`` when the walk cannot tell. A key is
    words (lowered) with a space for a run of white space; a key ending in
    ``$`` must end where the text's word ends, the others are prefixes.
    """
    if _sre is None:
        return None
    try:
        parsed = _sre.parse(pattern, re.IGNORECASE)
        if not len(parsed):
            return None
        op, value = parsed[0]
        # The pattern must open with the word bound (?<!\w): a look-behind of \w.
        if op is not _OPS.ASSERT_NOT or value[0] != -1 or "CATEGORY_WORD" not in str(value[1]):
            return None
        for spaces in (3, 2, 1, 0):
            walk = _KeyWalk(spaces)
            try:
                walk.walk(((parsed, 0), None), "")
            except _GiveUp as error:
                if error.unknown:
                    return None
                continue
            return frozenset(walk.keys) or None
    except Exception:  # pragma: no cover - a parser change must not break checking
        return None
    return None


def _cased(items: Sequence[Any]) -> bool:
    """Whether a parsed pattern needs upper case anywhere."""
    for op, value in items:
        if op in (_OPS.LITERAL, _OPS.NOT_LITERAL):
            if chr(value).lower() != chr(value):
                return True
        elif op is _OPS.RANGE:
            low, high = value
            if high - low > 0x3000 or any(chr(c).lower() != chr(c) for c in range(low, high + 1)):
                return True
        elif op is _OPS.IN:
            if _cased(value):
                return True
        elif op is _OPS.SUBPATTERN:
            if value[2] & re.IGNORECASE or _cased(value[-1]):
                return True
        elif op is _OPS.BRANCH:
            if any(_cased(branch) for branch in value[1]):
                return True
        elif op in (_OPS.MAX_REPEAT, _OPS.MIN_REPEAT):
            if _cased(value[2]):
                return True
        elif op in (_OPS.ASSERT, _OPS.ASSERT_NOT):
            if _cased(value[1]):
                return True
        elif op not in (_OPS.AT, _OPS.ANY, _OPS.CATEGORY, _OPS.NEGATE):
            return True  # anything unusual (backreferences ...): keep re.IGNORECASE
    return False


def _caseless(pattern: str) -> bool:
    """True when ``pattern`` matches the lowered text as it matches any case."""
    if _sre is None:
        return False
    try:
        return not _cased(_sre.parse(pattern, re.IGNORECASE))
    except Exception:  # pragma: no cover - a parser change must not break checking
        return False


# -- required literals ---------------------------------------------------------------
#
# A pattern such as "(?:any|the)\s+inconveniences?" cannot match a text that
# lacks "inconvenience". The walk below finds, from the parsed pattern, a few
# lowered literals one of which every match holds; a text holding none of them
# (a cheap substring test) is skipped. Only literals this long are worth a
# test, and only this many of them; words most texts hold are a last choice.
_MIN_NEED = 4
_MAX_NEEDS = 4
# A rule tests at most this many literals before it runs.
_MAX_TESTS = 3
_COMMON = frozenset(
    [
        "about",
        "after",
        "also",
        "been",
        "before",
        "could",
        "from",
        "have",
        "here",
        "into",
        "just",
        "more",
        "only",
        "over",
        "should",
        "some",
        "than",
        "that",
        "their",
        "them",
        "then",
        "there",
        "they",
        "this",
        "update",
        "were",
        "what",
        "when",
        "will",
        "with",
        "would",
        "your",
    ]
)


def _more_selective(
    first: frozenset[str] | None, second: frozenset[str] | None
) -> frozenset[str] | None:
    """The requirement less likely to be met: no common word, the longer shortest literal,
    then fewer literals."""
    if first is None or second is None:
        return first if second is None else second
    return first if _rank(first) >= _rank(second) else second


def _rank(needs: frozenset[str]) -> tuple[bool, int, int]:
    return (needs.isdisjoint(_COMMON), min(map(len, needs)), -len(needs))


def _needs_of(items: Sequence[Any]) -> frozenset[str] | None:
    """Literals one of which every match of a parsed sequence holds; ``None`` if unknown."""
    best: frozenset[str] | None = None
    run = ""
    for op, value in items:
        if op is _OPS.LITERAL and len(chr(value).lower()) == 1:
            run += chr(value).lower()
            continue
        if run:
            best = _more_selective(best, frozenset([run]))
            run = ""
        if op is _OPS.SUBPATTERN:
            best = _more_selective(best, _needs_of(value[-1]))
        elif op is _OPS.BRANCH:
            found = [_needs_of(branch) for branch in value[1]]
            if all(needs is not None for needs in found):
                union = frozenset().union(*(needs for needs in found if needs is not None))
                # A literal holding another is redundant: the shorter is in the text too.
                union = frozenset(a for a in union if not any(b != a and b in a for b in union))
                if len(union) <= _MAX_NEEDS:
                    best = _more_selective(best, union)
        elif op in (_OPS.MAX_REPEAT, _OPS.MIN_REPEAT) and value[0] >= 1:
            best = _more_selective(best, _needs_of(value[2]))
    if run:
        best = _more_selective(best, frozenset([run]))
    return best


@functools.lru_cache(maxsize=512)
def required_literals(pattern: str) -> tuple[str, ...] | None:
    """Lowered literals one of which every match of ``pattern`` holds, if worth testing.

    ``None`` when the walk finds none, or only short or many ones.
    """
    if _sre is None:
        return None
    try:
        needs = _needs_of(_sre.parse(pattern, re.IGNORECASE))
    except Exception:  # pragma: no cover - a parser change must not break checking
        return None
    if needs is None or min(map(len, needs)) < _MIN_NEED or not needs.isdisjoint(_COMMON):
        return None
    return tuple(sorted(needs))


def _compile(pattern: str, field: str, flags: int = re.IGNORECASE) -> re.Pattern[str]:
    try:
        return re.compile(pattern, flags)
    except re.error as error:
        raise ValidationError(f"bad regular expression: {error}", field=field) from None


def _bounded(token: str) -> str:
    """``token`` matched as whole words: no letter, digit or underscore on either side."""
    return rf"(?<!\w)(?:{token})(?!\w)"


def _alternation(tokens: tuple[str, ...], field: str, *, named: bool = False) -> _Pattern:
    for index, token in enumerate(tokens):
        _compile(token, f"{field}[{index}]")  # name the bad token, not the whole list
    # One outer pair of bounds, not one per token: the same matches, found much faster.
    return _Pattern(tokens, field, named=named)


def _values(match: _Found) -> dict[str, str]:
    return {"match": match.group()}


# -- existence ---------------------------------------------------------------


class Existence(Check):
    """A finding for every match of any token (or of the raw ``pattern``)."""

    fields: tuple[str, ...] = ("tokens", "pattern", "suggestion")

    pattern_only = True

    def __init__(self, options: Options) -> None:
        tokens = options.strings("tokens")
        raw = options.text("pattern")
        if not tokens and raw is None:
            raise ValidationError("an existence rule needs 'tokens' or 'pattern'", field="tokens")
        patterns = []
        if tokens:
            patterns.append(_alternation(tokens, "tokens"))
        if raw is not None:
            # A raw pattern is used as written: no word bounds; (?x) for verbose mode.
            _compile(raw, "pattern")
            patterns.append(_Pattern((raw,), "pattern", bounded=False))
        self.patterns = tuple(patterns)
        self.suggestion = options.text("suggestion")

    def find(self, text: str, scope: Scope, prepared: Prepared) -> Iterator[Hit]:
        for pattern in self.patterns:
            for match in pattern.finditer(text, prepared):
                if match.end() > match.start():
                    yield Hit(match.start(), match.end(), _values(match), self.suggestion)


# -- substitution -------------------------------------------------------------


def _same_case(replacement: str, original: str) -> str:
    if original[:1].isupper() and replacement[:1].islower():
        return replacement[:1].upper() + replacement[1:]
    return replacement


class Substitution(Check):
    """A finding for every match of a ``swap`` key, suggesting its value."""

    fields: tuple[str, ...] = ("swap",)

    pattern_only = True

    def __init__(self, options: Options) -> None:
        swap = options.mapping("swap")
        self.replacements = tuple(swap.values())
        for key in swap:
            _compile(key, f"swap.{key}")
        self.pattern = _Pattern(tuple(swap), "swap", named=True)

    def find(self, text: str, scope: Scope, prepared: Prepared) -> Iterator[Hit]:
        for match in self.pattern.finditer(text, prepared):
            suggestion = _same_case(self.replacements[int(str(match.name)[1:])], match.group())
            values = {"match": match.group(), "suggestion": suggestion}
            yield Hit(match.start(), match.end(), values, suggestion)


# -- occurrence ---------------------------------------------------------------


class Occurrence(Check):
    """At least ``min`` and at most ``max`` matches of the tokens in the whole text."""

    fields: tuple[str, ...] = ("tokens", "min", "max")

    whole_text = True

    def __init__(self, options: Options) -> None:
        self.pattern = _alternation(options.strings("tokens", required=True), "tokens")
        self.min = options.count("min")
        self.max = options.count("max")
        if self.min is None and self.max is None:
            raise ValidationError("an occurrence rule needs 'min' or 'max'", field="min")
        if self.min is not None and self.max is not None and self.min > self.max:
            raise ValidationError("must not exceed 'max'", field="min")

    def find(self, text: str, scope: Scope, prepared: Prepared) -> Iterator[Hit]:
        found = self.pattern.finditer(text, prepared)  # never empty matches
        if self.max is None:
            # Only a shortfall can be reported: counting can stop at the minimum.
            wanted = self.min or 0
            count = 0
            for _ in found:
                count += 1
                if count >= wanted:
                    return
            if count >= wanted:
                return
            values = {"count": str(count), "min": str(wanted), "max": "", "match": ""}
            yield Hit(0, len(text), values)
            return
        matches = list(found)
        count = len(matches)
        values = {
            "count": str(count),
            "min": str(self.min if self.min is not None else ""),
            "max": str(self.max if self.max is not None else ""),
        }
        if self.min is not None and count < self.min:
            yield Hit(0, len(text), {**values, "match": ""})
        if self.max is not None and count > self.max:
            excess = matches[self.max]
            yield Hit(excess.start(), excess.end(), {**values, "match": excess.group()})


# -- readability --------------------------------------------------------------


class Readability(Check):
    """The Flesch-Kincaid grade must not pass the channel's ``grades`` entry."""

    fields: tuple[str, ...] = ("grades", "min_words")

    whole_text = True

    def __init__(self, options: Options) -> None:
        self.grades = options.table("grades", keys=CHANNELS, numbers=True)
        self.min_words = options.count("min_words") or 0

    def find(self, text: str, scope: Scope, prepared: Prepared) -> Iterator[Hit]:
        limit = self.grades.get(scope.channel, self.grades.get("default"))
        if limit is None:
            return
        stats = masked_stats(
            prepared.masked, ascii_only=prepared.ascii_words, wide_spaces=prepared.wide_spaces
        )
        if stats.words < self.min_words:
            return
        grade = stats.grade
        if grade > limit:
            yield Hit(0, len(text), {"grade": f"{grade:.1f}", "max": f"{limit:g}", "match": ""})


# -- consistency --------------------------------------------------------------


def _surely_absent(pattern: _Pattern, prepared: Prepared) -> bool:
    """True when no word ``pattern`` can start with is in the text (see ``starts_for``)."""
    positions = prepared.starts_for(pattern)
    return positions is not None and not positions


class Consistency(Check):
    """Two spellings of one thing must not both appear; the later-starting one is flagged."""

    fields: tuple[str, ...] = ("pairs",)

    pattern_only = True

    def __init__(self, options: Options) -> None:
        self.pairs = tuple(
            (
                _alternation((first,), f"pairs[{index}][0]"),
                _alternation((second,), f"pairs[{index}][1]"),
            )
            for index, (first, second) in enumerate(options.pairs("pairs"))
        )

    def find(self, text: str, scope: Scope, prepared: Prepared) -> Iterator[Hit]:
        for first, second in self.pairs:
            if _surely_absent(second, prepared) or _surely_absent(first, prepared):
                continue
            a = list(first.finditer(text, prepared))
            b = list(second.finditer(text, prepared)) if a else []
            if not a or not b:
                continue
            kept, flagged = (a, b) if a[0].start() <= b[0].start() else (b, a)
            for match in flagged:
                values = {"match": match.group(), "other": kept[0].group()}
                yield Hit(match.start(), match.end(), values, kept[0].group())


# -- capitalization ------------------------------------------------------------

_LETTERS = re.compile(r"[^\W\d_]+")
# A word right after one of these is part of a handle, tag, path or name.
_GLUED = re.compile(r"[\w@#/.]")
# Shouting needs two capitals in a row; this quick test skips most texts.
# A run of words without a lower-case ASCII letter, within one sentence: a
# shouted sentence or phrase when its words are all capitals.
_CAPITAL_RUN = re.compile(
    r"(?<!\w)[^\W\d_a-z]{2,}(?!\w)"
    r"(?:[^\w.!?\u2026\n]+(?:[^\W\d_a-z]+|\d+)(?!\w))*[.!?\u2026]*"
)
_TWO_CAPITALS = re.compile(r"[A-Z\u00c0-\u00de\u0391-\u03a9\u0410-\u042f]{2}")
# Where a run can start in a text without non-ASCII word characters: the first
# word of a run has two capitals in a row, found by a fast character-set scan.
# Written as two sets, not [A-Z]{2}: the engine then skips to the first
# capital by its fast character-set scan, about twice as fast.
_ASCII_PAIR = re.compile(r"[A-Z][A-Z]")


# Every ASCII capital becomes "A", every other byte a space; a non-ASCII
# character is one "?" byte after encoding, so byte offsets are string offsets.
_CAPITAL_BYTES = bytes(b"A"[0] if 65 <= code <= 90 else 32 for code in range(256))


def _capital_pairs(masked: str) -> list[int]:
    """The starts of ``_ASCII_PAIR.finditer(masked)``, found with byte operations."""
    capitals = masked.encode("ascii", "replace").translate(_CAPITAL_BYTES)
    pairs = []
    at = capitals.find(b"AA")
    while at >= 0:
        pairs.append(at)
        at = capitals.find(b"AA", at + 2)
    return pairs


def _capital_runs(masked: str, pairs: list[int] | None) -> Iterator[re.Match[str]]:
    """``_CAPITAL_RUN.finditer(masked)``, tried only where a run can start.

    ``pairs`` are the starts of ``_ASCII_PAIR.finditer(masked)``, for a text
    without non-ASCII word characters (``None`` for the others). A run starts
    at a word of two or more capitals (``[^\\W\\d_a-z]``, which is ``[A-Z]``
    in such a text); the scan for ``[A-Z]{2}`` finds every such word start (a
    pair ending there would make it no word start), and the run is matched there.
    """
    if pairs is None:
        yield from _CAPITAL_RUN.finditer(masked)
        return
    end = 0
    for position in pairs:
        if position < end:
            continue
        run = _CAPITAL_RUN.match(masked, position)
        if run is not None:
            end = run.end()
            yield run


class Capitalization(Check):
    """No shouting: long all-capital words outside ``allow``, and all-capital sentences.

    A run of ``sentence_words`` or more all-capital words in one sentence (a
    shouted sentence or phrase) is one finding; other all-capital words of
    ``min_letters`` or more letters are one finding each.
    """

    fields: tuple[str, ...] = ("allow", "min_letters", "sentence_words")

    def __init__(self, options: Options) -> None:
        self.allow = frozenset(word.upper() for word in options.strings("allow"))
        self.min_letters = options.count("min_letters") or 4
        self.sentence_words = options.count("sentence_words") or 3

    def idle(self, text: str) -> bool:
        return not _TWO_CAPITALS.search(text)

    def idle_in(self, prepared: Prepared) -> bool:
        # Without non-ASCII word characters every run starts at an [A-Z]{2}
        # pair of the masked text, and such a pair is one of _TWO_CAPITALS in
        # the text: the pairs, scanned once per thread, are the whole test.
        if prepared.ascii_words:
            return not prepared.capital_pairs()
        return self.idle(prepared.text)

    def _shouted(self, word: str) -> bool:
        return word.isupper() and word.upper() not in self.allow

    def find(self, text: str, scope: Scope, prepared: Prepared) -> Iterator[Hit]:
        if self.idle_in(prepared):
            return
        masked = prepared.masked
        pairs = prepared.capital_pairs() if prepared.ascii_words else None
        for run in _capital_runs(masked, pairs):
            words = [w for w in _LETTERS.finditer(run.group()) if len(w.group()) > 1]
            if (
                len(words) >= self.sentence_words
                and all(w.group().isupper() for w in words)
                and any(w.group().upper() not in self.allow for w in words)
            ):
                yield Hit(run.start(), run.end(), {"match": run.group()})
                continue
            for word in words:
                start = run.start() + word.start()
                if (
                    len(word.group()) >= self.min_letters
                    and self._shouted(word.group())
                    and (start == 0 or not _GLUED.match(masked[start - 1]))
                ):
                    yield Hit(start, start + len(word.group()), {"match": word.group()})


# -- pronoun -----------------------------------------------------------------


class Pronoun(Check):
    """The ``forbidden`` pronouns must not appear (scope the rule to ``voices``).

    A pronoun written in capitals (``I``) matches only in capitals, so the
    ``i`` of ``i.e.`` is not the pronoun; the rest match in any case.
    """

    fields: tuple[str, ...] = ("forbidden",)

    pattern_only = True

    def __init__(self, options: Options) -> None:
        forbidden = options.strings("forbidden", required=True)
        tokens = tuple(
            f"(?-i:{re.escape(word)})" if word.isupper() else re.escape(word) for word in forbidden
        )
        self.pattern = _alternation(tokens, "forbidden")

    def find(self, text: str, scope: Scope, prepared: Prepared) -> Iterator[Hit]:
        for match in self.pattern.finditer(text, prepared):
            yield Hit(match.start(), match.end(), _values(match))


# -- emoji, exclamation, hashtags ------------------------------------------------

_PICTOGRAPH = (
    "\U0001f000-\U0001faff\u2600-\u27bf\u2b00-\u2bff"
    "\u231a\u231b\u2328\u23cf\u23e9-\u23f3\u23f8-\u23fa"
)
_MODIFIER = "\ufe0f\U0001f3fb-\U0001f3ff\U000e0020-\U000e007f"
_TEXT_STYLE = (
    "\u00a9\u00ae\u203c\u2049\u2122\u2139\u2194-\u2199\u21a9\u21aa\u24c2"
    "\u25aa\u25ab\u25b6\u25c0\u25fb-\u25fe\u3030\u303d\u3297\u3299"
)
EMOJI = re.compile(
    rf"[\U0001f1e6-\U0001f1ff]{{2}}"
    rf"|[{_PICTOGRAPH}][{_MODIFIER}]*(?:\u200d[{_PICTOGRAPH}][{_MODIFIER}]*)*"
    rf"|[0-9#*]\ufe0f?\u20e3"
    rf"|[{_TEXT_STYLE}]\ufe0f"
)
_HIGH = re.compile("[\u2190-\U0010ffff]")
EXCLAMATION = re.compile(r"[!\uff01\u203c\u2049]+")
HASHTAG = re.compile(r"(?<![\w/&#\uff03])[#\uff03](?=\w*[^\W\d_])\w+")


class _Counted(Check):
    """At most ``max[key]`` matches of ``pattern``; a finding on each one past it."""

    fields: tuple[str, ...] = ("max",)

    pattern: re.Pattern[str]
    keys: tuple[str, ...] = ()

    def __init__(self, options: Options) -> None:
        self.limits = options.table("max", keys=self.keys)

    def key(self, scope: Scope) -> str | None:  # pragma: no cover - abstract
        raise NotImplementedError

    def possible(self, text: str) -> bool:
        """A cheap test: False when the text cannot hold a match."""
        return True

    def idle(self, text: str) -> bool:
        return not self.possible(text)

    def find(self, text: str, scope: Scope, prepared: Prepared) -> Iterator[Hit]:
        if not self.possible(text):
            return
        key = self.key(scope)
        limit = self.limits.get(key) if key is not None else None
        if limit is None:
            limit = self.limits.get("default")
        if limit is None:
            return
        matches = list(self.pattern.finditer(text))
        for match in matches[int(limit) :]:
            values = {"match": match.group(), "count": str(len(matches)), "max": f"{limit:g}"}
            yield Hit(match.start(), match.end(), values)


class Emoji(_Counted):
    """At most ``max`` emoji, by severity (``default`` when none is given)."""

    pattern = EMOJI
    keys = SEVERITIES

    def possible(self, text: str) -> bool:
        # Every emoji sequence holds a code point at or above U+2190.
        return not text.isascii() and _HIGH.search(text) is not None

    def idle_in(self, prepared: Prepared) -> bool:
        # The same test, on the few distinct non-ASCII characters already found.
        return not any(char >= "\u2190" for char in prepared.odd)

    def key(self, scope: Scope) -> str | None:
        return scope.severity


class Exclamation(_Counted):
    """At most ``max`` exclamation marks (a run such as ``!!!`` is one), by severity."""

    pattern = EXCLAMATION
    keys = SEVERITIES

    def possible(self, text: str) -> bool:
        return "!" in text or "\uff01" in text or "\u203c" in text or "\u2049" in text

    def key(self, scope: Scope) -> str | None:
        return scope.severity


class Hashtags(_Counted):
    """At most ``max`` hashtags, by channel (``default`` for the others)."""

    pattern = HASHTAG
    keys = CHANNELS

    def possible(self, text: str) -> bool:
        return "#" in text or "\uff03" in text

    def key(self, scope: Scope) -> str | None:
        return scope.channel


RULE_TYPES: Mapping[str, Callable[[Options], Check]] = {
    "existence": Existence,
    "substitution": Substitution,
    "occurrence": Occurrence,
    "readability": Readability,
    "consistency": Consistency,
    "capitalization": Capitalization,
    "pronoun": Pronoun,
    "emoji": Emoji,
    "exclamation": Exclamation,
    "hashtags": Hashtags,
}


def build_check(rule_type: str, fields: Mapping[str, Any]) -> Check:
    """The check for a rule of ``rule_type`` with its type-specific ``fields``."""
    try:
        builder = RULE_TYPES[rule_type]
    except KeyError:
        raise ValidationError(
            f"unknown rule type {rule_type!r} (known: {', '.join(sorted(RULE_TYPES))})",
            field="type",
        ) from None
    known = getattr(builder, "fields", ())
    for name in fields:
        if name not in known:
            raise ValidationError(
                f"unknown field for a {rule_type} rule (known: {', '.join(known)})", field=name
            )
    options = Options(fields)
    check = builder(options)
    options.finish()
    return check
