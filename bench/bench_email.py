"""Time the email draft against the CSS inlining inside it.

Run with ``python bench/bench_email.py``. Prints, best of N runs each:

- the whole email draft, ``compose(incident, channels=["email"])`` (premailer; this
  includes the tone checks compose runs on every draft);
- the email channel's draft alone (premailer), without compose's tone checks;
- crisiscomms' premailer inliner alone (each stylesheet's rules serialised once), and
  premailer as published, each inlining the same un-inlined page;
- the same two drafts with ``EmailChannel(inliner="css-inline")`` (the ``fast`` extra);
- css-inline alone on the same page.

css-inline is optional: without it only the premailer figures are printed.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from pathlib import Path

from _baseline import stock_premailer

from crisiscomms import compose, load_incident
from crisiscomms.channels.email import EmailChannel
from crisiscomms.compose import prepare
from crisiscomms.inlining import inline_css

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "buffer-2013.toml"
REPEATS = 7
CALLS = 20


def best_of(action: Callable[[], object]) -> float:
    """The fastest of REPEATS runs of CALLS calls, in milliseconds per call."""
    action()  # warm caches (templates, parsed CSS) the way a long-running caller would
    timings: list[float] = []
    for _ in range(REPEATS):
        start = time.perf_counter()
        for _ in range(CALLS):
            action()
        timings.append((time.perf_counter() - start) / CALLS * 1000)
    return min(timings)


def has_css_inline() -> bool:
    try:
        import css_inline  # noqa: F401
    except ImportError:
        return False
    return True


def main() -> int:
    incident = load_incident(EXAMPLE)
    context = prepare(incident, voice=None, default_voice=incident.voice).public
    channel = EmailChannel()
    subject, preheader = channel.subject(context), channel.preheader(context)
    page = channel.page(
        context, subject=subject, preheader=preheader, source=channel.source(context)
    )
    rows: list[tuple[str, float]] = [
        (
            'compose(incident, channels=["email"])',
            best_of(lambda: compose(incident, channels=["email"])),
        ),
        ("EmailChannel().draft (premailer)", best_of(lambda: channel.draft(context))),
        (
            "inline_css(page) alone (premailer, rules memo)",
            best_of(lambda: inline_css(page, inliner="premailer")),
        ),
        ("premailer as published alone, same page", best_of(stock_premailer(page))),
    ]
    if has_css_inline():
        fast = EmailChannel(inliner="css-inline")
        rows += [
            (
                'compose(..., channels=[EmailChannel(inliner="css-inline")])',
                best_of(lambda: compose(incident, channels=[fast])),
            ),
            ('EmailChannel(inliner="css-inline").draft', best_of(lambda: fast.draft(context))),
            (
                "css-inline alone, same page",
                best_of(lambda: inline_css(page, inliner="css-inline")),
            ),
        ]
    else:
        print("css-inline is not installed (pip install 'crisiscomms[fast]'): skipped")
    print(f"email draft of {EXAMPLE.name} ({len(page):,} characters of HTML before inlining)")
    print(f"best of {REPEATS} runs of {CALLS} calls, milliseconds per call")
    baseline = rows[0][1]
    for name, ms in rows:
        print(f"  {name:<62} {ms:8.2f} ms  {ms / baseline:6.2f}x the draft")
    return 0


if __name__ == "__main__":
    sys.exit(main())
