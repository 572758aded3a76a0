"""The whole crisis over time: every stage on every channel, the timeline, times and the team."""

from __future__ import annotations

import datetime as dt
import re

import attrs
import pytest

from crisiscomms import Incident, Stage, Update, available_channels, compose, load_incident
from crisiscomms.testing import assert_fits
from crisiscomms.wording import clock, when
from tests.conftest import EXAMPLES, incident_fields


@pytest.fixture(scope="module")
def timeline() -> Incident:
    return load_incident(EXAMPLES / "buffer-2013-timeline.toml")


def words(text: str) -> str:
    return " ".join(re.sub(r" \d+/\d+$", "", text, flags=re.MULTILINE).split())


class TestTimeline:
    def test_the_example_walks_every_stage_in_order(self, timeline: Incident) -> None:
        """The timeline example runs from the first alert to the post-mortem."""
        assert [update.stage for update in timeline.updates] == list(Stage)
        times = [update.at for update in timeline.updates]
        assert times == sorted(times)

    @pytest.mark.parametrize("number", [1, 2, 3, 4, 5])
    def test_every_stage_drafts_on_every_channel_within_limits(
        self, timeline: Incident, number: int
    ) -> None:
        """Each update composes on every channel, and every part fits."""
        bundle = compose(timeline, update=number)
        assert list(bundle) == available_channels()
        assert_fits(bundle)
        for draft in bundle.values():
            assert draft.stage == timeline.updates[number - 1].stage.value

    @pytest.mark.parametrize("number", [1, 2, 3, 4, 5])
    def test_drafts_show_the_update_number_and_last_updated(
        self, timeline: Incident, number: int
    ) -> None:
        """The X thread and the Facebook post say 'Update N' (never 'of 5', which would tell
        the future while the incident is live) and when it was made."""
        update = timeline.updates[number - 1]
        bundle = compose(timeline, update=number, channels=["x", "facebook", "email"])
        stamp = f"Update {number}, {clock(update.at, timeline.zone)}."
        assert stamp in words(bundle["x"].text)
        assert stamp in words(bundle["facebook"].text)
        html = bundle["email"].html  # type: ignore[attr-defined]
        assert f"Update {number}." in html
        assert " of 5" not in words(bundle["x"].text) + html

    def test_without_a_timeline_last_updated_is_updated_at(self) -> None:
        """A record with no timeline was last updated at its ``updated_at``."""
        resolved = load_incident(EXAMPLES / "buffer-2013-resolved.toml")
        assert resolved.updated_at is not None
        stamp = f"Last updated {clock(resolved.updated_at, resolved.zone)}"
        bundle = compose(resolved, channels=["email", "facebook"])
        assert stamp in bundle["email"].html  # type: ignore[attr-defined]
        assert stamp in bundle["facebook"].text

    def test_without_updated_at_no_last_updated_is_shown(self) -> None:
        """Without ``updated_at`` the drafts leave "last updated" out rather than show the start."""
        resolved = attrs.evolve(
            load_incident(EXAMPLES / "buffer-2013-resolved.toml"), updated_at=None
        )
        bundle = compose(resolved, channels=["email", "facebook", "x"])
        for draft in bundle.values():
            assert "ast updated" not in draft.text
        assert "ast updated" not in bundle["email"].html  # type: ignore[attr-defined]

    def test_the_latest_update_is_the_default(self, timeline: Incident) -> None:
        """Without update=, the last timeline entry is drafted."""
        assert compose(timeline, channels=["x"])["x"].stage == "postmortem"

    @pytest.mark.parametrize(
        ("number", "expected"), [(1, "3:00 pm PDT"), (2, "4:30 pm PDT"), (3, "6:30 pm PDT")]
    )
    def test_open_stages_promise_the_next_update_in_the_audience_zone(
        self, timeline: Incident, number: int, expected: str
    ) -> None:
        """While open, each update promises its own next-update time, in Pacific time."""
        bundle = compose(timeline, update=number, channels=["x", "facebook", "email"])
        for draft in bundle.values():
            assert expected in words(draft.text)

    @pytest.mark.parametrize("number", [4, 5])
    def test_closed_stages_promise_no_next_update(self, timeline: Incident, number: int) -> None:
        """Resolved and post-mortem drafts make no next-update promise."""
        for draft in compose(timeline, update=number, channels=["x", "facebook", "email"]).values():
            assert "Next update" not in draft.text

    def test_resolution_confirms_recovery_data_and_follow_up(self, timeline: Incident) -> None:
        """Resolved: it is fixed, whether data was lost, and a full account is promised."""
        for draft in compose(timeline, update=4, channels=["x", "facebook", "email"]).values():
            text = words(draft.text)
            assert "This is fixed as of 6:40 pm PDT" in text
            assert timeline.as_of(4).data_loss in text
            assert "full account" in text

    def test_postmortem_is_long_email_and_short_posts_pointing_to_it(
        self, timeline: Incident
    ) -> None:
        """The post-mortem email has the timeline and cause; the posts link to it and say
        what changed."""
        bundle = compose(timeline, update=5, channels=["x", "facebook", "email"])
        email_text = words(bundle["email"].text)
        for update in timeline.updates:
            assert update.message.split(".")[0] in email_text
        known = timeline.as_of(5)
        assert known.cause.rstrip(".") in email_text
        assert timeline.postmortem_url is not None
        for name in ("x", "facebook"):
            draft = bundle[name]
            assert timeline.postmortem_url in draft.text
            assert "What we changed" in draft.text
            assert len(draft.text) < len(bundle["email"].text)

    def test_identified_names_the_cause(self, timeline: Incident) -> None:
        """Once identified, the cause is stated."""
        text = words(compose(timeline, update=2, channels=["facebook"])["facebook"].text)
        assert "has found the cause" in text
        assert timeline.as_of(2).cause in text
        # Not known before it was found.
        assert timeline.as_of(2).cause not in words(
            compose(timeline, update=1, channels=["facebook"])["facebook"].text
        )


class TestTimes:
    def test_clock_uses_the_zone_abbreviation(self) -> None:
        """Times read as '3:00 pm PDT' in summer and 'PST' in winter."""
        summer = dt.datetime(2013, 10, 26, 22, 0, tzinfo=dt.timezone.utc)
        winter = dt.datetime(2013, 12, 26, 23, 0, tzinfo=dt.timezone.utc)
        assert clock(summer, "America/Los_Angeles") == "3:00 pm PDT"
        assert clock(winter, "America/Los_Angeles") == "3:00 pm PST"

    def test_midnight_and_noon(self) -> None:
        """12-hour times: midnight is 12:00 am, noon 12:00 pm."""
        midnight = dt.datetime(2024, 1, 1, 0, 0, tzinfo=dt.timezone.utc)
        noon = dt.datetime(2024, 1, 1, 12, 5, tzinfo=dt.timezone.utc)
        assert clock(midnight, "UTC") == "12:00 am UTC"
        assert clock(noon, "UTC") == "12:05 pm UTC"

    def test_zones_without_letters_read_as_offsets(self) -> None:
        """A zone whose abbreviation is numeric is written UTC+offset."""
        moment = dt.datetime(2024, 1, 1, 12, 0, tzinfo=dt.timezone.utc)
        assert clock(moment, "America/Sao_Paulo") == "9:00 am UTC-03"

    def test_when_adds_the_day(self) -> None:
        """when() gives the time and the date in the audience's zone."""
        moment = dt.datetime(2013, 10, 27, 1, 0, tzinfo=dt.timezone.utc)
        assert when(moment, "America/Los_Angeles") == "6:00 pm PDT on Saturday, October 26"

    def test_the_incident_zone_is_used(self) -> None:
        """The same incident in another zone gives that zone's time."""
        fields = incident_fields(
            next_update_at=dt.datetime(2024, 5, 1, 12, 0, tzinfo=dt.timezone.utc),
            timezone="Asia/Tokyo",
        )
        text = compose(Incident(**fields), channels=["facebook"])["facebook"].text
        assert "9:00 pm JST" in text


class TestTeam:
    def test_manifest_names_who_posts_and_approves(self, timeline: Incident) -> None:
        """Each draft in the manifest says who posts it and who approves it."""
        manifest = compose(timeline).manifest()
        by_channel = {draft["channel"]: draft for draft in manifest["drafts"]}
        assert by_channel["x"]["posted_by"] == "Carolyn"
        assert by_channel["email"]["posted_by"] == "Joel Gascoigne"
        assert all(draft["approved_by"] == "Joel Gascoigne" for draft in manifest["drafts"])

    def test_without_a_team_nobody_is_invented(self) -> None:
        """An incident with no team leaves posted_by and approved_by empty."""
        bundle = compose(Incident(**incident_fields()), channels=["x"])
        assert (bundle["x"].posted_by, bundle["x"].approved_by) == (None, None)


class TestUpdatesModel:
    def test_an_update_with_a_naive_time_is_refused(self) -> None:
        """Timeline entries need timezone-aware times too."""
        with pytest.raises(ValueError, match="timezone"):
            Update(at=dt.datetime(2024, 1, 1), stage="investigating", message="m")

    def test_choosing_an_update_that_does_not_exist_fails(self) -> None:
        """update=9 on a five-entry timeline is an error naming the field."""
        incident = load_incident(EXAMPLES / "buffer-2013-timeline.toml")
        with pytest.raises(ValueError, match="no update 9"):
            compose(incident, update=9)

    def test_updates_are_drafted_with_their_own_stage(self) -> None:
        """A chosen update's stage wins over the incident's."""
        incident = Incident(
            **incident_fields(
                stage="resolved",
                updates=[
                    Update(at="2024-05-01T09:30:00Z", stage="monitoring", message="Watching.")
                ],
            )
        )
        assert compose(incident, channels=["x"])["x"].stage == "monitoring"
        without_timeline = attrs.evolve(incident, updates=())
        assert compose(without_timeline, channels=["x"])["x"].stage == "resolved"


def test_equal_timeline_entries_are_numbered_by_position() -> None:
    """Two equal entries: choosing the second says "Update 2", not 1."""
    entry = Update(at="2024-05-01T09:30:00Z", stage="investigating", message="Looking.")
    incident = Incident(**incident_fields(updates=[entry, entry]))
    text = compose(incident, channels=["facebook"], update=2)["facebook"].text
    assert "Update 2," in text
    assert "Update 1," not in text
