"""Where URLs are: twitter-text's URL grammar, as X links them.

:func:`x_url_spans` finds what X links; Mastodon reuses the same grammar with wider path
and query characters (see :mod:`crisiscomms.counting.mastodon`). The top-level domains
come from ``data/tlds-generic.txt`` and ``data/tlds-country.txt``; the patterns holding
them are compiled on first use, not at import.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from typing import Any

from crisiscomms.counting import _data
from crisiscomms.counting.units import utf16_length

__all__ = ["url_entities", "url_grammar", "url_matches", "x_url_spans"]

# Character groups of twitter-text's URL grammar, as regular-expression class bodies.
_SPACES = "\t-\r \x85\xa0\u1680\u180e\u2000-\u200a\u2028\u2029\u202f\u205f\u3000"
_INVALID = "\ufffe\ufeff\uffff"
_DIRECTIONAL = "\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"
# ASCII punctuation that may not appear in a domain label; '"' and '`' are not in it.
_PUNCT = r"!#$%&'()*+,\-./:;<=>?@\[\\\]^_{|}~"
_LATIN_ACCENTS = (
    "\xc0-\xd6\xd8-\xf6\xf8-\xff\u0100-\u024f\u0253\u0254\u0256\u0257\u0259\u025b"
    "\u0263\u0268\u026f\u0272\u0289\u028b\u02bb\u0300-\u036f\u1e00-\u1eff"
)
_CYRILLIC = "\u0400-\u04ff"


def _names_alternation(names: tuple[str, ...]) -> str:
    """A regular expression matching any of ``names``, written as a trie.

    At each node the longer continuations are tried before stopping, so, as with
    twitter-text's longest-first lists, the first name that matches is the longest; and
    the engine walks one branch per character instead of trying every name in turn.
    """
    trie: dict[str, Any] = {}
    for name in names:
        node = trie
        for char in name:
            node = node.setdefault(char, {})
        node[""] = {}
    return _trie_pattern(trie)


def _trie_pattern(node: dict[str, Any]) -> str:
    branches = [
        re.escape(char) + _trie_pattern(child) for char, child in sorted(node.items()) if char
    ]
    if "" in node:
        branches.append("")
    if len(branches) == 1:
        return branches[0]
    return "(?:" + "|".join(branches) + ")"


def url_grammar(path_char: str, path_end_char: str, query_char: str, query_end: str) -> str:
    """twitter-text's URL expression with the given path and query character classes."""
    # Same shape as twitter-text's extractUrl: preceding character, optional scheme, host,
    # optional port, path (with up to two levels of balanced parentheses), query.
    parens = f"\\((?:{path_char}+|{path_char}*\\({path_char}+\\){path_char}*)\\)"
    path = f"(?:{path_char}*(?:{parens}{path_char}*)*(?:{path_end_char}|{parens})|@{path_char}+/)"
    preceding = f"(?:[^A-Za-z0-9@\uff20$#\uff03{_INVALID}]|^)"
    return (
        f"({preceding})"  # 1: the character before the URL
        f"((https?://)?"  # 2: the URL; 3: its scheme
        f"({_domain()})"  # 4: the host
        r"(?::[0-9]+)?"
        f"(/{path}*)?"  # 5: the path
        f"(?:\\?{query_char}*{query_end})?)"
    )


_DOMAIN_CHAR = f"[^{_PUNCT}{_SPACES}{_INVALID}{_DIRECTIONAL}]"
_TLD_END = r"(?=[^0-9a-zA-Z@+\-]|$)"


@functools.cache
def _tld() -> str:
    # Every top-level domain, read from the data files when a URL pattern is first built.
    return (
        f"(?:(?:{_names_alternation(_data.entries('tlds-generic.txt'))}){_TLD_END}"
        f"|(?:{_names_alternation(_data.entries('tlds-country.txt'))}){_TLD_END}"
        r"|xn--[0-9a-z\-]+)"
    )


def _domain() -> str:
    return (
        f"(?:(?:{_DOMAIN_CHAR}(?:[_\\-]|{_DOMAIN_CHAR})*)?{_DOMAIN_CHAR}\\.)*"
        f"(?:(?:{_DOMAIN_CHAR}(?:-|{_DOMAIN_CHAR})*)?{_DOMAIN_CHAR}\\.){_tld()}"
    )


_QUERY_CHAR = r"[a-z0-9!?*'@();:&=+$/%#\[\]\-_.,~|]"
_QUERY_END = r"[a-z0-9\-_&=#/]"


# The URL patterns hold every top-level domain: compiled on first use, not at import.
@functools.cache
def _url_pattern() -> re.Pattern[str]:
    return re.compile(
        url_grammar(
            f"[a-z{_CYRILLIC}0-9!*';:=+,.$/%#\\[\\]\\-\u2013_~@|&{_LATIN_ACCENTS}]",
            f"[+\\-a-z{_CYRILLIC}0-9=_#/{_LATIN_ACCENTS}]",
            _QUERY_CHAR,
            _QUERY_END,
        ),
        re.IGNORECASE,
    )


@functools.cache
def _ascii_domain() -> re.Pattern[str]:
    return re.compile(f"(?:[\\-a-z0-9{_LATIN_ACCENTS}]+\\.)+{_tld()}", re.IGNORECASE)


_TCO_URL = re.compile(
    f"^https?://t\\.co/([a-z0-9]+)(?:\\?{_QUERY_CHAR}*{_QUERY_END})?", re.IGNORECASE
)
# Mastodon widens twitter-text's path and query characters (config/initializers/


# Whitespace-delimited tokens holding a dot followed by two more characters (a TLD has at
# least two): the only places a URL can be. Scanning just
# these keeps the (slow) URL grammar off the rest of the text.
_DOTTED_TOKEN = re.compile(f"(?<![^{_SPACES}])[^{_SPACES}]*?\\.[^{_SPACES}.]{{2}}[^{_SPACES}]*")
# Python's case-insensitive matching also equates these four with ASCII letters, which
# JavaScript's does not; they are swapped for look-alikes from the same URL classes.
_FOLD_TRAPS = re.compile("[\u0130\u0131\u017f\u212a]")
_FOLD_TRAP_SWAP = str.maketrans("\u0130\u0131\u017f\u212a", "\u0101\u0101\u0101\u2603")
_SCHEMELESS_BAD_BEFORE = frozenset("-_./")
_MAX_URL_LENGTH = 4096
_MAX_TCO_SLUG_LENGTH = 40
_MAX_LABEL_LENGTH = 63


def _label_lengths_ok(labels: list[str]) -> bool:
    return all(1 <= len(label) <= _MAX_LABEL_LENGTH for label in labels)


def _idna_verdicts(domain: str) -> tuple[int | None, int | None]:
    """ASCII length of ``domain`` under twitter-text's JS rule and under IDNA 2003.

    ``None`` means that rule rejects the domain. The JS rule punycodes each label without
    normalising it and keeps the original length; Java's and Python's twitter-text run
    IDNA 2003 (nameprep) and use the encoded length.
    """
    if domain.isascii():
        ok = _label_lengths_ok(domain.split("."))
        if ok and domain.startswith("xn--") and not _ascii_domain().search(domain):
            return None, len(domain)
        return (len(domain), len(domain)) if ok else (None, None)
    js: int | None = len(domain)
    if domain.startswith("xn--") and not _ascii_domain().search(domain):
        js = None
    else:
        encoded = [
            label if label.isascii() else "xn--" + label.encode("punycode").decode("ascii")
            for label in domain.split(".")
        ]
        if not _label_lengths_ok(encoded):
            js = None
    try:
        idna2003: int | None = len(domain.encode("idna"))
    except UnicodeError:
        idna2003 = None
    return js, idna2003


def url_entities(text: str) -> list[tuple[int, int, int, bool]]:
    """URL entities of ``text`` as ``(start, end, skipped, certain)``.

    ``skipped`` is how many UTF-16 units twitter-text's counter jumps over (it can fall
    short of the span for schemeless URLs); ``certain`` is False where twitter-text's
    implementations disagree about linking it.
    """
    if "." not in text:
        return []
    entities: list[tuple[int, int, int, bool]] = []
    for match in url_matches(_url_pattern(), text):
        _add_url_entities(match, entities)
    return entities


def url_matches(pattern: re.Pattern[str], text: str) -> Iterator[re.Match[str]]:
    """The matches of a URL grammar in ``text``, tried only around tokens with a dot.

    Characters whose case folding would fool the grammar are swapped first, one
    for one, so the spans are the text's.
    """
    if not text.isascii() and _FOLD_TRAPS.search(text):
        text = text.translate(_FOLD_TRAP_SWAP)
    for token in _DOTTED_TOKEN.finditer(text):
        begin = token.start()
        yield from pattern.finditer(text, begin - 1 if begin else 0, token.end())


def _add_url_entities(match: re.Match[str], out: list[tuple[int, int, int, bool]]) -> None:
    before, url, scheme, domain, path = match.group(1, 2, 3, 4, 5)
    start, end = match.span(2)
    js, idna2003 = _idna_verdicts(domain)
    base = utf16_length(url) + len(scheme or "https://")
    js_ok = js is not None and base <= _MAX_URL_LENGTH
    idna_ok = idna2003 is not None and base + idna2003 - len(domain) <= _MAX_URL_LENGTH
    if not (js_ok or idna_ok):
        return
    certain = js_ok and idna_ok
    if scheme:
        tco = _TCO_URL.match(url)
        if tco:
            if len(tco.group(1)) > _MAX_TCO_SLUG_LENGTH:
                return
            end = start + tco.end()
        out.append((start, end, end - start, certain))
        return
    if before and before[-1] in _SCHEMELESS_BAD_BEFORE:
        return
    found = [(start + m.start(), start + m.end()) for m in _ascii_domain().finditer(domain)]
    if not found:
        return
    for span_start, span_end in found[:-1]:
        out.append((span_start, span_end, span_end - span_start, certain))
    last_start, last_end = found[-1]
    if path:
        # twitter-text keeps the last ASCII domain plus everything after the host; its
        # counter then skips that many code units from the domain's start.
        skipped = (last_end - last_start) + (end - start - len(domain))
        out.append((last_start, end, skipped, certain))
    else:
        out.append((last_start, last_end, last_end - last_start, certain))


def x_url_spans(text: str) -> list[tuple[int, int]]:
    """``(start, end)`` string indices of the URLs X would link in ``text``.

    Indices are Python string (code point) indices into ``text`` exactly as given; no
    Unicode normalisation is applied first (:func:`x_weighted_length` normalises to NFC
    before it looks for URLs). Follows twitter-text's extraction rules: ``http``/``https``
    or no scheme, a known generic or country-code TLD or punycode, trailing punctuation
    left out, no URL right after a letter, digit, ``@``, ``$`` or ``#`` and no schemeless
    one after ``-``, ``_``, ``.`` or ``/``, only ASCII hosts without a scheme, the
    63-character label and 4096-character URL limits, and the 40-character ``t.co`` slug
    limit.
    """
    return [(start, end) for start, end, _, _ in url_entities(text)]
