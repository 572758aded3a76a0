"""crisiscomms.testing: the strategies reach every optional part of a record, validly."""

from __future__ import annotations

import re
from collections.abc import Callable

import attrs
from hypothesis import given, settings

from crisiscomms import Component, ComponentStatus, Incident, Stage
from crisiscomms.testing import components, handles, incidents, urls

REACHABLE: dict[str, Callable[[Incident], bool]] = {
    "components": lambda i: len(i.components) > 1,
    "a component with an id": lambda i: any(c.id for c in i.components),
    "links": lambda i: bool(i.links),
    "the team": lambda i: i.team.approver is not None and bool(i.team.responders),
    "resolved_at": lambda i: i.resolved_at is not None,
    "postmortem_url": lambda i: i.postmortem_url is not None,
    "private patterns": lambda i: bool(i.private_patterns),
    "several spokespeople": lambda i: len(i.spokespeople) > 1,
    "a timeline": lambda i: len(i.updates) > 1,
    "a promised next update in the timeline": lambda i: any(u.next_update_at for u in i.updates),
    "an organization website": lambda i: i.organization.website is not None,
    "a spokesperson's own handles": lambda i: any(p.handles for p in i.spokespeople),
}


class TestIncidents:
    def test_every_optional_part_is_drawn(self) -> None:
        """Among a few hundred incidents, each optional part of the record appears."""
        seen: set[str] = set()

        @settings(max_examples=150, database=None)
        @given(incidents(max_size=100))
        def draw(incident: Incident) -> None:
            seen.update(part for part, has in REACHABLE.items() if has(incident))

        draw()
        assert sorted(set(REACHABLE) - seen) == []

    @given(incidents(max_size=300))
    def test_every_record_is_valid_and_consistent(self, incident: Incident) -> None:
        """Each record rebuilds through its validators, and its parts agree with each other."""
        assert attrs.evolve(incident) == incident
        assert incident.voice in {person.key for person in incident.spokespeople}
        assert list(incident.updates) == sorted(incident.updates, key=lambda u: u.at)
        if incident.resolved_at is not None:
            assert not incident.stage.is_open
            assert incident.resolved_at >= incident.started_at
        for pattern in incident.private_patterns:
            assert re.search(pattern, incident.summary)
        assert len(incident.summary) <= 300

    @settings(max_examples=20)
    @given(incidents(max_size=100, stages=[Stage.RESOLVED]))
    def test_stages_limits_the_stage(self, incident: Incident) -> None:
        """stages= draws only the stages given."""
        assert incident.stage is Stage.RESOLVED


class TestSmallStrategies:
    def test_every_component_status_is_drawn(self) -> None:
        """Each of the fixed statuses appears."""
        seen: set[ComponentStatus] = set()

        @settings(max_examples=100, database=None)
        @given(components())
        def draw(component: Component) -> None:
            seen.add(component.status)

        draw()
        assert seen == set(ComponentStatus)

    @given(urls())
    def test_urls_are_http_urls(self, url: str) -> None:
        """urls() draws http(s) URLs with a host and a known top-level domain."""
        assert re.fullmatch(
            r"https?://[a-z][a-z0-9-]*\.(com|org|io|co\.uk|de|jp)(/\S*)?(\?\S*)?", url
        )

    @given(handles())
    def test_handles_are_mentions(self, handle: str) -> None:
        """handles() draws @name or @name@server.social."""
        assert re.fullmatch(r"@\w{1,15}(@[a-z]{2,10}\.social)?", handle)
