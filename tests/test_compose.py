"""compose(): every channel's draft for both Buffer examples says what a good announcement says."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given

from crisiscomms import Bundle, EmailDraft, Incident, Spokesperson, compose, get_channel, markup
from crisiscomms.compose import prepare
from crisiscomms.errors import TemplateError, UnknownNameError, ValidationError
from crisiscomms.testing import assert_fits, incidents

MISSION = ("email", "x", "facebook")


def flat(text: str) -> str:
    """Whitespace collapsed, so wrapped lines compare with the facts."""
    return " ".join(text.split())


def whole(bundle: Bundle, channel: str) -> str:
    draft = bundle[channel]
    text = " ".join(draft.parts)
    # Thread numbering is not part of the words.
    return flat(re.sub(r" \d+/\d+$", "", text, flags=re.MULTILINE) if channel != "email" else text)


@pytest.fixture(scope="module", params=["investigating", "resolved"])
def example(
    request: pytest.FixtureRequest, buffer_incident: Incident, buffer_resolved: Incident
) -> Incident:
    return buffer_incident if request.param == "investigating" else buffer_resolved


class TestMissionChannels:
    @pytest.mark.parametrize("channel", MISSION)
    def test_headline_comes_first(self, example: Incident, channel: str) -> None:
        """The stage and title open the draft (the subject line, for the email)."""
        draft = compose(example, channels=[channel])[channel]
        first = draft.subject if isinstance(draft, EmailDraft) else draft.parts[0]
        assert first.startswith(f"{example.stage.label}: {example.title}")

    @pytest.mark.parametrize("channel", MISSION)
    def test_says_what_users_should_do(self, example: Incident, channel: str) -> None:
        """Every user action is in every draft, word for word."""
        text = whole(compose(example, channels=[channel]), channel)
        for action in example.user_actions:
            assert flat(action) in text

    @pytest.mark.parametrize("channel", MISSION)
    def test_says_what_is_not_affected(self, example: Incident, channel: str) -> None:
        """Everything not affected is named."""
        text = whole(compose(example, channels=[channel]), channel)
        for item in example.not_affected:
            assert item.lower() in text.lower()

    @pytest.mark.parametrize("channel", MISSION)
    def test_links_the_status_page(self, example: Incident, channel: str) -> None:
        """The status link, the one source of truth, is in every draft."""
        assert example.status_url in whole(compose(example, channels=[channel]), channel)

    @pytest.mark.parametrize("channel", MISSION)
    def test_next_update_time_has_its_timezone(self, example: Incident, channel: str) -> None:
        """While investigating, the next update is promised at 3:00 pm PDT; once resolved, never."""
        text = whole(compose(example, channels=[channel]), channel)
        if example.stage.is_open:
            assert "3:00 pm PDT" in text
        else:
            assert "Next update" not in text
            assert "fixed" in text

    @pytest.mark.parametrize("channel", MISSION)
    def test_apology_is_signed_by_the_spokesperson(self, example: Incident, channel: str) -> None:
        """The founder's apology and name are in every draft."""
        bundle = compose(example, channels=[channel])
        text = whole(bundle, channel)
        assert "I'm truly sorry." in text
        assert "Joel Gascoigne" in text

    def test_resolved_says_whether_data_was_lost_and_promises_an_account(
        self, buffer_resolved: Incident
    ) -> None:
        """On resolution every channel confirms recovery, data loss and the follow-up."""
        bundle = compose(buffer_resolved, channels=MISSION)
        for channel in MISSION:
            text = whole(bundle, channel)
            assert buffer_resolved.data_loss in text
            assert "full account" in text

    def test_every_post_is_within_its_limit(self, example: Incident) -> None:
        """Each part measures within the channel's limit, as recorded."""
        assert_fits(compose(example))


class TestVoices:
    @pytest.mark.parametrize("channel", MISSION)
    def test_voices_read_differently(self, buffer_incident: Incident, channel: str) -> None:
        """The founder and the brand produce different drafts: I against we, and the signature."""
        founder = whole(compose(buffer_incident, voice="founder", channels=[channel]), channel)
        brand = whole(compose(buffer_incident, voice="brand", channels=[channel]), channel)
        assert founder != brand
        assert "I'm truly sorry." in founder
        assert "We are sorry." in brand
        assert "The Buffer team" in brand

    def test_email_sender_follows_the_voice(self, buffer_incident: Incident) -> None:
        """The founder's email comes from the founder; the brand's from the company."""
        founder = compose(buffer_incident, voice="founder", channels=["email"])["email"]
        brand = compose(buffer_incident, voice="brand", channels=["email"])["email"]
        assert isinstance(founder, EmailDraft)
        assert isinstance(brand, EmailDraft)
        assert (founder.sender_name, founder.sender_email) == (
            "Joel Gascoigne at Buffer",
            "joel@buffer.com",
        )
        assert (brand.sender_name, brand.sender_email) == ("Buffer", "hello@buffer.com")

    def test_founder_posts_from_own_account(self, buffer_incident: Incident) -> None:
        """The founder posts the X thread from the founder's handle; the brand from its own."""
        assert (
            compose(buffer_incident, voice="founder", channels=["x"])["x"].account
            == "@joelgascoigne"
        )
        assert compose(buffer_incident, voice="brand", channels=["x"])["x"].account == "@buffer"

    def test_a_spokesperson_can_be_passed_directly(self, buffer_incident: Incident) -> None:
        """compose accepts a Spokesperson record."""
        person = Spokesperson(
            name="Ada Lovelace", title="Head of Support", preset="community-manager"
        )
        bundle = compose(buffer_incident, voice=person, channels=["facebook"])
        assert "Ada Lovelace" in whole(bundle, "facebook")

    def test_unknown_voice_is_refused(self, buffer_incident: Incident) -> None:
        """A voice name nobody defined is an UnknownNameError listing the known ones."""
        with pytest.raises(UnknownNameError, match="known"):
            compose(buffer_incident, voice="pirate")

    def test_an_unstaffed_singular_voice_is_refused(self, buffer_incident: Incident) -> None:
        """An I-voice with no named person fails rather than invent a signature."""
        import attrs

        bare = attrs.evolve(buffer_incident, spokespeople=())
        with pytest.raises(ValidationError) as caught:
            compose(bare, voice="founder")
        assert caught.value.field == "spokespeople"


class TestComposeOptions:
    def test_default_is_every_channel(self, buffer_incident: Incident) -> None:
        """Without channels, the bundle holds every available channel."""
        from crisiscomms import available_channels

        assert list(compose(buffer_incident)) == available_channels()

    def test_aliases_are_accepted(self, buffer_incident: Incident) -> None:
        """twitter is x."""
        assert list(compose(buffer_incident, channels=["twitter"])) == ["x"]

    def test_unknown_channel_is_refused(self, buffer_incident: Incident) -> None:
        """A channel name that does not exist is refused before anything is drafted."""
        with pytest.raises(UnknownNameError):
            compose(buffer_incident, channels=["myspace"])

    def test_is_deterministic(self, buffer_incident: Incident) -> None:
        """The same input gives identical drafts."""
        first = compose(buffer_incident).manifest()
        second = compose(buffer_incident).manifest()
        assert first == second

    def test_manifest_shape(self, buffer_incident: Incident) -> None:
        """The manifest has the documented keys."""
        manifest = compose(buffer_incident).manifest()
        assert {"incident", "voice", "drafts", "findings"} <= set(manifest)
        for draft in manifest["drafts"]:
            assert {"channel", "parts", "lengths", "limit", "unit"} <= set(draft)


class TestTemplateOverride:
    def test_one_user_file_overrides_one_packaged_file(
        self, tmp_path: Path, buffer_incident: Incident
    ) -> None:
        """A user's x/default.txt replaces the packaged one; the other channels are unchanged."""
        (tmp_path / "x").mkdir()
        (tmp_path / "x" / "default.txt").write_text("{{ incident.title }} -> {{ status_url }}")
        custom = compose(buffer_incident, template_dirs=[tmp_path], channels=["x", "facebook"])
        packaged = compose(buffer_incident, channels=["x", "facebook"])
        assert custom["x"].parts == (f"{buffer_incident.title} -> {buffer_incident.status_url}",)
        assert custom["facebook"].parts == packaged["facebook"].parts

    def test_a_template_error_names_the_file_and_line(
        self, tmp_path: Path, buffer_incident: Incident
    ) -> None:
        """A syntax error in a user template is a TemplateError with the file and line."""
        (tmp_path / "x").mkdir()
        (tmp_path / "x" / "default.txt").write_text("line one\n{% if %}\n")
        with pytest.raises(TemplateError) as caught:
            compose(buffer_incident, template_dirs=[tmp_path], channels=["x"])
        assert caught.value.line == 2
        assert "x/default.txt" in str(caught.value)

    def test_an_undefined_name_is_an_error_not_a_blank(
        self, tmp_path: Path, buffer_incident: Incident
    ) -> None:
        """StrictUndefined: a misspelt variable fails loudly."""
        (tmp_path / "x").mkdir()
        (tmp_path / "x" / "default.txt").write_text("{{ incident.titel }}")
        with pytest.raises(TemplateError, match="titel"):
            compose(buffer_incident, template_dirs=[tmp_path], channels=["x"])

    def test_templates_are_sandboxed(self, tmp_path: Path, buffer_incident: Incident) -> None:
        """A template cannot reach Python internals."""
        (tmp_path / "x").mkdir()
        (tmp_path / "x" / "default.txt").write_text("{{ incident.__class__.__init__.__globals__ }}")
        with pytest.raises(TemplateError):
            compose(buffer_incident, template_dirs=[tmp_path], channels=["x"])

    def test_a_missing_template_folder_is_refused(
        self, tmp_path: Path, buffer_incident: Incident
    ) -> None:
        """A template folder that does not exist is named in the error."""
        with pytest.raises(TemplateError, match="does not exist"):
            compose(buffer_incident, template_dirs=[tmp_path / "nope"])


class TestArbitraryIncidents:
    @given(incidents())
    def test_compose_raises_only_documented_errors_and_every_post_fits(
        self, incident: Incident
    ) -> None:
        """For any valid incident the mission channels compose (a thread and a long post
        always have room, so not even a CrisisCommsError is expected) and every post fits."""
        bundle = compose(incident, channels=MISSION)
        assert_fits(bundle)
        for part in bundle["x"].parts:
            assert get_channel("x").measure(part) <= 280


class TestConfiguredChannels:
    def test_a_configured_channel_stands_for_its_name(self, buffer_incident: Incident) -> None:
        """A Mastodon server with a 1000-character limit gets fewer, longer posts."""
        from crisiscomms.channels.mastodon import MastodonChannel

        default = compose(buffer_incident, channels=["mastodon"])["mastodon"]
        wide = compose(buffer_incident, channels=[MastodonChannel(limit=1000)])["mastodon"]
        assert wide.limit == 1000
        assert len(wide.parts) < len(default.parts)
        assert max(wide.lengths) > 500
        assert_fits({"mastodon": wide})


class TestStrategies:
    @given(incidents(max_size=300))
    def test_incident_text_fields_respect_the_size(self, incident: Incident) -> None:
        """incidents(max_size=N) never makes a text field longer than N characters."""
        fields = [incident.title, incident.summary, incident.impact, incident.cause]
        fields += [*incident.actions, *incident.user_actions, *incident.not_affected]
        assert all(len(text) <= 300 for text in fields)


class TestCheck:
    @pytest.mark.parametrize(
        ("stage", "severity", "field"),
        [("nope", None, "stage"), (None, "dire", "severity"), ("resolved", "dire", "severity")],
    )
    def test_a_bad_scope_names_its_field(
        self, stage: str | None, severity: str | None, field: str
    ) -> None:
        """check() refuses an unknown stage or severity, naming which one."""
        from crisiscomms import check

        with pytest.raises(ValidationError) as caught:
            check("Text.", channel="x", stage=stage, severity=severity)
        assert caught.value.field == field


class TestOwnWording:
    @pytest.mark.parametrize("kind", ["outage", "security"])
    def test_the_headings_add_no_hedge(self, buffer_incident: Incident, kind: str) -> None:
        """The library's own words count against no tone rule: an impact with two
        hedges (the most allowed) draws no hedging warning in any draft."""
        import attrs

        from crisiscomms.incident import IncidentKind

        incident = attrs.evolve(
            buffer_incident,
            kind=IncidentKind(kind),
            impact="You may have seen posts you did not write, and your followers may have too.",
        )
        bundle = compose(incident)
        assert [f for f in bundle.findings if f.rule == "crisis.hedging"] == []


class TestVariables:
    def test_a_variable_reaches_a_user_template(
        self, tmp_path: Path, buffer_incident: Incident
    ) -> None:
        """A name passed in variables renders where a template uses it."""
        (tmp_path / "x").mkdir()
        (tmp_path / "x" / "default.txt").write_text("{{ team_channel }} {{ status_url }}")
        bundle = compose(
            buffer_incident,
            template_dirs=[tmp_path],
            channels=["x"],
            variables={"team_channel": "#incident-42"},
        )
        assert bundle["x"].parts == (f"#incident-42 {buffer_incident.status_url}",)

    def test_a_variable_reaches_the_email_layout(
        self, tmp_path: Path, buffer_incident: Incident
    ) -> None:
        """The email's layout sees the caller's names beside its own (subject, body)."""
        (tmp_path / "email").mkdir()
        (tmp_path / "email" / "layout.html").write_text(
            '<html><body>{{ body }}<a href="{{ unsubscribe_url }}">Unsubscribe</a></body></html>'
        )
        url = "https://example.com/unsubscribe?u=1&v=2"
        bundle = compose(
            buffer_incident,
            template_dirs=[tmp_path],
            channels=["email"],
            variables={"unsubscribe_url": url},
        )
        email = bundle["email"]
        assert isinstance(email, EmailDraft)
        assert 'href="https://example.com/unsubscribe?u=1&amp;v=2"' in email.html

    def test_without_the_variable_a_template_using_it_fails(
        self, tmp_path: Path, buffer_incident: Incident
    ) -> None:
        """The name is the caller's: left out, StrictUndefined still names it."""
        (tmp_path / "x").mkdir()
        (tmp_path / "x" / "default.txt").write_text("{{ team_channel }}")
        with pytest.raises(TemplateError, match="team_channel"):
            compose(buffer_incident, template_dirs=[tmp_path], channels=["x"])

    @pytest.mark.parametrize("name", ["incident", "status_url", "org", "range", "subject", "say"])
    def test_a_name_the_library_uses_is_refused(self, name: str, buffer_incident: Incident) -> None:
        """A clash with the library's own names (or Jinja's globals) is an error naming it."""
        with pytest.raises(ValidationError) as caught:
            compose(buffer_incident, variables={name: "mine"})
        assert caught.value.field == f"variables.{name}"

    @pytest.mark.parametrize("name", ["two words", "1st", "_private", ""])
    def test_a_name_no_template_can_use_is_refused(
        self, name: str, buffer_incident: Incident
    ) -> None:
        """Names must be identifiers, so a template can write them."""
        with pytest.raises(ValidationError, match="variables"):
            compose(buffer_incident, channels=["x"], variables={name: "v"})

    def test_unused_variables_change_nothing(self, buffer_incident: Incident) -> None:
        """The packaged templates ignore names they do not use."""
        plain = compose(buffer_incident)
        extra = compose(buffer_incident, variables={"campaign": "q3"})
        assert {k: d.parts for k, d in plain.items()} == {k: d.parts for k, d in extra.items()}


class TestPrepare:
    """prepare: the contexts one compose drafts in."""

    def test_markdown_is_parsed_once_per_compose(self, buffer_incident: Incident) -> None:
        """The private and public contexts share parsed Markdown: the same source gives
        the very same tokens in both, and a new compose parses afresh."""
        prepared = prepare(buffer_incident, voice=None, default_voice=buffer_incident.voice)
        source = buffer_incident.summary
        tokens = prepared.private.markdown(source)
        assert prepared.public.markdown(source) is tokens
        again = prepare(buffer_incident, voice=None, default_voice=buffer_incident.voice)
        assert again.public.markdown(source) is not tokens
        assert prepared.public.summary_text == markup.to_text(source, width=None)

    def test_sources_are_told_apart(self, buffer_incident: Incident) -> None:
        """Two different sources never share tokens."""
        prepared = prepare(buffer_incident, voice=None, default_voice=buffer_incident.voice)
        first = markup.to_html(prepared.public.markdown("**one**"))
        second = markup.to_html(prepared.public.markdown("*two*"))
        assert "<strong>one</strong>" in first
        assert "<em>two</em>" in second
