"""The command line: ``crisiscomms draft``, ``crisiscomms check``, ``crisiscomms channels``.

It holds no logic the Python API lacks: each command loads, calls the API
and writes what comes back. Exit status: 0 on success, 1 when ``--strict``
(or ``check``) meets an error-level finding, 2 on bad input, with one line
on standard error and no traceback.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any, TextIO

from crisiscomms import __version__, approvals, review_cli, tone
from crisiscomms.channels import Channel, available_channels, get_channel
from crisiscomms.channels.mastodon import MastodonChannel
from crisiscomms.compose import Bundle, check, compose
from crisiscomms.drafts import Draft, EmailDraft
from crisiscomms.errors import CrisisCommsError, OutputExistsError
from crisiscomms.findings import Finding, Level
from crisiscomms.loading import load_incident
from crisiscomms.replies import command as replies_command

__all__ = ["main"]

EXIT_OK, EXIT_FINDINGS, EXIT_BAD_INPUT = 0, 1, 2


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> Any:  # argparse's own usage errors: one line, exit 2
        self.exit(EXIT_BAD_INPUT, f"{self.prog}: error: {message}\n")


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="crisiscomms",
        description="Draft every channel's crisis announcement from one incident file.",
    )
    parser.add_argument("--version", action="version", version=f"crisiscomms {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    draft = commands.add_parser("draft", help="draft every channel from an incident file")
    draft.add_argument("file", help="the incident file (.toml, .json, .yaml)")
    draft.add_argument(
        "--voice", help="founder, ceo, community-manager, brand, or a spokesperson id"
    )
    draft.add_argument(
        "--channel",
        action="append",
        dest="channels",
        metavar="C",
        help="draft only this channel (repeatable; default: all)",
    )
    draft.add_argument("--out", type=Path, help="write one file per draft and manifest.json here")
    draft.add_argument("--json", action="store_true", help="print the JSON manifest")
    draft.add_argument("--strict", action="store_true", help="exit 1 on an error-level finding")
    draft.add_argument("--force", action="store_true", help="replace files that already exist")
    draft.add_argument("--update", type=int, help="draft timeline entry N (default: the latest)")
    draft.add_argument(
        "--template-dir",
        action="append",
        default=[],
        type=Path,
        dest="template_dirs",
        help="a folder of templates searched before the packaged ones (repeatable)",
    )
    draft.add_argument(
        "--mastodon-limit",
        type=int,
        metavar="N",
        help="your Mastodon server's post limit (default: 500)",
    )
    draft.add_argument(
        "--to",
        default=None,
        help="the recipient written into email.eml (default: the support address)",
    )

    checker = commands.add_parser("check", help="check a text file against the tone rules")
    checker.add_argument("file", help="the text to check ('-' for standard input)")
    checker.add_argument("--channel", required=True, help="the channel the text is for")
    checker.add_argument("--voice", help="the voice preset it speaks in")
    checker.add_argument("--stage", help="the incident's stage")
    checker.add_argument("--severity", help="the incident's severity")
    for command in (draft, checker):
        _add_rule_options(command)

    commands.add_parser("channels", help="list the channels with their limits")
    review_cli.add_commands(commands)
    replies_command.register(commands)
    return parser


def _add_rule_options(command: argparse.ArgumentParser) -> None:
    command.add_argument(
        "--rules",
        action="append",
        default=[],
        type=Path,
        metavar="FILE",
        help="a tone rule file added to the bundled rules (repeatable)",
    )
    command.add_argument(
        "--disable",
        action="append",
        default=[],
        metavar="RULE",
        help="leave out the tone rule with this id (repeatable)",
    )


def _tone_rules(args: argparse.Namespace) -> tone.RuleSet | None:
    """The bundled rules with ``--rules`` files added and ``--disable`` ids left out."""
    if not args.rules and not args.disable:
        return None
    return tone.RuleSet.default().with_files(*args.rules).without(*args.disable)


def _print_drafts(bundle: Bundle, out: TextIO) -> None:
    for name, draft in bundle.items():
        out.write(f"== {name} ({draft.limit} {draft.unit}) ==\n")
        if isinstance(draft, EmailDraft):
            out.write(f"Subject: {draft.subject}\nPreheader: {draft.preheader}\n\n")
        pairs = zip(draft.parts, draft.lengths, strict=True)
        for index, (part, length) in enumerate(pairs, start=1):
            if len(draft.parts) > 1:
                out.write(f"-- post {index} of {len(draft.parts)}, {length} --\n")
            out.write(part + "\n\n")


def _print_findings(findings: Sequence[Finding], out: TextIO) -> None:
    for finding in findings:
        out.write(f"{finding}\n")


def _draft_files(draft: Draft, bundle: Bundle, to: str | None) -> dict[str, bytes]:
    name = draft.channel
    if isinstance(draft, EmailDraft):
        message = draft.to_message(to=to or bundle.incident.organization.support_email)
        return {
            f"{name}.txt": f"Subject: {draft.subject}\n\n{draft.text}\n".encode(),
            f"{name}.html": draft.html.encode(),
            f"{name}.eml": message.as_bytes(),
        }
    separator = "\n\n---\n\n"
    return {f"{name}.txt": (separator.join(draft.parts) + "\n").encode()}


def _write_atomically(path: Path, data: bytes) -> None:
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(data)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def write_outputs(folder: Path, files: dict[str, bytes], *, force: bool) -> list[Path]:
    """Write every file into ``folder``; refuse before writing anything if one exists."""
    targets = {folder / name: data for name, data in files.items()}
    if not force:
        for path in targets:
            if path.exists():
                raise OutputExistsError(str(path))
    if folder.exists() and not folder.is_dir():
        raise OutputExistsError(str(folder))
    folder.mkdir(parents=True, exist_ok=True)
    for path, data in targets.items():
        _write_atomically(path, data)
    return list(targets)


def _chosen_channels(args: argparse.Namespace) -> list[str | Channel] | None:
    """The channels asked for, with Mastodon configured for the server's limit."""
    chosen: list[str] | None = args.channels
    if args.mastodon_limit is None:
        return list(chosen) if chosen is not None else None
    if args.mastodon_limit < 1:
        raise CrisisCommsError(
            f"--mastodon-limit must be a positive number, not {args.mastodon_limit}"
        )
    names = chosen if chosen is not None else available_channels()
    mastodon = MastodonChannel(limit=args.mastodon_limit)
    return [mastodon if get_channel(name).name == "mastodon" else name for name in names]


def _draft(args: argparse.Namespace, stdout: TextIO, stderr: TextIO) -> int:
    incident = load_incident(args.file)
    rules = _tone_rules(args)
    bundle = compose(
        incident,
        voice=args.voice,
        channels=_chosen_channels(args),
        template_dirs=args.template_dirs,
        update=args.update,
        rules=rules,
    )
    bundle = approvals.with_slack_notes(
        bundle,
        args.file,
        voice=args.voice,
        template_dirs=args.template_dirs,
        update=args.update,
        rules=rules,
    )
    manifest = bundle.manifest()
    approved = approvals.manifest_entry(bundle, args.file)
    if approved is not None:
        manifest["approvals"] = approved
    if args.out is not None:
        files: dict[str, bytes] = {}
        for draft in bundle.values():
            files.update(_draft_files(draft, bundle, args.to))
        manifest["files"] = [*sorted(files), "manifest.json"]
        files["manifest.json"] = (
            json.dumps(manifest, indent=2, ensure_ascii=False) + "\n"
        ).encode()
        written = write_outputs(args.out, files, force=args.force)
        if not args.json:
            stderr.write(f"wrote {len(written)} files to {args.out}\n")
    if args.json:
        stdout.write(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n")
    elif args.out is None:
        _print_drafts(bundle, stdout)
    if not args.json:
        _print_findings(bundle.findings, stderr)
    if args.strict and bundle.errors:
        stderr.write(f"crisiscomms: {len(bundle.errors)} error-level finding(s)\n")
        return EXIT_FINDINGS
    return EXIT_OK


def _check(args: argparse.Namespace, stdout: TextIO, stdin: TextIO) -> int:
    if args.file == "-":
        text = stdin.read()
    else:
        try:
            text = Path(args.file).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            raise CrisisCommsError(f"{args.file}: cannot read: {error}") from None
    findings = check(
        text,
        channel=args.channel,
        voice=args.voice,
        stage=args.stage,
        severity=args.severity,
        rules=_tone_rules(args),
    )
    for finding in findings:
        excerpt = text[finding.start : finding.end].replace("\n", " ")
        if len(excerpt) > 60:
            excerpt = excerpt[:57] + "..."
        stdout.write(
            f"{args.file}:{finding.start}-{finding.end}: {finding.level}: {finding.rule}: "
            f"{finding.message} [{excerpt}]\n"
        )
    stdout.write(f"{len(findings)} finding(s)\n")
    return EXIT_FINDINGS if any(f.level is Level.ERROR for f in findings) else EXIT_OK


def _channels(stdout: TextIO) -> int:
    for name in available_channels():
        channel = get_channel(name)
        stdout.write(f"{name:<11} {channel.limit:>6} {channel.unit}: {channel.counting}\n")
    return EXIT_OK


def main(
    argv: Sequence[str] | None = None,
    *,
    stdout: TextIO | None = None,
    stderr: TextIO | None = None,
    stdin: TextIO | None = None,
) -> int:
    """Run the command line; return the exit status."""
    out = stdout or sys.stdout
    err = stderr or sys.stderr
    try:
        args = _parser().parse_args(argv)
    except SystemExit as exit_:
        return int(exit_.code or 0) if not isinstance(exit_.code, str) else EXIT_BAD_INPUT
    try:
        if args.command == "draft":
            return _draft(args, out, err)
        if args.command == "check":
            return _check(args, out, stdin or sys.stdin)
        if args.command in review_cli.COMMANDS:
            return review_cli.run(args, out, err)
        if args.command == "replies":
            return replies_command.run(args, out, err)
        return _channels(out)
    except CrisisCommsError as error:
        err.write(f"crisiscomms: error: {' '.join(str(error).split())}\n")
        return EXIT_BAD_INPUT


def run() -> None:
    """The console script's entry point."""
    try:
        code = main()
        sys.stdout.flush()
    except BrokenPipeError:
        # The reader went away (``| head``): stop quietly, as other tools do.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        code = EXIT_FINDINGS
    sys.exit(code)


if __name__ == "__main__":  # pragma: no cover
    run()
