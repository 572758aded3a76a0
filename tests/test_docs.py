"""The docs cannot go stale: every Python example and command-line transcript in
docs/*.md and README.md runs here.

- A ```python block runs with the blocks before it on the same page (one
  namespace per page, seeded with ``crisiscomms`` and the Buffer example as
  ``incident``), from a folder where ``examples/`` is the project's. A block
  of ``>>>`` lines is a doctest: its printed output must match.
- A ```console block whose lines start with ``$ crisiscomms`` is a
  transcript: each command runs and its output (standard output, then
  standard error) must match what follows it, ``...`` matching anything.
  ``$ cat FILE`` shows a file: if it does not exist yet it is written from
  what the page shows (an input the next command reads), else its content
  must match.
- A block right after ``<!-- not-run: reason -->`` is left out, for the reason given.
"""

from __future__ import annotations

import doctest
import io
import re
import shlex
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import attrs
import pytest

import crisiscomms
from crisiscomms.cli import main
from tests.conftest import EXAMPLES, ROOT

PAGES = [*sorted((ROOT / "docs").glob("*.md")), ROOT / "README.md"]
_FENCE = re.compile(
    r"(?P<skip><!--\s*not-run:[^>]*-->\s*\n)?^```(?P<lang>python|console)\n(?P<body>.*?)^```",
    re.S | re.M,
)
_FLAGS = doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE


@attrs.frozen
class Block:
    page: Path
    line: int
    lang: str
    body: str

    def __str__(self) -> str:
        return f"{self.page.relative_to(ROOT)}:{self.line}"


def blocks(page: Path) -> Iterator[Block]:
    text = page.read_text(encoding="utf-8")
    for match in _FENCE.finditer(text):
        if match["skip"]:
            continue
        line = text.count("\n", 0, match.start("body")) + 1
        yield Block(page, line, match["lang"], match["body"])


def transcript(body: str) -> list[tuple[str, str]]:
    """``(command, expected output)`` pairs, for the ``$ crisiscomms`` lines only."""
    pairs: list[tuple[str, str]] = []
    for chunk in re.split(r"(?m)^\$ ", body)[1:]:
        command, _, output = chunk.partition("\n")
        pairs.append((command, output))
    return pairs


def _has_work(page: Path) -> bool:
    return any(
        block.lang == "python"
        or any(command.startswith("crisiscomms ") for command, _ in transcript(block.body))
        for block in blocks(page)
    )


@pytest.fixture
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty folder whose examples/ is the project's, as the current folder."""
    (tmp_path / "examples").symlink_to(EXAMPLES, target_is_directory=True)
    monkeypatch.chdir(tmp_path)
    return tmp_path


class TestDocs:
    @pytest.mark.parametrize(
        "page", [page for page in PAGES if _has_work(page)], ids=lambda page: page.name
    )
    def test_every_example_on_the_page_runs(self, page: Path, workdir: Path) -> None:
        """Each Python block runs, each doctest and transcript prints what the page says."""
        namespace: dict[str, Any] = {
            "__name__": "__docs__",
            "__file__": str(workdir / page.name),
            "crisiscomms": crisiscomms,
            "incident": crisiscomms.load_incident(EXAMPLES / "buffer-2013.toml"),
        }
        for block in blocks(page):
            if block.lang == "console":
                self._run_transcript(block)
            elif block.body.lstrip().startswith(">>>"):
                self._run_doctest(block, namespace)
            else:
                code = compile(block.body, str(block), "exec")
                exec(code, namespace)

    def _run_doctest(self, block: Block, namespace: dict[str, Any]) -> None:
        test = doctest.DocTestParser().get_doctest(
            block.body, namespace, str(block), str(block.page), block.line - 1
        )
        output = io.StringIO()
        runner = doctest.DocTestRunner(optionflags=_FLAGS)
        result = runner.run(test, out=output.write, clear_globs=False)
        assert result.failed == 0, output.getvalue()

    def _run_transcript(self, block: Block) -> None:
        checker = doctest.OutputChecker()
        for command, expected in transcript(block.body):
            shown = re.fullmatch(r"cat (\S+)", command.strip())
            if shown is not None:
                # "$ cat FILE" shows a file: one the page is about to use is written
                # from what it shows; one a command wrote is compared with it.
                path = Path(shown[1])
                if not path.exists():
                    path.write_text(expected, encoding="utf-8")
                    continue
                got = path.read_text(encoding="utf-8")
                assert checker.check_output(expected, got, _FLAGS), (
                    f"{block}: $ {command}\n--- the page says\n{expected}--- the file holds\n{got}"
                )
                continue
            if not command.startswith("crisiscomms "):
                continue
            out, err = io.StringIO(), io.StringIO()
            main(shlex.split(command)[1:], stdout=out, stderr=err, stdin=io.StringIO())
            got = out.getvalue().rstrip() + "\n" + err.getvalue()
            got = got.strip() + "\n"
            # A closing "..." line may stand for nothing at all.
            expected = re.sub(r"\n\.\.\.\n?$", "...\n", expected.rstrip() + "\n")
            assert checker.check_output(expected, got, _FLAGS), (
                f"{block}: $ {command}\n--- the page says\n{expected}--- it printed\n{got}"
            )

    def test_the_runner_sees_the_blocks_it_should(self) -> None:
        """Every page with Python has blocks found, and a not-run block needs a reason."""
        for page in PAGES:
            text = page.read_text(encoding="utf-8")
            assert text.count("```python\n") >= sum(b.lang == "python" for b in blocks(page))
            assert not re.search(r"<!--\s*not-run:\s*-->", text), page
        assert any(block.lang == "console" for page in PAGES for block in blocks(page))
