"""`python -m linter` is `entralint`."""

from __future__ import annotations

from linter.cli import run

if __name__ == "__main__":
    run()
