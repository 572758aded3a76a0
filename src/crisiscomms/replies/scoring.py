"""Measuring intent rules on labelled mentions: accuracy and per-intent confusion.

A labelled corpus is a text file with one mention a line, ``intent: text``;
blank lines and lines starting with ``#`` are skipped. Teams that extend the
rules keep such a file of their own mentions and check that a change helps.
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Iterable

import attrs

from crisiscomms.errors import LoadError
from crisiscomms.replies.intents import IntentRules

__all__ = ["Score", "read_labelled", "score"]


def read_labelled(path: str | os.PathLike[str]) -> list[tuple[str, str]]:
    """The ``(intent, text)`` pairs of a labelled corpus file.

    Raises:
        LoadError: the file cannot be read, or a line has no ``intent:`` label.
    """
    name = os.fspath(path)
    try:
        with open(name, encoding="utf-8") as handle:
            lines = handle.read().splitlines()
    except (OSError, UnicodeDecodeError) as error:
        raise LoadError(f"cannot read the corpus: {error}", path=name) from None
    pairs: list[tuple[str, str]] = []
    for number, line in enumerate(lines, start=1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        label, colon, text = line.partition(":")
        if not colon or not label.strip().isidentifier():
            raise LoadError("must be 'intent: text'", path=name, line=number)
        pairs.append((label.strip(), text.strip()))
    return pairs


@attrs.frozen(kw_only=True)
class Score:
    """How the rules did: ``right`` of ``total``; ``confusion[(expected, got)]`` counts;
    ``misses`` lists ``(expected, got, text)`` for every wrong reading."""

    right: int
    total: int
    confusion: dict[tuple[str, str], int] = attrs.field(hash=False)
    misses: tuple[tuple[str, str, str], ...] = ()

    @property
    def accuracy(self) -> float:
        """The share read right (1.0 for an empty corpus)."""
        return self.right / self.total if self.total else 1.0

    def table(self, names: Iterable[str]) -> str:
        """The confusion matrix as text: a row per expected intent, a column per reading."""
        order = list(names)
        seen = {name for pair in self.confusion for name in pair}
        order += sorted(seen - set(order))
        order = [name for name in order if name in seen]
        short = [name[:7] for name in order]
        width = max([len(name) for name in order] + [8])
        lines = [" " * width + " " + " ".join(f"{name:>7}" for name in short) + "   right"]
        for expected in order:
            row = [self.confusion.get((expected, got), 0) for got in order]
            total = sum(row)
            if not total:
                continue
            right = self.confusion.get((expected, expected), 0)
            cells = " ".join(f"{count or '.':>7}" for count in row)
            lines.append(f"{expected:<{width}} {cells}   {right}/{total}")
        return "\n".join(lines) + "\n"


def score(pairs: Iterable[tuple[str, str]], *, rules: IntentRules | None = None) -> Score:
    """Read every text with ``rules`` (default: the bundled rules) and compare with its label."""
    chosen = rules or IntentRules.default()
    confusion: Counter[tuple[str, str]] = Counter()
    misses: list[tuple[str, str, str]] = []
    for expected, text in pairs:
        got = chosen.classify(text).intent
        confusion[(expected, got)] += 1
        if got != expected:
            misses.append((expected, got, text))
    total = sum(confusion.values())
    return Score(
        right=total - len(misses), total=total, confusion=dict(confusion), misses=tuple(misses)
    )
