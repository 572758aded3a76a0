"""Reading the counting tables shipped beside the code in ``data/``.

The tables are plain text, one entry a line, ``#`` starting a comment line, so a
platform's list change is a data diff. They are read when first needed, not at import.
"""

from __future__ import annotations

import functools
from importlib import resources

__all__ = ["code_points", "entries"]


@functools.cache
def entries(name: str) -> tuple[str, ...]:
    """The non-comment, non-blank lines of ``data/<name>``, stripped, in file order."""
    text = (
        resources.files("crisiscomms.counting")
        .joinpath("data")
        .joinpath(name)
        .read_text(encoding="utf-8")
    )
    return tuple(
        stripped
        for line in text.splitlines()
        if (stripped := line.strip()) and not stripped.startswith("#")
    )


def code_points(name: str) -> tuple[str, ...]:
    """The entries of ``data/<name>`` read as space-separated hex code points."""
    return tuple("".join(chr(int(item, 16)) for item in entry.split()) for entry in entries(name))
