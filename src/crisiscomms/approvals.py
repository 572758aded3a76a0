"""Who approved which exact text: ``approvals.json`` beside the incident record.

An approval records a person's name, the time, and a SHA-256 digest of the
draft's published text (its parts, and the subject and preheader of an email
or the title of a status-page entry). A draft is *approved* when some approval
for its channel carries the digest of the text it has now, and *changed* when
it was approved once but its text has changed since.

The file is a JSON object ``{"approvals": [...]}``; entries are only ever
added, and every write replaces the file atomically, so an approval is never
lost to a half-written file.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import tempfile
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import attrs

from crisiscomms.drafts import Draft, EmailDraft
from crisiscomms.errors import LoadError, ValidationError

if TYPE_CHECKING:
    from crisiscomms.compose import Bundle

__all__ = [
    "FILE_NAME",
    "Approval",
    "ApprovalStatus",
    "approvals_path",
    "digest",
    "load_approvals",
    "manifest_entry",
    "record_approval",
    "slack_notes",
    "statuses",
    "with_slack_notes",
]

FILE_NAME = "approvals.json"


@attrs.frozen(kw_only=True)
class Approval:
    """One person's approval of one channel's text, as it stood when they approved it."""

    channel: str
    name: str
    at: str
    sha256: str
    stage: str | None = None
    voice: str | None = None
    update: int | None = None

    def to_dict(self) -> dict[str, Any]:
        """The approval as JSON-ready data, as ``approvals.json`` stores it."""
        return attrs.asdict(self)


@attrs.frozen(kw_only=True)
class ApprovalStatus:
    """Where one channel's draft stands: ``approved``, ``changed`` or ``unapproved``.

    ``approval`` is the approval of the current text (``approved``), else the
    latest one of an earlier text (``changed``), else ``None``.
    """

    channel: str
    state: str
    sha256: str
    approval: Approval | None = None

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready data, as the manifest writes it."""
        approval = self.approval
        return {
            "state": self.state,
            "sha256": self.sha256,
            "approved_by": approval.name if approval else None,
            "approved_at": approval.at if approval else None,
            "approved_sha256": approval.sha256 if approval else None,
        }

    @property
    def note(self) -> str:
        """One line for people: ``approved by Ana at ...``, ``changed since ...``."""
        approval = self.approval
        if approval is None:
            return "not approved yet"
        when = _readable(approval.at)
        if self.state == "approved":
            return f"approved by {approval.name} at {when}"
        return f"changed since {approval.name} approved it at {when}"


def _readable(stamp: str) -> str:
    """``2024-05-01T09:30:00+00:00`` as ``2024-05-01 09:30 UTC``; other text as it is."""
    try:
        moment = dt.datetime.fromisoformat(stamp)
    except ValueError:
        return stamp
    if moment.tzinfo is None:
        return stamp
    return moment.astimezone(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")


def digest(draft: Draft) -> str:
    """The SHA-256 (hex) of everything ``draft`` publishes, in a fixed, unambiguous form."""
    published: dict[str, Any] = {"channel": draft.channel, "parts": list(draft.parts)}
    if isinstance(draft, EmailDraft):
        published.update(subject=draft.subject, preheader=draft.preheader)
    if draft.title is not None:
        published["title"] = draft.title
    data = json.dumps(published, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(data.encode("utf-8")).hexdigest()


def approvals_path(record: str | os.PathLike[str]) -> Path:
    """Where the approvals of ``record`` live: ``approvals.json`` in the record's folder."""
    return Path(record).resolve().parent / FILE_NAME


def load_approvals(record: str | os.PathLike[str]) -> tuple[Approval, ...]:
    """Every approval recorded beside ``record``, oldest first (none if there is no file).

    Raises:
        LoadError: the file is not the JSON this module writes; names the file.
    """
    path = approvals_path(record)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return ()
    except (OSError, UnicodeDecodeError) as error:
        raise LoadError(f"cannot read: {error}", path=str(path)) from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise LoadError(f"not valid JSON: {error.msg}", path=str(path), line=error.lineno) from None
    entries = data.get("approvals") if isinstance(data, dict) else None
    if not isinstance(entries, list):
        raise LoadError("must be an object with a list 'approvals'", path=str(path))
    approvals = []
    for index, entry in enumerate(entries):
        try:
            approvals.append(_approval(entry))
        except (TypeError, ValueError) as error:
            raise LoadError(str(error), path=str(path), field=f"approvals[{index}]") from None
    return tuple(approvals)


def _approval(entry: Any) -> Approval:
    if not isinstance(entry, dict):
        raise TypeError("must be an object")
    names = {field.name for field in attrs.fields(Approval)}
    for key in ("channel", "name", "at", "sha256"):
        if not isinstance(entry.get(key), str):
            raise ValueError(f"{key} must be text")
    return Approval(**{key: value for key, value in entry.items() if key in names})


def record_approval(
    record: str | os.PathLike[str],
    draft: Draft,
    *,
    name: str,
    at: dt.datetime | None = None,
    update: int | None = None,
) -> Approval:
    """Record that ``name`` approved ``draft``'s text as it is now; returns the approval.

    The earlier approvals are kept; the file is replaced atomically.

    Raises:
        ValidationError: ``name`` is empty or holds a line break (field ``name``).
    """
    cleaned = " ".join(name.split())
    if not cleaned or cleaned != name.strip():
        raise ValidationError("must be a name on one line", field="name")
    when = (at or dt.datetime.now(dt.timezone.utc)).astimezone(dt.timezone.utc)
    approval = Approval(
        channel=draft.channel,
        name=cleaned,
        at=when.isoformat(timespec="seconds"),
        sha256=digest(draft),
        stage=draft.stage,
        voice=draft.voice,
        update=update,
    )
    earlier = load_approvals(record)
    data = {"approvals": [entry.to_dict() for entry in (*earlier, approval)]}
    text = json.dumps(data, indent=2, ensure_ascii=False) + "\n"
    _replace(approvals_path(record), text.encode("utf-8"))
    return approval


def _replace(path: Path, data: bytes) -> None:
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(data)
            file.flush()
            os.fsync(file.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def statuses(
    drafts: Mapping[str, Draft], approvals: Sequence[Approval]
) -> dict[str, ApprovalStatus]:
    """Each draft's :class:`ApprovalStatus` against ``approvals``."""
    result = {}
    for channel, draft in drafts.items():
        current = digest(draft)
        mine = [approval for approval in approvals if approval.channel == channel]
        matching = [approval for approval in mine if approval.sha256 == current]
        if matching:
            result[channel] = ApprovalStatus(
                channel=channel, state="approved", sha256=current, approval=matching[-1]
            )
        elif mine:
            result[channel] = ApprovalStatus(
                channel=channel, state="changed", sha256=current, approval=mine[-1]
            )
        else:
            result[channel] = ApprovalStatus(channel=channel, state="unapproved", sha256=current)
    return result


def manifest_entry(
    drafts: Mapping[str, Draft], record: str | os.PathLike[str]
) -> dict[str, Any] | None:
    """The manifest's ``approvals``: each channel's status, or ``None`` when nothing
    was ever approved beside ``record`` (so manifests without approvals stay as they were)."""
    approvals = load_approvals(record)
    if not approvals:
        return None
    return {name: status.to_dict() for name, status in statuses(drafts, approvals).items()}


def slack_notes(
    drafts: Mapping[str, Draft], record: str | os.PathLike[str]
) -> dict[str, str] | None:
    """For the Slack alert: each public draft's approval in one line, or ``None`` when
    nothing was ever approved beside ``record``."""
    approvals = load_approvals(record)
    if not approvals:
        return None
    others = {name: draft for name, draft in drafts.items() if name != "slack"}
    return {name: status.note for name, status in statuses(others, approvals).items()}


def with_slack_notes(
    bundle: Bundle,
    record: str | os.PathLike[str],
    **options: Any,
) -> Bundle:
    """``bundle`` with its Slack alert saying which drafts are approved and which changed
    since; unchanged when it has no Slack alert or nothing was ever approved.

    ``options`` are those the bundle was composed with (``voice``, ``update``,
    ``template_dirs``, ``rules``); the alert is composed again with the notes.
    """
    # Imported here: composing needs the channels, which need nothing from here.
    from crisiscomms.channels import available_channels
    from crisiscomms.channels.slack import SlackChannel
    from crisiscomms.compose import compose

    if "slack" not in bundle:
        return bundle
    if not load_approvals(record):
        return bundle
    # The alert speaks of every public draft, also those not drafted this time.
    missing = [name for name in available_channels() if name not in bundle]
    every = (
        {**compose(bundle.incident, channels=missing, **options), **bundle} if missing else bundle
    )
    notes = slack_notes(every, record)
    if notes is None:
        return bundle
    alert = compose(bundle.incident, channels=[SlackChannel(approvals=notes)], **options)
    drafts = {name: alert["slack"] if name == "slack" else draft for name, draft in bundle.items()}
    # compose lists findings channel by channel; keep that order.
    findings = tuple(
        finding
        for name in bundle
        for finding in (alert.findings if name == "slack" else bundle.findings)
        if finding.channel == name
    )
    return attrs.evolve(bundle, drafts=drafts, findings=findings)
