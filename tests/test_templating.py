"""Tests for crisiscomms.templating: when template files are read again."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import attrs
import pytest

from crisiscomms import Incident, compose, load_incident
from crisiscomms.errors import TemplateError
from crisiscomms.templating import Renderer, packaged_templates

from .conftest import EXAMPLES


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


class TestCompiledTemplateCache:
    """Compiled templates kept between processes: never wrong, never a failure."""

    @pytest.fixture
    def cache_dir(self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
        """A fresh cache in ``tmp_path``, used by every renderer made in the test."""
        import tempfile

        from crisiscomms import templating

        monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
        templating._bytecode_cache.cache_clear()
        monkeypatch.setattr(templating, "_bytecode_cache", templating._bytecode_cache.__wrapped__)
        return tmp_path / f"_jinja2-cache-{os.getuid()}"

    @staticmethod
    def _files(folder: Path) -> list[Path]:
        return sorted(folder.glob("__crisiscomms-*.cache"))

    def test_a_new_renderer_reads_what_an_earlier_one_compiled(
        self, tmp_path: Path, cache_dir: Path
    ) -> None:
        _write(tmp_path / "t" / "note.txt", "{{ 6 * 7 }}", age=100)
        assert Renderer(template_dirs=[tmp_path / "t"]).render("note.txt", {}) == "42"
        files = self._files(cache_dir)
        assert len(files) == 1
        written = files[0].stat().st_mtime_ns
        assert Renderer(template_dirs=[tmp_path / "t"]).render("note.txt", {}) == "42"
        assert files[0].stat().st_mtime_ns == written  # read, not compiled and written again

    def test_an_edited_template_is_compiled_afresh(self, tmp_path: Path, cache_dir: Path) -> None:
        _write(tmp_path / "t" / "note.txt", "one", age=100)
        assert Renderer(template_dirs=[tmp_path / "t"]).render("note.txt", {}) == "one"
        _write(tmp_path / "t" / "note.txt", "two", age=0)
        assert Renderer(template_dirs=[tmp_path / "t"]).render("note.txt", {}) == "two"

    def test_a_damaged_cache_file_is_ignored(self, tmp_path: Path, cache_dir: Path) -> None:
        _write(tmp_path / "t" / "note.txt", "{{ 'ok' }}", age=100)
        Renderer(template_dirs=[tmp_path / "t"]).render("note.txt", {})
        (file,) = self._files(cache_dir)
        file.write_bytes(file.read_bytes()[:20])  # cut short, as by a full disk
        assert Renderer(template_dirs=[tmp_path / "t"]).render("note.txt", {}) == "ok"

    def test_a_cache_that_cannot_be_written_is_no_failure(
        self, tmp_path: Path, cache_dir: Path
    ) -> None:
        _write(tmp_path / "t" / "note.txt", "{{ 'ok' }}", age=100)
        renderer = Renderer(template_dirs=[tmp_path / "t"])
        cache = renderer.environment.bytecode_cache
        assert cache is not None
        cache.directory = str(tmp_path / "gone")  # type: ignore[attr-defined]
        assert renderer.render("note.txt", {}) == "ok"
        assert not (tmp_path / "gone").exists()

    def test_files_are_named_for_the_compile_settings(self, tmp_path: Path) -> None:
        """Templates compiled with other settings never share a file."""
        import jinja2

        from crisiscomms.templating import _settings

        plain = jinja2.Environment()
        trimmed = jinja2.Environment(trim_blocks=True)
        assert _settings(plain) != _settings(trimmed)
        renderer = Renderer(template_dirs=[tmp_path])
        assert _settings(renderer.environment) == _settings(Renderer(template_dirs=[]).environment)


class TestSharedPhrases:
    """``say``: the shared phrases, given to every template without an import."""

    def test_say_needs_no_import_and_sees_the_templates_names(
        self, tmp_path: Path, buffer_incident: Incident
    ) -> None:
        _write(tmp_path / "x" / "default.txt", "{{ say.headline() }}", age=0)
        imported = '{% import "common/phrases.txt" as say with context %}{{ say.headline() }}'
        _write(tmp_path / "other" / "x" / "default.txt", imported, age=0)
        given = compose(buffer_incident, channels=["x"], template_dirs=[tmp_path])["x"]
        as_before = compose(buffer_incident, channels=["x"], template_dirs=[tmp_path / "other"])
        assert given.parts == as_before["x"].parts
        assert given.parts[0].startswith("Investigating: ")

    def test_a_users_phrases_file_is_the_one_say_reads(
        self, tmp_path: Path, buffer_incident: Incident
    ) -> None:
        macro = "{% macro lead(short) %}Ours{% endmacro %}"
        _write(tmp_path / "common" / "phrases.txt", macro, age=0)
        template = "{{ say.lead(short=true) }} {{ stage.value }}"
        _write(tmp_path / "x" / "default.txt", template, age=0)
        draft = compose(buffer_incident, channels=["x"], template_dirs=[tmp_path])["x"]
        assert draft.parts == ("Ours investigating",)

    def test_a_macro_that_does_not_exist_names_itself(
        self, tmp_path: Path, buffer_incident: Incident
    ) -> None:
        _write(tmp_path / "x" / "default.txt", "{{ say.no_such_phrase() }}", age=0)
        with pytest.raises(TemplateError, match="no_such_phrase"):
            compose(buffer_incident, channels=["x"], template_dirs=[tmp_path])


class TestRenderedOnce:
    """Templates of one shape render once per compose, and only when that is exact."""

    def test_same_shape_same_values_share_one_render(self, tmp_path: Path) -> None:
        from crisiscomms.compose import prepare

        renderer = Renderer(template_dirs=[tmp_path])
        _write(tmp_path / "a.txt", "{# a #}{{ word }}", age=0)
        _write(tmp_path / "b.txt", "{# b #}{{ word }}", age=0)
        assert renderer.shape("a.txt") == renderer.shape("b.txt")
        incident = load_incident(EXAMPLES / "buffer-2013.toml")
        context = attrs.evolve(
            prepare(incident, voice=None, default_voice=incident.voice).public,
            renderer=renderer,
        )
        calls: list[str] = []
        original = renderer.render

        def counted(name: str, values: Any) -> str:
            calls.append(name)
            return original(name, values)

        renderer.render = counted  # type: ignore[method-assign, assignment]
        first = context.render("a.txt", {"word": "one", "channel": "x"})
        second = context.render("b.txt", {"word": "one", "channel": "bluesky"})
        third = context.render("b.txt", {"word": "two", "channel": "bluesky"})
        assert (first, second, third) == ("one", "one", "two")
        assert calls == ["a.txt", "b.txt"]

    def test_a_template_reading_the_channel_renders_for_each(
        self, tmp_path: Path, buffer_incident: Incident
    ) -> None:
        for channel in ("x", "bluesky"):
            _write(tmp_path / channel / "default.txt", '{% include "common/mine.txt" %}', age=0)
        _write(tmp_path / "common" / "mine.txt", "Posted on {{ channel }}.", age=0)
        bundle = compose(buffer_incident, channels=["x", "bluesky"], template_dirs=[tmp_path])
        assert bundle["x"].parts == ("Posted on x.",)
        assert bundle["bluesky"].parts == ("Posted on bluesky.",)

    def test_no_shape_where_it_cannot_be_told(self, tmp_path: Path) -> None:
        dynamic = (
            "{% include name %}",
            '{% include "a" ~ x %}',
            '{% include ["a"] %}',
            '{% set x = "%}" ~ channel %}',  # a tag's end inside a string
        )
        for source in dynamic:
            _write(tmp_path / "dynamic.txt", source, age=0)
            assert Renderer(template_dirs=[tmp_path]).shape("dynamic.txt") is None, source
        _write(tmp_path / "plain.txt", "{{ word }}", age=0)
        assert Renderer(template_dirs=[tmp_path], auto_reload=True).shape("plain.txt") is None

    def test_the_shape_follows_includes_and_say(self, tmp_path: Path) -> None:
        _write(tmp_path / "top.txt", '{% include "inner.txt" %}{{ say.link() }}', age=0)
        _write(tmp_path / "inner.txt", "{{ deep }}", age=0)
        shape = Renderer(template_dirs=[tmp_path]).shape("top.txt")
        assert shape is not None
        assert {"deep", "say", "link_url"} <= shape[1]

    def test_words_in_strings_and_comments_are_not_names(self, tmp_path: Path) -> None:
        _write(tmp_path / "t.txt", '{# channel #}{{ _("your account") }} {{ word }}', age=0)
        shape = Renderer(template_dirs=[tmp_path]).shape("t.txt")
        assert shape is not None
        assert "word" in shape[1]
        assert not {"channel", "account"} & shape[1]


class TestBlocks:
    """Blocks rendered on their own share nothing they set."""

    def test_what_a_block_sets_stays_in_it(self, tmp_path: Path) -> None:
        source = (
            "{% block a %}{% set x = 1 %}A{{ x }}{% endblock %}"
            "{% block b %}B{{ x is defined }}{% endblock %}"
        )
        _write(tmp_path / "t.txt", source, age=0)
        rendered = Renderer(template_dirs=[tmp_path]).render_blocks("t.txt", {})
        assert rendered == {"a": "A1", "b": "BFalse"}
