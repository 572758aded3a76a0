"""The public API is exactly what DESIGN.md documents, and it is typed."""

from __future__ import annotations

from importlib.metadata import version
from importlib.resources import files

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
