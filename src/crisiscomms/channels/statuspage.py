"""Statuspage: an incident update for a hosted status page (Atlassian Statuspage and
the like): a title and a Markdown body."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any, ClassVar

from crisiscomms import counting, fitting, i18n
from crisiscomms.channels.base import Context
from crisiscomms.channels.social import PostChannel
from crisiscomms.drafts import Draft

__all__ = ["BODY_LIMIT", "TITLE_LIMIT", "StatuspageChannel", "markdown_escape"]

BODY_LIMIT = 5000
"""Our ceiling for an update's body, in UTF-16 code units. Atlassian publishes no
limit; this one is conservative (long enough for every required fact of a large
incident, short enough for status pages that store a few thousand characters)."""
TITLE_LIMIT = 255
"""Our ceiling for the incident's title (a conservative choice; none is published)."""

_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]<>#|~])")

# Statuspage's incident statuses; a post-mortem is published on a resolved incident.
_STATUS = {
    "investigating": "investigating",
    "identified": "identified",
    "monitoring": "monitoring",
    "resolved": "resolved",
    "postmortem": "resolved",
}


def markdown_escape(text: str) -> str:
    """Plain ``text`` with the Markdown punctuation backslash-escaped, so it shows as written."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", text)


class StatuspageChannel(PostChannel):
    """A status-page incident update: ``draft.title`` is the incident's title (at most
    :data:`TITLE_LIMIT`), ``parts[0]`` the Markdown body (at most :data:`BODY_LIMIT`
    UTF-16 code units): the stage, what is happening, the affected components and
    their impact, what users should do, the next update and the link.

    ``draft.metadata`` carries ``status`` (Statuspage's incident status), ``impact``
    (the severity) and ``components`` (name and impact of each).
    """

    name = "statuspage"
    kind = "md"
    network = "statuspage"
    limit = BODY_LIMIT
    unit = "UTF-16 code units"
    counting = "UTF-16 code units of the Markdown body (a conservative 5,000; none is published)"
    required: ClassVar[frozenset[str]] = frozenset(
        {"impact", "urgent", "stage_line", "user_actions", "status"}
    )
    priorities: ClassVar[Mapping[str, int]] = {
        "components": 9,
        "next_update": 9,
        "apology": 8,
        "summary": 7,
        "cause": 6,
        "not_affected": 5,
        "actions": 5,
        "unknowns": 3,
        "contact": 2,
    }

    def measure(self, text: str) -> int:
        return counting.utf16_length(text)

    def title(self, context: Context) -> str:
        """The headline for the stage (the incident's title, in the past tense once it
        is over, unless the record gives a headline), shortened at a word if it is
        over :data:`TITLE_LIMIT`."""
        return fitting.truncate(
            " ".join(context.headline.split()),
            limit=TITLE_LIMIT,
            measure=counting.utf16_length,
        )

    def variables(self, context: Context) -> dict[str, Any]:
        """The shared variables, plus ``md``: the incident's plain text escaped for Markdown."""
        incident = context.incident
        variables = context.variables(self)
        summary = variables["update_text"] or variables["summary_text"]
        variables["md"] = {
            "summary": markdown_escape(summary),
            "impact": markdown_escape(incident.impact),
            "user_actions": [markdown_escape(item) for item in incident.all_user_actions],
            "first_actions": [markdown_escape(item) for item in incident.first_actions],
            "later_actions": [markdown_escape(item) for item in incident.later_actions],
            "actions": [markdown_escape(item) for item in incident.actions],
            "not_affected": [markdown_escape(item) for item in incident.not_affected],
            "unknowns": [markdown_escape(item) for item in incident.unknowns],
            "cause": markdown_escape(incident.cause),
            "data_loss": markdown_escape(incident.data_loss),
            "components": [
                {
                    "name": markdown_escape(c.name),
                    "status": i18n.gettext(context.locale, c.status.label).lower(),
                }
                for c in incident.components
            ],
            "support_email": incident.organization.support_email,
        }
        return variables

    def draft(self, context: Context) -> Draft:
        body = self.compose_text(context)
        incident = context.incident
        return self.make_draft(
            context,
            (body,),
            title=self.title(context),
            metadata={
                "status": _STATUS[context.stage.value],
                "impact": incident.severity.value,
                "components": [
                    {"name": c.name, "id": c.id, "status": c.status.value}
                    for c in incident.components
                ],
            },
        )
