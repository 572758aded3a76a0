"""README.md stays true: its Python example runs and its commands name real things."""

from __future__ import annotations

import os
import re
import runpy
from pathlib import Path

import pytest

from crisiscomms import available_channels, get_channel
from tests.conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")


class TestReadme:
    def test_python_example_runs(
        self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """The Python block runs from the project folder and prints the thread."""
        (code,) = re.findall(r"```python\n(.*?)```", README, re.S)
        script = tmp_path / "example.py"
        script.write_text(code, encoding="utf-8")
        monkeypatch.chdir(ROOT)
        runpy.run_path(str(script), run_name="__main__")
        assert "1/" in capsys.readouterr().out

    def test_first_commands_are_the_documented_ones(self) -> None:
        """The first two code blocks install and draft, then install the test tools and test."""
        blocks = re.findall(r"```sh\n(.*?)```", README, re.S)
        assert "crisiscomms draft examples/buffer-2013.toml" in blocks[0]
        assert "nox" in blocks[1]
        assert (ROOT / "examples" / "buffer-2013.toml").is_file()

    def test_ci_runs_the_readme_test_command(self) -> None:
        """.ci/run runs exactly the test command README gives."""
        blocks = re.findall(r"```sh\n(.*?)```", README, re.S)
        command = blocks[1].strip()
        ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
        assert command in ci
        assert os.access(ROOT / ".ci" / "run", os.X_OK)

    def test_channel_table_lists_every_channel_with_its_limit(self) -> None:
        """Each channel has a row whose limit matches the channel's own."""
        for name in available_channels():
            row = next(line for line in README.splitlines() if line.startswith(f"| `{name}`"))
            limit = f"{get_channel(name).limit:,}"
            assert limit in row, (name, row)
