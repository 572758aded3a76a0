"""The model: construction, conversion and every refusal naming its field."""

from __future__ import annotations

import datetime as dt
import pickle
from typing import Any

import attrs
import pytest

from crisiscomms import (
    Component,
    ComponentStatus,
    Incident,
    Link,
    Organization,
    Severity,
    Spokesperson,
    Stage,
    Update,
)
from crisiscomms.errors import CrisisCommsError, ValidationError
from tests.conftest import incident_fields

NAIVE = dt.datetime(2024, 5, 1, 9, 30)


class TestIncident:
    def test_the_documented_fields_make_a_whole_incident(self) -> None:
        """The fields DESIGN.md names are enough; everything else has a default."""
        incident = Incident(**incident_fields())
        assert incident.stage is Stage.INVESTIGATING
        assert incident.severity is Severity.MAJOR
        assert incident.updates == ()
        assert incident.timezone == "UTC"

    def test_enum_fields_accept_their_string_values(self) -> None:
        """``stage="resolved"`` is Stage.RESOLVED, in any case."""
        incident = Incident(**incident_fields(stage="Resolved", severity="critical"))
        assert incident.stage is Stage.RESOLVED
        assert incident.severity is Severity.CRITICAL

    def test_lists_are_stored_as_tuples(self) -> None:
        """Lists become tuples, so the record is truly frozen."""
        incident = Incident(**incident_fields(actions=["a", "b"]))
        assert incident.actions == ("a", "b")

    def test_is_frozen(self) -> None:
        """Assigning to a field fails."""
        incident = Incident(**incident_fields())
        with pytest.raises(attrs.exceptions.FrozenInstanceError):
            incident.title = "x"  # type: ignore[misc]

    def test_fields_are_keyword_only(self) -> None:
        """Positional arguments are refused."""
        with pytest.raises(TypeError):
            Incident("title")  # type: ignore[call-arg]

    @pytest.mark.parametrize(
        ("overrides", "field"),
        [
            ({"title": ""}, "title"),
            ({"title": "   "}, "title"),
            ({"summary": ""}, "summary"),
            ({"stage": "exploded"}, "stage"),
            ({"severity": "apocalyptic"}, "severity"),
            ({"started_at": NAIVE}, "started_at"),
            ({"next_update_at": NAIVE}, "next_update_at"),
            ({"started_at": "yesterday"}, "started_at"),
            ({"status_url": "javascript:alert(1)"}, "status_url"),
            ({"status_url": "ftp://status.example.com"}, "status_url"),
            ({"status_url": "https://"}, "status_url"),
            ({"status_url": "https://exa mple.com"}, "status_url"),
            ({"actions": ["fine", ""]}, "actions[1]"),
            ({"user_actions": [3]}, "user_actions[0]"),
            ({"timezone": "Mars/Olympus"}, "timezone"),
            ({"postmortem_url": "data:text/html,x"}, "postmortem_url"),
            ({"voice": ""}, "voice"),
        ],
    )
    def test_refuses_bad_values_naming_the_field(
        self, overrides: dict[str, Any], field: str
    ) -> None:
        """Each refused value raises a ValidationError whose field is the one at fault."""
        with pytest.raises(ValidationError) as caught:
            Incident(**incident_fields(**overrides))
        assert caught.value.field == field
        assert field in str(caught.value)

    def test_validation_error_is_a_value_error(self) -> None:
        """Callers catching ValueError or CrisisCommsError both catch it."""
        with pytest.raises(ValueError, match="title"):
            Incident(**incident_fields(title=""))
        with pytest.raises(CrisisCommsError):
            Incident(**incident_fields(title=""))

    def test_iso_strings_with_z_are_parsed(self) -> None:
        """JSON-style timestamps ending in Z are UTC."""
        incident = Incident(**incident_fields(started_at="2024-05-01T09:30:00Z"))
        assert incident.started_at.utcoffset() == dt.timedelta(0)

    def test_update_at_picks_from_the_timeline(self) -> None:
        """update_at(None) is the latest entry; 1-based indices choose one; out of range fails."""
        first = Update(at="2024-05-01T09:30:00Z", stage="investigating", message="Looking.")
        second = Update(at="2024-05-01T10:30:00Z", stage="identified", message="Found it.")
        incident = Incident(**incident_fields(updates=[first, second]))
        assert incident.update_at(None) == second
        assert incident.update_at(1) == first
        with pytest.raises(ValidationError, match="no update 3"):
            incident.update_at(3)
        with pytest.raises(ValidationError, match="no update 0"):
            incident.update_at(0)

    def test_update_at_without_a_timeline(self) -> None:
        """Without a timeline only the latest (None) exists; any index is refused, 0 too."""
        incident = Incident(**incident_fields())
        assert incident.update_at(None) is None
        for index in (0, 1):
            with pytest.raises(ValidationError, match=f"no update {index}"):
                incident.update_at(index)


class TestComponent:
    @pytest.mark.parametrize(
        ("given", "status"),
        [
            ("major_outage", ComponentStatus.MAJOR_OUTAGE),
            ("Major outage", ComponentStatus.MAJOR_OUTAGE),
            (" partial-outage ", ComponentStatus.PARTIAL_OUTAGE),
            (ComponentStatus.OPERATIONAL, ComponentStatus.OPERATIONAL),
        ],
    )
    def test_status_accepts_the_value_or_its_words(
        self, given: str | ComponentStatus, status: ComponentStatus
    ) -> None:
        """A status is read from its value, its words with spaces or hyphens, in any case."""
        assert Component(name="API", status=given).status is status

    @pytest.mark.parametrize("given", ["totally borked", "", 3])
    def test_status_outside_the_set_is_refused(self, given: object) -> None:
        """Only the five status-page states are accepted; the error names the field."""
        with pytest.raises(ValidationError) as caught:
            Component(name="API", status=given)
        assert caught.value.field == "status"
        assert "operational" in str(caught.value)

    def test_label_is_readable(self) -> None:
        """The label is the value as words."""
        assert ComponentStatus.DEGRADED_PERFORMANCE.label == "Degraded performance"


class TestOrganization:
    def test_refuses_a_bad_support_address(self) -> None:
        """The support address must be an email address."""
        with pytest.raises(ValidationError) as caught:
            Organization(name="Example", support_email="not an address")
        assert caught.value.field == "support_email"

    def test_handles_with_spaces_are_refused(self) -> None:
        """A handle is one token; the network is named in the field."""
        with pytest.raises(ValidationError) as caught:
            Organization(name="Example", support_email="a@b.co", handles={"x": "@two words"})
        assert caught.value.field == "handles.x"

    def test_from_email_falls_back_to_support(self) -> None:
        """Without a sender address, announcements come from the support address."""
        org = Organization(name="Example", support_email="help@example.com")
        assert org.from_email == "help@example.com"


class TestLink:
    def test_refuses_unsafe_schemes(self) -> None:
        """Only http and https links are records."""
        with pytest.raises(ValidationError):
            Link(url="javascript:alert(1)")
        assert Link(url="https://example.com").url == "https://example.com"


class TestSpokesperson:
    def test_refuses_an_unknown_preset(self) -> None:
        """The preset must be one of the bundled voices."""
        with pytest.raises(ValidationError) as caught:
            Spokesperson(name="Ann", preset="pirate")
        assert caught.value.field == "preset"

    @pytest.mark.parametrize("preset", [[], {}, 3, None])
    def test_refuses_a_preset_that_is_not_text(self, preset: Any) -> None:
        """A list or number as the preset is refused naming the field, not a TypeError."""
        with pytest.raises(ValidationError) as caught:
            Spokesperson(name="Ann", preset=preset)
        assert caught.value.field == "preset"

    def test_overrides_win_over_the_preset(self) -> None:
        """A field set on the spokesperson replaces the preset's."""
        person = Spokesperson(name="Ann", preset="founder", sign_off="Cheers,")
        voice = person.voice(organization="Example")
        assert voice.sign_off == "Cheers,"
        assert voice.pronoun == "I"

    def test_presets_differ_in_pronoun(self) -> None:
        """The founder says I; the brand says we."""
        founder = Spokesperson(name="Ann", preset="founder").voice(organization="Example")
        brand = Spokesperson(name="Example", preset="brand").voice(organization="Example")
        assert (founder.We, founder.our, brand.We, brand.our) == ("I", "my", "We", "our")


class TestErrors:
    def test_errors_pickle_with_their_details(self) -> None:
        """A pickled error keeps its field and message."""
        error = ValidationError("must not be empty", field="title")
        copy = pickle.loads(pickle.dumps(error))
        assert (copy.field, str(copy)) == ("title", str(error))


class TestPresets:
    def test_the_preset_names_match_the_data_file(self) -> None:
        """PRESETS lists exactly the voices defined in voices.toml, in its order."""
        from crisiscomms.voice import PRESETS, preset_names

        assert preset_names() == PRESETS


def test_severity_rank_orders_minor_major_critical() -> None:
    """Templates compare severities by rank: 0 to 2, in the documented order."""
    assert [severity.rank for severity in Severity] == [0, 1, 2]
    assert [severity.value for severity in Severity] == ["minor", "major", "critical"]


def test_a_mapping_for_a_record_points_to_incident_from_mapping() -> None:
    """Records are built by the caller; a plain mapping is refused with the way to load it."""
    fields = incident_fields(organization={"name": "Example", "support_email": "a@b.co"})
    with pytest.raises(ValidationError, match="incident_from_mapping") as caught:
        Incident(**fields)
    assert caught.value.field == "organization"
