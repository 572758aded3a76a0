"""Slack: the internal alert for the response team, in Slack's mrkdwn.

mrkdwn is not Markdown: ``*bold*``, ``_italic_``, ``<url|label>`` links and ``•``
bullets. In text that people wrote, Slack reads ``&``, ``<`` and ``>`` as markup, so
``<!channel>`` in an incident title would notify everyone in the channel; every
piece of incident text reaches the template escaped (``&amp;``, ``&lt;``,
``&gt;``) and only the template itself writes markup.

The template sees no raw incident: only ``alert``, a mapping of escaped facts (see
:meth:`SlackChannel.alert`), and the stage and severity.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from types import MappingProxyType
from typing import Any, ClassVar
from urllib.parse import urlsplit

from crisiscomms import counting, i18n, wording
from crisiscomms.channels.base import Context
from crisiscomms.channels.social import PostChannel

__all__ = ["SLACK_TEXT_LIMIT", "SlackChannel", "mrkdwn_escape", "mrkdwn_link"]

SLACK_TEXT_LIMIT = 40_000
"""Characters of a message's ``text`` field that Slack keeps; it truncates the rest."""

_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;"})
# Inside <url|label>, "|" and ">" would end the URL early; percent-encoding them
# (and "<") names the same resource.
_URL_ESCAPES = str.maketrans({"&": "&amp;", "<": "%3C", ">": "%3E", "|": "%7C"})


def mrkdwn_escape(text: str) -> str:
    """``text`` safe to put in a Slack message: ``&``, ``<`` and ``>`` as entities."""
    return text.translate(_ESCAPES)


def mrkdwn_link(url: str, label: str | None = None) -> str:
    """A ``<url|label>`` link; the label defaults to the URL without its scheme."""
    if label is None:
        parts = urlsplit(url)
        label = (parts.netloc + parts.path).rstrip("/") or url
    return f"<{url.translate(_URL_ESCAPES)}|{mrkdwn_escape(label)}>"


def _escaped(items: Iterable[str], locale: str = i18n.DEFAULT) -> list[str]:
    return [mrkdwn_escape(wording.period(item, locale=locale)) for item in items]


class SlackChannel(PostChannel):
    """The response team's alert: severity, stage, what happened, who owns each role,
    which draft goes where and who posts it, the next update and the status link.

    Measured against the 40,000 characters Slack keeps of a message's ``text`` field
    (counted as UTF-16 code units, never fewer than Slack's characters). Post it as
    ``text``: a Block Kit section block holds only 3,000. It is not public
    (``public = False``), so it may carry names and details the public drafts leave
    out.
    """

    name = "slack"
    network = "slack"
    limit = SLACK_TEXT_LIMIT
    unit = "UTF-16 code units"
    counting = "UTF-16 code units of the message text (Slack truncates text over 40,000)"
    public = False
    required: ClassVar[frozenset[str]] = frozenset({"headline", "roles", "postings", "status"})
    priorities: ClassVar[Mapping[str, int]] = {
        "next_update": 9,
        "summary": 8,
        "impact": 8,
        "reviews": 8,
        "timeline": 7,
        "user_actions": 7,
        "components": 6,
        "actions": 6,
        "cause": 5,
        "data_loss": 5,
        "not_affected": 4,
        "unknowns": 3,
    }

    def __init__(self, *, approvals: Mapping[str, str] | None = None) -> None:
        # Each public channel's approval in one line (see crisiscomms.approvals).
        self.approvals: Mapping[str, str] = MappingProxyType(dict(approvals or {}))

    def measure(self, text: str) -> int:
        return counting.utf16_length(text)

    def alert(self, context: Context) -> dict[str, Any]:
        """The facts the template may use, every piece of incident text escaped."""
        # Imported here: the channel table imports this module.
        from crisiscomms.channels import available_channels, get_channel

        incident = context.incident
        team = incident.team
        speaker = context.speaker
        zone = incident.zone
        stage = context.stage
        tag = context.locale

        def _(message: str) -> str:
            return i18n.gettext(tag, message)

        # The voice is named by its id, as --voice takes it: code, not prose.
        voice = {"name": speaker.name, "title": speaker.title or "", "voice": f"`{speaker.key}`"}
        if speaker.title:
            spokesperson = _("%(name)s, %(title)s (voice: %(voice)s)") % voice
        else:
            spokesperson = _("%(name)s (voice: %(voice)s)") % voice
        roles = [
            (_("Spokesperson"), spokesperson),
            (_("Approver"), team.approver),
            (_("Engineering lead"), team.engineering_lead),
            (_("On call"), team.on_call),
        ]
        postings = []
        for name in available_channels():
            channel = get_channel(name)
            if not channel.public:
                continue
            postings.append(
                {
                    "channel": name,
                    "responder": _maybe(team.responders.get(name)),
                    "account": _maybe(context.account(channel.network)),
                    "approval": _maybe(self.approvals.get(name)),
                }
            )
        link = context.link
        next_update = context.next_update_at
        clock_style = incident.clock or incident.organization.clock

        def when(moment: Any) -> str:
            return wording.when(moment, zone, clock_style, locale=tag)

        return {
            "title": mrkdwn_escape(context.headline),
            "org": mrkdwn_escape(incident.organization.name),
            "severity": incident.severity.value,
            "stage": _(stage.label),
            "stage_in_sentence": i18n.in_sentence(_(stage.label), tag),
            "started": when(incident.started_at),
            "last_updated": when(context.last_updated) if context.last_updated is not None else "",
            "next_update": when(next_update) if next_update else "",
            "resolved_at": when(incident.resolved_at) if incident.resolved_at else "",
            "summary": mrkdwn_escape(context.summary_text),
            "latest": mrkdwn_escape(context.update_text),
            "timeline": [
                {
                    "when": when(entry.at),
                    "stage": _(entry.stage.label),
                    "message": mrkdwn_escape(" ".join(entry.message.split())),
                }
                for entry in incident.updates
            ],
            "reviews": _reviews(context, postings),
            "impact": mrkdwn_escape(wording.period(incident.impact, locale=tag)),
            "cause": mrkdwn_escape(wording.period(incident.cause, locale=tag)),
            "data_loss": mrkdwn_escape(wording.period(incident.data_loss, locale=tag)),
            "user_actions": _escaped(incident.all_user_actions, tag),
            "actions": _escaped(incident.actions, tag),
            "not_affected": mrkdwn_escape(
                wording.join_words(incident.not_affected)
                if tag == i18n.DEFAULT
                else i18n.join_words(incident.not_affected, tag)
            ),
            "unknowns": _escaped(incident.unknowns, tag),
            "components": [
                {"name": mrkdwn_escape(c.name), "status": i18n.in_sentence(_(c.status.label), tag)}
                for c in incident.components
            ],
            "roles": [{"role": role, "person": _maybe(person)} for role, person in roles],
            "postings": postings,
            "status_link": mrkdwn_link(link),
        }

    def variables(self, context: Context) -> dict[str, Any]:
        """Only the escaped ``alert`` facts (with the stage, severity and channel name),
        so no template can put raw incident text into Slack."""
        return {
            "alert": self.alert(context),
            "stage": context.stage,
            "severity": context.incident.severity,
            "channel": self.name,
            "locale": context.locale,
        }


# How each level's count reads ("errors: 2"), the same for one and many.
_LEVEL_COUNTS = {
    "error": i18n.N_("errors: %(count)d"),
    "warning": i18n.N_("warnings: %(count)d"),
    "suggestion": i18n.N_("suggestions: %(count)d"),
}


def _reviews(context: Context, postings: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """For each public draft made before the alert: its tone and redaction findings,
    and whether the approver has signed it off."""
    team = context.incident.team
    rows = []
    for posting in postings:
        name = posting["channel"]
        if name not in context.reviews:
            continue
        findings = context.reviews[name]
        counts: dict[str, int] = {}
        for finding in findings:
            counts[finding.level.value] = counts.get(finding.level.value, 0) + 1
        tag = context.locale
        summary = ", ".join(
            i18n.gettext(tag, _LEVEL_COUNTS[level]) % {"count": count}
            for level, count in sorted(counts.items())
        )
        rules = sorted({finding.rule for finding in findings})
        rows.append(
            {
                "channel": name,
                "findings": summary or i18n.gettext(tag, "no findings"),
                # Rule ids are names, shown as code: `crisis.next-update`.
                "rules": ", ".join(f"`{rule}`" for rule in rules),
                "approved": name in team.approved,
            }
        )
    return rows


def _maybe(text: str | None) -> str | None:
    return mrkdwn_escape(text) if text else None
