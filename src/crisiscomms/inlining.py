"""Moving an email's CSS into ``style`` attributes, without touching the network.

Two inliners are offered: premailer (the default, pure Python) and
css-inline (the ``fast`` extra). Both run with remote and local stylesheet
loading switched off, so a template that links a stylesheet cannot make the
library fetch or read anything.
"""

from __future__ import annotations

import logging
from typing import Literal

from crisiscomms.errors import UnknownNameError

__all__ = ["INLINERS", "inline_css"]

Inliner = Literal["premailer", "css-inline"]
INLINERS: tuple[str, ...] = ("premailer", "css-inline")


class _Quiet(logging.Handler):
    """A handler that swallows cssutils' parse warnings for one call."""

    def emit(self, record: logging.LogRecord) -> None:
        pass


def _premailer(html: str) -> str:
    import premailer

    # premailer hands these to cssutils' own logger only, so the caller's
    # logging configuration is left as it was.
    transformer = premailer.Premailer(
        html=html,
        allow_network=False,
        allow_loading_external_files=False,
        strip_important=False,
        keep_style_tags=True,
        disable_validation=True,
        cssutils_logging_handler=_Quiet(),
        cssutils_logging_level=logging.CRITICAL,
    )
    return str(transformer.transform(pretty_print=False))


def _css_inline(html: str) -> str:
    try:
        import css_inline
    except ImportError:
        raise UnknownNameError(
            "the css-inline inliner needs the 'fast' extra (pip install 'crisiscomms[fast]')",
            kind="inliner",
            name="css-inline",
        ) from None
    inliner = css_inline.CSSInliner(
        load_remote_stylesheets=False,
        keep_style_tags=True,
    )
    return str(inliner.inline(html))


def inline_css(html: str, *, inliner: str = "premailer") -> str:
    """Inline the ``<style>`` rules of ``html`` into its elements' ``style`` attributes.

    The ``<style>`` element stays for the media queries (small screens, dark
    mode) that cannot be inlined.
    """
    if inliner == "premailer":
        return _premailer(html)
    if inliner == "css-inline":
        return _css_inline(html)
    raise UnknownNameError(f"unknown inliner {inliner!r}", kind="inliner", name=inliner, known=INLINERS)
