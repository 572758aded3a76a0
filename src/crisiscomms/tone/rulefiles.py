"""Reading rule files: TOML with ``[[rule]]`` tables, ``[lists]`` of words and ``disable``.

A file with several mistakes reports them all at once, each with its line
(:class:`RuleFileError`), so a writer fixes a file in one pass.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Mapping
from typing import Any

import attrs

from crisiscomms.errors import LoadError, ValidationError

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on Python 3.10 only
    import tomli as tomllib  # type: ignore[import-not-found, unused-ignore]

__all__ = ["RuleFile", "RuleFileError", "parse_lists", "read_rule_file"]

_RULE_HEADER = re.compile(r"^\s*\[\[\s*rule\s*\]\]")
_TOML_LINE = re.compile(r"at line (\d+)")


class RuleFileError(LoadError):
    """A rule file holds one mistake or more; ``problems`` lists each as a :class:`LoadError`."""

    def __init__(self, problems: list[LoadError], *, path: str) -> None:
        first = problems[0]
        super().__init__(first.reason, path=path, field=first.field, line=first.line)
        self.problems = tuple(problems)
        if len(problems) > 1:
            each = "; ".join(
                (f"line {p.line}: " if p.line is not None else "")
                + (f"{p.field}: " if p.field else "")
                + p.reason
                for p in problems
            )
            self.message = f"{path}: {len(problems)} mistakes: {each}"

    def __str__(self) -> str:
        return self.message


@attrs.frozen
class RuleFile:
    """A rule file's parts: its rule tables (with their lines), word lists and ``disable``."""

    path: str
    text: str
    tables: tuple[Mapping[str, Any], ...]
    lists: Mapping[str, tuple[str, ...]]
    disable: tuple[str, ...]

    def line_of(self, index: int | None, field: str | None) -> int | None:
        """The line of rule ``index``'s ``field`` (or of its header, or of a top-level key)."""
        lines = self.text.splitlines()
        key = (field or "").split(".")[0].split("[")[0]
        if index is None:
            for number, line in enumerate(lines, 1):
                if key and re.match(rf"\s*\[?\s*{re.escape(key)}\s*[=\]]", line):
                    return number
            return None
        seen = -1
        header: int | None = None
        for number, line in enumerate(lines, 1):
            if _RULE_HEADER.match(line):
                seen += 1
                if seen > index:
                    break
                header = number if seen == index else None
                continue
            if (
                header is not None
                and key
                and re.match(rf"""\s*["']?{re.escape(key)}["']?\s*[=.]""", line)
            ):
                return number
        return header


def parse_lists(value: object) -> dict[str, tuple[str, ...]]:
    """The ``[lists]`` table: each name to a list of non-empty strings."""
    if not isinstance(value, Mapping):
        raise ValidationError("must be a table of word lists", field="lists")
    lists: dict[str, tuple[str, ...]] = {}
    for name, words in value.items():
        if not isinstance(words, list) or not words:
            raise ValidationError("must be a non-empty list of words", field=f"lists.{name}")
        for index, word in enumerate(words):
            if not isinstance(word, str) or not word.strip():
                raise ValidationError("must be a non-empty string", field=f"lists.{name}[{index}]")
        lists[name] = tuple(word.strip() for word in words)
    return lists


def read_rule_file(text: str, path: str) -> RuleFile:
    """The parts of a rule file; mistakes in its layout raise :class:`RuleFileError`."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        line = getattr(error, "lineno", None)
        if line is None:
            found = _TOML_LINE.search(str(error))
            line = int(found.group(1)) if found else None
        raise LoadError(f"not valid TOML: {error}", path=path, line=line) from None
    shell = RuleFile(path=path, text=text, tables=(), lists={}, disable=())
    problems: list[LoadError] = []

    def problem(reason: str, field: str, index: int | None = None) -> None:
        problems.append(LoadError(reason, path=path, field=field, line=shell.line_of(index, field)))

    for key in data:
        if key not in ("rule", "disable", "lists"):
            problem("unknown top-level key (a rule file holds [[rule]], [lists] and disable)", key)
    disable = data.get("disable", [])
    if not isinstance(disable, list) or not all(isinstance(item, str) for item in disable):
        problem("must be a list of rule ids", "disable")
        disable = []
    lists: dict[str, tuple[str, ...]] = {}
    try:
        lists = parse_lists(data.get("lists", {}))
    except ValidationError as error:
        problem(error.reason, error.field or "lists")
    tables = data.get("rule", [])
    if not isinstance(tables, list):
        problem("must be an array of tables ([[rule]])", "rule")
        tables = []
    for index, table in enumerate(tables):
        if not isinstance(table, Mapping):
            problem("must be a table", f"rule[{index}]")
    if problems:
        raise RuleFileError(problems, path=path)
    return RuleFile(path=path, text=text, tables=tuple(tables), lists=lists, disable=tuple(disable))
