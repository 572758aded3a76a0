"""The JSON manifest: versioned, keyed by channel, and valid against its shipped schema."""

from __future__ import annotations

import copy
import io
import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from hypothesis import given, settings

import crisiscomms
from crisiscomms import Incident, compose
from crisiscomms.cli import main
from crisiscomms.manifest import SCHEMA_VERSION, schema
from crisiscomms.testing import incidents
from tests.conftest import EXAMPLES


def validate(manifest: dict[str, Any]) -> None:
    jsonschema.Draft202012Validator(
        schema(), format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    ).validate(manifest)


class TestManifest:
    def test_the_schema_is_a_valid_json_schema(self) -> None:
        """The shipped schema is itself valid draft 2020-12."""
        jsonschema.Draft202012Validator.check_schema(schema())

    @pytest.mark.parametrize("name", ["buffer-2013.toml", "buffer-2013-resolved.toml"])
    def test_each_example_gives_a_valid_manifest(self, name: str) -> None:
        """The examples' manifests pass the schema, every channel included."""
        validate(compose(crisiscomms.load_incident(EXAMPLES / name)).manifest())

    def test_carries_the_schema_and_library_versions(self, buffer_incident: Incident) -> None:
        """schema_version is the module's constant; the library's version is the package's."""
        manifest = compose(buffer_incident, channels=["x"]).manifest()
        assert manifest["schema_version"] == SCHEMA_VERSION
        assert manifest["crisiscomms_version"] == crisiscomms.__version__

    def test_drafts_are_also_keyed_by_channel(self, buffer_incident: Incident) -> None:
        """drafts_by_channel holds each listed draft under its channel, nothing else."""
        manifest = compose(buffer_incident, channels=["sms", "twitter", "email"]).manifest()
        listed = {draft["channel"]: draft for draft in manifest["drafts"]}
        assert manifest["drafts_by_channel"] == listed
        assert list(listed) == ["sms", "x", "email"]

    def test_email_lengths_say_they_measure_the_subject(self, buffer_incident: Incident) -> None:
        """The email's lengths are the subject's, and the manifest says so by name."""
        bundle = compose(buffer_incident, channels=["email", "x"])
        email = bundle.manifest()["drafts_by_channel"]["email"]
        assert email["measures"] == "subject"
        assert email["subject_length"] == len(email["subject"]) == email["lengths"][0]
        assert bundle.manifest()["drafts_by_channel"]["x"]["measures"] == "parts"

    @pytest.mark.parametrize(
        "damage",
        [
            lambda m: m.pop("schema_version"),
            lambda m: m["drafts"][0].pop("parts"),
            lambda m: m["findings"].append({"rule": "r", "level": "fatal"}),
            lambda m: m["drafts_by_channel"]["email"].pop("subject_length"),
        ],
    )
    def test_the_schema_refuses_a_damaged_manifest(
        self, damage: Any, buffer_incident: Incident
    ) -> None:
        """The schema is strict enough to notice a missing or wrong field."""
        manifest = copy.deepcopy(compose(buffer_incident).manifest())
        damage(manifest)
        with pytest.raises(jsonschema.ValidationError):
            validate(manifest)

    def test_the_written_manifest_is_valid(self, tmp_path: Path) -> None:
        """manifest.json from draft --out passes the schema, files list included."""
        out = tmp_path / "drafts"
        code = main(
            ["draft", str(EXAMPLES / "buffer-2013.toml"), "--out", str(out)],
            stdout=io.StringIO(),
            stderr=io.StringIO(),
        )
        assert code == 0
        manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
        validate(manifest)
        assert manifest["files"][-1] == "manifest.json"

    @settings(max_examples=40)
    @given(incidents(max_size=300))
    def test_any_incident_gives_a_valid_manifest(self, incident: Incident) -> None:
        """Whatever the record, a drafted bundle's manifest passes the schema."""
        try:
            bundle = compose(incident)
        except crisiscomms.CrisisCommsError:
            return
        validate(json.loads(json.dumps(bundle.manifest())))
