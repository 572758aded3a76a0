"""Reading incident files: every format, and every error naming file, field and line."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from crisiscomms import Incident, Stage, load_incident
from crisiscomms.errors import LoadError, UnknownNameError, ValidationError
from crisiscomms.loading import incident_from_mapping
from tests.conftest import EXAMPLES

GOOD_TOML = """\
title = "Checkout is failing"
stage = "investigating"
severity = "major"
started_at = 2024-05-01T09:30:00Z
summary = "Payments fail."
impact = "You see an error."
actions = ["Rolling back."]
user_actions = ["Wait."]
not_affected = ["saved carts"]
status_url = "https://status.example.com"

[organization]
name = "Example"
support_email = "help@example.com"
"""


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


class TestLoadIncident:
    def test_reads_both_examples(self) -> None:
        """The shipped examples load, with their stages."""
        assert load_incident(EXAMPLES / "buffer-2013.toml").stage is Stage.INVESTIGATING
        assert load_incident(EXAMPLES / "buffer-2013-resolved.toml").stage is Stage.RESOLVED

    def test_toml_json_and_yaml_give_the_same_incident(self, tmp_path: Path) -> None:
        """One incident written in three formats loads to equal records."""
        yaml = pytest.importorskip("yaml")
        from_toml = load_incident(write(tmp_path, "a.toml", GOOD_TOML))
        data = {
            "title": "Checkout is failing",
            "stage": "investigating",
            "severity": "major",
            "started_at": "2024-05-01T09:30:00Z",
            "summary": "Payments fail.",
            "impact": "You see an error.",
            "actions": ["Rolling back."],
            "user_actions": ["Wait."],
            "not_affected": ["saved carts"],
            "status_url": "https://status.example.com",
            "organization": {"name": "Example", "support_email": "help@example.com"},
        }
        from_json = load_incident(write(tmp_path, "a.json", json.dumps(data)))
        from_yaml = load_incident(write(tmp_path, "a.yaml", yaml.safe_dump(data)))
        assert from_toml == from_json == from_yaml

    def test_toml_syntax_error_names_file_and_line(self, tmp_path: Path) -> None:
        """A TOML syntax error gives the file and the line it is on."""
        path = write(
            tmp_path, "bad.toml", GOOD_TOML.replace('severity = "major"', "severity = major")
        )
        with pytest.raises(LoadError) as caught:
            load_incident(path)
        assert caught.value.path == str(path)
        assert caught.value.line == 3
        assert f"{path}:3" in str(caught.value)

    def test_json_syntax_error_names_the_line(self, tmp_path: Path) -> None:
        """A JSON syntax error gives its line."""
        path = write(tmp_path, "bad.json", '{\n  "title": "x",\n  "stage": \n}')
        with pytest.raises(LoadError) as caught:
            load_incident(path)
        assert caught.value.line == 4

    def test_yaml_syntax_error_names_the_line(self, tmp_path: Path) -> None:
        """A YAML syntax error gives its line."""
        pytest.importorskip("yaml")
        path = write(tmp_path, "bad.yaml", "title: x\nstage: [unclosed\nseverity: major\n")
        with pytest.raises(LoadError) as caught:
            load_incident(path)
        assert caught.value.line is not None

    def test_bad_value_names_field_and_line(self, tmp_path: Path) -> None:
        """A refused value names the field and the line where it is written."""
        path = write(tmp_path, "a.toml", GOOD_TOML.replace("https://status", "javascript://status"))
        with pytest.raises(LoadError) as caught:
            load_incident(path)
        assert caught.value.field == "status_url"
        assert caught.value.line == 10

    def test_nested_field_is_dotted(self, tmp_path: Path) -> None:
        """A refused field inside a table is named with its table."""
        path = write(tmp_path, "a.toml", GOOD_TOML.replace("help@example.com", "nobody"))
        with pytest.raises(LoadError) as caught:
            load_incident(path)
        assert caught.value.field == "organization.support_email"
        assert caught.value.line == 14

    def test_list_item_is_indexed(self, tmp_path: Path) -> None:
        """A refused entry of an array of tables is named with its index."""
        text = (
            GOOD_TOML
            + '\n[[spokespeople]]\nname = "A"\n\n[[spokespeople]]\nname = "B"\npreset = "pirate"\n'
        )
        path = write(tmp_path, "a.toml", text)
        with pytest.raises(LoadError) as caught:
            load_incident(path)
        assert caught.value.field == "spokespeople[1].preset"
        assert caught.value.line == text.splitlines().index('preset = "pirate"') + 1

    def test_unknown_field_is_refused(self, tmp_path: Path) -> None:
        """A misspelt field is an error, not silently ignored."""
        path = write(tmp_path, "a.toml", "titel = 'x'\n" + GOOD_TOML)
        with pytest.raises(LoadError) as caught:
            load_incident(path)
        assert caught.value.field == "titel"
        assert caught.value.line == 1

    def test_missing_field_is_named(self, tmp_path: Path) -> None:
        """A required field left out is named."""
        path = write(tmp_path, "a.toml", GOOD_TOML.replace('summary = "Payments fail."\n', ""))
        with pytest.raises(LoadError) as caught:
            load_incident(path)
        assert caught.value.field == "summary"
        assert "required" in str(caught.value)

    @pytest.mark.parametrize(
        ("name", "content", "message"),
        [
            ("missing.toml", None, "no such file"),
            ("a.txt", "x", "unknown file type"),
            ("a.toml", b"\xff\xfe", "not UTF-8"),
            ("a.json", "[1, 2]", "top level"),
        ],
    )
    def test_unreadable_files_are_one_clear_error(
        self, tmp_path: Path, name: str, content: str | bytes | None, message: str
    ) -> None:
        """Missing, unknown, undecodable and non-table files give a LoadError naming the file."""
        path = tmp_path / name
        if isinstance(content, bytes):
            path.write_bytes(content)
        elif content is not None:
            path.write_text(content)
        with pytest.raises(LoadError, match=message) as caught:
            load_incident(path)
        assert str(path) in str(caught.value)

    def test_load_error_is_a_validation_error(self, tmp_path: Path) -> None:
        """LoadError subclasses ValidationError and ValueError."""
        with pytest.raises(ValueError, match="no such file"):
            load_incident(tmp_path / "nothing.toml")


class TestIncidentFromMapping:
    def test_builds_nested_records(self) -> None:
        """Tables inside the mapping become records."""
        incident = incident_from_mapping(
            {
                "title": "t",
                "stage": "resolved",
                "severity": "minor",
                "started_at": "2024-05-01T09:30:00+02:00",
                "summary": "s",
                "impact": "i",
                "actions": [],
                "user_actions": ["u"],
                "not_affected": [],
                "status_url": "https://s.example.com",
                "organization": {"name": "E", "support_email": "e@example.com"},
                "updates": [
                    {"at": "2024-05-01T10:00:00+02:00", "stage": "resolved", "message": "m"}
                ],
            }
        )
        assert isinstance(incident, Incident)
        assert incident.updates[0].stage is Stage.RESOLVED

    def test_errors_name_the_dotted_field(self) -> None:
        """An error deep in the data names its path."""
        with pytest.raises(ValidationError) as caught:
            incident_from_mapping({"updates": [{"at": "x", "stage": "resolved", "message": "m"}]})
        assert caught.value.field == "updates[0].at"

    def test_is_exported_from_the_package(self) -> None:
        """crisiscomms.incident_from_mapping is the loading module's function."""
        import crisiscomms

        assert crisiscomms.incident_from_mapping is incident_from_mapping

    def test_unknown_keys_are_refused_by_default_naming_the_dotted_field(self) -> None:
        """A key no record knows is refused at its own depth, by default."""
        data = {**_MAPPING, "organization": {**_MAPPING["organization"], "crm_id": 7}}
        with pytest.raises(ValidationError) as caught:
            incident_from_mapping(data)
        assert caught.value.field == "organization.crm_id"

    def test_unknown_keys_are_left_out_at_every_depth_when_ignored(self) -> None:
        """unknown='ignore' builds the same incident with or without foreign keys."""
        noisy = {
            **_MAPPING,
            "ticket": "OPS-1",
            "organization": {**_MAPPING["organization"], "crm_id": 7},
            "updates": [{**_MAPPING["updates"][0], "author_id": 3}],
        }
        assert incident_from_mapping(noisy, unknown="ignore") == incident_from_mapping(_MAPPING)

    def test_ignoring_unknown_keys_still_refuses_bad_values(self) -> None:
        """A known field's bad value is refused whatever ``unknown`` says."""
        data = {**_MAPPING, "extra": 1, "updates": [{**_MAPPING["updates"][0], "at": "soon"}]}
        with pytest.raises(ValidationError) as caught:
            incident_from_mapping(data, unknown="ignore")
        assert caught.value.field == "updates[0].at"

    def test_a_missing_nested_field_is_named(self) -> None:
        """A required field missing from a nested record is named with its path."""
        data = {**_MAPPING, "organization": {"name": "E"}}
        with pytest.raises(ValidationError) as caught:
            incident_from_mapping(data)
        assert caught.value.field == "organization.support_email"

    def test_an_unknown_policy_is_refused(self) -> None:
        """unknown= takes 'error' or 'ignore' only."""
        with pytest.raises(UnknownNameError, match="ignore"):
            incident_from_mapping(_MAPPING, unknown="drop")  # type: ignore[arg-type]

    def test_loads_what_json_from_another_system_parses_to(self) -> None:
        """The mapping json.loads gives is enough, dates as ISO 8601 text."""
        incident = incident_from_mapping(json.loads(json.dumps(_MAPPING)))
        assert incident.started_at.utcoffset() is not None


_MAPPING: dict[str, Any] = {
    "title": "t",
    "stage": "Identified",
    "severity": "major",
    "started_at": "2024-05-01T09:30:00Z",
    "summary": "s",
    "impact": "i",
    "actions": ["a"],
    "user_actions": ["u"],
    "not_affected": [],
    "status_url": "https://s.example.com",
    "organization": {"name": "E", "support_email": "e@example.com"},
    "updates": [{"at": "2024-05-01T10:00:00Z", "stage": "identified", "message": "m"}],
}
