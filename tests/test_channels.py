"""The seven newer channels: Mastodon, Bluesky, Threads, LinkedIn, SMS, Slack, Statuspage.

Each draft of both Buffer examples fits its channel as the channel measures it and
carries the facts; arbitrary incidents never give a post over the limit (or raise
the one documented :class:`~crisiscomms.errors.FitError`).
"""

from __future__ import annotations

import io
import re
from pathlib import Path

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from crisiscomms import Incident, Organization, Spokesperson, compose, counting, get_channel
from crisiscomms.channels import CHANNELS, Channel, Context, available_channels
from crisiscomms.channels.bluesky import link_facets
from crisiscomms.channels.linkedin import (
    LITTLE_TEXT_RESERVED,
    escape_little_text,
    unescape_little_text,
)
from crisiscomms.channels.mastodon import MastodonChannel
from crisiscomms.channels.slack import mrkdwn_escape, mrkdwn_link
from crisiscomms.channels.statuspage import TITLE_LIMIT
from crisiscomms.cli import main
from crisiscomms.drafts import Draft
from crisiscomms.errors import FitError
from crisiscomms.incident import Component, Team
from crisiscomms.templating import renderer
from crisiscomms.testing import assert_fits, incidents, printable_text
from crisiscomms.voice import resolve
from tests.conftest import EXAMPLES, incident_fields

NEW = ("mastodon", "bluesky", "threads", "linkedin", "sms", "slack", "statuspage")
THREADS = ("mastodon", "bluesky", "threads")
PUBLIC_NEW = tuple(name for name in NEW if name != "slack")


@pytest.fixture(scope="module", params=["investigating", "resolved"])
def example(
    request: pytest.FixtureRequest, buffer_incident: Incident, buffer_resolved: Incident
) -> Incident:
    return buffer_incident if request.param == "investigating" else buffer_resolved


def draft_of(incident: Incident, channel: str, **options: object) -> Draft:
    return compose(incident, channels=[channel], **options)[channel]  # type: ignore[arg-type]


def assert_within(draft: Draft) -> None:
    """Every part, measured again the channel's way, is within the limit and as recorded."""
    channel = get_channel(draft.channel)
    measured = tuple(channel.measure(part) for part in draft.parts)
    assert measured == draft.lengths
    assert all(length <= channel.limit for length in measured), (draft.channel, measured)
    assert draft.limit == channel.limit
    assert draft.unit == channel.unit


def context_for(incident: Incident) -> Context:
    """The context compose() builds, for drafting with a configured channel object."""
    org = incident.organization
    speaker = resolve(
        None,
        spokespeople=incident.spokespeople,
        default=incident.voice,
        organization=org.name,
        support_email=org.support_email,
    )
    return Context(
        incident=incident,
        speaker=speaker,
        voice=speaker.voice(organization=org.name),
        renderer=renderer(),
    )


def small_incident(**overrides: object) -> Incident:
    return Incident(**incident_fields(**overrides))


def check_arbitrary(incident: Incident, name: str) -> None:
    """Compose ``name`` for ``incident``: every part fits, or the documented FitError."""
    channel = get_channel(name)
    error: FitError | None = None
    try:
        bundle = compose(incident, channels=[name])
    except FitError as caught:
        error = caught
    if error is not None:
        # Documented for single-post channels only: their required sections alone
        # (for SMS, the status link alone) are over the limit.
        assert name not in THREADS
        assert (error.channel, error.limit, error.unit) == (name, channel.limit, channel.unit)
        assert error.measured > error.limit
        assert "required sections" in str(error)
        if name == "sms":
            assert counting.sms_segments(incident.status_url) > 1
        return
    assert_fits(bundle)
    assert_within(bundle[name])


class TestChannelTable:
    def test_every_channel_is_listed_in_order(self) -> None:
        """The ten channels, in the documented order."""
        assert available_channels() == [
            "email",
            "x",
            "facebook",
            "mastodon",
            "bluesky",
            "threads",
            "linkedin",
            "sms",
            "slack",
            "statuspage",
        ]

    @pytest.mark.parametrize("name", NEW)
    def test_each_declares_its_counting(self, name: str) -> None:
        """Each new channel names its network, limit, unit and counting rule."""
        channel = get_channel(name)
        assert channel.name == name
        assert channel.network
        assert channel.limit > 0
        assert channel.unit
        assert channel.counting
        assert channel.public is (name != "slack")

    def test_a_channel_object_stands_for_itself(self) -> None:
        """get_channel() returns a channel object it is given, so configured ones pass through."""
        configured = MastodonChannel(limit=1000)
        assert get_channel(configured) is configured

    @pytest.mark.parametrize("name", NEW)
    def test_is_deterministic(self, example: Incident, name: str) -> None:
        """The same incident gives the same parts and metadata."""
        first, second = draft_of(example, name), draft_of(example, name)
        assert first.parts == second.parts
        assert first.metadata == second.metadata
        assert first.title == second.title

    @pytest.mark.parametrize("name", NEW)
    def test_examples_draw_no_tone_findings(self, example: Incident, name: str) -> None:
        """The default wording draws no warning or error, in any voice."""
        for voice in ("founder", "ceo", "community-manager", "brand"):
            bundle = compose(example, channels=[name], voice=voice)
            assert [f for f in bundle.findings if f.level.value != "suggestion"] == []


class TestMastodon:
    def test_examples_fit(self, example: Incident) -> None:
        """Both examples draft within 500 as Mastodon counts."""
        assert_within(draft_of(example, "mastodon"))

    def test_first_post_has_headline_and_link(self, example: Incident) -> None:
        """The first post opens with the headline and carries the status link."""
        first = draft_of(example, "mastodon").parts[0]
        assert first.startswith(f"{example.stage.label}: {example.title}")
        assert example.status_url in first

    def test_says_what_users_should_do(self, example: Incident) -> None:
        """Every user action is in the thread."""
        text = " ".join(draft_of(example, "mastodon").parts)
        for action in example.user_actions:
            assert action in text

    def test_a_server_limit_is_configurable(self, buffer_incident: Incident) -> None:
        """A configured channel drafts to its own limit and leaves the table's alone."""
        roomy = get_channel("mastodon").with_limit(5000)  # type: ignore[attr-defined]
        assert roomy.limit == 5000
        assert get_channel("mastodon").limit == 500
        draft = roomy.draft(context_for(buffer_incident))
        assert draft.limit == 5000
        assert len(draft.parts) == 1
        tight = MastodonChannel(limit=200).draft(context_for(buffer_incident))
        assert all(counting.mastodon_length(part) <= 200 for part in tight.parts)

    @pytest.mark.parametrize("limit", [0, -5, 2.5, True, "500"])
    def test_a_bad_limit_is_refused(self, limit: object) -> None:
        """Only a positive whole number is a limit."""
        with pytest.raises(ValueError, match="positive whole number"):
            MastodonChannel(limit=limit)  # type: ignore[arg-type]

    def test_links_and_remote_mentions_count_short(self) -> None:
        """A URL counts 23 and @user@domain counts as @user."""
        channel = get_channel("mastodon")
        assert channel.measure("https://example.com/" + "a" * 100) == 23
        assert channel.measure("@buffer@mastodon.social") == len("@buffer")

    @given(incidents())
    def test_every_part_is_within_the_limit(self, incident: Incident) -> None:
        """Any incident gives a thread whose every post fits."""
        check_arbitrary(incident, "mastodon")


class TestBluesky:
    def test_examples_fit(self, example: Incident) -> None:
        """Both examples draft within 300 graphemes and 3,000 bytes a post."""
        draft = draft_of(example, "bluesky")
        assert_within(draft)
        for part in draft.parts:
            assert counting.grapheme_count(part) <= 300
            assert counting.utf8_length(part) <= 3000

    def test_first_post_has_the_link(self, example: Incident) -> None:
        """The status link is in the first post."""
        assert example.status_url in draft_of(example, "bluesky").parts[0]

    def test_every_link_has_a_facet(self, example: Incident) -> None:
        """One facet list per part; each facet's bytes are exactly its URL."""
        draft = draft_of(example, "bluesky")
        facets = draft.metadata["facets"]
        assert len(facets) == len(draft.parts)
        assert facets[0], "the first post's status link has a facet"
        for part, part_facets in zip(draft.parts, facets, strict=True):
            encoded = part.encode("utf-8")
            for facet in part_facets:
                index = facet["index"]
                (feature,) = facet["features"]
                assert feature["$type"] == "app.bsky.richtext.facet#link"
                assert encoded[index["byteStart"] : index["byteEnd"]].decode() == feature["uri"]
            assert part.count("https://") == len(part_facets)

    def test_facets_count_bytes_not_characters(self) -> None:
        """Emoji and CJK before a URL shift its offsets by their UTF-8 bytes."""
        text = "👨‍👩‍👧 障害 https://status.example.com/x. Then more"
        (facet,) = link_facets(text)
        start = len("👨‍👩‍👧 障害 ".encode())
        assert facet["index"] == {
            "byteStart": start,
            "byteEnd": start + len("https://status.example.com/x"),
        }
        assert facet["features"][0]["uri"] == "https://status.example.com/x"

    @given(
        st.lists(st.sampled_from(["日本語", "👍🏽", "e\u0301", "word", "🇯🇵", "\n"]), max_size=8),
        st.from_regex(
            r"https://[a-z]{1,12}\.(com|org)(/[A-Za-z0-9._~-]{1,10}){0,3}", fullmatch=True
        ),
        st.sampled_from(["", ".", ",", ")", " tail"]),
    )
    def test_facet_offsets_slice_out_the_url(self, prefix: list[str], url: str, after: str) -> None:
        """Whatever comes before a URL, its facet's byte offsets slice out exactly the URL."""
        text = " ".join(prefix) + " " + url + after
        facets = link_facets(text)
        assert [f["features"][0]["uri"] for f in facets] == [url]
        index = facets[0]["index"]
        assert text.encode()[index["byteStart"] : index["byteEnd"]] == url.encode()

    def test_both_limits_are_enforced(self) -> None:
        """300 graphemes fit; 301 do not; 3,001 bytes in under 300 graphemes do not."""
        channel = get_channel("bluesky")
        assert channel.fits("a" * 300)
        assert not channel.fits("a" * 301)
        family = "👨‍👩‍👧‍👦"  # one grapheme, 25 bytes
        heavy = family * 121  # 121 graphemes, 3,025 bytes
        assert counting.grapheme_count(heavy) < 300 < channel.measure(heavy)

    @given(incidents())
    def test_every_part_is_within_the_limit(self, incident: Incident) -> None:
        """Any incident gives a thread whose every post fits, with valid facets."""
        check_arbitrary(incident, "bluesky")
        draft = draft_of(incident, "bluesky")
        for part, part_facets in zip(draft.parts, draft.metadata["facets"], strict=True):
            for facet in part_facets:
                index = facet["index"]
                sliced = part.encode()[index["byteStart"] : index["byteEnd"]]
                assert sliced.decode() == facet["features"][0]["uri"]


class TestThreads:
    def test_examples_fit(self, example: Incident) -> None:
        """Both examples draft within Threads' 500, counted conservatively."""
        assert_within(draft_of(example, "threads"))

    def test_first_post_has_the_link(self, example: Incident) -> None:
        """The status link is in the first post."""
        assert example.status_url in draft_of(example, "threads").parts[0]

    def test_counts_emoji_high(self) -> None:
        """An emoji counts at least its UTF-16 units, and its bytes where more."""
        channel = get_channel("threads")
        assert channel.measure("🔥") >= 2
        assert channel.measure("👨‍👩‍👧‍👦") >= counting.utf16_length("👨‍👩‍👧‍👦")

    def test_posts_with_no_account_when_none_is_known(self) -> None:
        """Without a Threads handle the draft names no account rather than guessing one."""
        incident = small_incident(organization=Organization(name="Example", support_email="a@b.co"))
        assert draft_of(incident, "threads").account is None

    @given(incidents())
    def test_every_part_is_within_the_limit(self, incident: Incident) -> None:
        """Any incident gives a thread whose every post fits."""
        check_arbitrary(incident, "threads")


class TestLinkedIn:
    def test_examples_fit(self, example: Incident) -> None:
        """Both examples draft as one post within 3,000."""
        draft = draft_of(example, "linkedin")
        assert len(draft.parts) == 1
        assert_within(draft)

    def test_professional_register(self, example: Incident) -> None:
        """No hashtags; the apology; what users should do; signed with name and title."""
        text = draft_of(example, "linkedin").parts[0]
        assert "#" not in text
        assert "sorry" in text
        for action in example.user_actions:
            assert action in text
        assert text.endswith("Joel Gascoigne\nFounder, Buffer")
        assert example.status_url in text

    def test_little_text_is_the_escaped_post(self, example: Incident) -> None:
        """metadata["little_text"] is the post with each reserved character escaped."""
        draft = draft_of(example, "linkedin")
        little = draft.metadata["little_text"]
        assert little == escape_little_text(draft.parts[0])
        assert unescape_little_text(little) == draft.parts[0]
        assert "hello\\@buffer.com" in little

    def test_escapes_every_reserved_character(self) -> None:
        """Each of \\ | { } @ [ ] ( ) < > # * _ ~ gets a backslash."""
        assert set(LITTLE_TEXT_RESERVED) == set("\\|{}@[]()<>#*_~")
        assert escape_little_text("a(b)_c") == "a\\(b\\)\\_c"
        assert escape_little_text("\\") == "\\\\"

    @given(printable_text(max_size=200))
    def test_little_text_round_trips(self, text: str) -> None:
        """Unescaping the escaped text gives the text back, and no reserved character is bare."""
        escaped = escape_little_text(text)
        assert unescape_little_text(escaped) == text
        bare = re.sub(r"\\.", "", escaped, flags=re.DOTALL)
        assert not set(bare) & set(LITTLE_TEXT_RESERVED)

    def test_measure_counts_the_escapes(self) -> None:
        """The length is that of the text as sent, escapes included."""
        assert get_channel("linkedin").measure("(a)") == 5

    @given(incidents())
    def test_every_part_is_within_the_limit(self, incident: Incident) -> None:
        """Any incident gives a post that fits, or the documented FitError."""
        check_arbitrary(incident, "linkedin")


class TestSms:
    def test_examples_are_one_gsm7_segment(self, example: Incident) -> None:
        """Both examples fit one GSM-7 segment, with the link whole on its own line."""
        draft = draft_of(example, "sms")
        assert_within(draft)
        (text,) = draft.parts
        assert draft.lengths == (1,)
        assert draft.metadata == {"encoding": "gsm7", "units": counting.sms_units(text)}
        assert counting.sms_units(text) <= 160
        assert text.splitlines()[-1] == example.status_url

    def test_carries_headline_apology_and_next_update(self, buffer_incident: Incident) -> None:
        """The headline, the apology and the next update time all fit in the example."""
        text = draft_of(buffer_incident, "sms").parts[0]
        assert buffer_incident.title in text
        assert "sorry" in text
        assert "Next update by 3:00 pm PDT." in text

    def test_typography_is_replaced_to_stay_gsm7(self) -> None:
        """Curly quotes and dashes become GSM-7 ones when that makes the text GSM-7."""
        incident = small_incident(
            title="\u201cCheckout\u201d fails \u2014 payments\u2019 last step"
        )
        draft = draft_of(incident, "sms")
        (text,) = draft.parts
        assert draft.metadata["encoding"] == "gsm7"
        assert '"Checkout" fails - payments\' last step' in text
        assert counting.sms_units(text) <= 160

    def test_other_scripts_use_ucs2_and_keep_the_link(self) -> None:
        """Text that needs UCS-2 gives a 70-unit segment; the link stays whole."""
        incident = small_incident(
            title="決済障害",
            stage="resolved",
            status_url="https://s.example/1",
            voice="brand",
            spokespeople=[
                Spokesperson(name="Example", preset="brand", apology="申し訳ありません。")
            ],
        )
        draft = draft_of(incident, "sms")
        (text,) = draft.parts
        assert draft.metadata["encoding"] == "ucs2"
        assert "決済障害" in text
        assert "申し訳ありません。" in text
        assert counting.utf16_length(text) <= 70
        assert text.splitlines()[-1] == "https://s.example/1"

    def test_a_link_too_long_for_a_segment_is_an_error(self) -> None:
        """The link is never cut: one over a segment raises FitError with its details."""
        incident = small_incident(status_url="https://status.example.com/" + "a" * 200)
        with pytest.raises(FitError) as caught:
            compose(incident, channels=["sms"])
        error = caught.value
        assert (error.channel, error.limit, error.unit) == ("sms", 1, "segments")
        assert error.measured == 2

    @given(incidents())
    def test_every_part_is_within_the_limit(self, incident: Incident) -> None:
        """Any incident gives one segment ending in the link readers follow (the post-mortem's
        once it is announced), or the link alone is too long."""
        check_arbitrary(incident, "sms")
        announced = incident.updates[-1].stage if incident.updates else incident.stage
        link = incident.status_url
        if announced.value == "postmortem" and incident.postmortem_url:
            link = incident.postmortem_url
        if counting.sms_segments(link) == 1:
            text = draft_of(incident, "sms").parts[0]
            assert text.endswith(link)


class TestSlack:
    def test_examples_fit(self, example: Incident) -> None:
        """Both examples draft as one message within Slack's 40,000."""
        draft = draft_of(example, "slack")
        assert len(draft.parts) == 1
        assert_within(draft)

    def test_is_internal(self) -> None:
        """The alert is for the response team only."""
        assert get_channel("slack").public is False

    def test_names_every_role(self, example: Incident) -> None:
        """Spokesperson, approver, engineering lead and on call, with their people."""
        text = draft_of(example, "slack").parts[0]
        assert "Spokesperson: Joel Gascoigne, Founder" in text
        assert "Approver: Joel Gascoigne" in text
        assert "Engineering lead: Sunil Sadasivan" in text
        assert "On call: Sunil Sadasivan" in text

    def test_lists_who_posts_every_public_channel(self, example: Incident) -> None:
        """One line per public channel, with its responder or a visible gap."""
        text = draft_of(example, "slack").parts[0]
        lines = [line for line in text.splitlines() if line.startswith("• `")]
        names = [line.split("`")[1] for line in lines]
        public = [name for name in available_channels() if get_channel(name).public]
        assert names == public
        assert "• `x` as @joelgascoigne: Carolyn" in lines
        assert "• `sms`: _nobody named yet_" in lines

    def test_states_stage_severity_next_update_and_link(self, buffer_incident: Incident) -> None:
        """Severity, stage, the next update with its zone and the mrkdwn status link."""
        text = draft_of(buffer_incident, "slack").parts[0]
        assert text.startswith("*Critical incident, investigating:*")
        assert "3:00 pm PDT on Saturday, October 26" in text
        url = buffer_incident.status_url
        assert f"<{url}|{url.removeprefix('https://')}>" in text

    def test_incident_text_cannot_ping_or_inject_links(self) -> None:
        """<, > and & in incident text arrive as entities: no <!channel>, no fake link."""
        incident = small_incident(
            title="<!channel> checkout & <https://evil.example|login>",
            impact="a > b & c < d",
            team=Team(approver="<@U123>"),
        )
        text = draft_of(incident, "slack").parts[0]
        assert "<!channel>" not in text
        assert "<@U123>" not in text
        assert "&lt;!channel&gt; checkout &amp; &lt;https://evil.example|login&gt;" in text
        assert "a &gt; b &amp; c &lt; d." in text  # escaped, and in the case written
        # The only markup left is the template's own status link.
        assert re.findall(r"<[^>]*>", text) == [mrkdwn_link(incident.status_url)]

    def test_escape_and_link_helpers(self) -> None:
        """mrkdwn_escape escapes the three; a link URL cannot end its own markup early."""
        assert mrkdwn_escape("a & <b>") == "a &amp; &lt;b&gt;"
        assert mrkdwn_link("https://x.example/a?b=1&c=2", "status") == (
            "<https://x.example/a?b=1&amp;c=2|status>"
        )
        link = mrkdwn_link("https://x.example/p|q>r&s")
        assert link.startswith("<https://x.example/p%7Cq%3Er&amp;s|")
        assert link.count("<") == 1
        assert link.count(">") == 1

    @given(incidents())
    def test_every_part_is_within_the_limit(self, incident: Incident) -> None:
        """Any incident gives a message that fits, or the documented FitError."""
        check_arbitrary(incident, "slack")


class TestStatuspage:
    def test_examples_fit(self, example: Incident) -> None:
        """Both examples draft a title and one Markdown body within the limits."""
        draft = draft_of(example, "statuspage")
        assert len(draft.parts) == 1
        assert_within(draft)
        assert draft.title == example.title

    def test_body_carries_the_facts(self, example: Incident) -> None:
        """Stage, what users should do, the apology and the link are in the body."""
        body = draft_of(example, "statuspage").parts[0]
        # The stage is the update's status (metadata), so the body opens with the impact.
        assert body.startswith(example.impact)
        for action in example.user_actions:
            assert action in body
        assert "sorry" in body
        assert example.status_url in body

    def test_next_update_has_its_timezone(self, buffer_incident: Incident) -> None:
        """The next update is given with its time zone and date."""
        body = draft_of(buffer_incident, "statuspage").parts[0]
        assert "Next update by 3:00 pm PDT." in body  # the same day: no date needed

    def test_components_and_their_impact(self) -> None:
        """Each component is listed with its status, and recorded in the metadata."""
        incident = small_incident(
            components=[
                Component(name="API", status="major outage", id="c1"),
                Component(name="Dashboard_v2"),
            ]
        )
        draft = draft_of(incident, "statuspage")
        body = draft.parts[0]
        assert "- API: major outage" in body
        assert "- Dashboard\\_v2: degraded performance" in body
        assert draft.metadata == {
            "status": "investigating",
            "impact": "major",
            "components": [
                {"name": "API", "id": "c1", "status": "major_outage"},
                {"name": "Dashboard_v2", "id": None, "status": "degraded_performance"},
            ],
        }

    def test_a_long_title_is_shortened(self) -> None:
        """A title over 255 is cut at a word, with an ellipsis."""
        draft = draft_of(small_incident(title="word " * 100), "statuspage")
        assert draft.title is not None
        assert len(draft.title) <= TITLE_LIMIT
        assert draft.title.endswith("\u2026")

    def test_postmortem_is_a_resolved_status(self, buffer_resolved: Incident) -> None:
        """Statuspage has no post-mortem status; the incident stays resolved."""
        incident = attrs.evolve(
            buffer_resolved, stage="postmortem", postmortem_url="https://buffer.com/pm"
        )
        draft = draft_of(incident, "statuspage")
        assert draft.metadata["status"] == "resolved"
        assert "https://buffer.com/pm" in draft.parts[0]

    @given(incidents())
    def test_every_part_is_within_the_limit(self, incident: Incident) -> None:
        """Any incident gives a body that fits and a title within 255, or the documented error."""
        check_arbitrary(incident, "statuspage")
        try:
            draft = draft_of(incident, "statuspage")
        except FitError:
            return
        assert draft.title is not None
        assert counting.utf16_length(draft.title) <= TITLE_LIMIT


class TestCommandLine:
    def test_out_writes_a_file_for_every_channel(self, tmp_path: Path) -> None:
        """crisiscomms draft --out writes one text file per channel and the manifest."""
        out = tmp_path / "drafts"
        stdout, stderr = io.StringIO(), io.StringIO()
        code = main(
            ["draft", str(EXAMPLES / "buffer-2013.toml"), "--out", str(out)],
            stdout=stdout,
            stderr=stderr,
        )
        assert code == 0, stderr.getvalue()
        names = {path.name for path in out.iterdir()}
        assert {f"{name}.txt" for name in CHANNELS} <= names
        assert "manifest.json" in names
        assert "status.buffer.com" in (out / "sms.txt").read_text(encoding="utf-8")

    def test_channels_lists_the_new_ones(self) -> None:
        """crisiscomms channels lists every channel with its limit and counting."""
        stdout = io.StringIO()
        assert main(["channels"], stdout=stdout) == 0
        for name in NEW:
            channel: Channel = get_channel(name)
            unit = channel.unit[:-1] if channel.limit == 1 else channel.unit  # "1 segment"
            assert f"{name:<11} {channel.limit:>6} {unit}" in stdout.getvalue()
