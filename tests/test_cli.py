"""The command line: drafting, the manifest, exit codes, and never overwriting."""

from __future__ import annotations

import email
import email.policy
import io
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from crisiscomms.cli import main
from tests.conftest import EXAMPLES

EXAMPLE = str(EXAMPLES / "buffer-2013.toml")


def run(*args: str, stdin: str = "") -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(args), stdout=out, stderr=err, stdin=io.StringIO(stdin))
    return code, out.getvalue(), err.getvalue()


class TestDraft:
    def test_prints_every_channel(self) -> None:
        """Without --out, the drafts are printed, one section per channel."""
        code, out, _ = run("draft", EXAMPLE)
        assert code == 0
        for channel in ("email", "x", "facebook"):
            assert f"== {channel} (" in out

    def test_json_prints_the_manifest(self) -> None:
        """--json prints the documented manifest shape."""
        code, out, _ = run("draft", EXAMPLE, "--json", "--channel", "x", "--channel", "email")
        assert code == 0
        manifest = json.loads(out)
        assert manifest["voice"] == "founder"
        assert [d["channel"] for d in manifest["drafts"]] == ["x", "email"]
        x = manifest["drafts"][0]
        assert x["limit"] == 280
        assert x["unit"] == "weighted characters"
        assert len(x["parts"]) == len(x["lengths"]) >= 1
        assert all(length <= 280 for length in x["lengths"])
        assert isinstance(manifest["findings"], list)

    def test_voice_option_changes_the_drafts(self) -> None:
        """--voice brand signs as the company."""
        _, out, _ = run("draft", EXAMPLE, "--voice", "brand", "--channel", "facebook")
        assert "The Buffer team" in out

    def test_mastodon_limit_configures_the_server(self) -> None:
        """--mastodon-limit drafts Mastodon for that server's limit; others are unchanged."""
        code, out, _ = run("draft", EXAMPLE, "--json", "--mastodon-limit", "1000")
        drafts = {d["channel"]: d for d in json.loads(out)["drafts"]}
        default = json.loads(run("draft", EXAMPLE, "--json", "--channel", "mastodon")[1])
        assert code == 0
        assert drafts["mastodon"]["limit"] == 1000
        assert len(drafts["mastodon"]["parts"]) < len(default["drafts"][0]["parts"])
        assert drafts["x"]["limit"] == 280

    def test_a_bad_mastodon_limit_is_bad_input(self) -> None:
        """A limit below 1 exits 2 with one line."""
        code, _, err = run("draft", EXAMPLE, "--mastodon-limit", "0")
        assert code == 2
        assert "--mastodon-limit" in err

    def test_out_writes_one_file_per_draft_and_the_manifest(self, tmp_path: Path) -> None:
        """--out writes each draft, the email as .eml and .html too, and manifest.json."""
        out = tmp_path / "drafts"
        code, _, _ = run("draft", EXAMPLE, "--out", str(out))
        assert code == 0
        names = {path.name for path in out.iterdir()}
        assert {
            "email.txt",
            "email.eml",
            "email.html",
            "x.txt",
            "facebook.txt",
            "manifest.json",
        } <= names
        manifest = json.loads((out / "manifest.json").read_text())
        assert set(manifest["files"]) == names
        message = email.message_from_bytes(
            (out / "email.eml").read_bytes(), policy=email.policy.default
        )
        assert message.get_content_type() == "multipart/alternative"
        assert message["To"] == "hello@buffer.com"  # the support address by default
        thread = (out / "x.txt").read_text()
        assert thread.endswith("\n")
        x = next(draft for draft in manifest["drafts"] if draft["channel"] == "x")
        assert thread[:-1].split("\n\n---\n\n") == x["parts"]

    def test_out_reports_and_to_sets_the_recipient(self, tmp_path: Path) -> None:
        """--out says how many files it wrote; --to is the .eml's recipient."""
        out = tmp_path / "drafts"
        code, _, err = run("draft", EXAMPLE, "--out", str(out), "--to", "team@example.com")
        assert code == 0
        written = len(list(out.iterdir()))
        assert f"wrote {written} files to {out}" in err
        message = email.message_from_bytes(
            (out / "email.eml").read_bytes(), policy=email.policy.default
        )
        assert message["To"] == "team@example.com"

    def test_never_overwrites_without_force(self, tmp_path: Path) -> None:
        """An existing file stops the run with exit 2, and nothing is written or changed."""
        out = tmp_path / "drafts"
        out.mkdir()
        (out / "x.txt").write_text("my own notes")
        code, _, err = run("draft", EXAMPLE, "--out", str(out))
        assert code == 2
        assert "x.txt" in err
        assert "--force" in err
        assert (out / "x.txt").read_text() == "my own notes"
        assert sorted(path.name for path in out.iterdir()) == ["x.txt"]

    def test_force_replaces(self, tmp_path: Path) -> None:
        """With --force the draft replaces the file."""
        out = tmp_path / "drafts"
        out.mkdir()
        (out / "x.txt").write_text("old")
        code, _, _ = run("draft", EXAMPLE, "--out", str(out), "--force")
        assert code == 0
        assert (out / "x.txt").read_text() != "old"

    def test_strict_exits_1_on_an_error_level_finding(self, tmp_path: Path) -> None:
        """A template saying 'any inconvenience' fails --strict with exit 1, passes without."""
        (tmp_path / "x").mkdir()
        (tmp_path / "x" / "default.txt").write_text(
            "We apologize for any inconvenience. {{ status_url }}"
        )
        args = ("draft", EXAMPLE, "--channel", "x", "--template-dir", str(tmp_path))
        assert run(*args)[0] == 0
        code, _, err = run(*args, "--strict")
        assert code == 1
        assert "error" in err

    @pytest.mark.parametrize(
        "args",
        [
            ("draft", "no-such-file.toml"),
            ("draft", EXAMPLE, "--channel", "myspace"),
            ("draft", EXAMPLE, "--voice", "pirate"),
            ("draft", EXAMPLE, "--update", "7"),
            ("draft",),
            ("frobnicate",),
        ],
    )
    def test_bad_input_exits_2_with_one_line(
        self, args: tuple[str, ...], capsys: pytest.CaptureFixture[str]
    ) -> None:
        """Bad input: exit 2 and a single line on standard error, no traceback."""
        code, _, err = run(*args)
        captured = capsys.readouterr().err
        message = err or captured
        assert code == 2
        assert len(message.strip().splitlines()) == 1
        # Ours say "crisiscomms: error:"; a usage error names the command too.
        assert re.match(r"crisiscomms( \w+)?: error: ", message), message
        assert "Traceback" not in message

    def test_bad_field_in_file_names_file_field_and_line(self, tmp_path: Path) -> None:
        """A refused value in the file is reported with file, line and field."""
        text = Path(EXAMPLE).read_text().replace('severity = "critical"', 'severity = "dire"')
        path = tmp_path / "bad.toml"
        path.write_text(text)
        code, _, err = run("draft", str(path))
        line = text.splitlines().index('severity = "dire"') + 1
        assert code == 2
        assert f"{path}:{line}: severity:" in err


class TestCheck:
    def test_finds_and_exits_1_on_error(self, tmp_path: Path) -> None:
        """check prints each finding with its span and exits 1 on an error-level one."""
        path = tmp_path / "post.txt"
        path.write_text("We apologize for any inconvenience this may have caused.")
        code, out, _ = run("check", str(path), "--channel", "x")
        assert code == 1
        assert "any-inconvenience" in out
        assert f"{path}:" in out

    def test_clean_text_exits_0(self) -> None:
        """A plain, specific apology draws no error."""
        code, out, _ = run(
            "check",
            "-",
            "--channel",
            "x",
            stdin="I'm sorry: our mistake sent spam from your account.",
        )
        assert code == 0
        assert out.strip().splitlines()[-1] == "0 finding(s)"

    def test_unknown_stage_exits_2(self) -> None:
        """A stage name that does not exist is bad input."""
        code, _, err = run("check", "-", "--channel", "x", "--stage", "exploded", stdin="x")
        assert code == 2
        assert "stage" in err


class TestChannels:
    def test_lists_channels_with_limits(self) -> None:
        """channels prints each name with its limit."""
        code, out, _ = run("channels")
        assert code == 0
        rows = {line.split()[0]: line.split()[1:3] for line in out.splitlines() if line.strip()}
        assert rows["x"] == ["280", "weighted"]
        assert rows["sms"] == ["1", "segments:"]


class TestEntryPoint:
    def test_module_runs_as_a_program(self) -> None:
        """python -m crisiscomms draft works like the console script."""
        result = subprocess.run(
            [sys.executable, "-m", "crisiscomms", "draft", EXAMPLE, "--json", "--channel", "x"],
            capture_output=True,
            text=True,
            check=False,
        )
        assert result.returncode == 0, result.stderr
        assert json.loads(result.stdout)["drafts"][0]["channel"] == "x"
