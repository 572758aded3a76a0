"""Redaction: every listed kind withheld however it is disguised, published contacts
kept, the corpus rates held, and the output always the input with spans replaced."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from crisiscomms import Incident, Organization, compose
from crisiscomms.redaction import PLACEHOLDER, Redactor, for_incident
from tests.conftest import incident_fields

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

CORPUS = Path(__file__).resolve().parents[1] / "redaction_corpus.toml"
#: The contacts the corpus treats as the organisation's own, published ones.
PUBLISHED = frozenset({"help@example.com", "+1 415 555 0100"})


def corpus() -> dict[str, Any]:
    with CORPUS.open("rb") as file:
        return tomllib.load(file)


def withheld(text: str, secret: str) -> bool:
    redacted, _ = Redactor(allowed=PUBLISHED).redact(text)
    return secret not in redacted and PLACEHOLDER in redacted


LEAKS = {
    "zero-width in email": "alice\u200b@example.org",
    "soft hyphen in email": "ali\u00adce@example.org",
    "escaped at": "alice\\@example.org",
    "html entity at": "alice&#64;example.org",
    "hex entity at": "alice&#x40;example.org",
    "named entity at": "alice&commat;example.org",
    "non-ascii email": "jörg@exämple.de",
    "bracketed at and dot": "alice[at]example[dot]org",
    "spelled at and dot": "alice (at) example (dot) org",
    "full-width email": "alice\uff20example\uff0eorg",
    "zero-width ipv4": "10.0.0\u200b.1",
    "escaped ipv4": "10\\.0\\.0\\.1",
    "leading zeros ipv4": "010.000.000.001",
    "loopback ipv6": "::1",
    "ipv6 after a colon": "src:2001:db8::17",
    "embedded ipv4": "::ffff:192.0.2.1",
    "nat64 ipv6": "64:ff9b::198.51.100.7",
    "pgp private key": (
        "-----BEGIN PGP PRIVATE KEY BLOCK-----\nlQOYBF0\n-----END PGP PRIVATE KEY BLOCK-----"
    ),
    "unsigned jwt": "eyJhbGciOiJub25lIn0.eyJzdWIiOiIxIn0.",
    "split aws key": "AKIA IOSF ODNN 7EXA MPLE",
    "glued aws key": "keyAKIAIOSFODNN7EXAMPLE",
    "pwd": "pwd=hunter22",
    "password is": "the password is hunter2",
    "full-width colon": "password\uff1aTr0ub4dor",
    "github fine-grained": (
        "github_pat_11ABCDEFG0123456789_abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0"
    ),
    "slack webhook": "https://hooks.slack.com/services/T0AAAAAAA/B0BBBBBBB/abcdefghijklmnopqrstuvwx",
    "underscore host": "db_1.prod.internal",
    "full-width dot host": "db1\uff0ecorp",
    "card with spaces": "4111 1111 1111 1111",
    "card": "5500005555555559",
    "iban": "GB82 WEST 1234 5698 7654 32",
    "us ssn": "078-05-1121",
    "uk nino": "JG 10 37 42 A",
    "phone": "+44 20 7946 0958",
    "us phone": "(415) 555-2671",
    "google key": "AIzaSyD-9tSrke72PouQMnMX-a7eZSW0jkFMBWY",
    "openai-style key": "sk-proj-abcdefghijklmnopqrstuvwx1234",
    "bearer": "Authorization: Bearer abc.def-ghi_jkl123456",
}

LOOKALIKES = {
    "version": "version 2.4.1",
    "four-part version": "v1.2.3.4",
    "date": "2013-10-26",
    "price": "$1,299.99",
    "order id": "order 98765432",
    "time": "12:30:45",
    "prose password": "the password is reset",
    "bearer in prose": "the bearer of bad news",
    "we at": "we at Example",
    "status url": "https://status.example.com/incidents/2024-05-01",
    "fediverse handle": "@example@mastodon.social",
    "non-luhn number": "4111 1111 1111 1112",
    "bad iban": "GB00 WEST 1234 5698 7654 32",
    "invalid ssn": "000-12-3456",
}


class TestLeaks:
    @pytest.mark.parametrize("secret", LEAKS.values(), ids=list(LEAKS))
    def test_each_disguise_is_withheld(self, secret: str) -> None:
        """Disguised, escaped or unusual forms of each kind are withheld whole."""
        text = f"Seen in the logs: {secret} (now rotated)."
        redacted, kinds = Redactor().redact(text)
        assert kinds
        assert redacted.startswith("Seen in the logs: ")
        assert redacted.endswith(" (now rotated).")
        assert secret not in redacted

    @pytest.mark.parametrize("sound", LOOKALIKES.values(), ids=list(LOOKALIKES))
    def test_look_alikes_are_kept(self, sound: str) -> None:
        """Versions, dates, prices, ids and prose stay as written."""
        text = f"Note: {sound} today."
        assert Redactor().redact(text) == (text, [])


class TestPublishedContacts:
    def test_the_records_contacts_are_never_withheld(self) -> None:
        """Support and sender addresses, the spokesperson's and the support phone stay."""
        organization = Organization(
            name="Example",
            support_email="help@example.com",
            sender_email="news@example.com",
            support_phone="+1 415 555 0100",
        )
        incident = Incident(
            **incident_fields(
                organization=organization,
                summary="Call +1 (415) 555-0100 or write to HELP@example.com or news@example.com.",
            )
        )
        redactor = for_incident(incident)
        assert redactor.redact(incident.summary) == (incident.summary, [])
        draft = compose(incident, channels=["facebook"])["facebook"]
        assert "555-0100" in draft.parts[0]


class TestCorpus:
    def test_the_corpus_is_large_enough(self) -> None:
        """At least 200 secrets and 200 look-alikes."""
        data = corpus()
        assert len(data["secret"]) >= 200
        assert len(data["lookalike"]) >= 200

    def test_recall_is_at_least_99_percent(self) -> None:
        """Almost every secret in the corpus is withheld."""
        secrets = corpus()["secret"]
        found = sum(withheld(item["text"], item["secret"]) for item in secrets)
        assert found / len(secrets) >= 0.99

    def test_false_positives_are_at_most_1_percent(self) -> None:
        """Almost no look-alike is touched."""
        items = corpus()["lookalike"]
        redactor = Redactor(allowed=PUBLISHED)
        touched = sum(bool(redactor.redact(item["text"])[1]) for item in items)
        assert touched / len(items) <= 0.01

    def test_every_kind_is_represented(self) -> None:
        """Each kind the docs promise has secrets in the corpus."""
        kinds = {item["kind"] for item in corpus()["secret"]}
        assert kinds >= {
            "email-address",
            "ip-address",
            "private-key",
            "token",
            "password",
            "internal-host",
            "card-number",
            "iban",
            "national-id",
            "phone-number",
        }


noise = st.lists(
    st.sampled_from([*"ax.@:-_ 1\\&#;\u200b\u00ad\uff20\uff0e[]()/=", "at", "dot", "&#64;"]),
    max_size=150,
).map("".join)


class TestProperties:
    @given(noise)
    def test_output_is_the_input_with_spans_replaced(self, text: str) -> None:
        """Outside the placeholders, the text is unchanged and in order."""
        redacted, kinds = Redactor().redact(text)
        assert redacted.count(PLACEHOLDER) - text.count(PLACEHOLDER) == len(kinds)
        position = 0
        for piece in redacted.split(PLACEHOLDER):
            found = text.find(piece, position)
            assert found >= 0
            position = found + len(piece)

    @given(noise, st.sampled_from(list(LEAKS.values())), noise)
    def test_a_secret_between_any_noise_is_withheld(
        self, before: str, secret: str, after: str
    ) -> None:
        """Surrounded by anything (a space either side), the secret does not survive."""
        redacted, _ = Redactor().redact(f"{before} {secret} {after}")
        assert secret not in redacted

    @given(st.text(max_size=500))
    def test_redaction_is_deterministic(self, text: str) -> None:
        """The same text gives the same result."""
        assert Redactor().redact(text) == Redactor().redact(text)


class TestPatternTables:
    def test_each_built_in_pattern_has_its_prefilter(self) -> None:
        """The table of texts each pattern needs lines up with the patterns."""
        from crisiscomms.redaction import _NEEDS, DEFAULT_PATTERNS

        assert len(_NEEDS) == len(DEFAULT_PATTERNS)

    def test_every_corpus_secret_holds_what_its_pattern_needs(self) -> None:
        """No secret is skipped by a prefilter: each holds a needed text of some pattern
        of its kind (or a kind run without prefilter)."""
        from crisiscomms.redaction import _NEEDS, DEFAULT_PATTERNS, _normalise

        for item in corpus()["secret"]:
            lowered = _normalise(item["text"])[0].lower()
            needs = [
                _NEEDS[i] for i, (kind, _) in enumerate(DEFAULT_PATTERNS) if kind == item["kind"]
            ]
            assert any(n is None or any(x in lowered for x in n) for n in needs), item


def unbounded_quantifiers(pattern: str) -> list[int]:
    """Where ``pattern`` repeats without a bound (``*``, ``+``, ``{n,}``), outside classes."""
    found: list[int] = []
    in_class = escaped = False
    for index, ch in enumerate(pattern):
        if escaped:
            escaped = False
        elif ch == "\\":
            escaped = True
        elif in_class:
            in_class = ch != "]"
        elif ch == "[":
            in_class = True
        elif (ch in "*+" and pattern[index - 1] != "(") or (
            ch == "," and pattern[index + 1 : index + 2] == "}"
        ):
            found.append(index)
    return found


class TestLinearShape:
    def test_every_repetition_is_bounded(self) -> None:
        """Each built-in pattern bounds every repetition, so one attempt costs a bounded
        number of steps (the private-key block alone runs lazily to its end line, once)."""
        from crisiscomms.redaction import DEFAULT_PATTERNS

        for kind, pattern in DEFAULT_PATTERNS:
            places = unbounded_quantifiers(pattern)
            if kind == "private-key":
                assert [pattern[i : i + 2] for i in places] == ["*?"]
            else:
                assert places == [], (kind, pattern)

    def test_the_shape_check_finds_unbounded_repetition(self) -> None:
        """The check itself sees +, * and {n,} and ignores them inside classes."""
        assert unbounded_quantifiers(r"a+b") == [1]
        assert unbounded_quantifiers(r"[a+*]{2,}") == [7]
        assert unbounded_quantifiers(r"\+\*a{1,3}") == []
