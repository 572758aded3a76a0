"""Tone rules in every shipped language: each language's corpus, the rules it
runs (its own and the format rules, never English's), and its readability measure."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

import crisiscomms
from crisiscomms import check, counting, i18n, load_incident, tone
from crisiscomms.errors import ValidationError
from crisiscomms.findings import Finding, Level

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

HERE = Path(__file__).parent
ROOT = HERE.parent
OTHERS = [tag for tag in i18n.SHIPPED if tag != i18n.DEFAULT]
EXAMPLES = sorted((ROOT / "examples").glob("*.toml"))


def _corpus(tag: str) -> dict[str, list[dict[str, str]]]:
    loaded: dict[str, Any] = tomllib.loads((HERE / f"tone_corpus_{tag}.toml").read_text("utf-8"))
    return loaded


def _serious(text: str, tag: str) -> list[Finding]:
    """What a new user sees: warnings and errors, with nothing but a channel and a language."""
    return [
        finding
        for finding in check(text, channel="email", locale=tag)
        if finding.level.rank >= Level.WARNING.rank
    ]


def _entries(kind: str) -> list[tuple[str, dict[str, str]]]:
    """Every language's entries of one kind (a missing corpus fails its size test)."""
    tags = [tag for tag in OTHERS if (HERE / f"tone_corpus_{tag}.toml").exists()]
    return [(tag, entry) for tag in tags for entry in _corpus(tag)[kind]]


def _id(item: tuple[str, dict[str, str]]) -> str:
    return f"{item[0]}:{item[1]['text'][:40]}"


STRIKE = _entries("strike")
SOUND = _entries("sound")


@pytest.mark.parametrize("tag", OTHERS)
def test_each_corpus_is_big_enough(tag: str) -> None:
    """At least 30 sentences to strike, in at least eight families, and 20 sound ones."""
    corpus = _corpus(tag)
    assert len(corpus["strike"]) >= 30
    assert len({entry["family"] for entry in corpus["strike"]}) >= 8
    assert len(corpus["sound"]) >= 20


@pytest.mark.parametrize("item", STRIKE, ids=[_id(item) for item in STRIKE])
def test_a_sentence_to_strike_is_caught_by_its_family(item: tuple[str, dict[str, str]]) -> None:
    tag, entry = item
    rules = tone.RuleSet.default(tag)
    found = {rules[finding.rule].family for finding in _serious(entry["text"], tag)}
    assert entry["family"] in found, (entry["text"], found)


@pytest.mark.parametrize("item", SOUND, ids=[_id(item) for item in SOUND])
def test_a_sound_sentence_passes(item: tuple[str, dict[str, str]]) -> None:
    tag, entry = item
    assert _serious(entry["text"], tag) == []


@pytest.mark.parametrize("tag", OTHERS)
class TestEachLanguageRules:
    def test_only_its_own_rules_and_the_format_rules_run(self, tag: str) -> None:
        """No English word list checks another language: every rule comes from the
        language's folder or from the format file every language shares."""
        names = tone.bundled_rule_files(tag)
        assert names[0] == tone.EVERY_LANGUAGE
        folder = tag.replace("-", "_")
        assert names[1:]
        assert all(name.startswith(f"{folder}/") for name in names[1:])
        english = tone.RuleSet.default()
        own = tone.RuleSet.default(tag)
        shared = {rule.id for rule in own.rules} & {rule.id for rule in english.rules}
        for rule_id in shared:
            # A shared id names the same family; only the format rules are the same rule.
            assert own[rule_id].family == english[rule_id].family
        assert "readability" in {rule.type for rule in own.rules}

    def test_english_stock_phrases_are_not_read_as_its_own(self, tag: str) -> None:
        """The English "any inconvenience" is English's to catch, not this language's."""
        found = {f.rule for f in check("Sorry for any inconvenience.", channel="x", locale=tag)}
        assert "crisis.any-inconvenience" not in found

    def test_readability_is_never_flesch_kincaid(self, tag: str) -> None:
        rule = tone.RuleSet.default(tag)["plain.readability"]
        assert rule.options.get("formula") not in (None, "flesch-kincaid")

    @pytest.mark.parametrize("path", EXAMPLES, ids=lambda path: path.stem)
    def test_its_drafts_of_the_examples_have_no_tone_error(self, tag: str, path: Path) -> None:
        """The catalogue and voices write drafts the language's own rules pass: an
        apology where one is due, a next update while open, no stock phrase."""
        record = load_incident(path)
        for voice in ("founder", "ceo", "community-manager", "brand"):
            bundle = crisiscomms.compose(record, locale=tag, voice=voice)
            errors = [
                f"{f.channel}: {f.rule}: {f.message}"
                for f in bundle.errors
                if not _no_room_for_an_apology(bundle["sms"].parts[0], f, tag)
            ]
            assert not errors, (voice, errors)
            warned = {f.rule for f in bundle.findings if f.level is Level.WARNING}
            assert not warned & {"crisis.next-update", "crisis.any-inconvenience"}, (voice, warned)


def _no_room_for_an_apology(sms: str, finding: Finding, tag: str) -> bool:
    """Whether ``finding`` is the SMS's missing apology, and even the language's
    shortest one would not fit in the segment (a UCS-2 message holds 70)."""
    if (finding.channel, finding.rule) != ("sms", "crisis.apology-required"):
        return False
    shortest = min(i18n.gettext(tag, "I'm sorry."), i18n.gettext(tag, "We're sorry."), key=len)
    return counting.sms_segments(f"{sms}\n{shortest}") > 1


def test_a_region_checks_with_its_language_s_rules() -> None:
    assert tone.bundled_rule_files("de-AT") == tone.bundled_rule_files("de")


def test_an_unshipped_language_is_refused_by_name() -> None:
    with pytest.raises(ValidationError) as raised:
        check("Bonjour", channel="x", locale="xx")
    assert raised.value.field == "locale"


@given(st.sampled_from(OTHERS), st.text(max_size=300))
def test_any_text_in_any_language_is_checked_without_error(tag: str, text: str) -> None:
    """Whatever the text, a check in any language returns findings, in order."""
    found = check(text, channel="x", locale=tag, severity="critical", stage="investigating")
    assert [(f.part, f.start, f.rule) for f in found] == sorted(
        (f.part, f.start, f.rule) for f in found
    )
    assert all(0 <= f.start <= f.end <= len(text) for f in found)


class TestReadingEase:
    @pytest.mark.parametrize(
        ("formula", "easy", "hard"),
        [
            (
                "amstad",
                "Wir haben den Fehler gefunden. Ihre Daten sind sicher.",
                "Die unverzügliche Wiederherstellung sämtlicher betroffener Benutzerkonten "
                "erfordert umfangreiche Überprüfungsmaßnahmen hinsichtlich der "
                "Zugriffsberechtigungen unterschiedlicher Organisationseinheiten.",
            ),
        ],
    )
    def test_short_words_and_sentences_read_easier(
        self, formula: str, easy: str, hard: str
    ) -> None:
        from crisiscomms.tone.readability import reading_ease

        assert reading_ease(easy, formula).score > reading_ease(hard, formula).score

    def test_syllables_are_groups_of_vowels(self) -> None:
        from crisiscomms.tone.readability import syllables_in

        assert syllables_in("Sicherheit", "de") == 3
        assert syllables_in("Bäume", "de") == 2
        assert syllables_in("données", "fr") == 2
        assert syllables_in("información", "es") == 4

    def test_a_hard_german_draft_is_warned(self) -> None:
        hard = " ".join(
            ["Die unverzügliche Wiederherstellung sämtlicher betroffener Benutzerkonten"]
            + ["erfordert umfangreiche Überprüfungsmaßnahmen hinsichtlich sämtlicher"] * 3
            + ["Zugriffsberechtigungen."]
        )
        found = {f.rule for f in check(hard, channel="x", locale="de")}
        assert "plain.readability" in found

    @pytest.mark.parametrize(
        ("fields", "refusal"),
        [
            ('formula = "amstad"\ngrades = { default = 9 }', "limited by 'ease'"),
            ('formula = "gunning"\nease = { default = 9 }', "unknown formula 'gunning'"),
        ],
    )
    def test_a_bad_formula_or_limit_is_named(
        self, tmp_path: Path, fields: str, refusal: str
    ) -> None:
        """A rule gives a known formula and only that formula's limit."""
        path = tmp_path / "rules.toml"
        path.write_text(
            '[[rule]]\nid = "r"\ntype = "readability"\nlevel = "warning"\n'
            f'message = "m"\n{fields}\n',
            encoding="utf-8",
        )
        with pytest.raises(tone.RuleFileError, match=refusal):
            tone.RuleSet.from_files(path)


_CASELESS = st.characters(min_codepoint=0x3041, max_codepoint=0x30FF) | st.characters(
    min_codepoint=0x4E00, max_codepoint=0x9FFF
)


@given(st.sampled_from(i18n.SHIPPED), st.text(_CASELESS, min_size=1, max_size=80))
def test_letters_without_case_are_never_shouting(tag: str, text: str) -> None:
    """Kana and kanji have no capitals: no run of them reads as shouting."""
    found = check(f"{text} {text}。", channel="x", locale=tag)
    assert "plain.shouting" not in {finding.rule for finding in found}


_GUESSES = {
    "de": "Vermutlich war ein gestohlenes Passwort die Ursache.",
    "fr": "La cause est probablement un mot de passe volé.",
    "es": "Probablemente la causa fue una contraseña robada.",
    "pt-BR": "Provavelmente a causa foi uma senha roubada.",
    "ja": "原因は盗まれたパスワードだと思われます。",
}


@pytest.mark.parametrize("tag", OTHERS)
def test_guesswork_is_caught_while_investigating_only(tag: str) -> None:
    """The speculation family runs at the investigating stage, in every language."""

    def rules(stage: str) -> set[str]:
        return {f.rule for f in check(_GUESSES[tag], channel="x", locale=tag, stage=stage)}

    assert "crisis.speculation" in rules("investigating")
    assert "crisis.speculation" not in rules("resolved")
