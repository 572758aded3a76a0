"""compose_replies: a reply to every single mention, unique, on message and within limits."""

from __future__ import annotations

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from crisiscomms import Incident, Mention, compose_replies, get_channel
from crisiscomms.errors import ValidationError

ARTICLE_COUNT = 5_676  # replies Buffer's team sent on the day


def handles(count: int) -> list[str]:
    return [f"@user{index:05d}" for index in range(count)]


class TestComposeReplies:
    def test_one_reply_per_mention_of_the_day(self, buffer_incident: Incident) -> None:
        """5,676 mentions get 5,676 unique replies within 280, each starting with its mention."""
        mentions = handles(ARTICLE_COUNT)
        replies = compose_replies(buffer_incident, mentions)
        x = get_channel("x")
        assert len(replies) == ARTICLE_COUNT
        assert len({reply.parts[0] for reply in replies}) == ARTICLE_COUNT
        for handle, reply in zip(mentions, replies, strict=False):
            (text,) = reply.parts
            assert text.startswith(handle + " ")
            assert x.measure(text) <= 280
            assert buffer_incident.status_url in text

    def test_repeated_mentions_still_get_distinct_replies(self, buffer_incident: Incident) -> None:
        """The same person writing twenty times never gets the same text twice."""
        replies = compose_replies(buffer_incident, ["@same"] * 20)
        assert len({reply.parts[0] for reply in replies}) == 20

    def test_replies_vary_beyond_the_handle(self, buffer_incident: Incident) -> None:
        """Replies use several wordings, not one text with different handles."""
        replies = compose_replies(buffer_incident, handles(200))
        bodies = {reply.parts[0].split(" ", 1)[1] for reply in replies}
        assert len(bodies) >= 5

    def test_is_deterministic(self, buffer_incident: Incident) -> None:
        """The same mentions give the same replies."""
        mentions = handles(50)
        first = [r.parts for r in compose_replies(buffer_incident, mentions)]
        assert first == [r.parts for r in compose_replies(buffer_incident, mentions)]

    def test_accepts_records_and_mappings(self, buffer_incident: Incident) -> None:
        """Mentions may be handles, Mention records or mappings; replies record whom they answer."""
        replies = compose_replies(
            buffer_incident,
            ["alice", Mention(handle="@bob", text="is this spam?", id="42"), {"handle": "@carol"}],
        )
        assert [reply.parts[0].split()[0] for reply in replies] == ["@alice", "@bob", "@carol"]
        assert replies[1].metadata["mention_id"] == "42"

    def test_a_bad_mention_names_its_index(self, buffer_incident: Incident) -> None:
        """A handle with spaces is refused, naming which mention."""
        with pytest.raises(ValidationError) as caught:
            compose_replies(buffer_incident, ["@ok", "@not ok"])
        assert caught.value.field == "mentions[1].handle"

    def test_the_community_manager_answers_by_default(self, buffer_incident: Incident) -> None:
        """Replies come from the brand's account in the community manager's voice."""
        (reply,) = compose_replies(buffer_incident, ["@someone"])
        assert reply.voice == "community-manager"
        assert reply.account == "@buffer"
        assert reply.posted_by == "Carolyn"

    @given(st.lists(st.from_regex(r"@[A-Za-z0-9_]{1,15}", fullmatch=True), min_size=1, max_size=40))
    def test_every_reply_starts_with_its_mention_and_fits(self, mentions: list[str]) -> None:
        """For any list of handles: one reply each, starting with it, unique, within the limit."""
        from crisiscomms import load_incident
        from tests.conftest import EXAMPLES

        incident = load_incident(EXAMPLES / "buffer-2013.toml")
        replies = compose_replies(incident, mentions)
        assert len(replies) == len(mentions)
        assert len({reply.parts[0] for reply in replies}) == len(mentions)
        for mention, reply in zip(mentions, replies, strict=False):
            assert reply.parts[0].startswith(mention)
            assert get_channel("x").measure(reply.parts[0]) <= 280


class TestRepliesArePublic:
    def test_private_details_stay_out_of_replies(self, buffer_incident: Incident) -> None:
        """A reply quoting the incident never carries an IP address from it."""
        import attrs

        leaky = attrs.evolve(
            buffer_incident,
            user_actions=("Stop traffic to 10.9.8.7 and reconnect your accounts.",),
        )
        for reply in compose_replies(leaky, handles(40)):
            assert "10.9.8.7" not in reply.parts[0]


def test_replies_link_where_the_other_drafts_do(buffer_incident: Incident) -> None:
    """At the post-mortem stage replies point to the post-mortem, as every post does."""
    postmortem = attrs.evolve(
        buffer_incident,
        stage="postmortem",
        resolved_at=buffer_incident.started_at,
        postmortem_url="https://buffer.com/postmortem-2013",
    )
    replies = compose_replies(postmortem, ["@someone"])
    assert "https://buffer.com/postmortem-2013" in replies[0].text
    assert buffer_incident.status_url not in replies[0].text
