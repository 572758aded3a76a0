"""The errors crisiscomms raises on purpose.

Every error the library raises deliberately is a :class:`CrisisCommsError`,
and each also subclasses the built-in exception a caller would expect, so
``except ValueError`` keeps working in code that does not know this library::

    CrisisCommsError
    ├── ValidationError (ValueError)      a field of a record is refused
    │   ├── LoadError                     an incident file is malformed or refused
    │   └── HeaderError                   an email header would carry a line break
    │                                     or an encoded word
    ├── UnknownNameError (LookupError)    no such channel, voice, stage or rule
    ├── TemplateError                     a template failed to parse or render
    ├── FitError (ValueError)             required material cannot fit a channel
    ├── ToneError                         strict mode met an error-level finding
    └── OutputExistsError (FileExistsError)
                                          writing would replace a user's file

Each error carries its details as attributes (``field``, ``path``, ``line``,
``channel``, ``limit``, ``measured`` ...) so tools can act on them without
parsing the message, and each pickles with those attributes intact.
"""

from __future__ import annotations

import numbers
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from crisiscomms.findings import Finding

__all__ = [
    "CrisisCommsError",
    "FitError",
    "HeaderError",
    "LoadError",
    "OutputExistsError",
    "TemplateError",
    "ToneError",
    "UnknownNameError",
    "ValidationError",
]


#: How many characters of a refused text an error message shows.
EXCERPT_LIMIT = 40


def excerpt(value: object, *, limit: int = EXCERPT_LIMIT) -> str:
    """A short, escaped stand-in for a refused value, for error messages.

    Every message that shows a value goes through here, so none can grow
    with its input (a YAML alias bomb expands to millions of items when
    printed), carry a line break or a lone surrogate to the terminal, or fail
    to print at all (``str()`` of a 5,000-digit integer raises). Texts show
    at most ``limit`` characters, quoted with every control, format and
    non-ASCII-unsafe character escaped; containers and other objects show
    only their kind.
    """
    if isinstance(value, str):
        cut = value[:limit]
        shown = "".join(_escape(ch) for ch in cut)
        more = "..." if len(value) > limit else ""
        return f"'{shown}'{more}"
    if isinstance(value, bool) or value is None:
        return str(value)
    if isinstance(value, int):
        # str() of a huge integer is slow, and refused past 4,300 digits.
        return (
            str(value) if value.bit_length() <= 64 else f"an integer of {value.bit_length()} bits"
        )
    if isinstance(value, numbers.Real):
        return excerpt(repr(float(value)), limit=limit).strip("'")
    if isinstance(value, Mapping):
        return "a table"
    if isinstance(value, (list, tuple)):
        return "a list"
    return f"a {type(value).__name__}"


def _escape(ch: str) -> str:
    if ch in "'\\":
        return "\\" + ch
    if ch.isprintable() and not ("\ud800" <= ch <= "\udfff"):
        return ch
    code = ord(ch)
    if code <= 0xFF:
        return f"\\x{code:02x}"
    return f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}"


class CrisisCommsError(Exception):
    """The base of every error crisiscomms raises on purpose."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message

    def __reduce__(self) -> tuple[Any, ...]:
        # Keyword-only details would be lost by Exception's default pickling.
        return (_rebuild, (type(self), self.__dict__.copy()))


def _rebuild(cls: type[CrisisCommsError], state: dict[str, Any]) -> CrisisCommsError:
    error = cls.__new__(cls)
    Exception.__init__(error, state.get("message", ""))
    error.__dict__.update(state)
    return error


class ValidationError(CrisisCommsError, ValueError):
    """A value was refused; ``field`` names it (dotted for nested records)."""

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(f"{field}: {message}" if field else message)
        self.field = field
        self.reason = message


class LoadError(ValidationError):
    """An incident file could not be read or holds a refused value.

    ``path`` is the file, ``line`` the line where the format tells it.
    """

    def __init__(
        self,
        message: str,
        *,
        path: str,
        field: str | None = None,
        line: int | None = None,
    ) -> None:
        super().__init__(message, field=field)
        where = f"{path}:{line}" if line is not None else path
        self.message = f"{where}: {field}: {message}" if field else f"{where}: {message}"
        self.path = path
        self.line = line


class HeaderError(ValidationError):
    """An email header value would carry a line break or an RFC 2047 encoded word."""


class UnknownNameError(CrisisCommsError, LookupError):
    """A channel, voice, stage, severity or rule name is not known."""

    def __init__(self, message: str, *, kind: str, name: str, known: Sequence[str] = ()) -> None:
        if known:
            message = f"{message} (known: {', '.join(sorted(known))})"
        super().__init__(message)
        self.kind = kind
        self.name = name
        self.known = tuple(known)


class TemplateError(CrisisCommsError):
    """A template failed to load, parse or render; ``template`` and ``line`` say where."""

    def __init__(
        self, message: str, *, template: str | None = None, line: int | None = None
    ) -> None:
        where = template or "<template>"
        if line is not None:
            where = f"{where}:{line}"
        super().__init__(f"{where}: {message}")
        self.template = template
        self.line = line
        self.reason = message


class FitError(CrisisCommsError, ValueError):
    """Required material cannot fit within a channel's limit.

    ``measured`` is the length of the shortest draft that keeps every required
    fact, measured the channel's way; it exceeds ``limit`` by ``measured - limit``.
    """

    def __init__(
        self, message: str, *, channel: str, limit: int, measured: int, unit: str = ""
    ) -> None:
        unit_text = f" {unit}" if unit else ""
        super().__init__(
            f"{channel}: {message}: {measured}{unit_text} against a limit of {limit}"
            f" ({measured - limit} over)"
        )
        self.channel = channel
        self.limit = limit
        self.measured = measured
        self.unit = unit
        self.reason = message


class ToneError(CrisisCommsError):
    """``strict=True`` met one or more error-level findings; ``findings`` lists them."""

    def __init__(self, findings: Sequence[Finding]) -> None:
        lines = [f"{len(findings)} error-level tone finding(s):"]
        lines += [f"  {finding}" for finding in findings]
        super().__init__("\n".join(lines))
        self.findings = tuple(findings)


class OutputExistsError(CrisisCommsError, FileExistsError):
    """Writing would replace an existing file; ``path`` names it."""

    def __init__(self, path: str) -> None:
        super().__init__(f"{path}: already exists (use --force to replace it)")
        self.path = path
