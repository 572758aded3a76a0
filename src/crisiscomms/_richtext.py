"""How Slack's mrkdwn and a status page's Markdown look, as runs of styled text that keep
their offsets into the source, so findings (source offsets) can be highlighted on top.

Only what the drafts use is shown: bold, italic, code, links and bullets, plus
mrkdwn's three entities and Markdown's backslash escapes. Anything else shows as
written. A marker that has no partner on its line shows as written too.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import attrs

__all__ = ["Run", "runs"]


@attrs.frozen
class Run:
    """``text`` as shown, for the source slice ``start:end``, in ``styles``.

    ``plain`` runs show their source unchanged (so they may be cut anywhere);
    the others (an entity, a link, a marker shown as nothing) are whole.
    """

    start: int
    end: int
    text: str
    styles: frozenset[str] = frozenset()
    plain: bool = True


_ENTITIES = {"&amp;": "&", "&lt;": "<", "&gt;": ">"}
_MRKDWN = re.compile(
    r"(?P<entity>&amp;|&lt;|&gt;)"
    r"|(?P<link><(?P<url>[^<>|\s]+)(?:\|(?P<label>[^<>]*))?>)"
    r"|(?P<mark>[*_`])"
)
_MARKDOWN = re.compile(
    r"(?P<escape>\\[\\`*_\[\]<>#|~])"
    r"|(?P<link>\[(?P<label>[^\[\]\n]*)\]\((?P<url>[^()\s]*)\))"
    r"|(?P<bullet>^- )"
    r"|(?P<mark>\*\*|`)",
    re.MULTILINE,
)
_STYLE = {"*": "strong", "_": "em", "`": "code", "**": "strong"}


def _paired(text: str, matches: list[re.Match[str]], *, words: bool) -> set[int]:
    """The positions of markers that open or close a pair on their own line.

    With ``words`` (mrkdwn), a marker opens only before a non-space and after a
    non-word character, and closes only after a non-space and before a non-word
    character, as Slack reads them (``snake_case`` stays as written).
    """
    paired: set[int] = set()
    open_at: dict[str, int] = {}
    line = 0
    for match in matches:
        start = match.start()
        line_here = text.count("\n", 0, start)
        if line_here != line:
            open_at.clear()
            line = line_here
        marker = match.group("mark")
        before = text[start - 1] if start > 0 else " "
        after = text[match.end()] if match.end() < len(text) else " "
        if marker in open_at:
            closes = not words or (not before.isspace() and not (after.isalnum() or after == "_"))
            if closes:
                paired.update((open_at.pop(marker), start))
                continue
        opens = not words or (not after.isspace() and not (before.isalnum() or before == "_"))
        if opens and marker not in open_at:
            open_at[marker] = start
    return paired


def runs(text: str, syntax: str) -> list[Run]:
    """``text`` (``"mrkdwn"`` or ``"markdown"``) as the runs a reader sees, in order.

    The runs cover the source without gaps: joined, their ``start``/``end``
    run from 0 to ``len(text)``.
    """
    pattern = _MRKDWN if syntax == "mrkdwn" else _MARKDOWN
    matches = list(pattern.finditer(text))
    marks = [match for match in matches if match.group("mark")]
    paired = _paired(text, marks, words=syntax == "mrkdwn")
    result: list[Run] = []
    styles: set[str] = set()
    position = 0
    for match in matches:
        start, end = match.span()
        if position < start:
            result.append(Run(position, start, text[position:start], frozenset(styles)))
        result.extend(_token(match, styles, paired, syntax))
        position = end
    if position < len(text):
        result.append(Run(position, len(text), text[position:], frozenset(styles)))
    return result


def _token(match: re.Match[str], styles: set[str], paired: set[int], syntax: str) -> Iterator[Run]:
    start, end = match.span()
    source = match.group(0)
    kind = match.lastgroup
    if match.group("mark"):
        if start in paired:
            style = _STYLE[source]
            if style in styles:
                styles.discard(style)
            else:
                styles.add(style)
            yield Run(start, end, "", frozenset(styles), plain=False)
        else:
            yield Run(start, end, source, frozenset(styles))
    elif kind == "entity":
        yield Run(start, end, _ENTITIES[source], frozenset(styles), plain=False)
    elif kind == "escape":
        yield Run(start, end, source[1], frozenset(styles), plain=False)
    elif kind == "bullet":
        yield Run(start, end, "• ", frozenset(styles), plain=False)
    elif kind == "link":
        label = match.group("label")
        url = match.group("url")
        shown = label if label else url
        if syntax == "mrkdwn":
            shown = shown.replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">")
        else:
            shown = re.sub(r"\\(.)", r"\1", shown)
        yield Run(start, end, shown, frozenset({*styles, "link"}), plain=False)
