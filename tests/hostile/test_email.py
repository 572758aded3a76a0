"""Email headers: bad recipients refused cleanly, long sender names folded within limits."""

from __future__ import annotations

import email
import email.policy

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from crisiscomms import Incident, compose
from crisiscomms.drafts import EmailDraft
from crisiscomms.errors import HeaderError
from tests.conftest import incident_fields


@pytest.fixture(scope="module")
def draft() -> EmailDraft:
    result = compose(Incident(**incident_fields()), channels=["email"])["email"]
    assert isinstance(result, EmailDraft)
    return result


def header_lines(raw: bytes) -> list[bytes]:
    return raw.split(b"\r\n\r\n", 1)[0].split(b"\r\n")


class TestRecipients:
    @pytest.mark.parametrize(
        "to", ["a@", "@", "<", "a@b@c", "", "Name <>", "a@example.com, b@example.com", '"x" <']
    )
    def test_malformed_recipients_are_header_errors(self, draft: EmailDraft, to: str) -> None:
        """to='a@' and the like raise HeaderError naming 'to', never IndexError."""
        with pytest.raises(HeaderError) as caught:
            draft.to_message(to=to)
        assert caught.value.field == "to"


class TestSender:
    @pytest.mark.parametrize(
        "name",
        [
            "x" * 1000,
            "Jo " * 400,
            "Ünïcødé Nåmé " * 20,
            "日本語の名前" * 30,
            'Smith, Jo (Ops) "Quoted"',
            "Zoë Østergaard-Łukasiewicz, Head of Communications and Customer Trust at Example",
        ],
    )
    def test_no_header_line_exceeds_998_bytes(self, draft: EmailDraft, name: str) -> None:
        """A 1,000-character display name is folded, like the subject."""
        raw = attrs.evolve(draft, sender_name=name).to_message(to="r@example.com").as_bytes()
        assert max(len(line) for line in header_lines(raw)) <= 998

    @pytest.mark.parametrize(
        "name",
        [
            "Ünïcødé Nåmé " * 8 + "End",
            "日本語の名前" * 30,
            "Zoë Østergaard-Łukasiewicz, Head of Communications and Customer Trust at Example",
            'Smith, Jo (Ops) "Quoted"',
        ],
    )
    def test_a_long_non_ascii_name_reads_back_as_written(
        self, draft: EmailDraft, name: str
    ) -> None:
        """The From display name reads back without stray spaces."""
        raw = attrs.evolve(draft, sender_name=name).to_message(to="r@example.com").as_bytes()
        parsed = email.message_from_bytes(raw, policy=email.policy.default)
        assert parsed["From"].addresses[0].display_name == name

    @given(
        st.text(
            alphabet=st.characters(blacklist_categories=("Cc", "Cs", "Zl", "Zp")),
            min_size=1,
            max_size=300,
        )
    )
    def test_any_sender_name_gives_lines_within_the_limit(self, name: str) -> None:
        """Whatever the name (without line breaks), every header line fits 998 bytes."""
        base = compose(Incident(**incident_fields()), channels=["email"])["email"]
        assert isinstance(base, EmailDraft)
        shown = " ".join(name.replace("=?", "= ?").split()) or "x"
        raw = attrs.evolve(base, sender_name=shown).to_message(to="r@example.com").as_bytes()
        assert max(len(line) for line in header_lines(raw)) <= 998
