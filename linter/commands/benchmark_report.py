"""How `entralint benchmark` writes its verdicts: text, markdown (a job summary) and JSON."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import IO, TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from linter.benchmarks import Benchmark, Control
    from linter.model.findings import Finding

__all__ = ["STATUSES", "WRITERS", "Verdict", "needs_lines"]

PASS, FAIL, LIVE, NO_RULE, NOT_CHECKED = "pass", "fail", "live", "no-rule", "not-checked"


class Verdict(NamedTuple):
    """A control's outcome: its status, the rules that decide it, the findings that fail it, and why not decided."""

    control: Control
    status: str
    rules: tuple[str, ...]
    findings: tuple[Finding, ...]
    reason: str


def _where(finding: Finding) -> str:
    return f"{finding.path}:{finding.span.start_line}:{finding.span.start_column}"


# The status leads each line, in a column of its own, named as in JSON: `grep ^fail` finds the failures.
STATUSES = (PASS, FAIL, NOT_CHECKED, LIVE, NO_RULE)
STATUS_WIDTH = max(len(status) for status in STATUSES)
DETAIL_INDENT = "    "


def _text_width() -> int:
    """Prose (what a control needs) wraps at the terminal's width, as `COLUMNS` or the terminal says."""
    import shutil

    return max(60, min(shutil.get_terminal_size((100, 24)).columns, 120))


def needs_lines(needs: str, *, live: bool) -> str:
    """What deciding a control needs, indented under it and wrapped: the catalog's prose, not a finding."""
    import textwrap

    lines = textwrap.wrap(
        f"needs from the live tenant: {needs}" if live else f"needs {needs}",
        width=_text_width(),
        initial_indent=DETAIL_INDENT,
        subsequent_indent=DETAIL_INDENT + "  ",
        break_on_hyphens=False,
    )
    return "".join(f"{line}\n" for line in lines)


def write_text(benchmark: Benchmark, results: Sequence[Verdict], out: IO[str]) -> None:
    """One line per control (status, id, title, deciding rules), its findings or what it needs under it.

    Findings stay on one line each, path:line:column first, as `check` prints them: editors and grep
    read them. Only the catalog's prose wraps.
    """
    from linter.model.display import neutral

    out.write(f"{benchmark.title} ({benchmark.name})\n")
    if benchmark.version not in benchmark.title:
        out.write(f"Read from {benchmark.version}\n")
    width = max((len(verdict.control.id) for verdict in results), default=0)
    for verdict in results:
        rules = f"  [{', '.join(verdict.rules)}]" if verdict.rules else ""
        out.write(f"{verdict.status:<{STATUS_WIDTH}}  {verdict.control.id:<{width}}  {verdict.control.title}{rules}\n")
        for finding in verdict.findings:
            suppressed = " [suppressed]" if finding.suppression is not None else ""
            out.write(
                f"{DETAIL_INDENT}{neutral(_where(finding))}: {finding.code}{suppressed} {neutral(finding.message)}\n"
            )
        if verdict.status in (LIVE, NO_RULE) and verdict.reason:
            out.write(needs_lines(verdict.reason, live=verdict.status == LIVE))
    out.write(_summary(results) + "\n")


def _summary(results: Sequence[Verdict]) -> str:
    count = {status: sum(verdict.status == status for verdict in results) for status in STATUSES}
    summary = (
        f"{count[PASS]} passed, {count[FAIL]} failed, {count[NOT_CHECKED]} not checked; not decidable from the "
        f"files: {count[LIVE]} need the live tenant, {count[NO_RULE]} need a rule entralint does not have"
    )
    unchecked = next((verdict.reason for verdict in results if verdict.status == NOT_CHECKED), "")
    return f"{summary}\nNot checked because {unchecked}" if unchecked else summary


def _cell(text: str) -> str:
    from linter.model.display import neutral

    return neutral(text).replace("|", "\\|").replace("\n", " ")


def write_markdown(benchmark: Benchmark, results: Sequence[Verdict], out: IO[str]) -> None:
    """A table for a CI job summary ($GITHUB_STEP_SUMMARY), with the statuses of the text and JSON reports."""
    out.write(
        f"### {_cell(benchmark.title)}\n\n| status | control | title | rules | details |\n|---|---|---|---|---|\n"
    )
    for verdict in results:
        if verdict.findings:
            details = "<br>".join(
                f"`{_cell(_where(finding))}` {finding.code}"
                f"{' (suppressed)' if finding.suppression is not None else ''}: {_cell(finding.message)}"
                for finding in verdict.findings
            )
        else:
            details = _cell(verdict.reason)
        status = f"**{verdict.status}**" if verdict.status == FAIL else verdict.status
        out.write(
            f"| {status} | `{verdict.control.id}` | {_cell(verdict.control.title)} | {', '.join(verdict.rules)} "
            f"| {details} |\n"
        )
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
