"""The review corpus, drafted at every entry, in every voice, on every channel, and
checked the way a communications lead reads a draft before sending it.

Each check states one rule of a sendable draft and walks every case of
``tests/corpus.py``; a failure names the case and the channel.
"""

from __future__ import annotations

import os
import re
from collections import Counter

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from crisiscomms import load_incident, wording
from crisiscomms.incident import ComponentStatus, Incident

from .conftest import EXAMPLES
from .corpus import (
    PUBLIC,
    SNAPSHOTS,
    THREADS,
    Case,
    files,
    plain,
    render_draft,
    snapshot_cases,
    walk,
)

KINDS_NEEDED = {"security", "outage", "privacy", "message", "recall"}


def _cases() -> tuple[Case, ...]:
    return walk()


def _event(case: Case, channel: str) -> str:
    known = case.known
    headline = known.headline or known.title
    short = known.short_headline or headline
    return short if channel in ("sms", *THREADS) else headline


def _link(case: Case) -> str:
    known = case.known
    if known.stage.value == "postmortem" and known.postmortem_url:
        return known.postmortem_url
    return known.status_url


class TestCorpus:
    """The corpus itself."""

    def test_holds_at_least_twelve_incidents_of_every_kind(self) -> None:
        """Twelve or more incidents: breach, outage, data shown, mistaken email, recall."""
        incidents = [load_incident(path) for path in files()]
        assert len(incidents) >= 12
        assert {incident.kind.value for incident in incidents} >= KINDS_NEEDED

    def test_holds_a_multi_day_incident_whose_updates_carry_facts(self) -> None:
        """One incident has five or more entries over several days, each with a fact."""
        found = False
        for path in files():
            incident = load_incident(path)
            updates = incident.updates
            if len(updates) < 5 or (updates[-1].at - updates[0].at).days < 2:
                continue
            facts = ("summary", "impact", "cause", "actions", "user_actions", "unknowns")
            carried = [
                any(getattr(u, f) is not None for f in facts) or u.components is not None
                for u in updates
            ]
            found = found or all(carried)
        assert found

    def test_holds_a_non_english_organization(self) -> None:
        """One organization's name is not written in Latin letters."""
        names = [load_incident(path).organization.name for path in files()]
        assert any(not name.isascii() for name in names)


class TestFirstPost:
    """The first post of a thread, and the only SMS, stand alone."""

    def test_holds_the_organization_the_event_and_the_link(self) -> None:
        """Organisation, what happened (its first word at least) and the link, GSM-7 or UCS-2."""
        for case in _cases():
            for channel in (*THREADS, "sms", "facebook", "linkedin"):
                first_word = _event(case, channel).split()[0]
                text = case.bundle[channel].parts[0]
                where = f"{case.label}, {channel}"
                assert case.known.organization.name in text, where
                assert first_word in text, where
                assert _link(case) in text, where

    def test_holds_the_most_urgent_action(self) -> None:
        """Where doing something prevents harm, the SMS and the first post say it."""
        for case in _cases():
            urgent = case.known.first_actions
            if not urgent:
                continue
            opening = " ".join(urgent[0].split()[:4])
            for channel in (*THREADS, "sms"):
                text = " ".join(case.bundle[channel].parts[0].split())
                # An action too long for one text message is announced, never cut short.
                stand_in = channel == "sms" and "Action needed. What to do:" in text
                assert opening in text or stand_in, f"{case.label}, {channel}"
                if stand_in:
                    assert len(urgent[0]) > 60, case.label

    def test_thread_opens_with_the_impact_and_the_urgent_action_or_the_apology(self) -> None:
        """Post 1 or 2 of every thread holds the start of the impact."""
        for case in _cases():
            for channel in THREADS:
                parts = case.bundle[channel].parts
                top = " ".join(" ".join(parts[:2]).split())
                impact = " ".join(case.known.impact.split()[:4])
                assert impact in top, f"{case.label}, {channel}"


class TestSeams:
    """No doubled or stranded punctuation where a fact meets a template."""

    SEAMS = re.compile(
        # An ellipsis ("...", as an SMS writes "\u2026") is no seam; two full stops are.
        r"[?!]\.|(?<!\.)\.\.(?!\.)|[,;:]\s*[.,;]|\.\s*[,;]|\.\s+\.|\?:"
        r"|\. (?:is|are|was|were) not affected|\s[.,;:](?!\d)"
    )

    def test_no_draft_has_a_seam(self) -> None:
        """'?.', '..', '. is not affected', ' .' appear in no draft."""
        for case in _cases():
            for channel in PUBLIC:
                for part in case.bundle[channel].parts:
                    found = self.SEAMS.search(plain(part))
                    assert found is None, f"{case.label}, {channel}: {found and found.group(0)!r}"


class TestStageTruth:
    """Drafts say what is true at their stage."""

    OPEN_WORDS = re.compile(
        r"\b(?:is|are) down\b|working to|working on a fix|will not stop|investigating now|"
        r"Next update by|watching closely|first priority",
        re.IGNORECASE,
    )

    def test_closed_drafts_never_say_it_is_broken_or_being_fixed(self) -> None:
        """Resolved and post-mortem drafts never say 'is down', 'working to', or 'Next update'."""
        for case in _cases():
            if case.stage.is_open:
                continue
            for channel in PUBLIC:
                for part in case.bundle[channel].parts:
                    found = self.OPEN_WORDS.search(part)
                    assert found is None, f"{case.label}, {channel}: {found and found.group(0)!r}"

    def test_closed_drafts_say_what_changed(self) -> None:
        """Every resolved and post-mortem email and thread lists the actions taken."""
        for case in _cases():
            if case.stage.is_open or not case.known.actions:
                continue
            for channel in ("email", *THREADS):
                text = " ".join(" ".join(case.bundle[channel].parts).split())
                assert "What we changed" in text, f"{case.label}, {channel}"

    def test_components_follow_the_stage(self) -> None:
        """Once resolved, a component is operational unless a closing entry said otherwise."""
        for case in _cases():
            if case.stage.is_open:
                continue
            closing = {
                c.name
                for u in case.known.updates
                if not u.stage.is_open and u.components
                for c in u.components
            }
            for component in case.bundle["statuspage"].metadata["components"]:
                if component["name"] not in closing:
                    assert component["status"] == ComponentStatus.OPERATIONAL.value, case.label

    def test_no_draft_leaks_a_later_entry(self) -> None:
        """Drafting entry k uses nothing first written in a later entry."""
        for case in _cases():
            if case.update is None:
                continue
            known_texts = set(_facts(case.known))
            later = {
                text
                for entry in case.incident.updates[case.update :]
                for text in _entry_facts(entry)
                if text not in known_texts
            }
            for channel in (*PUBLIC, "slack"):
                joined = " ".join(" ".join(case.bundle[channel].parts).split())
                for text in later:
                    assert " ".join(text.split()) not in joined, f"{case.label}, {channel}: {text}"


class TestDates:
    """Times carry their day when the reader needs it, on one clock."""

    def test_far_times_carry_their_day(self) -> None:
        """A next update on another day, or over 18 hours away, is written with its day."""
        for case in _cases():
            known = case.known
            moment = known.next_update_at
            if moment is None or not case.stage.is_open:
                continue
            zone, style = known.zone, known.clock_style
            draft_time = known.updated_at
            far = draft_time is None or wording.time_near(
                moment, zone, style, since=draft_time
            ) != wording.clock(moment, zone, style)
            if not far:
                continue
            time = wording.clock(moment, zone, style)
            for channel in PUBLIC:
                for part in case.bundle[channel].parts:
                    for found in re.finditer("by " + re.escape(time), part):
                        after = part[found.end() : found.end() + 4]
                        assert after == " on ", f"{case.label}, {channel}: {time}"

    def test_one_clock_per_draft(self) -> None:
        """A 24-hour incident's drafts write no am or pm, and a 12-hour one's no 24-hour times."""
        for case in _cases():
            record = " ".join(_facts(case.known))
            for channel in PUBLIC:
                text = " ".join(case.bundle[channel].parts)
                if case.known.clock_style == "24h":
                    assert not re.search(r"\d:\d\d [ap]m", text), f"{case.label}, {channel}"
                else:
                    for found in re.findall(r"\b(?:1[3-9]|2[0-3]):\d\d\b", text):
                        assert found in record, f"{case.label}, {channel}: {found}"

    def test_last_updated_is_never_the_start_time(self) -> None:
        """Without an update time, the drafts say no 'last updated' at all."""
        for case in _cases():
            if case.known.updated_at is not None:
                continue
            for channel in PUBLIC:
                assert "Last updated" not in " ".join(case.bundle[channel].parts), case.label


class TestNames:
    """Names keep the case the record wrote."""

    def test_no_name_changes_case(self) -> None:
        """'iPhone', 'bitly', 'KakaoTalk' never appear as 'IPhone', 'Bitly', 'kakaoTalk'."""
        for case in _cases():
            record_words = set(re.findall(r"[\w.+-]+", " ".join(_facts(case.known))))
            record_words.add(case.known.organization.name)
            odd = {
                word
                for word in record_words
                if any(c.isupper() for c in word[1:]) or word == case.known.organization.name
            }
            banned = set()
            for word in odd:
                for variant in (word[:1].upper() + word[1:], word[:1].lower() + word[1:]):
                    if variant not in record_words:
                        banned.add(variant)
            for channel in PUBLIC:
                words = set(re.findall(r"[\w.+-]+", " ".join(case.bundle[channel].parts)))
                assert not (words & banned), f"{case.label}, {channel}: {words & banned}"


class TestSaidOnce:
    """Each fact, the cause, and the promise of a full account appear once per draft."""

    def test_every_fact_appears_at_most_once(self) -> None:
        """No fact of the record, and no sentence of five words or more, is said twice."""
        for case in _cases():
            for channel in PUBLIC:
                text = " ".join(" ".join(plain(p) for p in case.bundle[channel].parts).split())
                if channel == "email" and case.stage.value == "postmortem":
                    text = text.split("Timeline", 1)[0] + text.split("What was", 1)[-1]
                for fact in set(_entry_facts(case.known)):
                    flat = " ".join(fact.split()).rstrip(".")
                    if len(flat.split()) >= 3:
                        found = re.findall(re.escape(flat) + r"(?![\w+])", text)
                        assert len(found) <= 1, f"{case.label}, {channel}: {fact}"
                assert text.lower().count("full account") <= 1, f"{case.label}, {channel}"
                sentences = [
                    s
                    for s in re.split(r"(?<=[.!?])\s+", text)
                    if len(s.split()) >= 5 and "LINK" not in s
                ]
                repeated = [s for s, n in Counter(sentences).items() if n > 1]
                assert not repeated, f"{case.label}, {channel}: {repeated}"


class TestThreads:
    """Threads read as posts, not as one text cut at random."""

    def test_no_post_is_a_scrap(self) -> None:
        """No post of a thread of two or more is under a quarter of the limit."""
        for case in _cases():
            for channel in THREADS:
                draft = case.bundle[channel]
                if len(draft.parts) == 1:
                    continue
                for part, length in zip(draft.parts, draft.lengths, strict=True):
                    assert length >= draft.limit / 4, f"{case.label}, {channel}: {part!r}"

    def test_no_sentence_is_split_across_posts(self) -> None:
        """Every post ends where a sentence, a line or a link ends."""
        for case in _cases():
            for channel in THREADS:
                parts = case.bundle[channel].parts
                for part in parts[:-1]:
                    body = re.sub(r" \d+/\d+$", "", part).rstrip()
                    signed = re.search(r" \u2013 [^.!?]+$", body) is not None
                    assert body[-1] in ".!?:)\"'" or signed or _ends_with_link(body), (
                        f"{case.label}, {channel}: {body[-40:]!r}"
                    )

    def test_updates_are_numbered_without_a_total(self) -> None:
        """'Update 3', never 'Update 3 of 6'."""
        for case in _cases():
            for channel in PUBLIC:
                text = " ".join(case.bundle[channel].parts)
                assert not re.search(r"Update \d+ of \d+", text), f"{case.label}, {channel}"
            html = case.bundle["email"].html  # type: ignore[attr-defined]
            assert not re.search(r"Update \d+ of \d+", html), case.label
            if case.update is not None:
                assert f"Update {case.update}," in " ".join(case.bundle["x"].parts), case.label


class TestEmail:
    """The email opens with what happened."""

    def test_opens_with_the_summary(self) -> None:
        """After the greeting comes the summary, not the stage line."""
        for case in _cases():
            body = case.bundle["email"].parts[0]
            first = " ".join(case.known.summary.split()[:5])
            if case.stage.value != "postmortem":
                paragraphs = [p for p in body.split("\n\n") if p.strip()]
                assert first in " ".join(paragraphs[1].split()), case.label


class TestSlack:
    """The internal alert sees everything the team needs."""

    def test_shows_the_summary_the_timeline_findings_and_approvals(self) -> None:
        """Summary, each entry so far, every public draft's findings, and what awaits approval."""
        for case in _cases():
            text = case.bundle["slack"].parts[0]
            assert " ".join(case.known.summary.split()[:4]) in " ".join(text.split())
            if case.known.updates:
                assert text.count("\n• ") >= len(case.known.updates)
            for channel in PUBLIC:
                assert f"`{channel}`:" in text, f"{case.label}: {channel}"
            assert "awaiting approval" in text


class TestSnapshots:
    """The corpus drafts, kept as reviewed files: a wording change shows as a diff."""

    def test_drafts_match_their_snapshots(self) -> None:
        """Every snapshot matches its draft; set CRISISCOMMS_UPDATE_SNAPSHOTS=1 to rewrite them."""
        update = os.environ.get("CRISISCOMMS_UPDATE_SNAPSHOTS") == "1"
        differing = []
        seen = set()
        for folder, bundle in snapshot_cases():
            for channel in bundle:
                path = SNAPSHOTS / folder / f"{channel}.txt"
                seen.add(path)
                text = render_draft(bundle, channel)
                if update:
                    path.parent.mkdir(parents=True, exist_ok=True)
                    path.write_text(text, encoding="utf-8")
                elif not path.exists() or path.read_text(encoding="utf-8") != text:
                    differing.append(str(path.relative_to(SNAPSHOTS)))
        stale = [p for p in SNAPSHOTS.rglob("*.txt") if p not in seen]
        if update:
            for path in stale:
                path.unlink()
            pytest.skip("snapshots rewritten")
        assert not differing, (
            f"{len(differing)} drafts differ from their snapshots: {differing[:5]}"
        )
        assert not stale, f"snapshots without a draft: {stale}"


def _ends_with_link(text: str) -> bool:
    return re.search(r"https?://\S+$", text) is not None


def _entry_facts(entry: object) -> list[str]:
    texts: list[str] = []
    for name in ("summary", "impact", "cause", "data_loss"):
        value = getattr(entry, name)
        if value:
            texts.append(value)
    for name in ("actions", "user_actions", "urgent_actions", "not_affected", "unknowns"):
        texts.extend(getattr(entry, name) or ())
    return texts


def _facts(incident: Incident, *, messages: bool = True) -> list[str]:
    texts = _entry_facts(incident)
    texts += [incident.title, incident.headline or "", incident.short_headline or ""]
    if messages:
        texts += [entry.message for entry in incident.updates]
    return [text for text in texts if text]


_ENDINGS = ("", ".", "?", "!", ":", ",", ";", "…", "?!", ".)", '."')
_FACT_WORDS = st.sampled_from(
    [
        "accounts",
        "payments",
        "your",
        "the",
        "data",
        "was",
        "were",
        "lost",
        "cards",
        "Acme",
        "iPhone",
        "DNS",
        "is",
        "not",
        "shown",
    ]
)


def _written_facts(*, min_words: int = 2) -> st.SearchStrategy[str]:
    """A fact as people write one: a few words, closed by any mark or none."""
    return st.builds(
        lambda words, end: " ".join(words) + end,
        st.lists(_FACT_WORDS, min_size=min_words, max_size=7),
        st.sampled_from(_ENDINGS),
    )


@settings(max_examples=40, deadline=None)
@given(
    title=_written_facts(min_words=3),
    summary=_written_facts(min_words=4),
    impact=_written_facts(min_words=3),
    cause=_written_facts(min_words=3),
    lists=st.lists(st.lists(_written_facts(), min_size=1, max_size=3), min_size=4, max_size=4),
    stage=st.sampled_from(["investigating", "identified", "resolved", "postmortem"]),
)
def test_no_fact_leaves_a_seam(
    title: str, summary: str, impact: str, cause: str, lists: list[list[str]], stage: str
) -> None:
    """Whatever mark a fact ends with, no draft doubles or strands punctuation where
    the fact meets a template ('?.', '..', '. is not affected', ' .')."""
    import attrs

    from crisiscomms import compose
    from crisiscomms.incident import Stage

    record = load_incident(EXAMPLES / "buffer-2013.toml")
    record = attrs.evolve(
        record,
        title=title,
        summary=summary,
        impact=impact,
        cause=cause,
        actions=tuple(lists[0]),
        user_actions=tuple(lists[1]),
        not_affected=tuple(lists[2]),
        unknowns=tuple(lists[3]),
        stage=Stage(stage),
        translations={},
    )
    bundle = compose(record)
    for channel in PUBLIC:
        for part in bundle[channel].parts:
            found = TestSeams.SEAMS.search(plain(part))
            assert found is None, f"{channel}: {found and found.group(0)!r} in {part!r}"
