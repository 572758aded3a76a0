"""Reading incident files: TOML, JSON, and YAML when PyYAML is installed.

Any problem, from a syntax error to a refused value, becomes one
:class:`~crisiscomms.errors.LoadError` naming the file, the field (dotted,
``spokespeople[0].email``) and, where the format tells it, the line.
"""

from __future__ import annotations

import json
import os
import re
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import attrs

from crisiscomms.errors import LoadError, ValidationError
from crisiscomms.incident import Component, Incident, Link, Organization, Team, Update
from crisiscomms.voice import Spokesperson

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on Python 3.10 only
    import tomli as tomllib

__all__ = ["SUFFIXES", "incident_from_mapping", "load_incident"]

SUFFIXES = {".toml": "toml", ".json": "json", ".yaml": "yaml", ".yml": "yaml"}

# Which fields hold nested records (one, or a list of them).
_NESTED: Mapping[type[Any], Mapping[str, tuple[type[Any], bool]]] = {
    Incident: {
        "organization": (Organization, False),
        "team": (Team, False),
        "updates": (Update, True),
        "spokespeople": (Spokesperson, True),
        "links": (Link, True),
        "components": (Component, True),
    },
    Update: {"components": (Component, True)},
}


class _FieldError(Exception):
    """A refused value while building records, with its dotted path."""

    def __init__(self, path: tuple[str | int, ...], message: str) -> None:
        super().__init__(message)
        self.path = path
        self.message = message


def _dotted(path: tuple[str | int, ...]) -> str:
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else part)
    return text


def _build(kind: type[Any], data: Any, path: tuple[str | int, ...]) -> Any:
    if not isinstance(data, Mapping):
        raise _FieldError(path, f"must be a table of fields, not {type(data).__name__}")
    known = {field.name for field in attrs.fields(kind)}
    unknown = sorted(str(key) for key in data if key not in known)
    if unknown:
        raise _FieldError((*path, unknown[0]), f"unknown field (known: {', '.join(sorted(known))})")
    values: dict[str, Any] = {}
    nested = _NESTED.get(kind, {})
    for key, value in data.items():
        if key in nested:
            inner, many = nested[key]
            if many:
                if not isinstance(value, list):
                    raise _FieldError((*path, key), "must be a list")
                values[key] = tuple(
                    _build(inner, item, (*path, key, index)) for index, item in enumerate(value)
                )
            else:
                values[key] = _build(inner, value, (*path, key))
        else:
            values[key] = value
    # Nested records first, as they were read; then what this record lacks.
    missing = [
        field.name
        for field in attrs.fields(kind)
        if field.init and field.default is attrs.NOTHING and field.name not in data
    ]
    if missing:
        raise _FieldError((*path, missing[0]), "is required")
    try:
        return kind(**values)
    except ValidationError as error:
        field = tuple(re.split(r"\.|\[(\d+)\]", error.field or "")) if error.field else ()
        parts: tuple[str | int, ...] = tuple(int(p) if p.isdigit() else p for p in field if p)
        raise _FieldError((*path, *parts), error.reason) from None
    except TypeError as error:  # a converter handed a value it cannot take
        raise _FieldError(path, str(error)) from None


def incident_from_mapping(data: Any) -> Incident:
    """Build an :class:`Incident` from parsed data, nested records included.

    Raises :class:`~crisiscomms.errors.ValidationError` naming the dotted field.
    """
    try:
        incident: Incident = _build(Incident, data, ())
    except _FieldError as error:
        raise ValidationError(error.message, field=_dotted(error.path) or None) from None
    return incident


def _parse(text: str, fmt: str, path: str) -> Any:
    if fmt == "toml":
        try:
            return tomllib.loads(text)
        except tomllib.TOMLDecodeError as error:
            found = re.search(r"\(at line (\d+), column \d+\)", str(error))
            message = re.sub(r"\s*\(at line \d+, column \d+\)", "", str(error))
            line = int(found.group(1)) if found else getattr(error, "lineno", None)
            raise LoadError(f"not valid TOML: {message}", path=path, line=line) from None
    if fmt == "json":
        try:
            return json.loads(text)
        except json.JSONDecodeError as error:
            raise LoadError(f"not valid JSON: {error.msg}", path=path, line=error.lineno) from None
    try:
        import yaml
    except ImportError:
        raise LoadError(
            "reading YAML needs PyYAML: pip install 'crisiscomms[yaml]'", path=path
        ) from None
    try:
        return yaml.safe_load(text)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        problem = getattr(error, "problem", None) or str(error)
        line = mark.line + 1 if mark is not None else None
        raise LoadError(f"not valid YAML: {problem}", path=path, line=line) from None


def _locate(text: str, path: tuple[str | int, ...], fmt: str) -> int | None:
    """The line where ``path`` is written, found by reading the text (best effort)."""
    position = 0
    found = False
    for index, part in enumerate(path):
        if isinstance(part, int):
            if fmt != "toml":
                continue
            key = path[index - 1]
            headers = list(
                re.finditer(rf"(?m)^[ \t]*\[\[[ \t]*{re.escape(str(key))}[ \t]*\]\]", text)
            )
            if part < len(headers):
                position = headers[part].start()
                found = True
            continue
        if fmt == "toml" and index + 1 < len(path) and isinstance(path[index + 1], int):
            continue  # an array of tables: its [[header]] is found by the index
        key = re.escape(part)
        pattern = rf"(?m)(?:^|[\s{{,\[])(?:[\"']{key}[\"']|{key})[ \t]*[=:]"
        if fmt == "toml":
            pattern += rf"|^[ \t]*\[[ \t]*{key}[ \t]*\]"
        match = re.compile(pattern).search(text, position)
        if match is None:
            return text.count("\n", 0, position) + 1 if found else None
        position = match.start() + (1 if text[match.start()] in "\n" else 0)
        found = True
    return text.count("\n", 0, position) + 1 if found else None


def load_incident(path: str | os.PathLike[str]) -> Incident:
    """Read an incident file (``.toml``, ``.json``, ``.yaml``/``.yml``).

    Raises :class:`~crisiscomms.errors.LoadError` naming the file, the field
    and the line for a missing or unreadable file, a syntax error, an
    unknown field or a refused value.
    """
    file = Path(path)
    name = str(path)
    fmt = SUFFIXES.get(file.suffix.lower())
    if fmt is None:
        raise LoadError(
            f"unknown file type {file.suffix!r} (use {', '.join(sorted(SUFFIXES))})", path=name
        )
    try:
        text = file.read_bytes().decode("utf-8-sig")
    except FileNotFoundError:
        raise LoadError("no such file", path=name) from None
    except IsADirectoryError:
        raise LoadError("is a folder, not a file", path=name) from None
    except UnicodeDecodeError as error:
        raise LoadError(f"not UTF-8 text (byte {error.start})", path=name) from None
    except OSError as error:
        raise LoadError(error.strerror or str(error), path=name) from None
    data = _parse(text, fmt, name)
    if not isinstance(data, Mapping):
        raise LoadError("must hold a table of incident fields at the top level", path=name)
    try:
        incident: Incident = _build(Incident, data, ())
    except _FieldError as error:
        raise LoadError(
            error.message,
            path=name,
            field=_dotted(error.path) or None,
            line=_locate(text, error.path, fmt),
        ) from None
    return incident
