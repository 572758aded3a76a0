"""The two shapes of social draft: a numbered thread, and one post fitted by sections."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import ClassVar

from crisiscomms import fitting
from crisiscomms.channels.base import Channel, Context
from crisiscomms.drafts import Draft

__all__ = ["PostChannel", "ThreadChannel"]

_BLANK_LINES = re.compile(r"\n{3,}")
_SPACES = re.compile(r"(?<=\S) {2,}")


def tidy(text: str) -> str:
    """Trailing spaces off every line, runs of spaces between words made one (an
    empty phrase between two others leaves two), at most one blank line in a row.
    Leading spaces stay: they indent Markdown."""
    lines = [_SPACES.sub(" ", line.rstrip()) for line in text.strip().splitlines()]
    return _BLANK_LINES.sub("\n\n", "\n".join(lines))


class ThreadChannel(Channel):
    """A channel whose draft is a numbered thread (``1/3``), split on safe boundaries.

    The template renders the whole announcement; :func:`crisiscomms.fitting.pack_thread`
    cuts it into posts between sentences, each within the limit with its numbering,
    with no scrap of a post and the first post as full as the thread allows.
    """

    kind: ClassVar[str] = "txt"

    def render(self, context: Context) -> str:
        """The announcement as one text, before splitting."""
        name = self.template(context, self.kind)
        return tidy(context.render(name, self.variables(context)))

    def split(self, text: str) -> tuple[str, ...]:
        return fitting.pack_thread(
            text, limit=self.limit, measure=self.measure, channel=self.name, unit=self.unit
        )

    def draft(self, context: Context) -> Draft:
        return self.make_draft(context, self.split(self.render(context)))


class PostChannel(Channel):
    """A channel whose draft is one post, assembled from the template's blocks.

    Each top-level ``{% block %}`` of the template is a section. Sections in
    :attr:`required` are never dropped; the others go, lowest
    :attr:`priorities` first, before any sentence is cut.
    """

    kind: ClassVar[str] = "txt"
    required: ClassVar[frozenset[str]] = frozenset({"headline", "urgent", "user_actions", "status"})
    # The inverted pyramid: what happened and who is affected, where things
    # stand, the apology, then the details; lower goes first when room runs out.
    priorities: ClassVar[Mapping[str, int]] = {
        "impact": 10,
        "stage_line": 9,
        "apology": 8,
        "summary": 7,
        "next_update": 7,
        "cause": 6,
        "not_affected": 6,
        "actions": 5,
        "unknowns": 4,
        "contact": 3,
        "signature": 2,
        "updated": 2,
    }
    #: Sections kept whole or dropped, never cut short: a cut apology or time misleads.
    whole: ClassVar[frozenset[str]] = frozenset({"apology", "next_update", "stage_line"})

    def sections(self, context: Context) -> list[fitting.Section]:
        """The template's blocks as sections, in template order."""
        name = self.template(context, self.kind)
        blocks = context.renderer.render_blocks(name, self.variables(context))
        return [
            fitting.Section(
                text=tidy(text),
                name=block,
                required=block in self.required,
                priority=self.priorities.get(block, 0),
                whole=block in self.whole,
            )
            for block, text in blocks.items()
            if text.strip()
        ]

    def compose_text(self, context: Context) -> str:
        return fitting.fit_post(
            self.sections(context),
            limit=self.limit,
            measure=self.measure,
            channel=self.name,
            unit=self.unit,
        )

    def draft(self, context: Context) -> Draft:
        return self.make_draft(context, (self.compose_text(context),))
