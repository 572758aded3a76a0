"""Fitting with every channel's own measure: the invariants users rely on, per channel."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from crisiscomms import available_channels, get_channel
from crisiscomms.errors import FitError
from crisiscomms.fitting import split_thread, truncate
from crisiscomms.testing import mixed_text, printable_text, urls

THREADS = ("x", "mastodon", "bluesky", "threads")
# Single-post channels whose limits a long text can reach in a test.
POSTS = ("email", "linkedin", "sms", "statuspage")
_NUMBER = re.compile(r" \d+/\d+$")

texts = st.one_of(mixed_text(max_words=150), printable_text(max_size=1500))


def _words(parts: tuple[str, ...]) -> list[str]:
    return " ".join(_NUMBER.sub("", part) for part in parts).split()


class TestThreadChannels:
    @pytest.mark.parametrize("name", THREADS)
    @given(text=texts)
    def test_every_part_is_within_the_limit(self, name: str, text: str) -> None:
        """Each post of a split measures within the channel's limit, numbering included."""
        channel = get_channel(name)
        try:
            parts = split_thread(text, limit=channel.limit, measure=channel.measure)
        except FitError as error:  # only an unbreakable token longer than a post
            measured, limit = error.measured, error.limit
            assert measured > limit
            return
        assert all(channel.measure(part) <= channel.limit for part in parts)

    @pytest.mark.parametrize("name", THREADS)
    @given(text=mixed_text(max_words=150))
    def test_words_come_back_complete_and_in_order(self, name: str, text: str) -> None:
        """Joining the posts (numbering aside) gives back the words of the text."""
        channel = get_channel(name)
        parts = split_thread(text, limit=channel.limit, measure=channel.measure)
        assert _words(parts) == text.split()

    @pytest.mark.parametrize("name", THREADS)
    @given(text=mixed_text(max_words=150), url=urls())
    def test_urls_are_intact(self, name: str, text: str, url: str) -> None:
        """A URL in the text stands whole in one post."""
        channel = get_channel(name)
        parts = split_thread(f"{text} {url} {text}", limit=channel.limit, measure=channel.measure)
        assert any(url in part for part in parts)

    @pytest.mark.parametrize("name", THREADS)
    @given(text=texts)
    def test_is_deterministic_and_idempotent(self, name: str, text: str) -> None:
        """The same text splits the same way, and a post that fits is left as it is."""
        channel = get_channel(name)
        try:
            parts = split_thread(text, limit=channel.limit, measure=channel.measure)
        except FitError:
            return
        assert parts == split_thread(text, limit=channel.limit, measure=channel.measure)
        if len(parts) == 1:
            assert split_thread(parts[0], limit=channel.limit, measure=channel.measure) == parts


class TestSinglePostChannels:
    @pytest.mark.parametrize("name", POSTS)
    @given(text=texts)
    def test_truncation_is_within_the_limit_and_a_prefix(self, name: str, text: str) -> None:
        """Trimming to a channel's limit gives a prefix of the text within the limit."""
        channel = get_channel(name)
        cut = truncate(text, limit=channel.limit, measure=channel.measure)
        assert channel.measure(cut) <= channel.limit
        assert text.startswith(cut.removesuffix("\u2026").rstrip())

    @pytest.mark.parametrize("name", POSTS)
    @given(text=texts)
    def test_trimming_a_trimmed_text_changes_nothing(self, name: str, text: str) -> None:
        """Fitting an already fitted text changes nothing."""
        channel = get_channel(name)
        cut = truncate(text, limit=channel.limit, measure=channel.measure)
        assert truncate(cut, limit=channel.limit, measure=channel.measure) == cut


def test_the_lists_name_real_channels() -> None:
    """Every channel named here exists."""
    assert set(THREADS) | set(POSTS) <= set(available_channels())
