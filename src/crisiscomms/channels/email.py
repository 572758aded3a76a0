"""The email: subject, preheader, plain text and HTML, from one Markdown source."""

from __future__ import annotations

from markupsafe import Markup

from crisiscomms import fitting, markup
from crisiscomms.channels.base import Channel, Context
from crisiscomms.channels.social import tidy
from crisiscomms.drafts import EmailDraft
from crisiscomms.inlining import inline_css

__all__ = ["EmailChannel"]

SUBJECT_LIMIT = 78
PREHEADER_LIMIT = 100


class EmailChannel(Channel):
    """The email. ``limit`` and ``measure`` apply to the subject line: at most
    78 characters, the length RFC 5322 recommends for a header line."""

    name = "email"
    network = "email"
    limit = SUBJECT_LIMIT
    unit = "characters"
    counting = "the subject line, in characters (RFC 5322 recommends at most 78)"

    def __init__(self, *, inliner: str = "premailer") -> None:
        self.inliner = inliner

    def measure(self, text: str) -> int:
        return len(text)

    def subject(self, context: Context) -> str:
        """``Resolved: <title>``: the stage first, the title trimmed at a word if need be."""
        name = context.renderer.first("email/subject.txt")
        blocks = context.renderer.render_blocks(name, context.variables(self))
        sections = [
            fitting.Section(
                text=" ".join(text.split()),
                name=block,
                required=block == "stage",
                priority=1,
                separator=" ",
            )
            for block, text in blocks.items()
            if text.strip()
        ]
        return fitting.fit_post(
            sections, limit=self.limit, measure=self.measure, channel=self.name, unit=self.unit
        )

    def draft(self, context: Context) -> EmailDraft:
        variables = context.variables(self)
        renderer = context.renderer
        subject = self.subject(context)
        preheader = fitting.truncate(
            " ".join(renderer.render("email/preheader.txt", variables).split()),
            limit=PREHEADER_LIMIT,
            measure=len,
        )
        source = tidy(renderer.render(self.template(context, "md"), variables))
        text = markup.to_text(source, width=72)
        page = renderer.render(
            "email/layout.html",
            {
                **variables,
                "subject": subject,
                "preheader": preheader,
                "body": Markup(markup.to_html(source)),
            },
        )
        speaker = context.speaker
        org = context.incident.organization
        sender_name = speaker.sender_name or (
            speaker.name if speaker.name == org.name else f"{speaker.name} at {org.name}"
        )
        team = context.incident.team
        return EmailDraft(
            channel=self.name,
            parts=(text,),
            lengths=(self.measure(subject),),
            limit=self.limit,
            unit=self.unit,
            stage=context.stage.value,
            voice=speaker.key,
            account=speaker.email or org.from_email,
            posted_by=team.responders.get(self.name),
            approved_by=team.approver,
            subject=subject,
            preheader=preheader,
            html=inline_css(page, inliner=self.inliner),
            sender_name=sender_name,
            sender_email=speaker.email or org.from_email,
            support_email=org.support_email,
        )
