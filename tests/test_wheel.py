"""The built wheel carries the templates and data files and drafts from a clean location."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from tests.conftest import EXAMPLES, ROOT

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    pytest.importorskip("hatchling", reason="building the wheel needs hatchling (the tests group)")
    out = tmp_path_factory.mktemp("dist")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "-w",
            str(out),
            str(ROOT),
        ],
        check=True,
        capture_output=True,
    )
    (built,) = out.glob("crisiscomms-*.whl")
    return built


class TestWheel:
    def test_ships_templates_and_data(self, wheel: Path) -> None:
        """Every packaged template, the voice presets, the tone rules, the manifest's
        schema and py.typed are inside."""
        names = set(zipfile.ZipFile(wheel).namelist())
        for template in (ROOT / "templates").rglob("*"):
            if template.is_file():
                relative = template.relative_to(ROOT / "templates").as_posix()
                assert f"crisiscomms/templates/{relative}" in names
        assert "crisiscomms/voices.toml" in names
        assert "crisiscomms/py.typed" in names
        assert "crisiscomms/manifest.schema.json" in names
        assert any(name.startswith("crisiscomms/tone/rules/") for name in names)

    def test_ships_counting_tables(self, wheel: Path) -> None:
        """Every counting table (TLDs, emoji sequences, flag regions) is inside."""
        names = set(zipfile.ZipFile(wheel).namelist())
        data = ROOT / "src" / "crisiscomms" / "counting" / "data"
        tables = sorted(path.name for path in data.iterdir() if path.is_file())
        assert tables
        for table in tables:
            assert f"crisiscomms/counting/data/{table}" in names

    def test_drafts_the_example_when_installed_elsewhere(self, wheel: Path, tmp_path: Path) -> None:
        """Installed into an empty folder and run from another, the wheel drafts the example."""
        target = tmp_path / "site"
        subprocess.run(
            [
                sys.executable,
                "-m",
                "pip",
                "install",
                "--no-deps",
                "--no-index",
                "-q",
                "--target",
                str(target),
                str(wheel),
            ],
            check=True,
            capture_output=True,
        )
        code = (
            "import sys, json; sys.path.insert(0, sys.argv[1]);"
            "import crisiscomms; from crisiscomms.cli import main;"
            "assert crisiscomms.__file__.startswith(sys.argv[1]), crisiscomms.__file__;"
            "sys.exit(main(['draft', sys.argv[2], '--json']))"
        )
        env = {key: value for key, value in os.environ.items() if key != "PYTHONPATH"}
        result = subprocess.run(
            [sys.executable, "-c", code, str(target), str(EXAMPLES / "buffer-2013.toml")],
            capture_output=True,
            text=True,
            cwd=tmp_path,
            env=env,
            check=False,
        )
        assert result.returncode == 0, result.stderr
        channels = [draft["channel"] for draft in json.loads(result.stdout)["drafts"]]
        assert {"email", "x", "facebook"} <= set(channels)
