"""Approvals: who approved which exact text, kept beside the record."""

from __future__ import annotations

import datetime as dt
import json
import shutil
import threading
from pathlib import Path

import attrs
import pytest

from crisiscomms import EmailDraft, compose, load_incident
from crisiscomms.approvals import (
    approvals_path,
    digest,
    load_approvals,
    manifest_entry,
    record_approval,
    statuses,
    with_slack_notes,
)
from crisiscomms.errors import LoadError, ValidationError
from tests.conftest import EXAMPLES
from tests.test_cli import run

WHEN = dt.datetime(2024, 5, 1, 9, 30, tzinfo=dt.timezone.utc)


@pytest.fixture
def record(tmp_path: Path) -> Path:
    target = tmp_path / "incident.toml"
    shutil.copy(EXAMPLES / "buffer-2013.toml", target)
    return target


class TestDigest:
    def test_any_change_to_the_published_text_changes_the_digest(self, record: Path) -> None:
        """Parts, subject and preheader each count; the same draft gives the same digest."""
        email = compose(load_incident(record), channels=["email"])["email"]
        assert isinstance(email, EmailDraft)
        assert digest(email) == digest(attrs.evolve(email))
        assert digest(email) != digest(attrs.evolve(email, parts=(email.parts[0] + " ",)))
        assert digest(email) != digest(attrs.evolve(email, subject=email.subject + "!"))
        assert digest(email) != digest(attrs.evolve(email, preheader="other"))

    def test_the_split_between_parts_counts(self, record: Path) -> None:
        """Moving a word from one post to the next is a different text."""
        x = compose(load_incident(record), channels=["x"])["x"]
        moved = attrs.evolve(x, parts=("a b", "c"))
        assert digest(moved) != digest(attrs.evolve(x, parts=("a", "b c")))


class TestRecordApproval:
    def test_approvals_are_kept_and_statuses_follow_the_text(self, record: Path) -> None:
        """Approving records name, time and digest; a later change shows as changed."""
        bundle = compose(load_incident(record))
        first = record_approval(record, bundle["x"], name="Ana Lead", at=WHEN)
        record_approval(record, bundle["sms"], name="Bo", at=WHEN)
        stored = load_approvals(record)
        assert [a.channel for a in stored] == ["x", "sms"]
        assert stored[0] == first
        assert first.at == "2024-05-01T09:30:00+00:00"
        data = json.loads(approvals_path(record).read_text(encoding="utf-8"))
        assert data["approvals"][0]["sha256"] == digest(bundle["x"])

        found = statuses(bundle, stored)
        assert found["x"].state == "approved"
        assert found["x"].approval == first
        assert found["email"].state == "unapproved"

        record.write_text(
            record.read_text(encoding="utf-8").replace("Spam posts", "Unwanted posts"),
            encoding="utf-8",
        )
        later = compose(load_incident(record))
        found = statuses(later, load_approvals(record))
        assert found["x"].state == "changed"
        assert found["x"].note.startswith("changed since Ana Lead approved it at 2024-05-01")

    def test_concurrent_approvals_are_all_kept_when_serialised(self, record: Path) -> None:
        """Approvals written one after another from threads (as the server's lock does) all stay."""
        draft = compose(load_incident(record), channels=["x"])["x"]
        lock = threading.Lock()

        def approve(number: int) -> None:
            with lock:
                record_approval(record, draft, name=f"Person {number}", at=WHEN)

        threads = [threading.Thread(target=approve, args=(n,)) for n in range(8)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert sorted(a.name for a in load_approvals(record)) == [f"Person {n}" for n in range(8)]
        assert sorted(p.name for p in record.parent.iterdir()) == [
            "approvals.json",
            "incident.toml",
        ]

    @pytest.mark.parametrize("name", ["", "   ", "Ana\nLead"])
    def test_a_name_must_be_one_line(self, record: Path, name: str) -> None:
        """An empty name or one with a line break is refused, naming the field."""
        draft = compose(load_incident(record), channels=["x"])["x"]
        with pytest.raises(ValidationError) as caught:
            record_approval(record, draft, name=name)
        assert caught.value.field == "name"
        assert not approvals_path(record).exists()

    def test_a_broken_file_is_a_clear_error(self, record: Path) -> None:
        """approvals.json that is not ours names the file and line."""
        approvals_path(record).write_text('{"approvals": [\n  {"channel": 1}\n]}\n')
        with pytest.raises(LoadError) as caught:
            load_approvals(record)
        assert "approvals.json" in str(caught.value)
        assert "approvals[0]" in str(caught.value)
        approvals_path(record).write_text("{\n nope")
        with pytest.raises(LoadError) as caught:
            load_approvals(record)
        assert caught.value.line == 2


class TestManifestAndSlack:
    def test_the_manifest_shows_approvals_only_once_there_are_some(self, record: Path) -> None:
        """--json has no 'approvals' before any approval, then each channel's status."""
        code, out, _ = run("draft", str(record), "--json")
        assert code == 0
        assert "approvals" not in json.loads(out)
        bundle = compose(load_incident(record))
        record_approval(record, bundle["facebook"], name="Ana Lead", at=WHEN)
        code, out, _ = run("draft", str(record), "--json")
        manifest = json.loads(out)
        assert manifest["approvals"]["facebook"]["state"] == "approved"
        assert manifest["approvals"]["facebook"]["approved_by"] == "Ana Lead"
        assert manifest["approvals"]["x"]["state"] == "unapproved"
        # The alert itself changes once it lists approvals; the other drafts do not.
        del manifest["approvals"]["slack"]
        assert (
            manifest_entry({k: v for k, v in bundle.items() if k != "slack"}, record)
            == (manifest["approvals"])
        )

    def test_the_slack_alert_says_what_is_approved_and_what_changed(self, record: Path) -> None:
        """After approving, the alert lists each draft's approval; after an edit, the change."""
        bundle = compose(load_incident(record))
        assert with_slack_notes(bundle, record) is bundle
        record_approval(record, bundle["x"], name="Ana Lead", at=WHEN)
        alert = with_slack_notes(bundle, record)["slack"].parts[0]
        assert "`x` as @joelgascoigne: Carolyn (approved by Ana Lead at 2024-05-01 09:30 UTC)" in (
            alert
        )
        assert "`facebook` as bufferapp: Carolyn (not approved yet)" in alert
        record.write_text(
            record.read_text(encoding="utf-8").replace("Spam posts", "Unwanted posts"),
            encoding="utf-8",
        )
        code, out, _ = run("draft", str(record), "--channel", "slack")
        assert code == 0
        assert "`x` as @joelgascoigne: Carolyn (changed since Ana Lead approved it" in out
