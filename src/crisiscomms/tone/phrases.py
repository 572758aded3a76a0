"""The phrase language of tone rules, compiled to ordinary regular expressions.

A phrase is words separated by spaces, read left to right::

    we guarantee*                     "guarantee", "guaranteed", "guarantees"...
    never ...4 again                  up to four words between "never" and "again"
    fully|completely|100% secure      one of three words, then "secure"
    a|an? @harm                       an optional article, then a word from the list "harm"
    @be ...1 @harm !by                ... not followed by "by"

=================  ============================================================
item               matches
=================  ============================================================
``word``           the word, in any case (``'`` also matches the curly apostrophe)
``word*``          the word with any ending (``guarantee*``: ``guarantees``)
``a|b|c``          any one of the words (each may end in ``*`` or be ``@list``)
``to+blame``       words that stand together, as one choice (``responsible|to+blame``)
``@name``          any entry of the word list ``name`` (entries may hold spaces)
``#``              a number (``12``, ``4,200``, ``09:40``, ``3%``)
``item?``          the item or nothing
``...`` ``...N``   up to 3 (or N) words, as few as possible
``!a|b``           the next word is none of these (matches no text)
=================  ============================================================

Between two items there is white space (a line break too, but not a blank
line), a comma, a colon or a dash. A phrase matches whole words only and
never crosses a sentence end. The engine never scans a text for a phrase that
cannot be there: each phrase has an *anchor*, the required item with the
longest words, and a phrase is tried only in a text holding one of its anchor
words (see :class:`Gate`).
"""

from __future__ import annotations

import bisect
import functools
import re
import sys
from collections.abc import Iterable, Iterator, Mapping, Sequence

import attrs

from crisiscomms.errors import ValidationError
from crisiscomms.tone.readability import without_common_marks

__all__ = [
    "Gate",
    "Group",
    "LazyPattern",
    "Phrase",
    "Scan",
    "alternation",
    "anchors_of",
    "compile_phrases",
    "group_of",
    "grouped",
    "sentence_around",
    "words_of",
]

# What lies between two items of a phrase.
# White space within a paragraph: a line break, but not a blank line. Plain-text
# email wraps its lines, and a phrase may run across the wrap. (\x1a stands for a
# dash in the lower-cased text: see _NARROW.)
_SEP = r"(?:[^\S\n]|[,;:\u2013\u2014\x1a-]|\n(?![^\S\n]*\n))+"
# One word for a gap: letters, digits and the marks that live inside words.
# A full stop only inside a word ("e.g", "gov.uk"), so a gap never crosses a sentence end.
_GAP_WORD = r"[\w'\u2019%/&-]+(?:\.[\w'\u2019%/&-]+)*"
# A number ends with a digit (or a unit): "by 3." holds the number 3 and a full stop.
_NUMBER = r"\d(?:[\d,.:]*\d)?(?:%|am|pm)?"
_GAP = re.compile(r"\.\.\.(\d*)\Z")
_WORD = re.compile(r"[\w'\u2019%/.&-]+\*?(?:\+[\w'\u2019%/.&-]+\*?)*\Z")


@attrs.frozen
class Phrase:
    """One compiled phrase: its regular-expression source and its anchor words.

    ``anchors`` are lower-case words; one ending in ``*`` stands for every
    word it begins. ``None`` means the phrase has no anchor (it runs everywhere).
    """

    text: str
    source: str
    anchors: frozenset[str] | None
    # The pattern without its leading word bound, for lower-cased text (see ``Group``).
    body: str = ""
    # True for a phrase of one word (or one choice of words): it matches wherever its anchor is.
    single: bool = False
    # The anchor words of every other required item (each set: one of them must be
    # there), so a phrase whose anchor is held but another word missing is not tried.
    requires: tuple[frozenset[str], ...] = ()
    # True when a match may hold a full stop followed by white space ("acme inc.
    # said"): the phrase may run on past the end of a sentence.
    full_stop: bool = False


# Word lists are shared by many phrases: each word and entry is written out once.
@functools.lru_cache(maxsize=8192)
def _word(word: str) -> str:
    """The pattern of one word of a phrase (``*`` for any ending, ``+`` between words)."""
    if "+" in word:
        return _SEP.join(_word(part) for part in word.split("+"))
    prefix = word.endswith("*")
    body = word[:-1] if prefix else word
    pattern = "".join(
        "['\u2019]"
        if char in "'\u2019"
        else f"[{re.escape(char)}{re.escape(_NARROWED[char])}]"
        if char in _NARROWED
        else re.escape(char)
        for char in body.lower()
    )
    return pattern + r"[\w'\u2019]*" if prefix else pattern


@functools.lru_cache(maxsize=8192)
def _entry(entry: str) -> str:
    """The pattern of one list entry: words separated as in a phrase."""
    return _SEP.join(_word(word) for word in entry.split())


_ANCHOR = re.compile(r"[\w'%]+")


@functools.lru_cache(maxsize=8192)
def _anchor_of(entry: str) -> str:
    """The anchor of a word or list entry: its least common run of word characters.

    The gate splits words where the anchor does (``third-party`` is
    ``third`` and ``party``), so any run of a required word will do. A last
    run that may go on (``vendor*``) keeps its ``*``: any word beginning so
    holds it.
    """
    runs: list[str] = []
    for part in entry.lower().replace("\u2019", "'").split():
        for word in part.split("+"):
            found = _ANCHOR.findall(word)
            runs += found[:-1]
            if found:
                runs.append(found[-1] + "*" if word.endswith("*") else found[-1])
    if not runs:
        return entry.lower()
    return max(runs, key=lambda run: (run.rstrip("*") not in _COMMON, len(run.rstrip("*"))))


class _Item:
    """One parsed item: its pattern, whether it is optional, and its anchor words."""

    def __init__(self, pattern: str, *, optional: bool, anchors: frozenset[str] | None) -> None:
        self.pattern = pattern
        self.optional = optional
        self.anchors = anchors

    @property
    def weight(self) -> tuple[int, int]:
        """How selective the item is as an anchor: the length of its shortest word.

        A word common in every announcement counts as one letter: the gate
        would wake the phrase in nearly every post.
        """
        if self.anchors is None or self.optional:
            return (-1, 0)
        words = [word.rstrip("*") for word in self.anchors]
        shortest = min(1 if word in _COMMON else len(word) for word in words)
        # Between items with a common word each, the one with fewer common words wakes less.
        return (shortest, -sum(word in _COMMON for word in words))


def _choices(
    text: str, lists: Mapping[str, tuple[str, ...]], field: str
) -> tuple[str, frozenset[str] | None]:
    """The pattern and anchors of ``a|b|@list|#`` (no anchors when a number may stand there)."""
    patterns: list[str] = []
    anchors: set[str] | None = set()
    for choice in text.split("|"):
        if choice.startswith("@"):
            entries = lists.get(choice[1:])
            if entries is None:
                raise ValidationError(f"no word list {choice!r}", field=field)
            patterns.extend(_entry(entry) for entry in entries)
            if anchors is not None:
                anchors.update(_anchor_of(entry) for entry in entries)
        elif choice == "#":
            patterns.append(_NUMBER)
            anchors = None
        elif choice and _WORD.match(choice):
            patterns.append(_word(choice))
            if anchors is not None:
                anchors.add(_anchor_of(choice))
        else:
            raise ValidationError(f"{choice!r} is not a word, '@list' or '#'", field=field)
    # The longest first, so "vendors" wins over "vendor" and spans stay whole.
    patterns.sort(key=len, reverse=True)
    return "(?:" + "|".join(patterns) + ")", None if anchors is None else frozenset(anchors)


def _runs_on(text: str, lists: Mapping[str, tuple[str, ...]]) -> bool:
    """Whether a match of the phrase ``text`` may hold a full stop followed by white
    space: a word ending in "." (``inc.``, a list entry's ``a.m.``) with more of
    the phrase after it. A number never ends in one (see ``_NUMBER``)."""
    tokens = text.split()
    for position, token in enumerate(tokens):
        last = position == len(tokens) - 1
        for choice in token.lstrip("!").rstrip("?").split("|"):
            entries = lists.get(choice[1:], ()) if choice.startswith("@") else (choice,)
            for entry in entries:
                words = [part for word in entry.split() for part in word.split("+")]
                if any(
                    word.rstrip("*").endswith(".") and not (last and index == len(words) - 1)
                    for index, word in enumerate(words)
                ):
                    return True
    return False


def _parse(
    text: str, lists: Mapping[str, tuple[str, ...]], field: str
) -> tuple[str, _Item, list[_Item]]:
    """The phrase's pattern, its anchor item (the most selective required one) and
    every required item."""
    out = ""
    items: list[_Item] = []
    # Whether the next item follows a separator already matched (after a gap,
    # or after an optional item that brings its own), and whether a word came yet.
    joined, started = True, False
    tokens = text.split()
    for position, token in enumerate(tokens):
        gap = _GAP.match(token)
        if gap:
            if not started or position == len(tokens) - 1:
                raise ValidationError("a gap ('...') must stand between two words", field=field)
            most = int(gap.group(1) or 3)
            out += ("" if joined else _SEP) + rf"(?:{_GAP_WORD}{_SEP}){{0,{most}}}?"
            joined = True
            continue
        if token.startswith("!"):
            if not started:
                raise ValidationError("'!' must follow a word", field=field)
            pattern, _ = _choices(token[1:], lists, field)
            out += rf"(?!{_SEP}{pattern}(?![\w'\u2019]))"
            continue
        optional = token.endswith("?") and len(token) > 1
        pattern, anchors = _choices(token[:-1] if optional else token, lists, field)
        items.append(_Item(pattern, optional=optional, anchors=anchors))
        if optional and joined:
            out += f"(?:{pattern}{_SEP})?"
        elif optional:
            out += f"(?:{_SEP}{pattern})?"
        else:
            out += ("" if joined else _SEP) + pattern
            joined = False
        started = True
    if not items or all(item.optional for item in items):
        raise ValidationError("a phrase needs at least one required word", field=field)
    if joined:
        raise ValidationError("a phrase must end with a required word", field=field)
    return out, max(items, key=lambda item: item.weight), items


def compile_phrases(
    phrases: Iterable[object], lists: Mapping[str, tuple[str, ...]], field: str
) -> tuple[Phrase, ...]:
    """Each phrase compiled (see the module docstring); a bad one names ``field[index]``."""
    compiled = []
    for index, text in enumerate(phrases):
        where = f"{field}[{index}]"
        if not isinstance(text, str) or not text.strip():
            raise ValidationError("must be a non-empty phrase", field=where)
        body, anchor, items = _parse(text, lists, where)
        anchors = anchor.anchors if anchor.weight[0] >= 0 else None
        requires = tuple(
            sorted(
                {
                    item.anchors
                    for item in items
                    if item is not anchor and not item.optional and item.anchors is not None
                },
                key=sorted,
            )
        )
        source = rf"(?<![\w'\u2019]){body}(?![\w'\u2019])"
        fast = rf"{body}(?![\w'\u2019])"
        single = len(text.split()) == 1 and not text.startswith(("!", "#")) and "+" not in text
        single = single and not text.endswith("?") and anchors is not None
        single = single and all("@" not in choice for choice in text.split("|"))
        compiled.append(
            Phrase(
                text=text,
                source=source,
                anchors=anchors,
                body=fast,
                single=single,
                requires=requires,
                full_stop=_runs_on(text, lists),
            )
        )
    return tuple(compiled)


class LazyPattern:
    """A regular expression compiled when first used.

    The bundled rules hold hundreds of phrase groups, and a draft wakes a
    few of them: compiling each on first use keeps a process's first check
    fast. Safe across threads (two first uses compile the same pattern).
    """

    __slots__ = ("_compiled", "flags", "source")

    def __init__(self, source: str, flags: int = 0) -> None:
        self.source = source
        self.flags = flags
        self._compiled: re.Pattern[str] | None = None

    @property
    def compiled(self) -> re.Pattern[str]:
        """The compiled pattern."""
        compiled = self._compiled
        if compiled is None:
            compiled = self._compiled = re.compile(self.source, self.flags)
        return compiled

    def search(self, text: str, pos: int = 0, endpos: int = sys.maxsize) -> re.Match[str] | None:
        """:meth:`re.Pattern.search`."""
        return self.compiled.search(text, pos, endpos)

    def finditer(
        self, text: str, pos: int = 0, endpos: int = sys.maxsize
    ) -> Iterator[re.Match[str]]:
        """:meth:`re.Pattern.finditer`."""
        return self.compiled.finditer(text, pos, endpos)


Pattern = re.Pattern[str] | LazyPattern


@attrs.frozen
class Group:
    """Phrases that share their anchors, as one pattern.

    ``pattern`` matches in any text, in any case. ``fast`` matches the same
    in a lower-cased text of the same length, much faster: it starts with no
    look-behind (which keeps the engine from skipping ahead), so
    :meth:`finditer` checks the word bound itself.
    """

    anchors: frozenset[str] | None
    pattern: Pattern
    fast: Pattern | None = None
    # Word sets the text must each hold one of besides an anchor (see Phrase.requires).
    requires: tuple[frozenset[str], ...] = ()

    def possible(self, scan: Scan) -> bool:
        """Whether ``scan``'s text holds a word of every other required word set (as far
        as its gate looked for them): where one is missing, no phrase can match."""
        looked = scan.looked_for
        if looked is None:
            return True
        held = scan.held
        for words in self.requires:  # noqa: SIM110 - a loop: no generator made for each test
            # A word set the gate did not look for tells nothing.
            if words.isdisjoint(held) and words <= looked:
                return False
        return True

    def finditer(self, text: str, low: str | None, begin: int, end: int) -> Iterator[re.Match[str]]:
        """The matches in ``text[begin:end]`` (``low`` is ``text`` lower-cased, or ``None``)."""
        if low is None or self.fast is None:
            yield from self.pattern.finditer(text, begin, end)
            return
        fast = self.fast
        search = (fast.compiled if isinstance(fast, LazyPattern) else fast).search
        at = begin
        while at <= end:
            match = search(low, at, end)
            if match is None:
                return
            start = match.start()
            if start and _is_word(low[start - 1]):
                at = start + 1  # inside a word: not a match here, but maybe a little later
                continue
            yield match
            at = match.end() if match.end() > start else start + 1


def grouped(phrases: Iterable[Phrase]) -> list[Group]:
    """The phrases as one pattern per anchor set (and set of other required words):
    one scan serves phrases that wake together."""
    groups: dict[tuple[frozenset[str] | None, tuple[frozenset[str], ...]], list[Phrase]] = {}
    for phrase in phrases:
        groups.setdefault((phrase.anchors, phrase.requires), []).append(phrase)
    return [group_of(members) for members in groups.values()]


def group_of(phrases: Sequence[Phrase]) -> Group:
    """All of ``phrases`` as one :class:`Group`, its anchors theirs together."""
    requires = {phrase.requires for phrase in phrases}
    return Group(
        anchors_of(phrases),
        alternation(phrases),
        LazyPattern("|".join(f"(?:{phrase.body})" for phrase in phrases)),
        # Members that require different words: only what they all require.
        requires=requires.pop() if len(requires) == 1 else (),
    )


def alternation(phrases: Iterable[Phrase]) -> LazyPattern:
    """One pattern matching any of ``phrases``, as whole words, in any case (compiled
    when first used)."""
    return LazyPattern("|".join(f"(?:{phrase.source})" for phrase in phrases), re.IGNORECASE)


def words_of(phrases: Iterable[Phrase]) -> frozenset[str] | None:
    """Every word the gate must look for to run ``phrases``: their anchors and the
    other words they require; ``None`` when one of them has no anchor."""
    anchors = anchors_of(phrases)
    if anchors is None:
        return None
    return anchors.union(*(words for phrase in phrases for words in phrase.requires))


def anchors_of(phrases: Iterable[Phrase]) -> frozenset[str] | None:
    """Every anchor word of ``phrases``; ``None`` when one of them has no anchor."""
    found: set[str] = set()
    for phrase in phrases:
        if phrase.anchors is None:
            return None
        found.update(phrase.anchors)
    return frozenset(found)


def _trie(words: Iterable[str]) -> str:
    """A pattern matching any of ``words``, shared beginnings written once (fast to scan)."""
    root: dict[str, dict[str, object]] = {}
    for word in words:
        node = root
        for char in word:
            node = node.setdefault(char, {})  # type: ignore[assignment]
        node[""] = {}

    def build(node: dict[str, dict[str, object]]) -> str:
        branches = [re.escape(char) + build(child) for char, child in sorted(node.items()) if char]  # type: ignore[arg-type]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        return f"(?:{body})?" if "" in node else body

    return build(root)


# The words of a text as the gate sees them: the anchors' characters only.
_SCAN_WORD = re.compile(r"[\w'%]+")
# For a text in ASCII: every byte that cannot be in a word becomes a space.
_KEEP = frozenset(b"abcdefghijklmnopqrstuvwxyz0123456789_'%")
_ASCII_WORDS = bytes(byte if byte in _KEEP else 32 for byte in range(256))
# Words in nearly every announcement: poor anchors (see _Item.weight).
_COMMON = frozenset(
    """
    a about account affected all an and any are as at be been but by can could data did do
    doing for from has have i if in is it its it's may more my next no not now of on or our
    people right safe should so some soon sorry team that the their them there these they this
    those to update updates was we were what when which who will with you your used know
    write follow happen happened pm am time work working
    """.split()  # noqa: SIM905 - a word list reads best as words
)
# Prefix anchors are found through their first letters.
_STEM = 4
# How many words a gate remembers the anchors of.
_KNOWN_WORDS = 100_000


# Marks outside ASCII common in drafts, each made an ASCII control character in the
# text phrases are matched in, so that a text without others is stored a byte a
# character and searched faster. Nothing else in a draft is such a character, and
# phrases read each as they read the mark: a dash as a separator (see _SEP), the
# rest as neither a letter nor a separator.
_NARROW = (
    ("\u2013", "\x1a"),
    ("\u2014", "\x1a"),
    ("\u2022", "\x1b"),
    ("\u00b7", "\x1b"),
    ("\u201c", "\x1c"),
    ("\u201d", "\x1d"),
    ("\u2018", "\x1e"),
    ("\u2026", "\x1f"),
)
_NARROWED = dict(_NARROW)


def lowered(text: str) -> str:
    """``text`` as phrases are matched in it: lower-cased, the curly apostrophe
    straight, and the common marks outside ASCII made the ASCII control characters
    that stand for them (see ``_NARROW``). Lowering may change the length; nothing
    else does."""
    low = text.lower().replace("\u2019", "'")
    if not low.isascii():
        for mark, plain in _NARROW:
            if mark in low:
                low = low.replace(mark, plain)
    return low


def _words(low: str) -> set[str]:
    """The distinct words of a lowered text (runs of letters, digits, ``_``, ``'`` and ``%``)."""
    if not low.isascii():
        low = without_common_marks(low).replace("\u00a0", " ")
        if not low.isascii():
            return set(_SCAN_WORD.findall(low))
    # The usual case, done with byte operations: much faster than a regular expression.
    return set(low.encode("ascii").translate(_ASCII_WORDS).decode("ascii").split())


class Gate:
    """Which anchors a text holds, and where: the engine's one shortcut.

    An anchor ``word`` is held when the text has that word; ``word*`` when
    it has a word beginning so. A rule none of whose anchors a post holds is
    not run on it, and a rule that is run reads only the sentences that hold
    one (see :class:`Scan`). Both are exact: a phrase cannot match where its
    anchor item is missing.
    """

    def __init__(self, anchors: Iterable[str]) -> None:
        anchors = set(anchors)
        #: Every word the gate looks for: a word set outside it tells nothing.
        self.words = frozenset(anchors)
        self.exact = frozenset(word for word in anchors if not word.endswith("*"))
        prefixes = {word[:-1] for word in anchors if word.endswith("*")}
        self._stems: dict[str, list[str]] = {}
        for prefix in sorted(prefixes):
            if len(prefix) >= _STEM:
                self._stems.setdefault(prefix[:_STEM], []).append(prefix)
        self._short = tuple(sorted(prefix for prefix in prefixes if len(prefix) < _STEM))
        # Words seen so far (most hold no anchor) and the prefix anchors of those that
        # hold one: a text's words are looked up with set operations, not matched
        # against every prefix again. Bounded, and the same whichever thread fills it.
        self._seen: set[str] = set()
        self._prefixed: dict[str, tuple[str, ...]] = {}
        self._prefixed_words: set[str] = set()

    def _prefixes_of(self, word: str) -> list[str]:
        """``prefix*`` for each prefix anchor that ``word`` begins with."""
        found = [
            prefix + "*" for prefix in self._stems.get(word[:_STEM], ()) if word.startswith(prefix)
        ]
        found.extend(prefix + "*" for prefix in self._short if word.startswith(prefix))
        return found

    def scan(self, text: str, names: frozenset[str] = frozenset()) -> Scan:
        """What ``text`` holds of the gate's anchors."""
        low = lowered(text)
        words = _words(low)
        held = words & self.exact
        if self._stems or self._short:
            new = words - self._seen
            for word in new:
                prefixes = self._prefixes_of(word)
                if len(self._seen) < _KNOWN_WORDS:
                    if prefixes:
                        self._prefixed[word] = tuple(prefixes)
                        self._prefixed_words.add(word)
                    self._seen.add(word)
                else:
                    held.update(prefixes)
            for word in words & self._prefixed_words:
                held.update(self._prefixed[word])
        scan = Scan(text, low, frozenset(held), names, words)
        scan.looked_for = self.words
        return scan


class Scan:
    """One post as the checks see it: its text, the anchors it holds and the record's names."""

    def __init__(
        self,
        text: str,
        low: str | None,
        held: frozenset[str],
        names: frozenset[str],
        words: set[str] | None = None,
    ) -> None:
        self.text = text
        self._words = words  # worked out when first asked for (see ``words``)
        self._lowered = low  # likewise (see ``low``)
        self.held = held
        self.names = names
        self._starts: list[int] | None = None
        self._spans: dict[str, list[tuple[int, int]]] = {}
        # The words the gate looked for (``held`` is exact for these), ``None`` if unknown.
        self.looked_for: frozenset[str] | None = None

    @property
    def low(self) -> str:
        """The text lower-cased, curly apostrophes straightened."""
        low = self._lowered
        if low is None:
            low = self._lowered = lowered(self.text)
        return low

    @property
    def same_length_low(self) -> str | None:
        """:attr:`low` where lowering kept the length (positions in it hold in the
        text), else ``None``."""
        low = self.low
        return low if len(low) == len(self.text) else None

    @property
    def words(self) -> set[str]:
        """The distinct words of the text, lower-cased (see the gate)."""
        if self._words is None:
            self._words = _words(self.low)
        return self._words

    @classmethod
    def joined(cls, scans: Sequence[Scan], separator: str) -> Scan:
        """The scan of the scans' texts joined by ``separator`` (white space only)."""
        joined = cls(
            separator.join(scan.text for scan in scans),
            separator.join(scan.low for scan in scans),
            frozenset().union(*(scan.held for scan in scans)),
            scans[0].names if scans else frozenset(),
            set().union(*(scan.words for scan in scans)),
        )
        looked = {scan.looked_for for scan in scans}
        joined.looked_for = looked.pop() if len(looked) == 1 else None
        return joined

    def holds(self, anchors: frozenset[str] | None) -> bool:
        """Whether the post holds one of ``anchors`` (``None``: there is no telling, so yes)."""
        return anchors is None or not anchors.isdisjoint(self.held)

    def windows(self, anchors: frozenset[str] | None) -> list[tuple[int, int]]:
        """The spans of the paragraphs holding one of ``anchors``, in order, merged.

        A phrase never crosses a blank line and always holds its anchor, so
        it is found in these just as in the whole text, at a fraction of the cost.
        """
        if anchors is None or self.same_length_low is None:
            return [(0, len(self.text))]
        held = anchors & self.held
        if len(held) == 1:
            return self._paragraphs_of(next(iter(held)))
        spans = sorted({span for anchor in held for span in self._paragraphs_of(anchor)})
        merged: list[tuple[int, int]] = []
        for begin, end in spans:
            if merged and begin <= merged[-1][1]:
                merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
            else:
                merged.append((begin, end))
        return merged

    def each_window(self, anchors: frozenset[str] | None) -> Iterator[tuple[int, int]]:
        """The paragraphs holding each anchor in turn, unmerged (a paragraph may come twice)."""
        if anchors is None or self.same_length_low is None:
            yield (0, len(self.text))
            return
        # Longer anchors first: they are rarer, so their paragraphs are likelier to hold a match.
        for anchor in sorted(anchors & self.held, key=lambda word: (-len(word), word)):
            yield from self._paragraphs_of(anchor)

    @property
    def starts(self) -> list[int]:
        """Where each paragraph of the text starts (after each blank line, ``"\\n\\n"``)."""
        starts = self._starts
        if starts is None:
            text = self.text
            starts = [0]
            at = text.find("\n\n")
            while at >= 0:
                starts.append(at + 2)
                at = text.find("\n\n", at + 2)
            self._starts = starts
        return starts

    @starts.setter
    def starts(self, starts: list[int]) -> None:
        self._starts = starts

    def _paragraphs_of(self, anchor: str) -> list[tuple[int, int]]:
        """The spans of the paragraphs where ``anchor`` stands, worked out once per anchor."""
        found = self._spans.get(anchor)
        if found is not None:
            return found
        low = self.same_length_low
        assert low is not None
        starts = self.starts
        search = _standing(anchor).search
        found = []
        match = search(low)
        while match is not None:
            index = bisect.bisect_right(starts, match.start())
            end = starts[index] if index < len(starts) else len(low)
            found.append((starts[index - 1], end))
            match = search(low, end)  # the next paragraph holding it
        self._spans[anchor] = found
        return found


@functools.lru_cache(maxsize=4096)
def _standing(anchor: str) -> re.Pattern[str]:
    """A pattern for ``anchor`` standing as a word (``word*``: a word beginning so).

    The word comes first, so the engine skips straight to it; the bound
    before it is looked back at once it is found."""
    prefix = anchor.endswith("*")
    word = re.escape(anchor[:-1] if prefix else anchor)
    return re.compile(rf"{word}(?<![\w'%]{word})" + ("" if prefix else r"(?![\w'%])"))


def _is_word(char: str) -> bool:
    return char.isalnum() or char in "_'%"


# A sentence ends at . ! ? or … followed by white space, or at a blank line.
# Written to open with one character set, so the engine skips straight to the
# candidates (about twice as fast as the plain "[.!?…]+[closers]*(?=\s)|\n[^\S\n]*\n").
_SENTENCE_END = re.compile(
    r"[.!?\u2026\n](?:(?<=\n)[^\S\n]*\n|(?<!\n)[.!?\u2026]*[\"'\u201d\u2019)\]]*(?=\s))"
)


def sentence_around(text: str, start: int, end: int) -> tuple[int, int]:
    """The span of the sentence (or sentences) holding ``text[start:end]``."""
    begin = 0
    for mark in _SENTENCE_END.finditer(text, 0, start):
        begin = mark.end()
    after = _SENTENCE_END.search(text, max(end - 1, begin))
    return begin, after.end() if after else len(text)
