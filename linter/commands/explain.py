"""`entralint explain CODE`: one rule's help page, found by its code or its name."""

from __future__ import annotations

import argparse
import sys

from linter.commands.shared import entry_points_allowed, fail

__all__ = ["run"]


def run(args: argparse.Namespace) -> int:
    """Write the rule's page to standard output; exit 2 when no rule has that code or name."""
    from linter.docs import rule_page
    from linter.engine.registry import load_rules

    rules = load_rules(args.rules_dir or (), entry_points=entry_points_allowed(args))
    code = args.code.upper()
    if code not in rules:
        matches = [rule for rule in rules.values() if rule.name == args.code]
        if not matches:
            return fail(f"no rule {args.code!r}; `entralint rules` lists them")
        code = matches[0].code
    sys.stdout.write(rule_page(rules[code]))
    return 0
