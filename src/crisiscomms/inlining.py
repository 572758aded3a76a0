"""Moving an email's CSS into ``style`` attributes, without touching the network.

Two inliners are offered: premailer (the default, pure Python) and
css-inline (the ``fast`` extra, compiled). Whichever runs, the HTML's own
``<style>`` elements are the only CSS read:

- ``<link rel="stylesheet">`` is never followed: premailer runs with
  ``allow_network=False`` and ``allow_loading_external_files=False``;
  css-inline with ``load_remote_stylesheets=False`` (which also stops it
  reading local files; left on, it reads ``href="x.css"`` from the current
  folder) and no ``base_url``.
- ``@import`` inside a ``<style>`` is not followed either. premailer's
  ``allow_network`` does not cover it: cssutils, which parses the CSS for
  premailer, fetches imports with urllib (no timeout) and reads ``file:``
  URLs, so the CSS is parsed here with a fetcher that refuses every URL.

premailer's ``cssutils_logging_handler`` and ``cssutils_logging_level``
options are not used: they add a handler to, and set the level of, the
process-wide ``CSSUTILS`` logger for good. Instead, for the length of one
call, a filter on that logger drops the records logged by the calling
thread; the filter is removed afterwards, so the caller's logging
configuration is as it was, and other threads' cssutils messages pass.
"""

from __future__ import annotations

import contextlib
import functools
import threading
from collections.abc import Iterator, Mapping
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, Literal

from crisiscomms.errors import UnknownNameError

if TYPE_CHECKING:
    import logging

__all__ = ["INLINERS", "Inliner", "check_inliner", "inline_css"]

Inliner = Literal["premailer", "css-inline"]
INLINERS: tuple[str, ...] = ("premailer", "css-inline")

_FAST_EXTRA = "the css-inline inliner needs the 'fast' extra (pip install 'crisiscomms[fast]')"


class _DropThread:
    """A logging filter that drops the records one thread logs; every other
    thread's records pass. (Any object with a ``filter`` method is a filter, so
    logging is only imported once cssutils is.)

    A record without a thread id (``logging.logThreads`` off) cannot be told
    apart, so it is dropped too: quiet drafting is the point of the filter.
    """

    def __init__(self, thread: int) -> None:
        self.thread = thread

    def filter(self, record: logging.LogRecord) -> bool:
        return record.thread is not None and record.thread != self.thread


def _cssutils_logger() -> logging.Logger:
    import logging

    import cssutils

    # cssutils logs through ``cssutils.log``, a wrapper around a Logger
    # (``CSSUTILS`` unless a program swapped it with ``cssutils.log.setLog``).
    logger = getattr(cssutils.log, "_log", None)
    return logger if isinstance(logger, logging.Logger) else logging.getLogger("CSSUTILS")


@contextlib.contextmanager
def quiet_cssutils() -> Iterator[None]:
    """Silence cssutils' parse messages from this thread, for the ``with`` block only."""
    logger = _cssutils_logger()
    quiet = _DropThread(threading.get_ident())
    logger.addFilter(quiet)
    try:
        yield
    finally:
        logger.removeFilter(quiet)


def _refuse_fetch(url: str) -> None:
    """A cssutils fetcher that fetches nothing: ``@import`` stays unresolved."""


@functools.lru_cache(maxsize=64)
def _parse_css(css: str, validate: bool) -> Any:
    import cssutils

    # The parsed sheet is only read by premailer, so sharing it between calls is safe
    # (premailer caches the same way).
    parser = cssutils.CSSParser(fetcher=_refuse_fetch, validate=validate)
    return parser.parseString(css)


# What decides how premailer turns a stylesheet into rules, besides the CSS itself.
_RULE_OPTIONS = ("strip_important", "exclude_pseudoclasses", "include_star_selectors")


@functools.lru_cache(maxsize=64)
def _style_rules(
    css_body: str, ruleset_index: int, options: tuple[tuple[str, Any], ...]
) -> tuple[tuple[Any, ...], tuple[Any, ...]]:
    """premailer's rules for one stylesheet, serialised once per stylesheet text.

    premailer caches the parsed sheet but re-serialises every property through cssutils
    on each call, which is most of its time; a template set's stylesheet never changes,
    so the result is shared. It is immutable (tuples of strings, and the media rules,
    which are only read while ``keep_style_tags`` is on), so threads can share it.
    """
    transformer = _premailer_class()(
        html="", disable_validation=True, keep_style_tags=True, **dict(options)
    )
    rules, leftover = _base_parse_style_rules(transformer, css_body, ruleset_index)
    return tuple(rules), tuple(leftover)


def _base_parse_style_rules(transformer: Any, css_body: str, ruleset_index: int) -> Any:
    import premailer

    return premailer.Premailer._parse_style_rules(transformer, css_body, ruleset_index)


@functools.cache
def _premailer_class() -> type[Any]:
    import premailer

    class OfflinePremailer(premailer.Premailer):  # type: ignore[misc]
        """premailer with a CSS parser that never fetches an ``@import``, and each
        stylesheet's rules serialised once (see :func:`_style_rules`)."""

        def _parse_css_string(self, css_body: str, validate: bool = True) -> Any:
            return _parse_css(css_body, validate)

        def _parse_style_rules(self, css_body: str, ruleset_index: int) -> Any:
            if not self.keep_style_tags or not self.disable_validation or not css_body:
                # Without kept style tags premailer rewrites the media rules it is
                # given, so they cannot be shared.
                return super()._parse_style_rules(css_body, ruleset_index)
            options = tuple((name, getattr(self, name)) for name in _RULE_OPTIONS)
            rules, leftover = _style_rules(css_body, ruleset_index, options)
            return list(rules), list(leftover)

    return OfflinePremailer


# The options the email passes premailer; the tests and benchmarks give premailer as
# published the same ones, so what they compare differs only in the rules memo.
_PREMAILER_OPTIONS: Mapping[str, object] = MappingProxyType(
    {
        "base_url": None,
        "allow_network": False,
        "allow_loading_external_files": False,
        "external_styles": None,
        # By default premailer strips ``!important`` from the rules it keeps in
        # <style>, so the small-screen and dark-mode rules would lose to the
        # inlined styles.
        "strip_important": False,
        "keep_style_tags": True,
        "disable_validation": True,
    }
)


def _premailer(html: str) -> str:
    transformer = _premailer_class()(html=html, **_PREMAILER_OPTIONS)
    with quiet_cssutils():
        return str(transformer.transform(pretty_print=False))


def _css_inline(html: str) -> str:
    import css_inline  # inline_css has checked it is installed

    inliner = css_inline.CSSInliner(
        load_remote_stylesheets=False,
        base_url=None,
        keep_style_tags=True,
        keep_link_tags=False,
        cache=None,
    )
    return str(inliner.inline(html))


def check_inliner(inliner: str) -> str:
    """Return ``inliner`` if it is known and installed, else raise :class:`UnknownNameError`."""
    if inliner not in INLINERS:
        raise UnknownNameError(
            f"unknown inliner {inliner!r}", kind="inliner", name=inliner, known=INLINERS
        )
    if inliner == "css-inline":
        try:
            import css_inline  # noqa: F401
        except ImportError:
            raise UnknownNameError(_FAST_EXTRA, kind="inliner", name=inliner) from None
    return inliner


def inline_css(html: str, *, inliner: str = "premailer") -> str:
    """Inline the ``<style>`` rules of ``html`` into its elements' ``style`` attributes.

    ``inliner`` is ``"premailer"`` (the default) or ``"css-inline"`` (the
    ``fast`` extra). The ``<style>`` element stays, for the media queries
    (small screens, dark mode) that cannot be inlined. No stylesheet is
    fetched or read, whether linked or imported.

    Raises:
        UnknownNameError: ``inliner`` is not known, or css-inline is not installed.
    """
    check_inliner(inliner)
    if inliner == "css-inline":
        return _css_inline(html)
    return _premailer(html)
