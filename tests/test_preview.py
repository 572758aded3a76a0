"""The preview page without a browser: its parts, its escaping, and how it is written."""

from __future__ import annotations

import html.parser
import json
import os
import re
from collections import Counter
from pathlib import Path

import attrs
import markupsafe
import pytest
from hypothesis import given, reject, settings
from hypothesis import strategies as st

from crisiscomms import Bundle, Incident, compose, get_channel
from crisiscomms._richtext import runs
from crisiscomms.drafts import EmailDraft
from crisiscomms.errors import CrisisCommsError, OutputExistsError
from crisiscomms.preview import preview_page, segments, write_page
from crisiscomms.testing import incidents
from tests.conftest import EXAMPLES, incident_fields
from tests.test_cli import run

STRUCK = "We apologize for any inconvenience caused by a sophisticated attack."
HOSTILE = st.lists(
    st.sampled_from([*"<>&\"'`=/;:!- abcs", "<script>", "</textarea>", "]]>", "<!--", "&amp;"]),
    max_size=20,
).map("".join)


class _Tags(html.parser.HTMLParser):
    """Collects the page's elements and each script's text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: Counter[str] = Counter()
        self.attributes: set[str] = set()
        self.scripts: list[str] = []
        self.srcdocs: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags[tag] += 1
        self.attributes.update(name for name, _ in attrs)
        self._in_script = tag == "script"
        if tag == "script":
            self.scripts.append("")
        self.srcdocs.extend(value or "" for name, value in attrs if name == "srcdoc")

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._in_script = False

    def handle_data(self, data: str) -> None:
        if self._in_script:
            self.scripts[-1] += data


def parse(page: str) -> _Tags:
    parser = _Tags()
    parser.feed(page)
    parser.close()
    return parser


@pytest.fixture(scope="module")
def struck_bundle() -> Bundle:
    return compose(Incident(**incident_fields(summary=STRUCK)), channels=["facebook"])


class TestSegments:
    @given(
        text=st.text(max_size=60),
        spans=st.lists(st.tuples(st.integers(-5, 70), st.integers(-5, 70)), max_size=6),
    )
    def test_segments_rebuild_the_text_and_cover_each_span_exactly(
        self, text: str, spans: list[tuple[int, int]]
    ) -> None:
        """The runs join back into the text; the runs carrying a finding are exactly its
        (clipped) span, and it starts in exactly one run."""
        indexed = [(start, end, index) for index, (start, end) in enumerate(spans)]
        runs = segments(text, indexed)
        assert "".join(run.text for run in runs) == text
        for start, end, index in indexed:
            left, right = max(0, start), min(len(text), end)
            covered = ""
            position = 0
            for piece in runs:
                if index in piece.findings:
                    assert left <= position
                    assert position + len(piece.text) <= right
                    covered += piece.text
                position += len(piece.text)
            if right > left:
                assert covered == text[left:right]
                assert sum(index in run.starts for run in runs) == 1
            else:
                assert covered == ""

    def test_overlapping_findings_share_the_overlap(self) -> None:
        """Two overlapping spans give three runs; the middle one carries both."""
        runs = segments("abcdef", [(0, 4, 0), (2, 6, 1)])
        assert [(run.text, run.findings) for run in runs] == [
            ("ab", (0,)),
            ("cd", (0, 1)),
            ("ef", (1,)),
        ]


class TestPreviewPage:
    def test_every_channel_has_its_section_and_every_post_its_measure(
        self, buffer_incident: Incident
    ) -> None:
        """Each channel's section carries data-channel; each post data-measure and data-limit,
        equal to what the channel's measure() and limit give."""
        bundle = compose(buffer_incident)
        page = preview_page(bundle)
        for name, draft in bundle.items():
            channel = get_channel(name)
            assert f'data-channel="{name}"' in page
            texts = (draft.subject,) if isinstance(draft, EmailDraft) else draft.parts
            for text in texts:
                measure = channel.measure(text)
                assert f'data-measure="{measure}" data-limit="{channel.limit}"' in page
                assert f"{measure:,} / {channel.limit:,} {channel.unit}" in page

    def test_a_struck_phrase_is_highlighted_with_its_rule(self, struck_bundle: Bundle) -> None:
        """'any inconvenience' is inside a focusable mark carrying its rule, with the message."""
        page = preview_page(struck_bundle)
        marks = re.findall(r"<mark ([^>]*)>([^<]*)</mark>", page)
        struck = [
            text
            for attributes, text in marks
            if re.search(r'data-rule="[^"]*\bcrisis\.any-inconvenience\b', attributes)
        ]
        (finding,) = [f for f in struck_bundle.findings if f.rule == "crisis.any-inconvenience"]
        spanned = struck_bundle["facebook"].parts[0][finding.start : finding.end]
        assert "".join(struck) == str(markupsafe.escape(spanned))
        assert "any inconvenience" in spanned
        assert all('tabindex="0"' in attributes for attributes, _ in marks)
        assert str(markupsafe.escape(finding.message)) in page

    def test_the_email_is_sandboxed_with_nothing_allowed(self, buffer_incident: Incident) -> None:
        """The email goes into iframes with an empty sandbox, through srcdoc, light and dark."""
        page = preview_page(compose(buffer_incident, channels=["email"]))
        assert page.count('sandbox=""') == 2
        tags = parse(page)
        assert len(tags.srcdocs) == 2
        assert all("<html" in doc for doc in tags.srcdocs)
        assert "@media all" in tags.srcdocs[1]
        assert "@media not all" in tags.srcdocs[0]

    def test_the_page_fetches_nothing(self, buffer_incident: Incident) -> None:
        """No src or href points anywhere but inside the page, and a policy forbids loading."""
        page = preview_page(compose(buffer_incident))
        tags = parse(page)
        assert "src" not in tags.attributes
        assert "Content-Security-Policy" in page
        assert "@import" not in page
        assert "url(" not in page.split("</style>")[0]

    def test_the_same_bundle_gives_the_same_page(self, buffer_incident: Incident) -> None:
        """Deterministic: two renderings are byte-identical."""
        bundle = compose(buffer_incident)
        assert preview_page(bundle) == preview_page(bundle)

    def test_an_error_page_shows_the_message_escaped(self) -> None:
        """A record that does not load shows its message, escaped, in an alert."""
        page = preview_page(None, error="record.toml:3: <b>bad</b>")
        assert 'role="alert"' in page
        assert "record.toml:3: &lt;b&gt;bad&lt;/b&gt;" in page

    @settings(max_examples=30)
    @given(incident=incidents(max_size=200), hostile=HOSTILE, name=HOSTILE)
    def test_random_text_never_produces_markup(
        self, incident: Incident, hostile: str, name: str
    ) -> None:
        """Whatever the record says, the page has the same elements and attributes as its
        template writes, two scripts, and the texts for copying round-trip through JSON."""
        incident = attrs.evolve(
            incident,
            title=f"{hostile} {incident.title}",
            organization=attrs.evolve(incident.organization, name=f"{name} x"),
        )
        try:
            bundle = compose(incident)
        except CrisisCommsError:
            reject()
        page = preview_page(bundle)
        tags = parse(page)
        allowed = {
            "html", "head", "meta", "title", "style", "body", "a", "header", "h1", "h2", "h3",
            "p", "div", "fieldset", "legend", "label", "input", "nav", "ul", "li", "main",
            "section", "article", "span", "strong", "em", "button", "mark", "dl", "dt", "dd",
            "iframe", "aside", "ol", "br", "footer", "script", "code",
        }  # fmt: skip
        assert set(tags.tags) <= allowed
        assert tags.tags["script"] == 2
        assert not any(name.startswith("on") for name in tags.attributes)
        texts = json.loads(tags.scripts[0])
        for draft in bundle.values():
            for number, part in enumerate(draft.parts, start=1):
                assert texts[f"post-{draft.channel}-{number}"] == part


class TestWritePage:
    def test_refuses_to_replace_a_file(self, tmp_path: Path) -> None:
        """An existing file is kept unless force is given."""
        target = tmp_path / "page.html"
        target.write_text("mine")
        with pytest.raises(OutputExistsError):
            write_page(target, "<p>new</p>")
        assert target.read_text() == "mine"
        write_page(target, "<p>new</p>", force=True)
        assert target.read_text() == "<p>new</p>"

    def test_leaves_no_temporary_file(self, tmp_path: Path) -> None:
        """Only the page is left in the folder, written whole."""
        write_page(tmp_path / "sub" / "page.html", "x" * 100_000)
        assert os.listdir(tmp_path / "sub") == ["page.html"]
        assert (tmp_path / "sub" / "page.html").stat().st_size == 100_000

    def test_refuses_a_folder(self, tmp_path: Path) -> None:
        """A folder in the way is refused, even with force."""
        with pytest.raises(OutputExistsError):
            write_page(tmp_path, "x", force=True)


class TestPreviewCommand:
    def test_writes_the_page(self, tmp_path: Path) -> None:
        """crisiscomms preview FILE --out PAGE writes one page with every channel."""
        target = tmp_path / "preview.html"
        code, _, err = run("preview", str(EXAMPLES / "buffer-2013.toml"), "--out", str(target))
        assert code == 0, err
        assert target.read_text(encoding="utf-8").count("data-channel=") == 10

    def test_channel_voice_and_update_choose_the_drafts(self, tmp_path: Path) -> None:
        """--channel limits the sections; --voice and --update pick the drafts shown."""
        target = tmp_path / "preview.html"
        record = str(EXAMPLES / "buffer-2013-timeline.toml")
        code, _, err = run(
            "preview", record, "--channel", "x", "--channel", "sms",
            "--voice", "ceo", "--update", "1", "--out", str(target),
        )  # fmt: skip
        assert code == 0, err
        page = target.read_text(encoding="utf-8")
        assert page.count("data-channel=") == 2
        assert "(ceo)" in page

    def test_an_existing_page_is_kept_without_force(self, tmp_path: Path) -> None:
        """Exit 2 with one line when the page exists; --force replaces it."""
        target = tmp_path / "preview.html"
        target.write_text("mine")
        record = str(EXAMPLES / "buffer-2013.toml")
        code, _, err = run("preview", record, "--out", str(target))
        assert code == 2
        assert err.count("\n") == 1
        assert "already exists" in err
        assert target.read_text() == "mine"
        code, _, _ = run("preview", record, "--out", str(target), "--force")
        assert code == 0
        assert "data-channel" in target.read_text(encoding="utf-8")

    def test_a_bad_record_is_one_line(self, tmp_path: Path) -> None:
        """A record that does not load: exit 2, the file and line on one line, no page."""
        record = tmp_path / "bad.toml"
        record.write_text('title = "x"\nstage = \n')
        code, _, err = run("preview", str(record), "--out", str(tmp_path / "p.html"))
        assert code == 2
        assert f"{record}:2" in err
        assert err.count("\n") == 1
        assert not (tmp_path / "p.html").exists()


class TestRichText:
    @given(text=st.text(alphabet="*_`&;lgtamp<>|\\[]()-#x \n", max_size=60))
    def test_runs_cover_the_source_in_order(self, text: str) -> None:
        """For any text, in either syntax, the runs tile the source without gap or overlap,
        and plain runs show their source unchanged."""
        for syntax in ("mrkdwn", "markdown"):
            position = 0
            for piece in runs(text, syntax):
                assert piece.start == position
                assert piece.end > piece.start
                if piece.plain:
                    assert piece.text == text[piece.start : piece.end]
                position = piece.end
            assert position == len(text)

    def test_mrkdwn_shows_as_slack_shows_it(self) -> None:
        """Bold, italic, code, entities and links show as Slack shows them; snake_case and a
        lone marker stay as written."""
        shown = runs(
            "*Hi* &lt;b&gt; <https://a.example/x|a.example> snake_case_name *open", "mrkdwn"
        )
        text = "".join(piece.text for piece in shown)
        assert text == "Hi <b> a.example snake_case_name *open"
        assert {"strong"} == next(p.styles for p in shown if p.text == "Hi")
        assert "link" in next(p.styles for p in shown if p.text == "a.example")

    def test_markdown_shows_as_a_status_page_shows_it(self) -> None:
        """Bold, escapes, links and list items show rendered."""
        shown = runs("**Identified**: a \\[x\\] [mail](mailto:a@b.c)\n- one", "markdown")
        assert "".join(piece.text for piece in shown) == "Identified: a [x] mail\n• one"
