"""Building the MIME message, with every header checked.

No header value may carry a line break (CR, LF, U+2028 or any other
character ``str.splitlines`` breaks on) or an RFC 2047 encoded word
(``=?charset?Q?...?=``): some Python versions decode such a word from a
header into a real header line when the message is read back.
"""

from __future__ import annotations

import email.policy
import email.utils
import re
from email.headerregistry import Address
from email.message import EmailMessage
from typing import TYPE_CHECKING

from crisiscomms.errors import HeaderError

if TYPE_CHECKING:
    from crisiscomms.drafts import EmailDraft

__all__ = ["build_message", "check_header"]

_ENCODED_WORD = re.compile(r"=\?[^?\s]*\?[bBqQ]\?", re.ASCII)


def check_header(value: str, *, field: str) -> str:
    """Return ``value`` if it is safe as a header; raise :class:`HeaderError` naming ``field``."""
    if len(value.splitlines()) > 1 or any(ch in value for ch in "\r\n\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"):
        raise HeaderError("must not contain a line break", field=field)
    if any(ord(ch) < 32 or ord(ch) == 127 for ch in value):
        raise HeaderError("must not contain control characters", field=field)
    if _ENCODED_WORD.search(value) or "=?" in value and "?=" in value:
        raise HeaderError("must not contain an RFC 2047 encoded word (=?...?=)", field=field)
    return value


def _address(text: str, *, field: str) -> Address:
    check_header(text, field=field)
    name, addr = email.utils.parseaddr(text)
    if "@" not in addr:
        raise HeaderError(f"{text!r} is not an email address", field=field)
    username, domain = addr.rsplit("@", 1)
    return Address(display_name=name, username=username, domain=domain)


def build_message(
    draft: EmailDraft,
    *,
    to: str | list[str] | tuple[str, ...],
    from_: str | None,
    reply_to: str | None,
) -> EmailMessage:
    recipients = [to] if isinstance(to, str) else list(to)
    if not recipients:
        raise HeaderError("needs at least one recipient", field="to")
    message = EmailMessage(policy=email.policy.SMTP)
    message["Subject"] = check_header(draft.subject, field="subject")
    if from_ is None:
        check_header(draft.sender_name, field="from")
        sender = Address(
            display_name=draft.sender_name,
            username=draft.sender_email.rsplit("@", 1)[0],
            domain=draft.sender_email.rsplit("@", 1)[1],
        )
    else:
        sender = _address(from_, field="from")
    message["From"] = sender
    message["To"] = [_address(item, field="to") for item in recipients]
    message["Reply-To"] = _address(reply_to or draft.support_email, field="reply_to")
    message["Date"] = email.utils.format_datetime(email.utils.localtime())
    message["Message-ID"] = email.utils.make_msgid(domain=sender.domain)
    message.set_content(draft.text, subtype="plain", charset="utf-8")
    message.add_alternative(draft.html, subtype="html", charset="utf-8")
    return message
