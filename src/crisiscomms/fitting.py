"""Fitting text to a platform's limit: threads, sectioned posts and truncation.

Every function here takes the platform's way of counting as a ``measure``
callable (``len``, UTF-16 code units, X's weighted length ...) and only ever
returns text that ``measure`` says is within ``limit``. When that is impossible
without breaking something that must stay whole, they raise
:class:`~crisiscomms.errors.FitError` instead of returning a post the platform
would refuse.

Text is cut only where a reader expects a break: between paragraphs, then
between sentences, then between words. A link, an @mention or a #hashtag is
never cut (see :func:`protected_spans`), and neither is a grapheme cluster (an
emoji with its skin tone, a flag, a letter with its accents). Only a single
word that is longer than a whole post is broken inside, at a grapheme cluster
boundary, as a last resort.

The ``measure`` is assumed to grow (or stay level) as words are appended, as
every platform's count does; the functions search over candidate cuts with
that assumption, but everything they return has been measured exactly as
returned, so a measure that breaks the assumption costs fullness, never the
limit.
"""

from __future__ import annotations

import bisect
import functools
import re
from collections.abc import Callable, Sequence
from typing import NoReturn

import attrs
import regex  # type: ignore[import-untyped, unused-ignore]  # types-regex may be absent

from crisiscomms import counting
from crisiscomms.errors import FitError

__all__ = ["Section", "fit_post", "pack_thread", "protected_spans", "split_thread", "truncate"]

_Measure = Callable[[str], int]

# Words are what str.split() sees: the standard library's \s is exactly
# str.isspace(), whereas the regex module's \s leaves out \x1c-\x1f. Chinese and
# Japanese put no space between words: there a chunk also ends after an
# ideographic comma or full stop (U+3001, U+3002, U+FF0C and the full-width ! and ?), so a cut
# falls between clauses, never inside a word.
_CLAUSE_MARKS = "\u3001\u3002\uff0c\uff01\uff1f"
_WORD = re.compile(rf"[^\s{_CLAUSE_MARKS}]*[{_CLAUSE_MARKS}]+|[^\s{_CLAUSE_MARKS}]+")

# Characters a link may hold: anything but whitespace (both modules' idea of
# it) and the delimiters people put around links in prose.
_LINK_CHAR = r"[^\s\x1c-\x1f<>\"]"

_PROTECTED = regex.compile(
    rf"""
    (?P<link>(?:https?://|www\.){_LINK_CHAR}+)
    # A bare domain only counts as a link when a path follows it: "example.org/status".
    # The look-behind keeps the match at the start of a word; the bounded label
    # counts and lengths keep the backtracking on "a.a.a.a..." linear, not quadratic.
    | (?P<domain>(?<![\w@.\-/])(?:[\w-]{{1,63}}\.){{1,8}}[^\W\d_]{{2,63}}/{_LINK_CHAR}*)
    # @user, @user@instance.social (fediverse), @alice.bsky.social (Bluesky).
    | (?<![\w@])@\w+(?:[.-]\w+)*(?:@\w+(?:[.-]\w+)+)?
    | (?<![\w&\#])\#\w+
    """,
    regex.VERBOSE | regex.IGNORECASE,
)

# Punctuation that ends a sentence in prose rather than belonging to a link.
_LINK_TRAILING = frozenset(".,;:!?'\"*\u2019\u201d\u00bb)]}\u2026")

# A space glued to its neighbour in one grapheme cluster: a Prepend character
# before a space, or a space carrying a combining mark. Control characters
# (newlines, tabs) always break a cluster, so only other whitespace can glue.
_GLUE = regex.compile(
    r"(?P<pre>\p{GCB=Prepend})(?=[^\S\p{GCB=Control}\p{GCB=CR}\p{GCB=LF}])"
    r"|[^\S\p{GCB=Control}\p{GCB=CR}\p{GCB=LF}](?=[\p{GCB=Extend}\p{GCB=SpacingMark}\p{GCB=ZWJ}])"
)
# Text of characters that never join a neighbour (see crisiscomms.counting.units) has
# no glued space, and checking that is much quicker than looking for one.
_NEVER_GLUED = re.compile(f"[{counting.units.SIMPLE_CHARS}]*")
_GRAPHEME = regex.compile(r"\X")
_PREPEND = regex.compile(r"\p{GCB=Prepend}")

# Boundary strengths between two words; a higher one is a better place to cut.
_WORD_BREAK = 1
_SENTENCE_BREAK = 2  # a sentence end or a single line break
_PARAGRAPH_BREAK = 3  # a blank line, or the end of the text

_SENTENCE_END = frozenset(".!?\u2026\u203c\u2049\u3002\uff01\uff1f")
_SIGNING_DASHES = frozenset("-\u2013\u2014")
_CLOSERS = frozenset("\"')]}\u2019\u201d\u00bb")
# Stripped from the end of a truncated text before the ellipsis: "was, …" reads
# worse than "was…". Closing quotes and brackets stay, to stay balanced.
_TRIM_BEFORE_ELLIPSIS = frozenset(
    ".,;:!?-/\\|\u00b7\u2010\u2011\u2012\u2013\u2014\u2015\u2026\u3001\u3002\uff0c\uff1a\uff1b\uff01\uff1f"
)

# A cut at a paragraph or sentence end is preferred to a fuller post cut
# mid-sentence, as long as it leaves the post at least this share of what
# would fit; below that, one short paragraph would make a near-empty post.
_MIN_FILL = 1 / 3

# A trimmed optional section must keep at least this many words to be worth
# the space; fewer reads as noise.
_MIN_TRIMMED_WORDS = 3

# Rounds of re-splitting when the part count gains or loses a digit.
_MAX_ROUNDS = 8


@attrs.frozen(kw_only=True)
class Section:
    """One piece of a post for :func:`fit_post`.

    ``required`` sections are never dropped or shortened; optional ones are
    dropped lowest ``priority`` first (among equals, the later one first).
    ``separator`` goes before this section when an earlier section is kept.
    ``name`` identifies the section in error messages. A required section with
    ``shorten`` may, as a last resort, be cut at a word (with an ellipsis) when
    the required sections do not fit whole: the lowest ``priority`` first. An
    optional section marked ``whole`` (an apology, a time) is kept whole or
    dropped, never cut.
    """

    text: str
    required: bool = False
    priority: int = 0
    name: str = ""
    separator: str = "\n\n"
    shorten: bool = False
    whole: bool = False


def protected_spans(text: str) -> list[tuple[int, int]]:
    """The ``(start, end)`` spans of tokens that must never be cut, in order.

    These are links (``http://``, ``https://``, ``www.`` and bare domains
    followed by a path such as ``example.org/status``), mentions (``@user``,
    ``@user@instance.social``, ``@alice.bsky.social``) and hashtags. Sentence
    punctuation after a link (``.``, ``,``, an unbalanced ``)`` ...) is left
    out of it. A link written straight into text without spaces (Japanese,
    Chinese, Thai ...) ends where twitter-text's URL grammar ends it, at the
    first character a URL cannot hold, and there every URL that grammar finds
    is protected, with or without a path. The spans do not overlap and
    contain no whitespace.
    """
    return _protected(text, 0, len(text))


def _protected(text: str, start: int, end: int) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    for match in _PROTECTED.finditer(text, start, end):
        span_start, span_end = match.span()
        if match.lastgroup in ("link", "domain"):
            span_end = _trim_link_end(text, span_start, span_end)
            piece = text[span_start:span_end]
            if not piece.isascii():
                # Run into other text without a space: the link is what
                # twitter-text's grammar finds there, if it finds anything.
                urls = counting.x_url_spans(piece)
                if urls:
                    spans.extend((span_start + a, span_start + b) for a, b in urls)
                    continue
        if span_end > span_start:
            spans.append((span_start, span_end))
    if text[start:end].isascii():
        return spans
    # Where words are not separated by spaces, the grammar also finds links
    # that the pattern above, which wants a link to start a word, cannot see.
    extra = [
        (start + a, start + b)
        for a, b in counting.x_url_spans(text[start:end])
        if all(start + b <= s_start or start + a >= s_end for s_start, s_end in spans)
    ]
    return sorted(spans + extra) if extra else spans


def _trim_link_end(text: str, start: int, end: int) -> int:
    opens = text.count("(", start, end)
    closes = text.count(")", start, end)
    while end > start and text[end - 1] in _LINK_TRAILING:
        if text[end - 1] == ")":
            # A balanced ")" belongs to the link, as in Wikipedia's "Foo_(bar)".
            if opens >= closes:
                break
            closes -= 1
        end -= 1
    return end


def _check_limit(limit: int) -> None:
    if limit <= 0:
        raise ValueError(f"limit must be a positive number, got {limit}")


def _line_breaks(gap: str) -> int:
    # str.splitlines knows the same breaks, and reads "\r\n" as one.
    return len((gap + "x").splitlines()) - 1


def _last_true(lo: int, hi: int, fits: Callable[[int], bool]) -> int:
    """The largest ``i`` in ``[lo, hi]`` with ``fits(i)``, given ``fits(lo)``.

    ``fits`` is assumed true then false. The search gallops up from ``lo`` and
    then bisects, so the candidates it measures are at most about twice the
    answer's size: the cost follows the answer, not the length of the text.
    """
    step = 1
    bad = hi + 1
    while lo < hi:
        probe = min(lo + step, hi)
        if fits(probe):
            lo = probe
            step *= 2
        else:
            bad = probe
            break
    while bad - lo > 1:
        middle = (lo + bad) // 2
        if fits(middle):
            lo = middle
        else:
            bad = middle
    return lo


class _Layout:
    """The cuttable structure of one text, computed once in linear time.

    A chunk is a run of words that may not be separated: almost always one
    word, but a space glued into a grapheme cluster joins its neighbours.
    ``strength[i]`` rates the gap after chunk ``i``; ``best[level][i]`` is the
    last chunk at or before ``i`` whose gap is at least ``level`` (or -1).
    """

    __slots__ = ("_cuts", "best", "ends", "starts", "strength", "text")

    def __init__(self, text: str) -> None:
        self.text = text
        glued_ends: set[int] = set()
        glued_starts: set[int] = set()
        if not _NEVER_GLUED.fullmatch(text):
            for glue in _GLUE.finditer(text):
                (glued_ends if glue.group("pre") is not None else glued_starts).add(glue.end())
        starts: list[int] = []
        ends: list[int] = []
        strength: list[int] = []
        for match in _WORD.finditer(text):
            start, end = match.span()
            if starts and (ends[-1] in glued_ends or start in glued_starts):
                ends[-1] = end
                continue
            if starts:
                strength.append(self._gap_strength(starts[-1], ends[-1], start))
            starts.append(start)
            ends.append(end)
        if starts:
            strength.append(_PARAGRAPH_BREAK)
        self.starts = starts
        self.ends = ends
        self.strength = strength
        self.best: dict[int, list[int]] = {}
        for level in (_SENTENCE_BREAK, _PARAGRAPH_BREAK):
            last = -1
            best: list[int] = []
            for index, value in enumerate(strength):
                if value >= level:
                    last = index
                best.append(last)
            self.best[level] = best
        self._cuts: dict[int, list[int]] = {}

    def _gap_strength(self, chunk_start: int, end: int, next_start: int) -> int:
        text = self.text
        if next_start - end > 1 or text[end] != " ":
            breaks = _line_breaks(text[end:next_start])
            if breaks >= 2:
                return _PARAGRAPH_BREAK
            if breaks == 1:
                return _SENTENCE_BREAK
        last = end - 1
        while last > chunk_start and text[last] in _CLOSERS:
            last -= 1
        # "e.g. the" is not a sentence end; a following capital, digit or symbol is
        # taken as one, but not a dash: "... sorry. \u2013 Ann" signs the sentence before it.
        if (
            text[last] in _SENTENCE_END
            and not text[next_start].islower()
            and text[next_start] not in _SIGNING_DASHES
        ):
            return _SENTENCE_BREAK
        return _WORD_BREAK

    def chunk_of(self, position: int) -> int:
        """The index of the chunk holding (or last ending before) ``position``."""
        return max(bisect.bisect_right(self.starts, position) - 1, 0)

    def cuts(self, chunk: int) -> list[int]:
        """Positions strictly inside ``chunk`` where it may be hard-wrapped.

        Each is a grapheme cluster boundary between two non-space characters
        and outside every protected span. Computed on first use per chunk, so
        only the rare overlong chunks pay for grapheme segmentation.
        """
        cached = self._cuts.get(chunk)
        if cached is not None:
            return cached
        text = self.text
        start, end = self.starts[chunk], self.ends[chunk]
        blocked: set[int] = set()
        for span_start, span_end in _protected(text, start, end):
            blocked.update(range(span_start + 1, span_end))
        cuts = [
            match.end()
            for match in _GRAPHEME.finditer(text, start, end)
            if match.end() < end
            and match.end() not in blocked
            and not text[match.end()].isspace()
            and not text[match.end() - 1].isspace()
        ]
        self._cuts[chunk] = cuts
        return cuts


# Several channels often split the very same text (Mastodon, Bluesky and Threads render
# one announcement), and a review server splits it again on every request: each text of
# an announcement's size is laid out once. A layout only grows its own memo of cuts, the
# same whoever computes it, so threads may share one.
_MEMO_UP_TO = 20_000
_memo_layout = functools.lru_cache(maxsize=32)(_Layout)


def _layout(text: str) -> _Layout:
    return _memo_layout(text) if len(text) <= _MEMO_UP_TO else _Layout(text)


class _Packer:
    """Greedy packing of one text into parts, for one numbering width."""

    __slots__ = ("channel", "layout", "limit", "measure", "unit")

    def __init__(
        self, layout: _Layout, *, limit: int, measure: _Measure, channel: str, unit: str
    ) -> None:
        self.layout = layout
        self.limit = limit
        self.measure = measure
        self.channel = channel
        self.unit = unit

    def _fits(self, start: int, end: int, suffix: str) -> bool:
        return self.measure(self.layout.text[start:end] + suffix) <= self.limit

    def pack(self, total_label: str | None) -> list[str]:
        """Split into parts; each part plus `` i/<total_label>`` fits the limit.

        ``total_label`` stands in for the final part count while it is not
        known yet; ``None`` packs without numbering.
        """
        layout = self.layout
        text, starts, ends = layout.text, layout.starts, layout.ends
        last = len(starts) - 1
        parts: list[str] = []
        chunk = 0
        position = starts[0]
        while chunk <= last:
            suffix = "" if total_label is None else f" {len(parts) + 1}/{total_label}"
            # Inside a chunk that was already wrapped, measuring its whole rest
            # for every part would be quadratic: let the wrap search decide.
            if position > starts[chunk] or not self._fits(position, ends[chunk], suffix):
                cut = self._wrap(chunk, position, suffix)
                if cut < ends[chunk]:
                    parts.append(text[position:cut])
                    position = cut
                    continue
            end_chunk = self._fullest(chunk, position, suffix)
            if end_chunk < last:
                end_chunk = self._prefer_boundary(chunk, position, end_chunk)
            parts.append(text[position : ends[end_chunk]])
            chunk = end_chunk + 1
            if chunk <= last:
                position = starts[chunk]
        return parts

    def _fullest(self, chunk: int, start: int, suffix: str) -> int:
        """The last chunk that fits in a part starting at ``start`` (``chunk`` does)."""
        ends = self.layout.ends
        return _last_true(
            chunk, len(ends) - 1, lambda index: self._fits(start, ends[index], suffix)
        )

    def _prefer_boundary(self, first: int, start: int, fullest: int) -> int:
        ends = self.layout.ends
        room = ends[fullest] - start
        for level in (_PARAGRAPH_BREAK, _SENTENCE_BREAK):
            candidate = self.layout.best[level][fullest]
            if candidate >= first and ends[candidate] - start >= _MIN_FILL * room:
                return candidate
        return fullest

    def _wrap(self, chunk: int, start: int, suffix: str) -> int:
        """How far a part starting at ``start`` reaches into ``chunk``.

        The candidates are the chunk's wrap points after ``start`` and, last,
        the chunk's end; the answer is the chunk's end when its rest fits.
        """
        cuts = self.layout.cuts(chunk)
        end = self.layout.ends[chunk]

        def fits(index: int) -> bool:
            return self._fits(start, cuts[index] if index < len(cuts) else end, suffix)

        first = bisect.bisect_right(cuts, start)
        if not fits(first):
            self._refuse(chunk, start, cuts[first] if first < len(cuts) else None, suffix)
        best = _last_true(first, len(cuts), fits)
        return cuts[best] if best < len(cuts) else end

    def _refuse(self, chunk: int, start: int, cut: int | None, suffix: str) -> NoReturn:
        layout = self.layout
        text = layout.text
        end = layout.ends[chunk] if cut is None else cut
        if len(layout.starts) == 1 and start == layout.starts[0] and end == layout.ends[0]:
            # The whole text is one unbreakable piece: it would be a single,
            # unnumbered post, so the number is no part of the problem.
            suffix = ""
        piece = text[start:end]
        offset = layout.starts[chunk]
        tokens = [
            text[offset + span_start : offset + span_end]
            for span_start, span_end in protected_spans(text[offset:end])
            if offset + span_end > start
        ]
        if tokens:
            what = f"{tokens[0]!r} cannot be broken (link, mention or hashtag) and does not fit"
        elif suffix and self.measure(suffix.lstrip()) > self.limit:
            what = f"the part number {suffix.strip()!r} alone does not fit"
        else:
            what = f"the character {piece!r} does not fit"
        if suffix:
            what += " beside the part number"
        raise FitError(
            what,
            channel=self.channel,
            limit=self.limit,
            measured=self.measure(piece + suffix),
            unit=self.unit,
        )


def split_thread(
    text: str,
    *,
    limit: int,
    measure: _Measure,
    channel: str = "thread",
    unit: str = "characters",
    numbered: bool = True,
) -> tuple[str, ...]:
    """Split ``text`` into posts of a thread, each within ``limit`` by ``measure``.

    Posts are filled greedily. Each ends at the best break within reach: a
    blank line, else a sentence end or line break, else a space; a weaker
    break is used when the better one would leave the post less than a third as
    full as it could be. Several paragraphs share a post when they fit. Each
    post is a verbatim, stripped extract of ``text``, so joining the posts with
    spaces gives back the same words in the same order.

    With ``numbered`` and more than one post, each post ends with `` i/n``
    (``" 2/5"``), counted by ``measure`` against the limit; when the count
    gains a digit the text is split again with the wider numbers. A text that
    fits in one post comes back as that one post, stripped and unnumbered.

    Links, mentions and hashtags are never cut, and no grapheme cluster is. A
    single word longer than a post is broken between grapheme clusters as a
    last resort (its pieces, concatenated, give the word back). A link,
    mention or hashtag that alone does not fit a post (with its number)
    cannot be broken, so it raises :class:`~crisiscomms.errors.FitError`, as
    does a limit too small for a part number or a single character.

    Empty or whitespace-only text gives ``()``. The work is linear in the
    length of ``text``: ``measure`` is applied to the whole text once and
    otherwise only to candidate posts.

    Raises:
        ValueError: ``limit`` is not positive.
        FitError: something that cannot be broken does not fit.
    """
    _check_limit(limit)
    stripped = text.strip()
    if not stripped:
        return ()
    total = measure(stripped)
    if total <= limit:
        return (stripped,)
    packer = _Packer(_layout(text), limit=limit, measure=measure, channel=channel, unit=unit)
    if not numbered:
        return tuple(packer.pack(None))
    return _numbered(packer, estimate=max(2, -(-total // limit)))


def _numbered(packer: _Packer, *, estimate: int) -> tuple[str, ...]:
    # The count is not known until the text is packed, and the numbers' width
    # changes the packing: pack with a placeholder count of the guessed width
    # ("99" for two digits), then again if the real count has another width.
    # The estimate (whole text / limit) usually guesses right the first time.
    width = len(str(estimate))
    tried: set[int] = set()
    parts: list[str] = []
    for _ in range(_MAX_ROUNDS):
        tried.add(width)
        parts = packer.pack("9" * width)
        count = len(parts)
        needed = len(str(count))
        if needed > width or (needed < width and needed not in tried):
            width = needed
            continue
        if count == 1:
            # Only a measure that shrinks as text grows gets here: the whole
            # text did not fit, yet it fitted with a number appended.
            break
        result = tuple(f"{part} {index}/{count}" for index, part in enumerate(parts, 1))
        if all(packer.measure(part) <= packer.limit for part in result):
            return result
        # The measure counts the real count differently from the placeholder;
        # leave a wider margin and try again.
        width += 1
    measured = max(packer.measure(part) for part in parts)
    raise FitError(
        "the measure gave inconsistent lengths for numbered parts",
        channel=packer.channel,
        limit=packer.limit,
        measured=max(measured, packer.limit + 1),
        unit=packer.unit,
    )


def truncate(text: str, *, limit: int, measure: _Measure, ellipsis: str = "\u2026") -> str:
    """Shorten ``text`` to ``limit`` by ``measure``, ending with ``ellipsis``.

    A text that fits comes back unchanged. Otherwise the result is the
    longest prefix ending at a word boundary for which the prefix plus the
    ellipsis fits, with trailing whitespace and punctuation (``,`` ``.`` ``:``
    dashes ...) removed before the ellipsis. A prefix ending in a link,
    mention or hashtag gets a space before the ellipsis, so the ellipsis is
    not read as part of the link. No link, mention, hashtag or grapheme
    cluster is ever cut.

    If not even the first word fits, the first word is cut between grapheme
    clusters instead (outside links, mentions and hashtags). If no character
    fits beside the ellipsis, the result is the ellipsis alone, and if even
    the ellipsis does not fit (or ``text`` is only whitespace), it is ``""``.

    Raises:
        ValueError: ``limit`` is not positive.
    """
    _check_limit(limit)
    if measure(text) <= limit:
        return text
    if measure(text.rstrip()) <= limit:
        # Only trailing whitespace was over: nothing is lost, so no ellipsis.
        return text.rstrip()
    layout = _Layout(text)

    def fits(candidate: str) -> bool:
        return measure(candidate) <= limit

    if not layout.starts:
        return ""
    shortened = _shorten(layout, fits, ellipsis, layout.ends[:-1])
    if shortened is None:
        shortened = _shorten(layout, fits, ellipsis, layout.cuts(0))
    if shortened is not None:
        return shortened
    return ellipsis if fits(ellipsis) else ""


def _with_ellipsis(layout: _Layout, cut: int, ellipsis: str) -> str:
    """``text[:cut]`` with trailing punctuation dropped, then the ellipsis."""
    text = layout.text
    end = cut
    while end > 0 and (
        text[end - 1].isspace()
        or text[end - 1] in _TRIM_BEFORE_ELLIPSIS
        # A Prepend character joins the space after it into one cluster; with
        # that space trimmed it must go too, or the cut would split the cluster.
        or (end < cut and _PREPEND.match(text, end - 1) is not None)
    ):
        end -= 1
    if not text[:end].strip():
        # Only punctuation was left ("- ..."); keep it rather than nothing.
        end = cut
    # Give back any link, mention or hashtag the trimming cut into, and note
    # one that the kept text ends with.
    glued = False
    base = layout.starts[layout.chunk_of(end - 1)]
    for span_start, span_end in protected_spans(text[base:cut]):
        if base + span_start < end < base + span_end:
            end = base + span_end
        if base + span_end == end:
            glued = True
    return text[:end] + (" " if glued else "") + ellipsis


def _shorten(
    layout: _Layout, fits: Callable[[str], bool], ellipsis: str, cuts: Sequence[int]
) -> str | None:
    """The longest ``cuts``-ended prefix plus ellipsis that ``fits``, or ``None``."""
    if not cuts:
        return None

    def fits_at(index: int) -> bool:
        return fits(_with_ellipsis(layout, cuts[index], ellipsis))

    if not fits_at(0):
        return None
    return _with_ellipsis(layout, cuts[_last_true(0, len(cuts) - 1, fits_at)], ellipsis)


def fit_post(
    sections: Sequence[Section],
    *,
    limit: int,
    measure: _Measure,
    channel: str = "post",
    unit: str = "characters",
    ellipsis: str = "\u2026",
) -> str:
    """Join ``sections`` into one post within ``limit`` by ``measure``.

    Sections are stripped, empty ones skipped, and the rest joined in the
    order given, each preceded by its ``separator`` unless it comes first. If
    the post is too long, optional sections are dropped one at a time, lowest
    ``priority`` first (among equals, the later one first), until it fits.
    The last section dropped is then put back shortened with
    :func:`truncate`'s rules (cut at a word boundary, ``ellipsis`` appended)
    if at least three of its words fit in the room that dropping it freed
    (unless it is ``whole``); no other section is ever shortened. Otherwise the
    room left is filled with the other dropped sections that fit whole, highest
    priority first. Required sections always appear in full, unless marked
    ``shorten`` and too long to fit together.

    Fitting an already fitted post again returns it unchanged.

    Raises:
        ValueError: ``limit`` is not positive.
        FitError: the required sections alone do not fit; ``measured`` is the
            length of the post made of only them.
    """
    _check_limit(limit)
    # (position, section, stripped text); position keeps the given order.
    items = [
        (position, section, section.text.strip())
        for position, section in enumerate(sections)
        if section.text.strip()
    ]

    def assemble(chosen: Sequence[tuple[int, Section, str]]) -> str:
        pieces: list[str] = []
        for _, section, body in sorted(chosen, key=lambda item: item[0]):
            if pieces:
                pieces.append(section.separator)
            pieces.append(body)
        return "".join(pieces)

    kept = list(items)
    draft = assemble(kept)
    if measure(draft) <= limit:
        return draft
    droppable = sorted(
        (item for item in items if not item[1].required),
        key=lambda item: (item[1].priority, -item[0]),
    )
    for dropped in droppable:
        kept.remove(dropped)
        draft = assemble(kept)
        if measure(draft) <= limit:
            break
    else:
        shortened_required = _shorten_required(kept, assemble, measure, limit, ellipsis)
        if shortened_required is not None:
            return shortened_required
        names = ", ".join(
            repr(section.name) if section.name else f"#{position}" for position, section, _ in kept
        )
        raise FitError(
            f"the required sections ({names or 'none'}) do not fit",
            channel=channel,
            limit=limit,
            measured=measure(draft),
            unit=unit,
        )
    position, section, body = dropped
    if not section.whole:
        shortened = _shorten_section(
            body,
            lambda candidate: measure(assemble([*kept, (position, section, candidate)])) <= limit,
            ellipsis,
        )
        if shortened is not None:
            return assemble([*kept, (position, section, shortened)])
    # Fill the room left with what was dropped, highest priority first, whole.
    for item in sorted(
        (item for item in droppable if item not in kept and item is not dropped),
        key=lambda item: (-item[1].priority, item[0]),
    ):
        if measure(assemble([*kept, item])) <= limit:
            kept.append(item)
    return assemble(kept)


def _shorten_required(
    kept: list[tuple[int, Section, str]],
    assemble: Callable[[Sequence[tuple[int, Section, str]]], str],
    measure: _Measure,
    limit: int,
    ellipsis: str,
) -> str | None:
    """The required sections with the ``shorten`` ones cut at a word, lowest priority
    first, until they fit; ``None`` when even that does not fit."""
    current = list(kept)
    candidates = sorted(
        (item for item in kept if item[1].shorten), key=lambda item: (item[1].priority, -item[0])
    )
    for item in candidates:
        position, section, body = item
        others = [other for other in current if other[0] != position]

        def fits(
            candidate: str,
            others: list[tuple[int, Section, str]] = others,
            position: int = position,
            section: Section = section,
        ) -> bool:
            return measure(assemble([*others, (position, section, candidate)])) <= limit

        shortened = _shorten_section(body, fits, ellipsis)
        if shortened is not None:
            return assemble([*others, (position, section, shortened)])
        # Not even three words fit: keep it whole and try the next one.
    return None


def _shorten_section(body: str, fits: Callable[[str], bool], ellipsis: str) -> str | None:
    layout = _Layout(body)
    # Only cuts that keep enough words are candidates at all.
    cuts = layout.ends[_MIN_TRIMMED_WORDS - 1 : -1]
    shortened = _shorten(layout, fits, ellipsis, cuts)
    if shortened is None or len(_WORD.findall(shortened)) < _MIN_TRIMMED_WORDS:
        return None
    return shortened


# A post shorter than this share of the limit reads as a scrap; a thread avoids one.
_MIN_POST_SHARE = 1 / 4


def pack_thread(
    text: str,
    *,
    limit: int,
    measure: _Measure,
    channel: str = "thread",
    unit: str = "characters",
) -> tuple[str, ...]:
    """Split ``text`` into a numbered thread whose posts end only between sentences.

    Unlike :func:`split_thread`, which fills each post greedily, this weighs the
    whole thread at once. In order of importance it makes: as few posts under a
    quarter of the limit as it can (none, unless the text allows no other way),
    then as few posts as it can, then as few posts that end inside a paragraph;
    among equal threads, the earlier posts are the fuller, so the first post
    holds as much of the top of the text as fits. A sentence is never split
    across posts unless it alone is longer than a post, and then only between
    words, as :func:`split_thread` would. Each post is a verbatim, stripped
    extract of ``text`` and, in a thread of more than one, ends with `` i/n``
    counted within the limit.

    Raises:
        ValueError: ``limit`` is not positive.
        FitError: something that cannot be broken does not fit.
    """
    _check_limit(limit)
    stripped = text.strip()
    if not stripped:
        return ()
    if measure(stripped) <= limit:
        return (stripped,)
    width = 1
    for _ in range(_MAX_ROUNDS):
        suffix = f" {'9' * width}/{'9' * width}"
        spans = _thread_spans(stripped, limit, measure, suffix, channel, unit)
        if spans is None:
            return split_thread(stripped, limit=limit, measure=measure, channel=channel, unit=unit)
        needed = len(str(len(spans)))
        if needed > width:
            width = needed
            continue
        count = len(spans)
        return tuple(
            f"{stripped[start:end]} {index}/{count}" for index, (start, end) in enumerate(spans, 1)
        )
    raise FitError(  # pragma: no cover - the width grows by one digit a round
        "the thread did not settle on a number of posts",
        channel=channel,
        limit=limit,
        measured=measure(stripped),
        unit=unit,
    )


def _thread_units(
    text: str, measured: _Measure, limit: int, channel: str, unit: str
) -> list[tuple[int, int, int]]:
    """``(start, end, strength)`` for each sentence (or line) of ``text``; ``strength``
    rates the break after it. A sentence that does not fit a post on its own is cut
    between words into pieces that do, each piece a unit with a word break after it."""
    layout = _layout(text)
    units: list[tuple[int, int, int]] = []
    first = 0

    def budget(piece: str) -> bool:
        return measured(piece) <= limit

    for index, strength in enumerate(layout.strength):
        if strength < _SENTENCE_BREAK:
            continue
        start, end = layout.starts[first], layout.ends[index]
        first = index + 1
        if budget(text[start:end]):
            units.append((start, end, strength))
            continue
        position = start
        chunk = layout.chunk_of(start)
        while position < end:
            last = chunk
            while last + 1 <= index and budget(text[position : layout.ends[last + 1]]):
                last += 1
            cut = layout.ends[last]
            if not budget(text[position:cut]):
                # One word longer than a post: the grapheme-safe wrap decides.
                piece = split_thread(
                    text[position:cut],
                    limit=limit,
                    measure=measured,
                    channel=channel,
                    unit=unit,
                    numbered=False,
                )[0]
                cut = position + len(piece)
                units.append((position, cut, _WORD_BREAK))
                position = cut
                continue
            is_end = last == index
            units.append((position, cut, strength if is_end else _WORD_BREAK))
            chunk = last + 1
            position = layout.starts[chunk] if chunk <= index else end
    return units


# Beyond this many sentences the whole-thread search costs more than it gives;
# such a text is split greedily instead.
_MAX_THREAD_UNITS = 400


def _thread_spans(
    text: str, limit: int, measure: _Measure, suffix: str, channel: str, unit: str
) -> list[tuple[int, int]] | None:
    """The posts' spans, or ``None`` when the text is better split greedily."""
    if measure(suffix.strip()) > limit:
        raise FitError(
            f"the part number {suffix.strip()!r} alone does not fit",
            channel=channel,
            limit=limit,
            measured=measure(suffix.strip()),
            unit=unit,
        )
    units = _thread_units(text, lambda piece: measure(piece + suffix), limit, channel, unit)
    count = len(units)
    if count > _MAX_THREAD_UNITS:
        return None
    # Each post's length is estimated as the sum of its sentences, the gaps
    # between them and its number: every platform's count is additive across
    # whitespace or less than additive, so the estimate errs long, and each
    # chosen post is measured exactly at the end.
    sizes = [measure(text[start:end]) for start, end, _ in units]
    gaps = [measure(text[units[i][1] : units[i + 1][0]]) for i in range(count - 1)]
    tail = measure(suffix)
    short = _MIN_POST_SHARE * limit
    infinity = (count + 1, count + 1, count + 1)
    # best[i]: the least cost of posting units i.. ; cost is (short posts, posts,
    # posts ending inside a paragraph), compared in that order.
    best: list[tuple[int, int, int]] = [infinity] * count + [(0, 0, 0)]
    choice = [count] * count
    for first in range(count - 1, -1, -1):
        length = tail - (gaps[first - 1] if first else 0)
        for last in range(first, count):
            length += sizes[last] + (gaps[last - 1] if last > first else 0)
            if length > limit and last > first:
                break
            rest = best[last + 1]
            cost = (
                rest[0] + (1 if length < short else 0),
                rest[1] + 1,
                rest[2] + (1 if units[last][2] < _PARAGRAPH_BREAK else 0),
            )
            # "<=": among equal threads, the fullest first post.
            if cost <= best[first]:
                best[first] = cost
                choice[first] = last
    spans: list[tuple[int, int]] = []
    first = 0
    while first < count:
        last = choice[first]
        spans.append((units[first][0], units[last][1]))
        first = last + 1
    if any(measure(text[start:end] + suffix) > limit for start, end in spans):
        return None
    return spans
