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
from collections.abc import Mapping
from typing import Any

import attrs

try:
    from hypothesis import strategies as st
except ImportError as error:  # pragma: no cover - depends on the extra
    raise ImportError(
        "crisiscomms.testing needs hypothesis: pip install 'crisiscomms[testing]'"
    ) from error

from crisiscomms.channels import get_channel
from crisiscomms.incident import Incident, IncidentKind, Organization, Severity, Stage, Update
from crisiscomms.voice import PRESETS, Spokesperson

__all__ = [
    "assert_fits",
    "emoji",
    "handles",
    "incidents",
    "mixed_text",
    "printable_text",
    "spokespeople",
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


def urls() -> st.SearchStrategy[str]:
    """http(s) URLs with paths, queries and fragments."""
    host = st.from_regex(r"[a-z][a-z0-9-]{0,20}\.(com|org|io|co\.uk|de|jp)", fullmatch=True)
    path = st.from_regex(r"(/[A-Za-z0-9._~-]{1,30}){0,4}/?", fullmatch=True)
    query = st.from_regex(r"(\?[a-z]{1,8}=[A-Za-z0-9]{0,12})?", fullmatch=True)
    return st.builds(
        lambda s, h, p, q: f"{s}://{h}{p}{q}", st.sampled_from(["http", "https"]), host, path, query
    )


def handles() -> st.SearchStrategy[str]:
    """@mentions, including Mastodon-style ``@user@domain``."""
    local = st.from_regex(r"@[A-Za-z0-9_]{1,15}", fullmatch=True)
    fediverse = st.from_regex(r"@[a-z0-9_]{1,15}@[a-z]{2,10}\.social", fullmatch=True)
    return st.one_of(local, fediverse)


def emoji() -> st.SearchStrategy[str]:
    """Emoji of every shape: single, skin-toned, ZWJ families, flags, keycaps."""
    return st.sampled_from(["🔥", "👍🏽", "👨‍👩‍👧‍👦", "🏳️‍🌈", "🇯🇵", "1️⃣", "❤️", "🫠", "🧑🏿‍🚀", "☕"])


def mixed_text(*, max_words: int = 80) -> st.SearchStrategy[str]:
    """Words of many scripts mixed with URLs, mentions, hashtags, emoji and line breaks."""
    word = st.one_of(
        st.from_regex(r"[A-Za-z]{1,12}[.,!?]?", fullmatch=True),
        st.sampled_from(
            ["日本語", "한국어", "Привет", "مرحبا", "שלום", "Ελλάδα", "e\u0301te", "नमस्ते"]
        ),
        urls(),
        handles(),
        st.from_regex(r"#[A-Za-z][A-Za-z0-9_]{0,15}", fullmatch=True),
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


def spokespeople() -> st.SearchStrategy[Spokesperson]:
    """Spokespeople of every preset, with arbitrary names and titles."""
    return st.builds(
        lambda name, title, preset: Spokesperson(
            name=name, title=title, preset=preset, email="someone@example.com"
        ),
        printable_text(min_size=1, max_size=60).filter(str.strip),
        printable_text(max_size=60),
        st.sampled_from(PRESETS),
    )


def _texts(max_size: int) -> st.SearchStrategy[str]:
    # Mixed text is cut to the size too, so no field ever exceeds ``max_size``.
    mixed = mixed_text().map(lambda text: text[:max_size])
    return st.one_of(printable_text(min_size=1, max_size=max_size), mixed).filter(str.strip)


@st.composite
def incidents(draw: Any, *, max_size: int = 2000, stages: Any = None) -> Incident:
    """Valid incidents whose text fields are arbitrary printable Unicode (up to ``max_size``)."""
    started = draw(_aware_datetimes())
    speaker = draw(spokespeople())
    stage = draw(st.sampled_from(list(Stage)) if stages is None else st.sampled_from(stages))
    items = st.lists(_texts(max_size // 4), max_size=4)
    updates = draw(
        st.lists(
            st.builds(
                lambda offset, s, message: Update(
                    at=started + dt.timedelta(minutes=offset), stage=s, message=message
                ),
                st.integers(0, 10_000),
                st.sampled_from(list(Stage)),
                _texts(max_size // 4),
            ),
            max_size=3,
        )
    )
    # A timeline runs in time order and in stage order (see Incident's checks).
    updates = sorted(updates, key=lambda u: u.at)
    ordered = sorted((u.stage for u in updates), key=list(Stage).index)
    updates = [attrs.evolve(u, stage=s) for u, s in zip(updates, ordered, strict=True)]
    if ordered and not ordered[-1].is_open:
        stage = max(stage, ordered[-1], key=list(Stage).index)
    return Incident(
        title=draw(_texts(max_size)),
        stage=stage,
        severity=draw(st.sampled_from(list(Severity))),
        started_at=started,
        next_update_at=draw(st.none() | st.just(started + dt.timedelta(hours=1))),
        summary=draw(_texts(max_size)),
        impact=draw(_texts(max_size)),
        actions=draw(items),
        user_actions=draw(items),
        not_affected=draw(items),
        unknowns=draw(items),
        cause=draw(st.just("") | _texts(max_size // 2)),
        data_loss=draw(st.just("") | _texts(max_size // 4)),
        status_url=draw(urls()),
        timezone=draw(st.sampled_from(_ZONES)),
        organization=Organization(
            name=draw(_texts(80)),
            support_email="support@example.com",
            handles={"x": "@example"},
        ),
        spokespeople=(speaker,),
        voice=speaker.preset,
        updates=tuple(updates),
        kind=draw(st.sampled_from(list(IncidentKind))),
        clock=draw(st.sampled_from((None, "12h", "24h"))),
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
