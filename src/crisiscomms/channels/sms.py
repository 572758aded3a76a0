"""SMS: one text message segment, GSM-7 where the wording allows, always with the link."""

from __future__ import annotations

from collections.abc import Mapping
from typing import ClassVar

import attrs

from crisiscomms import counting, fitting
from crisiscomms.channels.base import Context
from crisiscomms.channels.social import PostChannel
from crisiscomms.drafts import Draft

__all__ = ["SmsChannel", "for_sms"]


def for_sms(text: str) -> str:
    """``text`` as it should be sent: with curly quotes, dashes, ellipses and special
    spaces replaced by their GSM-7 equivalents when that makes the whole text GSM-7
    (160 characters a segment instead of 70); unchanged otherwise, since UCS-2 carries
    the typographic characters at no extra cost."""
    plain = counting.to_gsm7(text)
    return plain if counting.sms_encoding(plain) == "gsm7" else text


def _segments_as_sent(text: str) -> int:
    return counting.sms_segments(for_sms(text))


class SmsChannel(PostChannel):
    """A text message of one segment: 160 GSM-7 septets (extension characters such as
    ``€`` or ``[`` cost two) or, when any character needs it, 70 UCS-2 units.

    ``measure`` returns the number of segments, so ``limit`` is 1. The message is the
    headline, the apology, when the next update comes, and the status link, fitted
    with :func:`crisiscomms.fitting.fit_post`: lower-priority sections go first and
    only the link is required. A status link too long for one segment on its own
    raises :class:`~crisiscomms.errors.FitError`.

    ``draft.metadata`` records the ``encoding`` (``"gsm7"`` or ``"ucs2"``) and the
    ``units`` used (septets or UTF-16 code units).
    """

    name = "sms"
    network = "sms"
    limit = 1
    unit = "segments"
    counting = "SMS segments: 160 GSM-7 septets (extension characters 2) or 70 UCS-2 units"
    required: ClassVar[frozenset[str]] = frozenset({"status"})
    # A cut-short headline still reads; a cut-short time or apology misleads. The
    # section dropped last is the one fit_post shortens, so the headline goes before
    # the apology, the next update and the progress line (the sender goes first).
    priorities: ClassVar[Mapping[str, int]] = {
        "apology": 9,
        "next_update": 8,
        "progress": 8,
        "headline": 5,
        "sender": 1,
    }

    def measure(self, text: str) -> int:
        return counting.sms_segments(text)

    def sections(self, context: Context) -> list[fitting.Section]:
        # One line per section (a blank line costs a character a message cannot
        # spare); the headline follows the sender on the same line.
        return [
            attrs.evolve(section, separator=" " if section.name == "headline" else "\n")
            for section in super().sections(context)
        ]

    def compose_text(self, context: Context) -> str:
        fitted = fitting.fit_post(
            self.sections(context),
            limit=self.limit,
            measure=_segments_as_sent,
            channel=self.name,
            unit=self.unit,
        )
        return for_sms(fitted)

    def draft(self, context: Context) -> Draft:
        text = self.compose_text(context)
        return self.make_draft(
            context,
            (text,),
            metadata={
                "encoding": counting.sms_encoding(text),
                "units": counting.sms_units(text),
            },
        )
