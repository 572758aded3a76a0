"""Tone checks for drafts: a small declarative rule engine in the spirit of Vale.

    >>> from crisiscomms.tone import check_text
    >>> [f.rule for f in check_text("Sorry for any inconvenience.", channel="x")]
    ['crisis.conditional-apology', 'crisis.any-inconvenience']

Rules are data: TOML files of ``[[rule]]`` tables whose phrases are written
in a small phrase language (:mod:`crisiscomms.tone.phrases`); the bundled
ones are in ``crisiscomms/tone/rules``. :class:`RuleSet` holds them;
:func:`check_text` applies those in scope to one text and returns
:class:`~crisiscomms.findings.Finding` records.
"""

from __future__ import annotations

from crisiscomms.tone.checks import RULE_TYPES
from crisiscomms.tone.engine import (
    EVERY_LANGUAGE,
    Rule,
    RuleSet,
    bundled_rule_files,
    check_drafts,
    check_parts,
    check_text,
    record_names,
    rule_language,
)
from crisiscomms.tone.readability import (
    TextStats,
    count_syllables,
    flesch_kincaid_grade,
    text_stats,
)
from crisiscomms.tone.rulefiles import RuleFileError
from crisiscomms.tone.scope import CHANNELS, SEVERITIES, STAGES, Scope

__all__ = [
    "CHANNELS",
    "EVERY_LANGUAGE",
    "RULE_TYPES",
    "SEVERITIES",
    "STAGES",
    "Rule",
    "RuleFileError",
    "RuleSet",
    "Scope",
    "TextStats",
    "bundled_rule_files",
    "check_drafts",
    "check_parts",
    "check_text",
    "count_syllables",
    "flesch_kincaid_grade",
    "record_names",
    "rule_language",
    "text_stats",
]
