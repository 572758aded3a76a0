"""Building the MIME message, with every header checked.

Two rules keep a header from becoming two headers:

- no line break: CR, LF, or any other character ``str.splitlines`` breaks
  on (VT, FF, FS, GS, RS, NEL, U+2028, U+2029), nor any other control
  character;
- no RFC 2047 encoded word (``=?charset?Q?...?=``) coming from input: the
  standard library decodes such a word when it reads a header, and on some
  Python versions (3.11 among them) ``=?UTF-8?Q?=0A?=Bcc: ...`` becomes a
  real ``Bcc`` header line on its way back out. Any ``=?`` is refused, which
  is stricter than needed and simple to reason about.

What is drafted from the incident (the subject, from the title; the sender's
display name, from the spokesperson and organisation) is *neutralised* at
compose time by :func:`neutralize_header`, so every incident can be drafted
and the reviewer sees exactly what will be sent. What a caller passes to
:meth:`~crisiscomms.drafts.EmailDraft.to_message` (``to``, ``from_``,
``reply_to``) is *refused* with :class:`~crisiscomms.errors.HeaderError`
naming the field. Every header is checked again when the message is built,
so a hand-made draft cannot slip past either.
"""

from __future__ import annotations

import base64
import re
import unicodedata
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Protocol, TypeAlias

from crisiscomms.errors import HeaderError, excerpt

if TYPE_CHECKING:
    # The email package is imported by the first message built, not by every import
    # of crisiscomms (neutralize_header and check_header need none of it).
    from email.headerregistry import Address
    from email.message import EmailMessage

__all__ = [
    "BUILT_HEADERS",
    "AddressLike",
    "MessageSource",
    "build_message",
    "check_header",
    "check_headers",
    "neutralize_header",
    "parse_address",
]

#: An address as a caller gives it: ``"Name <user@example.com>"``, or an
#: :class:`email.headerregistry.Address`.
AddressLike: TypeAlias = "str | Address"


class MessageSource(Protocol):
    """What a message is built from: an :class:`~crisiscomms.drafts.EmailDraft`, or
    anything else with these attributes. This module needs nothing more of a draft, so
    drafts depend on it and not the other way round."""

    @property
    def subject(self) -> str: ...
    @property
    def text(self) -> str: ...
    @property
    def html(self) -> str: ...
    @property
    def sender_name(self) -> str: ...
    @property
    def sender_email(self) -> str: ...
    @property
    def support_email(self) -> str: ...


# The headers build_message writes itself; a caller's own may not replace them.
BUILT_HEADERS = frozenset(
    {
        "subject",
        "from",
        "to",
        "reply-to",
        "date",
        "message-id",
        "mime-version",
        "content-type",
        "content-transfer-encoding",
        "content-disposition",
    }
)
# RFC 5322's field name: printable ASCII except the colon.
_FIELD_NAME = re.compile(r"[!-9;-~]+")

# Every character str.splitlines() breaks on.
_LINE_BREAKS = frozenset("\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029")


def _is_control(ch: str) -> bool:
    return ch in _LINE_BREAKS or unicodedata.category(ch) == "Cc"


def check_header(value: str, *, field: str) -> str:
    """Return ``value`` if it is safe in a header; raise :class:`HeaderError` naming ``field``."""
    if any(ch in _LINE_BREAKS for ch in value):
        raise HeaderError("must not contain a line break", field=field)
    if any(_is_control(ch) for ch in value):
        raise HeaderError("must not contain control characters", field=field)
    if "=?" in value:
        raise HeaderError("must not contain '=?' (an RFC 2047 encoded word)", field=field)
    return value


def neutralize_header(value: str) -> str:
    """``value`` made safe for a header without refusing it.

    Line breaks and other control characters become spaces, runs of
    whitespace become one space, and every ``=?`` becomes ``= ?`` so no
    encoded word can start. The result always passes :func:`check_header`.
    """
    text = " ".join("".join(" " if _is_control(ch) else ch for ch in value).split())
    # After this no "=" is followed by "?", so the replacement cannot create a new "=?".
    return text.replace("=?", "= ?")


def parse_address(value: AddressLike, *, field: str) -> Address:
    """One mailbox from ``"Name <user@example.com>"``, ``user@example.com`` or an
    :class:`~email.headerregistry.Address`.

    The display name may hold commas and quotes (``"Smith, Jo" <jo@example.com>``);
    it is quoted again as needed when the message is written. A text holding
    more than one address, a group, a malformed address or a non-ASCII
    address raises :class:`HeaderError` naming ``field``.
    """
    import email.policy
    from email.headerregistry import Address

    if isinstance(value, Address):
        for part in (value.display_name, value.username, value.domain):
            check_header(part, field=field)
        parsed = value
    elif isinstance(value, str):
        check_header(value, field=field)
        # Parsed as an address header whatever the field, so the name does not matter.
        try:
            header = email.policy.default.header_factory("To", value)
            addresses = header.addresses
            groups = header.groups
        except (IndexError, ValueError, TypeError, AttributeError):
            # The standard library's address parser fails this way on some
            # malformed input ("a@", a lone "<"); it is still just a bad address.
            raise HeaderError(f"{excerpt(value)} is not an email address", field=field) from None
        if header.defects or len(addresses) != 1 or groups[0].display_name is not None:
            raise HeaderError(
                f"{excerpt(value)} is not one email address (give a list for several)",
                field=field,
            )
        parsed = addresses[0]
    else:
        raise HeaderError(f"expected an address, not {type(value).__name__}", field=field)
    if not parsed.username or not parsed.domain:
        raise HeaderError(f"{excerpt(parsed.addr_spec)} is not an email address", field=field)
    if not parsed.addr_spec.isascii():
        raise HeaderError(
            f"{excerpt(parsed.addr_spec)}: non-ASCII addresses are not supported", field=field
        )
    return parsed


def check_headers(headers: Mapping[str, str]) -> list[tuple[str, str]]:
    """A caller's extra headers as checked ``(name, value)`` pairs, in order.

    A name must be an RFC 5322 field name and not one :func:`build_message`
    writes itself, and may not be given twice (in any case); a value must
    be text that passes :func:`check_header`. Each refusal is a
    :class:`HeaderError` whose field is ``headers.<Name>``.
    """
    if not isinstance(headers, Mapping):
        raise HeaderError(
            f"must map header names to values, not {type(headers).__name__}", field="headers"
        )
    checked: list[tuple[str, str]] = []
    seen: set[str] = set()
    for name, value in headers.items():
        field = f"headers.{name}"
        if not isinstance(name, str) or not _FIELD_NAME.fullmatch(name):
            raise HeaderError(
                "is not a header name (printable ASCII, no spaces or colons)", field=field
            )
        key = name.lower()
        if key in BUILT_HEADERS:
            raise HeaderError("is a header to_message writes itself", field=field)
        if key in seen:
            raise HeaderError("is given twice", field=field)
        seen.add(key)
        if not isinstance(value, str):
            raise HeaderError(f"must be text, not {type(value).__name__}", field=field)
        checked.append((name, check_header(value, field=field)))
    return checked


# The longest word a header may keep whole: RFC 5322 allows 998 bytes a line,
# and the header's name and folding need some of them.
_LONGEST_WORD = 900
_LINE_LIMIT = 998


def _plain(value: str) -> bool:
    """True when the standard library can write ``value`` as it is: ASCII, with
    no word too long to fit a line."""
    return value.isascii() and all(len(word) <= _LONGEST_WORD for word in value.split())


def _encoded(value: str, *, header: str) -> str:
    """``value`` as RFC 2047 encoded words, folded within 78 characters a line.

    Folding a long non-ASCII value, the standard library can put the space
    between two words outside the encoded words around it, where readers drop
    it, and it never breaks an ASCII word, however long. Encoded here, every
    space is inside an encoded word and any word may be split.
    """
    import email.header

    encoded = email.header.Header(value, "utf-8", header_name=header)
    return encoded.encode(linesep="\r\n")


def _encoded_name(name: str) -> str:
    """A display name as one encoded word while it fits a line.

    Readers join adjacent encoded words in a display name with a space
    (Python's own parser does), so a name split across several words reads
    back with stray spaces. One word longer than RFC 2047's 75 characters is
    what mail clients write and read in practice; only a name too long for
    one line (about 740 bytes of UTF-8) is folded into several.
    """
    word = f"=?utf-8?b?{base64.b64encode(name.encode()).decode('ascii')}?="
    if len("From: ") + len(word) <= _LINE_LIMIT:
        return word
    return _encoded(name, header="From")


def _sender(draft: MessageSource) -> Address:
    from email.headerregistry import Address

    name = check_header(draft.sender_name, field="from")
    mailbox = parse_address(draft.sender_email, field="from")
    return Address(display_name=name, username=mailbox.username, domain=mailbox.domain)


def build_message(
    draft: MessageSource,
    *,
    to: AddressLike | Sequence[AddressLike],
    from_: AddressLike | None,
    reply_to: AddressLike | None,
    headers: Mapping[str, str] | None = None,
) -> EmailMessage:
    """The draft as a ``multipart/alternative`` message; see
    :meth:`~crisiscomms.drafts.EmailDraft.to_message`."""
    import email.header
    import email.policy
    import email.utils
    from email.headerregistry import Address
    from email.message import EmailMessage

    items = [to] if isinstance(to, (str, Address)) else list(to)
    if not items:
        raise HeaderError("needs at least one recipient", field="to")
    recipients = [parse_address(item, field="to") for item in items]
    sender = _sender(draft) if from_ is None else parse_address(from_, field="from")
    reply = parse_address(draft.support_email if reply_to is None else reply_to, field="reply_to")
    subject = check_header(draft.subject, field="subject")
    extra = check_headers(headers or {})

    # Headers set raw here are already folded within 998 bytes a line; left
    # alone, the policy would fold a long encoded word again, into several.
    message = EmailMessage(policy=email.policy.SMTP.clone(refold_source="none"))
    if _plain(subject):
        message["Subject"] = subject
    else:
        message.set_raw("Subject", _encoded(subject, header="Subject"))
    if _plain(sender.display_name):
        message["From"] = sender
    else:
        name = _encoded_name(sender.display_name)
        message.set_raw("From", f"{name}\r\n <{sender.addr_spec}>")
    message["To"] = recipients
    message["Reply-To"] = reply
    message["Date"] = email.utils.format_datetime(email.utils.localtime())
    # Passing the domain keeps make_msgid from looking up this host's name.
    message["Message-ID"] = email.utils.make_msgid(domain=sender.domain)
    for name, value in extra:
        message[name] = value
    message.set_content(draft.text, subtype="plain", charset="utf-8")
    message.add_alternative(draft.html, subtype="html", charset="utf-8")
    return message
