"""`entralint rules`: list the rules, built-in and loaded, as text or JSON."""

from __future__ import annotations

import argparse
import sys

from linter.commands.shared import entry_points_allowed

__all__ = ["run"]


def run(args: argparse.Namespace) -> int:
    """Write the listing to standard output."""
    from linter.docs import rules_listing
    from linter.engine.registry import load_rules

    rules = load_rules(args.rules_dir or (), entry_points=entry_points_allowed(args))
    sys.stdout.write(rules_listing(rules, args.format))
    return 0
