"""Sphinx configuration for the crisiscomms documentation."""

from __future__ import annotations

from importlib.metadata import version as _version
from typing import Any

project = "crisiscomms"
author = "The crisiscomms developers"
copyright = "the crisiscomms developers"
release = _version("crisiscomms")
version = ".".join(release.split(".")[:2])

extensions = [
    "myst_parser",
    "sphinx.ext.autodoc",
    "sphinx.ext.napoleon",
    "sphinx.ext.intersphinx",
    "sphinx.ext.viewcode",
]
myst_enable_extensions = ["colon_fence", "deflist"]
myst_heading_anchors = 3
source_suffix = {".md": "markdown", ".rst": "restructuredtext"}
exclude_patterns = ["_build"]

autodoc_member_order = "bysource"
autodoc_typehints = "description"
autodoc_default_options = {"members": True, "show-inheritance": True}
nitpicky = False

intersphinx_mapping: dict[str, tuple[str, str | None]] = {}

html_theme = "furo"
html_title = "crisiscomms"


# Napoleon reads the first line of a property's or attribute's docstring as
# "type: description". The docstrings here are plain sentences that may hold a
# colon ("The stage being announced: the chosen update's, else the
# incident's."), which napoleon would split into a bogus "Type:" field. The
# first hook (before napoleon) remembers such a docstring; the second (after
# it) puts the sentence back when napoleon took its start for a type.
_ATTRIBUTE_KINDS = ("attribute", "property", "data")
_originals: dict[str, list[str]] = {}


def _remember_attribute_docstring(
    app: Any, what: str, name: str, obj: object, options: Any, lines: list[str]
) -> None:
    if what in _ATTRIBUTE_KINDS and lines and ": " in lines[0]:
        _originals[name] = list(lines)


def _restore_attribute_docstring(
    app: Any, what: str, name: str, obj: object, options: Any, lines: list[str]
) -> None:
    original = _originals.pop(name, None)
    if original is None:
        return
    head = original[0].split(": ", 1)[0].strip()
    if any(line.strip() == f":type: {head}" for line in lines):
        lines[:] = original


def setup(app: Any) -> None:
    app.connect("autodoc-process-docstring", _remember_attribute_docstring, priority=400)
    app.connect("autodoc-process-docstring", _restore_attribute_docstring, priority=600)
