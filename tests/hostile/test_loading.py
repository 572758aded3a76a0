"""Loading refuses hostile files in one line, naming the file, field and line."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from crisiscomms import load_incident
from crisiscomms.errors import LoadError, ValidationError, excerpt
from crisiscomms.loading import MAX_DEPTH, incident_from_mapping
from tests.hostile import cases

pytest.importorskip("yaml")


def refusal(path: Path) -> LoadError:
    with pytest.raises(LoadError) as caught:
        load_incident(path)
    return caught.value


class TestParsing:
    @pytest.mark.parametrize("fmt", ["json", "toml", "yaml"])
    def test_deep_nesting_is_refused(self, tmp_path: Path, fmt: str) -> None:
        """A thousand nested lists are refused, not a RecursionError."""
        path = tmp_path / f"deep.{fmt}"
        path.write_text(cases.nested(5000, fmt=fmt), encoding="utf-8")
        assert "nested" in str(refusal(path))

    @pytest.mark.parametrize("fmt", ["json", "toml", "yaml"])
    def test_nesting_past_the_limit_names_the_field(self, tmp_path: Path, fmt: str) -> None:
        """Nesting the parser can read but no record needs is refused too, at its field."""
        path = tmp_path / f"deep.{fmt}"
        path.write_text(cases.nested(MAX_DEPTH + 5, fmt=fmt), encoding="utf-8")
        error = refusal(path)
        assert error.field is not None
        assert error.field.startswith("title")

    @pytest.mark.parametrize("fmt", ["json", "toml", "yaml"])
    def test_a_huge_integer_is_refused(self, tmp_path: Path, fmt: str) -> None:
        """A 5,001-digit integer is refused, not a ValueError."""
        digits = "1" * 5001
        text = {"json": f'{{"title": {digits}}}', "toml": f"title = {digits}\n"}.get(
            fmt, f"title: {digits}\n"
        )
        path = tmp_path / f"big.{fmt}"
        path.write_text(text, encoding="utf-8")
        assert len(str(refusal(path))) < 300

    def test_an_integer_within_python_limits_is_refused_briefly(self, tmp_path: Path) -> None:
        """A 4,000-digit integer in a text field is refused without printing it."""
        path = cases.write_json(tmp_path, cases.with_fields(title=int("7" * 4000)))
        error = refusal(path)
        assert error.field == "title"
        assert len(str(error)) < 200


class TestSurrogates:
    @pytest.mark.parametrize("field", ["title", "summary", "impact"])
    def test_a_lone_surrogate_in_json_is_refused(self, tmp_path: Path, field: str) -> None:
        """ "A \\ud800 B" is refused at its field and line, before any output fails."""
        path = cases.write_json(tmp_path, cases.with_fields(**{field: "A \ud800 B"}))
        error = refusal(path)
        assert error.field == field
        assert "surrogate" in error.reason
        str(error).encode("utf-8")  # the message itself prints

    def test_a_lone_surrogate_in_yaml_is_refused(self, tmp_path: Path) -> None:
        """YAML's escaped surrogate is refused as JSON's is."""
        path = tmp_path / "s.yaml"
        path.write_text('title: "A \\udc00 B"\n', encoding="utf-8")
        assert refusal(path).field == "title"

    def test_a_surrogate_in_a_key_is_refused(self, tmp_path: Path) -> None:
        """Keys are checked as values are."""
        data = cases.with_fields()
        data["organization"]["handles"]["x\udfff"] = "@a"
        error = refusal(cases.write_json(tmp_path, data))
        assert "surrogate" in str(error)
        str(error).encode("utf-8")

    def test_a_nested_surrogate_is_refused(self, tmp_path: Path) -> None:
        """A surrogate in a list item names the item."""
        path = cases.write_json(tmp_path, cases.with_fields(actions=["fine", "bad \ud83d"]))
        assert refusal(path).field == "actions[1]"


class TestYaml:
    @pytest.mark.parametrize("field", ["severity", "stage", "timezone", "title"])
    def test_an_alias_bomb_is_refused_quickly_and_briefly(self, tmp_path: Path, field: str) -> None:
        """Nine levels of aliases (387 million items) are refused in well under a second,
        with a short message."""
        path = tmp_path / "bomb.yaml"
        path.write_text(cases.alias_bomb(9, field=field), encoding="utf-8")
        start = time.perf_counter()
        error = refusal(path)
        assert time.perf_counter() - start < 5  # generous: the point is it ends
        assert len(str(error)) < 300

    def test_a_small_alias_in_a_field_is_refused_briefly(self, tmp_path: Path) -> None:
        """Six levels fit the value budget, so the field's own check refuses them, briefly."""
        path = tmp_path / "bomb.yaml"
        path.write_text(cases.alias_bomb(5, field="severity"), encoding="utf-8")
        error = refusal(path)
        assert len(str(error)) < 300

    def test_a_set_is_refused(self, tmp_path: Path) -> None:
        """!!set has no order, so drafts would change with the hash seed: refused."""
        path = tmp_path / "set.yaml"
        path.write_text("title: x\nactions: !!set {b, a, c}\n", encoding="utf-8")
        error = refusal(path)
        assert "set" in str(error)
        assert error.line == 2

    def test_python_tags_are_refused(self, tmp_path: Path) -> None:
        """Only plain data is read."""
        path = tmp_path / "tag.yaml"
        path.write_text("title: !!python/object/apply:os.system ['true']\n", encoding="utf-8")
        refusal(path)


class TestFields:
    def test_team_fields_are_validated(self, tmp_path: Path) -> None:
        """approver = 5 is refused at load, not an AttributeError in the Slack draft."""
        path = cases.write_json(tmp_path, cases.with_fields(team={"approver": 5}))
        assert refusal(path).field == "team.approver"

    def test_team_responders_are_validated(self, tmp_path: Path) -> None:
        """A responder must be a name."""
        path = cases.write_json(tmp_path, cases.with_fields(team={"responders": {"x": ["a"]}}))
        assert refusal(path).field == "team.responders.x"

    @pytest.mark.parametrize("value", cases.OVERFLOWING_DATES)
    def test_dates_that_overflow_local_time_are_refused(self, tmp_path: Path, value: str) -> None:
        """Year 1 and year 9999 are refused before local-time conversion can overflow."""
        path = cases.write_json(tmp_path, cases.with_fields(started_at=value))
        assert refusal(path).field == "started_at"

    @pytest.mark.parametrize("field", ["next_update_at", "resolved_at"])
    def test_times_before_the_start_are_refused(self, tmp_path: Path, field: str) -> None:
        """The next update, or the resolution, cannot come before the incident began."""
        path = cases.write_json(tmp_path, cases.with_fields(**{field: "2013-10-26T10:00:00-07:00"}))
        assert refusal(path).field == field

    @pytest.mark.parametrize("title", cases.INVISIBLE_TITLES)
    def test_an_invisible_title_is_refused(self, tmp_path: Path, title: str) -> None:
        """A title of only zero-width or other invisible characters is empty."""
        path = cases.write_json(tmp_path, cases.with_fields(title=title))
        assert refusal(path).field == "title"

    @pytest.mark.parametrize("url", cases.BAD_URLS)
    def test_bad_status_urls_are_refused(self, tmp_path: Path, url: str) -> None:
        """URLs urlsplit rejects, or holding <, >, " or spaces, are refused at the field."""
        path = cases.write_json(tmp_path, cases.with_fields(status_url=url))
        error = refusal(path)
        assert error.field == "status_url"
        assert "<script>" not in str(error)

    @pytest.mark.parametrize("field", ["severity", "stage", "timezone", "status_url"])
    def test_a_long_value_is_echoed_as_a_short_excerpt(self, tmp_path: Path, field: str) -> None:
        """A refused megabyte is shown as at most a short, escaped excerpt."""
        path = cases.write_json(tmp_path, cases.with_fields(**{field: "\n<x>" * 250_000}))
        error = cases.attempt(load_incident, path)
        assert isinstance(error, LoadError)
        assert len(str(error)) < 300
        assert "\n" not in str(error)

    def test_a_long_unknown_key_is_echoed_briefly(self, tmp_path: Path) -> None:
        """An unknown field's name is shown escaped and cut."""
        data = cases.with_fields(**{"k\n" * 10_000: 1})
        error = refusal(cases.write_json(tmp_path, data))
        assert len(str(error).split("(known")[0]) < 200
        assert "\n" not in str(error)


class TestExcerpt:
    @given(st.text())
    def test_an_excerpt_is_short_printable_and_encodable(self, value: str) -> None:
        """Whatever the text, its excerpt is short, one line, and encodes as UTF-8."""
        shown = excerpt(value)
        assert len(shown) <= 2 + 40 * 10 + 3
        assert shown.isprintable()
        shown.encode("utf-8")

    @pytest.mark.parametrize(
        ("value", "expected"),
        [(10**5000, "an integer of"), ([1] * 10**6, "a list"), ({"a": 1}, "a table")],
        ids=["huge-integer", "long-list", "table"],
    )
    def test_values_too_big_to_print_are_described(self, value: Any, expected: str) -> None:
        """Huge integers and containers are named, never printed."""
        assert excerpt(value).startswith(expected)


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=30),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=12,
)
FIELDS = sorted(cases.example_mapping())


class TestFuzz:
    @given(data=st.binary(max_size=400), fmt=st.sampled_from(["json", "toml", "yaml"]))
    def test_any_bytes_are_read_or_refused_with_a_load_error(self, data: bytes, fmt: str) -> None:
        """Random bytes in any format give an Incident or a LoadError, nothing else."""
        import tempfile

        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / f"incident.{fmt}"
            path.write_bytes(data)
            error = cases.attempt(load_incident, path)
        assert error is None or isinstance(error, LoadError)
        str(error).encode("utf-8")

    @given(field=st.sampled_from(FIELDS), value=json_values)
    def test_any_value_in_any_field_is_accepted_or_refused_at_that_field(
        self, field: str, value: Any
    ) -> None:
        """Whatever JSON value a field holds, the mapping builds or is refused naming it."""
        data = cases.with_fields(**{field: value})
        error = cases.attempt(incident_from_mapping, json.loads(json.dumps(data)))
        if error is not None:
            assert isinstance(error, ValidationError)
            assert error.field is not None
            assert error.field.split(".")[0].split("[")[0] == field
            assert len(str(error)) < 400

    @given(text=st.text(max_size=200), fmt=st.sampled_from(["json", "toml", "yaml"]))
    def test_any_text_is_read_or_refused_with_a_load_error(self, text: str, fmt: str) -> None:
        """Random text (surrogates included, written escaped) is read or refused in one line."""
        import tempfile

        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / f"incident.{fmt}"
            path.write_bytes(text.encode("utf-8", "backslashreplace"))
            error = cases.attempt(load_incident, path)
        assert error is None or isinstance(error, LoadError)
        assert "\n" not in str(error)


class TestSize:
    def test_an_endless_file_is_refused(self, tmp_path: Path) -> None:
        """A link to a device that never ends is read only up to the limit, then refused."""
        path = tmp_path / "zero.toml"
        path.symlink_to("/dev/zero")
        if not Path("/dev/zero").exists():  # pragma: no cover - not a POSIX system
            pytest.skip("no /dev/zero here")
        assert "larger than" in str(refusal(path))

    def test_a_file_over_the_limit_is_refused(self, tmp_path: Path) -> None:
        """More than MAX_BYTES is refused before parsing."""
        from crisiscomms.loading import MAX_BYTES

        path = tmp_path / "big.json"
        path.write_bytes(b" " * (MAX_BYTES + 1))
        assert "larger than" in str(refusal(path))
