"""Languages: locale tags, translations of the record, catalogues, and drafts in every
shipped language."""

from __future__ import annotations

import datetime as dt
import re
import sys
from pathlib import Path

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import crisiscomms
from crisiscomms import Incident, compose, i18n, load_incident
from crisiscomms.drafts import EmailDraft
from crisiscomms.errors import LoadError, ValidationError
from crisiscomms.incident import Translation
from crisiscomms.testing import incidents, translated

from .conftest import EXAMPLES, ROOT, incident_fields

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10 only
    import tomli as tomllib

LOCALES = ROOT / "src" / "crisiscomms" / "locales"
OTHERS = [tag for tag in i18n.SHIPPED if tag != i18n.DEFAULT]
EXAMPLE_FILES = sorted(EXAMPLES.glob("*.toml"))
PLACEHOLDER = re.compile(r"%\([a-z_]+\)s")


def _catalogue(tag: str) -> object:
    from babel.messages.pofile import read_po

    path = LOCALES / tag.replace("-", "_") / "LC_MESSAGES" / "crisiscomms.po"
    with path.open("rb") as file:
        return read_po(file)


def _template_messages() -> set[str]:
    """Every message the templates and the code mark, extracted as the catalogue tool does."""
    from babel.messages.extract import extract_from_dir
    from babel.messages.frontend import parse_mapping_cfg

    with (ROOT / "babel.cfg").open(encoding="utf-8") as file:
        method_map, options_map = parse_mapping_cfg(file)  # type: ignore[no-untyped-call]
    keywords = {"N_": None, "_": None, "gettext": (2,)}
    return {
        message
        for _, _, message, _, _ in extract_from_dir(
            str(ROOT), method_map, options_map, keywords=keywords
        )
        if isinstance(message, str)
    }


class TestTags:
    @pytest.mark.parametrize(
        ("given_tag", "canonical"),
        [("de", "de"), ("pt_br", "pt-BR"), ("PT-br", "pt-BR"), ("de-AT", "de-AT"), ("ja", "ja")],
    )
    def test_tags_are_canonical(self, given_tag: str, canonical: str) -> None:
        """Case and separators do not matter; the tag comes back in BCP 47 form."""
        assert i18n.normalize(given_tag) == canonical

    @pytest.mark.parametrize(
        ("given_tag", "shipped"),
        [("de-AT", "de"), ("de-CH", "de"), ("es-MX", "es"), ("pt", "pt-BR"), ("fr-CA", "fr")],
    )
    def test_a_region_reads_its_language(self, given_tag: str, shipped: str) -> None:
        """A regional tag reads its language's catalogue."""
        assert i18n.catalogue_tag(given_tag) == shipped

    @pytest.mark.parametrize("refused", ["pt-PT", "ar", "xx", "", "de_", "english", "1"])
    def test_unshipped_or_malformed_tags_are_refused(self, refused: str) -> None:
        """A tag with no catalogue, or no tag at all, is a ValidationError naming the field."""
        with pytest.raises(ValidationError) as caught:
            i18n.catalogue_tag(refused)
        assert caught.value.field == "locale"

    @given(st.text(max_size=20))
    def test_any_text_is_a_tag_or_a_clear_error(self, text: str) -> None:
        """No input escapes as anything but a ValidationError."""
        field = None
        try:
            tag = i18n.normalize(text)
        except ValidationError as error:
            field = error.field
        else:
            assert i18n.normalize(tag) == tag
        assert field in (None, "locale")

    def test_direction_follows_the_script(self) -> None:
        """Arabic and Hebrew read right to left; the shipped languages left to right."""
        assert i18n.direction("ar") == i18n.direction("he") == "rtl"
        assert {i18n.direction(tag) for tag in i18n.SHIPPED} == {"ltr"}


class TestTranslations:
    def test_the_record_text_is_replaced(self, buffer_incident: Incident) -> None:
        """A complete translation replaces every text; names stay as written."""
        record = translated(buffer_incident, "de", lambda text: f"[de] {text}")
        german = record.in_language("de")
        assert german.locale == "de"
        assert german.summary.startswith("[de] ")
        assert all(item.startswith("[de] ") for item in german.user_actions)
        assert german.organization == buffer_incident.organization
        assert german.status_url == buffer_incident.status_url

    def test_the_record_language_needs_no_translation(self, buffer_incident: Incident) -> None:
        """A regional tag of the record's own language uses the record as written."""
        assert buffer_incident.in_language("en-GB").summary == buffer_incident.summary
        assert buffer_incident.in_language() is buffer_incident

    def test_a_missing_translation_is_refused(self, buffer_incident: Incident) -> None:
        """Drafting in a language the record has no text for names the table to add."""
        untranslated = attrs.evolve(buffer_incident, translations={})
        with pytest.raises(ValidationError) as caught:
            compose(untranslated, locale="fr")
        assert caught.value.field == "translations.fr"
        assert "[translations.fr]" in str(caught.value)

    def test_an_incomplete_translation_names_the_missing_fields(self) -> None:
        """Every missing text is counted, and the first is the error's field."""
        record = Incident(**incident_fields(), translations={"de": Translation(title="Kasse")})
        with pytest.raises(ValidationError) as caught:
            record.in_language("de")
        assert caught.value.field == "translations.de.summary"
        message = str(caught.value)
        assert "translations.de.impact" in message
        assert "would mix languages" in message

    def test_a_list_of_another_length_is_refused(self) -> None:
        """A translated list has exactly the record's items."""
        record = translated(Incident(**incident_fields()), "de")
        text = record.translations["de"]
        short = attrs.evolve(text, actions=())
        with pytest.raises(ValidationError) as caught:
            attrs.evolve(record, translations={"de": short}).in_language("de")
        assert caught.value.field == "translations.de.actions"

    def test_every_timeline_entry_needs_its_text(self) -> None:
        """A timeline entry without a translated message is refused by its index."""
        record = load_incident(EXAMPLES / "buffer-2013-timeline.toml")
        full = translated(record, "es")
        text = full.translations["es"]
        fewer = attrs.evolve(text, updates=text.updates[:-1])
        with pytest.raises(ValidationError) as caught:
            attrs.evolve(full, translations={"es": fewer}).in_language("es")
        assert (caught.value.field or "").startswith("translations.es.updates")

    def test_a_translation_loads_from_a_file(self, tmp_path: Path) -> None:
        """``[translations.<tag>]`` tables load; a wrong field is named with its file and line."""
        source = (EXAMPLES / "buffer-2013.toml").read_text(encoding="utf-8")
        good = tmp_path / "good.toml"
        # Regional tags: the example carries its own translations under the languages' tags.
        good.write_text(source + '\n[translations.es-MX]\ntitle = "Spam"\n', encoding="utf-8")
        assert load_incident(good).translations["es-MX"].title == "Spam"
        bad = tmp_path / "bad.toml"
        bad.write_text(source + '\n[translations.de-CH]\ntitel = "Spam"\n', encoding="utf-8")
        with pytest.raises(LoadError) as caught:
            load_incident(bad)
        assert caught.value.field == "translations.de-CH.titel"
        assert "unknown field" in str(caught.value)

    def test_a_bad_tag_in_a_file_is_named(self, tmp_path: Path) -> None:
        """A translation under a tag that is no language is refused by its key."""
        source = (EXAMPLES / "buffer-2013.toml").read_text(encoding="utf-8")
        bad = tmp_path / "bad.toml"
        bad.write_text(source + '\n[translations."no such"]\ntitle = "x"\n', encoding="utf-8")
        with pytest.raises(LoadError) as caught:
            load_incident(bad)
        assert "translations" in (caught.value.field or "")


class TestCatalogues:
    def test_the_template_is_current(self) -> None:
        """The .pot holds exactly what the templates and code mark for translation
        (regenerate with the `catalogues` nox session)."""
        from babel.messages.pofile import read_po

        with (LOCALES / "crisiscomms.pot").open("rb") as file:
            template = read_po(file)
        assert {m.id for m in template if m.id} == _template_messages()

    @pytest.mark.parametrize("tag", OTHERS)
    def test_every_message_is_translated(self, tag: str) -> None:
        """Each shipped catalogue translates every message, none fuzzy, placeholders kept."""
        catalogue = _catalogue(tag)
        wanted = _template_messages()
        found = {m.id: m for m in catalogue if m.id}  # type: ignore[attr-defined]
        assert wanted <= set(found), sorted(wanted - set(found))[:5]
        for message_id in wanted:
            message = found[message_id]
            assert message.string, f"{tag}: {message_id!r} is not translated"
            assert not message.fuzzy, f"{tag}: {message_id!r} is fuzzy"
            assert sorted(PLACEHOLDER.findall(message.string)) == sorted(
                PLACEHOLDER.findall(message_id)
            ), f"{tag}: {message_id!r} changes its placeholders"
            assert message.string.count("](") == message_id.count("]("), message_id

    @pytest.mark.parametrize("tag", OTHERS)
    def test_every_voice_speaks_the_language(self, tag: str) -> None:
        """Each preset's lines, open and closed, are written in the language."""
        english = tomllib.loads((ROOT / "src/crisiscomms/voices.toml").read_text("utf-8"))
        path = LOCALES / tag.replace("-", "_") / "voices.toml"
        own = tomllib.loads(path.read_text("utf-8"))
        for preset, lines in english.items():
            for field in ("greeting", "apology", "ownership", "sign_off"):
                assert own[preset][field] != lines[field], (tag, preset, field)
            for stage in ("resolved", "postmortem"):
                for field, value in lines.get(stage, {}).items():
                    assert own[preset][stage][field] != value, (tag, preset, stage, field)


def _english_words() -> frozenset[str]:
    """The words the templates and voices write in English (four letters or more)."""
    texts = list(_template_messages())
    voices = tomllib.loads((ROOT / "src/crisiscomms/voices.toml").read_text("utf-8"))
    for lines in voices.values():
        for value in lines.values():
            if isinstance(value, str):
                texts.append(value)
            elif isinstance(value, dict):
                texts.extend(v for v in value.values() if isinstance(v, str))
    words: set[str] = set()
    for text in texts:
        bare = PLACEHOLDER.sub(" ", re.sub(r"\([^)]*\)|<[^>]*>|\{[a-z]+\}", " ", text))
        words.update(word.lower() for word in re.findall(r"[A-Za-z']{4,}", bare))
    return frozenset(words)


def _kept_words(tag: str, record: Incident) -> set[str]:
    """Words a draft may hold in any language: the catalogue's own translations
    (a language may borrow "Update"), and the record's names and links."""
    kept: set[str] = set()
    for message in _catalogue(tag):  # type: ignore[attr-defined]
        if message.id and isinstance(message.string, str):
            kept.update(w.lower() for w in re.findall(r"[A-Za-z']{4,}", message.string))
    path = LOCALES / tag.replace("-", "_") / "voices.toml"
    kept.update(w.lower() for w in re.findall(r"[A-Za-z']{4,}", path.read_text("utf-8")))
    names = [record.organization.name, record.status_url, record.postmortem_url or ""]
    names += [p.name for p in record.spokespeople] + [c.name for c in record.components]
    names += [record.organization.support_email, *record.organization.handles.values()]
    names += list(record.team.responders.values())
    names += [record.team.approver or "", record.team.engineering_lead or ""]
    names += [record.team.on_call or ""]
    for name in names:
        kept.update(w.lower() for w in re.findall(r"[A-Za-z']{4,}", name))
    return kept


@pytest.mark.parametrize("tag", OTHERS)
@pytest.mark.parametrize("path", EXAMPLE_FILES, ids=lambda p: p.stem)
class TestExamplesInEveryLanguage:
    def test_no_english_template_word_is_left(self, tag: str, path: Path) -> None:
        """Every voice and every timeline entry, drafted in the language, holds no word
        the English templates or voices write (unless the language uses it too)."""
        record = load_incident(path)
        text = record.in_language(tag)
        english = _english_words() - _kept_words(tag, record)
        # The record's own translated text may use any word it likes.
        for value in attrs.asdict(text, recurse=True).values():
            english -= {w.lower() for w in re.findall(r"[A-Za-z']{4,}", str(value))}
        entries = [None, *range(1, len(record.updates) + 1)]
        for voice in ("founder", "ceo", "community-manager", "brand"):
            for update in entries:
                bundle = compose(record, locale=tag, voice=voice, update=update)
                for name, draft in bundle.items():
                    words: set[str] = set()
                    for part in (*draft.parts, getattr(draft, "subject", "") or ""):
                        # Code spans hold names (a channel, a rule id), not words.
                        prose = re.sub(r"`[^`\n]*`", " ", part)
                        words.update(w.lower() for w in re.findall(r"[A-Za-z']{4,}", prose))
                    left = sorted(words & english)
                    assert not left, f"{tag} {path.stem} {voice} {update} {name}: {left}"

    def test_every_limit_holds_and_the_clock_is_the_locale_s(self, tag: str, path: Path) -> None:
        """Every part fits its platform; times follow the language's clock."""
        record = load_incident(path)
        bundle = compose(record, locale=tag)
        assert bundle.locale == tag
        assert bundle.manifest()["locale"] == tag
        crisiscomms.testing.assert_fits(bundle)
        text = "\n".join(part for draft in bundle.values() for part in draft.parts)
        assert not re.search(r"\d{1,2}:\d\d ?[ap]m\b", text, re.IGNORECASE)


class TestDatesAndLists:
    MOMENT = dt.datetime(2024, 5, 1, 12, 30, tzinfo=dt.timezone.utc)

    @pytest.mark.parametrize(
        ("tag", "zone", "expected"),
        [
            ("de", "Europe/Berlin", "14:30 MESZ"),
            ("fr", "Europe/Paris", "14:30 CEST"),
            ("ja", "Asia/Tokyo", "21:30 JST"),
            ("pt-BR", "America/Sao_Paulo", "09:30 BRT"),
        ],
    )
    def test_the_clock_is_the_locale_s(self, tag: str, zone: str, expected: str) -> None:
        """24-hour clocks where they are the custom, with the zone's local name."""
        import zoneinfo

        assert i18n.clock(self.MOMENT, zoneinfo.ZoneInfo(zone), tag, None) == expected

    def test_a_record_may_ask_for_the_other_clock(self) -> None:
        """``clock = "12h"`` on the record wins over the language's custom."""
        import zoneinfo

        text = i18n.clock(self.MOMENT, zoneinfo.ZoneInfo("Europe/Berlin"), "de", "12h")
        assert text.startswith("2:30")

    @pytest.mark.parametrize(
        ("tag", "weekday"),
        [("de", "Mittwoch"), ("fr", "mercredi"), ("es", "miércoles"), ("ja", "水曜日")],
    )
    def test_days_are_named_in_the_language(self, tag: str, weekday: str) -> None:
        """The weekday and month are the language's, and the year only when asked."""
        import zoneinfo

        text = i18n.day(self.MOMENT, zoneinfo.ZoneInfo("UTC"), tag)
        assert weekday in text
        assert "2024" not in text
        assert "2024" in i18n.day(self.MOMENT, zoneinfo.ZoneInfo("UTC"), tag, year=True)

    @pytest.mark.parametrize(
        ("tag", "joined"),
        [("de", "a, b und c"), ("fr", "a, b et c"), ("es", "a, b y c"), ("ja", "a、b、c")],
    )
    def test_lists_are_joined_the_language_s_way(self, tag: str, joined: str) -> None:
        """A list of facts is joined by the language's rule, without stray full stops."""
        assert i18n.join_words(["a.", "b", "c"], tag) == joined


@settings(max_examples=25)
@given(
    incidents(max_size=300),
    st.sampled_from(OTHERS),
    st.sampled_from(["", "ü", "の", "é", "ç"]),
)
def test_any_record_drafts_in_any_language(record: Incident, tag: str, mark: str) -> None:
    """Any record with a complete translation drafts in every shipped language, within
    every limit (or the documented FitError), the same way every time."""
    from crisiscomms.errors import FitError

    text = translated(record, tag, lambda value: value + mark)
    for channel in crisiscomms.available_channels():
        try:
            first = compose(text, locale=tag, channels=[channel])
        except FitError:
            continue
        crisiscomms.testing.assert_fits(first)
        again = compose(text, locale=tag, channels=[channel])
        assert first[channel].parts == again[channel].parts


def test_the_preview_marks_each_draft_with_its_language(buffer_incident: Incident) -> None:
    """Browsers break lines and pick fonts by language: each post's text says its own."""
    from crisiscomms.preview import preview_page

    bundle = compose(translated(buffer_incident, "ja"), locale="ja", channels=["x", "sms"])
    page = preview_page(bundle)
    assert page.count('lang="ja"') >= len(bundle["x"].parts) + 1
    english = preview_page(compose(buffer_incident, channels=["x"]))
    assert 'lang="ja"' not in english


def test_a_team_s_name_may_be_translated(buffer_incident: Incident) -> None:
    """A spokesperson's ``name`` in a translation replaces the record's; left out, it stays."""
    text = crisiscomms.testing.translated(buffer_incident, "de", str.upper)
    people = [
        attrs.evolve(person, name="Das Team") if person.key == "community-manager" else person
        for person in text.translations["de"].spokespeople
    ]
    translation = attrs.evolve(text.translations["de"], spokespeople=tuple(people))
    record = attrs.evolve(text, translations={"de": translation})
    names = {person.key: person.name for person in record.in_language("de").spokespeople}
    assert names["community-manager"] == "Das Team"
    assert names["founder"] == {p.key: p.name for p in buffer_incident.spokespeople}["founder"]


_KANA_CLAUSE = st.text(st.characters(min_codepoint=0x3041, max_codepoint=0x3093), min_size=2)


@given(st.lists(_KANA_CLAUSE, min_size=2, max_size=8), st.integers(min_value=3, max_value=40))
def test_japanese_is_cut_between_clauses(clauses: list[str], limit: int) -> None:
    """Text without spaces is shortened after a clause mark (、 or 。), never inside a
    clause, whenever the first clause fits."""
    from crisiscomms.fitting import truncate

    text = "、".join(clauses) + "。"
    cut = truncate(text, limit=limit, measure=len)
    assert len(cut) <= limit
    if cut != text and len(clauses[0]) + 1 < limit:
        kept = cut.removesuffix("\u2026")
        assert text.startswith(kept)
        assert kept in {"、".join(clauses[:n]) for n in range(1, len(clauses) + 1)}


@pytest.mark.parametrize(
    ("tag", "written"),
    [
        ("en", "4,200.5"),
        ("de", "4.200,5"),
        ("es", "4.200,5"),
        ("pt-BR", "4.200,5"),
        ("ja", "4,200.5"),
    ],
)
def test_numbers_are_written_the_language_s_way(tag: str, written: str) -> None:
    """The ``number`` filter groups digits and marks decimals as the language does."""
    from crisiscomms.templating import renderer

    template = renderer().environment.from_string("{{ n|number }}")
    assert template.render(n=4200.5, locale=tag) == written


def test_right_to_left_text_sets_its_own_direction(buffer_incident: Incident) -> None:
    """A Hebrew or Arabic fact's paragraph gets dir="auto" in the email; the page keeps
    the draft's language and direction, and text in other scripts gets no dir."""
    record = attrs.evolve(buffer_incident, impact="ההודעות נשלחו מהחשבון שלך.")
    draft = compose(record, channels=["email"])["email"]
    assert isinstance(draft, EmailDraft)
    html = draft.html
    assert re.search(r'<p [^>]*dir="auto"[^>]*>.*ההודעות', html)
    assert '<html lang="en" dir="ltr">' in html
    plain = compose(buffer_incident, channels=["email"])["email"]
    assert isinstance(plain, EmailDraft)
    assert 'dir="auto"' not in plain.html


@given(st.text(max_size=200))
def test_only_right_to_left_letters_set_a_direction(text: str) -> None:
    from crisiscomms import markup

    html = markup.to_html(text)
    rtl = any("\u0590" <= c <= "\u08ff" or "\ufb1d" <= c <= "\ufefc" for c in text)
    assert ('dir="auto"' in html) <= rtl


@pytest.mark.parametrize(
    "mark", ["\u200e", "\u200f", "\u202a", "\u202b", "\u202c", "\u2066", "\u2069"]
)
def test_x_counts_each_directional_mark_as_two(mark: str) -> None:
    """Directional marks lie outside twitter-text's weight-1 ranges: each weighs 2."""
    from crisiscomms import counting

    assert counting.x_weighted_length(f"abc{mark}") == 3 + 2


def test_a_japanese_sms_keeps_a_long_link_without_its_scheme(buffer_incident: Incident) -> None:
    """A UCS-2 message holds 70 characters: when the lead and a long link do not fit,
    the link goes without "https://" (phones still open it) rather than no message."""
    from crisiscomms import counting

    long_link = "https://status.example.com/incidents/2024-05-01-payments"
    record = crisiscomms.testing.translated(
        attrs.evolve(buffer_incident, status_url=long_link, translations={}), "ja", lambda _: "決済"
    )
    sms = compose(record, locale="ja", channels=["sms"], voice="brand")["sms"].parts[0]
    assert sms.endswith(long_link.removeprefix("https://"))
    assert "Buffer" in sms
    assert counting.sms_segments(sms) == 1


def test_an_sms_that_cannot_fit_says_what_to_shorten(buffer_incident: Incident) -> None:
    from crisiscomms.errors import FitError

    link = "https://status.example.com/" + "x" * 80
    record = attrs.evolve(buffer_incident, status_url=link, translations={})
    record = crisiscomms.testing.translated(record, "ja", lambda _: "決済")
    with pytest.raises(FitError, match="give a shorter short_headline or status_url"):
        compose(record, locale="ja", channels=["sms"])
