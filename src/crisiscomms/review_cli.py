"""The ``preview`` and ``serve`` commands: added to the command line by :mod:`crisiscomms.cli`.

Like every command they only call the API (:mod:`crisiscomms.preview`,
:mod:`crisiscomms.serve`) and write what comes back.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any, TextIO

from crisiscomms.compose import compose
from crisiscomms.errors import CrisisCommsError
from crisiscomms.loading import load_incident

__all__ = ["COMMANDS", "add_commands", "run"]

COMMANDS = ("preview", "serve")


def _common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file", help="the incident file (.toml, .json, .yaml)")
    parser.add_argument(
        "--voice", help="founder, ceo, community-manager, brand, or a spokesperson id"
    )
    parser.add_argument("--update", type=int, help="show timeline entry N (default: the latest)")
    parser.add_argument(
        "--locale",
        metavar="TAG",
        help="the drafts' language (de, fr, es, pt-BR, ja; default: the record's own)",
    )
    parser.add_argument(
        "--channel",
        action="append",
        dest="channels",
        metavar="C",
        help="show only this channel (repeatable; default: all)",
    )
    parser.add_argument(
        "--template-dir",
        action="append",
        default=[],
        type=Path,
        dest="template_dirs",
        help="a folder of templates searched before the packaged ones (repeatable)",
    )


def add_commands(commands: Any) -> None:
    """Add ``preview`` and ``serve`` to the command line's subparsers."""
    preview = commands.add_parser(
        "preview", help="write one HTML page showing every draft as its readers will see it"
    )
    _common(preview)
    preview.add_argument("--out", type=Path, required=True, help="the page to write (.html)")
    preview.add_argument("--force", action="store_true", help="replace the page if it exists")

    serve = commands.add_parser(
        "serve", help="review the drafts in a browser, live, and approve them"
    )
    _common(serve)
    serve.add_argument("--port", type=int, default=8000, help="the port (default: 8000)")
    serve.add_argument(
        "--host",
        default="127.0.0.1",
        help="the interface to listen on (default: 127.0.0.1, this machine only)",
    )
    serve.add_argument(
        "--rules",
        action="append",
        default=[],
        type=Path,
        dest="rule_files",
        metavar="FILE",
        help="a tone rules file added to the bundled rules (repeatable)",
    )


def run(args: argparse.Namespace, stdout: TextIO, stderr: TextIO) -> int:
    """Run ``preview`` or ``serve``; returns the exit status."""
    if args.command == "preview":
        return _preview(args, stderr)
    return _serve(args, stderr)


def _preview(args: argparse.Namespace, stderr: TextIO) -> int:
    incident = load_incident(args.file)
    bundle = compose(
        incident,
        voice=args.voice,
        channels=args.channels,
        template_dirs=args.template_dirs,
        update=args.update,
        locale=args.locale,
    )
    # Loaded here: drafting from the command line does not need the page.
    from crisiscomms.preview import preview_page, write_page

    written = write_page(args.out, preview_page(bundle), force=args.force)
    stderr.write(f"wrote {written}\n")
    return 0


def _serve(args: argparse.Namespace, stderr: TextIO) -> int:
    from crisiscomms.serve import LOOPBACK, ReviewServer

    if not 0 <= args.port <= 65535:
        raise CrisisCommsError(f"--port must be 0 to 65535, not {args.port}")
    if not Path(args.file).is_file():
        raise CrisisCommsError(f"{args.file}: no such file")
    if args.host not in LOOPBACK:
        stderr.write(
            f"crisiscomms: warning: listening on {args.host}: anyone who can reach this "
            "machine can read the drafts and approve them\n"
        )
    try:
        server = ReviewServer(
            args.file,
            host=args.host,
            port=args.port,
            template_dirs=args.template_dirs,
            rule_files=args.rule_files,
            channels=args.channels,
            voice=args.voice,
            update=args.update,
            locale=args.locale,
        )
    except OSError as error:
        raise CrisisCommsError(f"cannot listen on {args.host}:{args.port}: {error}") from None
    stderr.write(f"reviewing {args.file} at {server.url} (Ctrl-C to stop)\n")
    stderr.flush()
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        stderr.write("stopped\n")
    finally:
        server.stop()
    return 0
