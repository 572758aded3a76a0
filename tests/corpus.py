"""The review corpus: real public incidents, in our own words, and every draft of them.

Each file under ``tests/data/corpus/`` is one incident. A *case* is one
incident drafted at one timeline entry (or, without a timeline, as written) in
one voice; :func:`walk` yields every case with its bundle, so the checks in
``test_corpus.py`` run over every stage x voice x channel the corpus holds.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from pathlib import Path

import attrs

from crisiscomms import Bundle, Incident, compose, load_incident
from crisiscomms.drafts import EmailDraft
from crisiscomms.incident import Stage

CORPUS = Path(__file__).resolve().parent / "data" / "corpus"
SNAPSHOTS = Path(__file__).resolve().parent / "snapshots"
THREADS = ("x", "bluesky", "mastodon", "threads")
PUBLIC = (
    "email",
    "x",
    "facebook",
    "mastodon",
    "bluesky",
    "threads",
    "linkedin",
    "sms",
    "statuspage",
)


@attrs.frozen
class Case:
    """One incident at one entry, in one voice, with every channel's draft."""

    name: str
    incident: Incident
    known: Incident
    update: int | None
    voice: str
    bundle: Bundle

    @property
    def stage(self) -> Stage:
        return self.known.stage

    @property
    def label(self) -> str:
        at = "as written" if self.update is None else f"update {self.update}"
        return f"{self.name} {at} ({self.stage.value}), {self.voice}"


def files() -> list[Path]:
    """The corpus files, in name order."""
    return sorted(CORPUS.glob("*.toml"))


def voices(incident: Incident) -> list[str]:
    """Every voice the incident can speak in: the brand, the community manager, and
    the presets its spokespeople stand for."""
    found = ["brand", "community-manager"]
    for person in incident.spokespeople:
        if person.key not in found:
            found.append(person.key)
    return found


def entries(incident: Incident) -> list[int | None]:
    """Each timeline entry's number, or ``[None]`` for a record without a timeline."""
    return list(range(1, len(incident.updates) + 1)) or [None]


@functools.cache
def walk() -> tuple[Case, ...]:
    """Every case of the corpus (made once per test run)."""
    cases = []
    for path in files():
        incident = load_incident(path)
        for update in entries(incident):
            known = incident.as_of(update)
            for voice in voices(incident):
                bundle = compose(incident, voice=voice, update=update)
                cases.append(Case(path.stem, incident, known, update, voice, bundle))
    return tuple(cases)


def own_voice(incident: Incident) -> str:
    """The voice of an incident's snapshot: its first spokesperson's, else the brand's."""
    return incident.spokespeople[0].key if incident.spokespeople else "brand"


_URL = re.compile(r"https?://\S+")
_NUMBER = re.compile(r" \d+/\d+$")


def plain(text: str) -> str:
    """A part without its thread number and links, for checks on the wording."""
    return _URL.sub("LINK", _NUMBER.sub("", text))


def render_draft(bundle: Bundle, channel: str) -> str:
    """A draft as a readable snapshot: its headers, then each part with its length."""
    draft = bundle[channel]
    lines = [f"channel: {channel}", f"stage: {draft.stage}", f"voice: {draft.voice}"]
    if isinstance(draft, EmailDraft):
        lines += [f"subject: {draft.subject}", f"preheader: {draft.preheader}"]
    if channel == "statuspage":
        lines.append(f"title: {draft.title}")
        for component in draft.metadata["components"]:
            lines.append(f"component: {component['name']}: {component['status']}")
    count = len(draft.parts)
    for index, part in enumerate(draft.parts, 1):
        lines.append(f"--- part {index} of {count}, {draft.lengths[index - 1]} {draft.unit}")
        lines.append(part)
    return "\n".join(lines) + "\n"


def snapshot_cases() -> Iterator[tuple[str, Bundle]]:
    """(snapshot folder, bundle): every incident as written in its own voice, and
    every entry of the incidents with five or more."""
    for path in files():
        incident = load_incident(path)
        voice = own_voice(incident)
        yield path.stem, compose(incident, voice=voice)
        if len(incident.updates) >= 5:
            for number in range(1, len(incident.updates) + 1):
                yield f"{path.stem}/update-{number}", compose(incident, voice=voice, update=number)
