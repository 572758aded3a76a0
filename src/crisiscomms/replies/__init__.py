"""Replies to mentions that answer what each person asked: ``compose_replies``.

- :mod:`~crisiscomms.replies.intents` reads a mention's intent by rules kept as data;
- :mod:`~crisiscomms.replies.mentions` holds the :class:`Mention` record, each
  network's handle form, and reading mentions from JSON Lines;
- :mod:`~crisiscomms.replies.answers` drafts the replies from the record and
  summarizes them by intent.
"""

from __future__ import annotations

from crisiscomms.replies.answers import compose_replies, summarize, summary_table
from crisiscomms.replies.intents import Intent, IntentRules, Reading, classify
from crisiscomms.replies.mentions import Mention, mention_form, read_mentions

__all__ = [
    "Intent",
    "IntentRules",
    "Mention",
    "Reading",
    "classify",
    "compose_replies",
    "mention_form",
    "read_mentions",
    "summarize",
    "summary_table",
]
