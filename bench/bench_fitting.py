"""How split_thread's time grows with the length of the text.

Run with ``python bench/bench_fitting.py``. It splits deterministic texts of
1k, 10k and 100k characters (sentences, paragraphs, links, a little CJK) into
posts of 280 under an X-like measure, reports the best time per character for
each size, and says whether the slowest per-character time is within 1.5x of
the fastest: the goal that keeps split_thread linear. ``--strict`` makes the
exit status 1 when the goal is missed.
"""

from __future__ import annotations

import argparse
import gc
import random
import re
import sys
import time

from crisiscomms.fitting import split_thread

SIZES = (1_000, 10_000, 100_000)
LIMIT = 280
GOAL = 1.5
RUNS = 15
# Characters per timed run, so that small sizes loop enough to be timed
# reliably and every size does about the same work per run.
WORK_PER_RUN = 200_000

_URL = re.compile(r"https?://\S+")
_WIDE = re.compile(
    r"[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\uff00-\uff60\U0001f000-\U0001faff]"
)

_WORDS = (
    "water",
    "main",
    "break",
    "street",
    "crews",
    "repair",
    "service",
    "pressure",
    "district",
    "residents",
    "boil",
    "notice",
    "update",
    "restored",
    "expected",
    "evening",
    "hospital",
    "school",
    "closed",
    "open",
    "shelter",
    "road",
    "power",
    "outage",
    "customers",
    "affected",
    "engineers",
    "working",
    "safely",
    "please",
    "avoid",
    "area",
)
_LINKS = (
    "https://status.example.gov/incidents/2024-0517",
    "https://example.org/boil-water-notice?lang=en",
    "www.example.net/shelters",
)
_EXTRAS = ("\u5730\u9707\u8b66\u5831", "@cityofexample", "#ElmStreet", "\U0001f6a7")


def x_like_length(text: str) -> int:
    """Links count 23 each, CJK and emoji 2, everything else 1: roughly X's rule."""
    total = 0
    position = 0
    for match in _URL.finditer(text):
        piece = text[position : match.start()]
        total += len(piece) + len(_WIDE.findall(piece)) + 23
        position = match.end()
    piece = text[position:]
    return total + len(piece) + len(_WIDE.findall(piece))


def build_text(size: int, *, seed: int = 2024) -> str:
    """A deterministic announcement-like text of exactly ``size`` characters."""
    rng = random.Random(seed)
    paragraphs: list[str] = []
    length = 0
    while length < size:
        sentences = []
        for _ in range(rng.randint(2, 6)):
            words = [rng.choice(_WORDS) for _ in range(rng.randint(5, 18))]
            if rng.random() < 0.3:
                words.insert(rng.randrange(len(words)), rng.choice(_LINKS))
            if rng.random() < 0.2:
                words.insert(rng.randrange(len(words)), rng.choice(_EXTRAS))
            sentences.append(" ".join(words).capitalize() + rng.choice(".!."))
        paragraph = " ".join(sentences)
        paragraphs.append(paragraph)
        length += len(paragraph) + 2
    return "\n\n".join(paragraphs)[:size]


def time_per_char(texts: dict[int, str]) -> dict[int, float]:
    """The best of RUNS timings of split_thread per text, in microseconds per character.

    The sizes are timed in turn within each round, so that a burst of load on
    the machine hits every size alike rather than one of them; the time is this
    process's CPU time, which other processes do not inflate; the garbage
    collector is paused while timing, as timeit does.
    """
    best = dict.fromkeys(texts, float("inf"))
    collecting = gc.isenabled()
    gc.disable()
    try:
        for run in range(RUNS):
            for size, text in texts.items():
                loops = max(1, WORK_PER_RUN // len(text))
                # A distinct text per call: split_thread remembers the layout of a text it
                # has seen, and the goal is about texts it has not.
                variants = [f"{run}.{loop} {text}" for loop in range(loops)]
                start = time.process_time()
                for variant in variants:
                    split_thread(variant, limit=LIMIT, measure=x_like_length)
                best[size] = min(best[size], (time.process_time() - start) / loops)
    finally:
        if collecting:
            gc.enable()
    return {size: seconds / len(texts[size]) * 1e6 for size, seconds in best.items()}


def main(argv: list[str] | None = None) -> int:
    """Print the per-character times and the ratio against the goal."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--strict", action="store_true", help="exit 1 when the goal is missed")
    options = parser.parse_args(argv)
    texts = {size: build_text(size) for size in SIZES}
    results = time_per_char(texts)
    for size, text in texts.items():
        posts = len(split_thread(text, limit=LIMIT, measure=x_like_length))
        print(f"{size:>8,} characters  {posts:>4} posts  {results[size]:7.3f} \u00b5s/character")
    ratio = max(results.values()) / min(results.values())
    verdict = "within" if ratio <= GOAL else "OUTSIDE"
    print(f"slowest/fastest per character: {ratio:.2f}x ({verdict} the {GOAL}x goal)")
    return 1 if options.strict and ratio > GOAL else 0


if __name__ == "__main__":
    sys.exit(main())
