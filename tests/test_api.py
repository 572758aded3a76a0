"""The public API is exactly what DESIGN.md documents, and it is typed."""

from __future__ import annotations

from importlib.metadata import version
from importlib.resources import files

import pytest

import crisiscomms

DOCUMENTED = {
    "Bundle",
    "CrisisCommsError",
    "Draft",
    "Finding",
    "Incident",
    "Link",
    "Organization",
    "Severity",
    "Spokesperson",
    "Stage",
    "Update",
    "available_channels",
    "check",
    "compose",
    "compose_replies",
    "get_channel",
    "incident_from_mapping",
    "load_incident",
}
# Records a caller needs to build or read the documented ones.
SUPPORTING = {
    "Component",
    "ComponentStatus",
    "EmailDraft",
    "Level",
    "Mention",
    "Team",
    "Voice",
    "__version__",
    "channel_aliases",
    "post_thread",
}


class TestPublicNames:
    def test_all_is_the_documented_api(self) -> None:
        """__all__ holds the documented names and their supporting records, nothing else."""
        assert set(crisiscomms.__all__) == DOCUMENTED | SUPPORTING

    def test_all_is_sorted(self) -> None:
        """__all__ is kept sorted, so additions are easy to review."""
        assert list(crisiscomms.__all__) == sorted(crisiscomms.__all__)

    def test_every_name_resolves(self) -> None:
        """Each exported name exists on the package."""
        for name in crisiscomms.__all__:
            assert getattr(crisiscomms, name) is not None

    def test_later_names_load_their_modules_on_first_use(self) -> None:
        """post_thread, Mention and compose_replies are the modules' own objects,
        listed by dir(), and `import crisiscomms` alone imports neither module."""
        import subprocess
        import sys

        from crisiscomms.payloads import post_thread
        from crisiscomms.replies import Mention, compose_replies

        assert crisiscomms.post_thread is post_thread
        assert crisiscomms.Mention is Mention
        assert crisiscomms.compose_replies is compose_replies
        assert {"post_thread", "Mention", "compose_replies"} <= set(dir(crisiscomms))
        with pytest.raises(AttributeError, match="no attribute 'nothing'"):
            _ = crisiscomms.nothing
        probe = (
            "import sys, crisiscomms; "
            "print(sorted(m for m in ('crisiscomms.payloads', 'crisiscomms.replies') "
            "if m in sys.modules))"
        )
        loaded = subprocess.run(
            [sys.executable, "-c", probe], check=True, capture_output=True, text=True
        ).stdout.strip()
        assert loaded == "[]"

    def test_version_comes_from_metadata(self) -> None:
        """__version__ is the installed distribution's version."""
        assert crisiscomms.__version__ == version("crisiscomms")

    def test_package_is_typed(self) -> None:
        """py.typed ships, so type checkers read the annotations."""
        assert files("crisiscomms").joinpath("py.typed").is_file()

    def test_every_error_is_a_crisiscomms_error(self) -> None:
        """Each error class in errors.py derives from CrisisCommsError."""
        from crisiscomms import errors

        for name in errors.__all__:
            assert issubclass(getattr(errors, name), crisiscomms.CrisisCommsError)
