"""Fitting: threads, sectioned posts, truncation and the tokens never cut.

The measures here are written in this file on purpose (plain code points,
UTF-16 code units, grapheme clusters and a small X-like weighting), so the
tests show that fitting honours whatever measure it is given.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Sequence
from typing import Any

import pytest
import regex  # type: ignore[import-untyped, unused-ignore]  # types-regex may be absent
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from crisiscomms.counting import x_weighted_length
from crisiscomms.errors import FitError
from crisiscomms.fitting import Section, fit_post, protected_spans, split_thread, truncate

from .conformance import cases as conformance_cases

Measure = Callable[[str], int]

# --------------------------------------------------------------------------- measures


def utf16_length(text: str) -> int:
    """Length in UTF-16 code units, as JavaScript-based platforms count."""
    return len(text.encode("utf-16-le")) // 2


def grapheme_length(text: str) -> int:
    """Length in user-perceived characters."""
    return len(regex.findall(r"\X", text))


_TEST_URL = re.compile(r"https?://\S+")


def _is_wide(char: str) -> bool:
    point = ord(char)
    return (
        0x1100 <= point <= 0x115F
        or 0x2E80 <= point <= 0xA4CF
        or 0xAC00 <= point <= 0xD7A3
        or 0xF900 <= point <= 0xFAFF
        or 0xFF00 <= point <= 0xFF60
        or 0x1F000 <= point <= 0x1FAFF
        or 0x20000 <= point <= 0x3FFFD
    )


def x_like_length(text: str) -> int:
    """An X-like weighting: every link counts 23, CJK and emoji count 2, the rest 1."""
    total = 0
    position = 0
    for match in _TEST_URL.finditer(text):
        total += sum(2 if _is_wide(char) else 1 for char in text[position : match.start()])
        total += 23
        position = match.end()
    return total + sum(2 if _is_wide(char) else 1 for char in text[position:])


def digit_heavy_length(text: str) -> int:
    """Digits cost 5 each: part numbers are expensive, so they must be counted."""
    return len(text) + 4 * sum(char.isdigit() for char in text)


MEASURES: list[Measure] = [len, utf16_length, grapheme_length, x_like_length]

# --------------------------------------------------------------------------- strategies

_PLAIN = [
    "Water",
    "main",
    "break",
    "on",
    "Elm",
    "St.",
    "crews",
    "are",
    "working.",
    "e.g.",
    "Dr.",
    "(see",
    "below)",
    "now!",
    "why?",
    "\u201cquoted.\u201d",
    "ok,",
    "a",
    "I",
    "-",
]
_EMOJI = [
    "\U0001f44d\U0001f3fd",  # thumbs up, medium skin tone
    "\U0001f469\u200d\U0001f469\u200d\U0001f467",  # family: ZWJ sequence
    "\U0001f1fa\U0001f1e6",  # a flag: two regional indicators
    "\U0001f3f3\ufe0f\u200d\U0001f308",  # rainbow flag
    "\U0001f525\U0001f525",
]
_CJK = ["\u5730\u9707", "\u8b66\u5831\u3067\u3059\u3002", "\u907f\u96e3", "\uc815\uc804"]
_MARKS = [
    "e\u0301",  # decomposed é
    "cafe\u0301s",
    "\u0915\u094d\u0937",  # a Devanagari conjunct
    "n\u0303o",
    "\u0301x",  # a leading mark joins the space before it into one cluster
    "x\u0600",  # a Prepend character joins the space after it
]
_CLUSTERS = ["a", "b", "\u00e9", "e\u0301", *_EMOJI, "\u5730"]

_urls = st.builds(
    lambda scheme, host, path: f"{scheme}{host}/{path}",
    st.sampled_from(["https://", "http://", "www."]),
    st.sampled_from(["a.io", "ex.org", "s.gov"]),
    st.text(alphabet="abz09-_/", max_size=5),
)
_mentions = st.sampled_from(["@ops", "@ops@a.social", "@al.bsky.social", "@x_y"])
_hashtags = st.sampled_from(["#outage", "#Elm", "#\u5730\u9707", "#b2"])
_specials = st.one_of(_urls, _mentions, _hashtags)
_long_words = st.one_of(
    st.integers(30, 400).map(lambda size: "a" * size),
    st.lists(st.sampled_from(_CLUSTERS), min_size=20, max_size=120).map("".join),
)
_separators = st.sampled_from(
    [" ", " ", " ", " ", "  ", "\n", "\n\n", "\n\n\n", " \n \n ", "\t", "\u3000", "\r\n"]
)


@st.composite
def texts(draw: st.DrawFn, *, max_tokens: int = 80) -> tuple[str, list[str]]:
    """A text mixing every kind of token, and the links/mentions/hashtags in it."""
    plain = st.one_of(
        st.sampled_from(_PLAIN),
        st.sampled_from(_PLAIN),
        st.sampled_from(_EMOJI),
        st.sampled_from(_CJK),
        st.sampled_from(_MARKS),
    )
    specials: list[str] = []
    tokens: list[str] = []
    long_left = 2
    for _ in range(draw(st.integers(0, max_tokens))):
        kind = draw(st.integers(0, 9))
        if kind == 0:
            token = draw(_specials)
            specials.append(token)
        elif kind == 1 and long_left:
            long_left -= 1
            token = draw(_long_words)
        else:
            token = draw(plain)
        tokens.append(token)
    pieces: list[str] = [draw(st.sampled_from(["", " ", "\n"]))]
    for index, token in enumerate(tokens):
        if index:
            pieces.append(draw(_separators))
        pieces.append(token)
    pieces.append(draw(st.sampled_from(["", " ", "\n\n"])))
    return "".join(pieces), specials


_limits = st.integers(30, 500)
_measures = st.sampled_from(MEASURES)

# --------------------------------------------------------------------------- helpers


def contents(parts: Sequence[str]) -> list[str]:
    """The parts without their `` i/n`` numbers, checking each number on the way."""
    if len(parts) <= 1:
        return list(parts)
    stripped = []
    for index, part in enumerate(parts, 1):
        suffix = f" {index}/{len(parts)}"
        assert part.endswith(suffix), (part, suffix)
        stripped.append(part[: -len(suffix)])
    return stripped


def assert_words_come_back(text: str, bodies: Sequence[str]) -> None:
    """The parts' words are the text's words in order; a hard-wrapped word's pieces
    run over consecutive parts and concatenate to the word."""
    pieces = [(word, number) for number, body in enumerate(bodies) for word in body.split()]
    cursor = 0
    for word in text.split():
        piece, number = pieces[cursor]
        cursor += 1
        while piece != word:
            assert word.startswith(piece), (word, piece)
            following, following_number = pieces[cursor]
            cursor += 1
            assert following_number == number + 1, "a word was broken inside one part"
            piece += following
            number = following_number
    assert cursor == len(pieces)


def grapheme_boundaries(text: str) -> set[int]:
    """Every index of ``text`` at which a grapheme cluster starts or ends."""
    return {0} | {match.end() for match in regex.finditer(r"\X", text)}


def locate(text: str, bodies: Sequence[str]) -> list[tuple[int, int]]:
    """Where each part's text sits in ``text``, asserting the parts are extracts in order."""
    spans = []
    cursor = 0
    for body in bodies:
        start = text.find(body, cursor)
        assert start >= 0, f"{body!r} is not an extract of the text"
        assert not text[cursor:start].strip(), "text was skipped between parts"
        spans.append((start, start + len(body)))
        cursor = start + len(body)
    assert not text[cursor:].strip()
    return spans


def split_or_refusal(
    text: str, specials: Sequence[str], limit: int, measure: Measure, *, numbered: bool = True
) -> tuple[str, ...] | None:
    """``split_thread``'s parts, or ``None`` after checking a FitError was deserved.

    A refusal is deserved only when something unbreakable (a link, mention or
    hashtag, or one grapheme cluster) cannot share a post with even a wide part
    number.
    """
    refusal: FitError | None = None
    try:
        return split_thread(text, limit=limit, measure=measure, numbered=numbered)
    except FitError as error:
        refusal = error
    assert refusal.limit == limit
    assert refusal.measured > limit
    unbreakable = [*specials, *regex.findall(r"\X", text)]
    assert any(measure(token + " 999/999") > limit for token in unbreakable), refusal
    return None


def split_case(
    case: tuple[str, list[str]], limit: int, measure: Measure, *, numbered: bool = True
) -> tuple[str, ...]:
    """The parts of a generated case; a deserved refusal makes hypothesis drop the case."""
    text, specials = case
    parts = split_or_refusal(text, specials, limit, measure, numbered=numbered)
    assume(parts is not None)
    assert parts is not None
    return parts


# --------------------------------------------------------------------------- split_thread


class TestSplitThread:
    @settings(deadline=None)
    @given(texts(), _limits, _measures, st.booleans())
    def test_every_part_is_within_the_limit(
        self, case: tuple[str, list[str]], limit: int, measure: Measure, numbered: bool
    ) -> None:
        """No part, number included, measures more than the limit."""
        parts = split_case(case, limit, measure, numbered=numbered)
        assert all(measure(part) <= limit for part in parts)
        assert all(part == part.strip() and part for part in parts)

    @settings(deadline=None)
    @given(texts(), _limits, _measures)
    def test_words_come_back_in_order(
        self, case: tuple[str, list[str]], limit: int, measure: Measure
    ) -> None:
        """Joined with spaces and unnumbered, the parts give back the text's words."""
        text = case[0]
        parts = split_case(case, limit, measure)
        assert_words_come_back(text, contents(parts))

    @settings(deadline=None)
    @given(texts(), _limits, _measures)
    def test_urls_are_intact(
        self, case: tuple[str, list[str]], limit: int, measure: Measure
    ) -> None:
        """Every link, mention and hashtag of the text appears whole in one part."""
        text, specials = case
        parts = split_case(case, limit, measure)
        bodies = contents(parts)
        for token in set(specials):
            assert sum(body.count(token) for body in bodies) == text.count(token), token

    @settings(deadline=None)
    @given(texts(), _limits, _measures)
    def test_no_grapheme_cluster_is_split(
        self, case: tuple[str, list[str]], limit: int, measure: Measure
    ) -> None:
        """Each part is a verbatim extract that starts and ends on cluster boundaries.

        The text's own ends are exempt: the whole text is stripped first, even of a
        space that a combining mark or a Prepend character has glued to a word.
        """
        text = case[0]
        parts = split_case(case, limit, measure)
        boundaries = grapheme_boundaries(text)
        boundaries |= {len(text) - len(text.lstrip()), len(text.rstrip())}
        if len(parts) > 1:
            for start, end in locate(text, contents(parts)):
                assert start in boundaries
                assert end in boundaries

    @settings(deadline=None)
    @given(texts(), _limits, _measures)
    def test_is_deterministic(
        self, case: tuple[str, list[str]], limit: int, measure: Measure
    ) -> None:
        """The same input gives the same parts."""
        text, specials = case
        first = split_or_refusal(text, specials, limit, measure)
        assume(first is not None)
        assert split_thread(text, limit=limit, measure=measure) == first

    @settings(deadline=None)
    @given(texts(), _limits, _measures)
    def test_fitting_fitted_text_changes_nothing(
        self, case: tuple[str, list[str]], limit: int, measure: Measure
    ) -> None:
        """Splitting any produced part again gives back that part alone."""
        parts = split_case(case, limit, measure)
        for part in parts:
            assert split_thread(part, limit=limit, measure=measure) == (part,)

    @settings(deadline=None)
    @given(texts(), _limits)
    def test_numbering_counts_toward_the_limit(
        self, case: tuple[str, list[str]], limit: int
    ) -> None:
        """With digits made expensive, numbered parts still fit: the number is measured."""
        parts = split_case(case, limit, digit_heavy_length)
        assert all(digit_heavy_length(part) <= limit for part in parts)

    @settings(deadline=None)
    @given(texts(), _limits, _measures)
    def test_numbering_is_i_of_n(
        self, case: tuple[str, list[str]], limit: int, measure: Measure
    ) -> None:
        """Several parts end with `` i/n``; a single part is the stripped text, unnumbered."""
        text = case[0]
        parts = split_case(case, limit, measure)
        if len(parts) == 1:
            assert parts == (text.strip(),)
        else:
            contents(parts)  # asserts every suffix

    @settings(deadline=None)
    @given(texts(), _limits, _measures)
    def test_unnumbered_parts_are_never_more_than_numbered_ones(
        self, case: tuple[str, list[str]], limit: int, measure: Measure
    ) -> None:
        """Numbers take room, so leaving them out never needs more parts."""
        text, specials = case
        numbered = split_or_refusal(text, specials, limit, measure)
        plain = split_or_refusal(text, specials, limit, measure, numbered=False)
        assume(numbered is not None and plain is not None)
        assert numbered is not None
        assert plain is not None
        assert len(plain) <= len(numbered)
        assert_words_come_back(text, plain)

    def test_empty_and_blank_text_give_no_parts(self) -> None:
        """Nothing to say is no thread, not an empty post."""
        assert split_thread("", limit=10, measure=len) == ()
        assert split_thread(" \n\t ", limit=10, measure=len) == ()

    @pytest.mark.parametrize("limit", [0, -5])
    def test_limit_must_be_positive(self, limit: int) -> None:
        """A limit of zero or less is a programming error."""
        with pytest.raises(ValueError, match="limit"):
            split_thread("hello", limit=limit, measure=len)

    def test_a_fitting_text_is_one_stripped_unnumbered_part(self) -> None:
        """Internal spacing is kept; only the ends are stripped."""
        text = "  Line one.\n\nLine  two.  "
        assert split_thread(text, limit=280, measure=len) == ("Line one.\n\nLine  two.",)

    def test_paragraphs_share_a_post_when_they_fit(self) -> None:
        """Three 40-character paragraphs with a limit of 100: two in the first post."""
        paragraphs = [f"Paragraph {n} " + "x" * 27 + "." for n in range(3)]
        assert all(len(paragraph) == 40 for paragraph in paragraphs)
        parts = split_thread("\n\n".join(paragraphs), limit=100, measure=len)
        assert parts == (
            f"{paragraphs[0]}\n\n{paragraphs[1]} 1/2",
            f"{paragraphs[2]} 2/2",
        )

    def test_a_paragraph_break_is_preferred_to_a_fuller_post(self) -> None:
        """The post ends at the blank line even though more words would fit after it."""
        first = "Water main break on Elm Street. Crews are on site now."  # 54 characters
        second = "Expect low pressure until evening in the whole district today."
        parts = split_thread(f"{first}\n\n{second}", limit=90, measure=len)
        assert contents(parts) == [first, second]

    def test_a_sentence_end_is_preferred_to_a_word_break(self) -> None:
        """Within one paragraph the post ends after a sentence, not mid-sentence."""
        text = (
            "Water main break on Elm Street. Crews are on site now and expect to "
            "finish the repair by six tonight."
        )
        parts = split_thread(text, limit=60, measure=len)
        assert contents(parts)[0] == "Water main break on Elm Street."

    def test_a_break_that_would_leave_the_post_tiny_is_not_taken(self) -> None:
        """A sentence end after two words is passed over for a fuller post."""
        text = "Update 3. " + " ".join(["Word"] * 40)
        parts = split_thread(text, limit=60, measure=len, numbered=False)
        assert parts[0] == "Update 3. " + " ".join(["Word"] * 10)

    def test_ten_parts_get_two_digit_numbers(self) -> None:
        """Ten 14-character paragraphs, limit 20: each is its own post, numbered i/10.

        With one-digit numbers the first pass also finds ten parts; the split is
        redone with room for " 10/10" and every part still fits.
        """
        paragraphs = [f"Paragraph {n:04d}" for n in range(10)]
        parts = split_thread("\n\n".join(paragraphs), limit=20, measure=len)
        assert parts == tuple(f"{text} {n}/10" for n, text in enumerate(paragraphs, 1))
        assert max(len(part) for part in parts) == 20

    def test_gaining_a_digit_resplits_with_the_wider_number(self) -> None:
        """Forty "abc" words, limit 20: one-digit numbers would give ten parts of four words,
        but " 10/10" leaves room for only three words, so the split needs eleven parts."""
        parts = split_thread(" ".join(["abc"] * 40), limit=20, measure=len)
        four = "abc abc abc abc"
        assert parts == (
            *(f"{four} {n}/11" for n in range(1, 10)),
            "abc abc abc 10/11",
            "abc 11/11",
        )

    def test_numbering_takes_room_from_the_content(self) -> None:
        """Unnumbered, 24 characters hold five words; numbered, fewer do."""
        text = " ".join(["abcd"] * 20)
        assert split_thread(text, limit=24, measure=len, numbered=False)[0] == " ".join(
            ["abcd"] * 5
        )
        numbered = split_thread(text, limit=24, measure=len)
        assert numbered[0] == "abcd abcd abcd abcd 1/5"

    def test_a_400_character_word_is_hard_wrapped(self) -> None:
        """Limit 100 and " i/5" numbers: four pieces of 96 characters and one of 16."""
        parts = split_thread("a" * 400, limit=100, measure=len)
        assert parts == (
            *(f"{'a' * 96} {n}/5" for n in range(1, 5)),
            f"{'a' * 16} 5/5",
        )

    def test_a_long_word_starts_a_post_of_its_own(self) -> None:
        """The words before an overlong word are not glued to its first piece."""
        parts = split_thread("Read this: " + "b" * 150, limit=100, measure=len)
        bodies = contents(parts)
        assert bodies[0] == "Read this:"
        assert "".join(bodies[1:]) == "b" * 150

    def test_hard_wrapping_keeps_emoji_whole(self) -> None:
        """A word of 60 family emoji (8 UTF-16 units each) breaks between families."""
        family = "\U0001f469\u200d\U0001f469\u200d\U0001f467"
        parts = split_thread(family * 60, limit=100, measure=utf16_length)
        for body in contents(parts):
            assert body == family * (len(body) // len(family))

    def test_short_words_are_never_broken(self) -> None:
        """Words that fit a post are moved whole to the next post."""
        text = " ".join(f"word{n:03d}" for n in range(200))
        parts = split_thread(text, limit=50, measure=len)
        words = {f"word{n:03d}" for n in range(200)}
        for body in contents(parts):
            assert set(body.split()) <= words

    def test_a_url_longer_than_the_limit_raises(self) -> None:
        """A link cannot be broken, so a text of one 60-character link at limit 30 is refused."""
        url = "https://example.com/" + "x" * 40
        with pytest.raises(FitError) as caught:
            split_thread(url, limit=30, measure=len, channel="x", unit="characters")
        assert caught.value.channel == "x"
        assert caught.value.limit == 30
        assert caught.value.measured == 60
        assert url in str(caught.value)

    def test_a_long_mention_inside_a_thread_raises(self) -> None:
        """A mention that cannot fit beside a part number is refused, not cut."""
        mention = "@" + "m" * 40 + "@example.social"
        with pytest.raises(FitError) as caught:
            split_thread(f"Thanks to {mention} for the report.", limit=40, measure=len)
        assert caught.value.measured > 40

    def test_a_limit_too_small_for_a_character_raises(self) -> None:
        """With X-like weights a CJK character counts 2; limit 1 cannot hold one."""
        with pytest.raises(FitError):
            split_thread("\u5730\u9707", limit=1, measure=x_like_length, numbered=False)

    def test_the_measure_decides_what_fits(self) -> None:
        """A 200-character link counts 23 under the X-like measure, so it fits at 50."""
        url = "https://example.com/" + "p" * 180
        text = f"Details: {url} and more words to come after it here."
        parts = split_thread(text, limit=50, measure=x_like_length)
        assert any(url in part for part in parts)
        assert all(x_like_length(part) <= 50 for part in parts)


# --------------------------------------------------------------------------- truncate


class TestTruncate:
    @settings(deadline=None)
    @given(texts(max_tokens=40), st.integers(1, 300), _measures)
    def test_result_is_within_the_limit_and_a_prefix(
        self, case: tuple[str, list[str]], limit: int, measure: Measure
    ) -> None:
        """The result fits, and without its ellipsis it is the start of the input."""
        text, _ = case
        result = truncate(text, limit=limit, measure=measure)
        assert measure(result) <= limit
        if measure(text) <= limit:
            assert result == text
            return
        body = result.removesuffix("\u2026")
        body = body[:-1] if body.endswith(" ") else body
        assert text.startswith(body)

    @settings(deadline=None)
    @given(texts(max_tokens=40), st.integers(1, 300), _measures)
    def test_never_cuts_inside_a_token_or_cluster(
        self, case: tuple[str, list[str]], limit: int, measure: Measure
    ) -> None:
        """The cut is on a cluster boundary and outside every link, mention and hashtag."""
        text, specials = case
        result = truncate(text, limit=limit, measure=measure)
        assume(result not in ("", text))
        cut = len(result.removesuffix("\u2026").rstrip(" "))
        assert cut in grapheme_boundaries(text)
        for token in set(specials):
            for match in re.finditer(re.escape(token), text):
                assert not match.start() < cut < match.end(), token

    @settings(deadline=None)
    @given(texts(max_tokens=40), st.integers(1, 300), _measures)
    def test_truncating_truncated_text_changes_nothing(
        self, case: tuple[str, list[str]], limit: int, measure: Measure
    ) -> None:
        """A result already fits, so truncating it again returns it as is."""
        text, _ = case
        once = truncate(text, limit=limit, measure=measure)
        assert truncate(once, limit=limit, measure=measure) == once

    def test_text_that_fits_is_unchanged(self) -> None:
        """Even surrounding whitespace is kept when the text fits."""
        assert truncate("  short  ", limit=20, measure=len) == "  short  "

    def test_cuts_at_a_word_and_drops_trailing_punctuation(self) -> None:
        """ "investigating," loses its comma before the ellipsis."""
        text = "We are investigating, and we will post again within the hour."
        assert truncate(text, limit=23, measure=len) == "We are investigating\u2026"

    def test_ellipsis_after_a_link_is_set_apart(self) -> None:
        """A link at the cut gets a space before the ellipsis so it is not read as part of it."""
        text = "Status: https://status.example.com/incidents/42 has all the details for you."
        result = truncate(text, limit=50, measure=len)
        assert result == "Status: https://status.example.com/incidents/42 \u2026"

    def test_a_single_long_word_is_cut_between_clusters(self) -> None:
        """No word fits whole, so the first word is cut, keeping clusters whole."""
        assert truncate("Supercalifragilistic", limit=8, measure=len) == "Superca\u2026"
        flags = "\U0001f1fa\U0001f1e6" * 10
        result = truncate(flags, limit=7, measure=len)
        assert result == "\U0001f1fa\U0001f1e6" * 3 + "\u2026"

    def test_an_uncuttable_link_leaves_only_the_ellipsis(self) -> None:
        """A link cannot be cut, so nothing of it is kept."""
        assert truncate("https://example.com/abcdef", limit=10, measure=len) == "\u2026"

    def test_no_room_for_the_ellipsis_gives_empty_text(self) -> None:
        """If even the ellipsis does not fit, nothing does."""
        assert truncate("Hello world", limit=2, measure=len, ellipsis="...") == ""

    def test_custom_ellipsis_is_measured(self) -> None:
        """The ellipsis counts toward the limit."""
        result = truncate("one two three four five", limit=12, measure=len, ellipsis=" [more]")
        assert result == "one [more]"


# --------------------------------------------------------------------------- fit_post


@st.composite
def section_lists(draw: st.DrawFn) -> list[Section]:
    """Sections with random texts, flags, priorities and separators."""
    count = draw(st.integers(0, 6))
    sections = []
    for index in range(count):
        text, _ = draw(texts(max_tokens=25))
        sections.append(
            Section(
                text=text,
                required=draw(st.booleans()),
                priority=draw(st.integers(0, 3)),
                name=f"s{index}",
                separator=draw(st.sampled_from(["\n\n", "\n", " ", " \u00b7 "])),
            )
        )
    return sections


def required_only(sections: Sequence[Section]) -> str:
    """The draft made of the required sections alone, assembled independently."""
    pieces: list[str] = []
    for section in sections:
        if section.required and section.text.strip():
            if pieces:
                pieces.append(section.separator)
            pieces.append(section.text.strip())
    return "".join(pieces)


class TestFitPost:
    @settings(deadline=None)
    @given(section_lists(), st.integers(30, 500), _measures)
    def test_required_sections_are_kept_whole_or_refused(
        self, sections: list[Section], limit: int, measure: Measure
    ) -> None:
        """Either the post fits with every required section in full and in order,
        or FitError reports the required-only draft's length."""
        refusal: FitError | None = None
        try:
            post = fit_post(sections, limit=limit, measure=measure, channel="sms")
        except FitError as error:
            refusal = error
        if refusal is not None:
            assert refusal.channel == "sms"
            assert refusal.limit == limit
            assert refusal.measured == measure(required_only(sections))
            assert refusal.measured > limit
            return
        assert measure(post) <= limit
        cursor = 0
        for section in sections:
            if section.required and section.text.strip():
                found = post.find(section.text.strip(), cursor)
                assert found >= 0, section.name
                cursor = found + len(section.text.strip())

    @settings(deadline=None)
    @given(section_lists(), st.integers(30, 500), _measures)
    def test_refuses_only_when_required_sections_cannot_fit(
        self, sections: list[Section], limit: int, measure: Measure
    ) -> None:
        """If the required sections fit together, a post is always produced."""
        assume(measure(required_only(sections)) <= limit)
        fit_post(sections, limit=limit, measure=measure)

    @settings(deadline=None)
    @given(section_lists(), st.integers(30, 500), _measures)
    def test_fitting_fitted_text_changes_nothing(
        self, sections: list[Section], limit: int, measure: Measure
    ) -> None:
        """Fitting a produced post again, as one section, returns it unchanged."""
        try:
            post = fit_post(sections, limit=limit, measure=measure)
        except FitError:
            assume(False)
            return
        assert fit_post([Section(text=post)], limit=limit, measure=measure) == post

    def test_sections_are_joined_with_their_separators(self) -> None:
        """Empty sections are skipped and do not add separators."""
        sections = [
            Section(text=" Title "),
            Section(text="   "),
            Section(text="Body", separator=" - "),
            Section(text="#tag", separator="\n"),
        ]
        assert fit_post(sections, limit=100, measure=len) == "Title - Body\n#tag"

    def test_lowest_priority_is_dropped_first(self) -> None:
        """Of two optional sections, the lower-priority one goes, whatever its position."""
        sections = [
            Section(text="Required headline.", required=True),
            Section(text="low " * 5, priority=0),
            Section(text="high " * 5, priority=2),
        ]
        post = fit_post(sections, limit=50, measure=len)
        assert post == "Required headline.\n\nhigh high high high high"

    def test_among_equal_priorities_the_later_is_dropped_first(self) -> None:
        """Ties drop the later section, keeping the earlier one."""
        sections = [
            Section(text="Headline.", required=True),
            Section(text="first extra", priority=1),
            Section(text="second extra", priority=1),
        ]
        assert fit_post(sections, limit=25, measure=len) == "Headline.\n\nfirst extra"

    def test_the_last_dropped_section_comes_back_trimmed(self) -> None:
        """Dropping the body freed room: the body returns cut at a word, with an ellipsis."""
        sections = [
            Section(text="Water main break on Elm St.", required=True),
            Section(text="Crews are on site and expect to restore service by 6 pm tonight."),
        ]
        post = fit_post(sections, limit=60, measure=len)
        assert post == "Water main break on Elm St.\n\nCrews are on site and expect\u2026"

    def test_a_trim_keeping_too_few_words_is_not_used(self) -> None:
        """Two words are not worth the space; the section stays dropped."""
        sections = [
            Section(text="Headline here.", required=True),
            Section(text="Crews are on site and expect repairs soon."),
        ]
        assert fit_post(sections, limit=28, measure=len) == "Headline here."

    def test_order_is_kept_when_a_middle_section_is_trimmed(self) -> None:
        """The trimmed section goes back in its own place, not at the end."""
        sections = [
            Section(text="Top.", required=True),
            Section(text="one two three four five six seven eight nine ten"),
            Section(text="Bottom.", required=True),
        ]
        post = fit_post(sections, limit=40, measure=len)
        assert post.startswith("Top.\n\none two three")
        assert post.endswith("\u2026\n\nBottom.")
        assert len(post) <= 40

    def test_required_sections_that_do_not_fit_are_named(self) -> None:
        """The error names the required sections and measures them alone."""
        sections = [
            Section(text="x" * 30, required=True, name="headline"),
            Section(text="optional", name="extra"),
            Section(text="y" * 30, required=True, name="link"),
        ]
        with pytest.raises(FitError) as caught:
            fit_post(sections, limit=50, measure=len, channel="sms", unit="GSM characters")
        error = caught.value
        assert (error.channel, error.limit, error.measured) == ("sms", 50, 62)
        assert "'headline'" in str(error)
        assert "'link'" in str(error)
        assert "'extra'" not in str(error)

    def test_limit_must_be_positive(self) -> None:
        """A limit of zero is a programming error."""
        with pytest.raises(ValueError, match="limit"):
            fit_post([Section(text="x")], limit=0, measure=len)


# --------------------------------------------------------------------------- protected_spans


class TestProtectedSpans:
    @pytest.mark.parametrize(
        ("text", "tokens"),
        [
            ("See https://status.example.com/x.", ["https://status.example.com/x"]),
            (
                "(https://en.wikipedia.org/wiki/Foo_(bar))",
                ["https://en.wikipedia.org/wiki/Foo_(bar)"],
            ),
            ("go to www.example.org, now", ["www.example.org"]),
            ("example.org/status!", ["example.org/status"]),
            ("ping @ops and @ops@hachyderm.io.", ["@ops", "@ops@hachyderm.io"]),
            ("thanks @alice.bsky.social!", ["@alice.bsky.social"]),
            ("#outage #\u5730\u9707 update", ["#outage", "#\u5730\u9707"]),
            ("https://x.com/a#frag", ["https://x.com/a#frag"]),
            ("mail help@example.com or see e.g. the FAQ", []),
            ("no tokens at all. Not example.org either", []),
        ],
    )
    def test_finds_links_mentions_and_hashtags(self, text: str, tokens: list[str]) -> None:
        """Each kind is found, without the sentence punctuation that follows it."""
        assert [text[start:end] for start, end in protected_spans(text)] == tokens

    @given(texts(max_tokens=40))
    def test_spans_are_ordered_disjoint_and_without_whitespace(
        self, case: tuple[str, list[str]]
    ) -> None:
        """Spans never overlap and never reach across whitespace."""
        text, specials = case
        spans = protected_spans(text)
        assert spans == sorted(spans)
        for (_, end), (start, _) in itertools.pairwise(spans):
            assert end <= start
        for start, end in spans:
            assert start < end
            assert not any(char.isspace() for char in text[start:end])
        for token in set(specials):
            for match in re.finditer(re.escape(token), text):
                assert any(start <= match.start() and match.end() <= end for start, end in spans), (
                    token
                )


@given(st.text(alphabet="\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029 a\t", max_size=12))
def test_line_breaks_count_crlf_once(gap: str) -> None:
    """Every line break counts once; a carriage return and line feed together count once."""
    from crisiscomms.fitting import _line_breaks

    breaks = "\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"
    expected = sum(
        1
        for index, char in enumerate(gap)
        if char in breaks and not (char == "\n" and index and gap[index - 1] == "\r")
    )
    assert _line_breaks(gap) == expected


_NO_SPACE_SCRIPT = regex.compile(r"[\p{Han}\p{Hiragana}\p{Katakana}\p{Hangul}\p{Thai}]")


def _extract_cases_in_no_space_scripts() -> list[Any]:
    """extract.yml's URL cases whose text is written in a script without spaces."""
    return [
        case
        for case in conformance_cases("extract.yml", "urls")
        if case.values[0] is None or _NO_SPACE_SCRIPT.search(case.values[0]["text"])
    ]


class TestLinksInTextWithoutSpaces:
    """A URL written straight into Japanese, Chinese or Korean text ends where
    twitter-text's URL grammar ends it, so the text around it can be broken."""

    @pytest.mark.parametrize("case", _extract_cases_in_no_space_scripts())
    def test_protected_links_are_twitter_texts(self, case: dict[str, Any]) -> None:
        """Each URL twitter-text extracts is exactly a protected span: whole, and not
        running on into the text after it (spans never overlap)."""
        text = case["text"]
        spans = protected_spans(text)
        found = [text[start:end] for start, end in spans]
        for url in case["expected"]:
            assert url in found

    def test_japanese_announcement_with_inline_link_splits_for_x(self) -> None:
        """A Japanese thread whose link sits between two words, with no spaces, is split
        for X: the link stays whole and the cut falls in the Japanese text."""
        url = "https://status.example.com/incidents/42"
        text = (
            "サービス障害が発生しています。" * 8
            + f"詳しくは{url}をご覧ください。"
            + "復旧作業を進めています。" * 10
        )
        parts = split_thread(text, limit=280, measure=x_weighted_length, channel="x")
        assert len(parts) > 1
        assert all(x_weighted_length(part) <= 280 for part in parts)
        assert sum(url in part for part in parts) == 1
        assert "".join(re.sub(r" \d+/\d+$", "", part) for part in parts) == text

    @given(
        st.lists(
            st.sampled_from(["障害", "復旧", "しています", "。", "確認", "サービス"]), max_size=60
        ),
        st.sampled_from(
            [
                "https://status.example.com/incidents/42",
                "http://example.jp/a/b?lang=ja",
                "example.com/status",
                "www.example.org/path",
            ]
        ),
        st.lists(st.sampled_from(["障害", "復旧", "をご覧ください", "。", "詳細"]), max_size=60),
    )
    def test_inline_link_never_cut(self, before: list[str], url: str, after: list[str]) -> None:
        """Whatever Japanese surrounds an inline link, every X post is within 280 and
        the link appears whole in exactly one post."""
        text = "".join(before) + "詳しくは" + url + "を" + "".join(after)
        parts = split_thread(text, limit=120, measure=x_weighted_length, channel="x")
        assert all(x_weighted_length(part) <= 120 for part in parts)
        assert sum(url in part for part in parts) == 1
