"""Calling the library from other tools: the "Use it from your tooling" page's examples
run, and composing is safe from several threads and from async code."""

from __future__ import annotations

import asyncio
import pickle
import re
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import crisiscomms
from crisiscomms import Incident, compose

PAGE = Path(__file__).resolve().parents[1] / "docs" / "tooling.md"


def manifest(incident: Incident) -> dict[str, Any]:
    return compose(incident).manifest()


class TestToolingPage:
    def test_every_python_example_runs(self) -> None:
        """The page's Python blocks run in order, their assertions holding."""
        blocks = re.findall(r"```python\n(.*?)```", PAGE.read_text("utf-8"), re.S)
        assert len(blocks) >= 5
        namespace: dict[str, Any] = {}
        for number, block in enumerate(blocks, start=1):
            exec(compile(block, f"{PAGE.name} block {number}", "exec"), namespace)
        assert namespace["ids"]


class TestConcurrency:
    def test_threads_compose_the_same_drafts(self, buffer_incident: Incident) -> None:
        """Eight threads composing at once get what one thread gets, byte for byte."""
        expected = manifest(buffer_incident)
        with ThreadPoolExecutor(max_workers=8) as pool:
            results = list(pool.map(manifest, [buffer_incident] * 16))
        assert all(result == expected for result in results)

    def test_to_thread_from_async_code(self, buffer_incident: Incident) -> None:
        """asyncio.to_thread runs compose off the event loop with the same result."""

        async def run() -> crisiscomms.Bundle:
            return await asyncio.to_thread(compose, buffer_incident)

        assert asyncio.run(run()).manifest() == manifest(buffer_incident)

    def test_a_bundle_pickles_for_process_pools(self, buffer_incident: Incident) -> None:
        """Bundles cross process boundaries: a pickled bundle has the same drafts."""
        bundle = compose(buffer_incident)
        copy = pickle.loads(pickle.dumps(bundle))
        assert copy.manifest() == bundle.manifest()
