"""Composing, tone checking and replying: what a whole bundle costs.

Prints:
- compose() for every channel of the Buffer example, in ms;
- the tone check of that bundle as a share of composing it (goal: under 10%),
  and the same with the syllable memo empty (the first bundle of a process);
- compose_replies for the day's 5,676 mentions (goal: well under a second);
- the tone rules on the corpus in tests/: the share of sentences to strike
  they catch and the sound ones they flag, on the part the rules were written
  against and on the held-out part (goals there: at least 90% caught, at most
  one false alarm in 30).
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from pathlib import Path

import crisiscomms
from crisiscomms import tone
from crisiscomms.channels import get_channel
from crisiscomms.compose import _check_drafts
from crisiscomms.tone import readability

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on Python 3.10 only
    import tomli as tomllib

ROOT = Path(__file__).resolve().parents[1]
MENTIONS = 5_676
CORPUS = (
    ("written against", ROOT / "tests" / "tone_corpus.toml"),
    ("held out", ROOT / "tests" / "tone_corpus_heldout.toml"),
)


def best(function: Callable[[], object], *, repeat: int = 7, number: int = 1) -> float:
    """The best time of ``repeat`` runs, in seconds per call.

    Time is this thread's CPU time: on a busy machine, waiting for a processor
    does not count against the code.
    """
    times = []
    for _ in range(repeat):
        start = time.thread_time()
        for _ in range(number):
            function()
        times.append((time.thread_time() - start) / number)
    return min(times)


def main() -> None:
    incident = crisiscomms.load_incident(ROOT / "examples" / "buffer-2013.toml")
    rules = tone.RuleSet.default()
    names = tone.record_names(incident)
    crisiscomms.compose(incident)  # warm the template and rule caches
    bundle = crisiscomms.compose(incident)
    # Many short runs, the best kept: a busy machine slows some runs, never speeds one up.
    compose_time = best(lambda: crisiscomms.compose(incident), repeat=30, number=2)

    # As compose checks them: the public drafts together, then the internal alert.
    batches = [
        [draft for draft in bundle.values() if get_channel(draft.channel).public],
        *([draft] for draft in bundle.values() if not get_channel(draft.channel).public),
    ]

    def check_all() -> None:
        for batch in batches:
            _check_drafts(
                batch,
                voice=bundle.speaker.preset,
                stage=incident.stage.value,
                severity=incident.severity.value,
                rules=rules,
                names=names,
            )

    check_time = best(check_all, repeat=60, number=2)
    share = check_time / compose_time

    def check_all_cold() -> None:
        readability._SYLLABLES.clear()  # as in a new process: no word seen yet
        check_all()

    cold_time = best(check_all_cold, repeat=30, number=1)
    print(f"compose, all {len(bundle)} channels: {compose_time * 1e3:.2f} ms")
    print(
        f"tone check of the bundle: {check_time * 1e3:.2f} ms = {share:.1%} of composing "
        f"(goal under 10%: {'met' if share < 0.10 else 'NOT met'})"
    )
    print(
        f"the same with no word's syllables known yet: {cold_time * 1e3:.2f} ms "
        f"= {cold_time / compose_time:.1%}"
    )
    mentions = [f"@user{index:05d}" for index in range(MENTIONS)]
    replies_time = best(lambda: crisiscomms.compose_replies(incident, mentions), repeat=3)
    print(
        f"compose_replies for {MENTIONS:,} mentions: {replies_time:.3f} s "
        f"({replies_time / MENTIONS * 1e6:.1f} µs per reply; goal well under 1 s: "
        f"{'met' if replies_time < 1 else 'NOT met'})"
    )

    print_corpus_rates()


def flagged(text: str) -> bool:
    """Whether crisiscomms.check, given only a channel, warns about ``text`` or refuses it."""
    findings = crisiscomms.check(text, channel="email")
    return any(finding.level.rank >= 1 for finding in findings)


def print_corpus_rates() -> None:
    """The catch rate and the false alarms of the tone rules on each part of the corpus."""
    for name, path in CORPUS:
        if not path.exists():
            print(f"tone corpus ({name}): {path.name} not found, skipped")
            continue
        data = tomllib.loads(path.read_text("utf-8"))
        strike, sound = data["strike"], data["sound"]
        caught = sum(flagged(entry["text"]) for entry in strike)
        alarms = sum(flagged(entry["text"]) for entry in sound)
        goal = ""
        if name == "held out":
            met = caught >= 0.9 * len(strike) and alarms * 30 <= len(sound)
            goal = f" (goal at least 90% and at most 1 in 30: {'met' if met else 'NOT met'})"
        print(
            f"tone corpus ({name}): caught {caught} of {len(strike)} "
            f"({caught / len(strike):.0%}), false alarms {alarms} of {len(sound)} "
            f"({alarms / len(sound):.1%}){goal}"
        )


if __name__ == "__main__":
    main()
