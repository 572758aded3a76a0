"""Records built in Python refuse hostile values as loading does, naming the field."""

from __future__ import annotations

import datetime as dt
import pickle
from typing import Any

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from crisiscomms import Incident, Organization, Spokesperson
from crisiscomms.errors import ValidationError
from crisiscomms.incident import Team, Update
from tests.conftest import incident_fields
from tests.hostile import cases

anything = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(),
    st.text(max_size=40),
    st.binary(max_size=10),
    st.lists(st.text(max_size=5), max_size=3),
    st.dictionaries(st.text(max_size=5), st.text(max_size=5), max_size=3),
    st.datetimes(timezones=st.none() | st.timezones()),
)


class TestIncident:
    @given(field=st.sampled_from([f.name for f in attrs.fields(Incident)]), value=anything)
    def test_any_value_is_accepted_or_refused_naming_its_field(
        self, field: str, value: Any
    ) -> None:
        """Every field refuses what it cannot hold with a ValidationError naming it."""
        error = cases.attempt(Incident, **incident_fields(**{field: value}))
        if error is not None:
            assert isinstance(error, ValidationError)
            assert error.field is not None
            assert error.field.split(".")[0].split("[")[0] == field

    @pytest.mark.parametrize("value", cases.OVERFLOWING_DATES)
    def test_dates_near_the_ends_of_time_are_refused(self, value: str) -> None:
        """Dates local-time conversion would overflow on are refused."""
        error = cases.attempt(Incident, **incident_fields(started_at=value))
        assert isinstance(error, ValidationError)
        assert error.field == "started_at"

    @given(
        moment=st.datetimes(min_value=dt.datetime(1900, 1, 2), max_value=dt.datetime(9000, 12, 30)),
        offset=st.integers(-23 * 60, 23 * 60),
    )
    def test_every_accepted_start_converts_to_any_zone(
        self, moment: dt.datetime, offset: int
    ) -> None:
        """Whatever start is accepted converts to the farthest offsets without overflow."""
        zone = dt.timezone(dt.timedelta(minutes=offset))
        incident = Incident(**incident_fields(started_at=moment.replace(tzinfo=zone)))
        for hours in (-23, 23):
            incident.started_at.astimezone(dt.timezone(dt.timedelta(hours=hours)))
            incident.started_at.astimezone(incident.zone)

    @pytest.mark.parametrize("field", ["next_update_at", "resolved_at"])
    def test_later_times_cannot_precede_the_start(self, field: str) -> None:
        """next_update_at and resolved_at before started_at are refused."""
        before = incident_fields()["started_at"] - dt.timedelta(minutes=1)
        error = cases.attempt(Incident, **incident_fields(**{field: before}))
        assert isinstance(error, ValidationError)
        assert error.field == field

    def test_an_update_cannot_promise_the_past(self) -> None:
        """An update's next_update_at before its own time is refused."""
        at = incident_fields()["started_at"]
        with pytest.raises(ValidationError, match="next_update_at"):
            Update(at=at, stage="identified", message="x", next_update_at=at - dt.timedelta(1))

    @pytest.mark.parametrize("title", cases.INVISIBLE_TITLES)
    def test_invisible_titles_are_refused(self, title: str) -> None:
        """A title nobody can see is empty."""
        with pytest.raises(ValidationError, match="title"):
            Incident(**incident_fields(title=title))

    @pytest.mark.parametrize("url", cases.BAD_URLS)
    def test_bad_urls_are_refused(self, url: str) -> None:
        """Malformed or markup-bearing URLs are refused, never a raw ValueError."""
        with pytest.raises(ValidationError, match="status_url"):
            Incident(**incident_fields(status_url=url))

    @pytest.mark.parametrize("field", ["title", "summary", "impact"])
    def test_lone_surrogates_are_refused(self, field: str) -> None:
        """Text every output can encode, or a ValidationError."""
        with pytest.raises(ValidationError, match=field):
            Incident(**incident_fields(**{field: "A \ud800 B"}))


class TestTeam:
    @pytest.mark.parametrize("field", ["approver", "engineering_lead", "on_call"])
    @pytest.mark.parametrize("value", [5, "", "\u200b", ["a"], "x\udc00"])
    def test_people_are_named_with_text(self, field: str, value: Any) -> None:
        """approver = 5 and the like are refused naming the field."""
        with pytest.raises(ValidationError) as caught:
            Team(**{field: value})
        assert caught.value.field == field

    def test_responders_are_names(self) -> None:
        """Each responder is checked."""
        with pytest.raises(ValidationError) as caught:
            Team(responders={"x": 5})
        assert caught.value.field == "responders.x"


class TestReadOnlyMappings:
    def test_handles_cannot_be_changed(self) -> None:
        """An organisation's handles are read-only: no update, no item assignment."""
        organization = Organization(name="A", support_email="a@example.com", handles={"x": "@a"})
        with pytest.raises((AttributeError, TypeError)):
            organization.handles.update({"x": "@b"})  # type: ignore[attr-defined]
        with pytest.raises(TypeError):
            organization.handles["x"] = "@b"  # type: ignore[index]
        assert organization.handles == {"x": "@a"}

    def test_read_only_mappings_pickle_compare_and_hash(self) -> None:
        """Records with read-only mappings pickle, compare equal to dicts and hash."""
        person = Spokesperson(name="Jo", handles={"X": "@jo"})
        again = pickle.loads(pickle.dumps(person))
        assert again == person
        assert again.handles == {"x": "@jo"}
        hash(person.handles)


class TestUserActions:
    @pytest.mark.parametrize("stage", ["investigating", "identified", "monitoring"])
    def test_an_open_stage_needs_user_actions(self, stage: str) -> None:
        """While the incident is open, an empty user_actions is refused naming the field."""
        with pytest.raises(ValidationError) as caught:
            Incident(**incident_fields(stage=stage, user_actions=[]))
        assert caught.value.field == "user_actions"

    @pytest.mark.parametrize("stage", ["resolved", "postmortem"])
    def test_a_closed_stage_may_have_none(self, stage: str) -> None:
        """Once resolved, there may be nothing left for users to do."""
        assert Incident(**incident_fields(stage=stage, user_actions=[])).user_actions == ()
