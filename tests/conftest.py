"""Shared fixtures and the hypothesis profiles ("ci" is the default; "dev" is quicker)."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, settings

from crisiscomms import Incident, Organization, load_incident

settings.register_profile(
    "ci",
    max_examples=100,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    derandomize=True,
)
settings.register_profile("dev", max_examples=25, deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"


@pytest.fixture(scope="session")
def buffer_incident() -> Incident:
    """The Buffer incident while investigating."""
    return load_incident(EXAMPLES / "buffer-2013.toml")


@pytest.fixture(scope="session")
def buffer_resolved() -> Incident:
    """The Buffer incident once resolved."""
    return load_incident(EXAMPLES / "buffer-2013-resolved.toml")


def incident_fields(**overrides: Any) -> dict[str, Any]:
    """The fields of a small valid incident, with ``overrides`` applied."""
    fields: dict[str, Any] = {
        "title": "Checkout is failing",
        "stage": "investigating",
        "severity": "major",
        "started_at": dt.datetime(2024, 5, 1, 9, 30, tzinfo=dt.timezone.utc),
        "summary": "Payments fail at the last step.",
        "impact": "You see an error when you pay.",
        "actions": ["We are rolling back the release."],
        "user_actions": ["Wait before trying again."],
        "not_affected": ["saved carts"],
        "status_url": "https://status.example.com",
        "organization": Organization(name="Example", support_email="help@example.com"),
    }
    fields.update(overrides)
    return fields
