"""What a pattern's match must begin with, so a mention without it skips the pattern.

A speed-up only: :func:`openings` reads a regular expression's parse and returns
the texts one of which every match starts with (``"hack"``, ``"my acc"``), or
``None`` when it cannot tell. The parser is Python's own and private; any
surprise (an import error, a changed parse) gives ``None``, and a pattern
without openings is simply always tried.
"""

from __future__ import annotations

import importlib
import itertools
import sys
from typing import Any

__all__ = ["openings"]

try:  # pragma: no branch - the parser is private, so any surprise disables the shortcut
    _PARSER: Any = importlib.import_module(
        "re._parser" if sys.version_info >= (3, 11) else "sre_parse"
    )
    _CONSTANTS: Any = importlib.import_module(
        "re._constants" if sys.version_info >= (3, 11) else "sre_constants"
    )
except ImportError:  # pragma: no cover
    _PARSER = None

# Past this many alternatives the walk stops and keeps what it has (shorter openings).
_MOST = 400


class _Stop(Exception):
    """The walk cannot go further: the openings found so far stand."""


def openings(pattern: str) -> frozenset[str] | None:
    """The lowercase texts one of which every match of ``pattern`` starts with, when
    the pattern opens with ``\\b`` and a word; ``None`` when that cannot be worked out."""
    if _PARSER is None or not pattern.startswith("\\b") or pattern.startswith("\\b\\"):
        return None
    try:
        parsed = _PARSER.parse(pattern)
        items = list(parsed)
        if not items or items[0][0] is not _CONSTANTS.AT:
            return None
        found = _walk(items[1:], {""})
    except Exception:  # a parser change must never break reading
        return None
    cleaned = {_clean(text) for text in found}
    if not cleaned or "" in cleaned:
        return None
    return frozenset(cleaned)


def _clean(text: str) -> str:
    # Only letters, digits and single spaces are kept: the opening stops before any other.
    kept = []
    for char in text:
        if not (char.isalnum() or char == " "):
            break
        kept.append(char)
    return "".join(kept).lstrip()


def _walk(items: list[Any], prefixes: set[str]) -> set[str]:
    """Extend ``prefixes`` through ``items`` as far as they are fixed texts."""
    for op, value in items:
        try:
            strings = _strings(op, value)
        except _Stop:
            return prefixes
        if strings is None:
            return prefixes
        combined = {first + second for first, second in itertools.product(prefixes, strings)}
        if len(combined) > _MOST:
            return prefixes
        prefixes = combined
    return prefixes


def _strings(op: Any, value: Any) -> set[str] | None:
    """Every text one parsed item can match, when it is a small finite set."""
    c = _CONSTANTS
    if op is c.LITERAL:
        return {chr(value)}
    if op is c.SUBPATTERN:
        return _sequence(list(value[-1]))
    if op is c.BRANCH:
        found: set[str] = set()
        for branch in value[1]:
            texts = _sequence(list(branch))
            if texts is None:
                raise _Stop
            found |= texts
        return found
    if op is c.MAX_REPEAT or op is c.MIN_REPEAT:
        low, high, inner = value
        texts = _sequence(list(inner))
        if texts is None or high > 1:
            raise _Stop
        return texts | ({""} if low == 0 else set())
    raise _Stop


def _sequence(items: list[Any]) -> set[str] | None:
    texts = {""}
    for op, value in items:
        strings = _strings(op, value)
        if strings is None:
            return None
        texts = {first + second for first, second in itertools.product(texts, strings)}
        if len(texts) > _MOST:
            raise _Stop
    return texts
