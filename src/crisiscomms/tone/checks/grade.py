"""``readability``: how hard a whole draft is to read, against the channel's limit.

``formula`` chooses the measure (``flesch-kincaid`` when left out):

* ``flesch-kincaid``, English: the grade must not pass ``grades`` (a table of
  channels, or ``default``, to the highest grade allowed);
* ``amstad`` (German), ``kandel-moles`` (French), ``szigriszt-pazos`` (Spanish),
  ``martins`` (Brazilian Portuguese): the language's adaptation of Flesch's
  reading ease must not fall below ``ease`` (a table of channels to the lowest
  score allowed);
* ``sentence-length``, for a language written without spaces (Japanese): the
  characters per sentence must not pass ``characters``.

Drafts shorter than ``min_words`` words (or, by sentence length, ``min_words``
characters) are not measured. The message may use ``{score}`` and ``{limit}``
(and, for Flesch-Kincaid, ``{grade}`` and ``{max}``).
"""

from __future__ import annotations

from collections.abc import Iterator

from crisiscomms.errors import ValidationError
from crisiscomms.tone.checks.base import Check, Options
from crisiscomms.tone.phrases import Scan
from crisiscomms.tone.readability import (
    EASE_FORMULAS,
    TextStats,
    reading_ease,
    sentence_length,
    text_stats,
)
from crisiscomms.tone.scope import CHANNELS, Hit, Scope

__all__ = ["FORMULAS", "Readability"]

#: Every measure a readability rule may name.
FORMULAS = ("flesch-kincaid", *EASE_FORMULAS, "sentence-length")


class Readability(Check):
    """One finding, spanning the text, when it is harder to read than the channel allows."""

    fields = ("formula", "grades", "ease", "characters", "min_words")
    whole_text = True

    def __init__(self, options: Options) -> None:
        self.formula = options.text("formula") or "flesch-kincaid"
        if self.formula not in FORMULAS:
            raise ValidationError(
                f"unknown formula {self.formula!r}; one of {', '.join(FORMULAS)}",
                field="formula",
            )
        wanted = {
            "flesch-kincaid": "grades",
            "sentence-length": "characters",
        }.get(self.formula, "ease")
        for name in ("grades", "ease", "characters"):
            if name != wanted and options.given(name):
                raise ValidationError(
                    f"the {self.formula} formula is limited by {wanted!r}, not {name!r}",
                    field=name,
                )
        self.limits = options.table(wanted, keys=CHANNELS, numbers=True)
        self.min_words = options.count("min_words") or 0

    def limit(self, scope: Scope) -> float | None:
        """The channel's limit (or the default one); ``None``: the channel is not checked."""
        limit = self.limits.get(scope.channel, self.limits.get("default"))
        return None if limit is None else float(limit)

    def find(self, text: str, scope: Scope, scan: Scan) -> Iterator[Hit]:
        limit = self.limit(scope)
        if limit is None:
            return
        if self.formula == "flesch-kincaid":
            yield from self.judge(text, text_stats(text), limit)
            return
        if self.formula == "sentence-length":
            sentences, length = sentence_length(text)
            if sentences == 0 or sentences * length < self.min_words or length <= limit:
                return
            yield Hit(0, len(text), {"score": f"{length:.0f}", "limit": f"{limit:g}", "match": ""})
            return
        ease = reading_ease(text, self.formula)
        if ease.words < self.min_words or ease.score >= limit:
            return
        yield Hit(0, len(text), {"score": f"{ease.score:.0f}", "limit": f"{limit:g}", "match": ""})

    def judge(self, text: str, stats: TextStats, limit: float) -> Iterator[Hit]:
        """The Flesch-Kincaid hit of a ``text`` whose counts are ``stats``."""
        if stats.words < self.min_words or stats.grade <= limit:
            return
        score = f"{stats.grade:.1f}"
        yield Hit(
            0,
            len(text),
            {
                "grade": score,
                "max": f"{limit:g}",
                "score": score,
                "limit": f"{limit:g}",
                "match": "",
            },
        )
