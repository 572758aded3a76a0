"""Locate and load twitter-text's conformance files (read in place, never copied).

The directory is ``$CRISISCOMMS_CONFORMANCE`` or else ``<repo>/../shared/conformance/
twitter-text``. Cases are loaded at collection time so that each becomes its own test id;
when the files (or PyYAML) are missing, a single placeholder case is skipped with the
reason.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

REPO_ROOT = Path(__file__).resolve().parent.parent


def directory() -> Path:
    """Where the conformance YAML files are expected."""
    configured = os.environ.get("CRISISCOMMS_CONFORMANCE")
    if configured:
        return Path(configured)
    return REPO_ROOT.parent / "shared" / "conformance" / "twitter-text"


def missing_reason(name: str) -> str | None:
    """Why ``name`` cannot be loaded, or None when it can."""
    path = directory() / name
    if not path.is_file():
        return f"twitter-text conformance file {path} not found (set CRISISCOMMS_CONFORMANCE)"
    try:
        import yaml  # noqa: F401
    except ImportError:
        return "PyYAML is not installed"
    return None


def cases(name: str, *sections: str) -> list[Any]:
    """``pytest.param`` objects for each case of ``sections`` in ``name``, ids from their
    descriptions; a single skipped placeholder when the file cannot be loaded."""
    reason = missing_reason(name)
    if reason:
        return [pytest.param(None, id=f"{name}-missing", marks=pytest.mark.skip(reason=reason))]
    import yaml

    with (directory() / name).open(encoding="utf-8") as handle:
        tests = yaml.safe_load(handle)["tests"]
    found = [
        pytest.param(case, id=f"{section}-{index}-{case['description']}")
        for section in sections
        for index, case in enumerate(tests.get(section) or [])
    ]
    if not found:
        reason = f"{name} has no section among {sections}"
        return [pytest.param(None, id=f"{name}-empty", marks=pytest.mark.skip(reason=reason))]
    return found
