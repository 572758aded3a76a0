"""What every check kind shares: the :class:`Check` base and :class:`Options`."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from crisiscomms.errors import ValidationError
from crisiscomms.tone.phrases import Phrase, Scan, compile_phrases
from crisiscomms.tone.scope import Hit, Scope

__all__ = ["Check", "Options"]


class Check:
    """The behaviour of one rule type.

    ``anchors`` are the words (see :class:`~crisiscomms.tone.phrases.Gate`)
    one of which a text must hold for the check to find anything there;
    ``None`` means the check runs on every text; a phrase check reads only
    the sentences holding an anchor (:meth:`Scan.windows`). ``whole_text`` checks
    measure a whole draft (all its posts together), the others each post.

    A ``local`` check finds in a post just what it finds in each of the post's
    paragraphs (nothing it matches crosses a blank line, it counts nothing per
    post and reads nothing of the scope): :func:`~crisiscomms.tone.check_drafts`
    runs it once on the paragraphs several drafts share.
    """

    whole_text = False
    local = False
    # A whole-draft check whose reading of a draft adds up its paragraphs' (see
    # ``tone.engine.check_drafts``).
    by_paragraph = False
    anchors: frozenset[str] | None = None
    # Every word the gate must look for on the check's behalf (its anchors and the
    # other words its phrases require); ``None``: the anchors.
    words: frozenset[str] | None = None
    # True for a check that must run even where its anchors are missing (a minimum count).
    always = False
    # True when a match may hold a full stop followed by white space, so the check
    # cannot read a text split into sentences there (see ``Phrase.full_stop``).
    full_stop = False
    fields: tuple[str, ...] = ()

    def gate_words(self) -> frozenset[str]:
        """Every word a gate must look for on this check's behalf."""
        return (self.anchors if self.words is None else self.words) or frozenset()

    def find(self, text: str, scope: Scope, scan: Scan) -> Iterator[Hit]:
        """The hits in ``text``; ``scan`` is what the gate found there (see ``Scan``)."""
        raise NotImplementedError  # pragma: no cover

    def may_find(self, scan: Scan) -> bool:
        """Whether the check may find anything in a text made of ``scan``'s text:
        ``False`` only where it cannot, in any piece of it. A cheap test, made
        once for the paragraphs of several drafts."""
        return self.always or scan.holds(self.anchors)


class Options:
    """Typed, field-naming access to a rule's type-specific fields.

    Every read marks the field used; :meth:`finish` refuses whatever is left,
    so a misspelt field is an error rather than silently ignored.
    """

    def __init__(self, data: Mapping[str, Any], lists: Mapping[str, tuple[str, ...]]) -> None:
        self._data = dict(data)
        self._used: set[str] = set()
        self.lists = lists

    def given(self, name: str) -> bool:
        """Whether the rule gives ``name`` at all."""
        return name in self._data

    def _get(self, name: str) -> Any:
        self._used.add(name)
        return self._data.get(name)

    def strings(self, name: str, *, required: bool = False) -> tuple[str, ...]:
        """A list of non-empty strings (a single string is a list of one)."""
        value = self._get(name)
        if value is None:
            if required:
                raise ValidationError("is required", field=name)
            return ()
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, (list, tuple)) or not all(
            isinstance(item, str) and item for item in value
        ):
            raise ValidationError("must be a list of non-empty strings", field=name)
        if required and not value:
            raise ValidationError("must not be empty", field=name)
        return tuple(value)

    def phrases(self, name: str, *, required: bool = False) -> tuple[Phrase, ...]:
        """A list of phrases, compiled (see :mod:`crisiscomms.tone.phrases`)."""
        return compile_phrases(self.strings(name, required=required), self.lists, name)

    def text(self, name: str) -> str | None:
        """An optional string."""
        value = self._get(name)
        if value is not None and not isinstance(value, str):
            raise ValidationError("must be a string", field=name)
        return value

    def count(self, name: str) -> int | None:
        """An optional whole number, 0 or more."""
        value = self._get(name)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise ValidationError("must be a whole number, 0 or more", field=name)
        return value

    def table(self, name: str, *, keys: tuple[str, ...], numbers: bool = False) -> dict[str, float]:
        """A required table from ``keys`` (or ``default``) to a count (or any number)."""
        value = self._get(name)
        if not isinstance(value, Mapping) or not value:
            raise ValidationError("must be a non-empty table", field=name)
        table: dict[str, float] = {}
        for key, item in value.items():
            if key not in (*keys, "default"):
                raise ValidationError(
                    f"unknown key {key!r} (known: {', '.join((*keys, 'default'))})",
                    field=f"{name}.{key}",
                )
            bad = isinstance(item, bool) or not isinstance(item, (int, float)) or item < 0
            if bad or (not numbers and not isinstance(item, int)):
                kind = "a number" if numbers else "a whole number"
                raise ValidationError(f"must be {kind}, 0 or more", field=f"{name}.{key}")
            table[key] = float(item)
        return table

    def mapping(self, name: str) -> dict[str, str]:
        """A required non-empty table of strings to strings."""
        value = self._get(name)
        if not isinstance(value, Mapping) or not value:
            raise ValidationError("must be a non-empty table", field=name)
        for key, item in value.items():
            if not isinstance(item, str):
                raise ValidationError("must be a string", field=f"{name}.{key}")
        return dict(value)

    def pairs(self, name: str) -> tuple[tuple[str, str], ...]:
        """A required list of two-string lists."""
        value = self._get(name)
        if not isinstance(value, (list, tuple)) or not value:
            raise ValidationError("must be a non-empty list of pairs", field=name)
        result = []
        for index, pair in enumerate(value):
            if (
                not isinstance(pair, (list, tuple))
                or len(pair) != 2
                or not all(isinstance(item, str) and item for item in pair)
            ):
                raise ValidationError("must be a pair of strings", field=f"{name}[{index}]")
            result.append((pair[0], pair[1]))
        return tuple(result)

    def finish(self, known: tuple[str, ...], kind: str) -> None:
        """Refuse any field this kind does not know."""
        for name in self._data:
            if name not in known:
                raise ValidationError(
                    f"unknown field for a {kind} rule (known: {', '.join(known)})", field=name
                )
