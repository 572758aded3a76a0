"""Tests for crisiscomms.counting: conformance with twitter-text, hand-computed answers and
properties that must hold for any text."""

from __future__ import annotations

import ast
import importlib
import itertools
import unicodedata
from pathlib import Path
from typing import Any

import pytest
import regex  # type: ignore[import-untyped, unused-ignore]  # types-regex may be absent
from hypothesis import given
from hypothesis import strategies as st

from crisiscomms import counting
from crisiscomms.counting import (
    BLUESKY_MAX_BYTES,
    SMS_GSM7_MULTI_SEGMENT,
    SMS_UCS2_MULTI_SEGMENT,
    _data,
    bluesky_length,
    grapheme_count,
    graphemes,
    mastodon_length,
    sms_encoding,
    sms_segments,
    sms_split,
    sms_units,
    threads_length,
    to_gsm7,
    units,
    utf8_length,
    utf16_length,
    x_url_spans,
    x_weighted_length,
)

from .conformance import cases

GSM_BASIC = (
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
GSM_EXTENSION = "\f^{}\\[~]|€"

# Text drawn from the characters that matter to these counters: ASCII (URLs, dots,
# punctuation), CJK, emoji and their joiners, GSM extension characters, astral ones.
_INTERESTING = st.sampled_from(
    [*"ab.:/ -@#$h1t\r\n€[]^é", "http://", "www.", ".com", "t.co/", "\u200d", "\ufe0f"]
) | st.characters(codec="utf-8")
texts = st.lists(_INTERESTING, max_size=80).map("".join)


def _plain_x_weight(text: str) -> int:
    """Per-code-point v3 weight with no URL or emoji discount, computed independently."""
    light = ((0, 4351), (8192, 8205), (8208, 8223), (8242, 8247))
    return sum(1 if any(a <= ord(c) <= b for a, b in light) else 2 for c in text)


class TestXWeightedLengthConformance:
    """twitter-text's validate.yml weighted-length cases."""

    @pytest.mark.parametrize(
        "case",
        cases(
            "validate.yml",
            "WeightedTweetsWithDiscountedEmojiCounterTest",
            "UnicodeDirectionalMarkerCounterTest",
        ),
    )
    def test_v3_weighted_length(self, case: dict[str, Any]) -> None:
        """The v3 (emoji-discounting) and directional-marker cases give X's exact length."""
        pytest.importorskip("yaml")
        expected = case["expected"]
        length = x_weighted_length(case["text"])
        assert length == expected["weightedLength"]
        valid = 0 < length <= 280 and not set(case["text"]) & {"\ufffe", "\ufeff", "\uffff"}
        assert valid == expected["valid"]
        assert length * 1000 // 280 == expected["permillage"]

    @pytest.mark.parametrize("case", cases("validate.yml", "WeightedTweetsCounterTest"))
    def test_never_above_v2_count(self, case: dict[str, Any]) -> None:
        """The v2 section does not discount emoji, so v3 never counts more than it does."""
        pytest.importorskip("yaml")
        assert x_weighted_length(case["text"]) <= case["expected"]["weightedLength"]


class TestXUrlSpansConformance:
    """twitter-text's extract.yml URL cases and tlds.yml."""

    @pytest.mark.parametrize("case", cases("extract.yml", "urls", "tco_urls_with_params"))
    def test_extracted_urls(self, case: dict[str, Any]) -> None:
        """The URL texts extracted match twitter-text's, in order."""
        pytest.importorskip("yaml")
        text = case["text"]
        assert [text[a:b] for a, b in x_url_spans(text)] == case["expected"]

    @pytest.mark.parametrize(
        "case", cases("extract.yml", "urls_with_indices", "urls_with_directional_markers")
    )
    def test_extracted_indices(self, case: dict[str, Any]) -> None:
        """The (code point) indices match twitter-text's."""
        pytest.importorskip("yaml")
        text = case["text"]
        expected = [(e["url"], tuple(e["indices"])) for e in case["expected"]]
        assert [(text[a:b], (a, b)) for a, b in x_url_spans(text)] == expected

    @pytest.mark.parametrize("case", cases("tlds.yml", "country", "generic"))
    def test_every_tld_is_linked(self, case: dict[str, Any]) -> None:
        """Each generic and country-code TLD twitter-text knows is linked."""
        pytest.importorskip("yaml")
        text = case["text"]
        assert [text[a:b] for a, b in x_url_spans(text)] == case["expected"]


class TestXWeightedLength:
    """Hand-computed X lengths and invariants."""

    @pytest.mark.parametrize(
        ("text", "expected"),
        [
            ("", 0),
            ("a" * 280, 280),
            ("한" * 140, 280),
            ("https://example.org/a/very/long/path/that/goes/on/and/on", 23),
            ("example.org", 23),
            ("see t.co", 4 + 23),
            ("1.5 km", 6),
            ("e.g.", 4),
            ("⚠️", 2),
            ("🇫🇷", 2),
            ("#️⃣", 2),
            ("👍🏽", 2),
            ("\u2010\u2011\u2019", 3),
            ("A\u0301", 1),
            ("\u00a9", 2),
            ("a\r\nb", 4),
            ("🧑‍🚒", 5),
            ("🫠", 2),
        ],
        ids=repr,
    )
    def test_known_lengths(self, text: str, expected: int) -> None:
        """Lengths worked out by hand from the v3 rules (🧑‍🚒 is newer than the emoji
        list, so counted per code point; © is counted high)."""
        assert x_weighted_length(text) == expected

    def test_emoji_in_text_and_url(self) -> None:
        """A URL weighs 23 next to emoji that weigh 2 each."""
        assert x_weighted_length("🔥 https://example.com/x 🔥") == 2 + 1 + 23 + 1 + 2

    def test_uncertain_idn_counts_high(self) -> None:
        """A host twitter-text's implementations disagree on counts at least 23."""
        text = "http://☃.net/"
        assert x_weighted_length(text) >= 23

    @given(texts)
    def test_not_negative_and_deterministic(self, text: str) -> None:
        """The length is never negative and the same every time."""
        length = x_weighted_length(text)
        assert length >= 0
        assert x_weighted_length(text) == length

    @given(texts)
    def test_nfc_invariant(self, text: str) -> None:
        """Text and its NFC form have the same length."""
        nfc = unicodedata.normalize("NFC", text)
        assert x_weighted_length(nfc) == x_weighted_length(text)

    @given(texts)
    def test_without_urls_bounded_by_plain_weight(self, text: str) -> None:
        """Without URLs, emoji discounts only lower the per-code-point weight, and never
        below one per grapheme cluster."""
        nfc = unicodedata.normalize("NFC", text)
        if x_url_spans(nfc):
            return
        length = x_weighted_length(nfc)
        assert length <= _plain_x_weight(nfc) + nfc.count("\xa9") + nfc.count("\xae")
        assert length >= grapheme_count(nfc)

    @given(texts)
    def test_url_spans_are_ordered_and_inside(self, text: str) -> None:
        """Spans lie inside the text, in order, and do not overlap."""
        previous_end = 0
        for start, end in x_url_spans(text):
            assert previous_end <= start < end <= len(text)
            previous_end = end


class TestGraphemes:
    """graphemes and grapheme_count."""

    @given(texts)
    def test_join_back(self, text: str) -> None:
        """The clusters join back to the text and their number is grapheme_count."""
        parts = graphemes(text)
        assert "".join(parts) == text
        assert len(parts) == grapheme_count(text)
        assert all(parts)

    def test_known_clusters(self) -> None:
        """A ZWJ family, a flag and a combining accent are single clusters."""
        assert graphemes("👨‍👩‍👧e\u0301🇯🇵\r\n") == ["👨‍👩‍👧", "e\u0301", "🇯🇵", "\r\n"]


class TestEncodedLengths:
    """utf8_length and utf16_length."""

    @given(st.text())
    def test_match_encoders(self, text: str) -> None:
        """They equal the encoders' byte counts."""
        assert utf8_length(text) == len(text.encode("utf-8"))
        assert utf16_length(text) == len(text.encode("utf-16-le")) // 2

    def test_known(self) -> None:
        """'€' is 3 UTF-8 bytes and one UTF-16 unit; an astral emoji is 4 bytes, 2 units."""
        assert (utf8_length("€"), utf16_length("€")) == (3, 1)
        assert (utf8_length("😷"), utf16_length("😷")) == (4, 2)


class TestMastodonLength:
    """mastodon_length."""

    @pytest.mark.parametrize(
        ("text", "expected"),
        [
            ("", 0),
            ("hello", 5),
            ("https://example.org/" + "a" * 100, 23),
            ("see http://t.co", 4 + 23),
            ("example.org", 11),
            ("cc @alice@social.example.org", 3 + 6),
            ("email a@b.example.org", 21),
            ("👨‍👩‍👧", 1),
            ("क्ष", 2),
        ],
    )
    def test_known_lengths(self, text: str, expected: int) -> None:
        """URLs with a scheme count 23, remote mentions count as @user, schemeless
        domains and e-mail addresses in full, Indic conjuncts as older rules split them."""
        assert mastodon_length(text) == expected

    @given(texts)
    def test_not_below_graphemes_without_entities(self, text: str) -> None:
        """With no URL or mention it is at least the grapheme count."""
        if ":" in text or "@" in text:
            return
        assert mastodon_length(text) >= grapheme_count(text)


class TestThreadsLength:
    """threads_length."""

    @given(texts)
    def test_never_below_graphemes_or_utf16(self, text: str) -> None:
        """It is at least the grapheme count and the UTF-16 length."""
        length = threads_length(text)
        assert length >= grapheme_count(text)
        assert length >= utf16_length(text)

    def test_known(self) -> None:
        """ASCII counts per character; an astral emoji counts its 4 UTF-8 bytes."""
        assert threads_length("abc") == 3
        assert threads_length("😷") == 4
        assert threads_length("é") == 1


class TestBlueskyLength:
    """bluesky_length."""

    def test_graphemes_or_bytes(self) -> None:
        """300 graphemes fit; 3001 bytes do not even in few graphemes."""
        assert bluesky_length("a" * 300) == 300
        assert bluesky_length("👨‍👩‍👧‍👦" * 121) > 300
        assert utf8_length("👨‍👩‍👧‍👦" * 121) > BLUESKY_MAX_BYTES


class TestSmsEncoding:
    """sms_encoding."""

    def test_whole_alphabet_is_gsm(self) -> None:
        """Every character of the basic and extension tables keeps GSM-7."""
        assert len(GSM_BASIC) == 127
        assert sms_encoding(GSM_BASIC + GSM_EXTENSION) == "gsm7"

    @pytest.mark.parametrize("char", ["ç", "`", "😷", "\x1b", "á", "ü\u0308", "\t"])
    def test_forces_ucs2(self, char: str) -> None:
        """Characters outside both tables (lowercase ç: only Ç is in the table) need UCS-2."""
        assert sms_encoding("abc" + char) == "ucs2"


class TestSmsUnits:
    """sms_units."""

    @pytest.mark.parametrize(
        ("text", "expected"),
        [("", 0), ("abc", 3), ("€", 2), ("[x]", 5), ("Ç", 1), ("ç", 1), ("😷a", 3)],
    )
    def test_known(self, text: str, expected: int) -> None:
        """Extension characters cost 2 septets; astral characters 2 UCS-2 units."""
        assert sms_units(text) == expected


class TestSmsSegments:
    """sms_segments."""

    @pytest.mark.parametrize(
        ("text", "expected"),
        [
            ("", 1),
            ("a" * 160, 1),
            ("a" * 161, 2),
            ("a" * 306, 2),
            ("a" * 307, 3),
            ("€" * 80, 1),
            ("€" * 81, 2),
            ("ç" * 70, 1),
            ("ç" * 71, 2),
            ("ç" * 134, 2),
            ("ç" * 135, 3),
        ],
    )
    def test_known(self, text: str, expected: int) -> None:
        """160/153 septets and 70/67 units per segment; empty text is one message."""
        assert sms_segments(text) == expected

    def test_extension_pair_not_split(self) -> None:
        """An extension character that would straddle 153 septets starts a new segment."""
        text = "a" * 152 + "€" + "a" * 10
        parts = sms_split(text)
        assert parts == ["a" * 152, "€" + "a" * 10]
        assert sms_segments(text) == 2


class TestSmsSplit:
    """sms_split."""

    @given(texts)
    def test_joins_back_and_counts(self, text: str) -> None:
        """Segments join back to the text and their number is sms_segments."""
        parts = sms_split(text)
        assert "".join(parts) == text
        assert len(parts) == sms_segments(text)

    @given(texts)
    def test_each_segment_within_budget(self, text: str) -> None:
        """Each segment of a multi-part message fits 153 septets or 67 units, measured in
        the whole message's encoding."""
        parts = sms_split(text)
        if len(parts) == 1:
            return
        gsm = sms_encoding(text) == "gsm7"
        for part in parts:
            assert part
            if gsm:
                assert sms_units(part) <= SMS_GSM7_MULTI_SEGMENT
            else:
                assert utf16_length(part) <= SMS_UCS2_MULTI_SEGMENT

    @given(st.lists(st.sampled_from(["a", "😷", "ç"]), min_size=60, max_size=200).map("".join))
    def test_surrogate_pairs_never_split(self, text: str) -> None:
        """In UCS-2, a character beyond the BMP (2 units) never straddles a boundary: each
        segment's UTF-16 form is well formed and within 67 units."""
        for part in sms_split(text):
            encoded = part.encode("utf-16-le")
            assert encoded.decode("utf-16-le") == part
            assert len(encoded) // 2 <= SMS_UCS2_MULTI_SEGMENT or len(sms_split(text)) == 1

    @given(st.lists(st.sampled_from(["a", "€", "{", "b"]), min_size=100, max_size=400))
    def test_extension_never_straddles(self, chars: list[str]) -> None:
        """Counting septets per segment, no segment goes over 153 even though an extension
        character costs 2."""
        text = "".join(chars)
        parts = sms_split(text)
        if len(parts) > 1:
            assert all(sms_units(part) <= SMS_GSM7_MULTI_SEGMENT for part in parts)
            assert any(sms_units(part) in (152, 153) for part in parts[:-1])


def _grapheme_aware_segments(text: str) -> int:
    """Segments a gateway that keeps grapheme clusters whole would send, counted
    independently: greedy filling with whole clusters."""
    gsm = sms_encoding(text) == "gsm7"

    def cost(piece: str) -> int:
        if gsm:
            return sum(2 if char in GSM_EXTENSION else 1 for char in piece)
        return sum(2 if ord(char) > 0xFFFF else 1 for char in piece)

    single, per_segment = (160, 153) if gsm else (70, 67)
    if cost(text) <= single:
        return 1
    segments, used = 1, 0
    for cluster in graphemes(text):
        size = cost(cluster)
        if used and used + size > per_segment:
            segments, used = segments + 1, 0
        while size > per_segment:
            # Only a cluster longer than a whole segment may be cut.
            segments, size = segments + 1, size - per_segment
        used += size
    return segments


# Clusters of several code points that gateways never split: ZWJ families, flags, skin
# tones, keycaps, Devanagari and Tamil conjuncts, a letter with stacked accents, CRLF.
_CLUSTERS = st.sampled_from(
    [
        "\U0001f468\u200d\U0001f469\u200d\U0001f467\u200d\U0001f466",
        "\U0001f3f3\ufe0f\u200d\U0001f308",
        "\U0001f1ef\U0001f1f5",
        "\U0001f44d\U0001f3fd",
        "1\ufe0f\u20e3",
        "\u0915\u094d\u0937",
        "\u0938\u094d\u0924\u094d\u0930",
        "\u0b95\u0bcd\u0bb7",
        "e\u0301\u0323",
        "\r\n",
    ]
)
cluster_texts = st.lists(
    _CLUSTERS | st.sampled_from(["a", " ", "\u20ac", "\u00e7"]), max_size=120
).map("".join)


class TestSmsGraphemeClusters:
    """SMS segments never cut a grapheme cluster, so never count fewer than gateways."""

    @given(cluster_texts)
    def test_never_below_grapheme_aware_count(self, text: str) -> None:
        """sms_segments is never below greedy filling with whole grapheme clusters."""
        assert sms_segments(text) >= _grapheme_aware_segments(text)

    @given(texts)
    def test_never_below_grapheme_aware_count_any_text(self, text: str) -> None:
        """The same for any text, including lone combining marks and astral characters."""
        assert sms_segments(text) >= _grapheme_aware_segments(text)

    @given(cluster_texts)
    def test_segments_hold_whole_clusters(self, text: str) -> None:
        """Every segment boundary is a grapheme cluster boundary."""
        parts = sms_split(text)
        boundaries = set(itertools.accumulate(len(cluster) for cluster in graphemes(text)))
        for end in itertools.accumulate(len(part) for part in parts[:-1]):
            assert end in boundaries

    def test_zwj_family_moves_whole(self) -> None:
        """A family emoji (11 UTF-16 units) that would straddle 67 units starts segment 2."""
        family = "\U0001f468\u200d\U0001f469\u200d\U0001f467\u200d\U0001f466"
        text = "\u00e7" * 60 + family + "\u00e7" * 20
        assert sms_split(text) == ["\u00e7" * 60, family + "\u00e7" * 20]

    def test_conjunct_moves_whole(self) -> None:
        """A Devanagari conjunct (three code points) that would straddle stays in one
        segment, though counting code points alone would fit part of it."""
        conjunct = "\u0915\u094d\u0937"
        text = "\u0905" * 65 + conjunct + "\u0905" * 10
        parts = sms_split(text)
        assert parts[0] == "\u0905" * 65
        assert parts[1].startswith(conjunct)

    def test_overlong_cluster_is_cut_between_characters(self) -> None:
        """A cluster longer than a segment is cut, but never inside a surrogate pair."""
        text = "a" + "\u0301" * 200 + "\U0001f600"
        parts = sms_split(text)
        assert "".join(parts) == text
        assert all(utf16_length(part) <= SMS_UCS2_MULTI_SEGMENT for part in parts)
        assert all(part.encode("utf-16-le").decode("utf-16-le") == part for part in parts)


class TestToGsm7:
    """to_gsm7."""

    def test_typography_replaced(self) -> None:
        """Curly quotes, dashes, ellipsis and special spaces become GSM-7 characters."""
        text = "\u201cRoads\u201d \u2013 it\u2019s\u00a0closed\u2026 \u2014 ok"
        converted = to_gsm7(text)
        assert converted == '"Roads" - it\'s closed... - ok'
        assert sms_encoding(converted) == "gsm7"

    def test_others_unchanged(self) -> None:
        """Characters without a GSM-7 equivalent stay as they are."""
        assert to_gsm7("ç 😷 €") == "ç 😷 €"


def _package_imports(path: Path) -> set[str]:
    """The crisiscomms modules a source file imports, read from its syntax tree."""
    imported: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module:
            imported.add(node.module)
        elif isinstance(node, ast.Import):
            imported.update(alias.name for alias in node.names)
    return {name for name in imported if name.split(".")[0] == "crisiscomms"}


class TestCountingPackage:
    """The shape of crisiscomms.counting: one module per platform, nothing from above."""

    def test_imports_nothing_from_the_rest_of_the_package(self) -> None:
        """Counting knows nothing of incidents, channels or fitting."""
        folder = Path(counting.__file__).parent
        for module in folder.glob("*.py"):
            for name in _package_imports(module):
                assert name.startswith("crisiscomms.counting"), (module.name, name)

    def test_every_public_name_is_exported(self) -> None:
        """What each platform module exports is importable from crisiscomms.counting."""
        folder = Path(counting.__file__).parent
        for module in folder.glob("*.py"):
            if module.name.startswith("_"):
                continue
            spec = importlib.import_module(f"crisiscomms.counting.{module.stem}")
            for name in getattr(spec, "__all__", ()):
                if name in counting.__all__:
                    assert getattr(counting, name) is getattr(spec, name)
        assert all(hasattr(counting, name) for name in counting.__all__)

    def test_tables_are_read_from_data_files(self) -> None:
        """The TLD lists hold the domains twitter-text links; a name from each list is
        linked without a scheme."""
        generic = _data.entries("tlds-generic.txt")
        country = _data.entries("tlds-country.txt")
        assert "com" in generic
        assert "jp" in country
        assert len(set(generic)) == len(generic)
        assert x_url_spans(f"see example.{generic[-1]} now") != []


# Latin, Greek and Cyrillic letters, typographic punctuation, the euro sign, CR and LF.
WESTERN = "a\u00e9\u2014\u201c\u201d\u2026\r\n\u0416\u03bb\u20ac"


class TestGraphemeFastPath:
    """grapheme_count skips segmenting text whose characters never join a neighbour."""

    def test_simple_characters_never_join(self) -> None:
        """No character of the fast path's class has a joining grapheme property in the
        installed Unicode data (a newer Unicode version that changed one would fail)."""
        joining = regex.compile(
            r"[\p{GCB=Prepend}\p{GCB=Extend}\p{GCB=SpacingMark}\p{GCB=ZWJ}"
            r"\p{GCB=Regional_Indicator}\p{GCB=L}\p{GCB=V}\p{GCB=T}\p{GCB=LV}\p{GCB=LVT}"
            r"\p{InCB=Linker}\p{InCB=Extend}]"
        )
        simple = regex.compile(f"[{units.SIMPLE_CHARS}]")
        characters = map(chr, range(0x3001))
        assert not [char for char in characters if simple.match(char) and joining.match(char)]

    @given(texts)
    def test_count_is_the_number_of_clusters(self, text: str) -> None:
        """grapheme_count equals the number of clusters graphemes() finds, fast path or not."""
        assert grapheme_count(text) == len(graphemes(text))

    @given(st.lists(st.sampled_from([*WESTERN, "e\u0301"])).map("".join))
    def test_count_matches_segmentation_on_western_text(self, text: str) -> None:
        """On Latin, Greek and Cyrillic text with typographic punctuation the counts agree."""
        assert grapheme_count(text) == len(graphemes(text))
