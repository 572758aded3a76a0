"""What composing gives back: :class:`Draft` and :class:`EmailDraft`."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

import attrs

# The message is built by emailmsg, which needs nothing from here: one way, no cycle.
from crisiscomms import emailmsg
from crisiscomms.findings import Finding

if TYPE_CHECKING:
    from email.message import EmailMessage

    from crisiscomms.emailmsg import AddressLike

__all__ = ["Draft", "EmailDraft"]


@attrs.frozen(kw_only=True)
class Draft:
    """One channel's draft: the texts to publish, one per post, and how they measure.

    ``lengths[i]`` is ``parts[i]`` measured the channel's way, in ``unit``;
    each is at most ``limit``. ``account`` is the handle that posts it,
    ``posted_by`` and ``approved_by`` the people the incident's team names.
    """

    channel: str
    parts: tuple[str, ...]
    lengths: tuple[int, ...]
    limit: int
    unit: str
    stage: str
    voice: str
    account: str | None = None
    posted_by: str | None = None
    approved_by: str | None = None
    title: str | None = None
    metadata: Mapping[str, Any] = attrs.field(factory=dict, hash=False)
    #: What the channel itself found while drafting (the email's dropped CSS);
    #: compose adds these to the bundle's findings.
    findings: tuple[Finding, ...] = ()

    @property
    def text(self) -> str:
        """All parts, separated by blank lines."""
        return "\n\n".join(self.parts)

    def to_payload(self, **options: Any) -> Any:
        """The JSON-ready request body the platform's API takes: a list of bodies,
        one per post, for a thread (``x``, ``mastodon``, ``bluesky``,
        ``threads``), else one dict.

        ``options`` are the platform's (``channel=`` for Slack, ``author=``
        for LinkedIn, ``dids=`` for Bluesky ...); each platform's module in
        :mod:`crisiscomms.payloads` documents its fields and options, with a
        link to the platform's reference. Publish a thread with
        :func:`crisiscomms.post_thread`, which chains the replies.

        Typed ``Any`` because the shape depends on the channel; the platform
        modules' ``build(draft)`` functions return the precise type.
        """
        from crisiscomms.payloads import build

        return build(self, **options)

    def to_dict(self) -> dict[str, Any]:
        """The draft as JSON-ready data, as the manifest writes it."""
        data: dict[str, Any] = {
            "channel": self.channel,
            "parts": list(self.parts),
            "lengths": list(self.lengths),
            # What ``lengths`` measures: each part, or (for the email) the subject line.
            "measures": "parts",
            "limit": self.limit,
            "unit": self.unit,
            "stage": self.stage,
            "voice": self.voice,
            "account": self.account,
            "posted_by": self.posted_by,
            "approved_by": self.approved_by,
        }
        if self.title is not None:
            data["title"] = self.title
        if self.metadata:
            data["metadata"] = dict(self.metadata)
        return data


@attrs.frozen(kw_only=True)
class EmailDraft(Draft):
    """The email: subject, preheader, plain text and HTML, and a ready MIME message.

    ``parts`` holds the plain-text body; ``limit`` and ``lengths`` apply to
    the subject line.
    """

    subject: str
    preheader: str
    html: str
    sender_name: str
    sender_email: str
    support_email: str

    @property
    def text(self) -> str:
        """The plain-text body."""
        return self.parts[0]

    def to_message(
        self,
        *,
        to: AddressLike | Sequence[AddressLike],
        from_: AddressLike | None = None,
        reply_to: AddressLike | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> EmailMessage:
        """A ``multipart/alternative`` message: the plain text, then the HTML.

        ``to`` is one address or a list; each address is a string
        (``"Name <user@example.com>"`` or ``user@example.com``) or an
        :class:`email.headerregistry.Address`. ``From`` defaults to the
        spokesperson's name and address and ``Reply-To`` to the support
        address; ``Date`` and ``Message-ID`` are set. ``headers`` adds
        headers of your own, in order (``{"List-Unsubscribe":
        "<https://example.com/unsubscribe>"}``); the ones this method builds
        (``Subject``, ``From``, ``To``, ``Reply-To``, ``Date``,
        ``Message-ID``, ``MIME-Version``, ``Content-*``) are refused, as is a
        name given twice in any case.

        Raises:
            HeaderError: a header value holds a line break, a control
                character or ``=?`` (an RFC 2047 encoded word), or an address
                is malformed; ``field`` names the header (``to``, ``from``,
                ``reply_to``, ``subject``, ``headers.<Name>``).
        """
        return emailmsg.build_message(self, to=to, from_=from_, reply_to=reply_to, headers=headers)

    def to_dict(self) -> dict[str, Any]:
        data = super().to_dict()
        data.update(
            measures="subject",
            subject=self.subject,
            subject_length=self.lengths[0],
            preheader=self.preheader,
            html=self.html,
        )
        return data
