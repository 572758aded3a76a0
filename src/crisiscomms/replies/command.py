"""``crisiscomms replies FILE MENTIONS.jsonl``: a reply to every mention, as JSON Lines.

Registered by :mod:`crisiscomms.cli`; like every command it only loads, calls
the API and writes what comes back.
"""

from __future__ import annotations

import argparse
import json
import os
import tempfile
from pathlib import Path
from typing import Any, TextIO

from crisiscomms.channels import get_channel
from crisiscomms.drafts import Draft
from crisiscomms.errors import OutputExistsError
from crisiscomms.loading import load_incident

__all__ = ["register", "reply_record", "run"]


def register(commands: Any) -> argparse.ArgumentParser:
    """Add the ``replies`` command to the command line's subparsers."""
    parser: argparse.ArgumentParser = commands.add_parser(
        "replies",
        help="draft a reply to every mention in a JSON Lines file",
        description=(
            "Read mentions (JSON Lines: handle, text, id, network), draft a reply to each "
            "that answers what it asks, and write the replies as JSON Lines with intent, "
            "needs_human and in_reply_to, plus a summary by intent."
        ),
    )
    parser.add_argument("file", help="the incident file (.toml, .json, .yaml)")
    parser.add_argument("mentions", help="the mentions, one JSON object a line")
    parser.add_argument(
        "--out", type=Path, help="write the replies here (default: standard output)"
    )
    parser.add_argument("--force", action="store_true", help="replace --out if it exists")
    parser.add_argument(
        "--channel",
        default="x",
        help="where replies go for mentions without a network (x, mastodon, bluesky, threads)",
    )
    parser.add_argument("--voice", help="founder, ceo, community-manager, brand, or an id")
    parser.add_argument(
        "--intents",
        action="append",
        default=[],
        type=Path,
        metavar="FILE",
        help="an intent rule file added to the bundled rules (repeatable)",
    )
    parser.add_argument(
        "--template-dir",
        action="append",
        default=[],
        type=Path,
        dest="template_dirs",
        help="a folder of templates searched before the packaged ones (repeatable)",
    )
    parser.add_argument(
        "--ignore-unknown",
        action="store_true",
        help="skip fields other than handle, text, id and network instead of refusing them",
    )
    return parser


def reply_record(reply: Draft) -> dict[str, Any]:
    """One reply as a JSON Lines record."""
    meta = reply.metadata
    return {
        "in_reply_to": meta.get("in_reply_to"),
        "handle": meta.get("handle"),
        "network": reply.channel,
        "intent": meta.get("intent"),
        "intents": meta.get("intents"),
        "needs_human": meta.get("needs_human"),
        "reason": meta.get("reason"),
        "text": reply.parts[0] if reply.parts else None,
        "length": reply.lengths[0] if reply.lengths else 0,
        "limit": reply.limit,
        "unit": reply.unit,
    }


def run(args: argparse.Namespace, stdout: TextIO, stderr: TextIO) -> int:
    """Run ``crisiscomms replies``; return the exit status."""
    # Loaded here, not when the command line starts: only this command needs them.
    from crisiscomms.replies.answers import compose_replies, summary_table
    from crisiscomms.replies.intents import IntentRules
    from crisiscomms.replies.mentions import NETWORKS, read_mentions

    incident = load_incident(args.file)
    channel = get_channel(args.channel).name
    mentions = read_mentions(
        args.mentions,
        unknown="ignore" if args.ignore_unknown else "error",
        network=channel if channel in NETWORKS else None,
    )
    rules = IntentRules.default().with_files(*args.intents) if args.intents else None
    replies = compose_replies(
        incident,
        mentions,
        voice=args.voice,
        channel=args.channel,
        template_dirs=args.template_dirs,
        rules=rules,
    )
    lines = "".join(json.dumps(reply_record(reply), ensure_ascii=False) + "\n" for reply in replies)
    table = summary_table(replies)
    if args.out is None:
        stdout.write(lines)
        stderr.write(table)
        return 0
    _write(args.out, lines.encode("utf-8"), force=args.force)
    stdout.write(table)
    stderr.write(f"wrote {len(replies)} replies to {args.out}\n")
    return 0


def _write(path: Path, data: bytes, *, force: bool) -> None:
    if path.exists() and (not force or path.is_dir()):
        raise OutputExistsError(str(path))
    folder = path.parent
    folder.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=folder, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(data)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
