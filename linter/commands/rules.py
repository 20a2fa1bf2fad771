"""`entralint rules`: list the rules, built-in and loaded, as text or JSON; or one benchmark's mapping."""

from __future__ import annotations

import argparse
import sys

from linter.commands.shared import entry_points_allowed, fail

__all__ = ["run"]


def run(args: argparse.Namespace) -> int:
    """Write the listing to standard output."""
    from linter.docs import rules_listing
    from linter.engine.registry import load_rules

    rules = load_rules(args.rules_dir or (), entry_points=entry_points_allowed(args))
    if args.benchmark is not None:
        from linter.benchmarks import NAMES, benchmark
        from linter.docs import benchmark_listing

        found = benchmark(args.benchmark)
        if found is None:
            return fail(f"no benchmark {args.benchmark!r}; the benchmarks are: {', '.join(NAMES)}")
        sys.stdout.write(benchmark_listing(found, rules, args.format))
        return 0
    sys.stdout.write(rules_listing(rules, args.format))
    return 0
