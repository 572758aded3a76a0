"""Platform payloads: each draft's request body matches the JSON Schema written from the
platform's reference, stays within its limits, and threads chain as replies."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Mapping
from functools import cache
from pathlib import Path
from typing import Any

import attrs
import jsonschema
import pytest
from hypothesis import given
from hypothesis import strategies as st

import crisiscomms
from crisiscomms import (
    Bundle,
    Component,
    ComponentStatus,
    Draft,
    Incident,
    compose,
    compose_replies,
    counting,
    post_thread,
)
from crisiscomms._validate import visible
from crisiscomms.errors import FitError, HeaderError, UnknownNameError, ValidationError
from crisiscomms.payloads import bluesky, reply_to, slack
from crisiscomms.testing import incidents, mixed_text, urls
from tests.conftest import incident_fields

SCHEMAS = Path(__file__).parent / "schemas"
WHEN = dt.datetime(2024, 5, 1, 9, 30, tzinfo=dt.timezone.utc)
# What the platforms without a default need; the other channels take none.
OPTIONS: Mapping[str, Mapping[str, Any]] = {
    "slack": {"channel": "C0123456789"},
    "linkedin": {"author": "urn:li:organization:5515715"},
    "bluesky": {"created_at": WHEN},
}
THREADS = ("x", "mastodon", "bluesky", "threads")


@cache
def schema(channel: str) -> dict[str, Any]:
    """The JSON Schema for one request body of ``channel``."""
    data: dict[str, Any] = json.loads((SCHEMAS / f"{channel}.json").read_text("utf-8"))
    return data


def validate(channel: str, payload: Any) -> None:
    """Validate ``payload`` (each body of a thread) against ``channel``'s schema."""
    bodies = payload if isinstance(payload, list) else [payload]
    if channel in THREADS:
        assert isinstance(payload, list)
    else:
        assert isinstance(payload, dict)
    for body in bodies:
        jsonschema.Draft202012Validator(schema(channel)).validate(body)
        json.dumps(body)  # JSON-ready: plain data only


def payload_of(draft: Draft) -> Any:
    return draft.to_payload(**OPTIONS.get(draft.channel, {}))


@pytest.fixture(scope="module")
def bundle(buffer_incident: Incident) -> Bundle:
    """Every channel's draft of the Buffer incident, with two components."""
    incident = attrs.evolve(
        buffer_incident,
        components=[
            Component(name="Publishing", status="major_outage", id="cmp1"),
            Component(name="Analytics", status="degraded_performance"),
        ],
    )
    return compose(incident)


def incident(**overrides: Any) -> Incident:
    return Incident(**incident_fields(**overrides))


class TestSchemas:
    @pytest.mark.parametrize("channel", crisiscomms.available_channels())
    def test_every_channel_has_a_valid_schema(self, channel: str) -> None:
        """Each channel's schema is itself a valid 2020-12 JSON Schema."""
        jsonschema.Draft202012Validator.check_schema(schema(channel))

    @pytest.mark.parametrize("channel", crisiscomms.available_channels())
    def test_the_example_payload_validates(self, bundle: Bundle, channel: str) -> None:
        """The Buffer incident's payload for every channel matches its schema."""
        validate(channel, payload_of(bundle[channel]))

    def test_a_schema_refuses_a_wrong_body(self) -> None:
        """The schemas can fail: a status with an unknown visibility is refused."""
        with pytest.raises(jsonschema.ValidationError):
            validate("mastodon", [{"status": "hi", "visibility": "everyone"}])

    def test_an_unknown_channel_has_no_payload(self, bundle: Bundle) -> None:
        """A draft from a channel the library does not know raises UnknownNameError."""
        draft = attrs.evolve(bundle["x"], channel="myspace")
        with pytest.raises(UnknownNameError):
            draft.to_payload()


class TestX:
    def test_one_body_per_post_without_replies(self, bundle: Bundle) -> None:
        """Each part is one body's text; no body replies before it is published."""
        bodies = bundle["x"].to_payload()
        assert [body["text"] for body in bodies] == list(bundle["x"].parts)
        assert all("reply" not in body for body in bodies)

    def test_a_reply_draft_answers_its_mention(self) -> None:
        """A reply to a mention whose id is known carries in_reply_to_tweet_id."""
        (draft,) = compose_replies(incident(), [{"handle": "@amy", "id": "1346889436626259968"}])
        (body,) = draft.to_payload()
        assert body["reply"] == {"in_reply_to_tweet_id": "1346889436626259968"}
        validate("x", [body])

    def test_a_bad_post_id_is_refused(self, bundle: Bundle) -> None:
        """An id that is not digits is refused, naming in_reply_to."""
        with pytest.raises(ValidationError) as caught:
            bundle["x"].to_payload(in_reply_to="12ab")
        assert caught.value.field == "in_reply_to"


class TestMastodon:
    def test_visibility_and_language(self, bundle: Bundle) -> None:
        """The options reach every body; a regional tag is sent as its language."""
        bodies = bundle["mastodon"].to_payload(visibility="unlisted", language="pt-BR")
        assert {(b["visibility"], b["language"]) for b in bodies} == {("unlisted", "pt")}

    @pytest.mark.parametrize(("option", "value"), [("visibility", "all"), ("language", "e n")])
    def test_a_bad_option_names_its_field(self, bundle: Bundle, option: str, value: str) -> None:
        """A visibility or language Mastodon does not know is refused by name."""
        with pytest.raises(ValidationError) as caught:
            bundle["mastodon"].to_payload(**{option: value})
        assert caught.value.field == option

    def test_a_content_warning_is_sent_when_the_record_asks(self, bundle: Bundle) -> None:
        """spoiler_text appears on every post only when the record has a warning, and
        every post leaves room for it."""
        assert all("spoiler_text" not in b for b in bundle["mastodon"].to_payload())
        record = attrs.evolve(bundle.incident, content_warning="Security  incident")
        draft = compose(record, channels=["mastodon"])["mastodon"]
        bodies = draft.to_payload()
        assert {b["spoiler_text"] for b in bodies} == {"Security incident"}
        cost = counting.mastodon_length("Security incident")
        assert all(counting.mastodon_length(b["status"]) + cost <= 500 for b in bodies)
        validate("mastodon", bodies)

    @pytest.mark.parametrize(
        ("channel", "field"), [("mastodon", "in_reply_to_id"), ("threads", "reply_to_id")]
    )
    def test_a_reply_draft_answers_its_mention(self, channel: str, field: str) -> None:
        """A reply drafted for a mention with an id replies to that post."""
        (draft,) = compose_replies(
            incident(), [{"handle": "@amy@example.social", "id": "1099"}], channel=channel
        )
        (body,) = draft.to_payload()
        assert body[field] == "1099"
        validate(channel, [body])

    def test_the_warning_withholds_private_details(self) -> None:
        """The content warning is public text: private patterns are withheld from it."""
        record = incident(content_warning="Breach SEC-42", private_patterns=[r"SEC-\d+"])
        bodies = compose(record, channels=["mastodon"])["mastodon"].to_payload()
        assert all("SEC-42" not in body["spoiler_text"] for body in bodies)
        assert all(body["spoiler_text"].startswith("Breach") for body in bodies)

    def test_a_warning_that_breaks_the_limit_raises(self, bundle: Bundle) -> None:
        """Mastodon counts the warning with the status, so a long one raises FitError."""
        with pytest.raises(FitError) as caught:
            bundle["mastodon"].to_payload(spoiler_text="w" * 400)
        assert caught.value.measured > caught.value.limit


class TestBluesky:
    def test_records_carry_type_time_and_language(self, bundle: Bundle) -> None:
        """Each record has $type, the given createdAt in UTC with Z, and langs."""
        records = bundle["bluesky"].to_payload(
            created_at=dt.datetime(
                2024, 5, 1, 11, 30, 5, 250000, tzinfo=dt.timezone(dt.timedelta(hours=2))
            ),
            language="de",
        )
        assert {r["$type"] for r in records} == {"app.bsky.feed.post"}
        assert {r["createdAt"] for r in records} == {"2024-05-01T09:30:05.250Z"}
        assert all(r["langs"] == ["de"] for r in records)

    def test_a_naive_time_is_refused(self, bundle: Bundle) -> None:
        """createdAt needs a timezone; a naive datetime names created_at."""
        with pytest.raises(ValidationError) as caught:
            bundle["bluesky"].to_payload(created_at=dt.datetime(2024, 5, 1))
        assert caught.value.field == "created_at"

    def test_facets_slice_the_utf8_bytes(self) -> None:
        """Link, tag and mention facets index the UTF-8 bytes of what they mark."""
        text = "Ça dure 🔥 #Outage, voir https://status.example.com/x. @alice.bsky.social merci"
        facets = bluesky.facets(text, dids={"@Alice.bsky.social": "did:plc:abc123"})
        data = text.encode("utf-8")
        marked = [data[f["index"]["byteStart"] : f["index"]["byteEnd"]].decode() for f in facets]
        assert marked == ["#Outage", "https://status.example.com/x", "@alice.bsky.social"]
        features = [f["features"][0] for f in facets]
        assert features[0] == {"$type": "app.bsky.richtext.facet#tag", "tag": "Outage"}
        assert features[1]["uri"] == "https://status.example.com/x"
        assert features[2] == {"$type": "app.bsky.richtext.facet#mention", "did": "did:plc:abc123"}

    def test_a_tag_keeps_its_emoji_but_not_its_punctuation(self) -> None:
        """Only punctuation ends a tag early; an emoji is part of it."""
        (facet,) = bluesky.facets("Hot: #fire\U0001f525! now")
        assert facet["features"][0]["tag"] == "fire\U0001f525"
        assert facet["index"] == {"byteStart": 5, "byteEnd": 14}

    def test_a_handle_without_a_did_gets_no_facet(self) -> None:
        """A mention needs a DID; without one the handle stays plain text."""
        assert bluesky.facets("thanks @bob.example.com") == []

    @pytest.mark.parametrize("text", ["#1 first", "a#tag", "# alone", "#!!"])
    def test_what_is_not_a_hashtag(self, text: str) -> None:
        """Digits only, a # inside a word, and a bare # are not tags."""
        assert bluesky.facets(text) == []

    def test_a_bad_did_names_the_handle(self) -> None:
        """A DID that is not did:method:id is refused, naming the handle."""
        with pytest.raises(ValidationError) as caught:
            bluesky.facets("@a.b.c", dids={"a.b.c": "plc:xyz"})
        assert caught.value.field == "dids.a.b.c"

    def test_a_reply_carries_root_and_parent(self) -> None:
        """reply() takes (uri, cid) pairs or createRecord responses as references."""
        root = ("at://did:plc:a/app.bsky.feed.post/1", "cidroot")
        parent = {"uri": "at://did:plc:a/app.bsky.feed.post/2", "cid": "cidparent"}
        body = bluesky.reply({"text": "t"}, parent=parent, root=root)
        assert body["reply"] == {
            "root": {"uri": root[0], "cid": root[1]},
            "parent": {"uri": parent["uri"], "cid": parent["cid"]},
        }

    @pytest.mark.parametrize("ref", ["at://x", ("https://x", "cid"), ("at://x", "")])
    def test_a_bad_reference_is_refused(self, ref: Any) -> None:
        """A reference must be an at:// URI and a CID."""
        with pytest.raises(ValidationError):
            bluesky.strong_ref(ref)


class TestSlack:
    def test_text_fallback_and_blocks(self, bundle: Bundle) -> None:
        """The text is the whole alert; a header and sections show it in blocks."""
        body = bundle["slack"].to_payload(channel="#incidents")
        assert body["channel"] == "#incidents"
        assert body["text"] == bundle["slack"].parts[0]
        assert body["blocks"][0]["type"] == "header"
        assert body["blocks"][0]["text"]["text"].startswith("Critical incident, investigating:")
        assert {b["type"] for b in body["blocks"][1:]} == {"section"}

    def test_no_channel_is_an_error_naming_it(self, bundle: Bundle) -> None:
        """Without channel= or a slack handle, the error names channel."""
        with pytest.raises(ValidationError) as caught:
            bundle["slack"].to_payload()
        assert caught.value.field == "channel"

    def test_a_long_title_is_shortened_in_the_header_only(self) -> None:
        """A header over 150 characters ends with an ellipsis; the section keeps it whole."""
        title = " ".join(["Checkout"] * 40)
        draft = compose(incident(title=title), channels=["slack"])["slack"]
        blocks = slack.blocks(draft.parts[0])
        header = blocks[0]["text"]["text"]
        assert len(header) <= slack.HEADER_LIMIT
        assert header.endswith("\u2026")
        assert title in blocks[1]["text"]["text"]

    def test_a_long_paragraph_is_split_outside_links(self) -> None:
        """Sections hold at most 3,000 characters and never cut a link or an entity."""
        link = "<https://status.example.com/a|status>"
        text = "*Title*\n\n" + " ".join(f"word&amp;{i} {link}" for i in range(400))
        sections = [b["text"]["text"] for b in slack.blocks(text)[1:]]
        assert len(sections) > 1
        for section in sections:
            assert counting.utf16_length(section) <= slack.SECTION_LIMIT
            assert section.count("<") == section.count(">")
            assert not section.endswith("&")
            assert not section.startswith("amp;")
        assert "".join("".join(sections).split()) == "".join(text.split("\n", 1)[1].split())

    def test_plain_undoes_mrkdwn(self) -> None:
        """Links read as their labels, emphasis and entities are undone."""
        assert slack.plain("*Bold* _it_ <https://a.example|site> &lt;!channel&gt; a_b") == (
            "Bold it site <!channel> a_b"
        )


class TestStatuspage:
    def test_components_are_keyed_by_id(self, bundle: Bundle) -> None:
        """Components with an id carry their status; one without is left out."""
        incident_body = bundle["statuspage"].to_payload()["incident"]
        assert incident_body["components"] == {"cmp1": "major_outage"}
        assert incident_body["component_ids"] == ["cmp1"]
        assert incident_body["impact_override"] == "critical"
        assert incident_body["status"] == "investigating"
        assert incident_body["name"] == bundle["statuspage"].title

    def test_ids_can_be_given_by_name(self, bundle: Bundle) -> None:
        """component_ids={name: id} fills in the ids the record lacks."""
        body = bundle["statuspage"].to_payload(component_ids={"Analytics": "cmp2"})
        assert body["incident"]["components"] == {
            "cmp1": "major_outage",
            "cmp2": ComponentStatus.DEGRADED_PERFORMANCE.value,
        }

    def test_a_postmortem_is_on_a_resolved_incident(self) -> None:
        """The post-mortem stage is sent as Statuspage's resolved status."""
        draft = compose(
            incident(stage="postmortem", postmortem_url="https://example.com/pm"),
            channels=["statuspage"],
        )["statuspage"]
        assert draft.to_payload()["incident"]["status"] == "resolved"

    def test_a_blank_id_names_the_component(self, bundle: Bundle) -> None:
        """An empty id in component_ids is refused by the component's name."""
        with pytest.raises(ValidationError) as caught:
            bundle["statuspage"].to_payload(component_ids={"Analytics": " "})
        assert caught.value.field == "component_ids.Analytics"


class TestSinglePosts:
    def test_facebook_links_the_first_url(self, bundle: Bundle) -> None:
        """The link preview is the first URL in the post unless told otherwise."""
        body = bundle["facebook"].to_payload()
        assert body["link"] == "https://status.buffer.com/incidents/2013-10-26"
        assert "link" not in bundle["facebook"].to_payload(link=False)
        with pytest.raises(ValidationError):
            bundle["facebook"].to_payload(link="javascript:alert(1)")

    def test_facebook_options(self, bundle: Bundle) -> None:
        """A given link replaces the found one; published=False keeps the post unpublished."""
        body = bundle["facebook"].to_payload(link="https://example.com/faq", published=False)
        assert (body["link"], body["published"]) == ("https://example.com/faq", False)
        validate("facebook", body)
        with pytest.raises(ValidationError) as caught:
            bundle["facebook"].to_payload(published="no")
        assert caught.value.field == "published"

    def test_linkedin_needs_an_author_urn(self, bundle: Bundle) -> None:
        """A handle is not an author; without a URN the error names author."""
        with pytest.raises(ValidationError) as caught:
            bundle["linkedin"].to_payload()
        assert caught.value.field == "author"

    def test_linkedin_commentary_is_little_text(self) -> None:
        """Reserved characters are escaped, so LinkedIn shows them as written."""
        draft = compose(incident(title="Checkout (EU) #down"), channels=["linkedin"])["linkedin"]
        body = draft.to_payload(author="urn:li:person:abc")
        assert "Checkout \\(EU\\) \\#down" in body["commentary"]
        assert counting.utf16_length(body["commentary"]) <= 3000

    def test_sms_reports_its_encoding(self, bundle: Bundle) -> None:
        """The SMS payload's body is the draft, in one segment."""
        body = bundle["sms"].to_payload()
        assert body["body"] == bundle["sms"].parts[0]
        assert body["segments"] == 1

    def test_email_addresses_are_checked(self, bundle: Bundle) -> None:
        """Recipients are listed; one with a line break raises HeaderError naming to."""
        body = bundle["email"].to_payload(to=["Ann <ann@example.com>", "bo@example.com"])
        assert body["to"] == [
            {"name": "Ann", "email": "ann@example.com"},
            {"name": "", "email": "bo@example.com"},
        ]
        validate("email", body)
        with pytest.raises(HeaderError) as caught:
            bundle["email"].to_payload(to="a@example.com\nBcc: x@example.com")
        assert caught.value.field == "to"

    def test_email_sender_can_be_replaced(self, bundle: Bundle) -> None:
        """from_ and reply_to override the spokesperson and the support address."""
        body = bundle["email"].to_payload(
            from_="Status <status@example.com>", reply_to="help@example.com"
        )
        assert body["from"] == {"name": "Status", "email": "status@example.com"}
        assert body["reply_to"] == {"name": "", "email": "help@example.com"}


class FakePoster:
    """Publishes in memory: records each body and hands back a new id."""

    def __init__(self, make_id: Callable[[int], Any]) -> None:
        self.bodies: list[dict[str, Any]] = []
        self.make_id = make_id

    def __call__(self, body: dict[str, Any]) -> Any:
        self.bodies.append(body)
        return self.make_id(len(self.bodies))


class TestPostThread:
    @pytest.mark.parametrize(
        ("channel", "field"),
        [("x", "reply"), ("mastodon", "in_reply_to_id"), ("threads", "reply_to_id")],
    )
    def test_each_post_replies_to_the_one_before(
        self, bundle: Bundle, channel: str, field: str
    ) -> None:
        """Posts go out in order; each after the first replies to the previous id."""
        poster = FakePoster(lambda n: str(1000 + n))
        ids = post_thread(bundle[channel], poster)
        draft = bundle[channel]
        assert ids == [str(1001 + i) for i in range(len(draft.parts))]
        assert len(draft.parts) > 1
        assert field not in poster.bodies[0]
        for previous, body in zip(ids, poster.bodies[1:], strict=False):
            target = body[field]["in_reply_to_tweet_id"] if channel == "x" else body[field]
            assert target == previous
        validate(channel, poster.bodies)

    def test_bluesky_replies_name_the_root_and_the_parent(self, bundle: Bundle) -> None:
        """Every reply's root is the first post; its parent is the one before."""

        def ref(n: int) -> tuple[str, str]:
            return (f"at://did:plc:me/app.bsky.feed.post/{n}", f"cid{n}")

        poster = FakePoster(ref)
        refs = post_thread(bundle["bluesky"], poster, created_at=WHEN)
        assert refs == [ref(n) for n in range(1, len(bundle["bluesky"].parts) + 1)]
        for n, body in enumerate(poster.bodies[1:], start=1):
            assert body["reply"]["root"] == {"uri": refs[0][0], "cid": refs[0][1]}
            assert body["reply"]["parent"] == {"uri": refs[n - 1][0], "cid": refs[n - 1][1]}
        validate("bluesky", poster.bodies)

    def test_continuing_a_conversation(self, bundle: Bundle) -> None:
        """in_reply_to makes the first post a reply too."""
        poster = FakePoster(lambda n: str(n))
        post_thread(bundle["x"], poster, in_reply_to="77")
        assert poster.bodies[0]["reply"] == {"in_reply_to_tweet_id": "77"}

    def test_a_single_post_is_posted_once(self, bundle: Bundle) -> None:
        """A one-post channel goes out as its one body."""
        poster = FakePoster(lambda n: f"page_{n}")
        assert post_thread(bundle["facebook"], poster) == ["page_1"]
        assert poster.bodies == [bundle["facebook"].to_payload()]

    def test_a_single_post_cannot_reply(self, bundle: Bundle) -> None:
        """Channels without reply chaining refuse in_reply_to by name."""
        with pytest.raises(ValidationError) as caught:
            post_thread(bundle["facebook"], FakePoster(str), in_reply_to="1")
        assert caught.value.field == "in_reply_to"

    def test_a_poster_that_returns_nothing_stops_the_thread(self, bundle: Bundle) -> None:
        """Without an id the next post could not reply, so the thread stops."""
        poster = FakePoster(lambda n: None)
        with pytest.raises(ValidationError) as caught:
            post_thread(bundle["x"], poster)
        assert caught.value.field == "post"
        assert len(poster.bodies) == 1

    def test_a_failing_poster_says_what_was_posted(self, bundle: Bundle) -> None:
        """The poster's own error propagates, carrying the ids already published."""

        def flaky(body: dict[str, Any]) -> str:
            if "reply" in body and body["reply"]["in_reply_to_tweet_id"] == "2":
                raise ConnectionError("rate limited")
            return str(len(body["text"]) and 1 + ("reply" in body))

        with pytest.raises(ConnectionError) as caught:
            post_thread(bundle["x"], flaky)
        assert caught.value.posted == ["1", "2"]  # type: ignore[attr-defined]

    def test_reply_to_is_the_same_for_every_channel(self) -> None:
        """reply_to() attaches the platform's reply field without changing the body."""
        body = {"text": "hi"}
        assert reply_to("x", body, parent=5) == {
            "text": "hi",
            "reply": {"in_reply_to_tweet_id": "5"},
        }
        assert body == {"text": "hi"}


class TestAliases:
    @pytest.mark.parametrize("asked", [["x"], ["twitter"], ["Twitter"], None])
    def test_the_x_draft_answers_to_both_names(self, asked: list[str] | None) -> None:
        """bundle['twitter'] and bundle['x'] are the same draft, however it was asked for."""
        bundle = compose(incident(), channels=asked)
        assert bundle["twitter"] is bundle["x"]
        assert "twitter" in bundle
        assert bundle.get("TWITTER") is bundle["x"]

    def test_only_canonical_names_are_listed(self) -> None:
        """Iterating a bundle gives each draft once, under its channel's name."""
        bundle = compose(incident(), channels=["twitter", "x"])
        assert list(bundle) == ["x"]
        assert len(bundle) == 1

    @pytest.mark.parametrize("name", ["myspace", "facebook"])
    def test_a_missing_draft_is_a_key_error(self, name: str) -> None:
        """An unknown name, or a channel not composed, raises KeyError as a mapping does."""
        bundle = compose(incident(), channels=["x"])
        with pytest.raises(KeyError):
            bundle[name]

    def test_twitter_is_listed_as_an_alias(self) -> None:
        """channel_aliases() and the unknown-channel error list 'twitter'."""
        assert crisiscomms.channel_aliases() == {"twitter": "x"}
        assert crisiscomms.get_channel("x").describe()["aliases"] == ["twitter"]
        with pytest.raises(UnknownNameError) as caught:
            crisiscomms.get_channel("twiter")
        assert "twitter" in caught.value.known


def _components() -> st.SearchStrategy[tuple[Component, ...]]:
    component = st.builds(
        Component,
        # Names need a visible character (records refuse only-invisible text).
        name=st.text(min_size=1, max_size=40).filter(visible),
        status=st.sampled_from(list(ComponentStatus)),
        id=st.none() | st.from_regex(r"[a-z0-9]{12}", fullmatch=True),
    )
    return st.lists(component, max_size=4).map(tuple)


@st.composite
def rich_incidents(draw: st.DrawFn) -> Incident:
    """Random incidents with components and an organization on every network."""
    base = draw(incidents(max_size=1200))
    return attrs.evolve(base, components=draw(_components()))


def _limits(channel: str, payload: Any) -> None:
    """Assert that ``payload`` is within the platform's own limits, measured its way."""
    if channel == "x":
        assert all(counting.x_weighted_length(b["text"]) <= 280 for b in payload)
    elif channel == "bluesky":
        for record in payload:
            text = record["text"]
            assert counting.grapheme_count(text) <= 300
            assert counting.utf8_length(text) <= 3000
    elif channel == "mastodon":
        assert all(counting.mastodon_length(b["status"]) <= 500 for b in payload)
    elif channel == "slack":
        assert len(payload["blocks"]) <= slack.MAX_BLOCKS
        for block in payload["blocks"]:
            limit = slack.HEADER_LIMIT if block["type"] == "header" else slack.SECTION_LIMIT
            assert counting.utf16_length(block["text"]["text"]) <= limit
    elif channel == "linkedin":
        assert counting.utf16_length(payload["commentary"]) <= 3000
    elif channel == "sms":
        assert counting.sms_segments(payload["body"]) == 1


class TestArbitraryIncidents:
    @given(rich_incidents())
    def test_every_payload_validates_and_stays_within_the_limits(self, record: Incident) -> None:
        """For any incident, every channel's payload matches its schema and its limits,
        and the status page is sent exactly the components with an id."""
        for channel in crisiscomms.available_channels():
            try:
                draft = compose(record, channels=[channel])[channel]
            except FitError:
                continue  # a documented refusal: the required facts cannot fit
            payload = payload_of(draft)
            validate(channel, payload)
            _limits(channel, payload)
            if channel == "statuspage":
                # The statuses as known at the latest entry: operational once
                # resolved, unless a closing entry set them.
                known = record.as_of().components
                expected = {c.id: c.status.value for c in known if c.id}
                assert payload["incident"]["components"] == expected

    @given(
        mixed_text(),
        st.dictionaries(
            st.sampled_from(["a.bsky.social", "b.example.com"]), st.just("did:plc:xyz")
        ),
    )
    def test_facets_mark_what_they_say_in_order(self, text: str, dids: dict[str, str]) -> None:
        """Facets are sorted, never overlap, and each byte slice is the link, tag or mention."""
        data = text.encode("utf-8")
        end = 0
        for facet in bluesky.facets(text, dids=dids):
            start, stop = facet["index"]["byteStart"], facet["index"]["byteEnd"]
            assert end <= start < stop
            end = stop
            marked = data[start:stop].decode("utf-8")
            feature = facet["features"][0]
            if feature["$type"].endswith("#link"):
                assert marked == feature["uri"]
            elif feature["$type"].endswith("#tag"):
                assert marked[1:] == feature["tag"]
                assert marked[0] in "#\uff03"
            else:
                assert marked.lower().lstrip("@") in dids

    @given(st.lists(st.one_of(mixed_text(max_words=30), urls()), min_size=1, max_size=40))
    def test_slack_blocks_keep_every_character(self, paragraphs: list[str]) -> None:
        """Sections stay within 3,000 and, with the header line, hold all the text."""
        text = "*Head*\n" + "\n\n".join(p for p in paragraphs if p.strip())
        blocks = slack.blocks(text)
        sections = [b["text"]["text"] for b in blocks if b["type"] == "section"]
        assert all(counting.utf16_length(s) <= slack.SECTION_LIMIT for s in sections)
        body = text.split("\n", 1)[1] if "\n" in text else ""
        assert "".join("".join(sections).split()) == "".join(body.split())
