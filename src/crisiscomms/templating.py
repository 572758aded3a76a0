"""The one place that builds the Jinja environment.

Templates are rendered in a :class:`~jinja2.sandbox.SandboxedEnvironment`
with :class:`~jinja2.StrictUndefined`, so a template cannot reach into
Python and a misspelt variable is an error rather than a blank. HTML
templates are autoescaped. User folders come first in a
:class:`~jinja2.ChoiceLoader`, so one user file overrides one packaged file.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping, Sequence
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import jinja2

from crisiscomms import wording
from crisiscomms.errors import TemplateError

__all__ = ["Renderer", "packaged_templates", "renderer"]


def packaged_templates() -> Path:
    """The folder of the packaged templates (inside the wheel, or beside ``src/``)."""
    inside = resources.files("crisiscomms").joinpath("templates")
    if inside.is_dir():
        return Path(str(inside))
    # An editable install or a source checkout: templates/ sits beside src/.
    return Path(__file__).resolve().parents[2] / "templates"


class Renderer:
    """Renders named templates and their blocks; every Jinja error becomes a
    :class:`~crisiscomms.errors.TemplateError` naming the template and line.

    With ``auto_reload`` off (the default) each template is read and compiled
    once, and which names exist is remembered. Turn it on to pick up edits to
    files in ``template_dirs`` without restarting (a review server, for
    example); then every render checks those files' times again. Packaged
    templates are never checked again: they do not change while a process runs.
    """

    def __init__(self, *, template_dirs: Sequence[Path], auto_reload: bool = False) -> None:
        # Jinja is imported by the first renderer, not by ``import crisiscomms``.
        import jinja2.sandbox

        self.auto_reload = auto_reload
        # Names looked up and found missing; only kept while files are not reloaded.
        self._missing: set[str] = set()
        loaders: list[jinja2.BaseLoader] = [
            jinja2.FileSystemLoader(str(path)) for path in template_dirs
        ]
        loaders.append(_packaged_loader_class()(str(packaged_templates())))
        self.environment = jinja2.sandbox.SandboxedEnvironment(
            loader=jinja2.ChoiceLoader(loaders),
            undefined=jinja2.StrictUndefined,
            autoescape=jinja2.select_autoescape(["html"], default_for_string=False, default=False),
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=False,
            auto_reload=auto_reload,
        )
        self.environment.filters.update(
            {
                "clock": wording.clock,
                # Context filters: they read the draft's zone, clock and time.
                "time": jinja2.pass_context(_time),
                "date_time": jinja2.pass_context(_date_time),
                "past_tense": wording.past_tense,
                "day": wording.day,
                "when": wording.when,
                "join_words": wording.join_words,
                "sentence": wording.sentence,
                "lower_first": wording.lower_first,
                "upper_first": wording.upper_first,
                "period": wording.period,
                "bare": wording.bare,
            }
        )

    def exists(self, name: str) -> bool:
        """True when some folder has a template called ``name``."""
        if name in self._missing:
            return False
        import jinja2

        try:
            self.environment.get_template(name)
        except jinja2.TemplateNotFound:
            if not self.auto_reload:
                self._missing.add(name)
            return False
        except jinja2.TemplateError as error:
            raise _wrap(error, name) from None
        return True

    def first(self, *names: str) -> str:
        """The first of ``names`` that exists (the stage's own template, then the default)."""
        for name in names:
            if self.exists(name):
                return name
        raise TemplateError("no such template", template=" or ".join(names))

    def render(self, name: str, context: Mapping[str, Any]) -> str:
        """Render the whole template ``name``."""
        import jinja2

        try:
            return self.environment.get_template(name).render(context)
        except jinja2.TemplateError as error:
            raise _wrap(error, name) from None

    def render_blocks(self, name: str, context: Mapping[str, Any]) -> dict[str, str]:
        """Render each top-level ``{% block %}`` of ``name`` on its own, in template order."""
        import jinja2

        try:
            template = self.environment.get_template(name)
            rendered: dict[str, str] = {}
            for block, render in template.blocks.items():
                rendered[block] = "".join(render(template.new_context(dict(context)))).strip()
        except jinja2.TemplateError as error:
            raise _wrap(error, name) from None
        return rendered


def _time(context: Mapping[str, Any], moment: Any) -> str:
    """The time in the draft's zone and clock, with its day when that is not the
    draft's own day or is more than 18 hours away (``draft_time``)."""
    return wording.time_near(
        moment, context["tz"], context["clock_style"], since=context.get("draft_time")
    )


def _date_time(context: Mapping[str, Any], moment: Any) -> str:
    """The time with its day and date, in the draft's zone and clock."""
    return wording.when(
        moment, context["tz"], context["clock_style"], since=context.get("draft_time")
    )


@functools.cache
def _packaged_loader_class() -> type[jinja2.FileSystemLoader]:
    import jinja2

    class PackagedLoader(jinja2.FileSystemLoader):
        """The packaged templates: always up to date once loaded, so even a renderer
        that reloads users' files never checks these again."""

        def get_source(
            self, environment: jinja2.Environment, template: str
        ) -> tuple[str, str, Callable[[], bool]]:
            source, filename, _ = super().get_source(environment, template)
            return source, filename, _always

    return PackagedLoader


def _always() -> bool:
    return True


def _wrap(error: jinja2.TemplateError, name: str) -> TemplateError:
    template = getattr(error, "name", None) or getattr(error, "filename", None) or name
    line = getattr(error, "lineno", None)
    return TemplateError(error.message or type(error).__name__, template=template, line=line)


@functools.lru_cache(maxsize=32)
def _cached(dirs: tuple[str, ...], auto_reload: bool) -> Renderer:
    return Renderer(template_dirs=[Path(path) for path in dirs], auto_reload=auto_reload)


def renderer(template_dirs: Sequence[str | Path] = (), *, auto_reload: bool = False) -> Renderer:
    """A renderer searching ``template_dirs`` before the packaged templates.

    Renderers are shared per list of folders, so compiled templates are reused
    across calls. A folder that does not exist is refused. ``auto_reload``
    (off by default) re-reads edited template files; see :class:`Renderer`.
    """
    dirs: list[str] = []
    for path in template_dirs:
        resolved = Path(path).expanduser().resolve()
        if not resolved.is_dir():
            raise TemplateError("template folder does not exist", template=str(path))
        dirs.append(str(resolved))
    return _cached(tuple(dirs), auto_reload)
