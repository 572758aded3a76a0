"""The email draft: HTML, plain text, subject, preheader, the MIME message, and the inliners."""

from __future__ import annotations

import email
import email.policy
import functools
import http.server
import logging
import re
import threading
from collections.abc import Iterator
from email.headerregistry import Address
from email.message import EmailMessage
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from hypothesis import given
from hypothesis import strategies as st

from crisiscomms import EmailDraft, Incident, Spokesperson, Update, compose, load_incident
from crisiscomms.channels.email import EmailChannel
from crisiscomms.compose import prepare
from crisiscomms.emailmsg import check_header, neutralize_header, parse_address
from crisiscomms.errors import HeaderError, UnknownNameError
from crisiscomms.inlining import _PREMAILER_OPTIONS, inline_css, quiet_cssutils
from crisiscomms.markup import columns, to_html, to_text
from crisiscomms.templating import packaged_templates
from crisiscomms.testing import incidents

from .conftest import EXAMPLES, incident_fields

INLINERS = ("premailer", "css-inline")
STAGES = ("investigating", "identified", "monitoring", "resolved", "postmortem")
EXPECTED_HEADERS = [
    "Subject",
    "From",
    "To",
    "Reply-To",
    "Date",
    "Message-ID",
    "MIME-Version",
    "Content-Type",
]


# -- helpers -----------------------------------------------------------------------------


def email_draft(
    incident: Incident,
    *,
    inliner: str = "premailer",
    template_dirs: tuple[Path, ...] = (),
    voice: Spokesperson | None = None,
) -> EmailDraft:
    """The email draft composed with ``EmailChannel(inliner=...)``."""
    channel = EmailChannel(inliner=inliner)
    draft = compose(incident, channels=[channel], template_dirs=template_dirs, voice=voice)
    assert isinstance(draft["email"], EmailDraft)
    return draft["email"]


def draft_of(incident: Incident, **options: Any) -> EmailDraft:
    draft = compose(incident, channels=["email"], **options)["email"]
    assert isinstance(draft, EmailDraft)
    return draft


def reparse(message: EmailMessage) -> EmailMessage:
    """The message as a receiving server reads it: bytes parsed by the stdlib."""
    parsed = email.message_from_bytes(message.as_bytes(), policy=email.policy.default)
    assert isinstance(parsed, EmailMessage)
    return parsed


class Elements(HTMLParser):
    """Every start tag of a page with its attributes, and the text outside script/style."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str]]] = []
        self.text: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, {name: value or "" for name, value in attrs}))
        if tag in ("style", "script", "title"):
            self._skip += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in ("style", "script", "title"):
            self._skip = max(self._skip - 1, 0)

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.text.append(data)

    @classmethod
    def of(cls, html: str) -> Elements:
        parser = cls()
        parser.feed(html)
        parser.close()
        return parser


def scheme(url: str) -> str:
    # Browsers drop control characters and spaces before reading a scheme.
    cleaned = "".join(ch for ch in url if ord(ch) > 32 and ch != "\x7f")
    return urlsplit(cleaned).scheme.lower()


# -- CSS colours and WCAG contrast --------------------------------------------------------


def css_rules(css: str) -> list[tuple[str | None, list[str], dict[str, str]]]:
    """(media query or None, selectors, declarations) for each rule, in order."""
    css = re.sub(r"/\*.*?\*/", "", css, flags=re.DOTALL)
    rules: list[tuple[str | None, list[str], dict[str, str]]] = []

    def parse(block: str, media: str | None) -> None:
        position = 0
        while True:
            opening = block.find("{", position)
            if opening < 0:
                return
            head = block[position:opening].strip()
            if head.startswith("@media"):
                depth, end = 1, opening + 1
                while depth:
                    depth += {"{": 1, "}": -1}.get(block[end], 0)
                    end += 1
                parse(block[opening + 1 : end - 1], head)
                position = end
                continue
            closing = block.index("}", opening)
            declarations: dict[str, str] = {}
            for item in block[opening + 1 : closing].split(";"):
                if ":" in item:
                    name, value = item.split(":", 1)
                    declarations[name.strip().lower()] = value.replace("!important", "").strip()
            selectors = [selector.strip() for selector in head.split(",")]
            rules.append((media, selectors, declarations))
            position = closing + 1

    parse(css, None)
    return rules


def style_of(html: str) -> str:
    match = re.search(r"<style[^>]*>(.*?)</style>", html, flags=re.DOTALL)
    assert match, "the email has no <style> element"
    return match.group(1)


def resolved(
    rules: list[tuple[str | None, list[str], dict[str, str]]],
    selector: str,
    prop: str,
    *,
    dark: bool,
) -> str | None:
    value = None
    for media, selectors, declarations in rules:
        in_scheme = media is None or (dark and "prefers-color-scheme: dark" in media)
        if in_scheme and selector in selectors and prop in declarations:
            value = declarations[prop]
    return value


def luminance(colour: str) -> float:
    match = re.fullmatch(r"#([0-9a-fA-F]{3}|[0-9a-fA-F]{6})", colour)
    assert match, f"colour {colour!r} is not a hex colour the test can read"
    digits = match.group(1)
    if len(digits) == 3:
        digits = "".join(ch * 2 for ch in digits)
    channels = [int(digits[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(foreground: str, background: str) -> float:
    lighter, darker = sorted((luminance(foreground), luminance(background)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


#: Each text selector of the layout and the selector whose background it sits on.
TEXT_ON_BACKGROUND = {
    "body": "body",
    ".content": ".container",
    ".wrapper": ".wrapper",
    ".content h1": ".container",
    ".content h2": ".container",
    ".content h3": ".container",
    ".content p": ".container",
    ".content li": ".container",
    ".content a": ".container",
    ".content blockquote": ".container",
    ".org": ".container",
    ".updated": ".container",
    ".footer": ".container",
    ".footer a": ".container",
    ".badge": ".badge",
    ".badge-identified": ".badge-identified",
    ".badge-monitoring": ".badge-monitoring",
    ".badge-resolved": ".badge-resolved",
    ".badge-postmortem": ".badge-postmortem",
}


# -- fixtures --------------------------------------------------------------------------


class Recorder(http.server.BaseHTTPRequestHandler):
    """Serves a stylesheet and records every request it receives."""

    timeout = 5
    requests: list[str]

    def do_GET(self) -> None:
        self.requests.append(self.path)
        body = b"p { color: #ff0000 !important; }"
        self.send_response(200)
        self.send_header("Content-Type", "text/css")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture
def loopback() -> Iterator[tuple[str, list[str]]]:
    """A stylesheet server on 127.0.0.1 in a thread: its base URL and the paths it was asked for."""
    requests: list[str] = []
    handler = type("Handler", (Recorder,), {"requests": requests})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.timeout = 5
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05})
    thread.daemon = True
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", requests
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def override_layout(folder: Path, *, head: str = "", css: str = "") -> Path:
    """A template folder whose ``email/layout.html`` is the packaged one plus ``head``
    (before the <style> element) and ``css`` (at the top of it)."""
    layout = (packaged_templates() / "email" / "layout.html").read_text(encoding="utf-8")
    layout = layout.replace("<style>\n", f"{head}\n<style>\n{css}\n", 1)
    (folder / "email").mkdir(parents=True, exist_ok=True)
    (folder / "email" / "layout.html").write_text(layout, encoding="utf-8")
    return folder


HOSTILE = (
    '<script>alert(1)</script><img src=x onerror="alert(2)">'
    '<a href="javascript:alert(3)">raw</a> [md](javascript:alert(4)) <javascript:alert(5)> '
    "[case](JaVaScRiPt:alert(6)) [data](data:text/html;base64,PHNjcmlwdD4=) "
    '[tab](java\tscript:alert(7)) <b onmouseover="x()">b</b> &lt;i&gt; &amp; &#x3C;script&#x3E; '
    '<!-- c --> <style>*{color:red}</style> <iframe src="https://evil.example"></iframe> '
    "![img](https://evil.example/pixel.png)"
)


def hostile_incident() -> Incident:
    """Every text field of the incident carries the hostile payload."""
    return Incident(
        **incident_fields(
            title=f"Title {HOSTILE}",
            summary=f"Summary {HOSTILE}",
            impact=f"Impact {HOSTILE}",
            actions=[f"Action {HOSTILE}"],
            user_actions=[f"User action {HOSTILE}"],
            not_affected=[f"Not affected {HOSTILE}"],
            unknowns=[f"Unknown {HOSTILE}"],
            cause=f"Cause {HOSTILE}",
            data_loss=f"Loss {HOSTILE}",
            # '<', '>' and '"' are refused in URLs; a quote of the other kind is legal there.
            status_url="https://status.example.com/?q='onmouseover='alert(8)",
            updates=[
                Update(
                    at=incident_fields()["started_at"],
                    stage="identified",
                    message=f"Update {HOSTILE}",
                )
            ],
            organization=incident_fields()["organization"].__class__(
                name=f"Org {HOSTILE}", support_email="help@example.com"
            ),
        )
    )


HOSTILE_SPEAKER = Spokesperson(
    name=f"Speaker {HOSTILE}", title=f"Title {HOSTILE}", preset="founder", email="ceo@example.com"
)


# -- the tests ---------------------------------------------------------------------------


class TestSubject:
    def test_stage_comes_first(self, buffer_resolved: Incident) -> None:
        """The subject opens with the stage, then the title."""
        assert draft_of(buffer_resolved).subject == f"Resolved: {buffer_resolved.title}"

    def test_long_title_is_cut_to_78_characters(self) -> None:
        """A long title is cut at a word, so the subject stays within 78 characters."""
        title = "Payments and refunds fail for customers in every region " * 4
        subject = draft_of(Incident(**incident_fields(title=title))).subject
        assert len(subject) <= 78
        assert subject.startswith("Investigating: Payments and refunds fail")

    @pytest.mark.parametrize(
        "title",
        [
            "Outage\r\nBcc: victim@example.com",
            "Outage\u2028Bcc: victim@example.com",
            "Outage =?UTF-8?Q?=0A?=Bcc: victim@example.com",
            "=?utf-8?b?Cg==?=Bcc: victim@example.com",
        ],
    )
    def test_title_cannot_inject_a_header(self, title: str) -> None:
        """Line breaks and encoded words in the title are neutralised in the subject:
        the message read back has exactly the expected headers and the same subject."""
        draft = draft_of(Incident(**incident_fields(title=title)))
        assert "=?" not in draft.subject
        assert not any(ch in draft.subject for ch in "\r\n\u2028")
        parsed = reparse(draft.to_message(to="reader@example.com"))
        assert parsed.keys() == EXPECTED_HEADERS
        assert parsed["Subject"] == draft.subject
        assert "Bcc" not in parsed


class TestPreheader:
    def test_carries_the_key_fact(
        self, buffer_incident: Incident, buffer_resolved: Incident
    ) -> None:
        """Open incidents preview what users see; resolved ones that it is fixed."""
        assert draft_of(buffer_incident).preheader.startswith("Posts you did not write")
        assert draft_of(buffer_resolved).preheader.startswith("This is fixed as of 6:40 pm PDT.")

    @pytest.mark.parametrize("impact", ["Down.", "x" * 300, "Checkout fails " * 30])
    def test_is_40_to_100_characters(self, impact: str) -> None:
        """A short fact is filled out and a long one cut, at a word where there is one."""
        preheader = draft_of(Incident(**incident_fields(impact=impact))).preheader
        assert 40 <= len(preheader) <= 100

    @given(incidents(max_size=300))
    def test_any_incident_has_a_preheader_of_40_to_100_characters(self, incident: Incident) -> None:
        """Whatever the incident's text, the preheader is 40 to 100 characters on one line."""
        preheader = draft_of(incident).preheader
        assert 40 <= len(preheader) <= 100
        assert len(preheader.splitlines()) == 1

    def test_is_hidden_at_the_top_of_the_body(self, buffer_incident: Incident) -> None:
        """The preheader is the first text of the body, in an element hidden from view."""
        draft = draft_of(buffer_incident)
        body = draft.html.split("<body", 1)[1]
        match = re.search(r'<div class="preheader"[^>]*style="([^"]*)"[^>]*>([^<]*)', body)
        assert match
        assert "display:none" in match.group(1).replace(" ", "")
        assert match.group(2).startswith(draft.preheader)


@pytest.fixture(scope="module")
def page(buffer_incident: Incident) -> str:
    """The Buffer email's HTML."""
    return draft_of(buffer_incident).html


@pytest.fixture(scope="module", params=INLINERS)
def hostile_draft(request: pytest.FixtureRequest) -> EmailDraft:
    """The email of an incident whose every field is hostile, with each inliner."""
    return email_draft(hostile_incident(), inliner=request.param, voice=HOSTILE_SPEAKER)


@pytest.fixture(scope="module")
def draft(buffer_incident: Incident) -> EmailDraft:
    """The Buffer email draft."""
    return draft_of(buffer_incident)


class TestHtml:
    def test_head_has_lang_charset_viewport_and_title(
        self, page: str, buffer_incident: Incident
    ) -> None:
        """lang, charset, viewport and the subject as the title."""
        tags = Elements.of(page).tags
        assert ("html", {"lang": "en", "dir": "ltr"}) in tags
        metas = [attrs for tag, attrs in tags if tag == "meta"]
        assert {"charset": "utf-8"} in metas
        assert any(
            m.get("name") == "viewport" and "width=device-width" in m["content"] for m in metas
        )
        assert f"<title>Investigating: {buffer_incident.title}</title>" in page

    def test_layout_is_presentation_tables_600_wide_then_full_width(self, page: str) -> None:
        """Tables with role=presentation; the 600 px container becomes 100% on small screens."""
        tables = [attrs for tag, attrs in Elements.of(page).tags if tag == "table"]
        assert len(tables) == 2
        assert all(table.get("role") == "presentation" for table in tables)
        assert tables[1]["width"] == "600"
        assert "max-width:600px" in tables[1]["style"].replace(" ", "")
        rules = css_rules(style_of(page))
        small = [
            d for media, sels, d in rules if media and "max-width" in media and ".container" in sels
        ]
        assert small == [{"width": "100%", "max-width": "100%"}]
        assert "!important" in style_of(page).split("@media only screen", 1)[1].split("}")[0]

    def test_has_the_stage_badge_and_the_signature(self, page: str) -> None:
        """The stage badge and the spokesperson's signature are in the page."""
        assert re.search(r'<span class="badge badge-investigating"[^>]*>Investigating</span>', page)
        text = " ".join("".join(Elements.of(page).text).split())
        assert "Joel Gascoigne Founder, Buffer" in text

    def test_links_are_underlined_and_descriptive(self, page: str) -> None:
        """Every link is underlined and says where it goes; no images are used."""
        tags = Elements.of(page).tags
        links = [attrs for tag, attrs in tags if tag == "a"]
        assert links
        for link in links:
            assert "text-decoration:underline" in link["style"].replace(" ", "")
        assert re.search(r">our status page</a>", page)
        assert "click here" not in page.lower()
        assert not [tag for tag, _ in tags if tag == "img"]

    @pytest.mark.parametrize("inliner", INLINERS)
    def test_text_contrast_is_at_least_4_5_in_both_schemes(
        self, buffer_incident: Incident, inliner: str
    ) -> None:
        """Each text colour against its background, light and dark, read from the CSS: >= 4.5:1."""
        rules = css_rules(style_of(email_draft(buffer_incident, inliner=inliner).html))
        coloured = {s for media, sels, d in rules for s in sels if "color" in d}
        assert coloured <= set(TEXT_ON_BACKGROUND), "a text colour has no background in the table"
        for dark in (False, True):
            for text, background in TEXT_ON_BACKGROUND.items():
                foreground = resolved(rules, text, "color", dark=dark) or resolved(
                    rules, "body", "color", dark=dark
                )
                behind = resolved(rules, background, "background-color", dark=dark)
                assert foreground, (text, dark)
                assert behind, (background, dark)
                ratio = contrast(foreground, behind)
                assert ratio >= 4.5, (
                    f"{text} {foreground} on {behind} ({'dark' if dark else 'light'}): {ratio:.2f}"
                )

    def test_contrast_helper_knows_the_extremes(self) -> None:
        """Black on white is 21:1; a colour on itself is 1:1."""
        assert contrast("#000", "#ffffff") == pytest.approx(21.0)
        assert contrast("#777777", "#777777") == pytest.approx(1.0)


class TestHostileInput:
    def test_no_markup_survives_in_the_html(self, hostile_draft: EmailDraft) -> None:
        """No script, iframe or img element, no on* attribute, one style element (ours)."""
        tags = Elements.of(hostile_draft.html).tags
        names = [tag for tag, _ in tags]
        assert "script" not in names
        assert "iframe" not in names
        assert "img" not in names
        assert names.count("style") == 1
        for tag, attrs in tags:
            assert not [name for name in attrs if name.startswith("on")], (tag, attrs)

    def test_only_http_https_and_mailto_links_survive(self, hostile_draft: EmailDraft) -> None:
        """Every href, src or action has an http, https or mailto scheme."""
        for tag, attrs in Elements.of(hostile_draft.html).tags:
            for name in ("href", "src", "action", "formaction", "xlink:href"):
                if name in attrs:
                    assert scheme(attrs[name]) in ("http", "https", "mailto"), (tag, attrs)

    def test_the_payload_is_shown_as_text(self, hostile_draft: EmailDraft) -> None:
        """The hostile words are still there, as visible text, not dropped silently."""
        text = "".join(Elements.of(hostile_draft.html).text)
        assert "<script>alert(1)</script>" in text
        assert "Speaker <script>" in text

    def test_the_status_url_stays_inside_its_attribute(self, hostile_draft: EmailDraft) -> None:
        """A quote in the status URL cannot close the href attribute."""
        hrefs = [attrs["href"] for tag, attrs in Elements.of(hostile_draft.html).tags if tag == "a"]
        assert any(href.startswith("https://status.example.com/?q=") for href in hrefs)

    def test_plain_text_spells_out_no_unsafe_link(self, hostile_draft: EmailDraft) -> None:
        """An unsafe link is not turned into 'label (url)'; it stays as the Markdown typed."""
        flat = " ".join(hostile_draft.text.split())
        for label in ("md", "case", "data"):
            assert f"{label} (" not in flat
        assert "[md](javascript:alert(4))" in flat

    def test_message_builds_and_parses_back(self, hostile_draft: EmailDraft) -> None:
        """The hostile hostile_draft still gives a well-formed message with the expected headers."""
        parsed = reparse(hostile_draft.to_message(to="reader@example.com"))
        assert parsed.keys() == EXPECTED_HEADERS


class TestCheckHeader:
    @pytest.mark.parametrize(
        "value",
        ["a\nb", "a\rb", "a\r\nb", "a\x0bb", "a\x0cb", "a\x1cb", "a\x85b", "a\u2028b", "a\u2029b"],
    )
    def test_line_breaks_are_refused(self, value: str) -> None:
        """Every character str.splitlines breaks on is refused, naming the field."""
        with pytest.raises(HeaderError, match="subject: must not contain a line break") as error:
            check_header(value, field="subject")
        assert error.value.field == "subject"

    @pytest.mark.parametrize(
        "value", ["=?UTF-8?Q?=0A?=Bcc: x@example.com", "a =?x", "\x00", "\x7f"]
    )
    def test_encoded_words_and_control_characters_are_refused(self, value: str) -> None:
        """'=?' and control characters are refused too."""
        with pytest.raises(HeaderError):
            check_header(value, field="to")

    def test_ordinary_text_passes(self) -> None:
        """Punctuation, quotes and non-ASCII letters are fine."""
        assert check_header('Resolved: "Zoë", 100% = ok?', field="subject")

    @pytest.mark.parametrize(
        "value", ["a\r\nBcc: x", "=?UTF-8?Q?=0A?=Bcc: x", "==??=", "a\u2028\u2029b", "\t tab \x00"]
    )
    def test_neutralised_text_always_passes(self, value: str) -> None:
        """neutralize_header's output is accepted by check_header."""
        assert check_header(neutralize_header(value), field="subject")

    def test_neutralising_keeps_the_words(self) -> None:
        """Line breaks become single spaces and '=?' becomes '= ?'."""
        assert neutralize_header("Outage\r\n\u2028 =?UTF-8?Q?x?=") == "Outage = ?UTF-8?Q?x?="


class TestParseAddress:
    @pytest.mark.parametrize(
        ("value", "name", "addr"),
        [
            ("reader@example.com", "", "reader@example.com"),
            ("Jo Reader <jo@example.com>", "Jo Reader", "jo@example.com"),
            ('"Smith, Jo" <jo@example.com>', "Smith, Jo", "jo@example.com"),
            (
                Address('Jo "JJ" Smith, PhD', "jo", "example.com"),
                'Jo "JJ" Smith, PhD',
                "jo@example.com",
            ),
        ],
    )
    def test_accepts_one_mailbox(self, value: str | Address, name: str, addr: str) -> None:
        """A bare address, a named one (commas and quotes quoted), or an Address."""
        parsed = parse_address(value, field="to")
        assert (parsed.display_name, parsed.addr_spec) == (name, addr)

    @pytest.mark.parametrize(
        "value",
        [
            "a@example.com, b@example.com",
            "Smith, Jo <jo@example.com>",
            "alice@example.org)<bob@example.org>",
            "group: a@example.com;",
            "not-an-address",
            "<>",
            "jo@exämple.com",
            "reader@example.com\r\nBcc: victim@example.com",
            "=?UTF-8?Q?=0A?=Bcc: victim@example.com <reader@example.com>",
            Address("x\u2028Bcc: victim@example.com", "jo", "example.com"),
            Address("=?utf-8?q?x?=", "jo", "example.com"),
        ],
    )
    def test_refuses_anything_else(self, value: str | Address) -> None:
        """Several addresses, groups, malformed or non-ASCII ones and injections are refused."""
        with pytest.raises(HeaderError) as error:
            parse_address(value, field="reply_to")
        assert error.value.field == "reply_to"


class TestToMessage:
    def test_is_multipart_alternative_text_then_html(self, draft: EmailDraft) -> None:
        """Read back by the stdlib: multipart/alternative, text/plain then text/html, both UTF-8."""
        parsed = reparse(draft.to_message(to="reader@example.com"))
        assert parsed.get_content_type() == "multipart/alternative"
        parts = list(parsed.iter_parts())
        assert [part.get_content_type() for part in parts] == ["text/plain", "text/html"]
        assert all(part.get_content_charset() == "utf-8" for part in parts)
        assert parts[0].get_content().replace("\r\n", "\n").strip() == draft.text.strip()
        assert parts[1].get_content().replace("\r\n", "\n").strip() == draft.html.strip()

    def test_headers_default_to_the_spokesperson_and_support(self, draft: EmailDraft) -> None:
        """From is the spokesperson, Reply-To the support address; Date and Message-ID are set."""
        parsed = reparse(draft.to_message(to=["a@example.com", "B <b@example.com>"]))
        assert parsed.keys() == EXPECTED_HEADERS
        assert parsed["From"] == "Joel Gascoigne at Buffer <joel@buffer.com>"
        assert parsed["Reply-To"] == "hello@buffer.com"
        assert parsed["To"] == "a@example.com, B <b@example.com>"
        assert parsed["Subject"] == draft.subject
        assert parsed["Date"].datetime is not None
        assert re.fullmatch(r"<[^<>@\s]+@buffer\.com>", parsed["Message-ID"])

    def test_from_and_reply_to_can_be_given(self, draft: EmailDraft) -> None:
        """Explicit From and Reply-To win; a display name with a comma and quotes is quoted."""
        sender = Address('Buffer "Status", Inc.', "status", "buffer.com")
        parsed = reparse(
            draft.to_message(to="a@example.com", from_=sender, reply_to="x@buffer.com")
        )
        assert parsed["From"].addresses[0].display_name == 'Buffer "Status", Inc.'
        assert parsed["From"].addresses[0].addr_spec == "status@buffer.com"
        assert parsed["Reply-To"] == "x@buffer.com"

    @pytest.mark.parametrize(
        ("field", "options"),
        [
            ("to", {"to": "a@example.com\r\nBcc: victim@example.com"}),
            ("to", {"to": ["ok@example.com", "=?UTF-8?Q?=0A?=Bcc: v@example.com <a@example.com>"]}),
            ("to", {"to": []}),
            (
                "from",
                {"to": "a@example.com", "from_": "Me\u2028Bcc: v@example.com <me@example.com>"},
            ),
            (
                "reply_to",
                {"to": "a@example.com", "reply_to": "r@example.com\x85Bcc: v@example.com"},
            ),
        ],
    )
    def test_injection_through_an_argument_is_refused(
        self, draft: EmailDraft, field: str, options: Any
    ) -> None:
        """A line break or encoded word in to, from_ or reply_to raises HeaderError naming it."""
        with pytest.raises(HeaderError) as error:
            draft.to_message(**options)
        assert error.value.field == field

    def test_a_hand_made_draft_is_checked_too(self, draft: EmailDraft) -> None:
        """A draft whose subject was edited to carry a line break cannot be sent."""
        import attrs

        edited = attrs.evolve(draft, subject="Hello\nBcc: victim@example.com")
        with pytest.raises(HeaderError, match="subject"):
            edited.to_message(to="a@example.com")

    def test_the_stdlib_alone_would_have_let_the_encoded_word_through(self) -> None:
        """Why the rule exists: the stdlib turns =?UTF-8?Q?=0A?= into a real header line here."""
        message = EmailMessage(policy=email.policy.SMTP)
        message["Subject"] = "Hi =?UTF-8?Q?=0A?=Bcc: victim@example.com"
        message.set_content("x")
        keys = reparse(message).keys()
        if "Bcc" not in keys:
            pytest.skip("this Python no longer turns an encoded line break into a header line")
        assert keys[:2] == ["Subject", "Bcc"]

    @pytest.mark.parametrize(
        "name",
        [
            "Joel\nBcc: victim@example.com",
            "=?UTF-8?Q?=0A?=Bcc: v@example.com",
            'Jo "JJ" Smith, CEO',
        ],
    )
    def test_sender_name_from_the_incident_is_neutralised(self, name: str) -> None:
        """The spokesperson's name reaches From as one quoted display name, never a new header."""
        speaker = Spokesperson(name=name, preset="founder", email="ceo@example.com")
        draft = draft_of(Incident(**incident_fields()), voice=speaker)
        parsed = reparse(draft.to_message(to="a@example.com"))
        assert parsed.keys() == EXPECTED_HEADERS
        assert parsed["From"].addresses[0].display_name == draft.sender_name
        assert parsed["From"].addresses[0].addr_spec == "ceo@example.com"

    @pytest.mark.parametrize(
        "title",
        ["0" * 50 + " 0\u0800\u0800\u0800\u0800\u0800 \u00a1", "R\u00e9seau " * 9 + "en panne"],
    )
    def test_a_long_non_ascii_subject_keeps_every_space(self, title: str) -> None:
        """Folded into several encoded words, the subject reads back with the same spaces."""
        from .conftest import incident_fields

        draft = draft_of(Incident(**incident_fields(title=title)))
        assert not draft.subject.isascii()
        raw = draft.to_message(to="a@example.com").as_bytes()
        assert all(len(line) <= 78 for line in raw.split(b"\r\n\r\n")[0].split(b"\r\n"))
        assert reparse(draft.to_message(to="a@example.com"))["Subject"] == draft.subject

    @given(incidents(max_size=300))
    def test_any_incident_gives_a_message_that_parses_back_with_its_subject_and_both_parts(
        self, incident: Incident
    ) -> None:
        """Any incident: the expected headers, the same subject, text/plain then text/html."""
        draft = draft_of(incident)
        assert len(draft.subject) <= 78
        parsed = reparse(draft.to_message(to="reader@example.com"))
        assert parsed.keys() == EXPECTED_HEADERS
        # The stdlib folds a long ASCII subject with a space too many before a first
        # word that cannot fit after "Subject:", so whitespace is compared collapsed;
        # the subject itself never has runs of it.
        assert " ".join(parsed["Subject"].split()) == draft.subject
        assert [part.get_content_type() for part in parsed.iter_parts()] == [
            "text/plain",
            "text/html",
        ]


class TestPlainText:
    def test_is_written_from_the_source_with_links_spelled_out(
        self, buffer_incident: Incident
    ) -> None:
        """Headings, bullets and the status link spelled out; no HTML in sight."""
        text = draft_of(buffer_incident).text
        assert "What you should do\n\n- Delete any spam post" in text
        assert "our status page\n(https://status.buffer.com/incidents/2013-10-26)" in " ".join(
            text.split(" ")
        ) or "our status page (https://status.buffer.com/incidents/2013-10-26)" in " ".join(
            text.split()
        )
        assert "<" not in text

    def test_markdown_link_is_label_then_url(self) -> None:
        """[label](url) reads 'label (url)'; a bare link or address is not doubled."""
        source = (
            "See [the page](https://example.com/a), <https://example.com/b>"
            " and [me](mailto:a@example.com)."
        )
        assert to_text(source) == (
            "See the page (https://example.com/a), https://example.com/b and me\n(a@example.com)."
        )

    def test_unsafe_links_stay_plain_text(self) -> None:
        """A javascript: link is neither an HTML link nor spelled out as one."""
        assert "href" not in to_html("[x](javascript:alert(1))")
        assert to_text("[x](javascript:alert(1))") == "[x](javascript:alert(1))"

    def test_long_words_are_cut_but_links_are_not(self) -> None:
        """A long word is cut to fit; a long URL keeps a line to itself."""
        url = "https://example.com/" + "a" * 90
        text = to_text(f"Start {'x' * 100} then {url} end")
        lines = text.splitlines()
        assert url in lines
        assert all(columns(line) <= 72 for line in lines if line != url)

    def test_wide_characters_count_two_columns(self) -> None:
        """CJK characters and emoji take two columns; combining marks none."""
        assert columns("日本") == 4
        assert columns("e\u0301") == 1
        assert columns("👨‍👩‍👧") == 2
        lines = to_text("語" * 100).splitlines()
        assert [columns(line) for line in lines] == [72, 72, 56]

    @given(incidents(max_size=400))
    def test_every_line_is_within_72_columns_unless_it_is_one_link_or_address(
        self, incident: Incident
    ) -> None:
        """Lines over 72 columns hold a single word, and that word is a link or an address."""
        for line in draft_of(incident).text.splitlines():
            if columns(line) > 72:
                words = line.strip().lstrip("-> 0123456789.").split()
                assert len(words) == 1, line
                assert re.search(r"://|mailto:|www\.|\S@\S", words[0]), line


class TestInliners:
    def test_unknown_inliner_is_refused_when_the_channel_is_made(self) -> None:
        """EmailChannel(inliner=...) checks the name at once and lists the known ones."""
        with pytest.raises(UnknownNameError, match="known: css-inline, premailer"):
            EmailChannel(inliner="lxml")
        with pytest.raises(UnknownNameError):
            inline_css("<p></p>", inliner="lxml")

    @pytest.mark.parametrize("stage", STAGES)
    def test_css_inline_gives_the_same_styles_as_premailer(self, stage: str) -> None:
        """On the packaged templates, element by element, the inlined declarations are equal."""
        incident = Incident(**incident_fields(stage=stage, unknowns=["Why"], cause="A bad deploy."))
        slow = inlined_styles(email_draft(incident, inliner="premailer").html)
        fast = inlined_styles(email_draft(incident, inliner="css-inline").html)
        assert [tag for tag, _ in slow] == [tag for tag, _ in fast]
        for (tag, ours), (_, theirs) in zip(slow, fast, strict=True):
            assert ours == theirs, tag

    @pytest.mark.parametrize("inliner", INLINERS)
    def test_no_linked_or_imported_stylesheet_is_fetched(
        self, tmp_path: Path, loopback: tuple[str, list[str]], inliner: str
    ) -> None:
        """A template linking and importing a loopback stylesheet makes no request."""
        base, requests = loopback
        folder = override_layout(
            tmp_path,
            head=f'<link rel="stylesheet" href="{base}/evil.css">',
            css=f'@import url({base}/import.css);\n@import "{base}/import2.css";',
        )
        draft = email_draft(Incident(**incident_fields()), inliner=inliner, template_dirs=(folder,))
        assert requests == []
        assert "#ff0000" not in draft.html

    def test_the_loopback_server_does_answer(self, loopback: tuple[str, list[str]]) -> None:
        """The server the test above relies on records a real request."""
        import urllib.request

        base, requests = loopback
        with urllib.request.urlopen(f"{base}/probe.css", timeout=5) as response:
            assert response.status == 200
        assert requests == ["/probe.css"]

    @pytest.mark.parametrize("inliner", INLINERS)
    def test_no_local_stylesheet_is_read(
        self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, inliner: str
    ) -> None:
        """Relative, absolute and file: links and imports to local CSS files are not read."""
        (tmp_path / "local.css").write_text("p { color: #ff0000 !important; }", encoding="utf-8")
        monkeypatch.chdir(tmp_path)
        folder = override_layout(
            tmp_path / "templates",
            head=(
                '<link rel="stylesheet" href="local.css">'
                f'<link rel="stylesheet" href="{tmp_path / "local.css"}">'
                f'<link rel="stylesheet" href="{(tmp_path / "local.css").as_uri()}">'
            ),
            css=f'@import "local.css";\n@import url({(tmp_path / "local.css").as_uri()});',
        )
        draft = email_draft(Incident(**incident_fields()), inliner=inliner, template_dirs=(folder,))
        assert "#ff0000" not in draft.html

    def test_callers_logging_is_left_as_it_was(self, tmp_path: Path) -> None:
        """Drafting with CSS that makes cssutils complain changes neither the root nor the
        CSSUTILS logger, and no cssutils message reaches the root logger."""
        import cssutils

        bad_css = f"p {{ color: }} .x-{tmp_path.name.replace('-', '_')} {{ width: }}"
        root = logging.getLogger()
        css_logger = logging.getLogger("CSSUTILS")
        seen: list[logging.LogRecord] = []

        class Collect(logging.Handler):
            def emit(self, record: logging.LogRecord) -> None:
                seen.append(record)

        collect = Collect(level=logging.DEBUG)
        old_level = root.level
        root.addHandler(collect)
        root.setLevel(logging.DEBUG)
        try:
            # The CSS does make cssutils log, when nothing silences it.
            cssutils.parseString(bad_css)
            assert any(record.name == "CSSUTILS" for record in seen)
            seen.clear()

            def state(logger: logging.Logger) -> tuple[Any, ...]:
                return (
                    logger.level,
                    list(logger.handlers),
                    list(logger.filters),
                    logger.propagate,
                    logger.disabled,
                )

            before = (state(root), state(css_logger))
            folder = override_layout(tmp_path, css=bad_css)
            email_draft(Incident(**incident_fields()), template_dirs=(folder,))
            assert (state(root), state(css_logger)) == before
            assert [record for record in seen if record.name == "CSSUTILS"] == []
        finally:
            root.removeHandler(collect)
            root.setLevel(old_level)

    def test_other_threads_cssutils_messages_still_pass(self) -> None:
        """Only the inlining thread is silenced: another thread's cssutils message is logged."""
        seen: list[str] = []

        class Collect(logging.Handler):
            def emit(self, record: logging.LogRecord) -> None:
                seen.append(record.getMessage())

        logger = logging.getLogger("CSSUTILS")
        collect = Collect()
        logger.addHandler(collect)
        try:
            with quiet_cssutils():
                logger.error("from this thread")
                worker = threading.Thread(target=logger.error, args=("from another thread",))
                worker.start()
                worker.join(timeout=5)
            logger.error("after")
        finally:
            logger.removeHandler(collect)
        assert seen == ["from another thread", "after"]


def inlined_styles(html: str) -> list[tuple[str, frozenset[tuple[str, str]]]]:
    """Each element's inline style as a set of normalised (property, value) pairs.

    The two inliners write the same declarations differently (spacing, quotes, #fff
    for #ffffff) and css-inline adds the <tbody> an HTML5 parser implies; both are
    normalised away.
    """
    out: list[tuple[str, frozenset[tuple[str, str]]]] = []
    for tag, attrs in Elements.of(html).tags:
        if tag == "tbody":
            continue
        pairs: set[tuple[str, str]] = set()
        for item in attrs.get("style", "").split(";"):
            if ":" not in item:
                continue
            name, value = item.split(":", 1)
            value = " ".join(value.replace("'", '"').split()).lower()
            value = re.sub(r"\s*!\s*important", " !important", value)
            value = re.sub(
                r"#([0-9a-f])([0-9a-f])([0-9a-f])\b",
                lambda m: "#" + "".join(c * 2 for c in m.groups()),
                value,
            )
            pairs.add((name.strip().lower(), value))
        out.append((tag, frozenset(pairs)))
    return out


class TestExtraHeaders:
    def test_headers_are_added_in_order_and_survive_a_reparse(
        self, buffer_incident: Incident
    ) -> None:
        """List-Unsubscribe and a non-ASCII header arrive as given, after the built ones."""
        headers = {
            "List-Unsubscribe": "<https://example.com/unsubscribe?u=1>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            "X-Campaign": "Café ☕ incident",
        }
        message = draft_of(buffer_incident).to_message(to="a@example.com", headers=headers)
        parsed = reparse(message)
        for name, value in headers.items():
            assert parsed[name] == value
        names = list(parsed.keys())
        assert names.index("List-Unsubscribe") > names.index("Message-ID")

    @pytest.mark.parametrize(
        "name", [*EXPECTED_HEADERS, "subject", "REPLY-TO", "Content-Disposition"]
    )
    def test_a_header_the_message_builds_is_refused(
        self, name: str, buffer_incident: Incident
    ) -> None:
        """A caller cannot replace a header to_message writes, in any case."""
        with pytest.raises(HeaderError) as caught:
            draft_of(buffer_incident).to_message(to="a@example.com", headers={name: "x"})
        assert caught.value.field == f"headers.{name}"

    @pytest.mark.parametrize(
        "value",
        ["a\r\nBcc: victim@example.com", "a\nb", "a\u2028b", "=?utf-8?q?=0ABcc:_x?=", "a\x00b"],
    )
    def test_a_value_that_could_become_two_headers_is_refused(
        self, value: str, buffer_incident: Incident
    ) -> None:
        """Line breaks, control characters and encoded words are refused, naming the header."""
        with pytest.raises(HeaderError) as caught:
            draft_of(buffer_incident).to_message(to="a@example.com", headers={"X-Note": value})
        assert caught.value.field == "headers.X-Note"

    @pytest.mark.parametrize("name", ["Two Words", "X-A:b", "", "Ünicode", "X\nY"])
    def test_a_name_that_is_not_a_field_name_is_refused(
        self, name: str, buffer_incident: Incident
    ) -> None:
        """Header names are printable ASCII without spaces or colons."""
        with pytest.raises(HeaderError, match="header name"):
            draft_of(buffer_incident).to_message(to="a@example.com", headers={name: "x"})

    def test_the_same_name_twice_is_refused(self, buffer_incident: Incident) -> None:
        """Names differing only in case are one header."""
        with pytest.raises(HeaderError, match="twice"):
            draft_of(buffer_incident).to_message(
                to="a@example.com", headers={"X-A": "1", "x-a": "2"}
            )

    @given(st.text(max_size=40))
    def test_any_text_value_is_refused_or_round_trips(self, value: str) -> None:
        """Whatever the value, it is refused or it reads back as the one header given."""
        draft = _example_email()
        try:
            message = draft.to_message(to="a@example.com", headers={"X-Any": value})
        except HeaderError:
            return
        parsed = reparse(message)
        assert len(parsed.get_all("X-Any") or []) == 1
        assert " ".join(str(parsed["X-Any"]).split()) == " ".join(value.split())
        assert "Bcc" not in parsed


@functools.cache
def _example_email() -> EmailDraft:
    return draft_of(load_incident(EXAMPLES / "buffer-2013.toml"))


def css_dropped(draft_findings: Any) -> list[str]:
    return [f.message for f in draft_findings if f.rule == "email.css-dropped"]


class TestDroppedCss:
    def test_the_packaged_layout_drops_nothing(self, buffer_incident: Incident) -> None:
        """The default email carries no css-dropped warning, with either inliner."""
        for inliner in INLINERS:
            bundle = compose(buffer_incident, channels=[EmailChannel(inliner=inliner)])
            assert css_dropped(bundle.findings) == []

    @pytest.mark.parametrize(
        ("css", "named"),
        [
            ("p { color: rgb(0 0 0 / 50%); margin: 0 }", "'color'"),
            ("@supports (display: grid) { p { display: grid } }", "'@supports'"),
            ("p { font: 12px/1.5 serif, }", "'font'"),
            ("p:: { color: red }", "'p::'"),
            ("@import url(theme.css);", "'@import'"),
        ],
    )
    def test_each_declaration_premailer_drops_is_a_warning_naming_it(
        self, css: str, named: str, tmp_path: Path, buffer_incident: Incident
    ) -> None:
        """A layout's CSS the parser cannot read becomes a warning naming the property."""
        folder = override_layout(tmp_path, css=css)
        bundle = compose(buffer_incident, channels=["email"], template_dirs=[folder])
        messages = css_dropped(bundle.findings)
        assert len(messages) == 1, messages
        assert named in messages[0]
        (finding,) = [f for f in bundle.findings if f.rule == "email.css-dropped"]
        assert finding.level.value == "warning"
        assert finding.channel == "email"

    def test_a_second_draft_reports_the_same(
        self, tmp_path: Path, buffer_incident: Incident
    ) -> None:
        """Parsed CSS is cached, and its warnings with it: drafting twice reports twice."""
        folder = override_layout(tmp_path, css="p { color: rgb(0 0 0 / 50%) }")
        first = compose(buffer_incident, channels=["email"], template_dirs=[folder])
        second = compose(buffer_incident, channels=["email"], template_dirs=[folder])
        assert css_dropped(first.findings) == css_dropped(second.findings) != []

    def test_other_threads_and_the_callers_logging_are_untouched(
        self, tmp_path: Path, buffer_incident: Incident, caplog: pytest.LogCaptureFixture
    ) -> None:
        """Reading the messages for findings leaves none on the cssutils logger."""
        folder = override_layout(tmp_path, css="p { color: rgb(1 2 3 / 4%) }")
        with caplog.at_level(logging.DEBUG):
            compose(buffer_incident, channels=["email"], template_dirs=[folder])
        assert not [r for r in caplog.records if "rgb(1 2 3" in r.getMessage()]


def _stock_premailer(page: str) -> str:
    """premailer as published, with the options the email channel passes it."""
    import premailer

    return str(premailer.Premailer(html=page, **_PREMAILER_OPTIONS).transform(pretty_print=False))


_PAGE = """<html><head><style>{css}</style></head>
<body><p class="lead">Hello</p><a href="https://example.com">link</a>
<h1 id="top">Title</h1></body></html>"""


class TestStyleRulesMemo:
    """The premailer inliner serialises a stylesheet's rules once, with the same result."""

    @pytest.mark.parametrize(
        "css",
        [
            "p { color: red } .lead { font-size: 18px !important } a:hover { color: blue }",
            "h1, #top { margin: 0 } @media (max-width: 600px) { p { color: green } }",
            "p { color: #111 } a { text-decoration: none; color: #005 }",
        ],
    )
    def test_same_html_as_premailer_as_published(self, css: str) -> None:
        """Inlined twice (the second from the memo), the page is what premailer gives."""
        page = _PAGE.format(css=css)
        expected = _stock_premailer(page)
        assert inline_css(page) == expected
        assert inline_css(page) == expected

    def test_each_stylesheet_has_its_own_rules(self) -> None:
        """Two stylesheets in one process each inline their own rules."""
        red = inline_css(_PAGE.format(css="p { color: red }"))
        blue = inline_css(_PAGE.format(css="p { color: blue }"))
        assert 'style="color:red"' in red
        assert 'style="color:blue"' in blue

    def test_threads_share_the_memo_safely(self) -> None:
        """Pages inlined from many threads at once match premailer's own output."""
        pages = [_PAGE.format(css=f"p {{ margin: {size}px }}") for size in range(8)]
        expected = [_stock_premailer(page) for page in pages]
        results: dict[int, str] = {}

        def work(index: int) -> None:
            results[index] = inline_css(pages[index % len(pages)])

        workers = [threading.Thread(target=work, args=(index,)) for index in range(32)]
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join()
        assert all(results[index] == expected[index % len(pages)] for index in range(32))

    def test_example_email_matches_premailer(self, buffer_incident: Incident) -> None:
        """The Buffer example's email is inlined exactly as premailer would."""
        draft = compose(buffer_incident, channels=["email"])["email"]
        context = prepare(buffer_incident, voice=None, default_voice=buffer_incident.voice).public
        channel = EmailChannel()
        page = channel.page(
            context,
            subject=channel.subject(context),
            preheader=channel.preheader(context),
            source=channel.source(context),
        )
        assert isinstance(draft, EmailDraft)
        assert draft.html == _stock_premailer(page)


class TestPremailerImport:
    """premailer's network library loads only if premailer ever reaches for it."""

    @staticmethod
    def _run(code: str) -> str:
        import subprocess
        import sys

        return subprocess.run(
            [sys.executable, "-c", code], check=True, capture_output=True, text=True
        ).stdout.strip()

    def test_an_email_draft_does_not_import_requests(self) -> None:
        code = (
            "import sys, crisiscomms\n"
            f"incident = crisiscomms.load_incident({str(EXAMPLES / 'buffer-2013.toml')!r})\n"
            "assert crisiscomms.compose(incident, channels=['email'])['email'].html\n"
            "print('requests' in sys.modules, 'premailer' in sys.modules)\n"
        )
        assert self._run(code) == "False True"

    def test_premailer_still_reaches_the_real_module(self) -> None:
        code = (
            "import sys\n"
            "from crisiscomms.inlining import _import_premailer\n"
            "premailer = _import_premailer()\n"
            "stand_in = sys.modules['premailer.premailer'].requests\n"
            "import requests\n"
            "print(requests is not stand_in, stand_in.get is requests.get)\n"
        )
        assert self._run(code) == "True True"

    def test_a_requests_imported_first_is_used_as_it_is(self) -> None:
        code = (
            "import sys, requests\n"
            "from crisiscomms.inlining import _import_premailer\n"
            "_import_premailer()\n"
            "print(sys.modules['premailer.premailer'].requests is requests)\n"
        )
        assert self._run(code) == "True"
