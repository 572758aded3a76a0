"""The review server: the preview page of one record, live, for the people approving it.

Built on the standard library's :mod:`http.server`, so reviewing needs nothing
installed beyond crisiscomms. The page asks ``/version`` a few times a second
(a request on the loopback interface costs nothing) and reloads itself when the
record, a template, a rules file or the approvals change; each page load
composes afresh, so what is shown is always what the files say now. A record
that no longer loads shows its error (with file and line) in the page, and the
server keeps running.

``POST /approve`` records who approved which exact text in ``approvals.json``
beside the record (see :mod:`crisiscomms.approvals`). The approval names the
digest of the text the reviewer was shown; if the draft changed meanwhile it
is refused, so nobody approves text they have not seen.

The server listens on 127.0.0.1 unless told otherwise. It answers only requests
addressed to it by the name it listens on (no DNS rebinding) and only approvals
posted from its own page (no other site can approve through the reviewer's
browser).
"""

from __future__ import annotations

import hashlib
import http.server
import os
import threading
import urllib.parse
from collections.abc import Sequence
from importlib import resources
from pathlib import Path
from typing import Any

import attrs

from crisiscomms import approvals
from crisiscomms.compose import Bundle, compose
from crisiscomms.errors import CrisisCommsError
from crisiscomms.incident import Incident, Stage
from crisiscomms.loading import load_incident
from crisiscomms.preview import Controls, preview_page
from crisiscomms.templating import packaged_templates
from crisiscomms.tone import RuleSet, bundled_rule_files
from crisiscomms.voice import preset_names

__all__ = ["LOOPBACK", "ReviewServer", "Selection"]

LOOPBACK = frozenset({"127.0.0.1", "localhost", "::1"})
_MAX_FORM = 64 * 1024
# Content the page may load: nothing from anywhere but itself.
_POLICY = (
    "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; "
    "connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
)


@attrs.frozen(kw_only=True)
class Selection:
    """What the reviewer chose to see: the voice, the timeline entry and a stage to try."""

    voice: str | None = None
    update: int | None = None
    stage: Stage | None = None

    @classmethod
    def from_query(cls, query: dict[str, list[str]]) -> tuple[Selection, str | None]:
        """The selection a query string asks for, and a notice for any value refused."""
        voice = (query.get("voice") or [""])[0].strip() or None
        update_text = (query.get("update") or [""])[0].strip()
        stage_text = (query.get("stage") or [""])[0].strip()
        notice = None
        update = None
        if update_text:
            if update_text.isdigit():
                update = int(update_text)
            else:
                notice = f"update must be a number, not {update_text!r}"
        stage = None
        if stage_text:
            try:
                stage = Stage(stage_text)
            except ValueError:
                notice = f"unknown stage {stage_text!r}"
        return cls(voice=voice, update=update, stage=stage), notice

    def query(self) -> str:
        """This selection as a query string for the page's address."""
        pairs = {
            "voice": self.voice or "",
            "update": "" if self.update is None else str(self.update),
            "stage": self.stage.value if self.stage is not None else "",
        }
        return urllib.parse.urlencode({key: value for key, value in pairs.items() if value})


def _restaged(incident: Incident, selection: Selection) -> Incident:
    """The incident as it would read at ``selection.stage`` (the chosen update's stage too)."""
    stage = selection.stage
    if stage is None:
        return incident
    if not incident.updates:
        return attrs.evolve(incident, stage=stage)
    index = len(incident.updates) - 1 if selection.update is None else selection.update - 1
    index = min(max(index, 0), len(incident.updates) - 1)
    # The record as it stood at the chosen entry, tried at ``stage``: later entries
    # are left out and earlier ones held back to it, so the stages still run in order.
    order = list(Stage)
    updates = [
        attrs.evolve(entry, stage=min(entry.stage, stage, key=order.index))
        for entry in incident.updates[:index]
    ]
    updates.append(attrs.evolve(incident.updates[index], stage=stage))
    return attrs.evolve(incident, stage=stage, updates=tuple(updates))


def _files_under(folder: Path) -> list[Path]:
    if not folder.is_dir():
        return []
    return sorted(path for path in folder.rglob("*") if path.is_file())


class ReviewServer:
    """Serves the preview of ``record`` until :meth:`stop`; ``port=0`` picks a free port.

    ``template_dirs`` and ``rule_files`` are used as ``crisiscomms draft`` uses
    them; ``channels`` limits the drafts shown; ``voice`` and ``update`` are the
    page's first choice.
    """

    def __init__(
        self,
        record: str | os.PathLike[str],
        *,
        host: str = "127.0.0.1",
        port: int = 8000,
        template_dirs: Sequence[str | os.PathLike[str]] = (),
        rule_files: Sequence[str | os.PathLike[str]] = (),
        channels: Sequence[str] | None = None,
        voice: str | None = None,
        update: int | None = None,
        locale: str | None = None,
    ) -> None:
        self.record = Path(record).resolve()
        self.locale = locale
        self.template_dirs = tuple(Path(path) for path in template_dirs)
        self.rule_files = tuple(Path(path) for path in rule_files)
        self.channels = tuple(channels) if channels is not None else None
        self.default = Selection(voice=voice, update=update)
        self._lock = threading.Lock()
        self._rules: tuple[str, RuleSet] | None = None
        self._thread: threading.Thread | None = None
        self.httpd = http.server.ThreadingHTTPServer((host, port), _handler(self))
        self.httpd.daemon_threads = True
        self.host = host

    @property
    def port(self) -> int:
        """The port listened on (the one chosen, when asked for port 0)."""
        return int(self.httpd.server_address[1])

    @property
    def url(self) -> str:
        """The page's address."""
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}/"

    # -- what is watched ------------------------------------------------------

    def _rules_files(self, locale: str | None = None) -> list[Path]:
        """The bundled rule files that check drafts in ``locale``, then ``--rules``."""
        names = bundled_rule_files(locale)
        return [*(_bundled_rules() / name for name in names), *self.rule_files]

    def watched(self) -> list[Path]:
        """Every file whose change reloads the page."""
        templates = [packaged_templates(), *self.template_dirs]
        files = [self.record, approvals.approvals_path(self.record)]
        for folder in templates:
            files.extend(_files_under(folder))
        # Every language's rule files: the record may change its language.
        files.extend(sorted(_bundled_rules().rglob("*.toml")))
        files.extend(self.rule_files)
        return files

    def version(self) -> str:
        """A token that changes whenever a watched file changes, appears or goes."""
        digest = hashlib.sha256()
        for path in self.watched():
            try:
                stat = path.stat()
                digest.update(f"{path}\0{stat.st_mtime_ns}\0{stat.st_size}\n".encode())
            except OSError:
                digest.update(f"{path}\0missing\n".encode())
        return digest.hexdigest()[:16]

    def rules(self, locale: str | None = None) -> RuleSet:
        """The tone rules for drafts in ``locale`` as the files say now (parsed
        again only when one changed or the language did)."""
        files = self._rules_files(locale)
        key = "\n".join(f"{path}:{path.stat().st_mtime_ns}" for path in files if path.exists())
        cached = self._rules
        if cached is not None and cached[0] == key:
            return cached[1]
        rules = RuleSet.from_files(*files)
        self._rules = (key, rules)
        return rules

    # -- what is shown --------------------------------------------------------

    def compose(self, selection: Selection) -> Bundle:
        """The drafts for ``selection``, composed from the files as they are now."""
        incident = _restaged(load_incident(self.record), selection)
        options: dict[str, Any] = {
            "voice": selection.voice,
            "template_dirs": self.template_dirs,
            "update": selection.update,
            "locale": self.locale,
        }
        rules = self.rules(self.locale or incident.locale)
        bundle = compose(incident, channels=self.channels, rules=rules, **options)
        return approvals.with_slack_notes(bundle, self.record, rules=rules, **options)

    def page(self, selection: Selection, *, notice: str | None = None) -> str:
        """The page for ``selection``; a record that does not load shows its error instead."""
        version = self.version()
        try:
            bundle = self.compose(selection)
        except CrisisCommsError as error:
            controls = self._controls(None, selection, version, notice)
            return preview_page(None, controls=controls, error=str(error), title=self.record.name)
        return preview_page(bundle, controls=self._controls(bundle, selection, version, notice))

    def _controls(
        self, bundle: Bundle | None, selection: Selection, version: str, notice: str | None
    ) -> Controls:
        voices = list(preset_names())
        updates: tuple[tuple[int, str], ...] = ()
        statuses: dict[str, approvals.ApprovalStatus] = {}
        if bundle is not None:
            incident = bundle.incident
            voices.extend(person.key for person in incident.spokespeople)
            updates = tuple(
                (number, f"{number}: {entry.stage.label}, {entry.at:%Y-%m-%d %H:%M %Z}".strip())
                for number, entry in enumerate(incident.updates, start=1)
            )
            try:
                statuses = approvals.statuses(bundle, approvals.load_approvals(self.record))
            except CrisisCommsError as error:
                notice = str(error)
        chosen = selection.voice or (bundle.voice if bundle is not None else "")
        if chosen and chosen not in voices:
            voices.append(chosen)
        return Controls(
            voice=chosen,
            voices=tuple(dict.fromkeys(voices)),
            update=selection.update,
            updates=updates,
            stage=selection.stage.value if selection.stage is not None else None,
            stages=tuple(stage.value for stage in Stage),
            version=version,
            approvals=statuses,
            notice=notice,
        )

    def approve(self, form: dict[str, list[str]]) -> tuple[int, str]:
        """Record an approval posted from the page: ``(303, where)`` once recorded, or
        ``(409, page)`` when the draft changed since it was shown or a value is refused."""
        selection, notice = Selection.from_query(form)
        channel = (form.get("channel") or [""])[0]
        shown = (form.get("sha256") or [""])[0]
        name = (form.get("name") or [""])[0]
        if notice is not None:
            return 409, self.page(selection, notice=notice)
        with self._lock:
            try:
                bundle = self.compose(selection)
                draft = bundle.get(channel)
                if draft is None:
                    return 409, self.page(selection, notice=f"no {channel!r} draft to approve")
                if approvals.digest(draft) != shown:
                    message = (
                        f"The {channel} draft changed after this page showed it; "
                        "read it again before approving."
                    )
                    return 409, self.page(selection, notice=message)
                approvals.record_approval(self.record, draft, name=name, update=selection.update)
            except CrisisCommsError as error:
                return 409, self.page(selection, notice=str(error))
        query = selection.query()
        return 303, "/" + (f"?{query}" if query else "") + f"#channel-{channel}"

    # -- running ----------------------------------------------------------------

    def start(self) -> ReviewServer:
        """Serve from a background thread; returns self."""
        self._thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self._thread.start()
        return self

    def serve_forever(self) -> None:
        """Serve from this thread until interrupted."""
        self.httpd.serve_forever()

    def stop(self) -> None:
        """Stop serving and close the socket."""
        if self._thread is not None:
            self.httpd.shutdown()
            self._thread.join(timeout=5)
            self._thread = None
        self.httpd.server_close()

    def __enter__(self) -> ReviewServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def allowed_hosts(self) -> set[str]:
        """The ``Host`` headers answered: this server's own names, with its port."""
        names = {self.host, *LOOPBACK} if self.host in LOOPBACK else {self.host}
        result = set()
        for name in names:
            shown = f"[{name}]" if ":" in name else name
            result.add(f"{shown}:{self.port}")
        return result


def _handler(server: ReviewServer) -> type[http.server.BaseHTTPRequestHandler]:
    class Handler(http.server.BaseHTTPRequestHandler):
        server_version = "crisiscomms-review"

        def log_message(self, format: str, *args: Any) -> None:
            # Polling would fill the terminal; the page itself shows what matters.
            return

        def _send(self, status: int, body: str, *, kind: str = "text/html") -> None:
            data = body.encode("utf-8")
            self.send_response(status)
            self.send_header("Content-Type", f"{kind}; charset=utf-8")
            self.send_header("Content-Length", str(len(data)))
            self.send_header("Cache-Control", "no-store")
            self.send_header("Content-Security-Policy", _POLICY)
            self.send_header("X-Content-Type-Options", "nosniff")
            # "no-referrer" would make browsers send "Origin: null" with the approval form.
            self.send_header("Referrer-Policy", "same-origin")
            self.end_headers()
            self.wfile.write(data)

        def _host_ok(self) -> bool:
            if self.headers.get("Host", "") in server.allowed_hosts():
                return True
            self._send(421, "unknown host", kind="text/plain")
            return False

        def do_GET(self) -> None:
            if not self._host_ok():
                return
            address = urllib.parse.urlsplit(self.path)
            if address.path == "/version":
                self._send(200, server.version(), kind="text/plain")
            elif address.path == "/":
                query = urllib.parse.parse_qs(address.query)
                selection, notice = Selection.from_query(query)
                self._send(200, server.page(selection, notice=notice))
            else:
                self._send(404, "not found", kind="text/plain")

        def do_POST(self) -> None:
            if not self._host_ok():
                return
            if urllib.parse.urlsplit(self.path).path != "/approve":
                self._send(404, "not found", kind="text/plain")
                return
            origin = self.headers.get("Origin")
            if origin is not None and f"{origin}/" not in {
                f"http://{host}/" for host in server.allowed_hosts()
            }:
                self._send(403, "approvals come from the review page only", kind="text/plain")
                return
            try:
                length = int(self.headers.get("Content-Length", "0"))
            except ValueError:
                length = -1
            if not 0 <= length <= _MAX_FORM:
                self._send(413, "form too large", kind="text/plain")
                return
            body = self.rfile.read(length).decode("utf-8", errors="replace")
            status, result = server.approve(urllib.parse.parse_qs(body))
            if status == 303:
                self.send_response(303)
                self.send_header("Location", result)
                self.send_header("Content-Length", "0")
                self.end_headers()
            else:
                self._send(status, result)

    return Handler


def _bundled_rules() -> Path:
    """The folder of the bundled tone rules (English's at the top, a folder per language)."""
    return Path(str(resources.files("crisiscomms.tone").joinpath("rules")))
