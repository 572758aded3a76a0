"""The atheris target's entry point runs without atheris, so it cannot rot."""

from __future__ import annotations

import pytest

from tests.hostile.atheris_target import one_input


class TestAtherisTarget:
    @pytest.mark.parametrize(
        "data",
        [
            b"",
            b"\x00title = 1",
            b'\x01{"title": ' + b"[" * 3000 + b"]" * 3000 + b"}",
            b"\x02a: &a [1,1]\nb: [*a,*a]\ntitle: !!set {a}",
            b"\x03{{ 1/0 }}",
            b"\x04alice\\@example.org at 10\\.0\\.0\\.1",
        ],
        ids=["empty", "toml", "deep-json", "yaml-set", "template", "redaction"],
    )
    def test_each_target_accepts_hostile_input(self, data: bytes) -> None:
        """Every branch of the target runs on a hostile input without failing."""
        one_input(data)
