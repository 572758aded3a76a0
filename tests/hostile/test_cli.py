"""The command line: hostile arguments and output folders give one line and exit 2."""

from __future__ import annotations

import contextlib
import errno
import io
import os
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from crisiscomms.cli import main
from tests.conftest import EXAMPLES

EXAMPLE = str(EXAMPLES / "buffer-2013.toml")


def run(*args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    # argparse's own usage errors go to sys.stderr: gather both in one place.
    with contextlib.redirect_stderr(err):
        code = main(list(args), stdout=out, stderr=err, stdin=io.StringIO(""))
    return code, out.getvalue(), err.getvalue()


def one_line_failure(*args: str) -> str:
    code, _, err = run(*args)
    assert code == 2
    lines = err.strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("crisiscomms: error: ")
    return lines[0]


def snapshot(folder: Path) -> dict[str, Any]:
    """Every entry under ``folder``: file bytes, link targets, folders."""
    result: dict[str, Any] = {}
    for path in sorted(folder.rglob("*")):
        key = str(path.relative_to(folder))
        if path.is_symlink():
            result[key] = ("link", os.readlink(path))
        elif path.is_dir():
            result[key] = "folder"
        else:
            result[key] = path.read_bytes()
    return result


class TestRecipient:
    def test_a_malformed_recipient_is_one_line(self, tmp_path: Path) -> None:
        """--to a@ is refused in one line, exit 2, and nothing is written."""
        line = one_line_failure("draft", EXAMPLE, "--to", "a@", "--out", str(tmp_path / "o"))
        assert "to" in line
        assert not (tmp_path / "o").exists()


class TestOutputFolder:
    def test_a_folder_where_the_manifest_goes_leaves_everything_as_it_was(
        self, tmp_path: Path
    ) -> None:
        """With --force and manifest.json a folder, no file is replaced."""
        out = tmp_path / "out"
        assert run("draft", EXAMPLE, "--out", str(out))[0] == 0
        (out / "manifest.json").unlink()
        (out / "manifest.json").mkdir()
        (out / "x.txt").write_text("mine", encoding="utf-8")
        before = snapshot(out)
        one_line_failure("draft", EXAMPLE, "--out", str(out), "--force")
        assert snapshot(out) == before

    def test_out_under_a_file_is_one_line(self, tmp_path: Path) -> None:
        """NotADirectoryError becomes one line."""
        (tmp_path / "file").write_text("x", encoding="utf-8")
        one_line_failure("draft", EXAMPLE, "--out", str(tmp_path / "file" / "sub"))

    def test_out_naming_a_file_is_one_line(self, tmp_path: Path) -> None:
        """--out at an existing file is refused, with or without --force."""
        (tmp_path / "file").write_text("x", encoding="utf-8")
        one_line_failure("draft", EXAMPLE, "--out", str(tmp_path / "file"))
        one_line_failure("draft", EXAMPLE, "--out", str(tmp_path / "file"), "--force")
        assert (tmp_path / "file").read_text(encoding="utf-8") == "x"

    def test_out_through_a_dangling_parent_link_is_one_line(self, tmp_path: Path) -> None:
        """A parent that is a dangling link (FileNotFoundError or FileExistsError) is one line."""
        (tmp_path / "gone").symlink_to(tmp_path / "nowhere")
        one_line_failure("draft", EXAMPLE, "--out", str(tmp_path / "gone" / "sub"))

    def test_a_full_disk_leaves_the_folder_as_it_was(
        self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """When the disk fills on the 12th file, nothing is replaced or left behind."""
        out = tmp_path / "out"
        assert run("draft", EXAMPLE, "--out", str(out))[0] == 0
        before = snapshot(out)
        writes = {"count": 0}
        real_fsync = os.fsync

        def fsync(fd: int) -> None:
            writes["count"] += 1
            if writes["count"] >= 12:
                raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
            real_fsync(fd)

        monkeypatch.setattr(os, "fsync", fsync)
        line = one_line_failure("draft", EXAMPLE, "--out", str(out), "--force", "--voice", "ceo")
        assert "No space left" in line
        assert snapshot(out) == before
        assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]

    def test_a_new_folder_is_not_created_on_failure(
        self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """A failed first write leaves no folder and no temporary folder."""

        def fsync(fd: int) -> None:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

        monkeypatch.setattr(os, "fsync", fsync)
        one_line_failure("draft", EXAMPLE, "--out", str(tmp_path / "new"))
        assert list(tmp_path.iterdir()) == []


class TestSymlinks:
    def test_a_dangling_link_is_not_replaced_without_force(self, tmp_path: Path) -> None:
        """A dangling symlink at DIR/x.txt is refused, and nothing is written."""
        out = tmp_path / "out"
        out.mkdir()
        (out / "x.txt").symlink_to(tmp_path / "elsewhere.txt")
        line = one_line_failure("draft", EXAMPLE, "--out", str(out))
        assert "x.txt" in line
        assert snapshot(out) == {"x.txt": ("link", str(tmp_path / "elsewhere.txt"))}
        assert not (tmp_path / "elsewhere.txt").exists()

    def test_a_link_to_a_file_is_never_followed(self, tmp_path: Path) -> None:
        """With --force the link itself is replaced; the file it pointed to is untouched."""
        out = tmp_path / "out"
        out.mkdir()
        victim = tmp_path / "victim.txt"
        victim.write_text("keep me", encoding="utf-8")
        (out / "x.txt").symlink_to(victim)
        one_line_failure("draft", EXAMPLE, "--out", str(out))
        assert run("draft", EXAMPLE, "--out", str(out), "--force")[0] == 0
        assert victim.read_text(encoding="utf-8") == "keep me"
        assert not (out / "x.txt").is_symlink()

    def test_a_linked_output_folder_needs_force(self, tmp_path: Path) -> None:
        """--out naming a symlink (to a folder) is refused without --force."""
        real = tmp_path / "real"
        real.mkdir()
        (tmp_path / "link").symlink_to(real)
        one_line_failure("draft", EXAMPLE, "--out", str(tmp_path / "link"))
        assert list(real.iterdir()) == []


arguments = st.lists(
    st.sampled_from(
        [
            "--voice",
            "ceo",
            "nobody",
            "--channel",
            "x",
            "sms",
            "nope",
            "--json",
            "--strict",
            "--update",
            "0",
            "-1",
            "99",
            "--mastodon-limit",
            "1",
            "-5",
            "--to",
            "a@",
            "x@y.z",
            "--template-dir",
            "/nonexistent",
            "--force",
            "\x00",
            "\ud800",
            "--",
            "-",
        ]
    ),
    max_size=6,
)


class TestFuzz:
    @settings(suppress_health_check=[HealthCheck.function_scoped_fixture])
    @given(extra=arguments, command=st.sampled_from(["draft", "check", "channels", "bogus"]))
    def test_any_arguments_exit_cleanly(self, extra: list[str], command: str) -> None:
        """Any mix of options exits 0, 1 or 2; exit 2 comes with one line on standard error."""
        code, _, err = run(command, EXAMPLE, *extra)
        assert code in (0, 1, 2)
        if code == 2:
            assert len(err.strip().splitlines()) == 1


class TestLongNames:
    @pytest.mark.parametrize("option", ["--channel", "--voice"])
    def test_a_long_unknown_name_is_echoed_briefly(self, option: str) -> None:
        """A megabyte channel or voice name gives one short line."""
        line = one_line_failure("draft", EXAMPLE, option, "\n<x>" * 100_000)
        assert len(line) < 400
