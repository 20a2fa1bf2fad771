"""Text output: `path:line:col: CODE [level] message`, source excerpts on a terminal, then a summary."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import IO

from linter.engine import Report
from linter.rule import Finding

_COLORS = {"error": "\033[31m", "warning": "\033[33m", "note": "\033[36m"}
_BOLD, _DIM, _RESET = "\033[1m", "\033[2m", "\033[0m"


def _excerpt(finding: Finding, lines_of: dict[str, list[str] | None], color: bool) -> str:
    if finding.path not in lines_of:
        try:
            from linter.source import decode_text

            lines_of[finding.path] = decode_text(Path(finding.path).read_bytes()).splitlines()
        except (OSError, ValueError):
            lines_of[finding.path] = None
    lines = lines_of[finding.path]
    span = finding.span
    if not lines or span.start_line > len(lines):
        return ""
    text = lines[span.start_line - 1].rstrip("\r").expandtabs(1)
    width = max(1, (span.end_column if span.end_line == span.start_line else len(text) + 1) - span.start_column)
    gutter = f"{span.start_line:>5} | "
    caret = " " * (len(gutter) + span.start_column - 1) + "^" * min(width, max(1, len(text) - span.start_column + 1))
    if color:
        caret = _COLORS[finding.level.value] + caret + _RESET
        gutter = _DIM + gutter + _RESET
    return f"{gutter}{text}\n{caret}\n"


def summary(report: Report) -> str:
    active = [finding for finding in report.findings if finding.suppression is None]
    levels = Counter(finding.level.value for finding in active)
    parts = [f"{levels[level]} {level}{'s' if levels[level] != 1 else ''}" for level in ("error", "warning", "note")]
    suppressed = len(report.findings) - len(active)
    extra = f", {suppressed} suppressed" if suppressed else ""
    if report.baseline_hidden:
        extra += f", {report.baseline_hidden} in baseline"
    return (
        f"Checked {len(report.files)} file{'s' if len(report.files) != 1 else ''}, "
        f"{len(report.documents)} polic{'ies' if len(report.documents) != 1 else 'y'}: "
        f"{', '.join(parts)}{extra} in {report.elapsed:.2f}s"
    )


def write(report: Report, out: IO[str], *, color: bool = False, category: str | None = None) -> None:
    write_findings(report, out, color=color)
    for note in report.notifications:
        where = f"{note.path}: " if note.path else ""
        out.write(f"{where}entralint {note.level}: {note.message}\n")
    out.write(summary(report) + "\n")


def write_findings(report: Report, out: IO[str], *, color: bool = False) -> None:
    """One line per unsuppressed finding, with a source excerpt when writing to a terminal."""
    lines_of: dict[str, list[str] | None] = {}
    for finding in report.findings:
        if finding.suppression is not None:
            continue
        span = finding.span
        code = f"{_BOLD}{finding.code}{_RESET}" if color else finding.code
        level = f"{_COLORS[finding.level.value]}{finding.level.value}{_RESET}" if color else finding.level.value
        out.write(f"{finding.path}:{span.start_line}:{span.start_column}: {code} [{level}] {finding.message}\n")
        if color:
            out.write(_excerpt(finding, lines_of, color))
