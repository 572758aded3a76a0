"""Reading an edited draft back: posts split on --- lines, measured, and tone-checked."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from crisiscomms import Incident, compose, get_channel
from crisiscomms.errors import UnknownNameError, ValidationError
from crisiscomms.posts import OVER_LIMIT, SEPARATOR, check_posts, split_posts
from crisiscomms.testing import mixed_text

_POST = mixed_text(max_words=30).filter(
    lambda text: text.strip() == text and text and "---" not in text
)


class TestSplitPosts:
    @given(st.lists(_POST, min_size=1, max_size=6))
    def test_posts_joined_as_written_split_back(self, parts: list[str]) -> None:
        """What draft --out joins with the separator splits back into the same posts."""
        text = SEPARATOR.join(parts) + "\n"
        posts = split_posts(text, channel="x")
        assert [post.text for post in posts] == parts
        assert all(text[post.start : post.end] == post.text for post in posts)

    def test_a_single_post_channel_is_one_post(self) -> None:
        """Outside threads, a --- line is content (a Markdown rule), not a separator."""
        text = "Intro\n\n---\n\nMore"
        assert [post.text for post in split_posts(text, channel="statuspage")] == [text]

    def test_the_email_subject_is_read_apart(self) -> None:
        """Subject: starts the email file; the rest is the body."""
        posts = split_posts("Subject: Down: logins\n\nHello.\n", channel="email")
        assert [(post.kind, post.text) for post in posts] == [
            ("subject", "Down: logins"),
            ("post", "Hello."),
        ]


class TestCheckPosts:
    def test_a_drafted_thread_has_no_length_finding(self, buffer_incident: Incident) -> None:
        """The library's own draft, written and read back, is within the limit."""
        for channel in ("x", "mastodon", "bluesky", "threads", "sms", "facebook"):
            draft = compose(buffer_incident, channels=[channel])[channel]
            findings = check_posts(SEPARATOR.join(draft.parts), channel=channel)
            assert OVER_LIMIT not in {finding.rule for finding in findings}, channel

    @given(st.lists(_POST, min_size=1, max_size=4), st.integers(0, 3))
    def test_every_post_over_the_limit_and_only_those_is_an_error(
        self, parts: list[str], grow: int
    ) -> None:
        """Exactly the posts the channel measures over its limit get the error, on their part."""
        parts = [*parts]
        index = grow % len(parts)
        parts[index] = parts[index] + " " + "word " * 60
        channel = get_channel("x")
        findings = check_posts(SEPARATOR.join(parts), channel="x")
        over = {finding.part for finding in findings if finding.rule == OVER_LIMIT}
        expected = {i for i, part in enumerate(parts) if channel.measure(part.strip()) > 280}
        assert over == expected
        assert all(f.level.value == "error" for f in findings if f.rule == OVER_LIMIT)

    def test_tone_findings_point_into_their_post(self) -> None:
        """A tone finding's part and span locate the phrase in the post it is in."""
        text = SEPARATOR.join(["All fine here.", "Sorry for any inconvenience caused."])
        posts = split_posts(text, channel="x")
        (finding,) = [f for f in check_posts(text, channel="x") if "inconvenience" in f.rule]
        assert finding.part == 1
        assert "inconvenience" in posts[1].text[finding.start : finding.end]

    def test_names_match_in_any_case(self) -> None:
        """Voice, stage and severity are read in any case."""
        check_posts("Fixed.", channel="X", voice="Founder", stage="RESOLVED", severity="Minor")

    def test_bad_names_are_refused(self) -> None:
        """Unknown voices and stages are errors naming what was wrong."""
        with pytest.raises(UnknownNameError):
            check_posts("x", channel="x", voice="pirate")
        with pytest.raises(ValidationError, match="stage"):
            check_posts("x", channel="x", stage="exploded")
