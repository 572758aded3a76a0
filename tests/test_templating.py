"""Tests for crisiscomms.templating: when template files are read again."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from crisiscomms.templating import Renderer, packaged_templates


def _write(path: Path, text: str, *, age: int) -> None:
    """Write ``text`` and date the file ``age`` seconds back, so edits differ in time."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    stamp = path.stat().st_mtime - age
    os.utime(path, (stamp, stamp))


class TestRenderer:
    """Renderer: templates read once, or again when asked."""

    def test_reads_each_user_file_once_by_default(self, tmp_path: Path) -> None:
        """Without auto_reload an edited file is not read again in the same process."""
        _write(tmp_path / "note.txt", "one", age=100)
        renderer = Renderer(template_dirs=[tmp_path])
        assert renderer.render("note.txt", {}) == "one"
        _write(tmp_path / "note.txt", "two", age=0)
        assert renderer.render("note.txt", {}) == "one"

    def test_auto_reload_reads_edited_user_files(self, tmp_path: Path) -> None:
        """With auto_reload an edited file in a user folder is read again."""
        _write(tmp_path / "note.txt", "one", age=100)
        renderer = Renderer(template_dirs=[tmp_path], auto_reload=True)
        assert renderer.render("note.txt", {}) == "one"
        _write(tmp_path / "note.txt", "two", age=0)
        assert renderer.render("note.txt", {}) == "two"

    def test_missing_names_are_remembered_only_without_auto_reload(self, tmp_path: Path) -> None:
        """A name found missing stays missing unless files are reloaded."""
        still = Renderer(template_dirs=[tmp_path])
        live = Renderer(template_dirs=[tmp_path], auto_reload=True)
        assert not still.exists("x/investigating.txt")
        assert not live.exists("x/investigating.txt")
        _write(tmp_path / "x" / "investigating.txt", "new", age=0)
        assert not still.exists("x/investigating.txt")
        assert live.exists("x/investigating.txt")

    def test_packaged_templates_are_never_checked_again(
        self, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """Even a reloading renderer treats the packaged templates as up to date,
        without looking at the files' times."""
        renderer = Renderer(template_dirs=[], auto_reload=True)
        loader = renderer.environment.loader
        assert loader is not None
        _, filename, uptodate = loader.get_source(renderer.environment, "x/default.txt")
        assert filename is not None
        assert Path(filename).is_relative_to(packaged_templates())
        assert uptodate is not None

        def no_stat(path: str) -> float:
            raise OSError(f"{path} was looked at")

        monkeypatch.setattr(os.path, "getmtime", no_stat)
        assert uptodate()
