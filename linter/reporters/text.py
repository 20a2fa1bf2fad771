"""Text output: `path:line:col: CODE [level] message`, source excerpts on a terminal, then a summary."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import IO

from linter.model.display import neutral, neutral_line_start
from linter.model.findings import Finding, Notification, Report
from linter.model.fixes import Applicability
from linter.model.source import display_path

_COLORS = {"error": "\033[31m", "warning": "\033[33m", "note": "\033[36m"}
_BOLD, _DIM, _RESET = "\033[1m", "\033[2m", "\033[0m"


def _paint(text: str, style: str, color: bool) -> str:
    return f"{style}{text}{_RESET}" if color else text


def _excerpt(finding: Finding, lines_of: dict[str, list[str] | None], color: bool) -> str:
    """The finding's first source line and a caret under its span."""
    if finding.path not in lines_of:
        try:
            from linter.model.source import decode_text, source_lines

            lines_of[finding.path] = source_lines(finding.path, decode_text(Path(finding.path).read_bytes()))
        except (OSError, ValueError):
            lines_of[finding.path] = None
    lines = lines_of[finding.path]
    span = finding.span
    if not lines or span.start_line > len(lines):
        return ""
    text = lines[span.start_line - 1].expandtabs(1)
    width = max(1, (span.end_column if span.end_line == span.start_line else len(text) + 1) - span.start_column)
    width = min(width, max(1, len(text) - span.start_column + 1))
    # The caret stays under the span when a character before or inside it is shown as an escape.
    start = span.start_column - 1
    before, marked = neutral(text[:start]), neutral(text[start : start + width])
    gutter = f"{span.start_line:>5} | "
    caret = " " * (len(gutter) + len(before)) + "^" * max(1, len(marked))
    shown = before + marked + neutral(text[start + width :])
    return f"{_paint(gutter, _DIM, color)}{shown}\n{_paint(caret, _COLORS[finding.level.value], color)}\n"


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
        f"{report.policies} polic{'ies' if report.policies != 1 else 'y'}: "
        f"{', '.join(parts)}{extra} in {report.elapsed:.2f}s"
    )


def statistics(report: Report) -> str:
    """`--statistics`: unsuppressed findings per rule, most frequent first."""
    counts = Counter(finding.code for finding in report.findings if finding.suppression is None)
    ordered = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    return "".join(f"{count:>6}  {code}  {report.rules[code].name}\n" for code, count in ordered)


def _applies(finding: Finding, unsafe: bool) -> bool:
    """Whether `--fix` (with `--unsafe-fixes` when unsafe) would apply the finding's fix: ruff's `[*]`."""
    fix = finding.fix
    return fix is not None and (
        fix.applicability is Applicability.SAFE or (unsafe and fix.applicability is Applicability.UNSAFE)
    )


def fixable_summary(report: Report) -> str:
    """How many findings `--fix` would fix, and how many more `--unsafe-fixes` would; "" when none."""
    active = [finding for finding in report.findings if finding.suppression is None and finding.fix is not None]
    fixable = sum(1 for finding in active if _applies(finding, report.unsafe_fixes))
    hidden = sum(1 for finding in active if not _applies(finding, report.unsafe_fixes) and _applies(finding, True))
    if not fixable and not hidden:
        return ""
    text = f"[*] {fixable} fixable with the `--fix` option" if fixable else "No fixes available"
    if hidden:
        text += f" ({hidden} hidden fix{'es' if hidden != 1 else ''} can be enabled with the `--unsafe-fixes` option)"
    return text + ".\n"


def _notification_line(note: Notification) -> str:
    where = (
        neutral_line_start(display_path(str(Path(note.path)), Path.cwd())) + ": "
        if note.path and not note.path.startswith("tenant ")
        else ""
    )
    return f"{where}entralint {note.level}: {neutral(note.message)}\n"


def write(
    report: Report, out: IO[str], *, color: bool = False, excerpts: bool = False, category: str | None = None
) -> None:
    write_findings(report, out, color=color, excerpts=excerpts)
    for note in report.notifications:
        out.write(_notification_line(note))
    out.write(summary(report) + "\n")
    out.write(fixable_summary(report))


def write_findings(report: Report, out: IO[str], *, color: bool = False, excerpts: bool = False) -> None:
    """One line per unsuppressed finding, with a source excerpt when a person is reading."""
    lines_of: dict[str, list[str] | None] = {}
    for finding in report.findings:
        if finding.suppression is not None:
            continue
        span = finding.span
        code = _paint(finding.code, _BOLD, color)
        level = _paint(finding.level.value, _COLORS[finding.level.value], color)
        where = neutral_line_start(finding.path)
        mark = " [*]" if _applies(finding, report.unsafe_fixes) else ""
        out.write(f"{where}:{span.start_line}:{span.start_column}: {code}{mark} [{level}] {neutral(finding.message)}\n")
        if finding.fix is not None and finding.fix.applicability is Applicability.DISPLAY_ONLY:
            out.write(f"  help: {neutral(finding.fix.description)}\n")
        elif finding.no_fix:
            out.write(f"  no fix: {neutral(finding.no_fix)}\n")
        if excerpts:
            out.write(_excerpt(finding, lines_of, color))
