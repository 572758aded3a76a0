"""The hostile inputs kept as regression cases, built here so each test can name them."""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path
from typing import Any

from tests.conftest import EXAMPLES

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib


def example_mapping() -> dict[str, Any]:
    """The Buffer example as plain JSON-ready data."""
    data = tomllib.loads((EXAMPLES / "buffer-2013.toml").read_text("utf-8"))
    text = json.dumps(data, default=lambda value: value.isoformat())
    result: dict[str, Any] = json.loads(text)
    return result


def write_json(folder: Path, data: Any, *, name: str = "incident.json") -> Path:
    """``data`` written as a JSON incident file (lone surrogates kept as escapes)."""
    path = folder / name
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def with_fields(**fields: Any) -> dict[str, Any]:
    """The example with ``fields`` replaced."""
    data = example_mapping()
    data.update(fields)
    return data


def alias_bomb(levels: int, *, field: str = "severity") -> str:
    """A YAML document whose ``field`` expands to 9**levels items (a few hundred bytes)."""
    lines = ['a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for level in range(1, levels):
        refs = ", ".join([f"*a{level - 1}"] * 9)
        lines.append(f"a{level}: &a{level} [{refs}]")
    lines.append(f"{field}: *a{levels - 1}")
    return "\n".join(lines) + "\n"


def nested(depth: int, *, fmt: str) -> str:
    """A document whose title nests lists ``depth`` deep."""
    inner = "[" * depth + "]" * depth
    if fmt == "toml":
        return f"title = {inner}\n"
    if fmt == "yaml":
        return f"title: {inner}\n"
    return f'{{"title": {inner}}}'


#: Dates that pass a naive check but overflow when moved to local time.
OVERFLOWING_DATES = (
    "0001-01-01T00:00:00Z",
    "0001-01-01T00:00:00+05:00",
    "9999-12-31T23:00:00-05:00",
    "9999-12-31T00:00:00Z",
)

#: URLs that urlsplit rejects, or that would break out of Markdown or HTML.
BAD_URLS = (
    "http://[::1",
    "https://[not-an-address]/",
    "https://example.com:99999/",
    "https://example.com:port/",
    'https://example.com/"><script>alert(1)</script>',
    "https://example.com/<b>",
    "https://example.com/a b",
    "https://example.com/\u200b",
    "https://example.com/`x`",
    "javascript:alert(1)",
    "https://",
)

#: Texts with nothing a reader would see.
INVISIBLE_TITLES = (
    "\u200b",
    "\u200b\u200c\u200d\ufeff",
    " \u00ad ",
    "\u2060\u3164",
    "\u0301\u0301",
)

#: A moment in the example's range, for timing checks.
STARTED = dt.datetime(2013, 10, 26, 13, 35, tzinfo=dt.timezone(dt.timedelta(hours=-7)))


def attempt(action: Any, *args: Any, **kwargs: Any) -> Any:
    """The error ``action`` raised on purpose (a CrisisCommsError), or None when it
    succeeded; any other exception propagates and fails the test."""
    from crisiscomms.errors import CrisisCommsError

    try:
        action(*args, **kwargs)
    except CrisisCommsError as error:
        return error
    return None
