"""The one place that builds the Jinja environment.

Templates are rendered in a :class:`~jinja2.sandbox.SandboxedEnvironment`
with :class:`~jinja2.StrictUndefined`, so a template cannot reach into
Python and a misspelt variable is an error rather than a blank. HTML
templates are autoescaped. User folders come first in a
:class:`~jinja2.ChoiceLoader`, so one user file overrides one packaged file.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence
from importlib import resources
from pathlib import Path
from typing import Any

import jinja2
import jinja2.sandbox

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
    :class:`~crisiscomms.errors.TemplateError` naming the template and line."""

    def __init__(self, *, template_dirs: Sequence[Path]) -> None:
        loaders: list[jinja2.BaseLoader] = [
            jinja2.FileSystemLoader(str(path)) for path in template_dirs
        ]
        loaders.append(jinja2.FileSystemLoader(str(packaged_templates())))
        self.environment = jinja2.sandbox.SandboxedEnvironment(
            loader=jinja2.ChoiceLoader(loaders),
            undefined=jinja2.StrictUndefined,
            autoescape=jinja2.select_autoescape(["html"], default_for_string=False, default=False),
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=False,
        )
        self.environment.filters.update(
            {
                "clock": wording.clock,
                "time": _time,
                "date_time": _date_time,
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
        try:
            self.environment.get_template(name)
        except jinja2.TemplateNotFound:
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
        try:
            return self.environment.get_template(name).render(context)
        except jinja2.TemplateError as error:
            raise _wrap(error, name) from None

    def render_blocks(self, name: str, context: Mapping[str, Any]) -> dict[str, str]:
        """Render each top-level ``{% block %}`` of ``name`` on its own, in template order."""
        try:
            template = self.environment.get_template(name)
            rendered: dict[str, str] = {}
            for block, render in template.blocks.items():
                rendered[block] = "".join(render(template.new_context(dict(context)))).strip()
        except jinja2.TemplateError as error:
            raise _wrap(error, name) from None
        return rendered


@jinja2.pass_context
def _time(context: jinja2.runtime.Context, moment: Any) -> str:
    """The time in the draft's zone and clock, with its day when that is not the
    draft's own day or is more than 18 hours away (``draft_time``)."""
    return wording.time_near(
        moment, context["tz"], context["clock_style"], since=context.get("draft_time")
    )


@jinja2.pass_context
def _date_time(context: jinja2.runtime.Context, moment: Any) -> str:
    """The time with its day and date, in the draft's zone and clock."""
    return wording.when(
        moment, context["tz"], context["clock_style"], since=context.get("draft_time")
    )


def _wrap(error: jinja2.TemplateError, name: str) -> TemplateError:
    template = getattr(error, "name", None) or getattr(error, "filename", None) or name
    line = getattr(error, "lineno", None)
    return TemplateError(error.message or type(error).__name__, template=template, line=line)


@functools.lru_cache(maxsize=32)
def _cached(dirs: tuple[str, ...]) -> Renderer:
    return Renderer(template_dirs=[Path(path) for path in dirs])


def renderer(template_dirs: Sequence[str | Path] = ()) -> Renderer:
    """A renderer searching ``template_dirs`` before the packaged templates.

    Renderers are shared per list of folders, so compiled templates are reused
    across calls. A folder that does not exist is refused.
    """
    dirs: list[str] = []
    for path in template_dirs:
        resolved = Path(path).expanduser().resolve()
        if not resolved.is_dir():
            raise TemplateError("template folder does not exist", template=str(path))
        dirs.append(str(resolved))
    return _cached(tuple(dirs))
