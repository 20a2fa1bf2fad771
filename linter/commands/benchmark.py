"""`entralint benchmark NAME [PATHS]`: one line per control of a security benchmark, decided from the files."""

from __future__ import annotations

import argparse
import functools
import os
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from linter.commands.benchmark_report import FAIL, LIVE, NO_RULE, NOT_CHECKED, PASS, WRITERS, Verdict
from linter.commands.output import output_problem, write_output
from linter.commands.shared import fail, standard_input

if TYPE_CHECKING:
    from linter.benchmarks import Benchmark
    from linter.engine.config import Config
    from linter.model.findings import Report
    from linter.rule import Rule

__all__ = ["Verdict", "run", "verdicts"]

# Findings that mean the files were not all read, or a tenant's rules did not run: silence proves nothing then.
UNCHECKED_CODES = {"IN001": "a file could not be parsed", "IN002": "a document breaks the schema"}
TENANT_SKIPPED = "IN006"
# Rule options that describe the tenant rather than the question a rule asks: the only ones a benchmark reads.
TENANT_FACT_OPTIONS = frozenset({"emergency-access"})


def _config(args: argparse.Namespace, benchmark: Benchmark, codes: Sequence[str]) -> Config:
    """The configuration file's tenants, options and emergency access, running exactly the deciding rules.

    The selection and every ignore are replaced: a control passes only when its rules ran on every file.
    Rule options keep their defaults, but for the tenant's emergency access accounts, and the privileged
    roles are the ones the benchmark names (entralint's table when it names none).
    """
    from linter.engine.config import load_config

    config = load_config(args.config, isolated=args.isolated)
    changes: dict[str, Any] = {
        "select": ("IN", *codes),
        "extend_select": (),
        "ignore": (),
        "per_file_ignores": {},
        "per_policy_ignores": {},
        "tenant_ignores": {},
        # Only built-in rules: a control's deciders are the catalog's contract, not what a rule pack claims.
        "allow_custom_rules": False,
        # The benchmark fixes what a control asks (CIS's 4 hours, Maester's medium and high risk): an option
        # that changes a rule's question would change the control. Who the emergency access accounts are is
        # a fact about the tenant, not part of the question, so that option stays.
        # The administrator controls name their own roles (CIS's fifteen, ScubaGear's eight): asking about
        # exactly those makes a finding a failure and silence a pass; the configured lists would change that.
        "privileged_roles": benchmark.privileged_roles or None,
        "extend_privileged_roles": (),
        "tenant_privileged_roles": {},
        "tenant_extend_privileged_roles": {},
        "rule_options": {
            code: kept
            for code, options in config.rule_options.items()
            if (kept := {name: value for name, value in options.items() if name in TENANT_FACT_OPTIONS})
        },
    }
    if args.exclude:
        changes["exclude"] = (*config.exclude, *args.exclude)
    if args.max_file_size:
        changes["max_file_size"] = args.max_file_size
    if args.var_file:
        changes["var_files"] = tuple(str(path.resolve()) for path in args.var_file)
    return config._replace(**changes)


def _deciders(benchmark: Benchmark, rules: Mapping[str, type[Rule]]) -> dict[str, tuple[str, ...]]:
    return {
        control.id: tuple(
            code
            for code, rule in rules.items()
            if any(ref.benchmark == benchmark.name and ref.control == control.id for ref in rule.benchmarks)
        )
        for control in benchmark.controls
    }


def _unchecked_reason(report: Report) -> str:
    """Why silence on this run would not be a pass; "" when every file was read and every tenant checked."""
    if report.tool_failed:
        return "a rule or a loader crashed, so the report may be incomplete"
    codes = {finding.code for finding in report.findings}
    if TENANT_SKIPPED in codes:
        return "tenant rules were skipped for a tenant (IN006)"
    for code, reason in UNCHECKED_CODES.items():
        if code in codes:
            return f"{reason} ({code})"
    if not report.policies:
        return "no policy was found in the files"
    return ""


def verdicts(benchmark: Benchmark, rules: Mapping[str, type[Rule]], report: Report) -> list[Verdict]:
    """Each control's verdict on a report made by the rules that decide the benchmark."""
    deciders = _deciders(benchmark, rules)
    unchecked = _unchecked_reason(report)
    results = []
    for control in benchmark.controls:
        codes = deciders[control.id]
        if not codes:
            results.append(Verdict(control, NO_RULE if control.offline else LIVE, codes, (), control.needs))
            continue
        findings = tuple(finding for finding in report.findings if finding.code in codes)
        if findings:
            results.append(Verdict(control, FAIL, codes, findings, ""))
        elif unchecked:
            results.append(Verdict(control, NOT_CHECKED, codes, (), unchecked))
        else:
            results.append(Verdict(control, PASS, codes, (), ""))
    return results


def exit_code(report: Report, results: Sequence[Verdict]) -> int:
    """2 when the run could not check everything; 1 when a decided control fails; else 0."""
    if report.tool_failed or any(verdict.status == NOT_CHECKED for verdict in results):
        return 2
    return 1 if any(verdict.status == FAIL for verdict in results) else 0


def run(args: argparse.Namespace) -> int:
    """Lint the paths with the rules that decide the benchmark, and write one line per control."""
    import sys

    from linter.benchmarks import NAMES, benchmark
    from linter.engine.registry import load_rules
    from linter.engine.ruleset import build_ruleset
    from linter.engine.run import lint

    found = benchmark(args.name)
    if found is None:
        return fail(f"no benchmark {args.name!r}; the benchmarks are: {', '.join(NAMES)}")
    if args.output is not None and (problem := output_problem(args.output)) is not None:
        return fail(problem)
    rules = load_rules(entry_points=False)
    codes = sorted({code for deciding in _deciders(found, rules).values() for code in deciding})
    config = _config(args, found, codes)
    for var_file in config.var_files:
        if not os.path.isfile(var_file):
            return fail(f"--var-file {var_file}: no such file")
    ruleset = build_ruleset(config)
    stdin = standard_input(args, config.max_file_size)
    paths = [] if stdin is not None else args.paths
    report = lint(paths, config, ruleset, functools.partial(build_ruleset, config), jobs=args.jobs, stdin=stdin)
    results = verdicts(found, rules, report)
    writer = WRITERS[args.format]
    write_output(args.output, lambda out: writer(found, results, out))
    from linter.model.display import neutral, neutral_line_start

    for note in report.notifications:
        where = f"{neutral_line_start(note.path)}: " if note.path else ""
        sys.stderr.write(f"{where}entralint {note.level}: {neutral(note.message)}\n")
    unchecked = _unchecked_reason(report)
    # The findings that make a run unchecked decide no control, so the listing does not show them; without
    # this line a parse error behind a row of failing controls would go unseen.
    if unchecked and report.policies:
        sys.stderr.write(
            f"entralint warning: {unchecked}: no control passes on this run; `entralint check` on the same "
            "paths shows where\n"
        )
    return exit_code(report, results)
