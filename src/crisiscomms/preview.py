"""The preview page: every draft as its readers will see it, in one self-contained HTML file.

:func:`preview_page` turns a :class:`~crisiscomms.compose.Bundle` into one page
(styles and the little script it needs inline; nothing fetched from anywhere,
so it opens from disk with no network). Each channel is shown the way its
platform shows it, each post with its measure against the limit as the
platform counts it, and every finding highlighted at its span.

Incident text is hostile: the page is rendered by Jinja with autoescaping on,
and the one piece of HTML it embeds (the email) goes into a sandboxed
``iframe`` through ``srcdoc``, escaped like any other attribute.

Hooks for tests and tools: each channel's section carries
``data-channel="NAME"``, each post ``data-measure`` and ``data-limit``, each
highlighted finding ``data-rule``.
"""

from __future__ import annotations

import itertools
import json
import os
import re
import tempfile
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import attrs
import jinja2

from crisiscomms import _richtext
from crisiscomms.approvals import ApprovalStatus
from crisiscomms.channels import get_channel
from crisiscomms.compose import Bundle
from crisiscomms.drafts import Draft, EmailDraft
from crisiscomms.errors import OutputExistsError
from crisiscomms.findings import Finding
from crisiscomms.incident import Stage
from crisiscomms.templating import packaged_templates

__all__ = ["NEAR_LIMIT", "Controls", "Segment", "preview_page", "segments", "write_page"]

NEAR_LIMIT = 0.9
"""From this share of the limit on, a post's bar turns amber."""

_PLATFORMS = {
    "email": "Email",
    "x": "X",
    "facebook": "Facebook",
    "mastodon": "Mastodon",
    "bluesky": "Bluesky",
    "threads": "Threads",
    "linkedin": "LinkedIn",
    "sms": "SMS",
    "slack": "Slack",
    "statuspage": "Status page",
}
_DARK_QUERY = re.compile(r"@media\s*\(\s*prefers-color-scheme\s*:\s*dark\s*\)")
# The channels whose text the platform styles, and the syntax it reads.
_SYNTAX = {"slack": "mrkdwn", "statuspage": "markdown"}
_TAGS = ("strong", "em", "code", "link")
_THREADS = frozenset({"x", "mastodon", "bluesky", "threads"})
_SINGLE = frozenset({"facebook", "linkedin"})


@attrs.frozen(kw_only=True)
class Segment:
    """A run of a post's text, and the findings (by index) whose span covers all of it.

    ``starts`` are the findings that begin at this run (the anchors the findings
    panel links to).
    """

    text: str
    findings: tuple[int, ...] = ()
    starts: tuple[int, ...] = ()


def segments(text: str, spans: Sequence[tuple[int, int, int]]) -> list[Segment]:
    """Cut ``text`` at every span's edges; ``spans`` are ``(start, end, index)``.

    Overlapping spans are allowed; a span is clipped to the text, and one that
    covers nothing is left out (the panel points at its post instead).
    """
    size = len(text)
    kept = [
        (max(0, start), min(size, end), index)
        for start, end, index in spans
        if min(size, end) > max(0, start)
    ]
    edges = sorted({0, size, *(s for s, _, _ in kept), *(e for _, e, _ in kept)})
    result = []
    for left, right in itertools.pairwise(edges):
        covering = tuple(index for start, end, index in kept if start <= left and right <= end)
        starting = tuple(index for start, _, index in kept if start == left)
        result.append(Segment(text=text[left:right], findings=covering, starts=starting))
    return result or [Segment(text=text)]


@attrs.frozen(kw_only=True)
class Controls:
    """What the review server adds to the page: the choices it was rendered with,
    the ones it offers, each draft's approval, and the token it reloads on."""

    voice: str
    voices: tuple[str, ...]
    update: int | None
    updates: tuple[tuple[int, str], ...]
    stage: str | None
    stages: tuple[str, ...]
    version: str
    approvals: Mapping[str, ApprovalStatus] = attrs.field(factory=dict)
    notice: str | None = None


def _initials(name: str) -> str:
    letters = [word[0] for word in name.split() if word[:1].isalnum()]
    return "".join(letters[:2]).upper() or "?"


def _display_name(bundle: Bundle, draft: Draft) -> str:
    """Who the post shows as from: the spokesperson when it goes out from their own handle."""
    network = get_channel(draft.channel).network
    speaker = bundle.speaker
    if draft.account and speaker.handles.get(network) == draft.account:
        return speaker.name
    return bundle.incident.organization.name


def _meter(measure: int, limit: int, unit: str) -> dict[str, Any]:
    ratio = measure / limit if limit else 1.0
    state = "over" if measure > limit else "near" if ratio >= NEAR_LIMIT else "ok"
    return {
        "measure": measure,
        "limit": limit,
        "unit": unit,
        "label": f"{measure:,} / {limit:,} {unit}",
        "percent": f"{min(ratio, 1.0) * 100:.1f}",
        "state": state,
    }


def _piece(segment: Segment, findings: Mapping[int, Finding]) -> dict[str, Any]:
    covering = [findings[index] for index in segment.findings]
    top = max((finding.level for finding in covering), key=lambda level: level.rank, default=None)
    return {
        "text": segment.text,
        "findings": covering,
        "level": top.value if top is not None else None,
        "rules": " ".join(dict.fromkeys(finding.rule for finding in covering)),
        "starts": segment.starts,
        "tags": (),
    }


def _rich_pieces(
    text: str,
    spans: Sequence[tuple[int, int, int]],
    syntax: str,
    findings: Mapping[int, Finding],
) -> list[dict[str, Any]]:
    """``text`` as its platform styles it, cut where findings begin and end.

    A run shown differently from its source (an entity, a link) is never cut: a
    finding touching it highlights all of it.
    """
    size = len(text)
    kept = [
        (max(0, start), min(size, end), index)
        for start, end, index in spans
        if min(size, end) > max(0, start)
    ]
    edges = sorted({edge for start, end, _ in kept for edge in (start, end)})
    pieces: list[tuple[int, int, str, frozenset[str]]] = []
    for run in _richtext.runs(text, syntax):
        cuts = [run.start]
        if run.plain:
            cuts.extend(edge for edge in edges if run.start < edge < run.end)
        cuts.append(run.end)
        for left, right in itertools.pairwise(cuts):
            shown = text[left:right] if run.plain else run.text
            if shown:
                pieces.append((left, right, shown, run.styles))
    first: dict[int, int] = {}
    result = []
    for number, (left, right, shown, styles) in enumerate(pieces):
        covering = tuple(index for start, end, index in kept if start < right and left < end)
        for index in covering:
            first.setdefault(index, number)
        segment = Segment(
            text=shown,
            findings=covering,
            starts=tuple(index for index in covering if first[index] == number),
        )
        piece = _piece(segment, findings)
        piece["tags"] = tuple(tag for tag in _TAGS if tag in styles)
        result.append(piece)
    return result


def _email_scheme(html: str, *, dark: bool) -> str:
    """The email as a client in that scheme shows it: its dark-scheme rules always or never
    apply, since a sandboxed frame cannot be told which scheme to prefer."""
    return _DARK_QUERY.sub("@media all" if dark else "@media not all", html)


def _channel_view(
    bundle: Bundle,
    draft: Draft,
    findings: Sequence[tuple[int, Finding]],
) -> dict[str, Any]:
    channel = get_channel(draft.channel)
    name = draft.channel
    by_index = dict(findings)
    posts = []
    for number, part in enumerate(draft.parts):
        spans = [(f.start, f.end, index) for index, f in findings if f.part == number]
        measure = channel.measure(part)
        syntax = _SYNTAX.get(name)
        pieces = (
            _rich_pieces(part, spans, syntax, by_index)
            if syntax is not None
            else [_piece(segment, by_index) for segment in segments(part, spans)]
        )
        post: dict[str, Any] = {
            "id": f"post-{name}-{number + 1}",
            "number": number + 1,
            "text": part,
            "segments": pieces,
            "meter": _meter(measure, draft.limit, draft.unit),
        }
        posts.append(post)
    view: dict[str, Any] = {
        "name": name,
        "platform": _PLATFORMS.get(name, name),
        "kind": (
            "thread"
            if name in _THREADS
            else "post"
            if name in _SINGLE
            else name
            if name in ("email", "sms", "slack", "statuspage")
            else "post"
        ),
        "account": draft.account,
        "display_name": _display_name(bundle, draft),
        "initials": _initials(_display_name(bundle, draft)),
        "posts": posts,
        "metadata": dict(draft.metadata),
        "title": draft.title,
        "posted_by": draft.posted_by,
        "findings": [index for index, _ in findings],
    }
    if isinstance(draft, EmailDraft):
        sender = draft.sender_name
        view["email"] = {
            "from": f"{sender} <{draft.sender_email}>" if sender else draft.sender_email,
            "subject": draft.subject,
            "subject_id": f"subject-{name}",
            "subject_meter": _meter(channel.measure(draft.subject), draft.limit, draft.unit),
            "preheader": draft.preheader,
            "light": _email_scheme(draft.html, dark=False),
            "dark": _email_scheme(draft.html, dark=True),
        }
        # The body is not measured against the subject's limit.
        for post in posts:
            post["meter"] = None
    if name == "sms":
        encoding = str(draft.metadata.get("encoding", ""))
        view["sms"] = {
            "encoding": "GSM-7" if encoding == "gsm7" else "UCS-2" if encoding else "",
            "units": draft.metadata.get("units"),
            "unit_name": "septets" if encoding == "gsm7" else "UTF-16 units",
        }
    if name == "statuspage":
        components = draft.metadata.get("components", ()) or ()
        view["components"] = [
            {
                "name": str(component.get("name", "")),
                "status": str(component.get("status", "")),
                "label": str(component.get("status", "")).replace("_", " ").capitalize(),
            }
            for component in components
        ]
        view["status"] = str(draft.metadata.get("status", ""))
    return view


def _script_json(data: object) -> str:
    """JSON safe inside a ``<script>`` element: no ``<``, ``>`` or ``&`` left to end it."""
    text = json.dumps(data, ensure_ascii=True, sort_keys=True)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def _environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(packaged_templates() / "preview")),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


def preview_page(
    bundle: Bundle | None,
    *,
    controls: Controls | None = None,
    error: str | None = None,
    title: str | None = None,
) -> str:
    """The preview page of ``bundle``, as one self-contained HTML document.

    ``controls`` adds what the review server offers (voice, stage and update
    choices, approvals, reloading); ``error`` shows a message in place of the
    drafts (a record that no longer loads), with ``bundle`` ``None``.
    """
    findings = list(bundle.findings) if bundle is not None else []
    indexed = list(enumerate(findings))
    channels = []
    texts: dict[str, str] = {}
    if bundle is not None:
        for name, draft in bundle.items():
            mine = [(index, f) for index, f in indexed if f.channel == name]
            view = _channel_view(bundle, draft, mine)
            channels.append(view)
            for post in view["posts"]:
                texts[post["id"]] = post["text"]
            if "email" in view:
                texts[view["email"]["subject_id"]] = view["email"]["subject"]
    anchors = _anchors(channels, findings)
    incident = bundle.incident if bundle is not None else None
    page = _environment().get_template("page.html")
    return page.render(
        bundle=bundle,
        incident=incident,
        channels=channels,
        findings=[{"index": index, "finding": f, "anchor": anchors[index]} for index, f in indexed],
        texts=_script_json(texts),
        controls=controls,
        error=error,
        platforms=_PLATFORMS,
        stage_label=_stage_label(bundle),
        channel_parts={view["name"]: len(view["posts"]) for view in channels},
        title=title or (incident.title if incident is not None else "crisiscomms preview"),
        version_json=_script_json(controls.version if controls is not None else None),
    )


def _stage_label(bundle: Bundle | None) -> str:
    """The stage the drafts announce, as a reader sees it (``Post-mortem``)."""
    if bundle is None:
        return ""
    drafted = next(iter(bundle.values()), None)
    return Stage(drafted.stage).label if drafted is not None else bundle.incident.stage.label


def _anchors(channels: Sequence[Mapping[str, Any]], findings: Sequence[Finding]) -> list[str]:
    """Where the findings panel links for each finding: its highlight, else its post."""
    anchors = [""] * len(findings)
    for view in channels:
        for post in view["posts"]:
            for segment in post["segments"]:
                for index in segment["starts"]:
                    anchors[index] = f"finding-{index}"
    for index, finding in enumerate(findings):
        if not anchors[index]:
            anchors[index] = f"post-{finding.channel}-{finding.part + 1}"
    return anchors


def write_page(path: str | os.PathLike[str], html: str, *, force: bool = False) -> Path:
    """Write ``html`` to ``path`` atomically; refuse to replace a file unless ``force``.

    Raises:
        OutputExistsError: ``path`` exists and ``force`` is false, or it is a folder.
    """
    target = Path(path)
    if target.is_dir() or (target.exists() and not force):
        raise OutputExistsError(str(target))
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(
        dir=target.parent, prefix=f".{target.name}.", suffix=".tmp"
    )
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(html.encode("utf-8"))
        if force:
            os.replace(temporary, target)
        else:
            _publish_new(Path(temporary), target)
    except FileExistsError:
        raise OutputExistsError(str(target)) from None
    finally:
        Path(temporary).unlink(missing_ok=True)
    return target


def _publish_new(temporary: Path, target: Path) -> None:
    """Give ``temporary`` the name ``target`` only if that name is still free."""
    try:
        # link() fails if the name was taken meanwhile, so a file that appeared
        # after the caller's check is still not replaced.
        os.link(temporary, target)
    except FileExistsError:
        raise
    except OSError:
        # A file system without hard links: check again, then rename.
        if target.exists():
            raise FileExistsError(str(target)) from None
        os.replace(temporary, target)
