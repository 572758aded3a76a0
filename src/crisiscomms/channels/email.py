"""The email: subject, preheader, plain text and HTML, from one Markdown source.

The stage's Markdown template (``email/<stage>.md``, else ``email/default.md``)
is rendered once; :mod:`crisiscomms.markup` turns it into both the plain text
and the HTML body, which ``email/layout.html`` wraps and the CSS inliner
finishes. The subject and the sender's display name come from the incident,
so they are neutralised for use as headers (see :mod:`crisiscomms.emailmsg`).
"""

from __future__ import annotations

from typing import cast

from markupsafe import Markup

from crisiscomms import fitting, markup
from crisiscomms.channels.base import Channel, Context
from crisiscomms.channels.social import tidy
from crisiscomms.drafts import EmailDraft
from crisiscomms.emailmsg import neutralize_header
from crisiscomms.findings import Finding, Level
from crisiscomms.inlining import Inlined, check_inliner, inline_css_report

__all__ = ["EmailChannel"]

SUBJECT_LIMIT = 78
#: The preheader's length, in characters: long enough to fill an inbox's
#: preview line, short enough that no client cuts the key fact.
PREHEADER_MIN = 40
PREHEADER_LIMIT = 100
TEXT_WIDTH = 72


class EmailChannel(Channel):
    """The email. ``limit`` and ``measure`` apply to the subject line: at most
    78 characters, the length RFC 5322 recommends for a header line.

    ``inliner`` chooses the CSS inliner: ``"premailer"`` (the default) or
    ``"css-inline"`` (faster; the ``fast`` extra). An unknown or missing
    inliner raises :class:`~crisiscomms.errors.UnknownNameError` here, not
    at drafting time.
    """

    name = "email"
    network = "email"
    limit = SUBJECT_LIMIT
    unit = "characters"
    counting = "the subject line, in characters (RFC 5322 recommends at most 78)"

    def __init__(self, *, inliner: str = "premailer") -> None:
        self.inliner = check_inliner(inliner)

    def measure(self, text: str) -> int:
        return len(text)

    def subject(self, context: Context) -> str:
        """``Resolved: <title>``: the stage first, the title trimmed at a word if need be.

        Line breaks become spaces and ``=?`` becomes ``= ?``, so no title can
        smuggle a header line or an encoded word into the ``Subject``.
        """
        name = context.renderer.first("email/subject.txt")
        blocks = context.renderer.render_blocks(name, context.variables(self))
        sections = [
            fitting.Section(
                text=neutralize_header(text),
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

    def preheader(self, context: Context) -> str:
        """The inbox preview line: the ``fact`` block of ``email/preheader.txt``, cut
        at a word to 100 characters, with the ``more`` block added when it is
        shorter than 40."""
        variables = context.variables(self)
        blocks = context.renderer.render_blocks("email/preheader.txt", variables)
        if "fact" not in blocks:
            # A user's template without blocks: all of it is the fact.
            blocks["fact"] = context.renderer.render("email/preheader.txt", variables)
        fact = " ".join(blocks["fact"].split())
        more = " ".join(blocks.get("more", "").split())
        preheader = fitting.truncate(fact, limit=PREHEADER_LIMIT, measure=len)
        if len(preheader) < PREHEADER_MIN and more:
            joined = f"{preheader} {more}" if preheader else more
            preheader = fitting.truncate(joined, limit=PREHEADER_LIMIT, measure=len)
        return preheader

    def source(self, context: Context) -> str:
        """The body as Markdown: the stage's template (``email/<stage>.md``), else
        ``email/default.md``. Both the plain text and the HTML are made from it."""
        name = self.template(context, "md")
        return tidy(context.renderer.render(name, context.variables(self)))

    def page(self, context: Context, *, subject: str, preheader: str, source: str) -> str:
        """The HTML page before its CSS is inlined: ``email/layout.html`` around the
        Markdown ``source`` (rendered with raw HTML off and unsafe links refused)."""
        return context.renderer.render(
            "email/layout.html",
            {
                **context.variables(self),
                "subject": subject,
                "preheader": preheader,
                "body": Markup(markup.to_html(context.markdown(source))),
            },
        )

    def dropped_css(self, inlined: Inlined) -> tuple[Finding, ...]:
        """An ``email.css-dropped`` warning for each declaration or rule the
        inliner dropped: a layout's CSS that never reaches the inlined styles."""
        return tuple(
            Finding(
                rule="email.css-dropped",
                level=Level.WARNING,
                channel=self.name,
                message=f"CSS {dropped.what!r} dropped by {self.inliner}: {dropped.reason}"
                + (f" ({dropped.text})" if dropped.text != dropped.what else ""),
                source="email/layout.html",
            )
            for dropped in inlined.dropped
        )

    def draft(self, context: Context) -> EmailDraft:
        subject = self.subject(context)
        preheader = self.preheader(context)
        source = self.source(context)
        page = self.page(context, subject=subject, preheader=preheader, source=source)
        inlined = inline_css_report(page, inliner=self.inliner)
        speaker = context.speaker
        org = context.incident.organization
        sender_name = neutralize_header(
            speaker.sender_name
            or (speaker.name if speaker.name == org.name else f"{speaker.name} at {org.name}")
        )
        draft = self.make_draft(
            context,
            (markup.to_text(context.markdown(source), width=TEXT_WIDTH),),
            kind=EmailDraft,
            lengths=(self.measure(subject),),
            subject=subject,
            preheader=preheader,
            html=inlined.html,
            findings=self.dropped_css(inlined),
            sender_name=sender_name,
            sender_email=context.account(self.network),
            support_email=org.support_email,
        )
        return cast(EmailDraft, draft)  # made as kind=EmailDraft
