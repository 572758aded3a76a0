"""Markdown in, safe HTML or readable plain text out.

Both renderings come from the same markdown-it-py token stream, so the plain
text is written from the source, not stripped from the HTML. Raw HTML is off
and only ``http``, ``https`` and ``mailto`` links survive; anything else is
shown as text.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Sequence
from typing import TYPE_CHECKING

import regex

if TYPE_CHECKING:
    from markdown_it import MarkdownIt
    from markdown_it.token import Token

__all__ = ["SAFE_SCHEMES", "columns", "parse", "safe_link", "to_html", "to_text"]

SAFE_SCHEMES = ("http:", "https:", "mailto:")

_GRAPHEME = regex.compile(r"\X")
# Whitespace a line may break at: any but the no-break spaces.
_BREAKABLE_SPACE = re.compile(r"[^\S\u00a0\u2007\u202f]+")
# Words never cut: links and addresses, which must stay whole to work.
_UNBREAKABLE = re.compile(r"(?i)[a-z][a-z0-9+.-]*://|mailto:|www\.|[^\s@]@[^\s@]")


def _grapheme_columns(cluster: str) -> int:
    first = cluster[0]
    if unicodedata.category(first) in ("Mn", "Me", "Cf", "Cc"):
        return 0
    if unicodedata.east_asian_width(first) in ("W", "F") or "\ufe0f" in cluster:
        return 2
    return 1


def columns(text: str) -> int:
    """How many terminal columns ``text`` takes: wide (East Asian) characters and
    emoji take two, combining marks and zero-width characters none."""
    if text.isascii() and text.isprintable():
        return len(text)
    return sum(_grapheme_columns(cluster) for cluster in _GRAPHEME.findall(text))


def safe_link(url: str) -> bool:
    """True for an http(s) or mailto link; every other scheme (``javascript:``...) is refused."""
    # Browsers ignore control characters and spaces inside a scheme, so strip them first.
    cleaned = "".join(ch for ch in url if ord(ch) > 32 and ch != "\x7f").lower()
    return cleaned.startswith(SAFE_SCHEMES)


@functools.cache
def _parser() -> MarkdownIt:
    # Imported here: the parser is needed by the first draft, not by every import.
    from markdown_it import MarkdownIt

    md = MarkdownIt("commonmark", {"html": False, "typographer": False})
    md.disable(["image", "html_block", "html_inline"])
    md.validateLink = safe_link  # type: ignore[method-assign]
    return md


def parse(source: str) -> list[Token]:
    """The token stream of ``source``, for rendering it more than once without parsing
    it again: :func:`to_html` and :func:`to_text` take either."""
    tokens: list[Token] = _parser().parse(source)
    return tokens


def to_html(source: str | Sequence[Token]) -> str:
    """Render Markdown (a source, or its :func:`parse` tokens) to HTML with raw HTML
    escaped and unsafe links left as text."""
    md = _parser()
    tokens = md.parse(source) if isinstance(source, str) else source
    _mark_right_to_left(tokens)
    return str(md.renderer.render(tokens, md.options, {}))


# Letters of the scripts written right to left: Hebrew, Arabic, Syriac, Thaana,
# N'Ko and their presentation forms.
_RIGHT_TO_LEFT = re.compile("[\u0590-\u07ff\u0800-\u08ff\ufb1d-\ufdff\ufe70-\ufefc]")
_BLOCKS = ("paragraph_open", "heading_open", "list_item_open")


def _mark_right_to_left(tokens: Sequence[Token]) -> None:
    """Give each paragraph, heading and list item holding right-to-left letters
    ``dir="auto"``, so a reader's client sets its direction from its own text
    (a Hebrew fact in an English email reads right to left, and the page does not)."""
    for index, token in enumerate(tokens):
        if token.type not in _BLOCKS:
            continue
        inline = next((t for t in tokens[index + 1 :] if t.type == "inline"), None)
        if inline is not None and _RIGHT_TO_LEFT.search(inline.content):
            token.attrSet("dir", "auto")


def to_text(source: str | Sequence[Token], *, width: int | None = 72) -> str:
    """Render Markdown (a source, or its :func:`parse` tokens) as plain text for
    reading in a terminal.

    Links are spelled out as ``label (url)``; lists keep their markers;
    paragraphs are wrapped at ``width`` terminal columns (see :func:`columns`),
    or not at all when ``width`` is ``None``. A link or an email address is
    never cut, so a line holding only one may be longer; any other word
    longer than a line is cut between grapheme clusters.
    """
    tokens = parse(source) if isinstance(source, str) else source
    blocks: list[str] = []
    _blocks(tokens, blocks, width=width, indent="")
    return "\n\n".join(block for block in blocks if block.strip()).strip()


def _inline(children: Sequence[Token] | None) -> str:
    out: list[str] = []
    href: list[str] = []
    label_start: list[int] = []
    for token in children or ():
        if token.type in ("text", "code_inline"):
            out.append(token.content)
        elif token.type == "softbreak":
            out.append(" ")
        elif token.type == "hardbreak":
            out.append("\n")
        elif token.type == "link_open":
            href.append(str(token.attrs.get("href", "")))
            label_start.append(len(out))
        elif token.type == "link_close" and href:
            url = href.pop()
            label = "".join(out[label_start.pop() :])
            if label.strip() and label.strip() not in (url, url.removeprefix("mailto:")):
                out.append(f" ({url.removeprefix('mailto:')})")
    return "".join(out)


def _wrap(text: str, *, width: int | None, first: str, rest: str) -> str:
    if width is None:
        return first + text.replace("\n", "\n" + rest)
    lines: list[str] = []
    for index, line in enumerate(text.split("\n")):
        lines.extend(_wrap_line(line, width=width, first=first if index == 0 else rest, rest=rest))
    return "\n".join(lines)


def _wrap_line(line: str, *, width: int, first: str, rest: str) -> list[str]:
    """Greedy filling by terminal columns. A word longer than a line is cut between
    grapheme clusters, starting in the room left on the current line, unless it is a
    link or an address, which then keeps a line to itself."""
    lines: list[str] = []
    rest_width = columns(rest)
    current, used, filled = first, columns(first), False
    for word in _BREAKABLE_SPACE.split(line):
        if not word:
            continue
        size = columns(word)
        gap = 1 if filled else 0
        if used + gap + size <= width:
            current, used, filled = current + " " * gap + word, used + gap + size, True
        elif _UNBREAKABLE.search(word) or rest_width + size <= width:
            if filled:
                lines.append(current)
                current, used = rest, rest_width
            current, used, filled = current + word, used + size, True
        else:
            pieces = _cut(word, first=width - used - gap, rest=max(width - rest_width, 1))
            if pieces[0]:
                current, used = current + " " * gap + pieces[0], used + gap + columns(pieces[0])
            for piece in pieces[1:]:
                if current.strip():
                    lines.append(current)
                    current, used = rest, rest_width
                current, used = current + piece, used + columns(piece)
            filled = True
    lines.append(current if filled else current.rstrip())
    return lines


def _cut(word: str, *, first: int, rest: int) -> list[str]:
    """``word`` in pieces between grapheme clusters: the first at most ``first``
    columns wide (possibly empty), the others at most ``rest`` (at least one cluster)."""
    pieces = [""]
    room, used = first, 0
    for cluster in _GRAPHEME.findall(word):
        size = _grapheme_columns(cluster)
        if used + size > room and (pieces[-1] or len(pieces) == 1):
            pieces.append("")
            room, used = rest, 0
        pieces[-1] += cluster
        used += size
    return pieces


def _add(blocks: list[str], text: str, *, in_list: bool) -> None:
    # Lines of one list stay together in one block; everything else is a block of its own.
    if in_list and blocks and blocks[-1]:
        blocks[-1] += "\n" + text
    elif in_list and blocks:
        blocks[-1] = text
    else:
        blocks.append(text)


def _blocks(tokens: Sequence[Token], blocks: list[str], *, width: int | None, indent: str) -> None:
    markers: list[int | None] = []
    prefix = indent
    pending_marker: str | None = None
    for token in tokens:
        kind = token.type
        if kind in ("bullet_list_open", "ordered_list_open"):
            if not markers:
                blocks.append("")
            start = token.attrs.get("start", 1) if kind == "ordered_list_open" else None
            markers.append(None if start is None else int(start))
        elif kind in ("bullet_list_close", "ordered_list_close"):
            markers.pop()
        elif kind == "list_item_open":
            number = markers[-1]
            if number is None:
                pending_marker = "- "
            else:
                pending_marker = f"{number}. "
                markers[-1] = number + 1
        elif kind == "inline":
            text = _inline(token.children)
            depth = "  " * max(len(markers) - 1, 0)
            if pending_marker is not None:
                first = prefix + depth + pending_marker
                rest = prefix + depth + " " * len(pending_marker)
                pending_marker = None
            else:
                first = rest = prefix + depth + ("  " if markers else "")
            _add(blocks, _wrap(text, width=width, first=first, rest=rest), in_list=bool(markers))
        elif kind in ("fence", "code_block"):
            code = "\n".join(
                _wrap(line.strip(), width=width, first=pad, rest=pad)
                for line in token.content.rstrip("\n").split("\n")
                for pad in [prefix + "    " + line[: len(line) - len(line.lstrip())]]
            )
            _add(blocks, code, in_list=bool(markers))
        elif kind == "hr":
            blocks.append(prefix + "---")
        elif kind == "blockquote_open":
            prefix += "> "
        elif kind == "blockquote_close":
            prefix = prefix[:-2]
