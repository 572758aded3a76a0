"""Sessions: tests, lint, typecheck, docs and wheel by default; bench on request.

Versions and dependency groups are read from pyproject.toml, not repeated here.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import nox

nox.options.default_venv_backend = "venv"
nox.options.sessions = ["tests", "lint", "typecheck", "docs", "wheel"]
nox.options.reuse_existing_virtualenvs = True

ROOT = Path(__file__).parent
PYPROJECT = nox.project.load_toml(ROOT / "pyproject.toml")
EXAMPLE = ROOT / "examples" / "buffer-2013.toml"


def _install_group(session: nox.Session, group: str, *, project: bool = True) -> None:
    packages = list(nox.project.dependency_groups(PYPROJECT, group))
    if project:
        session.install("-e", ".[testing,yaml,fast]", *packages)
    else:
        session.install(*packages)


@nox.session
def tests(session: nox.Session) -> None:
    """The whole test suite, with branch coverage."""
    _install_group(session, "tests")
    session.run(
        "pytest",
        "--cov=crisiscomms",
        "--cov-report=term",
        *session.posargs,
        env={"COVERAGE_FILE": str(ROOT / ".coverage")},
    )


@nox.session
def lint(session: nox.Session) -> None:
    """ruff check and ruff format --check."""
    _install_group(session, "lint", project=False)
    session.run("ruff", "check", ".")
    session.run("ruff", "format", "--check", ".")


@nox.session
def typecheck(session: nox.Session) -> None:
    """mypy --strict over the package, the tests, the benchmarks and this file."""
    _install_group(session, "typecheck")
    session.install("nox")
    session.run("mypy", "--strict")


@nox.session
def catalogues(session: nox.Session) -> None:
    """Extract the templates' messages into the .pot and merge them into every .po
    (new messages arrive untranslated; the tests list them until they are written)."""
    session.install("Babel>=2.12", "jinja2>=3.1")
    locales = ROOT / "src" / "crisiscomms" / "locales"
    template = locales / "crisiscomms.pot"
    session.run(
        *("pybabel", "extract", "-F", "babel.cfg", "--no-location", "--sort-output"),
        *("-k", "N_", "-k", "gettext:2", "-k", "_"),
        *("--project", "crisiscomms", "--copyright-holder", "The crisiscomms developers"),
        *("-o", str(template), "."),
    )
    session.run(
        *("pybabel", "update", "-i", str(template), "-d", str(locales), "-D", "crisiscomms"),
        "--no-fuzzy-matching",
    )


@nox.session
def docs(session: nox.Session) -> None:
    """Build the Sphinx docs with warnings as errors."""
    _install_group(session, "docs")
    build = ROOT / "docs" / "_build"
    shutil.rmtree(build, ignore_errors=True)
    session.run("sphinx-build", "-W", "--keep-going", "-b", "html", "docs", str(build / "html"))


@nox.session
def wheel(session: nox.Session) -> None:
    """Build the wheel, install it in a fresh environment, and draft the example from there."""
    session.install("build")
    dist = Path(session.create_tmp()).resolve() / "dist"
    shutil.rmtree(dist, ignore_errors=True)
    session.run("python", "-m", "build", "--wheel", "--outdir", str(dist))
    (built,) = dist.glob("crisiscomms-*.whl")
    session.install(str(built), "--force-reinstall")
    out = Path(session.create_tmp()).resolve() / "drafts"
    shutil.rmtree(out, ignore_errors=True)
    # Run from an empty folder so nothing from the source tree can be imported.
    session.chdir(session.create_tmp())
    session.run("crisiscomms", "draft", str(EXAMPLE), "--out", str(out))
    session.run(
        "python",
        "-c",
        "import crisiscomms, pathlib, sys; "
        "assert 'site-packages' in crisiscomms.__file__, crisiscomms.__file__; "
        f"files = sorted(p.name for p in pathlib.Path({str(out)!r}).iterdir()); "
        "print(files); "
        "assert {'email.eml', 'email.html', 'x.txt', 'facebook.txt', 'manifest.json'}"
        " <= set(files)",
    )


@nox.session
def bench(session: nox.Session) -> None:
    """The benchmarks, each printing its ratios against the peers it names."""
    _install_group(session, "bench")
    session.install("-e", ".[fast]")
    for script in sorted((ROOT / "bench").glob("bench_*.py")):
        session.log(f"running {script.name}")
        session.run("python", str(script), env={"PYTHONHASHSEED": "0", **os.environ})
