"""Every voice, every stage, every channel: the default drafts draw no warning or error."""

from __future__ import annotations

import pytest

from crisiscomms import Incident, Level, compose, load_incident
from crisiscomms.voice import PRESETS
from tests.conftest import EXAMPLES

# (example file, update number or None): together they cover all five stages.
CASES = [
    ("buffer-2013.toml", None),
    ("buffer-2013-resolved.toml", None),
    *[("buffer-2013-timeline.toml", number) for number in range(1, 6)],
]


@pytest.fixture(scope="module")
def examples() -> dict[str, Incident]:
    return {name: load_incident(EXAMPLES / name) for name, _ in CASES}


class TestDefaultTemplatesAreClean:
    @pytest.mark.parametrize("voice", PRESETS)
    @pytest.mark.parametrize(("example", "update"), CASES)
    def test_no_warning_or_error_in_any_voice_stage_or_channel(
        self, examples: dict[str, Incident], example: str, update: int | None, voice: str
    ) -> None:
        """Every voice, stage and channel draft of the examples passes every tone rule."""
        bundle = compose(examples[example], voice=voice, update=update)
        serious = [f for f in bundle.findings if f.level is not Level.SUGGESTION]
        assert serious == [], "\n".join(str(f) for f in serious)

    def test_the_walk_covers_every_stage(self, examples: dict[str, Incident]) -> None:
        """The cases above reach all five stages."""
        stages = {
            compose(examples[name], channels=["x"], update=update)["x"].stage
            for name, update in CASES
        }
        assert stages == {"investigating", "identified", "monitoring", "resolved", "postmortem"}


class TestVoicesDiffer:
    @pytest.mark.parametrize("channel", ["email", "x", "facebook", "linkedin", "mastodon"])
    def test_each_voice_reads_differently(
        self, examples: dict[str, Incident], channel: str
    ) -> None:
        """The four presets give four different drafts of the same incident."""
        incident = examples["buffer-2013.toml"]
        texts = {compose(incident, voice=v, channels=[channel])[channel].text for v in PRESETS}
        assert len(texts) == len(PRESETS)
