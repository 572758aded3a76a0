"""Helpers for property-testing your own templates and channels.

Requires hypothesis (``pip install 'crisiscomms[testing]'``); it is imported
only when this module is. Example::

    from hypothesis import given
    from crisiscomms import compose
    from crisiscomms.testing import assert_fits, incidents

    @given(incidents())
    def test_my_templates_always_fit(incident):
        assert_fits(compose(incident, template_dirs=["my-templates"]))
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from typing import Any

import attrs

try:
    from hypothesis import strategies as st
except ImportError as error:  # pragma: no cover - depends on the extra
    raise ImportError(
        "crisiscomms.testing needs hypothesis: pip install 'crisiscomms[testing]'"
    ) from error

from crisiscomms._validate import visible
from crisiscomms.channels import available_channels, get_channel
from crisiscomms.incident import (
    Component,
    ComponentStatus,
    Incident,
    IncidentKind,
    Link,
    Organization,
    Severity,
    Stage,
    Team,
    Update,
)
from crisiscomms.voice import PRESETS, Spokesperson

__all__ = [
    "assert_fits",
    "components",
    "emoji",
    "handles",
    "incidents",
    "links",
    "mixed_text",
    "printable_text",
    "spokespeople",
    "teams",
    "translated",
    "urls",
]

_ZONES = ("UTC", "America/Los_Angeles", "Europe/London", "Asia/Kolkata", "Australia/Sydney")


def printable_text(*, min_size: int = 0, max_size: int = 2000) -> st.SearchStrategy[str]:
    """Any printable Unicode (no control or surrogate characters), newlines allowed."""
    return st.text(
        alphabet=st.characters(
            blacklist_categories=("Cc", "Cs", "Co", "Cn"), whitelist_characters="\n"
        ),
        min_size=min_size,
        max_size=max_size,
    )


# Strings from small alphabets are drawn with st.text rather than st.from_regex:
# the same sets of strings, drawn several times faster.
_LOWER = "abcdefghijklmnopqrstuvwxyz"
_LETTERS = _LOWER + _LOWER.upper()
_DIGITS = "0123456789"


def _word(
    alphabet: str, *, min_size: int, max_size: int, first: str = ""
) -> st.SearchStrategy[str]:
    """Text of ``alphabet``; with ``first``, its first character is drawn from that instead."""
    rest = st.text(alphabet=alphabet, min_size=max(min_size - bool(first), 0), max_size=max_size)
    if not first:
        return rest
    return st.builds(lambda head, tail: head + tail, st.sampled_from(first), rest)


def urls() -> st.SearchStrategy[str]:
    """http(s) URLs with paths, queries and fragments."""
    host = st.builds(
        lambda name, tld: f"{name}.{tld}",
        _word(_LOWER + _DIGITS + "-", min_size=1, max_size=20, first=_LOWER),
        st.sampled_from(["com", "org", "io", "co.uk", "de", "jp"]),
    )
    segment = _word(_LETTERS + _DIGITS + "._~-", min_size=1, max_size=30)
    path = st.builds(
        lambda segments, slash: "".join(f"/{s}" for s in segments) + slash,
        st.lists(segment, max_size=4),
        st.sampled_from(["", "/"]),
    )
    query = st.just("") | st.builds(
        lambda key, value: f"?{key}={value}",
        _word(_LOWER, min_size=1, max_size=8),
        _word(_LETTERS + _DIGITS, min_size=0, max_size=12),
    )
    return st.builds(
        lambda s, h, p, q: f"{s}://{h}{p}{q}", st.sampled_from(["http", "https"]), host, path, query
    )


def handles() -> st.SearchStrategy[str]:
    """@mentions, including Mastodon-style ``@user@domain``."""
    local = _word(_LETTERS + _DIGITS + "_", min_size=1, max_size=15).map("@".__add__)
    fediverse = st.builds(
        lambda user, server: f"@{user}@{server}.social",
        _word(_LOWER + _DIGITS + "_", min_size=1, max_size=15),
        _word(_LOWER, min_size=2, max_size=10),
    )
    return st.one_of(local, fediverse)


def emoji() -> st.SearchStrategy[str]:
    """Emoji of every shape: single, skin-toned, ZWJ families, flags, keycaps."""
    return st.sampled_from(["🔥", "👍🏽", "👨‍👩‍👧‍👦", "🏳️‍🌈", "🇯🇵", "1️⃣", "❤️", "🫠", "🧑🏿‍🚀", "☕"])


def mixed_text(*, max_words: int = 80) -> st.SearchStrategy[str]:
    """Words of many scripts mixed with URLs, mentions, hashtags, emoji and line breaks."""
    word = st.one_of(
        st.builds(
            lambda word, mark: word + mark,
            _word(_LETTERS, min_size=1, max_size=12),
            st.sampled_from(["", ".", ",", "!", "?"]),
        ),
        st.sampled_from(
            ["日本語", "한국어", "Привет", "مرحبا", "שלום", "Ελλάδα", "e\u0301te", "नमस्ते"]
        ),
        urls(),
        handles(),
        _word(_LETTERS + _DIGITS + "_", min_size=1, max_size=15, first=_LETTERS).map("#".__add__),
        emoji(),
    )
    separator = st.sampled_from([" ", " ", " ", "\n", "\n\n"])
    return st.lists(st.tuples(word, separator), max_size=max_words).map(
        lambda pairs: "".join(w + s for w, s in pairs).strip()
    )


def _aware_datetimes() -> st.SearchStrategy[dt.datetime]:
    return st.datetimes(
        min_value=dt.datetime(2000, 1, 1),
        max_value=dt.datetime(2099, 12, 31),
        timezones=st.just(dt.timezone.utc),
    )


def _names(max_size: int = 60) -> st.SearchStrategy[str]:
    return printable_text(min_size=1, max_size=max_size).filter(visible)


def spokespeople(*, ids: bool = False) -> st.SearchStrategy[Spokesperson]:
    """Spokespeople of every preset, with arbitrary names and titles, and
    sometimes their own handles and sender name; ``ids=True`` gives each an ``id``."""
    network_handles = st.dictionaries(
        st.sampled_from(["x", "mastodon", "bluesky", "threads", "linkedin", "facebook"]),
        _word(_LETTERS + _DIGITS + "_", min_size=1, max_size=15).map("@".__add__),
        max_size=3,
    )
    return st.builds(
        lambda name, title, preset, own, sender, posts_as, key: Spokesperson(
            name=name,
            title=title,
            preset=preset,
            email="someone@example.com",
            handles=own,
            sender_name=sender,
            posts_as=posts_as,
            id=key,
        ),
        _names(),
        printable_text(max_size=60),
        st.sampled_from(PRESETS),
        network_handles,
        st.none() | _names(),
        st.sampled_from([None, "own", "brand"]),
        _word(_LOWER + _DIGITS + "-", min_size=1, max_size=15, first=_LOWER) if ids else st.none(),
    )


def components() -> st.SearchStrategy[Component]:
    """Components with every status from the status pages' set, with and without ids."""
    return st.builds(
        Component,
        name=_names(40),
        status=st.sampled_from(list(ComponentStatus)),
        id=st.none() | _word(_LOWER + _DIGITS, min_size=6, max_size=14),
    )


def links() -> st.SearchStrategy[Link]:
    """Links to read more, with and without a label."""
    return st.builds(Link, url=urls(), label=st.just("") | _names(40))


def teams() -> st.SearchStrategy[Team]:
    """The response team: any of its roles named, and people posting some channels."""
    person = st.none() | _names(40)
    return st.builds(
        Team,
        approver=person,
        engineering_lead=person,
        on_call=person,
        responders=st.dictionaries(st.sampled_from(available_channels()), _names(40), max_size=3),
    )


def _texts(max_size: int) -> st.SearchStrategy[str]:
    # Mixed text is cut to the size too, so no field ever exceeds ``max_size``.
    mixed = mixed_text().map(lambda text: text[:max_size])
    # Records refuse texts with nothing visible in them (only spaces or format characters).
    return st.one_of(printable_text(min_size=1, max_size=max_size), mixed).filter(visible)


def _with_secret(text: str, secret: str | None, where: int) -> str:
    """``text`` with ``secret`` written into it, so private patterns have work to do."""
    if secret is None:
        return text
    cut = where % (len(text) + 1)
    return f"{text[:cut]} {secret} {text[cut:]}".strip()


def incidents(*, max_size: int = 2000, stages: Any = None) -> st.SearchStrategy[Incident]:
    """Valid incidents whose text fields are arbitrary printable Unicode (up to ``max_size``),
    with every optional part of the record drawn too: a timeline, components, links,
    the team, resolution and post-mortem details, private patterns, and several
    spokespeople, one of whom is the voice."""
    # Every strategy is built once here, not at each draw: building and
    # validating strategies is most of what drawing an incident would cost.
    long, quarter = _texts(max_size), _texts(max_size // 4)
    allowed = list(Stage) if stages is None else [Stage(stage) for stage in stages]
    # A closed timeline entry moves the record's stage on to it, so entries never
    # go past the latest stage asked for.
    latest = max(list(Stage).index(stage) for stage in allowed)
    parts: dict[str, st.SearchStrategy[Any]] = {
        "started": _aware_datetimes(),
        "stage": st.sampled_from(allowed),
        "severity": st.sampled_from(list(Severity)),
        "text": long,
        "items": st.lists(quarter, max_size=4),
        # Open stages must say what users should do.
        "needed": st.lists(quarter, min_size=1, max_size=4),
        "cause": st.just("") | _texts(max_size // 2),
        "data_loss": st.just("") | quarter,
        "timeline": st.lists(
            st.tuples(
                st.integers(0, 10_000),
                st.sampled_from(list(Stage)[: latest + 1]),
                quarter,
                st.none() | st.integers(15, 240),
            ),
            max_size=3,
        ),
        "people": st.lists(
            spokespeople(ids=True), min_size=1, max_size=3, unique_by=lambda p: p.id
        ),
        "index": st.integers(0, 2),
        "minutes": st.none() | st.integers(0, 600),
        "secret": st.none()
        | _word(_LOWER + _DIGITS, min_size=4, max_size=4).map("db-{}.internal".format),
        "where": st.integers(0, max_size),
        "next_update": st.booleans(),
        "url": urls(),
        "maybe_url": st.none() | urls(),
        "zone": st.sampled_from(_ZONES),
        "org_name": _texts(80),
        "sender": st.none() | st.just("news@example.com"),
        "org_handles": st.fixed_dictionaries(
            {"x": st.just("@example")},
            optional={
                "mastodon": st.just("@example@example.social"),
                "bluesky": st.just("@example.bsky.social"),
                "threads": st.just("@example"),
                "facebook": st.just("example"),
                "linkedin": st.just("example"),
            },
        ),
        "components": st.lists(components(), max_size=4),
        "links": st.lists(links(), max_size=3),
        "team": teams(),
        "kind": st.sampled_from(list(IncidentKind)),
        "clock": st.sampled_from((None, "12h", "24h")),
    }
    return _incidents(parts, max_size)


@st.composite
def _incidents(draw: Any, parts: Mapping[str, st.SearchStrategy[Any]], max_size: int) -> Incident:
    started: dt.datetime = draw(parts["started"])
    stage: Stage = draw(parts["stage"])
    updates = sorted(
        (
            Update(
                at=started + dt.timedelta(minutes=offset),
                stage=entry_stage,
                message=message,
                next_update_at=None
                if promised is None
                else started + dt.timedelta(minutes=offset + promised),
            )
            for offset, entry_stage, message, promised in draw(parts["timeline"])
        ),
        key=lambda update: update.at,
    )
    # A timeline runs in stage order too, and the record's stage is never behind a
    # closed entry (see Incident's checks).
    ordered = sorted((update.stage for update in updates), key=list(Stage).index)
    updates = [
        attrs.evolve(update, stage=entry_stage)
        for update, entry_stage in zip(updates, ordered, strict=True)
    ]
    if ordered and not ordered[-1].is_open:
        stage = max(stage, ordered[-1], key=list(Stage).index)
    # Several spokespeople with distinct ids; the voice is one of them.
    people: list[Spokesperson] = draw(parts["people"])
    speaker = people[draw(parts["index"]) % len(people)]
    closed = not Stage(stage).is_open
    opened = [Stage(stage), *(update.stage for update in updates)]
    last = max([started, *(update.at for update in updates)])
    minutes = draw(parts["minutes"])
    resolved_at = last + dt.timedelta(minutes=minutes) if closed and minutes is not None else None
    # A private detail (an internal host name) the record may mention and must withhold.
    secret: str | None = draw(parts["secret"])
    # Room is left for the secret, so the summary stays within ``max_size``.
    room = max_size if secret is None else max(max_size - len(secret) - 2, 0)
    summary = _with_secret(draw(parts["text"])[:room], secret, draw(parts["where"]))
    return Incident(
        title=draw(parts["text"]),
        stage=stage,
        severity=draw(parts["severity"]),
        started_at=started,
        next_update_at=started + dt.timedelta(hours=1) if draw(parts["next_update"]) else None,
        summary=summary,
        impact=draw(parts["text"]),
        actions=draw(parts["items"]),
        # Drafting an open entry of the timeline needs user actions too.
        user_actions=draw(parts["needed"] if any(s.is_open for s in opened) else parts["items"]),
        not_affected=draw(parts["items"]),
        unknowns=draw(parts["items"]),
        cause=draw(parts["cause"]),
        data_loss=draw(parts["data_loss"]),
        status_url=draw(parts["url"]),
        timezone=draw(parts["zone"]),
        organization=Organization(
            name=draw(parts["org_name"]),
            support_email="support@example.com",
            website=draw(parts["maybe_url"]),
            sender_email=draw(parts["sender"]),
            handles=draw(parts["org_handles"]),
        ),
        spokespeople=tuple(people),
        voice=speaker.key,
        updates=tuple(updates),
        components=tuple(draw(parts["components"])),
        links=tuple(draw(parts["links"])),
        team=draw(parts["team"]),
        resolved_at=resolved_at,
        postmortem_url=draw(parts["maybe_url"]) if closed else None,
        private_patterns=() if secret is None else (r"db-[a-z0-9]{4}\.internal",),
        kind=draw(parts["kind"]),
        clock=draw(parts["clock"]),
    )


def assert_fits(drafts: Mapping[str, Any]) -> None:
    """Assert that every part of every draft is within the limit it was drafted for.

    Each part is measured again with the channel's own ``measure``, so a
    draft whose recorded lengths are wrong fails too. The limit is the
    draft's own (a configured Mastodon server's, say), never above what the
    measure allows.
    """
    for name, draft in drafts.items():
        channel = get_channel(name)
        measured = [channel.measure(part) for part in _measured_parts(draft)]
        over = [(index, length) for index, length in enumerate(measured) if length > draft.limit]
        if over:
            index, length = over[0]
            raise AssertionError(
                f"{name}: part {index} measures {length} {channel.unit}, over the limit of "
                f"{draft.limit}"
            )
        if not getattr(draft, "subject", None) and tuple(measured) != tuple(draft.lengths):
            raise AssertionError(f"{name}: recorded lengths {draft.lengths} != measured {measured}")


def _measured_parts(draft: Any) -> tuple[str, ...]:
    subject = getattr(draft, "subject", None)
    return (subject,) if subject is not None else tuple(draft.parts)


def translated(
    incident: Incident, tag: str, convert: Callable[[str], str] = lambda text: text
) -> Incident:
    """``incident`` with a complete translation for ``tag``: every text the record
    has (its fields, timeline entries and spokespeople's own lines) passed
    through ``convert``. With the default, the text is copied as written, so a
    test can compose any record in any shipped language and check what the
    templates add (their words, dates and lists) and every limit."""
    from crisiscomms.incident import (
        FACTS,
        SPEAKER_FIELDS,
        TEXT_FIELDS,
        EntryText,
        SpeakerText,
        Translation,
    )

    def convert_value(value: Any) -> Any:
        if isinstance(value, str):
            return convert(value) if value else None
        if isinstance(value, tuple):
            return tuple(convert(item) for item in value) if value else None
        return None

    fields = {name: convert_value(getattr(incident, name)) for name in TEXT_FIELDS}
    entries = tuple(
        EntryText(
            message=convert(update.message),
            **{name: convert_value(getattr(update, name)) for name in FACTS},
        )
        for update in incident.updates
    )
    people = tuple(
        SpeakerText(
            key=person.key,
            **{name: convert_value(getattr(person, name)) for name in SPEAKER_FIELDS},
        )
        for person in incident.spokespeople
    )
    text = Translation(**fields, updates=entries, spokespeople=people)
    return attrs.evolve(incident, translations={**incident.translations, tag: text})
