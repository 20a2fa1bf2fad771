"""`check --fix`, `--fix-only` and `--diff`: apply (or show) the fixes of a report, and say what they did."""

from __future__ import annotations

import difflib
from collections import Counter
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import IO

from linter.engine.apply_fixes import FileFixes, fix_files, relinter
from linter.engine.config import Config
from linter.engine.ruleset import RuleSet
from linter.model.display import neutral
from linter.model.findings import Notification, Report

__all__ = ["apply_fixes", "fixes_listing", "rollback_notifications", "write_diff"]


def apply_fixes(
    report: Report, config: Config, ruleset: RuleSet, build: Callable[[], RuleSet], *, unsafe: bool, write: bool
) -> tuple[list[FileFixes], list[str]]:
    from linter.engine.new_files import create_files

    cwd = Path.cwd()
    results, refused = fix_files(report, relinter(config, ruleset, build, cwd), cwd, unsafe=unsafe, write=write)
    if any(edit.new_file for finding in report.findings if finding.fix for edit in finding.fix.edits):
        # A new policy changes what the tenant rules see: it is linted with the run's files, not alone.
        with_run = relinter(config, ruleset, build, cwd, with_files=report.files)
        results.extend(create_files(report, with_run, cwd, unsafe=unsafe, write=write))
    return results, refused


def write_diff(results: Sequence[FileFixes], out: IO[str]) -> bool:
    """A unified diff of every changed file (`a/` and `b/` paths, as git shows them); whether there was one."""
    changed = False
    for result in results:
        if result.fixed == result.original:
            continue
        changed = True
        before = result.original.decode("utf-8", errors="replace").splitlines(keepends=True)
        after = result.fixed.decode("utf-8", errors="replace").splitlines(keepends=True)
        old = "/dev/null" if result.created else f"a/{result.path}"  # a new file, as git shows one
        for line in difflib.unified_diff(before, after, old, f"b/{result.path}"):
            out.write(line if line.endswith(("\n", "\r")) else line + "\n\\ No newline at end of file\n")
    return changed


def rollback_notifications(results: Sequence[FileFixes], refused: Sequence[str]) -> list[Notification]:
    """A warning for each fix rolled back (it broke the file, left its finding or added one), and each file refused."""
    notes = [
        Notification(
            f"fix for {finding.code} at line {finding.span.start_line} rolled back: {why}",
            result.path,
            finding.span.start_line,
            finding.span.start_column,
            rule=finding.code,
        )
        for result in results
        for finding, why in result.rolled_back
    ]
    notes.extend(Notification(message) for message in refused)
    return notes


def fixes_listing(results: Sequence[FileFixes], report: Report, *, verb: str = "Fixed") -> str:
    """ruff's `--show-fixes` list: per file, how many findings of each rule were fixed."""
    total = sum(len(result.applied) for result in results)
    if not total:
        return ""
    lines = [f"{verb} {total} finding{'s' if total != 1 else ''}:\n"]
    for result in results:
        if not result.applied:
            continue
        lines.append(f"- {neutral(result.path)}:\n")
        for code, count in sorted(Counter(finding.code for finding in result.applied).items()):
            name = report.rules[code].name if code in report.rules else ""
            lines.append(f"    {count} × {code} ({name})\n")
    return "".join(lines)
