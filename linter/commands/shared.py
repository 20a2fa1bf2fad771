"""What the subcommands share: how a usage error is reported (exit 2), and `-` read as standard input."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from linter.engine.files import StandardInput

__all__ = ["UsageError", "fail", "standard_input"]


class UsageError(Exception):
    """A command line whose parts do not go together; the message says why (exit 2)."""


def fail(message: str) -> int:
    """Say what went wrong on standard error; the exit code of a usage or tool error."""
    from linter.model.display import neutral

    sys.stderr.write(f"entralint: error: {neutral(message)}\n")
    return 2


def standard_input(args: argparse.Namespace, max_size: int) -> StandardInput | None:
    """Standard input when `-` is the path, as ruff reads it; None when the paths are files."""
    from linter.engine.files import STDIN, read_standard_input

    if STDIN not in args.paths:
        if args.stdin_filename is not None:
            raise UsageError("--stdin-filename names standard input: give `-` as the path")
        return None
    if len(args.paths) > 1:
        raise UsageError("`-` (standard input) cannot be combined with other paths")
    return read_standard_input(args.stdin_filename, max_size)


def entry_points_allowed(args: argparse.Namespace) -> bool:
    """Installed rule packs are code too: `rules` and `explain` load them only when allowed, as `check` does."""
    import os

    from linter.engine.config import custom_rules_allowed

    return custom_rules_allowed(args.allow_custom_rules, os.environ)
