"""`entralint benchmark NAME [PATHS]`: one line per control of a security benchmark, decided from the files."""

from __future__ import annotations

import argparse
import functools
import json
import os
from collections.abc import Mapping, Sequence
from typing import IO, TYPE_CHECKING, Any, NamedTuple

from linter.commands.output import output_problem, write_output
from linter.commands.shared import fail, standard_input

if TYPE_CHECKING:
    from linter.benchmarks import Benchmark, Control
    from linter.engine.config import Config
    from linter.model.findings import Finding, Report
    from linter.rule import Rule

__all__ = ["Verdict", "run", "verdicts"]

PASS, FAIL, LIVE, NO_RULE, NOT_CHECKED = "pass", "fail", "live", "no-rule", "not-checked"
# Findings that mean the files were not all read, or a tenant's rules did not run: silence proves nothing then.
UNCHECKED_CODES = {"IN001": "a file could not be parsed", "IN002": "a document breaks the schema"}
TENANT_SKIPPED = "IN006"


class Verdict(NamedTuple):
    """A control's outcome: its status, the rules that decide it, the findings that fail it, and why not decided."""

    control: Control
    status: str
    rules: tuple[str, ...]
    findings: tuple[Finding, ...]
    reason: str


def _config(args: argparse.Namespace, codes: Sequence[str]) -> Config:
    """The configuration file's tenants, options and emergency access, running exactly the deciding rules.

    The selection and every ignore are replaced: a control passes only when its rules ran on every file.
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
            status = NO_RULE if control.offline else LIVE
            reason = "no entralint rule decides it yet" if control.offline else control.needs
            results.append(Verdict(control, status, codes, (), reason))
            continue
        findings = tuple(finding for finding in report.findings if finding.code in codes)
        if findings:
            results.append(Verdict(control, FAIL, codes, findings, ""))
        elif unchecked:
            results.append(Verdict(control, NOT_CHECKED, codes, (), unchecked))
        else:
            results.append(Verdict(control, PASS, codes, (), ""))
    return results


def _where(finding: Finding) -> str:
    return f"{finding.path}:{finding.span.start_line}:{finding.span.start_column}"


def _status_text(verdict: Verdict) -> str:
    if verdict.status == LIVE:
        return f"needs the live tenant: {verdict.reason}"
    if verdict.status == NO_RULE:
        return "not decided: no entralint rule decides it yet"
    if verdict.status == NOT_CHECKED:
        return f"not checked: {verdict.reason}"
    return f"{verdict.status} ({', '.join(verdict.rules)})"


def write_text(benchmark: Benchmark, results: Sequence[Verdict], out: IO[str]) -> None:
    from linter.model.display import neutral

    out.write(f"{benchmark.title} ({benchmark.name}, {benchmark.version})\n")
    width = max((len(verdict.control.id) for verdict in results), default=0)
    for verdict in results:
        out.write(f"{verdict.control.id:<{width}}  {_status_text(verdict)}  {verdict.control.title}\n")
        for finding in verdict.findings:
            suppressed = " [suppressed]" if finding.suppression is not None else ""
            out.write(f"    {neutral(_where(finding))}: {finding.code}{suppressed} {neutral(finding.message)}\n")
    out.write(_summary(results) + "\n")


def _summary(results: Sequence[Verdict]) -> str:
    counts = {status: sum(verdict.status == status for verdict in results) for status in (PASS, FAIL, NOT_CHECKED)}
    undecided = sum(verdict.status in (LIVE, NO_RULE) for verdict in results)
    return (
        f"{counts[PASS]} passed, {counts[FAIL]} failed, {counts[NOT_CHECKED]} not checked, "
        f"{undecided} not decidable from the files"
    )


def _cell(text: str) -> str:
    from linter.model.display import neutral

    return neutral(text).replace("|", "\\|").replace("\n", " ")


def write_markdown(benchmark: Benchmark, results: Sequence[Verdict], out: IO[str]) -> None:
    """A table for a CI job summary ($GITHUB_STEP_SUMMARY)."""
    out.write(f"### {_cell(benchmark.title)}\n\n| control | status | title | details |\n|---|---|---|---|\n")
    icons = {PASS: "pass", FAIL: "**fail**", NOT_CHECKED: "not checked", LIVE: "needs the live tenant"}
    for verdict in results:
        if verdict.findings:
            details = "<br>".join(
                f"`{_cell(_where(finding))}` {finding.code}: {_cell(finding.message)}" for finding in verdict.findings
            )
        elif verdict.status == PASS:
            details = ", ".join(verdict.rules)
        else:
            details = _cell(verdict.reason)
        status = icons.get(verdict.status, "no rule yet")
        out.write(f"| `{verdict.control.id}` | {status} | {_cell(verdict.control.title)} | {details} |\n")
    out.write(f"\n{_summary(results)}\n")


def write_json(benchmark: Benchmark, results: Sequence[Verdict], out: IO[str]) -> None:
    """The keys docs/cli.md documents; they stay stable."""
    document = {
        "benchmark": benchmark.name,
        "title": benchmark.title,
        "version": benchmark.version,
        "controls": [
            {
                "id": verdict.control.id,
                "title": verdict.control.title,
                "status": verdict.status,
                "rules": list(verdict.rules),
                "reason": verdict.reason,
                "findings": [
                    {
                        "code": finding.code,
                        "level": finding.level.value,
                        "path": finding.path,
                        "line": finding.span.start_line,
                        "column": finding.span.start_column,
                        "message": finding.message,
                        "suppressed": finding.suppression is not None,
                    }
                    for finding in verdict.findings
                ],
            }
            for verdict in results
        ],
    }
    out.write(json.dumps(document, indent=2) + "\n")


WRITERS = {"text": write_text, "markdown": write_markdown, "json": write_json}


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
    config = _config(args, codes)
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
    return exit_code(report, results)
