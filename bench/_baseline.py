"""The baseline the email benchmarks compare against: premailer as published."""

from __future__ import annotations

from collections.abc import Callable

from crisiscomms.inlining import _PREMAILER_OPTIONS


def stock_premailer(page: str) -> Callable[[], object]:
    """premailer as published, inlining ``page`` with the options the email channel
    uses (its own parse cache on, as by default)."""
    import premailer

    def run() -> object:
        return premailer.Premailer(html=page, **_PREMAILER_OPTIONS).transform(pretty_print=False)

    return run
