"""The email's HTML as headless Chromium renders it: nothing scrolls sideways, all text shows.

Chromium is driven from the command line (no driver library): ``--dump-dom`` on a
copy of the page with a probe script that measures the layout and writes its
findings into the DOM, and ``--screenshot`` for the pictures, which are kept in
``artifacts/`` (or the folder ``CRISISCOMMS_ARTIFACTS`` names) for a person to
look at. Without Chromium the tests skip.
"""

from __future__ import annotations

import html
import json
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from crisiscomms import EmailDraft, Incident, compose
from tests.browser import COLOUR_FUNCTIONS, artifacts_folder

pytestmark = pytest.mark.slow

WIDTHS = (375, 600)
SCHEMES = ("light", "dark")

# Measures the page and posts the result, as JSON, to the harness page. For every
# text node outside the hidden preheader: is it rendered, inside the viewport
# horizontally, and at least 4.5:1 against the first opaque background behind it?
PROBE = (
    """
<script>
(function () {"""
    + COLOUR_FUNCTIONS
    + """  var root = document.documentElement;
  var result = {scrollWidth: root.scrollWidth, innerWidth: window.innerWidth,
                dark: matchMedia("(prefers-color-scheme: dark)").matches,
                texts: 0, hidden: [], outside: [], faint: []};
  var walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    var node = walker.currentNode;
    var text = node.textContent.replace(/\\s+/g, " ").trim();
    var element = node.parentElement;
    if (!text || element.closest(".preheader, script, style")) { continue; }
    result.texts += 1;
    var range = document.createRange();
    range.selectNodeContents(node);
    var rects = Array.prototype.slice.call(range.getClientRects());
    var visible = element.checkVisibility({opacityProperty: true, visibilityProperty: true});
    if (!visible || !rects.length || rects.every(function (r) { return !r.width || !r.height; })) {
      result.hidden.push(text);
      continue;
    }
    if (rects.some(function (r) { return r.left < -0.5 || r.right > window.innerWidth + 0.5; })) {
      result.outside.push(text);
    }
    var a = luminance(channels(getComputedStyle(element).color));
    var b = luminance(backdrop(element));
    var ratio = (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
    if (ratio < 4.5) { result.faint.push(text + " (" + ratio.toFixed(2) + ")"); }
  }
  parent.postMessage(JSON.stringify(result), "*");
})();
</script>
"""
)

# Headless Chromium will not make its window narrower than 500 px, so the email is
# measured in an iframe of the exact width; the probe posts its result up to this page.
HARNESS = """<!DOCTYPE html>
<html><body style="margin:0">
<pre id="probe"></pre>
<script>
addEventListener("message", function (event) {
  document.getElementById("probe").textContent = event.data;
});
</script>
<iframe src="SRC" width="WIDTH" height="2400" style="border:0;display:block"></iframe>
</body></html>
"""


def chromium() -> str | None:
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found:
        return found
    return "/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None


@pytest.fixture(scope="module")
def browser() -> str:
    path = chromium()
    if path is None:
        pytest.skip("Chromium is not installed (apt-get install chromium)")
    return path


@pytest.fixture(scope="module")
def artifacts() -> Path:
    return artifacts_folder()


@pytest.fixture(scope="module", params=["investigating", "resolved"])
def draft(
    request: pytest.FixtureRequest, buffer_incident: Incident, buffer_resolved: Incident
) -> tuple[str, EmailDraft]:
    incident = buffer_incident if request.param == "investigating" else buffer_resolved
    email = compose(incident, channels=["email"])["email"]
    assert isinstance(email, EmailDraft)
    return request.param, email


def run(
    browser: str, profile: Path, page: Path, extra: list[str], *, width: int, scheme: str
) -> str:
    """Run headless Chromium on ``page`` with ``extra`` options; returns standard output."""
    command = [
        browser,
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-extensions",
        "--no-first-run",
        "--no-default-browser-check",
        "--hide-scrollbars",
        f"--user-data-dir={profile}",
        f"--window-size={width},2400",
    ]
    if scheme == "dark":
        command += ["--force-dark-mode", "--blink-settings=preferredColorScheme=0"]
    command += [*extra, page.as_uri()]
    done = subprocess.run(command, capture_output=True, text=True, timeout=90, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout


def probe(browser: str, tmp_path: Path, page_html: str, *, width: int, scheme: str) -> Any:
    email = tmp_path / f"probe-{width}-{scheme}.html"
    email.write_text(page_html.replace("</body>", PROBE + "</body>", 1), encoding="utf-8")
    harness = tmp_path / f"harness-{width}-{scheme}.html"
    harness.write_text(
        HARNESS.replace("SRC", email.name).replace("WIDTH", str(width)), encoding="utf-8"
    )
    dom = run(
        browser,
        tmp_path / "profile",
        harness,
        ["--dump-dom", "--virtual-time-budget=5000"],
        width=max(width, 800),
        scheme=scheme,
    )
    match = re.search(r'<pre id="probe">(.*?)</pre>', dom, flags=re.DOTALL)
    assert match, "the probe script did not run"
    assert match.group(1).strip(), "the probe script did not report"
    return json.loads(html.unescape(match.group(1)))


class TestEmailInChromium:
    @pytest.mark.parametrize("scheme", SCHEMES)
    @pytest.mark.parametrize("width", WIDTHS)
    def test_nothing_scrolls_sideways_and_all_text_is_visible(
        self,
        browser: str,
        tmp_path: Path,
        artifacts: Path,
        draft: tuple[str, EmailDraft],
        width: int,
        scheme: str,
    ) -> None:
        """At 375 and 600 px, light and dark: no horizontal scroll; every text rendered,
        inside the viewport and at least 4.5:1 against its background. Screenshots are saved."""
        stage, email = draft
        result = probe(browser, tmp_path, email.html, width=width, scheme=scheme)
        assert result["innerWidth"] == width
        assert result["dark"] is (scheme == "dark")
        assert result["scrollWidth"] <= result["innerWidth"], result
        assert result["texts"] > 20
        assert result["hidden"] == []
        assert result["outside"] == []
        assert result["faint"] == []

        page = tmp_path / f"email-{stage}.html"
        page.write_text(email.html, encoding="utf-8")
        shot = artifacts / f"email-{stage}-{width}-{scheme}.png"
        shot.unlink(missing_ok=True)
        run(
            browser,
            tmp_path / "profile",
            page,
            [f"--screenshot={shot}"],
            width=width,
            scheme=scheme,
        )
        assert shot.stat().st_size > 10_000
        (artifacts / f"email-{stage}.html").write_text(email.html, encoding="utf-8")

    def test_a_long_unbroken_word_does_not_widen_the_page(
        self, browser: str, tmp_path: Path
    ) -> None:
        """A 300-character word and URL in the summary wrap instead of scrolling, at 375 px."""
        from .conftest import incident_fields

        summary = "x" * 300 + " https://example.com/" + "y" * 300 + "\n\n    code " + "z" * 300
        email = compose(Incident(**incident_fields(summary=summary)), channels=["email"])["email"]
        assert isinstance(email, EmailDraft)
        result = probe(browser, tmp_path, email.html, width=375, scheme="light")
        assert result["scrollWidth"] <= result["innerWidth"], result
        assert result["outside"] == []
