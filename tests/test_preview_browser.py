"""The preview page and the review server in a real browser: Playwright driving the
system's Chromium (``/usr/bin/chromium``; it never downloads one).

Every test fails on a request that leaves the page (route interception) and on
any console error. Screenshots of the page in both schemes are kept in
``artifacts/`` (or the folder ``CRISISCOMMS_ARTIFACTS`` names) for a person to
look at. Without Playwright or Chromium the tests skip, saying which is missing.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from crisiscomms import Bundle, EmailDraft, Incident, compose, get_channel, load_incident
from crisiscomms.approvals import load_approvals
from crisiscomms.preview import preview_page
from crisiscomms.serve import ReviewServer
from tests.browser import COLOUR_FUNCTIONS, artifacts_folder
from tests.conftest import EXAMPLES, incident_fields

sync_api = pytest.importorskip(
    "playwright.sync_api", reason="Playwright is not installed (the tests dependency group)"
)

pytestmark = pytest.mark.slow

CHROMIUM = os.environ.get("CRISISCOMMS_CHROMIUM", "/usr/bin/chromium")
STRUCK = "We apologize for any inconvenience. Payments fail at the last step."
TIMEOUT_MS = 15_000

# For every visible text node: at least 4.5:1 against the first opaque background behind it?
CONTRAST = (
    """() => {"""
    + COLOUR_FUNCTIONS
    + """  var faint = [], texts = 0;
  var walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    var node = walker.currentNode, element = node.parentElement;
    var text = node.textContent.trim();
    if (!text || element.closest("script, style")) { continue; }
    if (!element.checkVisibility({opacityProperty: true, visibilityProperty: true})) { continue; }
    texts += 1;
    var a = luminance(channels(getComputedStyle(element).color));
    var b = luminance(backdrop(element));
    var ratio = (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
    if (ratio < 4.5) { faint.push(text.slice(0, 40) + " (" + ratio.toFixed(2) + ")"); }
  }
  return {texts: texts, faint: faint};
}"""
)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    if not Path(CHROMIUM).exists():
        pytest.skip(f"Chromium is not installed at {CHROMIUM} (apt-get install chromium)")
    with sync_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM)
        try:
            yield launched
        finally:
            launched.close()


@pytest.fixture(scope="module")
def artifacts() -> Path:
    return artifacts_folder()


class Watched:
    """A page whose requests outside ``allowed`` are aborted and recorded, as are its
    console errors and uncaught exceptions."""

    def __init__(self, browser: Any, *, allowed: str, width: int = 1280, scheme: str = "light"):
        self.context = browser.new_context(
            viewport={"width": width, "height": 900}, color_scheme=scheme
        )
        self.context.set_default_timeout(TIMEOUT_MS)
        self.escaped: list[str] = []
        self.errors: list[str] = []
        self.allowed = allowed
        self.context.route("**/*", self._route)
        self.page = self.context.new_page()
        self.page.on("request", self._request)
        self.page.on("console", self._console)
        self.page.on("pageerror", lambda error: self.errors.append(str(error)))

    def _inside(self, url: str) -> bool:
        return url.startswith(self.allowed) or url.startswith(("about:", "data:"))

    def _route(self, route: Any) -> None:
        if self._inside(route.request.url):
            route.continue_()
        else:
            self.escaped.append(route.request.url)
            route.abort()

    def _request(self, request: Any) -> None:
        if not self._inside(request.url):
            self.escaped.append(request.url)

    def _console(self, message: Any) -> None:
        if message.type == "error":
            self.errors.append(message.text)

    def check(self) -> None:
        """Nothing left the page and nothing went wrong in it."""
        assert self.escaped == []
        assert self.errors == []

    def close(self) -> None:
        self.context.close()


@pytest.fixture(scope="module")
def struck() -> Bundle:
    return compose(Incident(**incident_fields(summary=STRUCK)))


def write(tmp_path: Path, bundle: Bundle, name: str = "preview.html") -> Path:
    page = tmp_path / name
    page.write_text(preview_page(bundle), encoding="utf-8")
    return page


def expected_measures(bundle: Bundle) -> dict[str, list[tuple[int, int]]]:
    """Per channel, each post's (measure, limit) as the channel computes them."""
    result = {}
    for name, draft in bundle.items():
        channel = get_channel(name)
        texts = (draft.subject,) if isinstance(draft, EmailDraft) else draft.parts
        result[name] = [(channel.measure(text), channel.limit) for text in texts]
    return result


class TestPreviewInChromium:
    @pytest.mark.parametrize(
        "example", ["buffer-2013.toml", "buffer-2013-timeline.toml", "buffer-2013-resolved.toml"]
    )
    def test_every_channel_is_shown_with_counters_equal_to_measure(
        self, browser: Any, tmp_path: Path, example: str
    ) -> None:
        """Each channel's section is visible; each post's counter is measure() of its text
        over the channel's limit, in the hooks and in the words a reader sees."""
        bundle = compose(load_incident(EXAMPLES / example))
        page_file = write(tmp_path, bundle)
        watched = Watched(browser, allowed=page_file.as_uri())
        try:
            page = watched.page
            page.goto(page_file.as_uri())
            expected = expected_measures(bundle)
            for name, measures in expected.items():
                section = page.locator(f'section[data-channel="{name}"]')
                assert section.is_visible()
                posts = section.locator("[data-measure]")
                assert posts.count() == len(measures)
                for index, (measure, limit) in enumerate(measures):
                    post = posts.nth(index)
                    assert post.get_attribute("data-measure") == str(measure)
                    assert post.get_attribute("data-limit") == str(limit)
                    label = post.locator(".meter-label").inner_text()
                    assert label.startswith(f"{measure:,} / {limit:,} ")
            watched.check()
        finally:
            watched.close()

    def test_a_struck_phrase_is_highlighted_and_reachable_by_keyboard(
        self, browser: Any, tmp_path: Path, struck: Bundle
    ) -> None:
        """'any inconvenience' is marked with its rule; Tab reaches it and its message shows;
        the findings panel's link moves focus to it."""
        page_file = write(tmp_path, struck)
        watched = Watched(browser, allowed=page_file.as_uri())
        try:
            page = watched.page
            page.goto(page_file.as_uri())
            marks = page.locator(
                '[data-channel="facebook"] mark[data-rule~="crisis.any-inconvenience"]'
            )
            (finding,) = [
                f
                for f in struck.findings
                if f.rule == "crisis.any-inconvenience" and f.channel == "facebook"
            ]
            spanned = struck["facebook"].parts[0][finding.start : finding.end]
            assert "any inconvenience" in spanned
            assert "".join(marks.all_inner_texts()) == spanned
            first = marks.first
            reached = False
            for _ in range(400):
                page.keyboard.press("Tab")
                if first.evaluate("element => element === document.activeElement"):
                    reached = True
                    break
            assert reached, "Tab never reached the highlighted finding"
            tip = first.locator("xpath=following-sibling::span[@role='tooltip'][1]")
            assert tip.is_visible()
            assert finding.message in tip.inner_text()
            assert first.get_attribute("aria-describedby") == tip.get_attribute("id")

            page.keyboard.press("Escape")
            page.locator("body").click(position={"x": 1, "y": 1})
            assert not tip.is_visible()
            first.hover()
            assert tip.is_visible()

            anchor = first.get_attribute("id") or ""
            link = page.locator(f'aside a[href="#{anchor}"]')
            if not anchor:
                # The mark continues a run that another finding began: link to that one.
                link = page.locator("aside a", has_text="crisis.any-inconvenience").nth(1)
            link.focus()
            page.keyboard.press("Enter")
            active = page.evaluate("document.activeElement.tagName")
            assert active == "MARK"
            watched.check()
        finally:
            watched.close()

    @pytest.mark.parametrize("scheme", ["light", "dark"])
    def test_nothing_scrolls_sideways_at_375_and_text_has_contrast(
        self, browser: Any, tmp_path: Path, artifacts: Path, struck: Bundle, scheme: str
    ) -> None:
        """At 375 px, in both schemes: no horizontal scroll (also with the email at 600 px),
        every visible text at least 4.5:1. Screenshots are kept."""
        long_word = "x" * 200
        bundle = compose(
            Incident(**incident_fields(summary=STRUCK + " " + long_word, title="T" * 120))
        )
        for label, shown in (("struck", struck), ("long", bundle)):
            page_file = write(tmp_path, shown, f"{label}.html")
            for width in (375, 1280):
                watched = Watched(browser, allowed=page_file.as_uri(), width=width, scheme=scheme)
                try:
                    page = watched.page
                    page.goto(page_file.as_uri())
                    size = page.evaluate(
                        "[document.documentElement.scrollWidth, window.innerWidth]"
                    )
                    assert size[0] <= size[1], (label, width, size)
                    result = page.evaluate(CONTRAST)
                    assert result["texts"] > 50
                    assert result["faint"] == [], (label, width, scheme)
                    if label == "struck":
                        page.screenshot(path=str(artifacts / f"preview-{width}-{scheme}.png"))
                        page.screenshot(
                            path=str(artifacts / f"preview-{width}-{scheme}-full.png"),
                            full_page=True,
                        )
                    watched.check()
                finally:
                    watched.close()

    def test_the_controls_work_by_keyboard(
        self, browser: Any, tmp_path: Path, struck: Bundle
    ) -> None:
        """The scheme switch, the email's width and scheme, and every control has a label."""
        page_file = write(tmp_path, struck)
        watched = Watched(browser, allowed=page_file.as_uri())
        try:
            page = watched.page
            page.goto(page_file.as_uri())
            unlabelled = page.evaluate(
                """() => Array.from(document.querySelectorAll('input, select, button, iframe'))
                    .filter(e => e.type !== 'hidden')
                    .filter(e => !(e.labels && e.labels.length) && !e.getAttribute('aria-label')
                                 && !e.getAttribute('title') && !e.textContent.trim())
                    .map(e => e.outerHTML.slice(0, 80))"""
            )
            assert unlabelled == []
            page.get_by_label("Dark", exact=True).first.focus()
            page.keyboard.press("Space")
            assert page.evaluate("document.documentElement.dataset.scheme") == "dark"
            page.get_by_label("375 px").focus()
            page.keyboard.press("Space")
            frame = page.locator('iframe[data-scheme="light"]')
            assert frame.evaluate("e => e.getBoundingClientRect().width") <= 375
            assert frame.get_attribute("sandbox") == ""
            assert page.locator('iframe[data-scheme="dark"]').is_hidden()
            landmarks = page.evaluate(
                "['header', 'nav', 'main', 'aside'].map(t => document.querySelectorAll(t).length)"
            )
            assert all(count >= 1 for count in landmarks)
            watched.check()
        finally:
            watched.close()


@pytest.fixture
def record(tmp_path: Path) -> Path:
    target = tmp_path / "incident.toml"
    shutil.copy(EXAMPLES / "buffer-2013.toml", target)
    return target


class TestReviewServerInChromium:
    def test_reloads_on_change_shows_a_broken_record_and_recovers(
        self, browser: Any, record: Path
    ) -> None:
        """The page reloads itself when the record changes; a broken record shows its file
        and line in the page; fixing it brings the drafts back. Only the server is asked."""
        with ReviewServer(record, port=0) as server:
            watched = Watched(browser, allowed=server.url)
            try:
                page = watched.page
                page.goto(server.url)
                assert page.locator("section[data-channel]").count() == 10
                good = record.read_text(encoding="utf-8")
                record.write_text(good.replace("Spam posts", "Unwanted posts"), encoding="utf-8")
                page.locator("h1", has_text="Unwanted posts").wait_for()

                record.write_text(good + "\nseverity = = 2\n", encoding="utf-8")
                alert = page.locator('[role="alert"]')
                alert.wait_for()
                assert f"{record}:" in alert.inner_text()
                assert page.locator("section[data-channel]").count() == 0

                record.write_text(good, encoding="utf-8")
                page.locator("h1", has_text="Spam posts").wait_for()
                assert page.locator("section[data-channel]").count() == 10
                watched.check()
            finally:
                watched.close()

    def test_approve_records_the_text_and_shows_it_changed_later(
        self, browser: Any, record: Path
    ) -> None:
        """Approving the SMS in the page records it; after an edit the page says it changed.
        At 375 px, with the server's controls, nothing scrolls sideways."""
        with ReviewServer(record, port=0) as server:
            watched = Watched(browser, allowed=server.url, width=375)
            try:
                page = watched.page
                page.goto(server.url)
                size = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
                assert size[0] <= size[1]
                section = page.locator('section[data-channel="sms"]')
                section.get_by_label("Your name").fill("Ana Lead")
                section.get_by_role("button", name="Approve this text").click()
                section.locator(".approval-note", has_text="approved by Ana Lead").wait_for()
                assert page.url.endswith("#channel-sms")
                (approval,) = load_approvals(record)
                assert approval.name == "Ana Lead"
                assert approval.channel == "sms"

                good = record.read_text(encoding="utf-8")
                record.write_text(good.replace("Spam posts", "Unwanted posts"), encoding="utf-8")
                section.locator(".approval-note", has_text="changed since Ana Lead").wait_for()

                page.select_option("#pick-voice", "ceo")
                page.get_by_role("button", name="Show drafts").click()
                page.locator(".facts", has_text="(ceo)").wait_for()
                watched.check()
            finally:
                watched.close()
