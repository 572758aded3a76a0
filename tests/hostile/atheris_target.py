"""A coverage-guided fuzzing target for long runs, with atheris (optional).

atheris is not a dependency of crisiscomms; install it on its own, then run::

    pip install atheris
    python tests/hostile/atheris_target.py -max_total_time=3600 corpus/

The first byte picks what is fuzzed: an incident file (TOML, JSON or YAML),
a user template, or redaction. The rest is the input. Each target fails only
when the library raises something other than a deliberate
:class:`~crisiscomms.errors.CrisisCommsError`, or breaks one of its
promises (redaction leaving the text outside its placeholders unchanged).
Inputs that fail are written by atheris as ``crash-*`` files: add each as a
regression case beside the tests in this folder.
"""

from __future__ import annotations

import contextlib
import sys
import tempfile
from pathlib import Path

from crisiscomms import Incident, compose, load_incident
from crisiscomms.errors import CrisisCommsError
from crisiscomms.redaction import PLACEHOLDER, Redactor
from tests.conftest import incident_fields

FORMATS = ("toml", "json", "yaml")


def fuzz_loading(data: bytes, fmt: str) -> None:
    """Bytes as an incident file: an Incident or a CrisisCommsError."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"incident.{fmt}"
        path.write_bytes(data)
        try:
            load_incident(path)
        except CrisisCommsError as error:
            str(error).encode("utf-8")


def fuzz_template(data: bytes) -> None:
    """Bytes as the X template: drafts or a CrisisCommsError."""
    source = data.decode("utf-8", "replace")
    with tempfile.TemporaryDirectory() as folder:
        target = Path(folder) / "x" / "default.txt"
        target.parent.mkdir()
        target.write_text(source, encoding="utf-8")
        with contextlib.suppress(CrisisCommsError):
            compose(Incident(**incident_fields()), channels=["x"], template_dirs=[folder])


def fuzz_redaction(data: bytes) -> None:
    """Bytes as text to redact: outside the placeholders, the text is unchanged."""
    text = data.decode("utf-8", "replace").replace(PLACEHOLDER, "")
    redacted, kinds = Redactor().redact(text)
    if redacted.count(PLACEHOLDER) != len(kinds):
        raise AssertionError("a placeholder without its kind")
    position = 0
    for piece in redacted.split(PLACEHOLDER):
        found = text.find(piece, position)
        if found < 0:
            raise AssertionError("redaction changed the text outside its placeholders")
        position = found + len(piece)


def one_input(data: bytes) -> None:
    """The entry point atheris calls."""
    if not data:
        return
    choice, rest = data[0] % 5, data[1:]
    if choice < 3:
        fuzz_loading(rest, FORMATS[choice])
    elif choice == 3:
        fuzz_template(rest)
    else:
        fuzz_redaction(rest)


def main() -> None:  # pragma: no cover - needs atheris
    import atheris  # type: ignore[import-untyped, import-not-found, unused-ignore]

    atheris.Setup(sys.argv, one_input)
    atheris.Fuzz()


if __name__ == "__main__":  # pragma: no cover
    main()
