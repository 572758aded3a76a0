"""Time crisiscomms' X counter against twitter-text-parser (the Python twitter-text port).

Run with ``python bench/bench_counting.py``. The peer is optional: without it only our
counter is timed. Disagreements are reported, not asserted: the peer folds CRLF into one
character and differs from X's service on a few schemeless URLs, for example.
"""

from __future__ import annotations

import random
import sys
import time
from collections.abc import Callable, Sequence

from crisiscomms.counting import x_weighted_length

POSTS = 2_000
TARGET_LENGTH = 240
REPEATS = 5
SEED = 20240607

_WORDS = (
    "flood",
    "evacuate",
    "shelter",
    "update",
    "road",
    "closed",
    "power",
    "restored",
    "Hochwasser",
    "évacuation",
    "inondación",
    "наводнение",
    "فيضان",
    "洪水",
    "避難",
    "홍수",
    "बाढ़",
    "น้ำท่วม",
    "12:30",
    "#alert",
    "@cityofficial",
    "3.5km",
    "e.g.",
    "U.S.",
)
_URLS = (
    "https://example.org/status/incident-42",
    "http://alerts.example.gov/region?id=7&lang=en",
    "www.example.com/updates",
    "example.co.uk",
    "t.co/abcdef12",
    "https://maps.example.net/#/route/12,34",
    "http://例え.jp/避難所",
)
_EMOJI = (
    "⚠️",
    "🚨",
    "🌊",
    "🔥",
    "🙏🏽",
    "👨‍👩‍👧‍👦",
    "🇺🇸",
    "🇯🇵",
    "1️⃣",
    "🏳️‍🌈",
    "🧑‍🚒",
    "❤",
    "©",
)
_SEPARATORS = (" ", " ", " ", " ", ", ", ". ", "\n", " — ")


def build_corpus(count: int = POSTS, seed: int = SEED) -> list[str]:
    """Deterministic posts of about ``TARGET_LENGTH`` characters mixing scripts, URLs and
    emoji."""
    rng = random.Random(seed)
    posts = []
    for _ in range(count):
        parts: list[str] = []
        size = 0
        while size < TARGET_LENGTH:
            roll = rng.random()
            if roll < 0.08:
                piece = rng.choice(_URLS)
            elif roll < 0.2:
                piece = rng.choice(_EMOJI)
            else:
                piece = rng.choice(_WORDS)
            parts.append(piece)
            parts.append(rng.choice(_SEPARATORS))
            size += len(piece) + 1
        post = "".join(parts).strip()
        if rng.random() < 0.05:
            # Some posts come from Windows tools; the peer counts CRLF as one character.
            post = post.replace("\n", "\r\n")
        posts.append(post)
    return posts


def best_time(count: Callable[[str], int], corpus: Sequence[str]) -> float:
    """Best of ``REPEATS`` wall-clock times, in seconds, to count every post once."""
    best = float("inf")
    for _ in range(REPEATS):
        start = time.perf_counter()
        for post in corpus:
            count(post)
        best = min(best, time.perf_counter() - start)
    return best


def load_peer() -> Callable[[str], int] | None:
    """twitter-text-parser's weighted length, or None when it is not installed."""
    try:
        from twitter_text import parse_tweet
    except ImportError:
        return None

    def peer(text: str) -> int:
        return int(parse_tweet(text).weightedLength)

    return peer


def main() -> int:
    """Print per-post timings, the speed ratio and the number of disagreements."""
    corpus = build_corpus()
    ours = best_time(x_weighted_length, corpus)
    per_post = 1e6 / len(corpus)
    print(f"corpus: {len(corpus)} posts, mean {sum(map(len, corpus)) / len(corpus):.0f} chars")
    print(f"crisiscomms x_weighted_length: {ours * per_post:8.2f} µs per post")
    peer = load_peer()
    if peer is None:
        print("peer absent: twitter_text (twitter-text-parser) is not importable; only ours timed")
        return 0
    theirs = best_time(peer, corpus)
    print(f"twitter-text-parser parse_tweet: {theirs * per_post:8.2f} µs per post")
    print(f"crisiscomms is {theirs / ours:.1f}x faster")
    disagreements = [post for post in corpus if x_weighted_length(post) != peer(post)]
    higher = sum(x_weighted_length(post) > peer(post) for post in disagreements)
    print(
        f"disagreements: {len(disagreements)} of {len(corpus)} posts "
        f"({higher} where crisiscomms counts higher)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
