"""SMS: one text message segment, GSM-7 where the wording allows, always with the link."""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterator, Mapping
from typing import ClassVar

import attrs

from crisiscomms import counting, fitting
from crisiscomms.channels.base import Context
from crisiscomms.channels.social import PostChannel
from crisiscomms.drafts import Draft
from crisiscomms.errors import FitError

__all__ = ["SmsChannel", "for_sms"]

_SCHEME = re.compile(r"^https?://", re.IGNORECASE)


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

    ``measure`` returns the number of segments, so ``limit`` is 1. The message is,
    in this order, the organisation and what happened (the ``short_headline``), the
    most urgent thing to do, where things stand, the apology, when the next update
    comes and the status link, fitted with :func:`crisiscomms.fitting.fit_post`. The
    organisation, the event, the urgent action and the link are required: the
    headline is shortened at a word before any of them is dropped, so no message
    goes out without the organisation and the event, in GSM-7 or UCS-2. A message
    whose required parts cannot fit even so raises
    :class:`~crisiscomms.errors.FitError`.

    ``draft.metadata`` records the ``encoding`` (``"gsm7"`` or ``"ucs2"``) and the
    ``units`` used (septets or UTF-16 code units).
    """

    name = "sms"
    network = "sms"
    limit = 1
    unit = "segments"
    counting = "SMS segments: 160 GSM-7 septets (extension characters 2) or 70 UCS-2 units"
    required: ClassVar[frozenset[str]] = frozenset({"lead", "urgent", "status"})
    # Lower goes first: the apology (the severity calls for one, or the block is
    # empty) outranks where things stand, which the lead's stage already says;
    # the next update's time goes first.
    priorities: ClassVar[Mapping[str, int]] = {
        "lead": 10,
        "urgent": 9,
        "apology": 8,
        "progress": 7,
        "next_update": 6,
    }
    #: Required sections that may be shortened at a word, as a last resort.
    shortenable: ClassVar[frozenset[str]] = frozenset({"lead"})

    def measure(self, text: str) -> int:
        return counting.sms_segments(text)

    def sections(self, context: Context) -> list[fitting.Section]:
        # One line per section: a blank line costs a character a message cannot spare.
        return [
            attrs.evolve(
                section,
                separator="\n",
                shorten=section.name in self.shortenable,
                # A cut-short apology, action or time misleads: kept whole or left out.
                whole=section.name not in self.shortenable,
            )
            for section in super().sections(context)
        ]

    def compose_text(self, context: Context) -> str:
        sections = self.sections(context)
        names = ("act_now", "short_apology", "short_status")
        stand_ins = {s.name: s.text for s in sections if s.name in names and s.text.strip()}
        sections = [section for section in sections if section.name not in names]
        failure: FitError | None = None
        for attempt in _fallbacks(sections, stand_ins):
            try:
                fitted = self._fit(attempt)
            except FitError as error:
                failure = error
                continue
            sections = attempt
            break
        else:
            assert failure is not None  # at least the sections as written were tried
            raise FitError(
                f"{failure.reason} (one text message holds 160 characters, or 70 when it"
                " holds letters outside GSM-7, as Japanese does); give a shorter"
                " short_headline or status_url, or leave sms out with --channel",
                channel=failure.channel,
                limit=failure.limit,
                measured=failure.measured,
                unit=failure.unit,
            ) from None
        apology = next((s for s in sections if s.name == "apology"), None)
        short = stand_ins.get("short_apology")
        if apology and apology.text.strip() and short and apology.text.strip() not in fitted:
            # The voice's own apology does not fit: a short one, rather than none.
            with contextlib.suppress(FitError):  # the short one may not fit either
                fitted = self._fit(_swapped(sections, "apology", short))
        return for_sms(fitted)

    def _fit(self, sections: list[fitting.Section]) -> str:
        return fitting.fit_post(
            sections,
            limit=self.limit,
            measure=_segments_as_sent,
            channel=self.name,
            unit=self.unit,
        )

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


def _fallbacks(
    sections: list[fitting.Section], stand_ins: Mapping[str, str]
) -> Iterator[list[fitting.Section]]:
    """The sections as written, then with each stand-in in turn while they do not fit:
    the urgent action's (say that action is needed, and where), then the shorter
    link, and last that link without its scheme, which phones still open (a message
    in UCS-2, as Japanese is sent, holds 70 characters; a link may take 60)."""
    yield sections
    for stand_in, replaced in (("act_now", "urgent"), ("short_status", "status")):
        if stand_in in stand_ins:
            sections = _swapped(sections, replaced, stand_ins[stand_in])
            yield sections
    link = next((s.text.strip() for s in sections if s.name == "status"), "")
    if _SCHEME.match(link):
        yield _swapped(sections, "status", _SCHEME.sub("", link))


def _swapped(sections: list[fitting.Section], name: str, text: str) -> list[fitting.Section]:
    """``sections`` with section ``name``'s text replaced by ``text``."""
    return [attrs.evolve(s, text=text) if s.name == name else s for s in sections]
