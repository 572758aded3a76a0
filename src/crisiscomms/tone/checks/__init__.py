"""The rule types, one module each, and :func:`build_check`, which picks one by name.

=================  ==============================================  ================
``type``           finds                                           module
=================  ==============================================  ================
existence          each phrase (unless its sentence excuses it)    ``existence``
substitution       each phrase, suggesting a plainer one           ``substitution``
occurrence         too few or too many phrases in a whole draft    ``occurrence``
consistency        two spellings of one thing                      ``consistency``
readability        a Flesch-Kincaid grade above the channel's      ``grade``
capitalization     shouting                                        ``capitals``
pronoun            a pronoun a voice must not use                  ``pronoun``
emoji              too many emoji                                  ``marks``
exclamation        too many exclamation marks                      ``marks``
hashtags           too many hashtags                               ``marks``
=================  ==============================================  ================
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from types import MappingProxyType
from typing import Any

from crisiscomms.errors import ValidationError
from crisiscomms.tone.checks.base import Check, Options
from crisiscomms.tone.checks.capitals import Capitalization
from crisiscomms.tone.checks.consistency import Consistency
from crisiscomms.tone.checks.existence import Existence
from crisiscomms.tone.checks.grade import Readability
from crisiscomms.tone.checks.marks import Emoji, Exclamation, Hashtags
from crisiscomms.tone.checks.occurrence import Occurrence
from crisiscomms.tone.checks.pronoun import Pronoun
from crisiscomms.tone.checks.substitution import Substitution

__all__ = ["RULE_TYPES", "Check", "Options", "build_check"]

RULE_TYPES: Mapping[str, Callable[[Options], Check]] = MappingProxyType(
    {
        "existence": Existence,
        "substitution": Substitution,
        "occurrence": Occurrence,
        "consistency": Consistency,
        "readability": Readability,
        "capitalization": Capitalization,
        "pronoun": Pronoun,
        "emoji": Emoji,
        "exclamation": Exclamation,
        "hashtags": Hashtags,
    }
)


def build_check(
    rule_type: str, fields: Mapping[str, Any], lists: Mapping[str, tuple[str, ...]]
) -> Check:
    """The check for a rule of ``rule_type`` with its own ``fields`` and the word ``lists``."""
    builder = RULE_TYPES.get(rule_type)
    if builder is None:
        raise ValidationError(
            f"unknown rule type {rule_type!r} (known: {', '.join(sorted(RULE_TYPES))})",
            field="type",
        )
    options = Options(fields, lists)
    options.finish(getattr(builder, "fields", ()), rule_type)
    return builder(options)
