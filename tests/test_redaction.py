"""Nothing private in public: IPs, addresses, internal hosts and tokens stay out."""

from __future__ import annotations

import ipaddress
from typing import Any

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from crisiscomms import Incident, compose, get_channel
from crisiscomms.errors import ValidationError
from crisiscomms.redaction import PLACEHOLDER, Redactor
from tests.conftest import incident_fields

PUBLIC = ("email", "x", "facebook")


class TestRedactor:
    @pytest.mark.parametrize(
        ("secret", "kind"),
        [
            ("10.20.30.40", "ip-address"),
            ("192.168.1.254/24", "ip-address"),
            ("2001:db8:85a3::8a2e:370:7334", "ip-address"),
            ("oncall@example.com", "email-address"),
            ("db-primary-3.prod.internal", "internal-host"),
            ("build01.corp", "internal-host"),
            ("AKIAIOSFODNN7EXAMPLE", "token"),
            ("ghp_abcdefghijklmnopqrstuvwxyz0123456789", "token"),
            ("xoxb-1234567890-abcdefghij", "token"),
            ("sk_live_4eC39HqLyjWDarjtT1zdp7dc", "token"),
            ("api_key=9f8e7d6c5b4a", "token"),
            ("0123456789abcdef0123456789abcdef01234567", "token"),
            ("eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0In0.c2lnbmF0dXJlX2hlcmU", "token"),
        ],
    )
    def test_withholds_each_kind(self, secret: str, kind: str) -> None:
        """Each private detail is replaced and its kind reported."""
        text, kinds = Redactor().redact(f"Traffic from {secret} failed.")
        assert secret not in text
        assert PLACEHOLDER in text
        assert kinds == [kind]

    @pytest.mark.parametrize(
        "sound",
        [
            "Version 2.4.1 is out.",
            "See https://status.example.com/incidents/2024-05-01 for details.",
            "We restored service at 14:05 on 2024-05-01.",
            "About 1,250,000 posts were held back.",
            "Write to help@example.com with questions.",
        ],
    )
    def test_leaves_ordinary_text_alone(self, sound: str) -> None:
        """Versions, URLs, times, numbers and the allowed support address pass through."""
        redactor = Redactor(allowed=frozenset({"help@example.com"}))
        assert redactor.redact(sound) == (sound, [])

    def test_custom_patterns_are_added(self) -> None:
        """with_patterns adds a user's own pattern."""
        redactor = Redactor().with_patterns([r"PROJ-\d+"], kind="ticket")
        text, kinds = redactor.redact("Tracked in PROJ-1234.")
        assert (text, kinds) == (f"Tracked in {PLACEHOLDER}.", ["ticket"])


class TestPublicDrafts:
    def test_private_details_stay_out_of_public_channels(self) -> None:
        """An IP, an engineer's address and a host in the summary are withheld, with findings."""
        incident = Incident(
            **incident_fields(
                summary="Requests from 10.0.0.7 to db1.prod.internal failed; ask ops@example.com.",
            )
        )
        bundle = compose(incident, channels=PUBLIC)
        for name in PUBLIC:
            text = bundle[name].text
            for secret in ("10.0.0.7", "db1.prod.internal", "ops@example.com"):
                assert secret not in text
            assert PLACEHOLDER in text
        rules = {(f.channel, f.rule) for f in bundle.findings}
        for name in PUBLIC:
            assert {
                (name, "privacy.ip-address"),
                (name, "privacy.internal-host"),
                (name, "privacy.email-address"),
            } <= rules

    def test_findings_point_at_the_placeholder_in_its_post(self) -> None:
        """On a thread, each privacy finding names the post and the span of its placeholder."""
        filler = " ".join(["The queue backed up while we worked through it."] * 12)
        incident = Incident(**incident_fields(summary=f"{filler} Host 10.1.2.3 failed."))
        bundle = compose(incident, channels=["x"])
        (finding,) = [f for f in bundle.findings if f.rule.startswith("privacy.")]
        assert finding.part > 0
        assert bundle["x"].parts[finding.part][finding.start : finding.end] == PLACEHOLDER

    def test_the_support_address_is_kept(self) -> None:
        """The support address is the one address public drafts may carry."""
        incident = Incident(**incident_fields(summary="Write to help@example.com."))
        assert "help@example.com" in compose(incident, channels=["facebook"])["facebook"].text

    def test_incident_file_patterns_apply(self) -> None:
        """private_patterns from the incident withhold matching text."""
        incident = Incident(
            **incident_fields(summary="Tracked as INC-4242.", private_patterns=[r"INC-\d+"])
        )
        assert "INC-4242" not in compose(incident, channels=["facebook"])["facebook"].text

    def test_a_bad_pattern_is_refused_naming_the_field(self) -> None:
        """An invalid regular expression is a ValidationError on private_patterns[i]."""
        with pytest.raises(ValidationError) as caught:
            Incident(**incident_fields(private_patterns=["(unclosed"]))
        assert caught.value.field == "private_patterns[0]"

    def test_the_internal_alert_keeps_them(self) -> None:
        """Channels marked private (the team alert) see the original text."""
        if "slack" not in __import__("crisiscomms").available_channels():
            pytest.skip("the slack channel is not available")
        incident = Incident(**incident_fields(summary="Requests from 10.0.0.7 failed."))
        assert not get_channel("slack").public
        assert "10.0.0.7" in compose(incident, channels=["slack"])["slack"].text


ipv4 = st.builds(
    lambda n: str(ipaddress.IPv4Address(n)), st.integers(min_value=0x01000000, max_value=0xDFFFFFFF)
)
emails = st.from_regex(r"[a-z]{2,10}\.[a-z]{2,10}@[a-z]{3,10}\.(com|net|io)", fullmatch=True)
tokens = st.one_of(
    st.from_regex(r"AKIA[0-9A-Z]{16}", fullmatch=True),
    st.from_regex(r"ghp_[A-Za-z0-9]{36}", fullmatch=True),
    st.from_regex(r"[0-9a-f]{40}", fullmatch=True).filter(lambda t: any(c.isalpha() for c in t)),
)


class TestProperties:
    @given(
        secret=st.one_of(ipv4, emails, tokens),
        field=st.sampled_from(["summary", "impact", "title"]),
    )
    def test_no_generated_secret_reaches_a_public_draft(self, secret: str, field: str) -> None:
        """Whatever IP, address or token is in the incident's text, no public draft carries it."""
        base = Incident(**incident_fields())
        text: dict[str, Any] = {field: f"Failure involving {secret} today."}
        incident = attrs.evolve(base, **text)
        bundle = compose(incident, channels=PUBLIC)
        for name in PUBLIC:
            draft = bundle[name]
            assert secret not in draft.text
            assert secret not in getattr(draft, "html", "")
            assert secret not in getattr(draft, "subject", "")
