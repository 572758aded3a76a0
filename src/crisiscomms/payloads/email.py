"""Email: the message as JSON-ready data, for mail providers' HTTP send calls.

To send through SMTP, use :meth:`~crisiscomms.EmailDraft.to_message` instead:
it builds the MIME message itself. This payload is for providers that take
JSON; their field names differ, so it keeps the parts plain:

``from``
    ``{"name": ..., "email": ...}``: the spokesperson (or the address you
    pass as ``from_=``).
``reply_to``
    ``{"name": ..., "email": ...}``: the support address unless
    ``reply_to=`` says otherwise.
``to``
    Only when ``to=`` is given: a list of ``{"name": ..., "email": ...}``.
``subject``
    The subject line (at most 78 characters, free of line breaks).
``preheader``
    The preview text inbox lists show after the subject.
``text`` and ``html``
    The plain-text and HTML bodies (the HTML with its CSS inlined).

Every address and the subject are checked as :meth:`to_message` checks
them: a line break, a control character or ``=?`` raises
:class:`~crisiscomms.errors.HeaderError` naming the field.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from crisiscomms.emailmsg import AddressLike, check_header, parse_address

if TYPE_CHECKING:
    from email.headerregistry import Address

    from crisiscomms.drafts import Draft

__all__ = ["build"]


def _mailbox(address: Address) -> dict[str, str]:
    return {"name": address.display_name, "email": address.addr_spec}


def build(
    draft: Draft,
    *,
    to: AddressLike | Sequence[AddressLike] | None = None,
    from_: AddressLike | None = None,
    reply_to: AddressLike | None = None,
) -> dict[str, Any]:
    """The email's subject, bodies and addresses."""
    # Imported here, as in emailmsg: the email package is not needed to import crisiscomms.
    from email.headerregistry import Address

    subject = check_header(str(getattr(draft, "subject", "")), field="subject")
    if from_ is None:
        name = check_header(str(getattr(draft, "sender_name", "")), field="from")
        mailbox = parse_address(str(getattr(draft, "sender_email", "")), field="from")
        sender = Address(display_name=name, username=mailbox.username, domain=mailbox.domain)
    else:
        sender = parse_address(from_, field="from")
    reply = parse_address(
        str(getattr(draft, "support_email", "")) if reply_to is None else reply_to,
        field="reply_to",
    )
    payload: dict[str, Any] = {
        "from": _mailbox(sender),
        "reply_to": _mailbox(reply),
        "subject": subject,
        "preheader": str(getattr(draft, "preheader", "")),
        "text": draft.parts[0],
        "html": str(getattr(draft, "html", "")),
    }
    if to is not None:
        items = [to] if isinstance(to, (str, Address)) else list(to)
        payload["to"] = [_mailbox(parse_address(item, field="to")) for item in items]
    return payload
