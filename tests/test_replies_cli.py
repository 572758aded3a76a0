"""``crisiscomms replies``: mentions in as JSON Lines, replies out, a summary by intent."""

from __future__ import annotations

import io
import json
from pathlib import Path

from crisiscomms.cli import main
from tests.conftest import EXAMPLES

EXAMPLE = str(EXAMPLES / "buffer-2013.toml")
MENTIONS = [
    {"handle": "@alice", "text": "is my password safe?", "id": "1"},
    {"handle": "@bob@mastodon.social", "text": "eta?", "id": "2", "network": "mastodon"},
    {"handle": "carol", "text": "journalist here, any statement?", "id": 3, "network": "bluesky"},
    {"handle": "@dan", "text": "follow me back", "id": "4"},
]


def run(*args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(args), stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


def write(path: Path, lines: list[str]) -> str:
    path.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    return str(path)


class TestRepliesCommand:
    def test_writes_one_record_per_mention(self, tmp_path: Path) -> None:
        """Each mention gets a JSON line with its intent, needs_human and in_reply_to."""
        mentions = write(tmp_path / "m.jsonl", [json.dumps(m) for m in MENTIONS])
        code, out, err = run("replies", EXAMPLE, mentions)
        assert code == 0
        records = [json.loads(line) for line in out.splitlines()]
        assert [r["in_reply_to"] for r in records] == ["1", "2", "3", "4"]
        assert [r["intent"] for r in records] == ["safety", "when", "press", "unrelated"]
        assert [r["needs_human"] for r in records] == [False, False, True, False]
        assert [r["network"] for r in records] == ["x", "mastodon", "bluesky", "x"]
        assert records[2]["text"].startswith("@carol.bsky.social ")
        assert records[3]["text"] is None
        assert all(r["length"] <= r["limit"] for r in records)
        assert "total" in err
        assert "press" in err

    def test_out_writes_the_file_and_prints_the_summary(self, tmp_path: Path) -> None:
        """--out writes the replies there; the summary table goes to standard output."""
        mentions = write(tmp_path / "m.jsonl", [json.dumps(m) for m in MENTIONS])
        target = tmp_path / "replies.jsonl"
        code, out, _ = run("replies", EXAMPLE, mentions, "--out", str(target))
        assert code == 0
        assert len(target.read_text(encoding="utf-8").splitlines()) == len(MENTIONS)
        assert out.splitlines()[0].split()[0] == "intent"

    def test_never_replaces_a_file_unasked(self, tmp_path: Path) -> None:
        """An existing --out is refused (exit 2) unless --force is given."""
        mentions = write(tmp_path / "m.jsonl", [json.dumps(MENTIONS[0])])
        target = tmp_path / "replies.jsonl"
        target.write_text("keep me\n", encoding="utf-8")
        code, _, err = run("replies", EXAMPLE, mentions, "--out", str(target))
        assert code == 2
        assert "already exists" in err
        assert target.read_text(encoding="utf-8") == "keep me\n"
        assert run("replies", EXAMPLE, mentions, "--out", str(target), "--force")[0] == 0

    def test_a_bad_line_is_one_line_naming_file_and_line(self, tmp_path: Path) -> None:
        """A broken line exits 2 with one line naming the file and the line."""
        mentions = write(tmp_path / "m.jsonl", [json.dumps(MENTIONS[0]), "{not json"])
        code, out, err = run("replies", EXAMPLE, mentions)
        assert code == 2
        assert out == ""
        assert len(err.strip().splitlines()) == 1
        assert f"{mentions}:2" in err

    def test_a_handle_the_channel_refuses_names_its_line(self, tmp_path: Path) -> None:
        """A handle too long for X is refused at its line, before anything is drafted."""
        mentions = write(tmp_path / "m.jsonl", ['{"handle": "@a_handle_far_too_long_for_x"}'])
        code, _, err = run("replies", EXAMPLE, mentions)
        assert code == 2
        assert f"{mentions}:1: handle:" in err

    def test_unknown_fields_can_be_ignored(self, tmp_path: Path) -> None:
        """Exports with more fields are refused by default and read with --ignore-unknown."""
        mentions = write(tmp_path / "m.jsonl", ['{"handle": "@a", "text": "eta", "likes": 3}'])
        assert run("replies", EXAMPLE, mentions)[0] == 2
        assert run("replies", EXAMPLE, mentions, "--ignore-unknown")[0] == 0

    def test_channel_and_intent_rules_options(self, tmp_path: Path) -> None:
        """--channel picks the network for mentions without one; --intents adds rules."""
        rules = tmp_path / "rules.toml"
        rules.write_text(
            "[[intent]]\nname = \"press\"\npatterns = ['\\bstringer\\b']\n", encoding="utf-8"
        )
        mentions = write(tmp_path / "m.jsonl", ['{"handle": "@a", "text": "stringer here"}'])
        code, out, _ = run(
            "replies", EXAMPLE, mentions, "--channel", "threads", "--intents", str(rules)
        )
        assert code == 0
        record = json.loads(out)
        assert record["network"] == "threads"
        assert record["intent"] == "press"

    def test_a_channel_without_replies_is_refused(self, tmp_path: Path) -> None:
        """--channel sms exits 2 with one line."""
        mentions = write(tmp_path / "m.jsonl", ['{"handle": "@a"}'])
        code, _, err = run("replies", EXAMPLE, mentions, "--channel", "sms")
        assert code == 2
        assert "replies go to" in err
