"""compose_replies: a reply to every mention that answers what it asks, within limits."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from crisiscomms import Incident, Mention, Organization, compose_replies, get_channel
from crisiscomms.errors import ValidationError
from crisiscomms.replies import mention_form, read_mentions, summarize, summary_table
from crisiscomms.replies.scoring import read_labelled
from tests.conftest import EXAMPLES, incident_fields

ARTICLE_COUNT = 5_676  # replies Buffer's team sent on the day
CORPUS = Path(__file__).parent / "replies_corpus"
SNAPSHOT = CORPUS / "snapshot.txt"
# One mention of each family, answered for the snapshot of the wording.
SAMPLES = [
    ("@ana", "is my password safe??"),
    ("@ben", "what should I do now?"),
    ("@cat", "when is the next update"),
    ("@dev", "my account posted spam I never wrote"),
    ("@eve", "this is ridiculous, fix it"),
    ("@fin", "thanks for being so open"),
    ("@gus", "reporter at a daily paper, any statement?"),
    ("@hal", "I want compensation or we go to court"),
    ("@ivy", "follow me back!!"),
    ("@jo", "what happened?"),
    ("@kim", "UNACCEPTABLE. WHAT DO I DO"),
]


def handles(count: int) -> list[str]:
    return [f"@user{index:05d}" for index in range(count)]


def reply_for(incident: Incident, text: str, **options: object) -> str:
    (reply,) = compose_replies(incident, [{"handle": "@asker", "text": text}], **options)  # type: ignore[arg-type]
    return reply.parts[0]


class TestComposeReplies:
    def test_one_reply_per_mention_of_the_day(self, buffer_incident: Incident) -> None:
        """5,676 mentions get 5,676 unique replies within 280, each starting with its mention."""
        mentions = handles(ARTICLE_COUNT)
        replies = compose_replies(buffer_incident, mentions)
        x = get_channel("x")
        assert len(replies) == ARTICLE_COUNT
        assert len({reply.parts[0] for reply in replies}) == ARTICLE_COUNT
        for handle, reply in zip(mentions, replies, strict=True):
            (text,) = reply.parts
            assert text.startswith(handle + " ")
            assert x.measure(text) <= 280
            assert buffer_incident.status_url in text

    def test_repeated_mentions_still_get_distinct_replies(self, buffer_incident: Incident) -> None:
        """The same person asking the same thing twenty times never gets the same text twice."""
        mention = {"handle": "@same", "text": "when is it fixed"}
        replies = compose_replies(buffer_incident, [mention] * 20)
        assert len({reply.parts[0] for reply in replies}) == 20

    def test_replies_vary_beyond_the_handle(self, buffer_incident: Incident) -> None:
        """Mentions asking the same kind of thing get several wordings, not one."""
        for text in ("is my data safe", "what should I do", "when is it fixed", "thanks!"):
            mentions = [{"handle": handle, "text": text} for handle in handles(60)]
            bodies = {
                r.parts[0].split(" ", 1)[1] for r in compose_replies(buffer_incident, mentions)
            }
            assert len(bodies) >= 3, text

    def test_is_deterministic(self, buffer_incident: Incident) -> None:
        """The same mentions give the same replies."""
        mentions = [{"handle": h, "text": t} for h, t in SAMPLES]
        first = [r.parts for r in compose_replies(buffer_incident, mentions)]
        assert first == [r.parts for r in compose_replies(buffer_incident, mentions)]

    def test_accepts_records_and_mappings(self, buffer_incident: Incident) -> None:
        """Mentions may be handles, Mention records or mappings; replies record whom they answer."""
        replies = compose_replies(
            buffer_incident,
            ["alice", Mention(handle="@bob", text="is this spam?", id="42"), {"handle": "@carol"}],
        )
        assert [reply.parts[0].split()[0] for reply in replies] == ["@alice", "@bob", "@carol"]
        assert replies[1].metadata["in_reply_to"] == "42"
        assert replies[1].metadata["mention_id"] == "42"

    def test_a_bad_mention_names_its_index(self, buffer_incident: Incident) -> None:
        """A handle with spaces is refused, naming which mention."""
        with pytest.raises(ValidationError) as caught:
            compose_replies(buffer_incident, ["@ok", "@not ok"])
        assert caught.value.field == "mentions[1].handle"

    def test_an_unknown_field_names_the_mention(self, buffer_incident: Incident) -> None:
        """A misspelt key in a mapping is refused rather than read as no text."""
        with pytest.raises(ValidationError) as caught:
            compose_replies(buffer_incident, [{"handle": "@a", "txt": "is my data safe"}])
        assert caught.value.field == "mentions[0].txt"

    def test_the_community_manager_answers_by_default(self, buffer_incident: Incident) -> None:
        """Replies come from the brand's account in the community manager's voice."""
        (reply,) = compose_replies(buffer_incident, ["@someone"])
        assert reply.voice == "community-manager"
        assert reply.account == "@buffer"
        assert reply.posted_by == "Carolyn"

    def test_replies_only_go_to_networks_with_replies(self, buffer_incident: Incident) -> None:
        """Asking for SMS replies is refused, naming the option."""
        with pytest.raises(ValidationError) as caught:
            compose_replies(buffer_incident, ["@a"], channel="sms")
        assert caught.value.field == "channel"

    @given(
        st.lists(
            st.tuples(st.from_regex(r"@[A-Za-z0-9_]{1,15}", fullmatch=True), st.text(max_size=280)),
            min_size=1,
            max_size=30,
        )
    )
    def test_every_reply_starts_with_its_mention_and_fits(
        self, mentions: list[tuple[str, str]]
    ) -> None:
        """For any handles and texts: one draft each, in order, answered ones unique and fitting."""
        from crisiscomms import load_incident

        incident = load_incident(EXAMPLES / "buffer-2013.toml")
        replies = compose_replies(incident, [{"handle": h, "text": t} for h, t in mentions])
        assert len(replies) == len(mentions)
        texts = [reply.parts[0] for reply in replies if reply.parts]
        assert len(set(texts)) == len(texts)
        for (handle, _), reply in zip(mentions, replies, strict=True):
            assert reply.metadata["handle"] == handle
            assert reply.metadata["intent"]
            assert isinstance(reply.metadata["needs_human"], bool)
            if reply.parts:
                assert reply.parts[0].startswith(handle + " ")
                assert get_channel("x").measure(reply.parts[0]) <= 280
                assert reply.lengths == (get_channel("x").measure(reply.parts[0]),)
            else:
                assert reply.metadata["intent"] == "unrelated"


class TestAnswers:
    def test_safety_says_what_is_not_affected(self, buffer_incident: Incident) -> None:
        """Is my password safe? gets the record's not-affected list."""
        text = reply_for(buffer_incident, "is my password safe?")
        assert "your Buffer password" in text
        assert "your billing details" in text

    def test_safety_without_the_facts_goes_to_a_person(self) -> None:
        """With nothing in the record about what is safe, no reassurance, and a person checks."""
        incident = Incident(**incident_fields(not_affected=[]))
        (reply,) = compose_replies(incident, [{"handle": "@a", "text": "is my card safe"}])
        assert reply.metadata["needs_human"]
        assert "safe" not in reply.parts[0].split(" ", 1)[1].lower().replace("safety", "")

    def test_action_and_affected_give_the_most_urgent_step(self, buffer_incident: Incident) -> None:
        """What should I do? and It happened to me both get the first user action."""
        first = buffer_incident.user_actions[0].rstrip(".")
        for text in ("what should I do??", "my account tweeted spam"):
            assert first.lower()[1:] in reply_for(buffer_incident, text).lower()

    def test_when_gives_the_next_update_with_its_day_and_the_link(
        self, buffer_incident: Incident
    ) -> None:
        """When is the next update? gets the time, the day and the link."""
        text = reply_for(buffer_incident, "when is the next update?")
        assert "3:00 pm PDT" in text
        assert "Saturday, October 26" in text
        assert text.endswith(buffer_incident.status_url)

    def test_when_after_the_fix_says_it_is_fixed(self, buffer_resolved: Incident) -> None:
        """Once resolved, when? is answered with when it was fixed, never a next update."""
        text = reply_for(buffer_resolved, "when will it be back?")
        assert "fixed" in text
        assert "Next update" not in text

    def test_angry_gets_the_apology_and_one_concrete_fact(self, buffer_incident: Incident) -> None:
        """An angry mention gets the voice's apology and something the record says is done."""
        text = reply_for(buffer_incident, "absolutely pathetic")
        assert "We're really sorry about this." in text
        assert any(
            step.rstrip(".")[1:] in text
            for step in (*buffer_incident.actions, *buffer_incident.user_actions)
        )
        assert "inconvenience" not in text

    def test_angry_asking_what_to_do_gets_both(self, buffer_incident: Incident) -> None:
        """The apology first, then the action."""
        text = reply_for(buffer_incident, "this is a joke!!! what do i do")
        assert text.index("sorry") < text.index(buffer_incident.user_actions[0][1:20])

    def test_thanks_is_short(self, buffer_incident: Incident) -> None:
        """A thank-you gets a short thanks back."""
        text = reply_for(buffer_incident, "thanks for the update!")
        answer = text.removeprefix("@asker ").removesuffix(buffer_incident.status_url)
        assert answer.lower().startswith("thank")
        assert len(answer) <= 60

    def test_press_and_legal_are_holding_lines_for_a_person(
        self, buffer_incident: Incident
    ) -> None:
        """A journalist or a lawyer gets a holding line, marked needs_human with a reason."""
        replies = compose_replies(
            buffer_incident,
            [
                {"handle": "@press", "text": "Reporter here, can you comment?"},
                {"handle": "@law", "text": "my lawyer will contact you about damages"},
            ],
        )
        for reply in replies:
            assert reply.metadata["needs_human"] is True
            assert reply.metadata["reason"]
            assert "sorry" not in reply.parts[0].lower()

    def test_press_gets_the_press_contact_from_the_record(self) -> None:
        """organization.press_email is named in replies to journalists."""
        org = Organization(
            name="Example", support_email="help@example.com", press_email="press@example.com"
        )
        incident = Incident(**incident_fields(organization=org))
        assert "press@example.com" in reply_for(incident, "journalist, any statement?")

    def test_unrelated_mentions_get_an_empty_draft_in_their_place(
        self, buffer_incident: Incident
    ) -> None:
        """Spam gets no reply, but a draft with no parts keeps the list lined up."""
        mentions = [
            {"handle": "@a", "text": "when?"},
            {"handle": "@spam", "text": "follow me back"},
        ]
        replies = compose_replies(buffer_incident, mentions)
        assert replies[1].parts == ()
        assert replies[1].metadata["intent"] == "unrelated"
        assert replies[1].metadata["handle"] == "@spam"

    def test_every_draft_carries_intent_and_needs_human(self, buffer_incident: Incident) -> None:
        """Every reply says what it answers and whether a person must see it."""
        for reply in compose_replies(
            buffer_incident, [{"handle": h, "text": t} for h, t in SAMPLES]
        ):
            assert {"intent", "intents", "needs_human", "reason", "in_reply_to"} <= set(
                reply.metadata
            )

    def test_the_answer_is_cut_only_with_a_person_to_check(self) -> None:
        """A user action too long for a post is shortened, and the reply marked for a person."""
        long_step = "Open the settings page and " + "check every connected account " * 12
        incident = Incident(**incident_fields(user_actions=[long_step]))
        (reply,) = compose_replies(incident, [{"handle": "@a", "text": "what do I do?"}])
        assert get_channel("x").measure(reply.parts[0]) <= 280
        assert reply.metadata["needs_human"]
        assert incident.status_url in reply.parts[0]

    def test_the_wording_matches_the_snapshot(self, buffer_incident: Incident) -> None:
        """The reply to one mention of each family reads as reviewed.

        Set CRISISCOMMS_UPDATE_SNAPSHOTS=1 to write the snapshot again after a wording change.
        """
        replies = compose_replies(buffer_incident, [{"handle": h, "text": t} for h, t in SAMPLES])
        lines = []
        for (handle, text), reply in zip(SAMPLES, replies, strict=True):
            meta = reply.metadata
            lines.append(f"> {handle} {text}")
            lines.append(f"[{meta['intent']}{' needs_human' if meta['needs_human'] else ''}]")
            lines.append(reply.parts[0] if reply.parts else "(no reply)")
            lines.append("")
        got = "\n".join(lines)
        if os.environ.get("CRISISCOMMS_UPDATE_SNAPSHOTS"):
            SNAPSHOT.write_text(got, encoding="utf-8")
        assert got == SNAPSHOT.read_text(encoding="utf-8")


class TestNetworks:
    @pytest.mark.parametrize(
        ("network", "handle", "written"),
        [
            ("x", "alice", "@alice"),
            ("mastodon", "@alice@mastodon.social", "@alice@mastodon.social"),
            ("mastodon", "alice", "@alice"),
            ("bluesky", "alice", "@alice.bsky.social"),
            ("bluesky", "@Alice.example.com", "@alice.example.com"),
            ("threads", "al.ice_", "@al.ice_"),
            ("threads", "@amy@example.social", "@amy@example.social"),
        ],
    )
    def test_mention_forms(self, network: str, handle: str, written: str) -> None:
        """Each network's reply writes the handle the way that network reaches the person."""
        assert mention_form("@" + handle.lstrip("@"), network) == written

    @pytest.mark.parametrize(
        ("network", "handle"),
        [("x", "@much_too_long_handle"), ("x", "@a.b"), ("mastodon", "@a@"), ("bluesky", "@-a")],
    )
    def test_bad_handles_are_refused(self, network: str, handle: str) -> None:
        """A handle the network does not allow is refused, naming the field."""
        with pytest.raises(ValidationError) as caught:
            mention_form(handle, network)
        assert caught.value.field == "handle"

    @pytest.mark.parametrize("network", ["x", "mastodon", "bluesky", "threads"])
    def test_replies_fit_each_network_counted_its_way(
        self, buffer_incident: Incident, network: str
    ) -> None:
        """Every family's reply on each network fits its limit, measured its way."""
        channel = get_channel(network)
        mentions = [{"handle": "@someone", "text": text, "network": network} for _, text in SAMPLES]
        for reply in compose_replies(buffer_incident, mentions):
            assert reply.channel == channel.name
            for part, length in zip(reply.parts, reply.lengths, strict=True):
                assert length == channel.measure(part) <= channel.limit

    def test_a_configured_server_limit_is_used(self) -> None:
        """A Mastodon server allowing 1,000 characters keeps a long answer whole."""
        from crisiscomms.channels.mastodon import MastodonChannel

        step = "Reconnect each of your accounts from the dashboard, one at a time, " * 8
        incident = Incident(**incident_fields(user_actions=[step]))
        mention = [{"handle": "@a", "text": "what do I do"}]
        (wide,) = compose_replies(incident, mention, channel=MastodonChannel(limit=1000))
        (narrow,) = compose_replies(incident, mention, channel="mastodon")
        assert wide.limit == 1000
        assert step.strip().rstrip(",") in wide.parts[0]  # closed with a full stop
        assert not wide.metadata["needs_human"]
        assert narrow.metadata["needs_human"]

    def test_payloads_answer_the_mention(self, buffer_incident: Incident) -> None:
        """The API request bodies reply to the mention's post; no reply has no body."""
        x, mastodon, spam = compose_replies(
            buffer_incident,
            [
                {"handle": "@a", "text": "eta?", "id": "5"},
                {"handle": "@b@m.social", "text": "eta?", "id": "99", "network": "mastodon"},
                {"handle": "@c", "text": "follow me back", "id": "7"},
            ],
        )
        assert x.to_payload()[0]["reply"]["in_reply_to_tweet_id"] == "5"
        assert mastodon.to_payload()[0]["in_reply_to_id"] == "99"
        assert spam.to_payload() == []

    def test_a_mention_answers_on_its_own_network(self, buffer_incident: Incident) -> None:
        """A Bluesky mention is answered on Bluesky whatever the default channel."""
        (reply,) = compose_replies(
            buffer_incident, [{"handle": "bob", "text": "eta?", "network": "bluesky"}]
        )
        assert reply.channel == "bluesky"
        assert reply.parts[0].startswith("@bob.bsky.social ")
        assert reply.metadata["network"] == "bluesky"

    def test_bluesky_counts_graphemes_of_a_long_answer(self) -> None:
        """A long answer is fitted to Bluesky's 300 graphemes, link kept."""
        step = "Reconnect each of your accounts from the dashboard, one at a time, " * 5
        incident = Incident(**incident_fields(user_actions=[step]))
        (reply,) = compose_replies(
            incident, [{"handle": "@a", "text": "what do I do"}], channel="bluesky"
        )
        assert get_channel("bluesky").measure(reply.parts[0]) <= 300
        assert reply.parts[0].endswith(incident.status_url)


class TestMentionsFile:
    def test_reads_json_lines(self, tmp_path: Path) -> None:
        """Each line is a mention; numbers as ids are kept as text; blank lines skipped."""
        path = tmp_path / "m.jsonl"
        path.write_text(
            '{"handle": "@a", "text": "hi", "id": 7}\n\n{"handle": "b", "network": "twitter"}\n',
            encoding="utf-8",
        )
        first, second = read_mentions(path)
        assert first.id == "7"
        assert second.handle == "@b"
        assert second.network == "x"

    @pytest.mark.parametrize(
        ("line", "field"),
        [
            ('{"text": "no handle"}', "handle"),
            ('{"handle": "@a", "network": "myspace"}', "network"),
            ('{"handle": "@a", "text": 5}', "text"),
            ('{"handle": "@a", "txt": "x"}', "txt"),
            ('{"handle": "@a b"}', "handle"),
        ],
    )
    def test_a_bad_line_names_the_file_line_and_field(
        self, tmp_path: Path, line: str, field: str
    ) -> None:
        """A refused line says where it is and what is wrong."""
        path = tmp_path / "m.jsonl"
        path.write_text('{"handle": "@ok"}\n' + line + "\n", encoding="utf-8")
        with pytest.raises(ValidationError) as caught:
            read_mentions(path)
        assert caught.value.field == field
        assert f"{path}:2" in str(caught.value)


class TestSummary:
    def test_counts_by_intent_most_urgent_first(self, buffer_incident: Incident) -> None:
        """The summary counts replies, those for a person, and those left unanswered."""
        replies = compose_replies(buffer_incident, [{"handle": h, "text": t} for h, t in SAMPLES])
        summary = summarize(replies)
        assert list(summary)[:2] == ["legal", "press"]
        assert summary["legal"] == {"replies": 1, "needs_human": 1, "unanswered": 0}
        assert summary["unrelated"]["unanswered"] == 1
        assert sum(row["replies"] for row in summary.values()) == len(SAMPLES)
        table = summary_table(replies)
        assert table.splitlines()[-1].split()[:2] == ["total", str(len(SAMPLES))]


class TestRepliesArePublic:
    def test_private_details_stay_out_of_replies(self, buffer_incident: Incident) -> None:
        """A reply quoting the incident never carries an IP address from it."""
        leaky = attrs.evolve(
            buffer_incident,
            user_actions=("Stop traffic to 10.9.8.7 and reconnect your accounts.",),
        )
        texts = [text for _, text in read_labelled(CORPUS / "train.txt")][:60]
        mentions = [{"handle": f"@u{i}", "text": text} for i, text in enumerate(texts)]
        for reply in compose_replies(leaky, mentions):
            assert all("10.9.8.7" not in part for part in reply.parts)


def test_replies_link_where_the_other_drafts_do(buffer_incident: Incident) -> None:
    """At the post-mortem stage replies point to the post-mortem, as every post does."""
    postmortem = attrs.evolve(
        buffer_incident,
        stage="postmortem",
        resolved_at=buffer_incident.started_at + dt.timedelta(hours=5),
        postmortem_url="https://buffer.com/postmortem-2013",
    )
    replies = compose_replies(postmortem, ["@someone"])
    assert "https://buffer.com/postmortem-2013" in replies[0].text
    assert buffer_incident.status_url not in replies[0].text
