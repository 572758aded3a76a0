"""``python -m crisiscomms``: the command line."""

from crisiscomms.cli import run

run()
