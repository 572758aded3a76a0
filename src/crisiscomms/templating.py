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
from types import MappingProxyType
from typing import Any

import jinja2
import jinja2.sandbox

from crisiscomms import wording
from crisiscomms.errors import TemplateError, ValidationError

__all__ = ["Renderer", "check_variables", "packaged_templates", "renderer"]


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

    #: The caller's own names (``compose(variables=...)``), given to every template.
    variables: Mapping[str, Any] = MappingProxyType({})

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
                "day": wording.day,
                "when": wording.when,
                "join_words": wording.join_words,
                "sentence": wording.sentence,
                "lower_first": wording.lower_first,
                "upper_first": wording.upper_first,
                "period": wording.period,
            }
        )

    def with_variables(self, variables: Mapping[str, Any]) -> Renderer:
        """This renderer, also giving ``variables`` to every template it renders.

        The compiled templates are shared; only the names differ. A name that
        is not an identifier, or that the library's own globals already use,
        is refused here; one that a template's own context uses, when rendering.
        """
        names = check_variables(variables)
        clash = sorted(set(names) & set(self.environment.globals))
        if clash:
            raise _clash(clash[0])
        bound = object.__new__(Renderer)
        bound.__dict__.update(self.__dict__)
        bound.variables = names
        return bound

    def _context(self, context: Mapping[str, Any]) -> dict[str, Any]:
        if not self.variables:
            return dict(context)
        clash = sorted(set(self.variables) & set(context))
        if clash:
            raise _clash(clash[0])
        return {**self.variables, **context}

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
            return self.environment.get_template(name).render(self._context(context))
        except jinja2.TemplateError as error:
            raise _wrap(error, name) from None

    def render_blocks(self, name: str, context: Mapping[str, Any]) -> dict[str, str]:
        """Render each top-level ``{% block %}`` of ``name`` on its own, in template order."""
        try:
            template = self.environment.get_template(name)
            values = self._context(context)
            rendered: dict[str, str] = {}
            for block, render in template.blocks.items():
                rendered[block] = "".join(render(template.new_context(dict(values)))).strip()
        except jinja2.TemplateError as error:
            raise _wrap(error, name) from None
        return rendered


def check_variables(variables: Mapping[str, Any]) -> dict[str, Any]:
    """``variables`` as a dict, once every name is checked to be a template identifier."""
    if not isinstance(variables, Mapping):
        raise ValidationError(
            f"must map names to values, not {type(variables).__name__}", field="variables"
        )
    for name in variables:
        if not isinstance(name, str) or not name.isidentifier() or name.startswith("_"):
            raise ValidationError(
                "must be a name a template can use (letters, digits and _, not first _)",
                field=f"variables.{name}",
            )
    return dict(variables)


def _clash(name: str) -> ValidationError:
    return ValidationError(
        "is a name crisiscomms gives every template; choose another name",
        field=f"variables.{name}",
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
