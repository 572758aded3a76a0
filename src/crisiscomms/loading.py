"""Reading incident files: TOML, JSON, and YAML when PyYAML is installed.

Any problem, from a syntax error to a refused value, becomes one
:class:`~crisiscomms.errors.LoadError` naming the file, the field (dotted,
``spokespeople[0].email``) and, where the format tells it, the line.
"""

from __future__ import annotations

import functools
import json
import os
import re
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Literal

import attrs

from crisiscomms._validate import key_name
from crisiscomms.errors import LoadError, UnknownNameError, ValidationError, excerpt
from crisiscomms.incident import (
    Component,
    EntryText,
    Incident,
    Link,
    Organization,
    SpeakerText,
    Team,
    Translation,
    Update,
)
from crisiscomms.voice import Spokesperson

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on Python 3.10 only
    import tomli as tomllib

__all__ = ["SUFFIXES", "Unknown", "incident_from_mapping", "load_incident"]

#: What to do with a key no record knows: refuse it, or leave it out.
Unknown = Literal["error", "ignore"]

SUFFIXES = {".toml": "toml", ".json": "json", ".yaml": "yaml", ".yml": "yaml"}

# Which fields hold nested records (one, or a list of them).
_NESTED: Mapping[type[Any], Mapping[str, tuple[type[Any], bool | Literal["map"]]]] = {
    Incident: {
        "organization": (Organization, False),
        "team": (Team, False),
        "updates": (Update, True),
        "spokespeople": (Spokesperson, True),
        "links": (Link, True),
        "components": (Component, True),
        "translations": (Translation, "map"),
    },
    Update: {"components": (Component, True)},
    Translation: {"updates": (EntryText, True), "spokespeople": (SpeakerText, True)},
}


#: How deep tables and lists may nest. An incident needs four levels; the
#: parsers themselves recurse, and a thousand levels would exhaust the stack.
MAX_DEPTH = 32

#: The largest incident file read, in bytes: an incident is a few kilobytes.
MAX_BYTES = 10_000_000

#: How many values (tables, lists, texts, numbers) a file may hold once YAML
#: aliases are expanded: a few kilobytes of aliases can stand for billions.
MAX_VALUES = 100_000


class _FieldError(Exception):
    """A refused value while building records, with its dotted path."""

    def __init__(self, path: tuple[str | int, ...], message: str) -> None:
        super().__init__(message)
        self.path = path
        self.message = message


def _dotted(path: tuple[str | int, ...]) -> str:
    text = ""
    for part in path:
        name = key_name(part) if not isinstance(part, int) else ""
        text += f"[{part}]" if isinstance(part, int) else (f".{name}" if text else name)
    return text


def _inspect(data: Any) -> None:
    """Refuse what no record may hold, before any record is built: nesting
    deeper than :data:`MAX_DEPTH`, more than :data:`MAX_VALUES` values (YAML
    aliases counted each time they are used), keys that are not text, sets,
    and texts with lone surrogates.

    The walk is iterative and stops at the first refusal, so its cost is
    bounded by :data:`MAX_VALUES` whatever the input.
    """
    stack: list[tuple[Any, tuple[str | int, ...]]] = [(data, ())]
    seen = 0
    while stack:
        value, path = stack.pop()
        seen += 1
        if seen > MAX_VALUES:
            raise _FieldError(
                path, f"the file holds more than {MAX_VALUES:,} values (YAML aliases counted)"
            )
        if len(path) > MAX_DEPTH:
            raise _FieldError(path[:MAX_DEPTH], f"nested more than {MAX_DEPTH} levels deep")
        if isinstance(value, str):
            _check_surrogates(value, path)
        elif isinstance(value, Mapping):
            for key, item in reversed(list(value.items())):
                if not isinstance(key, str):
                    raise _FieldError(path, f"keys must be text, not {excerpt(key)}")
                _check_surrogates(key, path)
                stack.append((item, (*path, key)))
        elif isinstance(value, (list, tuple)):
            stack.extend(reversed([(item, (*path, i)) for i, item in enumerate(value)]))
        elif isinstance(value, (set, frozenset)):
            raise _FieldError(path, "must be a list, not a set (a set has no order)")


def _check_surrogates(value: str, path: tuple[str | int, ...]) -> None:
    if any("\ud800" <= ch <= "\udfff" for ch in value):
        index = next(i for i, ch in enumerate(value) if "\ud800" <= ch <= "\udfff")
        raise _FieldError(
            path,
            f"holds a lone surrogate (U+{ord(value[index]):04X}) at character {index},"
            " which no output can encode",
        )


def _build(
    kind: type[Any], data: Any, path: tuple[str | int, ...], unknown: Unknown = "error"
) -> Any:
    if not isinstance(data, Mapping):
        raise _FieldError(path, f"must be a table of fields, not {type(data).__name__}")
    known = {field.name for field in attrs.fields(kind) if field.init}
    strangers = sorted(str(key) for key in data if key not in known)
    if strangers and unknown == "error":
        raise _FieldError(
            (*path, strangers[0]), f"unknown field (known: {', '.join(sorted(known))})"
        )
    data = {key: value for key, value in data.items() if key in known}
    values: dict[str, Any] = {}
    nested = _NESTED.get(kind, {})
    for key, value in data.items():
        if key in nested:
            inner, many = nested[key]
            if many == "map":
                if not isinstance(value, Mapping):
                    raise _FieldError((*path, key), "must be a table of tables, one per language")
                values[key] = {
                    name: _build(inner, item, (*path, key, name), unknown)
                    for name, item in value.items()
                }
            elif many:
                if not isinstance(value, list):
                    raise _FieldError((*path, key), "must be a list")
                values[key] = tuple(
                    _build(inner, item, (*path, key, index), unknown)
                    for index, item in enumerate(value)
                )
            else:
                values[key] = _build(inner, value, (*path, key), unknown)
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
    except (TypeError, ValueError, OverflowError) as error:
        # A converter or validator handed a value it cannot take: its own message
        # may quote the value, so only the kind of problem is shown.
        raise _FieldError(
            path, f"holds a value of the wrong kind ({type(error).__name__})"
        ) from None


def incident_from_mapping(data: Mapping[str, Any], *, unknown: Unknown = "error") -> Incident:
    """Build an :class:`Incident` from a mapping (JSON from another system, say),
    nested records included.

    Values are read as an incident file's are: dates as ISO 8601 text,
    enums by their names in any case, lists as lists. ``unknown="error"``
    (the default) refuses a key no record knows; ``unknown="ignore"`` leaves
    such keys out, at every depth, so a richer record from another system
    can be passed as it is.

    Raises:
        ValidationError: a value is missing or refused; ``field`` names it,
            dotted for nested records (``organization.support_email``,
            ``updates[1].at``).
        UnknownNameError: ``unknown`` is neither ``"error"`` nor ``"ignore"``.
    """
    if unknown not in ("error", "ignore"):
        raise UnknownNameError(
            f"unknown choice {unknown!r} for unknown=",
            kind="unknown",
            name=str(unknown),
            known=("error", "ignore"),
        )
    try:
        _inspect(data)
        incident: Incident = _build(Incident, data, (), unknown)
    except _FieldError as error:
        raise ValidationError(error.message, field=_dotted(error.path) or None) from None
    return incident


def _parse(text: str, fmt: str, path: str) -> Any:
    try:
        return _parse_format(text, fmt, path)
    except LoadError:
        raise
    except RecursionError:
        raise LoadError(f"nested too deeply (at most {MAX_DEPTH} levels)", path=path) from None
    except (ValueError, OverflowError) as error:
        # Python refuses to read an integer of more than 4,300 digits.
        problem = str(error).split(";")[0][:120]
        raise LoadError(f"holds a value that cannot be read: {problem}", path=path) from None


@functools.cache
def _yaml_loader() -> Any:
    import yaml

    class Loader(yaml.SafeLoader):
        """The safe loader, refusing ``!!set``: its items come back in an order that
        changes from run to run (hash seeds), so drafts would not be reproducible."""

        def construct_yaml_set(self, node: Any) -> Any:
            raise yaml.constructor.ConstructorError(
                None, None, "a set (!!set) is not accepted: use a list", node.start_mark
            )

    Loader.add_constructor("tag:yaml.org,2002:set", Loader.construct_yaml_set)
    return Loader


def _parse_format(text: str, fmt: str, path: str) -> Any:
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
        # A SafeLoader subclass: only plain data, never Python objects.
        return yaml.load(text, Loader=_yaml_loader())
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        problem = getattr(error, "problem", None) or type(error).__name__
        line = mark.line + 1 if mark is not None else None
        raise LoadError(f"not valid YAML: {problem[:200]}", path=path, line=line) from None


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
        with file.open("rb") as handle:
            # Read at most one byte past the limit: a device or pipe may never end.
            raw = handle.read(MAX_BYTES + 1)
        if len(raw) > MAX_BYTES:
            raise LoadError(f"larger than {MAX_BYTES // 1_000_000} MB", path=name)
        text = raw.decode("utf-8-sig")
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
        _inspect(data)
        incident: Incident = _build(Incident, data, ())
    except _FieldError as error:
        raise LoadError(
            error.message,
            path=name,
            field=_dotted(error.path) or None,
            line=_locate(text, error.path, fmt),
        ) from None
    return incident
