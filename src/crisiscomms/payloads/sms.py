"""SMS: the message body, ready for an SMS provider's send call.

Providers name the field differently (``Body``, ``text``, ``message``), so
the payload is provider-neutral:

``body``
    The message, as drafted: one segment (160 GSM-7 septets, or 70 UCS-2
    units when a character needs UCS-2), with the status link.
``encoding``
    ``gsm7`` or ``ucs2``: the encoding the message fits one segment in.
``segments``
    How many segments the message takes (1).

Add the recipient and sender your provider asks for.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from crisiscomms import counting

if TYPE_CHECKING:
    from crisiscomms.drafts import Draft

__all__ = ["build"]


def build(draft: Draft) -> dict[str, Any]:
    """The message body, its encoding and its segment count."""
    text = draft.parts[0]
    return {
        "body": text,
        "encoding": counting.sms_encoding(text),
        "segments": counting.sms_segments(text),
    }
