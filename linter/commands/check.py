"""`entralint check`: lint the paths with the configured rules and write the report."""

from __future__ import annotations

import argparse
import functools
import os
import sys
from typing import TYPE_CHECKING, Any

from linter.commands.output import output_problem, use_color, use_excerpts, write_output
from linter.commands.shared import fail, standard_input

if TYPE_CHECKING:
    from linter.engine.config import Config
    from linter.model.findings import Report

__all__ = ["run"]


def _exit_code(report: Report, fail_on: str) -> int:
    if report.tool_failed:
        return 2
    if fail_on == "never":
        return 0
    from linter.rule import Level

    threshold = Level(fail_on).rank
    active = (finding for finding in report.findings if finding.suppression is None)
    return 1 if any(finding.level.rank >= threshold for finding in active) else 0


def _config(args: argparse.Namespace) -> Config:
    """The configuration file's settings with the command line's on top."""
    from linter.engine.config import custom_rules_allowed, load_config

    config = load_config(args.config, isolated=args.isolated)
    changes: dict[str, Any] = {}
    if args.select is not None:
        changes["select"] = tuple(args.select)
    if args.extend_select:
        changes["extend_select"] = (*config.extend_select, *args.extend_select)
    if args.ignore:
        changes["ignore"] = (*config.ignore, *args.ignore)
    if args.fail_on:
        changes["fail_on"] = args.fail_on
    if args.exclude:
        changes["exclude"] = (*config.exclude, *args.exclude)
    if args.rules_dir:
        changes["command_line_rules_dirs"] = tuple(dict.fromkeys(path.resolve() for path in args.rules_dir))
    changes["allow_custom_rules"] = custom_rules_allowed(args.allow_custom_rules, os.environ)
    if args.max_file_size:
        changes["max_file_size"] = args.max_file_size
    if args.var_file:
        changes["var_files"] = tuple(str(path.resolve()) for path in args.var_file)
    return config._replace(**changes)


def run(args: argparse.Namespace) -> int:
    """Lint, report, and return the exit code `--fail-on` asks for."""
    from linter.engine.ruleset import build_ruleset
    from linter.engine.run import lint
    from linter.reporters import get_reporter

    if args.output is not None and (problem := output_problem(args.output)) is not None:
        return fail(problem)
    config = _config(args)
    for var_file in config.var_files:
        if not os.path.isfile(var_file):
            return fail(f"--var-file {var_file}: no such file")
    ruleset = build_ruleset(config)
    stdin = standard_input(args, config.max_file_size)
    paths = [] if stdin is not None else args.paths
    build = functools.partial(build_ruleset, config)
    fixing = args.fix or args.fix_only or args.diff
    if fixing and stdin is not None:
        return fail("--fix, --fix-only and --diff change files: give paths, not standard input")

    def lint_paths() -> Report | str:
        from linter.engine.fix_settings import effective_fixes

        report = lint(paths, config, ruleset, build, jobs=args.jobs, stdin=stdin)
        if args.baseline is not None:
            from linter.engine.baseline import BaselineError, apply_baseline

            try:
                report = apply_baseline(report, args.baseline)
            except BaselineError as error:
                return str(error)
        return effective_fixes(report, config)._replace(unsafe_fixes=args.unsafe_fixes)

    report = lint_paths()
    if isinstance(report, str):
        return fail(report)
    if fixing:
        from linter.commands.fixing import apply_fixes, fixes_listing, rollback_notifications, write_diff

        results, refused = apply_fixes(report, config, ruleset, build, unsafe=args.unsafe_fixes, write=not args.diff)
        notes = rollback_notifications(results, refused)
        if args.diff or args.fix_only:
            for note in notes:
                sys.stderr.write(f"{note.path + ': ' if note.path else ''}entralint {note.level}: {note.message}\n")
            if args.diff:
                changed = write_diff(results, sys.stdout)
                sys.stderr.write(fixes_listing(results, report, verb="Would fix") if args.show_fixes else "")
                return 2 if report.tool_failed else 1 if changed else 0
            fixed = sum(len(result.applied) for result in results)
            listing = fixes_listing(results, report) if args.show_fixes else ""
            sys.stdout.write(listing or f"Fixed {fixed} finding{'s' if fixed != 1 else ''}.\n")
            return 2 if report.tool_failed else 0
        if any(result.applied for result in results):
            fixed_report = lint_paths()
            if isinstance(fixed_report, str):
                return fail(fixed_report)
            report = fixed_report
        report = report._replace(notifications=(*report.notifications, *notes))
        fixed = sum(len(result.applied) for result in results)
        if fixed and (args.show_fixes or args.format == "text"):
            listing = fixes_listing(results, report)
            summary = listing if args.show_fixes else f"Fixed {fixed} finding{'s' if fixed != 1 else ''}.\n"
            (sys.stderr if args.format != "text" or args.output is not None else sys.stdout).write(summary)
    to_terminal = args.output is None
    color = to_terminal and use_color(args.color, sys.stdout)
    excerpts = to_terminal and use_excerpts(args.color, sys.stdout)
    if args.format == "text" and args.quiet:
        from linter.reporters.text import write_findings

        write_output(args.output, lambda out: write_findings(report, out, color=color, excerpts=excerpts))
    else:
        reporter = get_reporter(args.format)
        write_output(
            args.output,
            lambda out: reporter(report, out, color=color, excerpts=excerpts, category=args.category),
        )
    if args.statistics:
        from linter.reporters.text import statistics

        stream = sys.stdout if args.format == "text" and args.output is None else sys.stderr
        stream.write(statistics(report))
    if args.output is not None or args.format != "text" or args.quiet:
        # The report itself may be a file or a format nobody reads in a terminal: say what went wrong.
        from linter.model.display import neutral, neutral_line_start

        for note in report.notifications:
            where = f"{neutral_line_start(note.path)}: " if note.path else ""
            sys.stderr.write(f"{where}entralint {note.level}: {neutral(note.message)}\n")
    if not report.policies and not report.findings:
        from linter.engine.files import NO_POLICY_FOUND

        sys.stderr.write(NO_POLICY_FOUND)
    return _exit_code(report, config.fail_on)
