"""The command line: ``crisiscomms draft``, ``crisiscomms check``, ``crisiscomms channels``.

It holds no logic the Python API lacks: each command loads, calls the API
and writes what comes back. Exit status: 0 on success, 1 when ``--strict``
(or ``check``) meets an error-level finding, 2 on bad input, with one line
on standard error and no traceback.

Each subcommand is one ``_add_<name>`` function that registers its parser
and sets its handler; :data:`_COMMANDS` lists them in the order help shows.
"""

from __future__ import annotations

import argparse
import difflib
import json
import os
import re
import sys
import tempfile
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any, TextIO

import attrs

from crisiscomms import __version__, approvals, review_cli, tone
from crisiscomms.channels import Channel, available_channels, get_channel
from crisiscomms.channels.mastodon import MastodonChannel
from crisiscomms.compose import Bundle, compose
from crisiscomms.drafts import Draft, EmailDraft
from crisiscomms.errors import CrisisCommsError, LoadError, OutputExistsError, UnknownNameError
from crisiscomms.findings import Finding, Level
from crisiscomms.loading import load_incident
from crisiscomms.posts import check_posts, split_posts
from crisiscomms.replies import command as replies_command
from crisiscomms.voice import preset_names

__all__ = ["main"]

EXIT_OK, EXIT_FINDINGS, EXIT_BAD_INPUT = 0, 1, 2


@attrs.frozen(kw_only=True)
class _Streams:
    """Where a command reads and writes (the real ones, or a test's)."""

    stdout: TextIO
    stderr: TextIO
    stdin: TextIO


Handler = Callable[[argparse.Namespace, _Streams], int]


def plural(count: int, noun: str) -> str:
    """``1 segment``, ``2 segments``: the count with the noun agreeing (nouns end in s)."""
    if count == 1 and noun.endswith("s"):
        noun = noun[:-1]
    return f"{count:,} {noun}"


def _suggestion(name: str, candidates: Iterable[str]) -> str:
    """`` (did you mean 'x'?)`` for the closest candidate, or nothing."""
    close = difflib.get_close_matches(name.strip().lower(), sorted(set(candidates)), n=1)
    return f" (did you mean {close[0]!r}?)" if close else ""


def _channel_names() -> list[str]:
    names = available_channels()
    return [*names, *(alias for name in names for alias in get_channel(name).aliases)]


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> Any:  # argparse's own usage errors: one line, exit 2
        found = re.search(r"invalid choice: '([^']*)'", message)
        if found is not None and self._subparsers is not None:
            choices = [
                name
                for action in self._subparsers._group_actions
                for name in getattr(action, "choices", None) or ()
            ]
            message += _suggestion(found.group(1), choices)
        self.exit(EXIT_BAD_INPUT, f"{self.prog}: error: {' '.join(message.split())}\n")


def _examples(*lines: str) -> str:
    return "examples:\n" + "\n".join(f"  {line}" for line in lines)


def _add_command(
    commands: Any, name: str, *, help: str, examples: Sequence[str], handler: Handler
) -> argparse.ArgumentParser:
    parser: argparse.ArgumentParser = commands.add_parser(
        name,
        help=help,
        description=help[0].upper() + help[1:] + ".",
        epilog=_examples(*examples),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.set_defaults(handler=handler)
    return parser


def _add_names(parser: argparse.ArgumentParser, *, help: str) -> None:
    parser.add_argument(
        "--channel",
        action="append",
        dest="channels",
        metavar="NAME",
        help=help,
    )


def _add_mastodon_limit(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--mastodon-limit",
        type=int,
        metavar="N",
        help="your Mastodon server's post limit (default: 500)",
    )


def _add_draft(commands: Any) -> None:
    draft = _add_command(
        commands,
        "draft",
        help="draft every channel's announcement from an incident file",
        examples=(
            "crisiscomms draft incident.toml",
            "crisiscomms draft incident.toml --channel x,email --voice ceo",
            "crisiscomms draft incident.toml --out drafts/ --to ops@example.com",
            "crisiscomms draft incident.toml --json | jq '.drafts_by_channel.x.parts'",
            "crisiscomms draft incident.toml --template-dir my-templates"
            " --var unsubscribe_url=https://example.com/u",
        ),
        handler=_draft,
    )
    draft.add_argument("file", metavar="FILE", help="the incident file (.toml, .json, .yaml)")
    draft.add_argument(
        "--voice",
        metavar="NAME",
        help=f"{', '.join(preset_names())}, or a spokesperson id from the file (any case)",
    )
    _add_names(
        draft,
        help="draft only these channels: a name or a comma list, repeatable (default: all)",
    )
    draft.add_argument(
        "--out", type=Path, metavar="DIR", help="write one file per draft and manifest.json here"
    )
    draft.add_argument("--json", action="store_true", help="print the JSON manifest")
    draft.add_argument("--strict", action="store_true", help="exit 1 on an error-level finding")
    draft.add_argument("--force", action="store_true", help="replace files that already exist")
    draft.add_argument(
        "--update", type=int, metavar="N", help="draft timeline entry N (default: the latest)"
    )
    draft.add_argument(
        "--locale",
        metavar="TAG",
        help="the drafts' language, a tag such as de, fr, es, pt-BR or ja"
        " (default: the record's own locale); other languages come from its translations",
    )
    draft.add_argument(
        "--template-dir",
        action="append",
        default=[],
        type=Path,
        dest="template_dirs",
        metavar="DIR",
        help="a folder of templates searched before the packaged ones (repeatable)",
    )
    draft.add_argument(
        "--var",
        action="append",
        default=[],
        dest="variables",
        metavar="KEY=VALUE",
        help="a name of your own for the templates, {{ KEY }} (repeatable)",
    )
    _add_mastodon_limit(draft)
    draft.add_argument(
        "--to",
        default=None,
        metavar="ADDRESS",
        help="the recipient written into email.eml, with --out (default: the support address)",
    )

    _add_rule_options(draft)


def _add_check(commands: Any) -> None:
    checker = _add_command(
        commands,
        "check",
        help="check an edited draft: each post measured as its channel counts, and its tone",
        examples=(
            "crisiscomms check drafts/x.txt --channel x",
            "crisiscomms check drafts/email.txt --channel email --voice founder",
            "pbpaste | crisiscomms check - --channel sms --stage resolved --json",
        ),
        handler=_check,
    )
    checker.add_argument(
        "file",
        metavar="FILE",
        help="a file as draft --out writes it (posts split by --- lines); '-' reads standard input",
    )
    checker.add_argument(
        "--channel", required=True, metavar="NAME", help="the channel the text is for"
    )
    checker.add_argument("--voice", metavar="NAME", help="the voice preset it speaks in")
    checker.add_argument("--stage", metavar="STAGE", help="the incident's stage")
    checker.add_argument("--severity", metavar="SEVERITY", help="the incident's severity")
    checker.add_argument(
        "--locale",
        metavar="TAG",
        help="the text's language, a tag such as de, fr, es, pt-BR or ja (default: en);"
        " its tone rules check it",
    )
    checker.add_argument("--json", action="store_true", help="print the posts and findings as JSON")
    _add_mastodon_limit(checker)
    _add_rule_options(checker)


def _add_channels(commands: Any) -> None:
    _add_command(
        commands,
        "channels",
        help="list the channels with their limits and how each counts",
        examples=("crisiscomms channels",),
        handler=_channels,
    )


def _add_review(commands: Any) -> None:
    review_cli.add_commands(commands)
    for name in review_cli.COMMANDS:
        commands.choices[name].set_defaults(handler=_review)


def _review(args: argparse.Namespace, io: _Streams) -> int:
    return review_cli.run(args, io.stdout, io.stderr)


def _add_replies(commands: Any) -> None:
    replies_command.register(commands).set_defaults(handler=_replies)


def _replies(args: argparse.Namespace, io: _Streams) -> int:
    return replies_command.run(args, io.stdout, io.stderr)


#: The subcommands, in the order help lists them.
_COMMANDS: tuple[Callable[[Any], None], ...] = (
    _add_draft,
    _add_check,
    _add_channels,
    _add_review,
    _add_replies,
)


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="crisiscomms",
        description="Draft every channel's crisis announcement from one incident file.",
        epilog=_examples(
            "crisiscomms draft examples/buffer-2013.toml",
            "crisiscomms check drafts/x.txt --channel x",
            "crisiscomms draft --help",
        ),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"crisiscomms {__version__}")
    commands = parser.add_subparsers(
        dest="command", required=True, metavar="COMMAND", parser_class=_Parser
    )
    for add in _COMMANDS:
        add(commands)
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


def _tone_rules(args: argparse.Namespace, locale: str | None = None) -> tone.RuleSet | None:
    """The bundled rules of ``locale``'s language with ``--rules`` files added and
    ``--disable`` ids left out."""
    if not args.rules and not args.disable:
        return None
    return tone.RuleSet.default(locale).with_files(*args.rules).without(*args.disable)


def _print_drafts(bundle: Bundle, out: TextIO) -> None:
    for name, draft in bundle.items():
        out.write(f"== {name} ({plural(draft.limit, draft.unit)}) ==\n")
        if isinstance(draft, EmailDraft):
            out.write(f"Subject: {draft.subject}\nPreheader: {draft.preheader}\n\n")
        pairs = zip(draft.parts, draft.lengths, strict=True)
        for index, (part, length) in enumerate(pairs, start=1):
            if len(draft.parts) > 1:
                out.write(f"-- post {index} of {len(draft.parts)}, {length:,} --\n")
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


def _refuse_links(folder: Path, names: Sequence[str], *, force: bool) -> None:
    """Refuse a symlink at the folder or at any target, dangling or not, unless
    ``force``; with ``force`` a link is replaced as a link, never followed."""
    if folder.is_symlink() and not force:
        raise OutputExistsError(str(folder))
    for name in names:
        path = folder / name
        if path.is_symlink() and not force:
            raise OutputExistsError(str(path))


def _os_error(error: OSError, where: Path) -> CrisisCommsError:
    reason = error.strerror or type(error).__name__
    return CrisisCommsError(f"{error.filename or where}: cannot write: {reason}")


def write_outputs(folder: Path, files: dict[str, bytes], *, force: bool) -> list[Path]:
    """Write every file into ``folder``, all of them or none.

    Nothing is written if a file exists (without ``force``) or a symlink is
    in the way (dangling or not). The files are written into a temporary
    folder beside ``folder`` and moved in only when all are written, so a
    failure (a full disk, a folder where a file belongs) leaves ``folder``
    as it was. Any such failure is a one-line
    :class:`~crisiscomms.errors.CrisisCommsError`.
    """
    targets = [folder / name for name in files]
    try:
        if folder.exists() and not folder.is_dir():
            raise OutputExistsError(str(folder))
        _refuse_links(folder, list(files), force=force)
        for path in targets:
            if path.is_dir() and not path.is_symlink():
                raise CrisisCommsError(f"{path}: is a folder, where a file would be written")
            if not force and path.exists():
                raise OutputExistsError(str(path))
        folder.parent.mkdir(parents=True, exist_ok=True)
        staging = Path(
            tempfile.mkdtemp(dir=folder.parent, prefix=f".{folder.name}.", suffix=".tmp")
        )
    except CrisisCommsError:
        raise
    except OSError as error:
        raise _os_error(error, folder) from None
    try:
        try:
            for name, data in files.items():
                with open(staging / name, "xb") as file:
                    file.write(data)
                    file.flush()
                    os.fsync(file.fileno())
            if not folder.exists():
                # A new folder: the staged one becomes it in one rename.
                os.rename(staging, folder)
                return targets
            for name in files:
                # Each rename within one file system replaces its target whole,
                # and a symlink there is replaced, not followed.
                os.replace(staging / name, folder / name)
        except OSError as error:
            raise _os_error(error, folder) from None
    finally:
        if staging.exists():
            for leftover in staging.iterdir():
                leftover.unlink(missing_ok=True)
            staging.rmdir()
    return targets


def _names(values: Sequence[str] | None) -> list[str] | None:
    """``--channel x,email --channel sms`` as ``["x", "email", "sms"]``."""
    if values is None:
        return None
    names = [name.strip() for value in values for name in value.split(",")]
    if not all(names):
        raise CrisisCommsError("--channel: a name is empty (write --channel x,email)")
    return names


def _mastodon(args: argparse.Namespace) -> MastodonChannel | None:
    if args.mastodon_limit is None:
        return None
    if args.mastodon_limit < 1:
        raise CrisisCommsError(
            f"--mastodon-limit must be a positive number, not {args.mastodon_limit}"
        )
    return MastodonChannel(limit=args.mastodon_limit)


def _chosen_channels(args: argparse.Namespace) -> list[str | Channel] | None:
    """The channels asked for, with Mastodon configured for the server's limit."""
    chosen = _names(args.channels)
    for name in chosen or ():
        get_channel(name)  # an unknown name is refused before the file is read
    mastodon = _mastodon(args)
    if mastodon is None:
        return list(chosen) if chosen is not None else None
    names = chosen if chosen is not None else available_channels()
    return [mastodon if get_channel(name).name == "mastodon" else name for name in names]


def _variables(pairs: Sequence[str]) -> dict[str, str]:
    variables: dict[str, str] = {}
    for pair in pairs:
        key, equals, value = pair.partition("=")
        if not equals or not key.strip():
            raise CrisisCommsError(f"--var: expected KEY=VALUE, not {pair!r}")
        if key.strip() in variables:
            raise CrisisCommsError(f"--var: {key.strip()} is given twice")
        variables[key.strip()] = value
    return variables


def _template_dirs(paths: Sequence[Path]) -> list[Path]:
    for path in paths:
        if not path.exists():
            raise CrisisCommsError(f"{path}: no such folder")
        if not path.is_dir():
            raise CrisisCommsError(f"{path}: is a file, not a folder")
    return list(paths)


def _draft(args: argparse.Namespace, io: _Streams) -> int:
    stdout, stderr = io.stdout, io.stderr
    if args.to is not None and args.out is None:
        raise CrisisCommsError("--to sets email.eml's recipient, so it needs --out DIR")
    channels = _chosen_channels(args)
    variables = _variables(args.variables)
    template_dirs = _template_dirs(args.template_dirs)
    incident = load_incident(args.file)
    rules = _tone_rules(args, args.locale or incident.locale)
    bundle = compose(
        incident,
        voice=args.voice,
        channels=channels,
        template_dirs=template_dirs,
        update=args.update,
        variables=variables,
        rules=rules,
        locale=args.locale,
    )
    bundle = approvals.with_slack_notes(
        bundle,
        args.file,
        voice=args.voice,
        template_dirs=args.template_dirs,
        update=args.update,
        rules=rules,
        variables=variables,
        locale=args.locale,
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
            stderr.write(f"wrote {plural(len(written), 'files')} to {args.out}\n")
    if args.json:
        stdout.write(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n")
    elif args.out is None:
        _print_drafts(bundle, stdout)
    if not args.json:
        _print_findings(bundle.findings, stderr)
    if args.strict and bundle.errors:
        stderr.write(f"crisiscomms: {plural(len(bundle.errors), 'error-level findings')}\n")
        return EXIT_FINDINGS
    return EXIT_OK


def _read_text(file: str, stdin: TextIO) -> str:
    """The text of ``file`` ('-' for standard input), refused as loading refuses a file."""
    if file == "-":
        return stdin.read()
    try:
        return Path(file).read_bytes().decode("utf-8-sig")
    except FileNotFoundError:
        raise LoadError("no such file", path=file) from None
    except IsADirectoryError:
        raise LoadError("is a folder, not a file", path=file) from None
    except UnicodeDecodeError as error:
        raise LoadError(f"not UTF-8 text (byte {error.start})", path=file) from None
    except OSError as error:
        raise LoadError(error.strerror or str(error), path=file) from None


def _position(text: str, offset: int) -> str:
    """``line:column`` (both from 1) of ``offset`` in ``text``."""
    line = text.count("\n", 0, offset) + 1
    column = offset - (text.rfind("\n", 0, offset) + 1) + 1
    return f"{line}:{column}"


def _check(args: argparse.Namespace, io: _Streams) -> int:
    channel = get_channel(args.channel)
    mastodon = _mastodon(args)
    if mastodon is not None and channel.name == "mastodon":
        channel = mastodon
    voice = args.voice.strip().lower() if args.voice else None
    text = _read_text(args.file, io.stdin)
    posts = split_posts(text, channel=channel)
    findings = check_posts(
        text,
        channel=channel,
        voice=voice,
        stage=args.stage,
        severity=args.severity,
        rules=_tone_rules(args, args.locale),
        locale=args.locale,
    )
    failed = any(finding.level is Level.ERROR for finding in findings)
    if args.json:
        report = {
            "file": args.file,
            "channel": channel.name,
            "limit": channel.limit,
            "unit": channel.unit,
            "posts": [
                {
                    "kind": post.kind,
                    "text": post.text,
                    "start": post.start,
                    "line": text.count("\n", 0, post.start) + 1,
                    "length": channel.measure(post.text),
                }
                for post in posts
            ],
            "findings": [
                {
                    **finding.to_dict(),
                    "at": _position(text, posts[finding.part].start + finding.start),
                }
                if finding.part < len(posts)
                else finding.to_dict()
                for finding in findings
            ],
        }
        io.stdout.write(json.dumps(report, indent=2, ensure_ascii=False) + "\n")
        return EXIT_FINDINGS if failed else EXIT_OK
    bodies = sum(1 for post in posts if post.kind == "post")
    number = 0
    for post in posts:
        if post.kind == "subject":
            what = "subject"
        else:
            number += 1
            what = f"post {number} of {bodies}" if bodies > 1 else "post"
        io.stdout.write(
            f"{args.file}:{_position(text, post.start)}: {what}: "
            f"{channel.measure(post.text):,} of {plural(channel.limit, channel.unit)}\n"
        )
    for finding in findings:
        found = posts[finding.part] if finding.part < len(posts) else None
        base = found.start if found is not None else 0
        excerpt = (found.text if found is not None else text)[finding.start : finding.end]
        excerpt = excerpt.replace("\n", " ")
        if len(excerpt) > 60:
            excerpt = excerpt[:57] + "..."
        io.stdout.write(
            f"{args.file}:{_position(text, base + finding.start)}: {finding.level}: "
            f"{finding.rule}: {finding.message} [{excerpt}]\n"
        )
    io.stdout.write(f"{plural(len(findings), 'findings')}\n")
    return EXIT_FINDINGS if failed else EXIT_OK


def _channels(args: argparse.Namespace, io: _Streams) -> int:
    for name in available_channels():
        channel = get_channel(name)
        aliases = f" (also {', '.join(channel.aliases)})" if channel.aliases else ""
        unit = plural(channel.limit, channel.unit).partition(" ")[2]
        io.stdout.write(f"{name:<11} {channel.limit:>6} {unit}: {channel.counting}{aliases}\n")
    return EXIT_OK


def _explain(error: CrisisCommsError) -> str:
    """The error's message on one line, with a suggestion for a misspelt name."""
    message = " ".join(str(error).split())
    if isinstance(error, UnknownNameError):
        candidates: Iterable[str] = error.known
        if error.kind == "channel":
            candidates = _channel_names()
        message += _suggestion(error.name, candidates)
    return message


def main(
    argv: Sequence[str] | None = None,
    *,
    stdout: TextIO | None = None,
    stderr: TextIO | None = None,
    stdin: TextIO | None = None,
) -> int:
    """Run the command line; return the exit status."""
    io = _Streams(
        stdout=stdout or sys.stdout, stderr=stderr or sys.stderr, stdin=stdin or sys.stdin
    )
    try:
        args = _parser().parse_args(argv)
    except SystemExit as exit_:
        return int(exit_.code or 0) if not isinstance(exit_.code, str) else EXIT_BAD_INPUT
    handler: Handler = args.handler
    try:
        return handler(args, io)
    except CrisisCommsError as error:
        io.stderr.write(f"crisiscomms: error: {_explain(error)}\n")
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
