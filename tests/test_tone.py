"""Tests for crisiscomms.tone: phrases, the engine, the bundled rules and readability."""

from __future__ import annotations

import enum
import io
import itertools
import re
import sys
from pathlib import Path
from typing import Any, ClassVar

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from crisiscomms import check
from crisiscomms.cli import main
from crisiscomms.errors import LoadError, UnknownNameError, ValidationError
from crisiscomms.findings import Finding, Level
from crisiscomms.tone import (
    Rule,
    RuleFileError,
    RuleSet,
    Scope,
    check_parts,
    check_text,
    count_syllables,
    flesch_kincaid_grade,
    phrases,
    record_names,
    text_stats,
)
from crisiscomms.tone.checks.existence import Existence
from crisiscomms.tone.engine import check_drafts
from crisiscomms.tone.phrases import Gate, Scan, compile_phrases, group_of, sentence_around

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on Python 3.10 only
    import tomli as tomllib  # type: ignore[import-not-found, unused-ignore]

HERE = Path(__file__).parent
SOURCE = HERE.parent / "src" / "crisiscomms" / "tone"


def corpus(name: str) -> dict[str, list[dict[str, str]]]:
    """One part of the tone corpus: its sentences to strike and its sound ones."""
    return tomllib.loads((HERE / name).read_text("utf-8"))


WRITTEN_AGAINST = corpus("tone_corpus.toml")
HELD_OUT = corpus("tone_corpus_heldout.toml")


def serious(findings: list[Finding]) -> list[Finding]:
    """Only the warnings and errors: what a communications lead would strike."""
    return [finding for finding in findings if finding.level.rank >= Level.WARNING.rank]


def as_new_user(text: str) -> list[Finding]:
    """The warnings and errors crisiscomms.check gives with nothing but a channel."""
    return serious(check(text, channel="email"))


def rates(part: dict[str, list[dict[str, str]]]) -> tuple[int, int, int, int]:
    """(caught, to strike, false alarms, sound) for one part of the corpus."""
    caught = sum(bool(as_new_user(entry["text"])) for entry in part["strike"])
    alarms = sum(bool(as_new_user(entry["text"])) for entry in part["sound"])
    return caught, len(part["strike"]), alarms, len(part["sound"])


def families(findings: list[Finding]) -> set[str | None]:
    """The families of the rules behind ``findings``."""
    rules = RuleSet.default()
    return {rules[finding.rule].family for finding in findings}


def write(tmp_path: Path, text: str, name: str = "rules.toml") -> Path:
    """A rule file in ``tmp_path``."""
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


# A realistic X post and email, in the shape of the library's default drafts.
X_POST = """Investigating: Some accounts posted spam. Updates: https://status.example.com

Some accounts posted spam to Twitter and Facebook between 8:00 and 9:30 am PDT.

We're investigating now and will share what we learn as soon as we know it.

An attacker got into our database and used stored access tokens to post spam.

What you should do: Delete any spam posts from your timeline.

Not affected: passwords and payment details.

We are sorry. This is our responsibility, and we are working to put it right.
\u2013 The Example team

Next update by 3:00 pm PDT. https://status.example.com"""

EMAIL = """Hi everyone,

We're investigating now and will share what we learn as soon as we know it.

## What happened

This morning an attacker got into our database and used stored access tokens to post \
spam to Twitter and Facebook from some connected accounts.

**What you may have seen:** Spam posts about weight loss on your timeline.

## What you should do

- Delete the spam posts from your timeline.
- Reconnect your accounts when we ask you to.

## What is not affected

Passwords and payment details are not affected.

## What we're doing

- We have turned off posting to Twitter and Facebook.
- We are replacing every stored access token.

We're really sorry about this. This one is on us, and the whole team is on it.

**Next update:** by 3:00 pm PDT on Saturday, October 26, on \
[our status page](https://status.example.com).

Questions? Reply to this email or write to [help@example.com](mailto:help@example.com).

Thanks for sticking with us,\\
Sam Lee\\
CEO, Example"""


STRIKE = WRITTEN_AGAINST["strike"]
SOUND = WRITTEN_AGAINST["sound"]


class TestCorpusWrittenAgainst:
    """The sentences the rules were written against: every one is judged as a lead would."""

    @pytest.mark.parametrize("entry", STRIKE, ids=[e["text"][:40] for e in STRIKE])
    def test_struck_by_its_family(self, entry: dict[str, str]) -> None:
        """A sentence to strike draws a warning or error from a rule of its own family."""
        findings = as_new_user(entry["text"])
        assert entry["family"] in families(findings), [f.rule for f in findings]

    @pytest.mark.parametrize("entry", SOUND, ids=[e["text"][:40] for e in SOUND])
    def test_sound_passes(self, entry: dict[str, str]) -> None:
        """A sound sentence draws no warning or error."""
        assert as_new_user(entry["text"]) == []


class TestCorpusHeldOut:
    """The held-out part, written before the rules and never tuned to: the goals."""

    def test_sizes(self) -> None:
        """At least 150 sentences to strike and 100 sound ones; 30% of them held out."""
        strike = len(STRIKE) + len(HELD_OUT["strike"])
        sound = len(SOUND) + len(HELD_OUT["sound"])
        assert strike >= 150
        assert sound >= 100
        assert len(HELD_OUT["strike"]) >= 0.3 * 150
        assert len(HELD_OUT["sound"]) >= 30

    def test_no_sentence_in_both_parts(self) -> None:
        """The held-out sentences are not among those the rules were written against."""
        seen = {entry["text"] for entry in STRIKE + SOUND}
        assert not [e["text"] for e in HELD_OUT["strike"] + HELD_OUT["sound"] if e["text"] in seen]

    def test_catch_rate_at_least_90_percent(self) -> None:
        """At least 90% of the held-out sentences to strike draw a warning or error."""
        caught, total, _, _ = rates(HELD_OUT)
        assert caught >= 0.9 * total, f"{caught} of {total}"

    def test_at_most_one_false_alarm_in_30(self) -> None:
        """At most one held-out sound sentence in 30 draws a warning or error."""
        _, _, alarms, sound = rates(HELD_OUT)
        assert alarms <= sound / 30, f"{alarms} of {sound}"

    def test_every_family_is_in_both_parts(self) -> None:
        """Each family of the held-out part is also one the rules were written for."""
        assert {e["family"] for e in HELD_OUT["strike"]} <= {e["family"] for e in STRIKE}


LEAD_FAMILIES = (
    "overpromising",
    "blame",
    "minimising",
    "empty-commitment",
    "hedging",
    "euphemism",
    "legalese",
    "corporate",
    "passive",
    "shouting",
)


class TestBundledRules:
    """Every bundled rule names its family and says what to write instead."""

    @pytest.mark.parametrize("rule", RuleSet.default(), ids=RuleSet.default().ids)
    def test_family_and_suggestion(self, rule: Rule) -> None:
        """Each rule has a family, a suggestion (or brings its own) and a source."""
        assert rule.family
        assert rule.suggestion or rule.type in ("substitution", "consistency")
        assert rule.source

    @pytest.mark.parametrize("family", LEAD_FAMILIES)
    def test_lead_strikes_are_warnings_or_errors(self, family: str) -> None:
        """What a lead strikes is never a mere suggestion."""
        rules = [rule for rule in RuleSet.default() if rule.family == family]
        assert rules
        assert all(rule.level.rank >= Level.WARNING.rank for rule in rules)

    def test_messages_name_the_family(self) -> None:
        """A finding's message opens with its family, in words."""
        [finding] = as_new_user("We guarantee this is fixed.")
        assert finding.message.startswith("Overpromising:")
        assert finding.suggestion

    def test_no_private_regex_parser(self) -> None:
        """The engine uses no private part of the re module."""
        for path in SOURCE.rglob("*.py"):
            text = path.read_text("utf-8")
            assert "_parser" not in text, path.name
            assert "sre_" not in text, path.name


# Sentences in each family's grammar, beyond the corpus: inflections, word
# order, words in between, negation. (family, sentence) pairs.
GRAMMAR_STRIKE = [
    ("overpromising", "We are guaranteeing uptime."),
    ("overpromising", "It won't ever happen to anyone again."),
    ("overpromising", "Your files are now completely and permanently protected."),
    ("overpromising", "This issue will never, under any load, come back again."),
    ("overpromising", "We have fixed it, so it can never happen again."),
    ("blame", "The failure was triggered by an outage at one of our hosting vendors."),
    ("blame", "Their payment processor's faulty release broke checkout."),
    ("blame", "A junior developer on the billing team accidentally ran the script."),
    ("blame", "Customers that reused old passwords are to blame."),
    ("minimising", "Only a very small subset of accounts saw anything."),
    ("minimising", "The overall impact of the outage is considered minimal."),
    ("empty-commitment", "We remain fully committed to our users."),
    ("empty-commitment", "We're keeping a very close eye on it."),
    ("hedging", "Some records might perhaps have been seen."),
    ("euphemism", "An unauthorised third party viewed some data."),
    ("legalese", "We do not waive, and expressly reserve, all of our rights."),
    ("corporate", "Please kindly be advised that logins are slow."),
    ("passive", "Thousands of passwords have been stolen."),
    ("passive", "Customer files were quietly deleted."),
]
GRAMMAR_SOUND = [
    "We cannot guarantee every message arrives; resend anything urgent.",
    "If this ever happens again, you will get a refund without asking.",
    "We switched providers in March, and the mistake in that move was ours.",
    "Passwords were stolen by an attacker who used a key we left in a public repository.",
    "Nothing was deleted, and no files were exposed.",
    "Customer files were deleted because we ran a cleanup script against the wrong database.",
    "Your card was charged twice, and that is our fault.",
    "Only the export page is down; everything else works.",
    "We may need an hour more.",
    "Here is what we are changing so it cannot happen again.",
]


class TestGrammar:
    """Rules cover a family's grammar, not listed sentences."""

    @pytest.mark.parametrize(("family", "text"), GRAMMAR_STRIKE)
    def test_struck(self, family: str, text: str) -> None:
        """Inflected, reordered and padded forms are caught by their family."""
        assert family in families(as_new_user(text))

    @pytest.mark.parametrize("text", GRAMMAR_SOUND)
    def test_excused(self, text: str) -> None:
        """Negation, ownership and a named actor excuse what would otherwise be struck."""
        assert as_new_user(text) == []


class TestPassive:
    """A passive is flagged only when nobody is named as having done it."""

    def rule_hits(self, text: str) -> list[str]:
        """The spans of the passive rule's findings."""
        return [
            text[f.start : f.end]
            for f in check_text(text, channel="x")
            if f.rule == "crisis.passive-no-actor"
        ]

    def test_flagged_without_actor(self) -> None:
        """'were exposed' with nobody named is flagged, at the passive itself."""
        assert self.rule_hits("Your details were exposed last night.") == ["were exposed"]

    @pytest.mark.parametrize(
        "text",
        [
            "Your details were exposed by a bug in our export code.",
            "Your details were exposed because we misconfigured a server.",
            "Your details were exposed through our app, and that is our fault.",
            "Nothing was exposed.",
            "Your details weren't exposed.",
            "None of your details were exposed.",
        ],
    )
    def test_actor_named_or_negated(self, text: str) -> None:
        """The actor in the sentence, or a negated outcome, excuses the passive."""
        assert self.rule_hits(text) == []

    def test_excuse_stays_in_its_sentence(self) -> None:
        """Ownership in the next sentence does not excuse this one."""
        text = "Files were deleted. We are sorry, and that is our fault."
        assert self.rule_hits(text) == ["were deleted"]


class TestShouting:
    """Capitals read as shouting, except acronyms and the record's own names."""

    def spans(self, text: str, names: tuple[str, ...] = ()) -> list[str]:
        """The shouted spans."""
        findings = check_text(text, channel="x", names=names)
        return [text[f.start : f.end] for f in findings if f.rule == "plain.shouting"]

    @given(
        text=st.lists(
            st.sampled_from(
                [
                    "AB",
                    "C",
                    "9",
                    "x",
                    " ",
                    ".",
                    "@",
                    "#",
                    "/",
                    "_",
                    "-",
                    "DEF1",
                    "\n",
                    "é",
                    "\u2013",
                ]
            ),
            max_size=16,
        ).map("".join)
    )
    def test_standing_words_as_the_plain_filter_finds_them(self, text: str) -> None:
        """The one pattern for words in capitals standing alone finds what the plain
        pattern finds once the words glued to others are left out."""
        from crisiscomms.tone.checks import capitals

        plain = [
            word.span()
            for word in capitals._WORD_ASCII.finditer(text)
            if not (word.start() and capitals._GLUE_BEFORE.match(text, word.start() - 1))
            and not capitals._GLUE_AFTER.match(text, word.end())
        ]
        assert [word.span() for word in capitals._STANDING_ASCII.finditer(text)] == plain
        assert [word.span() for word in capitals._standing_ascii(text)] == plain

    def test_acronyms_up_to_five_capitals(self) -> None:
        """Agency and product acronyms of five capitals or fewer are fine."""
        assert self.spans("We told the ICO, the FBI, CISA and NCSC about the SSO bug.") == []

    def test_long_word_shouted(self) -> None:
        """A word of six capitals or more is shouting."""
        assert self.spans("This is URGENT and SERIOUS.") == ["URGENT", "SERIOUS"]

    def test_record_names_allowed(self) -> None:
        """A name the record writes in capitals is a name."""
        assert self.spans("ACMEPAY is down.") == ["ACMEPAY"]
        assert self.spans("ACMEPAY is down.", names=("ACMEPAY",)) == []

    def test_record_names_found_in_a_record(self) -> None:
        """record_names reads every string of a record, nested."""
        names = record_names({"title": "ACMEPAY down", "more": ["via GLOBALNET", ("ok",)]})
        assert {"ACMEPAY", "GLOBALNET"} <= names

    def test_record_names_in_records_of_any_shape(self) -> None:
        """attrs records (one whose only field is called "text" too), sets, words at the
        seam of two strings, and a record that holds itself."""
        import attrs

        @attrs.define
        class Note:
            text: str

        @attrs.define
        class Loop:
            name: str
            other: object = None

        loop = Loop("LOOPNET")
        loop.other = loop
        names = record_names([Note("by NOTECO"), {"SETCO"}, "ends AB", "CD starts", loop])
        assert names == {"NOTECO", "SETCO", "AB", "CD", "LOOPNET"}
        assert record_names(["lower only", 42, None]) == frozenset()

    def test_run_of_short_words(self) -> None:
        """Short words in capitals in a row are one shouted finding."""
        assert self.spans("DO NOT USE THE APP today.") == ["DO NOT USE THE APP"]

    def test_run_of_known_acronyms(self) -> None:
        """A row of allowed acronyms, or words with digits, is not shouting."""
        assert self.spans("AWS EC2 API calls failed.") == []

    def test_links_and_handles(self) -> None:
        """Capitals inside a link, an address or a handle are not shouting."""
        assert self.spans("See https://example.com/STATUSPAGE or write to HELPDESK@x.com") == []


class TestPhrases:
    """The phrase language compiles to patterns that match as documented."""

    LISTS: ClassVar[dict[str, tuple[str, ...]]] = {
        "harm": ("exposed", "tampered with"),
        "be": ("was", "were"),
    }

    def matches(self, phrase: str, text: str) -> list[str]:
        """What ``phrase`` matches in ``text``."""
        [compiled] = compile_phrases([phrase], self.LISTS, "phrases")
        return [m.group() for m in re.finditer(compiled.source, text, re.IGNORECASE)]

    @pytest.mark.parametrize(
        ("phrase", "text", "found"),
        [
            ("guarantee*", "We GUARANTEED it.", ["GUARANTEED"]),
            ("guarantee", "guarantees", []),
            ("never ...2 again", "never, ever again", ["never, ever again"]),
            ("never ...1 again", "never ever ever again", []),
            ("a|an? minor blip", "There was minor blip", ["minor blip"]),
            ("@be ...1 @harm", "it was tampered with", ["was tampered with"]),
            ("@be @harm !by", "were exposed by them; were exposed", ["were exposed"]),
            ("# accounts", "4,200 accounts", ["4,200 accounts"]),
            ("to+blame|at+fault", "is at fault", ["at fault"]),
            ("can't", "We can\u2019t", ["can\u2019t"]),
            ("third party", "third-party", ["third-party"]),
            ("never ...3 again", "never. Not again", []),
        ],
    )
    def test_matches(self, phrase: str, text: str, found: list[str]) -> None:
        """Each item behaves as the table in the module says."""
        assert self.matches(phrase, text) == found

    @pytest.mark.parametrize(
        ("phrase", "reason"),
        [
            ("@nowhere", "no word list"),
            ("...", "gap"),
            ("word?", "required word"),
            ("... word", "gap"),
            ("word ...", "gap"),
            ("!word", "must follow"),
            ("a(b", "not a word"),
        ],
    )
    def test_mistakes_named(self, phrase: str, reason: str) -> None:
        """A bad phrase raises ValidationError naming its field and index."""
        with pytest.raises(ValidationError) as caught:
            compile_phrases(["fine", phrase], self.LISTS, "phrases")
        assert caught.value.field == "phrases[1]"
        assert reason in caught.value.reason

    def test_anchor_avoids_common_words(self) -> None:
        """The anchor is the least common required item."""
        [phrase] = compile_phrases(["we are committed to"], {}, "phrases")
        assert phrase.anchors == frozenset({"committed"})

    def test_sentence_around(self) -> None:
        """A sentence ends at a stop followed by a space, not inside GOV.UK."""
        text = "See GOV.UK now. Next one."
        assert sentence_around(text, 4, 10) == (0, 15)


ANCHOR_WORDS = st.sampled_from(
    [
        "we",
        "guarantee",
        "guaranteed",
        "never",
        "again",
        "vendor's",
        "provider",
        "issue",
        "only",
        "a",
        "handful",
        "of",
        "were",
        "was",
        "exposed",
        "by",
        "not",
        "nothing",
        "because",
        "our",
        "fault",
        "committed",
        "to",
        "may",
        "possibly",
        "have",
        "been",
        "hereby",
        "please",
        "be",
        "advised",
        "sorry",
        "if",
        "any",
        "inconvenience",
        "ACMEPAY",
        "URGENT",
        "NHS",
        ",",
        ".",
        "\n",
        "\n\n",
        "https://x.example/a.",
        "help@x.example.",
        # Marks outside ASCII that the matched text holds as control characters.
        "\u2013",
        "\u2014",
        "\u2022",
        "\u201c",
        "\u201d",
        "\u2018",
        "\u2026",
        "\u2019",
        "İ",
        "ß",
        "🎉",
        "!",
        "#tag",
        "e-mail",
        "email",
        # Phrases of several required words (the gate needs each one's words).
        "engineer",
        "engineers",
        "contractor",
        "forgot",
        "ignored",
        "customers",
        "users",
        "who",
        "did",
        "didn't",
        "update",
        "responsible",
        "are",
    ]
)
TEXTS = st.one_of(st.text(max_size=120), st.lists(ANCHOR_WORDS, max_size=40).map(" ".join))
# Paragraphs as drafts hold them, so that drafts share some (and their rules fire).
PARAGRAPHS = st.one_of(
    TEXTS,
    st.sampled_from(
        [
            "Investigating: Spam posts sent from ACMEPAY accounts. Updates: https://example.com/s",
            "I'm truly sorry. This is my responsibility. 1/3",
            "We may possibly have been hacked. It could have been worse. Maybe.",
            "Next update by 3:00 pm PDT. 3/3",
            "A rogue engineer forgot to patch it, and customers who didn't update are to blame.",
            "We take your security seriously and apologize for any inconvenience.",
        ]
    ),
)


def without_gate(text: str, scope: Scope) -> list[tuple[str, int, int]]:
    """Every in-scope rule run on the whole text, as if every anchor were there."""
    rules = RuleSet.default()
    everything = frozenset(anchor for rule in rules for anchor in rule.check.anchors or ())
    found = []
    for rule in rules.in_scope(scope):
        if rule.whole_text:
            continue
        # Unlike lengths: read the whole text; its words as the gate would find them.
        words = phrases._words(text.lower().replace("\u2019", "'"))
        scan = Scan(text, "", everything, frozenset(), words)
        found += [(rule.id, hit.start, hit.end) for hit in rule.check.find(text, scope, scan)]
    return sorted(found)


class TestGate:
    """The anchor gate is a shortcut only: it never changes what is found."""

    @settings(deadline=None)
    @given(text=TEXTS, channel=st.sampled_from(["x", "email"]))
    def test_gate_never_changes_findings(self, text: str, channel: str) -> None:
        """Per-post findings with the gate equal those of every rule run everywhere."""
        scope = Scope(channel)
        rules = RuleSet.default()
        with_gate = [
            (f.rule, f.start, f.end)
            for f in check_text(text, channel=channel)
            if not rules[f.rule].whole_text
        ]
        assert sorted(with_gate) == without_gate(text, scope)

    @settings(deadline=None)
    @given(
        drafts=st.lists(
            st.tuples(
                st.lists(st.lists(PARAGRAPHS, min_size=1, max_size=3).map("\n\n".join), max_size=3),
                st.sampled_from(["x", "email", "sms", "slack", "facebook"]),
            ),
            max_size=4,
        ),
        stage=st.sampled_from([None, "investigating", "resolved"]),
        severity=st.sampled_from([None, "major", "minor"]),
        voice=st.sampled_from([None, "brand", "founder"]),
    )
    def test_drafts_checked_together_find_what_each_finds_alone(
        self,
        drafts: list[tuple[list[str], str]],
        stage: str | None,
        severity: str | None,
        voice: str | None,
    ) -> None:
        """check_drafts reads the paragraphs the drafts share once; every draft's
        findings are exactly check_parts' for it."""
        names = ("ACMEPAY",)
        together = check_drafts(drafts, stage=stage, severity=severity, voice=voice, names=names)
        alone = [
            check_parts(
                parts, channel=channel, stage=stage, severity=severity, voice=voice, names=names
            )
            for parts, channel in drafts
        ]
        assert together == alone

    @pytest.mark.parametrize(
        ("phrase", "runs_on"),
        [
            ("acme inc. said", True),  # a word ending in "." with more after it
            ("said acme inc.", False),  # the full stop ends the match
            ("@abbrev later", True),  # a list entry ending in "."
            ("by|at #", False),  # a number never ends in "."
            ("in # hours", False),
        ],
    )
    def test_phrases_that_run_on_past_a_full_stop(self, phrase: str, runs_on: bool) -> None:
        """A phrase whose match may hold ". " is known, so drafts it reads are not split
        into sentences there."""
        (compiled,) = compile_phrases([phrase], {"abbrev": ("e.g.", "a.m.")}, "phrases")
        assert compiled.full_stop is runs_on

    def test_sentences_end_at_full_stops_but_not_in_links(self) -> None:
        """A paragraph is split after a full stop followed by a space or a line break,
        but not after one that ends a link or an address (it is part of the link)."""
        from crisiscomms.tone.engine import _pieces

        paragraph = "We are sorry. See https://x.example/a. Or help@x.example. Done.\nNext. x.y"
        pieces = _pieces(paragraph, True)
        assert [piece for _, piece in pieces] == [
            "We are sorry.",
            "See https://x.example/a. Or help@x.example. Done.",
            "Next.",
            "x.y",
        ]
        assert all(paragraph[at : at + len(piece)] == piece for at, piece in pieces)
        assert _pieces(paragraph, False) == [(0, paragraph)]

    def test_the_marks_phrases_narrow_are_the_common_marks(self) -> None:
        """The lower-cased text stands in for every common mark but the apostrophe
        (which it straightens), each by a control character: one for both dashes (a
        separator), one for both bullets, one for each quote and the ellipsis. The
        two lists stay in step."""
        from crisiscomms.tone.readability import COMMON_MARKS

        assert set(phrases._NARROWED) == set(COMMON_MARKS) - {"\u2019"}
        stand_ins = [phrases._NARROWED[mark] for mark in sorted(phrases._NARROWED)]
        assert all(char < " " for char in stand_ins)
        assert len(set(stand_ins)) == len(stand_ins) - 2  # dashes share one, bullets one
        dash = phrases._NARROWED["\u2013"]
        assert phrases._NARROWED["\u2014"] == dash
        assert re.fullmatch(phrases._SEP, dash)  # still between two words

    def test_marks_in_list_entries_match_in_both_texts(self) -> None:
        """A list entry holding a dash or curly quotes matches the text, whether it is
        read lower-cased (where those marks stand for themselves as control
        characters) or as written."""
        (phrase,) = compile_phrases(["@words"], {"words": ("24\u20137", "\u201cfine\u201d")}, "p")
        text = "Open 24\u20137, and \u201cfine\u201d; not 24-7 or fine."
        fast = group_of([phrase])
        low = phrases.lowered(text)
        assert len(low) == len(text)
        assert low.isascii()
        spans = [m.span() for m in fast.finditer(text, low, 0, len(text))]
        assert spans == [m.span() for m in fast.finditer(text, None, 0, len(text))]
        assert [text[a:b] for a, b in spans] == ["24\u20137", "\u201cfine\u201d"]
        # A dash between two words is a separator in both.
        (phrase,) = compile_phrases(["third party"], {}, "p")
        dashed = "A third \u2013 party and a third\u2014party."
        both = group_of([phrase])
        low = phrases.lowered(dashed)
        found = [m.span() for m in both.finditer(dashed, low, 0, len(dashed))]
        assert found == [m.span() for m in both.finditer(dashed, None, 0, len(dashed))]
        assert len(found) == 2

    def test_a_number_ends_at_its_last_digit(self) -> None:
        """'by 3.' holds the number 3 and a full stop, so the match stops before it."""
        (compiled,) = compile_phrases(["by #"], {}, "phrases")
        found = re.search(compiled.source, "Next update by 3. Then", re.IGNORECASE)
        assert found is not None
        assert found.group() == "by 3"

    @pytest.mark.parametrize("phrase", ["acme inc. said", "we are sorry"])
    def test_drafts_split_into_sentences_only_where_no_phrase_runs_on(self, phrase: str) -> None:
        """Drafts sharing paragraphs find what each finds alone, whether their
        paragraphs are read sentence by sentence or, for a phrase running on past a
        full stop, whole."""
        rules = RuleSet.default().with_rules(
            Rule.from_mapping(
                {"id": "t.phrase", "type": "existence", "level": "warning", "message": "{match}",
                 "phrases": [phrase]}
            )
        )  # fmt: skip
        shared = "Acme Inc. said so.\nWe are sorry. Acme Inc.\nsaid it again."
        drafts = [([shared, "Acme Inc. said no."], "x"), ([f"Hi.\n\n{shared}"], "email")]
        together = check_drafts(drafts, rules=rules)
        alone = [check_parts(parts, channel=channel, rules=rules) for parts, channel in drafts]
        assert together == alone
        assert any(finding.rule == "t.phrase" for found in together for finding in found)

    def test_a_phrase_missing_another_required_word_is_not_tried(self) -> None:
        """A text holding the anchor but not the other required words never runs (or
        compiles) the phrase; with every word there it matches."""
        rule = Rule.from_mapping(
            {
                "id": "t.blame",
                "type": "existence",
                "level": "warning",
                "message": "{match}",
                "phrases": ["rogue|careless ...1 engineer*|contractor*"],
            }
        )
        check_ = rule.check
        assert isinstance(check_, Existence)
        (group,) = check_.phrases
        assert group.requires  # the anchor is one item; the other is required too
        rules = RuleSet((rule,))
        assert check_text("Our engineers are working on it.", channel="x", rules=rules) == []
        assert check_text("A careless person did it.", channel="x", rules=rules) == []
        assert getattr(group.fast, "_compiled", None) is None
        found = check_text("A careless engineer did it.", channel="x", rules=rules)
        assert [finding.message for finding in found] == ["careless engineer"]

    def test_prefix_and_exact_anchors(self) -> None:
        """'word' is held by that word only; 'word*' by any word beginning so."""
        gate = Gate(["vendor*", "fault", "24"])
        held = gate.scan("Our Vendor\u2019s faults, 24/7.").held
        assert held == frozenset({"vendor*", "24"})

    @given(text=st.text(alphabet=".!?\u2026\n \t\"')]\u201d\u2019a\u00a0\r", max_size=30))
    def test_sentence_end_as_written_plainly(self, text: str) -> None:
        """The sentence-end pattern, written for speed, finds what its plain form finds."""
        plain = re.compile(r"[.!?\u2026]+[\"'\u201d\u2019)\]]*(?=\s)|\n[^\S\n]*\n")
        fast = [mark.span() for mark in phrases._SENTENCE_END.finditer(text)]
        assert fast == [mark.span() for mark in plain.finditer(text)]

    def test_windows_are_paragraphs(self) -> None:
        """A rule reads only the paragraphs holding its anchors."""
        filler = "Filler sentence here. " * 20
        text = f"{filler}\n\nWe guarantee it. We do.\n\n{filler}\n\nguaranteed, or guarantees"
        scan = Gate(["guarantee"]).scan(text)
        [(begin, end)] = scan.windows(frozenset({"guarantee"}))
        assert text[begin:end].strip() == "We guarantee it. We do."
        # A word beginning so holds a prefix anchor; a word merely holding it does not.
        glued = text.replace("We guarantee", "Weguarantee")
        scan = Gate(["guarantee*"]).scan(glued)
        [(begin, end)] = scan.windows(frozenset({"guarantee*"}))
        assert glued[begin:end].startswith("guaranteed")

    @given(
        words=st.lists(st.sampled_from(["at", "that", "at's", "x", "\n\n", ". ", "_at", "at%"])),
        prefix=st.booleans(),
    )
    def test_windows_hold_every_standing_anchor(self, words: list[str], prefix: bool) -> None:
        """Every place the anchor stands as a word (or begins one) lies in a window,
        and every window is a whole paragraph holding one."""
        text = " ".join(words)
        anchor = "at*" if prefix else "at"
        scan = Scan(text, None, frozenset({anchor}), frozenset())
        windows = scan.windows(frozenset({anchor}))
        pattern = r"(?<![\w'%])at" + ("" if prefix else r"(?![\w'%])")
        for match in re.finditer(pattern, text):
            assert any(begin <= match.start() < end for begin, end in windows)
        for begin, end in windows:
            assert begin == 0 or text[begin - 2 : begin] == "\n\n"
            assert end == len(text) or text[end - 2 : end] == "\n\n"
            assert re.search(pattern, text[begin:end])


class TestWideSpace:
    """The readability counts' list of white space outside ASCII is Python's own."""

    def test_every_non_ascii_space_and_nothing_else(self) -> None:
        from crisiscomms.tone import readability

        for code in range(128, 0x110000):
            char = chr(code)
            assert bool(readability._WIDE_SPACE.match(char)) == bool(re.match(r"\s", char)), hex(
                code
            )


class TestLazyPatterns:
    """Phrase patterns are compiled when a text first wakes them, and find the same."""

    def test_only_woken_groups_are_compiled(self) -> None:
        rule = Rule.from_mapping(
            {
                "id": "t.lazy",
                "type": "existence",
                "level": "warning",
                "message": "{match}",
                "phrases": ["we guarantee*", "fully secure", "never ...2 again"],
            }
        )
        check_ = rule.check
        assert isinstance(check_, Existence)
        groups = check_.phrases
        assert all(getattr(group.fast, "_compiled", None) is None for group in groups)
        found = check_text("We guaranteed it.", channel="x", rules=RuleSet((rule,)))
        assert [finding.message for finding in found] == ["We guaranteed"]
        compiled = [getattr(group.fast, "_compiled", None) is not None for group in groups]
        assert compiled.count(True) == 1

    def test_a_lazy_pattern_matches_as_compiled(self) -> None:
        lazy = phrases.LazyPattern(r"sec(ure)?", re.IGNORECASE)
        text = "Fully SECURE, secure, sec."
        assert [m.span() for m in lazy.finditer(text, 2)] == [
            m.span() for m in re.compile(r"sec(ure)?", re.IGNORECASE).finditer(text, 2)
        ]
        assert lazy.search(text, 0, 5) is None


class TestFindings:
    """Shape of the findings check_text returns."""

    def test_sorted_by_start_then_rule(self) -> None:
        """Findings come sorted by (start, rule)."""
        text = "Sorry for any inconvenience. A bad actor did it!! We believe so."
        findings = check_text(text, channel="x", stage="investigating", severity="major")
        keys = [(f.start, f.rule) for f in findings]
        assert keys == sorted(keys)
        assert len(findings) >= 4

    def test_source_and_channel_and_part(self) -> None:
        """Each finding carries the rule's source, the channel and the part number."""
        rules = RuleSet.default()
        [finding] = check_text("A bad actor got in.", channel="facebook", part=3, rules=rules)
        assert finding.rule == "crisis.euphemism"
        assert finding.source == rules["crisis.euphemism"].source
        assert (finding.channel, finding.part, finding.level) == ("facebook", 3, Level.WARNING)

    def test_message_fills_match(self) -> None:
        """The message's {match} is the matched text."""
        [finding] = check_text("Our vendor failed.", channel="x")
        assert "'Our vendor failed'" in finding.message or "'vendor failed'" in finding.message

    def test_substitution_suggests_in_case(self) -> None:
        """A substitution suggests its replacement, capitalised like the match."""
        [finding] = check_text("At this time the app is down.", channel="x")
        assert finding.rule == "plain.corporate-speak"
        assert finding.suggestion == "Now"
        assert finding.level is Level.SUGGESTION

    def test_longest_substitution_wins(self) -> None:
        """'at this point in time' is one finding, not two."""
        findings = check_text("At this point in time we know.", channel="x")
        assert [f.suggestion for f in findings] == ["Now"]

    def test_enums_accepted(self) -> None:
        """Enum members (str subclasses, as the model's) are read by value."""

        class Stage(str, enum.Enum):
            INVESTIGATING = "investigating"

        class Channel(str, enum.Enum):
            X = "x"

        findings = check_text("We believe it's DNS.", channel=Channel.X, stage=Stage.INVESTIGATING)
        assert "crisis.speculation" in [f.rule for f in findings]
        assert {f.channel for f in findings} == {"x"}

    def test_empty_channel_refused(self) -> None:
        """A channel must be named."""
        with pytest.raises(ValidationError):
            check_text("Hello.", channel="")


class TestRuleTypes:
    """Behaviour of each rule type beyond the corpus."""

    def test_occurrence_counts_each_match_once(self) -> None:
        """A sentence holding two anchors is read twice on the way to a minimum; its
        one match still counts once."""
        rule = Rule.from_mapping(
            {
                "id": "t.two-apologies",
                "type": "occurrence",
                "level": "warning",
                "message": "{count} of {min}",
                "min": 2,
                "phrases": ["sorry for", "apologize"],
            }
        )
        rules = RuleSet((rule,))
        [finding] = check_text("Sorry, we apologize.", channel="x", rules=rules)
        assert finding.message == "1 of 2"
        assert check_text("Sorry for this. We apologize.", channel="x", rules=rules) == []

    def test_occurrence_max_marks_first_excess(self) -> None:
        """Past the hedge cap, the finding marks the first hedge over it."""
        text = "It may be slow. It might fail. Possibly both. Perhaps not."
        [finding] = [f for f in check_text(text, channel="x") if f.rule == "crisis.hedging"]
        assert text[finding.start : finding.end] == "Possibly"
        assert "4 hedges" in finding.message

    def test_may_as_month_is_not_a_hedge(self) -> None:
        """'May 3' is a date, not a hedge."""
        text = "On May 3 and May 4 we moved servers. It may be slow. It might fail."
        assert [f for f in check_text(text, channel="x") if f.rule == "crisis.hedging"] == []

    def test_occurrence_min_spans_whole_text(self) -> None:
        """A missing apology is reported over the whole text."""
        text = "Sign-in is down."
        [finding] = [
            f
            for f in check_text(text, channel="x", severity="major")
            if f.rule == "crisis.apology-required"
        ]
        assert (finding.start, finding.end) == (0, len(text))

    def test_consistency_flags_the_later_form(self) -> None:
        """Of two spellings, every use of the one that appears second is flagged."""
        text = "Use email. Our e-mail team reads every e-mail."
        findings = [f for f in check_text(text, channel="x") if f.rule == "plain.consistency"]
        assert [text[f.start : f.end] for f in findings] == ["e-mail", "e-mail"]
        assert findings[0].suggestion == "email"

    def test_pronoun_i_is_case_sensitive(self) -> None:
        """The 'i' of 'i.e.' is not the pronoun I."""
        text = "We reset sessions, i.e. everyone signs in again."
        assert check_text(text, channel="x", voice="brand") == []

    def test_emoji_sequences_count_once(self) -> None:
        """A joined emoji or a flag counts as one emoji; (c) alone is not one."""
        text = "Back up \U0001f469\u200d\U0001f4bb in \U0001f1ec\U0001f1e7 \u00a9 Example"
        findings = check_text(text, channel="x", severity="minor")
        assert [text[f.start : f.end] for f in findings] == ["\U0001f1ec\U0001f1e7"]

    def test_exclamation_run_is_one(self) -> None:
        """A run such as '!!!' counts as one exclamation."""
        findings = check_text("Fixed!!! Thanks!", channel="x", severity="minor")
        assert [f.start for f in findings] == [15]

    def test_hashtags_not_in_urls_or_headings(self) -> None:
        """URL fragments, numbers and Markdown headings are not hashtags."""
        text = "## What happened\nSee https://example.com/page#top and issue #42."
        assert check_text(text, channel="email") == []

    def test_readability_finding_spans_text(self) -> None:
        """A readability finding spans the whole text and names the grade."""
        text = (
            "Comprehensive infrastructural remediation necessitates multidisciplinary "
            "collaboration across organisational boundaries, consequently precipitating "
            "unanticipated operational discontinuities affecting numerous subscribers "
            "throughout the continental distribution territories."
        )
        [finding] = [f for f in check_text(text, channel="email") if f.rule == "plain.readability"]
        assert (finding.start, finding.end) == (0, len(text))
        assert "above 10" in finding.message


class TestScoping:
    """Rules apply only in their channels, stages, severities and voices."""

    def test_stage_scoped(self) -> None:
        """Speculation is flagged while investigating, not once resolved."""
        text = "We believe a disk failed."
        fired = check_text(text, channel="slack", stage="investigating")
        assert [f.rule for f in fired] == ["crisis.speculation"]
        assert check_text(text, channel="x", stage="resolved") == []
        assert check_text(text, channel="x") == []

    def test_voice_scoped(self) -> None:
        """'I' is refused for the brand voice only."""
        assert [f.rule for f in check_text("I am sorry.", channel="x", voice="brand")] == [
            "voice.brand-pronoun"
        ]
        assert check_text("I am sorry.", channel="x", voice="founder") == []

    def test_channel_scoped(self) -> None:
        """The apology requirement covers public channels, not Slack or the status page."""
        text = "Sign-in is down."
        for channel in ("email", "x", "sms"):
            rules = [f.rule for f in check_text(text, channel=channel, severity="critical")]
            assert "crisis.apology-required" in rules
        for channel in ("slack", "statuspage"):
            rules = [f.rule for f in check_text(text, channel=channel, severity="critical")]
            assert "crisis.apology-required" not in rules

    def test_severity_tables(self) -> None:
        """One emoji is allowed at minor severity and none at critical."""
        assert check_text("Fixed \U0001f389", channel="slack", severity="minor") == []
        assert len(check_text("Fixed \U0001f389", channel="slack", severity="critical")) == 1

    def test_channel_tables(self) -> None:
        """Three hashtags pass on LinkedIn and draw two findings on X."""
        text = "Update: #security #status #example"
        assert check_text(text, channel="linkedin") == []
        assert len(check_text(text, channel="x")) == 2

    def test_next_update_only_while_open(self) -> None:
        """A next-update time is asked for before resolution, not after."""
        text = "We are sorry. A fix is live."
        assert "crisis.next-update" in [
            f.rule for f in check_text(text, channel="x", stage="monitoring")
        ]
        assert check_text(text, channel="x", stage="resolved") == []

    @pytest.mark.parametrize("voice", ["founder", "ceo", "community-manager", "brand"])
    @pytest.mark.parametrize("stage", ["investigating", "identified", "monitoring", "resolved"])
    @pytest.mark.parametrize("severity", ["minor", "major", "critical"])
    @pytest.mark.parametrize(("channel", "text"), [("x", X_POST), ("email", EMAIL)])
    def test_whole_drafts_clean(
        self, voice: str, stage: str, severity: str, channel: str, text: str
    ) -> None:
        """Whole drafts in the library's own shape pass every bundled rule."""
        findings = check_text(text, channel=channel, voice=voice, stage=stage, severity=severity)
        if voice == "brand":  # the email is signed by a person, who may say I
            findings = [f for f in findings if f.rule != "voice.brand-pronoun"]
        assert serious(findings) == []


USER_RULE = """
[lists]
product = ["acme cloud", "acmecloud"]

[[rule]]
id = "acme.product-name"
family = "naming"
type = "substitution"
level = "warning"
message = "Write '{suggestion}', not '{match}'."
source = "Acme brand book"
swap = { "@product" = "Acme Cloud" }
"""


class TestUserRuleFiles:
    """Adding, overriding and refusing user rule files."""

    def test_added_with_own_list(self, tmp_path: Path) -> None:
        """A file's rule, using the file's own word list, joins the bundled ones."""
        rules = RuleSet.default().with_files(write(tmp_path, USER_RULE))
        findings = check_text("Our acmecloud is down.", channel="x", rules=rules)
        assert [f.suggestion for f in findings] == ["Acme Cloud"]
        assert len(rules) == len(RuleSet.default()) + 1

    def test_bundled_lists_usable(self, tmp_path: Path) -> None:
        """A user phrase may name a bundled list (@supplier)."""
        text = USER_RULE.replace('"@product"', '"@supplier"')
        rules = RuleSet.from_files(write(tmp_path, text))
        assert check_text("The vendor", channel="x", rules=rules)[0].suggestion == "Acme Cloud"

    def test_override_and_disable(self, tmp_path: Path) -> None:
        """A same-id rule replaces the bundled one; 'disable' drops another."""
        text = USER_RULE.replace("acme.product-name", "crisis.overpromise")
        text += '\ndisable = ["crisis.legalese"]\n'
        text = 'disable = ["crisis.legalese"]\n' + text.replace(
            '\ndisable = ["crisis.legalese"]\n', ""
        )
        rules = RuleSet.default().with_files(write(tmp_path, text))
        assert rules["crisis.overpromise"].type == "substitution"
        assert "crisis.legalese" not in rules

    def test_every_mistake_reported_with_its_line(self, tmp_path: Path) -> None:
        """A file with three mistakes reports all three, each with its line."""
        text = """[[rule]]
id = "my.one"
type = "existence"
level = "loud"
message = "x"
phrases = ["foo"]

[[rule]]
id = "my.two"
type = "existence"
level = "warning"
message = "y"
phrases = ["@nolist bar"]

[[rule]]
id = "my.three"
type = "nonsense"
level = "warning"
message = "z"
"""
        with pytest.raises(RuleFileError) as caught:
            RuleSet.default().with_files(write(tmp_path, text))
        problems = caught.value.problems
        assert [(p.field, p.line) for p in problems] == [
            ("my.one.level", 4),
            ("my.two.phrases[0]", 13),
            ("my.three.type", 17),
        ]
        assert "3 mistakes" in str(caught.value)
        assert isinstance(caught.value, LoadError)

    def test_malformed_toml(self, tmp_path: Path) -> None:
        """A file that is not TOML is refused with its line."""
        with pytest.raises(LoadError) as caught:
            RuleSet.from_files(write(tmp_path, "[[rule]\nid = 1\n"))
        assert caught.value.line == 1

    def test_unknown_field(self, tmp_path: Path) -> None:
        """A misspelt field is named, with the known ones."""
        with pytest.raises(RuleFileError) as caught:
            RuleSet.from_files(write(tmp_path, USER_RULE.replace("swap =", "swaps =")))
        assert caught.value.field == "acme.product-name.swaps"
        assert "known: swap" in str(caught.value)

    def test_disable_unknown(self, tmp_path: Path) -> None:
        """'disable' naming no rule is refused with its line."""
        with pytest.raises(RuleFileError) as caught:
            RuleSet.default().with_files(write(tmp_path, 'disable = ["crisis.nope"]\n'))
        assert caught.value.line == 1

    def test_duplicate_in_file(self, tmp_path: Path) -> None:
        """The same id twice in one file is refused."""
        with pytest.raises(RuleFileError):
            RuleSet.from_files(write(tmp_path, USER_RULE + USER_RULE.split("\n", 4)[4]))

    def test_missing_file(self, tmp_path: Path) -> None:
        """A missing file is a LoadError naming the path."""
        with pytest.raises(LoadError) as caught:
            RuleSet.from_files(tmp_path / "nope.toml")
        assert caught.value.path.endswith("nope.toml")

    def test_unknown_top_level_key(self, tmp_path: Path) -> None:
        """Only [[rule]], [lists] and disable may stand at the top."""
        with pytest.raises(RuleFileError) as caught:
            RuleSet.from_files(write(tmp_path, "rules = 1\n"))
        assert caught.value.field == "rules"

    @pytest.mark.parametrize(
        ("fields", "field"),
        [
            ({"type": "occurrence", "phrases": ["x"]}, "min"),
            ({"type": "occurrence", "phrases": ["x"], "min": 3, "max": 1}, "min"),
            ({"type": "existence"}, "phrases"),
            ({"type": "existence", "phrases": ["a("]}, "phrases[0]"),
            ({"type": "existence", "pattern": "a("}, "pattern"),
            ({"type": "existence", "phrases": ["x"], "unless": ["@none"]}, "unless[0]"),
        ],
    )
    def test_type_fields_checked(self, fields: dict[str, Any], field: str) -> None:
        """Each type checks its own fields and names the bad one."""
        with pytest.raises(ValidationError) as caught:
            Rule.from_mapping({"id": "t.x", "level": "warning", "message": "m", **fields})
        assert caught.value.field == field


class TestDisabling:
    """Rule sets without some rules."""

    def test_without(self) -> None:
        """without() drops the named rules and keeps the rest in order."""
        rules = RuleSet.default().without("crisis.hedging", "plain.readability")
        assert "crisis.hedging" not in rules
        assert len(rules) == len(RuleSet.default()) - 2

    def test_unknown_id(self) -> None:
        """An unknown id raises UnknownNameError listing the known ones."""
        with pytest.raises(UnknownNameError) as caught:
            RuleSet.default().without("crisis.nope")
        assert "crisis.hedging" in caught.value.known

    def test_empty_set(self) -> None:
        """An empty set finds nothing."""
        assert check_text("We guarantee it!!!", channel="x", rules=RuleSet.empty()) == []


class TestCommandLineRules:
    """--rules and --disable on check and draft."""

    def run(self, *argv: str) -> tuple[int, str, str]:
        """The exit status, standard output and standard error of the command line."""
        out, err = io.StringIO(), io.StringIO()
        code = main(list(argv), stdout=out, stderr=err)
        return code, out.getvalue(), err.getvalue()

    def test_disable(self, tmp_path: Path) -> None:
        """--disable leaves the rule out of check."""
        text = write(tmp_path, "We guarantee it.", "text.txt")
        code, out, _ = self.run("check", str(text), "--channel", "x")
        assert "crisis.overpromise" in out
        code, out, _ = self.run(
            "check", str(text), "--channel", "x", "--disable", "crisis.overpromise"
        )
        assert (code, out.splitlines()[-1]) == (0, "0 findings")
        assert "crisis.overpromise" not in out

    def test_rules_files_repeatable(self, tmp_path: Path) -> None:
        """Each --rules file adds its rules."""
        text = write(tmp_path, "Try acmecloud.", "text.txt")
        first = write(tmp_path, USER_RULE, "a.toml")
        second = write(tmp_path, USER_RULE.replace("acme.product-name", "acme.again"), "b.toml")
        _, out, _ = self.run(
            "check", str(text), "--channel", "x", "--rules", str(first), "--rules", str(second)
        )
        assert "acme.product-name" in out
        assert "acme.again" in out

    def test_bad_rules_file_one_line_exit_2(self, tmp_path: Path) -> None:
        """A bad rules file is one line on standard error and exit 2."""
        text = write(tmp_path, "Fine.", "text.txt")
        bad = write(tmp_path, USER_RULE.replace('level = "warning"', 'level = "loud"'))
        code, _, err = self.run("check", str(text), "--channel", "x", "--rules", str(bad))
        assert code == 2
        assert err.count("\n") == 1
        assert ":9:" in err

    def test_unknown_disable_exit_2(self, tmp_path: Path) -> None:
        """--disable naming no rule is bad input."""
        text = write(tmp_path, "Fine.", "text.txt")
        code, _, err = self.run("check", str(text), "--channel", "x", "--disable", "no.such")
        assert code == 2
        assert "no.such" in err

    def test_draft_takes_them(self, tmp_path: Path) -> None:
        """draft accepts --rules and --disable too."""
        example = HERE.parent / "examples" / "buffer-2013.toml"
        code, _, _ = self.run(
            "draft",
            str(example),
            "--channel",
            "x",
            "--disable",
            "plain.readability",
            "--rules",
            str(write(tmp_path, USER_RULE)),
        )
        assert code == 0


class TestReadability:
    """The offline Flesch-Kincaid grade and its syllable counter."""

    def test_grade_from_counts(self) -> None:
        """The grade matches the formula applied by hand to known counts.

        "Our engineers restored the service." has 5 words, 1 sentence and
        1 + 3 + 2 + 1 + 2 = 9 syllables: 0.39 * 5 + 11.8 * 9 / 5 - 15.59 = 7.6.
        """
        stats = text_stats("Our engineers restored the service.")
        assert (stats.words, stats.sentences, stats.syllables) == (5, 1, 9)
        assert flesch_kincaid_grade("Our engineers restored the service.") == pytest.approx(
            7.6, abs=0.01
        )

    def test_monosyllables(self) -> None:
        """Two short sentences of one-syllable words grade below zero.

        11 words, 2 sentences, 11 syllables: 0.39 * 5.5 + 11.8 - 15.59 = -1.645.
        """
        grade = flesch_kincaid_grade("The cat sat on the mat. It was a good day.")
        assert grade == pytest.approx(-1.645, abs=0.01)

    def test_plain_beats_dense(self) -> None:
        """Plain crisis wording grades far lower than dense corporate wording."""
        plain = "We are sorry. Sign-in is down. We are fixing it now."
        dense = (
            "Unanticipated authentication infrastructure degradation is precipitating "
            "intermittent service unavailability."
        )
        assert flesch_kincaid_grade(plain) < 3 < 15 < flesch_kincaid_grade(dense)

    @pytest.mark.parametrize(
        ("word", "syllables"),
        [
            ("cat", 1),
            ("make", 1),
            ("table", 2),
            ("fixed", 1),
            ("posted", 2),
            ("changes", 2),
            ("exposed", 2),
            ("service", 2),
            ("serious", 3),
            ("media", 3),
            ("priority", 4),
            ("investigating", 5),
            ("authentication", 5),
            ("responsibility", 6),
            ("we're", 1),
            ("don\u2019t", 1),
            ("people", 2),
            ("hours", 1),
            ("PDT", 1),
        ],
    )
    def test_syllables(self, word: str, syllables: int) -> None:
        """The syllable counter gets common words right."""
        assert count_syllables(word) == syllables

    def test_links_and_numbers_not_words(self) -> None:
        """URLs, addresses, mentions and numbers are not counted as words."""
        stats = text_stats("Write to help@example.com or @example, see https://x.example/a 42.")
        assert stats.words == 4  # Write, to, or, see

    def test_lines_are_sentences(self) -> None:
        """A heading or list item on its own line is a sentence."""
        assert text_stats("## What happened\n- One thing\n- Another thing").sentences == 3

    def test_a_wrapped_line_goes_on_with_its_sentence(self) -> None:
        """A line break before a lower-case letter is a wrap, not a sentence end: a
        wrapped paragraph counts as it does unwrapped; a list item or a heading still
        ends its line."""
        wrapped = "We have stopped all posting while we find out\nhow it happened. It\n  is fixed."
        assert text_stats(wrapped) == text_stats(" ".join(wrapped.split()))
        assert text_stats(wrapped).sentences == 2
        assert text_stats("What we know\n- one thing\n- another\nNext update soon").sentences == 4
        assert text_stats("It broke?\nthen it worked").sentences == 2

    @given(
        text=st.lists(
            st.sampled_from(
                ["a", "B", "cd", " ", "\n", ".", "!", "?", "\u2026", '"', ")", "'", "\t", "x.y",
                 "-", "\u2022", "\u00a0", "9", "\u00e9", "\u00c9"]
            ),
            max_size=16,
        ).map("".join)
    )  # fmt: skip
    def test_sentences_counted_in_bytes_as_by_pattern(self, text: str) -> None:
        """The byte-level sentence count is the pattern's, line breaks and wraps included."""
        from crisiscomms.tone.readability import masked_links, masked_stats

        masked = masked_links(text)
        assert masked_stats(masked).sentences == masked_stats(masked, ascii_only=False).sentences

    def test_empty(self) -> None:
        """A text without words grades 0."""
        assert flesch_kincaid_grade("") == 0.0
        assert flesch_kincaid_grade("123 !!! https://example.com") == 0.0


LINKISH = st.lists(
    st.sampled_from(
        ["http", "https", "://", "s", "mailto:", "www.", ".", " ", "\n", "a", "\u2003", "x/y", ":"]
    ),
    max_size=14,
).map("".join)
_PROSE_WORDS = [
    "We", "don't", "''", "'", "it's", "e-mail", ".", "!", "?", "\u2026", "\u201d", ")",
    " ", "\n", "\u2013", "\u2022", "https://x.example/a", "a@b.example", "42",
]  # fmt: skip
# Mostly letters in ASCII (counted in one pass), sometimes not (counted piece by piece).
PROSE = st.one_of(
    st.lists(st.sampled_from(_PROSE_WORDS), max_size=30).map("".join),
    st.lists(st.sampled_from([*_PROSE_WORDS, "café", "\u00a0"]), max_size=30).map("".join),
)


class TestReadabilityCounting:
    """The counting shortcuts give what the plain definitions give."""

    @given(text=LINKISH)
    def test_links_blanked_as_the_pattern_blanks_them(self, text: str) -> None:
        from crisiscomms.tone import readability

        assert readability._blank_urls(text) == readability._URL.sub(readability._blank, text)

    @given(
        text=st.text(
            alphabet=st.sampled_from(
                ["a", " ", "\u00a0", "\u2003", "é", "²", "\u2013", "\u2022", "\u2019", "🎉", "ß"]
            ),
            max_size=12,
        )
    )
    def test_letters_and_wide_spaces_read_as_plainly_defined(self, text: str) -> None:
        """The shortcut through the common marks reads what a scan of every character
        outside ASCII reads."""
        from crisiscomms.tone import readability
        from crisiscomms.tone.checks import marks

        outside = set(re.findall(r"[^\x00-\x7f]", text))
        assert readability._outside_ascii(text) == (
            not any(readability._WORD.match(char) for char in outside),
            any(char.isspace() for char in outside),
        )
        # Shouting takes its fast path only where no letter lies outside ASCII.
        if readability.ascii_letters(text):
            assert not any(char.isalpha() for char in outside)
        assert marks.Emoji.possible(marks.Emoji.__new__(marks.Emoji), text) == any(
            char >= "\u2190" for char in outside
        )

    @given(pieces=st.lists(PROSE.filter(lambda piece: "\n\n" not in piece), min_size=1, max_size=5))
    def test_pieces_add_up(self, pieces: list[str]) -> None:
        """Each piece counted in one pass has its own counts, and pieces joined by
        blank lines have the sum of theirs."""
        from crisiscomms.tone.readability import TextStats, piece_stats

        text = "\n\n".join(pieces)
        starts = list(itertools.accumulate((len(piece) + 2 for piece in pieces[:-1]), initial=0))
        counts = piece_stats(text, starts)
        if counts is None:  # letters or white space outside ASCII: counted piece by piece
            assert not all(readability_ascii(piece) for piece in pieces) or any(
                readability_wide(piece) for piece in pieces
            )
            return
        assert [TextStats(*each) for each in counts] == [text_stats(piece) for piece in pieces]
        assert TextStats.total(counts) == text_stats(text)


def readability_ascii(text: str) -> bool:
    from crisiscomms.tone.readability import ascii_letters, masked_links

    return ascii_letters(masked_links(text))


def readability_wide(text: str) -> bool:
    return any(char.isspace() and not char.isascii() for char in text)


class TestCheckParts:
    """Threads: per-post rules on each post, whole-draft rules on the thread."""

    def test_apology_anywhere_in_thread(self) -> None:
        """An apology in any post satisfies the whole thread."""
        parts = ["Sign-in is down.", "We are sorry."]
        rules = [f.rule for f in check_parts(parts, channel="x", severity="major")]
        assert "crisis.apology-required" not in rules

    def test_spans_map_to_parts(self) -> None:
        """A finding in the second post is placed in it, with its own offsets."""
        parts = ["Sign-in is down.", "Sorry. We guarantee a fix."]
        [finding] = check_parts(parts, channel="x")
        assert finding.part == 1
        assert parts[1][finding.start : finding.end] == "guarantee"

    def test_excess_hedge_located_in_its_part(self) -> None:
        """A whole-thread count marks the excess in the post that holds it."""
        parts = ["It may be slow.", "It might fail.", "Possibly both, perhaps."]
        [finding] = [f for f in check_parts(parts, channel="x") if f.rule == "crisis.hedging"]
        assert (finding.part, parts[2][finding.start : finding.end]) == (2, "Possibly")

    def test_hashtags_counted_per_post(self) -> None:
        """The hashtag limit applies to each post of a thread."""
        assert check_parts(["Down. #status", "Back. #status"], channel="x") == []


class TestDeterminism:
    """Property tests: same input, same output; spans always valid."""

    @settings(deadline=None)
    @given(
        parts=st.lists(TEXTS, min_size=1, max_size=3),
        channel=st.sampled_from(["x", "email", "sms", "slack"]),
        stage=st.sampled_from([None, "investigating", "resolved"]),
        severity=st.sampled_from([None, "minor", "critical"]),
        voice=st.sampled_from([None, "brand", "founder"]),
    )
    def test_same_findings_valid_spans(
        self,
        parts: list[str],
        channel: str,
        stage: str | None,
        severity: str | None,
        voice: str | None,
    ) -> None:
        """Checking twice gives equal findings, each inside its part."""
        first = check_parts(parts, channel=channel, stage=stage, severity=severity, voice=voice)
        again = check_parts(parts, channel=channel, stage=stage, severity=severity, voice=voice)
        assert first == again
        for finding in first:
            assert 0 <= finding.start <= finding.end <= len(parts[finding.part])
