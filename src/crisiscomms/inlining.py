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
call, a filter on that logger takes the records logged by the calling
thread; the filter is removed afterwards, so the caller's logging
configuration is as it was, and other threads' cssutils messages pass.

What the filter takes is not thrown away: :func:`inline_css_report` turns
each declaration or rule the parser could not read (and so premailer did
not inline) into a :class:`DroppedCSS`, which the email draft reports as
an ``email.css-dropped`` warning. css-inline reports nothing it drops.
"""

from __future__ import annotations

import contextlib
import functools
import re
import sys
import threading
import types
from collections.abc import Iterable, Iterator, Mapping
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, Literal

import attrs

from crisiscomms.errors import UnknownNameError

if TYPE_CHECKING:
    import logging

__all__ = [
    "INLINERS",
    "DroppedCSS",
    "Inlined",
    "Inliner",
    "check_inliner",
    "dropped_css",
    "inline_css",
    "inline_css_report",
]

Inliner = Literal["premailer", "css-inline"]
INLINERS: tuple[str, ...] = ("premailer", "css-inline")

_FAST_EXTRA = "the css-inline inliner needs the 'fast' extra (pip install 'crisiscomms[fast]')"


@attrs.frozen(kw_only=True)
class DroppedCSS:
    """A CSS declaration or rule the inliner could not use.

    ``what`` is the property (``color``) or the rule (``@supports``);
    ``text`` the CSS as written; ``reason`` why it was not inlined.
    """

    what: str
    text: str
    reason: str


@attrs.frozen(kw_only=True)
class Inlined:
    """The inlined HTML and what the inliner dropped on the way."""

    html: str
    dropped: tuple[DroppedCSS, ...] = ()


class _DropThread:
    """A logging filter that takes the records one thread logs (keeping their
    level and message in ``records``); every other thread's records pass. (Any
    object with a ``filter`` method is a filter, so logging is only imported
    once cssutils is.)

    A record without a thread id (``logging.logThreads`` off) cannot be told
    apart, so it is dropped too, unkept: quiet drafting is the point of the filter.
    """

    def __init__(self, thread: int) -> None:
        self.thread = thread
        self.records: list[tuple[int, str]] = []

    def filter(self, record: logging.LogRecord) -> bool:
        if record.thread == self.thread:
            self.records.append((record.levelno, record.getMessage()))
        return record.thread is not None and record.thread != self.thread


def _cssutils_logger() -> logging.Logger:
    import logging

    import cssutils

    # cssutils logs through ``cssutils.log``, a wrapper around a Logger
    # (``CSSUTILS`` unless a program swapped it with ``cssutils.log.setLog``).
    logger = getattr(cssutils.log, "_log", None)
    return logger if isinstance(logger, logging.Logger) else logging.getLogger("CSSUTILS")


@contextlib.contextmanager
def quiet_cssutils() -> Iterator[list[tuple[int, str]]]:
    """Silence cssutils' parse messages from this thread, for the ``with`` block only.

    Yields the list the silenced records' ``(level, message)`` are added to.
    """
    logger = _cssutils_logger()
    quiet = _DropThread(threading.get_ident())
    logger.addFilter(quiet)
    try:
        yield quiet.records
    finally:
        logger.removeFilter(quiet)


def _taken_here() -> list[tuple[int, str]] | None:
    """The records list of this thread's active :func:`quiet_cssutils`, if any."""
    me = threading.get_ident()
    for found in _cssutils_logger().filters:
        if isinstance(found, _DropThread) and found.thread == me:
            return found.records
    return None


def _refuse_fetch(url: str) -> None:
    """A cssutils fetcher that fetches nothing: ``@import`` stays unresolved."""


@functools.lru_cache(maxsize=64)
def _parse_css(css: str, validate: bool) -> tuple[Any, tuple[tuple[int, str], ...]]:
    """The parsed sheet and the messages cssutils logged parsing it.

    Both are cached together, so a second draft with the same CSS reports
    what the first did although cssutils logs nothing the second time.
    """
    import cssutils

    # The parsed sheet is only read by premailer, so sharing it between calls is safe
    # (premailer caches the same way).
    parser = cssutils.CSSParser(fetcher=_refuse_fetch, validate=validate)
    taken = _taken_here()
    before = len(taken) if taken is not None else 0
    sheet = parser.parseString(css)
    return sheet, tuple(taken[before:]) if taken is not None else ()


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


class _RequestsOnDemand(types.ModuleType):
    """Stands in for ``requests`` in premailer's module, importing it on first use.

    premailer imports ``requests`` only to fetch external stylesheets, which
    this library never lets it do (``allow_network=False``); importing it, with
    the character-set detection it brings, is most of premailer's import time.
    """

    def __getattr__(self, name: str) -> Any:
        import importlib

        return getattr(importlib.import_module("requests"), name)


def _import_premailer() -> Any:
    """``import premailer``, with ``requests`` loaded only if premailer ever uses it.

    The stand-in is in ``sys.modules`` only while premailer is imported: any
    other ``import requests`` (the caller's own, later) gets the real module.
    """
    if "premailer" in sys.modules or "requests" in sys.modules:
        import premailer

        return premailer
    stand_in = _RequestsOnDemand("requests")
    sys.modules["requests"] = stand_in
    try:
        import premailer
    finally:
        if sys.modules.get("requests") is stand_in:
            del sys.modules["requests"]
    return premailer


@functools.cache
def _premailer_class() -> type[Any]:
    base: Any = _import_premailer().Premailer

    class OfflinePremailer(base):  # type: ignore[misc]
        """premailer with a CSS parser that never fetches an ``@import``, and each
        stylesheet's rules serialised once (see :func:`_style_rules`)."""

        def _parse_css_string(self, css_body: str, validate: bool = True) -> Any:
            sheet, messages = _parse_css(css_body, validate)
            self.css_messages = [*getattr(self, "css_messages", []), *messages]
            return sheet

        def _parse_style_rules(self, css_body: str, ruleset_index: int) -> Any:
            if not self.keep_style_tags or not self.disable_validation or not css_body:
                # Without kept style tags premailer rewrites the media rules it is
                # given, so they cannot be shared.
                return super()._parse_style_rules(css_body, ruleset_index)
            options = tuple((name, getattr(self, name)) for name in _RULE_OPTIONS)
            rules, leftover = _style_rules(css_body, ruleset_index, options)
            # The shared rules were parsed by another transformer, or not this time at
            # all: what the parse logged comes from the parse's own cache.
            _, messages = _parse_css(css_body, not self.disable_validation)
            self.css_messages = [*getattr(self, "css_messages", []), *messages]
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


def _premailer(html: str) -> Inlined:
    transformer = _premailer_class()(html=html, **_PREMAILER_OPTIONS)
    with quiet_cssutils():
        inlined = str(transformer.transform(pretty_print=False))
    return Inlined(html=inlined, dropped=dropped_css(getattr(transformer, "css_messages", [])))


# cssutils' messages, read for what was dropped. Those naming a declaration
# or a rule stand for it; the detail messages logged beside them are left out.
_DECLARATION = re.compile(r"^CSSStyleDeclaration: Syntax Error in Property: (?P<text>.+)$", re.S)
_AT_RULE = re.compile(r"^CSSStylesheet: Unknown @rule found\. \[[\d:]+: (?P<text>@[\w-]+)\]$")
_SKIPPED = re.compile(
    r"^CSSStyleDeclaration: Unexpected token, ignoring upto '(?P<text>.*)'\. \[[\d:]+: .*\]$",
    re.S,
)
_SELECTOR = re.compile(r"^SelectorList: Invalid Selector: (?P<text>.+)$", re.S)
_IMPORT = re.compile(r"^CSSImportRule: While processing imported style sheet href=(?P<text>[^:]+):")


def dropped_css(messages: Iterable[tuple[int, str]]) -> tuple[DroppedCSS, ...]:
    """What cssutils' ``(level, message)`` records say was dropped, each once, in order.

    Only the messages that name a declaration, a rule or a selector count;
    the detail messages cssutils logs beside them say the same thing again.
    """
    found: dict[DroppedCSS, None] = {}
    for level, message in messages:
        if level < 30:  # logging.WARNING; logging itself is not imported here
            continue
        if match := _DECLARATION.match(message):
            text = " ".join(match["text"].split())
            name = text.partition(":")[0].strip() or text
            reason = "the CSS parser cannot read its value, so it is not inlined"
            found[DroppedCSS(what=name, text=text, reason=reason)] = None
        elif match := _AT_RULE.match(message):
            reason = "the CSS parser does not know this rule; it stays in <style>, not inlined"
            found[DroppedCSS(what=match["text"], text=match["text"], reason=reason)] = None
        elif match := _SELECTOR.match(message):
            text = " ".join(match["text"].split())
            reason = "the CSS parser cannot read the selector, so its rule is not inlined"
            found[DroppedCSS(what=text, text=text, reason=reason)] = None
        elif match := _SKIPPED.match(message):
            text = " ".join(match["text"].split())
            reason = "a syntax error: the CSS up to here is skipped"
            found[DroppedCSS(what=text[:40], text=text, reason=reason)] = None
        elif match := _IMPORT.match(message):
            reason = "imported style sheets are never fetched"
            found[DroppedCSS(what="@import", text=match["text"], reason=reason)] = None
    return tuple(found)


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


def inline_css_report(html: str, *, inliner: str = "premailer") -> Inlined:
    """:func:`inline_css`, also saying what CSS the inliner dropped."""
    check_inliner(inliner)
    if inliner == "css-inline":
        return Inlined(html=_css_inline(html))
    return _premailer(html)


def inline_css(html: str, *, inliner: str = "premailer") -> str:
    """Inline the ``<style>`` rules of ``html`` into its elements' ``style`` attributes.

    ``inliner`` is ``"premailer"`` (the default) or ``"css-inline"`` (the
    ``fast`` extra). The ``<style>`` element stays, for the media queries
    (small screens, dark mode) that cannot be inlined. No stylesheet is
    fetched or read, whether linked or imported.

    Raises:
        UnknownNameError: ``inliner`` is not known, or css-inline is not installed.
    """
    return inline_css_report(html, inliner=inliner).html
