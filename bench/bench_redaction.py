"""Redaction: how much it catches, what it wrongly touches, and how long 1 MB takes.

Run with ``python bench/bench_redaction.py``. Prints:

- recall over the corpus's secrets (``tests/redaction_corpus.toml``): the share
  withheld, overall and by kind;
- the false-positive rate over its look-alikes (versions, dates, prices, order
  ids): the share where anything was withheld;
- for each adversarial shape of 1 MB (long runs without spaces, repeated
  near-misses for each pattern, thousands of escapes and zero-width
  characters), the best of three timings, wall clock and processor time, and
  the wall clock's ratio to the goal of one second. Redaction is linear, so
  these are the worst cases per byte. On a busy machine the wall clock runs
  ahead of the processor time; the latter says what the code costs.
"""

from __future__ import annotations

import sys
import time
from collections import Counter
from pathlib import Path

from crisiscomms.redaction import PLACEHOLDER, Redactor

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

CORPUS = Path(__file__).resolve().parents[1] / "tests" / "redaction_corpus.toml"
PUBLISHED = frozenset({"help@example.com", "+1 415 555 0100"})
SIZE = 1_000_000
GOAL_SECONDS = 1.0

#: Units repeated to 1 MB: each starts many matches that must fail late.
SHAPES = {
    "one letter": "x",
    "letter and dot": "a.",
    "digits": "1",
    "digit and dot": "1.",
    "letter and at": "a@",
    "hex and colon": "ab:",
    "digit and dash": "1-",
    "digit and space": "1 ",
    "AWS prefix": "AKIA",
    "JWT prefix": "eyJ.",
    "html entity": "&#64;",
    "zero-width": "a\u200b",
    "backslash dot": "\\.",
    "bracketed at": "a[at]",
    "key header": "-----BEGIN PRIVATE KEY-----",
    "password word": "password=",
    "prose": "Our engineers restored service at 14:05 on 2024-05-01. ",
}


def rates(redactor: Redactor) -> None:
    with CORPUS.open("rb") as file:
        data = tomllib.load(file)
    total: Counter[str] = Counter()
    caught: Counter[str] = Counter()
    for item in data["secret"]:
        redacted, _ = redactor.redact(item["text"])
        total[item["kind"]] += 1
        caught[item["kind"]] += item["secret"] not in redacted and PLACEHOLDER in redacted
    touched = sum(bool(redactor.redact(item["text"])[1]) for item in data["lookalike"])
    recall = sum(caught.values()) / sum(total.values())
    print(f"recall: {recall:.3f} of {sum(total.values())} secrets")
    for kind in sorted(total):
        print(f"  {kind:<15} {caught[kind]:>4} / {total[kind]}")
    lookalikes = len(data["lookalike"])
    print(f"false positives: {touched / lookalikes:.3f} of {lookalikes} look-alikes")


def timings(redactor: Redactor) -> None:
    print(f"1 MB adversarial text (goal: under {GOAL_SECONDS:.0f} s; ratio = time / goal):")
    worst = 0.0
    for name, unit in SHAPES.items():
        text = (unit * (SIZE // len(unit) + 1))[:SIZE]
        runs = [_time(redactor, text) for _ in range(3)]
        best = min(wall for wall, _ in runs)
        processor = min(cpu for _, cpu in runs)
        worst = max(worst, best)
        print(
            f"  {name:<16} {best:6.3f} s (processor {processor:.3f} s)"
            f"  ratio {best / GOAL_SECONDS:.2f}"
        )
    print(f"worst: {worst:.3f} s, ratio {worst / GOAL_SECONDS:.2f}")


def _time(redactor: Redactor, text: str) -> tuple[float, float]:
    start, cpu = time.perf_counter(), time.process_time()
    redactor.redact(text)
    return time.perf_counter() - start, time.process_time() - cpu


def main() -> None:
    redactor = Redactor(allowed=PUBLISHED)
    rates(redactor)
    timings(redactor)


if __name__ == "__main__":
    main()
