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

import crisiscomms
from crisiscomms import get_channel
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
        assert out.strip().splitlines()[-1] == "0 findings"

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
        assert rows["sms"] == ["1", "segment:"]


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


def write_thread(folder: Path, channel: str) -> Path:
    """The channel's draft written by draft --out, returned as the file's path."""
    out = folder / "drafts"
    code, _, _ = run("draft", EXAMPLE, "--channel", channel, "--out", str(out))
    assert code == 0
    return out / f"{channel}.txt"


class TestCheckMeasures:
    def test_a_written_thread_checks_clean_of_length_errors(self, tmp_path: Path) -> None:
        """Each post draft --out wrote is within the limit, and check says so post by post."""
        path = write_thread(tmp_path, "x")
        posts = path.read_text(encoding="utf-8").split("\n\n---\n\n")
        code, out, _ = run("check", str(path), "--channel", "x")
        assert "length.over-limit" not in out
        assert sum(" of 280 weighted characters" in line for line in out.splitlines()) == len(posts)
        assert code in (0, 1)

    def test_an_edited_post_over_the_limit_is_an_error(self, tmp_path: Path) -> None:
        """360 characters added to post 1 make an error naming post 1 and the excess."""
        path = write_thread(tmp_path, "x")
        posts = path.read_text(encoding="utf-8").split("\n\n---\n\n")
        posts[0] += " " + "a" * 359
        path.write_text("\n\n---\n\n".join(posts), encoding="utf-8")
        code, out, _ = run("check", str(path), "--channel", "x")
        assert code == 1
        (line,) = [line for line in out.splitlines() if "length.over-limit" in line]
        measured = get_channel("x").measure(posts[0].strip())
        assert f"post 1 of {len(posts)}" in line
        assert f"{measured - 280} over" in line
        assert line.startswith(f"{path}:1:1: error:")

    def test_an_email_subject_over_78_is_an_error(self, tmp_path: Path) -> None:
        """The email file's Subject line is measured against the subject limit."""
        path = write_thread(tmp_path, "email")
        text = path.read_text(encoding="utf-8")
        subject, _, rest = text.partition("\n")
        path.write_text(subject + " and a much longer tail" * 4 + "\n" + rest, encoding="utf-8")
        code, out, _ = run("check", str(path), "--channel", "email", "--json")
        report = json.loads(out)
        assert code == 1
        assert report["posts"][0]["kind"] == "subject"
        assert report["posts"][0]["length"] > 78
        over = [f for f in report["findings"] if f["rule"] == "length.over-limit"]
        assert [(f["part"], f["at"]) for f in over] == [(0, "1:10")]

    def test_json_lists_posts_and_findings(self, tmp_path: Path) -> None:
        """--json gives each post's length, line and the findings, parseable."""
        path = write_thread(tmp_path, "mastodon")
        code, out, _ = run("check", str(path), "--channel", "mastodon", "--json")
        report = json.loads(out)
        assert (report["channel"], report["limit"]) == ("mastodon", 500)
        assert [post["length"] for post in report["posts"]] == [
            get_channel("mastodon").measure(post["text"]) for post in report["posts"]
        ]
        assert report["posts"][0]["line"] == 1
        assert code == (1 if any(f["level"] == "error" for f in report["findings"]) else 0)

    def test_a_single_post_channel_does_not_split_on_a_rule(self) -> None:
        """A status page's Markdown rule is not a post separator."""
        text = "a" * 3000 + "\n\n---\n\n" + "b" * 3000
        code, out, _ = run("check", "-", "--channel", "statuspage", stdin=text)
        assert code == 1
        assert f"the post measures {len(text):,}" in out

    def test_mastodon_limit_applies_to_check(self) -> None:
        """--mastodon-limit raises the limit a Mastodon post is checked against."""
        text = "word " * 150
        assert run("check", "-", "--channel", "mastodon", stdin=text)[1].count("over-limit") == 1
        _, out, _ = run(
            "check", "-", "--channel", "mastodon", "--mastodon-limit", "1000", stdin=text
        )
        assert "over-limit" not in out


class TestHelpfulCommandLine:
    @pytest.mark.parametrize(
        ("args", "expected"),
        [
            (("drat", EXAMPLE), "did you mean 'draft'?"),
            (("draft", EXAMPLE, "--channel", "twiter"), "did you mean 'twitter'?"),
            (("draft", EXAMPLE, "--channel", "emial"), "did you mean 'email'?"),
            (("draft", EXAMPLE, "--voice", "foundr"), "did you mean 'founder'?"),
            (("check", "-", "--channel", "mastdon"), "did you mean 'mastodon'?"),
        ],
    )
    def test_a_misspelt_name_gets_a_suggestion(
        self, args: tuple[str, ...], expected: str, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """Channels, voices and subcommands: the closest known name is offered."""
        code, _, err = run(*args)
        message = err or capsys.readouterr().err
        assert code == 2
        assert expected in message
        assert len(message.strip().splitlines()) == 1

    def test_a_name_far_from_any_gets_no_suggestion(self) -> None:
        """No suggestion is better than a wrong one."""
        _, _, err = run("draft", EXAMPLE, "--channel", "zzzzzz")
        assert "did you mean" not in err

    def test_comma_lists_and_any_case(self) -> None:
        """--channel X,Email --voice Founder drafts those channels in that voice."""
        code, out, _ = run("draft", EXAMPLE, "--json", "--channel", "X,Email", "--voice", "Founder")
        manifest = json.loads(out)
        assert code == 0
        assert list(manifest["drafts_by_channel"]) == ["x", "email"]
        assert manifest["voice"] == "founder"

    def test_an_empty_name_in_a_comma_list_is_refused(self) -> None:
        """x,,email is a typo, not a request for every channel."""
        code, _, err = run("draft", EXAMPLE, "--channel", "x,,email")
        assert code == 2
        assert "--channel" in err

    def test_to_without_out_is_an_error(self) -> None:
        """--to only means something with --out, so alone it is refused."""
        code, out, err = run("draft", EXAMPLE, "--to", "ops@example.com")
        assert code == 2
        assert "--out" in err
        assert out == ""

    @pytest.mark.parametrize(
        "args",
        [
            ("draft", "{missing}.toml"),
            ("check", "{missing}.txt", "--channel", "x"),
            ("draft", EXAMPLE, "--template-dir", "{missing}"),
        ],
    )
    def test_every_missing_path_is_reported_alike(
        self, args: tuple[str, ...], tmp_path: Path
    ) -> None:
        """A missing file or folder is 'PATH: no such file/folder', whichever option names it."""
        missing = str(tmp_path / "nope")
        code, _, err = run(*(arg.replace("{missing}", missing) for arg in args))
        assert code == 2
        assert re.fullmatch(
            rf"crisiscomms: error: {re.escape(missing)}(\.\w+)?: no such (file|folder)\n", err
        ), err

    def test_var_reaches_the_templates(self, tmp_path: Path) -> None:
        """--var KEY=VALUE (repeatable) gives templates the caller's names."""
        (tmp_path / "x").mkdir()
        (tmp_path / "x" / "default.txt").write_text("{{ a }} {{ b }} {{ status_url }}")
        code, out, _ = run(
            "draft",
            EXAMPLE,
            "--json",
            "--channel",
            "x",
            "--template-dir",
            str(tmp_path),
            "--var",
            "a=one",
            "--var",
            "b=two=2",
        )
        assert code == 0
        assert json.loads(out)["drafts"][0]["parts"][0].startswith("one two=2 https://")

    @pytest.mark.parametrize("pair", ["novalue", "=x", "incident=x"])
    def test_a_bad_var_is_bad_input(self, pair: str) -> None:
        """A --var without =, without a name, or clashing with the library's names is refused."""
        code, _, err = run("draft", EXAMPLE, "--channel", "x", "--var", pair)
        assert code == 2
        assert "var" in err

    @pytest.mark.parametrize("command", ["draft", "check", "channels"])
    def test_every_subcommand_has_an_example_and_readable_placeholders(
        self, command: str, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """Help ends with examples of the subcommand, with no dest-style placeholders."""
        assert run(command, "--help")[0] == 0
        help_text = capsys.readouterr().out
        assert f"examples:\n  crisiscomms {command}" in help_text
        assert not re.search(r"\b[A-Z]+_[A-Z_]+\b", help_text), help_text

    def test_version(self, capsys: pytest.CaptureFixture[str]) -> None:
        """--version prints the library's version."""
        assert run("--version")[0] == 0
        assert capsys.readouterr().out.strip() == f"crisiscomms {crisiscomms.__version__}"

    def test_counts_agree_with_their_nouns(self) -> None:
        """The SMS limit of one segment reads '1 segment', never '1 segments'."""
        _, out, _ = run("draft", EXAMPLE, "--channel", "sms")
        assert "== sms (1 segment) ==" in out
        assert not re.search(r"\b1 \w+s\b", out.split("\n")[0])
