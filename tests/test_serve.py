"""The review server over HTTP (no browser): pages, reloading, errors, approvals, refusals."""

from __future__ import annotations

import http.client
import io
import re
import shutil
import time
import urllib.parse
from collections.abc import Iterator
from pathlib import Path

import pytest

from crisiscomms.approvals import load_approvals
from crisiscomms.cli import main
from crisiscomms.serve import ReviewServer, Selection
from crisiscomms.tone import RuleSet
from tests.conftest import EXAMPLES


@pytest.fixture
def record(tmp_path: Path) -> Path:
    target = tmp_path / "incident.toml"
    shutil.copy(EXAMPLES / "buffer-2013-timeline.toml", target)
    return target


@pytest.fixture
def server(record: Path) -> Iterator[ReviewServer]:
    with ReviewServer(record, port=0) as running:
        yield running


def request(
    server: ReviewServer,
    method: str,
    path: str,
    body: str | None = None,
    headers: dict[str, str] | None = None,
) -> tuple[int, dict[str, str], str]:
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=20)
    try:
        connection.request(method, path, body=body, headers=headers or {})
        response = connection.getresponse()
        return response.status, dict(response.getheaders()), response.read().decode()
    finally:
        connection.close()


def touch(path: Path, text: str) -> None:
    """Write ``text`` and make sure the modification time moves (coarse clocks)."""
    before = path.stat().st_mtime_ns if path.exists() else 0
    path.write_text(text, encoding="utf-8")
    if path.stat().st_mtime_ns == before:
        time.sleep(0.01)
        path.write_text(text, encoding="utf-8")


class TestSelection:
    def test_query_round_trip(self) -> None:
        """A selection written as a query reads back the same."""
        chosen, notice = Selection.from_query({"voice": ["ceo"], "update": ["2"], "stage": []})
        assert notice is None
        again, _ = Selection.from_query(urllib.parse.parse_qs(chosen.query()))
        assert again == chosen

    @pytest.mark.parametrize(("key", "value"), [("update", "two"), ("stage", "done")])
    def test_a_bad_value_is_a_notice(self, key: str, value: str) -> None:
        """A refused value gives a notice naming it, not an error."""
        _, notice = Selection.from_query({key: [value]})
        assert notice is not None
        assert value in notice


class TestReviewServer:
    def test_listens_on_loopback_and_serves_the_page(self, server: ReviewServer) -> None:
        """The page has every channel, the choices, and a policy that loads nothing."""
        assert server.url.startswith("http://127.0.0.1:")
        status, headers, page = request(server, "GET", "/")
        assert status == 200
        assert page.count("data-channel=") == 10
        assert 'name="voice"' in page
        assert 'name="update"' in page
        assert 'name="stage"' in page
        assert "default-src 'none'" in headers["Content-Security-Policy"]

    def test_the_version_changes_with_the_record(self, server: ReviewServer, record: Path) -> None:
        """Editing the record changes /version, and the page shows the new text."""
        _, _, before = request(server, "GET", "/version")
        touch(record, record.read_text(encoding="utf-8").replace("Buffer", "Bufferly"))
        _, _, after = request(server, "GET", "/version")
        assert before != after
        _, _, page = request(server, "GET", "/")
        assert "Bufferly" in page

    def test_a_template_or_rules_file_is_watched(self, record: Path, tmp_path: Path) -> None:
        """A user template folder and a rules file are among the watched files."""
        folder = tmp_path / "mine"
        (folder / "x").mkdir(parents=True)
        rules = tmp_path / "rules.toml"
        rules.write_text("")
        with ReviewServer(record, port=0, template_dirs=[folder], rule_files=[rules]) as server:
            before = server.version()
            touch(folder / "x" / "default.txt", "{{ incident.title }} {{ status_url }}")
            assert server.version() != before
            _, _, page = request(server, "GET", "/?voice=brand")
            assert "X</h2>" in page or 'data-channel="x"' in page
            middle = server.version()
            touch(rules, "# no rules\n")
            assert server.version() != middle

    def test_its_rules_are_the_bundled_rules_read_afresh(self, server: ReviewServer) -> None:
        """Without --rules, the server's rules are the bundled ones, read from their files."""
        assert server.rules().ids == RuleSet.default().ids
        assert server.rules() is server.rules()

    def test_a_draft_in_another_language_is_checked_by_its_rules(
        self, server: ReviewServer
    ) -> None:
        """The language's own rule files check it, and every language's files are watched."""
        assert server.rules("de").ids == RuleSet.default("de").ids
        assert server.rules("de").ids != server.rules().ids
        assert any(path.parent.name == "ja" for path in server.watched())

    def test_a_broken_record_shows_its_error_and_the_server_stays(
        self, server: ReviewServer, record: Path
    ) -> None:
        """A record that no longer loads: the page shows file and line; fixing it recovers."""
        good = record.read_text(encoding="utf-8")
        touch(record, good + "\nstage = = 1\n")
        status, _, page = request(server, "GET", "/")
        assert status == 200
        assert 'role="alert"' in page
        assert re.search(re.escape(str(record)) + r":\d+", page), page[:2000]
        touch(record, good)
        _, _, page = request(server, "GET", "/")
        assert 'role="alert"' not in page
        assert page.count("data-channel=") == 10

    def test_voice_stage_and_update_are_chosen_in_the_query(self, server: ReviewServer) -> None:
        """?voice=ceo&update=1&stage=resolved drafts that, without a restart."""
        _, _, page = request(server, "GET", "/?voice=ceo&update=1&stage=resolved")
        assert "(ceo)" in page
        assert '<option value="resolved" selected>' in page
        assert '<option value="1" selected>' in page

    def test_approve_records_the_text_shown(self, server: ReviewServer, record: Path) -> None:
        """Posting the page's form records the approval and redirects to the draft."""
        _, _, page = request(server, "GET", "/")
        digest = re.search(
            r'name="channel" value="sms">\s*<input type="hidden" name="sha256" value="(\w+)"', page
        )
        assert digest
        form = urllib.parse.urlencode({"channel": "sms", "sha256": digest.group(1), "name": "Ana"})
        origin = server.url.rstrip("/")
        status, headers, _ = request(
            server,
            "POST",
            "/approve",
            form,
            {"Content-Type": "application/x-www-form-urlencoded", "Origin": origin},
        )
        assert status == 303
        assert headers["Location"].endswith("#channel-sms")
        (approval,) = load_approvals(record)
        assert (approval.channel, approval.name, approval.sha256) == ("sms", "Ana", digest[1])
        _, _, page = request(server, "GET", "/")
        assert "approved by Ana at" in page

    def test_approving_changed_text_is_refused(self, server: ReviewServer, record: Path) -> None:
        """A digest that is not the draft's current one is refused with 409, nothing written."""
        form = urllib.parse.urlencode({"channel": "x", "sha256": "0" * 64, "name": "Ana"})
        status, _, page = request(server, "POST", "/approve", form)
        assert status == 409
        assert "changed after this page showed it" in page
        assert load_approvals(record) == ()

    def test_other_sites_and_hosts_are_refused(self, server: ReviewServer, record: Path) -> None:
        """A post from another origin, or a request for another host name, is refused."""
        form = urllib.parse.urlencode({"channel": "x", "sha256": "0" * 64, "name": "Eve"})
        status, _, _ = request(
            server, "POST", "/approve", form, {"Origin": "http://attacker.example"}
        )
        assert status == 403
        status, _, _ = request(server, "GET", "/", headers={"Host": "attacker.example"})
        assert status == 421
        assert load_approvals(record) == ()


class TestServeCommand:
    def test_a_missing_record_is_one_line(self, tmp_path: Path) -> None:
        """serve on a file that does not exist: exit 2 and one line."""
        err = io.StringIO()
        code = main(["serve", str(tmp_path / "none.toml")], stdout=io.StringIO(), stderr=err)
        assert code == 2
        assert err.getvalue().count("\n") == 1

    def test_a_port_in_use_is_one_line(self, server: ReviewServer, record: Path) -> None:
        """serve on a port already taken: exit 2 and one line naming it."""
        err = io.StringIO()
        code = main(
            ["serve", str(record), "--port", str(server.port)], stdout=io.StringIO(), stderr=err
        )
        assert code == 2
        assert f":{server.port}" in err.getvalue()

    def test_another_interface_warns(self, server: ReviewServer, record: Path) -> None:
        """--host other than loopback warns before listening (here the port is taken, so
        nothing is ever served on it)."""
        err = io.StringIO()
        code = main(
            ["serve", str(record), "--host", "0.0.0.0", "--port", str(server.port)],
            stdout=io.StringIO(),
            stderr=err,
        )
        lines = err.getvalue().splitlines()
        assert "warning: listening on 0.0.0.0" in lines[0]
        assert code == 2
