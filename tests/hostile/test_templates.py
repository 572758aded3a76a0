"""User templates: any failure is a TemplateError naming the template and line, and
nothing a template does changes the record it reads."""

from __future__ import annotations

import tempfile
from pathlib import Path

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from crisiscomms import Incident, compose
from crisiscomms.errors import TemplateError
from crisiscomms.templating import renderer
from tests.conftest import incident_fields
from tests.hostile import cases

FAILING = {
    "division": "{{ 1/0 }}",
    "types": "{{ 1 + 'a' }}",
    "filter-type": "{{ 5|sentence }}",
    "unknown-zone": "{{ last_updated|clock('Mars/Olympus_Mons') }}",
    "self-extends": '{% extends "x/default.txt" %}',
    "self-includes": '{% include "x/default.txt" %}',
    "recursion": "{% macro f(n) %}{{ f(n) }}{% endmacro %}{{ f(1) }}",
    "range": "{% for i in range(10**9) %}{% endfor %}",
    "repeat": "{{ 'a' * 10**9 }}",
    "power": "{{ 2 ** 10000000 }}",
    "dunder": "{{ org.__class__.__mro__ }}",
    "private": "{{ org.handles._items }}",
    "update": "{% set _ = org.handles.update({'facebook': 'x'}) %}",
    "responders": "{% set _ = incident.team.responders.update({'x': 'y'}) %}",
    "append": "{% set _ = incident.actions.append('x') %}",
    "syntax": "{% if %}",
    "undefined": "{{ nothing_here }}",
    "key": "{{ {}['missing'] }}",
    "percent-width": "{{ '%999999999d' % 1 }}",
    "percent-star": "{{ '%*d' % (999999999, 1) }}",
    "format-width": "{{ '{:>999999999}'.format(1) }}",
    "format-nested": "{{ '{:>{}}'.format(1, 999999999) }}",
    "format-filter": "{{ '%999999999s'|format('x') }}",
    "center": "{{ 'x'|center(999999999) }}",
    "indent": "{{ 'xy'|indent(999999999, first=True) }}",
    "lipsum": "{{ lipsum(1000000) }}",
}


def draft_with(source: str, *, channel: str = "x", incident: Incident | None = None) -> object:
    with tempfile.TemporaryDirectory() as folder:
        target = Path(folder) / channel / "default.txt"
        target.parent.mkdir()
        target.write_text("line one\n" + source, encoding="utf-8")
        return cases.attempt(
            compose,
            incident or Incident(**incident_fields()),
            channels=[channel],
            template_dirs=[folder],
        )


class TestFailures:
    @pytest.mark.parametrize("source", FAILING.values(), ids=list(FAILING))
    def test_each_failure_names_the_template_and_line(self, source: str) -> None:
        """ZeroDivisionError, TypeError, recursion, sandbox limits, unknown zones and
        mutation attempts all become a TemplateError at x/default.txt line 2."""
        error = draft_with(source)
        assert isinstance(error, TemplateError)
        assert error.template == "x/default.txt"
        assert error.line == 2
        assert len(str(error)) < 300

    @pytest.mark.parametrize("name", ["division", "types", "update"])
    def test_failures_in_a_block_of_a_post_template_are_named_too(self, name: str) -> None:
        """Block-by-block channels (Facebook) name the template and line as well."""
        source = "{% block headline %}" + FAILING[name] + "{% endblock %}"
        error = draft_with(source, channel="facebook")
        assert isinstance(error, TemplateError)
        assert error.template == "facebook/default.txt"
        assert error.line == 2


class TestImmutability:
    @pytest.mark.parametrize("name", ["update", "responders", "append"])
    def test_a_template_cannot_change_the_incident(self, name: str) -> None:
        """After a template tried to change it, the incident and the next compose are as before."""
        incident = Incident(
            **incident_fields(
                organization=incident_fields()["organization"].__class__(
                    name="Example", support_email="help@example.com", handles={"facebook": "ex"}
                )
            )
        )
        before = attrs.asdict(incident, recurse=False)
        draft_with(FAILING[name], incident=incident)
        assert attrs.asdict(incident, recurse=False) == before
        assert incident.organization.handles == {"facebook": "ex"}
        assert dict(incident.team.responders) == {}

    def test_variables_reach_templates_read_only(self) -> None:
        """Lists and mappings a caller passes are read-only inside the template."""
        values = {"items": [1, 2], "table": {"a": 1}}
        with tempfile.TemporaryDirectory() as folder:
            (Path(folder) / "t.txt").write_text(
                "{{ items|length }}{% set _ = table.update({'b': 2}) %}", encoding="utf-8"
            )
            with pytest.raises(TemplateError):
                renderer([folder]).render("t.txt", values)
        assert values == {"items": [1, 2], "table": {"a": 1}}


fragments = st.sampled_from(
    [
        "{{ incident.title }}",
        "{{ 1/0 }}",
        "{{ org.name|upper }}",
        "{% for a in incident.actions %}{{ a }}{% endfor %}",
        "{{ ",
        "{% if x %}",
        "{% endif %}",
        "{{ incident.started_at|clock }}",
        "{{ (1, 2)[5] }}",
        "{{ 'x' * 50 }}",
        "{{ org.handles.items()|list }}",
        "{{ status_url|sentence }}",
        "{{ voice.We }}",
        "}}",
        "{#",
        "{{ lipsum() }}",
        "{{ range(3)|list }}",
        "{{ 9 ** 9 ** 9 }}",
    ]
)


class TestFuzz:
    @given(st.lists(fragments | st.text(max_size=10), max_size=8).map("".join))
    def test_any_template_drafts_or_fails_with_a_template_error(self, source: str) -> None:
        """Whatever a user template holds, compose gives drafts or a TemplateError
        (or another deliberate error, such as a post that cannot fit)."""
        error = draft_with(source)
        assert error is None or "Error" in type(error).__name__
