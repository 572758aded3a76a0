"""Voice lines fill {org}, {name} and {title} only; every other brace shows as written."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from crisiscomms import Spokesperson

LINES = ("apology", "greeting", "ownership", "sign_off")


def voice_of(**lines: str) -> dict[str, str]:
    person = Spokesperson(name="Jo Bloggs", title="CEO", preset="ceo", **lines)
    voice = person.voice(organization="Acme")
    return {line: getattr(voice, line) for line in LINES}


class TestPlaceholders:
    @pytest.mark.parametrize("line", LINES)
    def test_the_three_names_are_filled(self, line: str) -> None:
        """{org}, {name} and {title} become the organisation, the name and the title."""
        assert voice_of(**{line: "{name}, {title} of {org}"})[line] == "Jo Bloggs, CEO of Acme"

    @pytest.mark.parametrize(
        "written",
        [
            "We are sorry {for this}.",
            "A lone { brace",
            "A lone } brace",
            "{org.__class__.__mro__} {title.__doc__}",
            "{name!r} {org:>99999999}",
            "{0} {} {{org}}",
            "{ORG} { org }",
        ],
    )
    @pytest.mark.parametrize("line", LINES)
    def test_other_braces_are_shown_as_written(self, line: str, written: str) -> None:
        """Unknown names, lone braces, attribute access, conversions and format specs are text."""
        shown = voice_of(**{line: written})[line]
        assert "<class" not in shown
        assert shown.replace("Acme", "{org}") == written

    def test_the_signature_is_filled_the_same_way(self) -> None:
        """Signature lines follow the same rule."""
        person = Spokesperson(name="Jo", title="", preset="ceo", signature=["{name}", "{x} {org}"])
        assert person.voice(organization="Acme").signature == ("Jo", "{x} Acme")

    @given(st.text(alphabet="{}.:!_ orgnametil0[]", max_size=40).filter(str.strip))
    def test_any_line_is_rendered_without_error(self, written: str) -> None:
        """No arrangement of braces makes resolving a voice fail."""
        shown = voice_of(apology=written)["apology"]
        assert (
            shown.replace("Acme", "{org}").replace("Jo Bloggs", "{name}").replace("CEO", "{title}")
            == written
        )
