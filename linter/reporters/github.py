"""GitHub Actions workflow commands: annotations on the pull request diff.

Input text is made neutral first (control characters as escapes, so no newline reaches the runner),
then escaped as the runner unescapes it: https://github.com/actions/toolkit/blob/main/packages/core/src/command.ts
"""

from __future__ import annotations

from typing import IO

from linter.model.display import neutral
from linter.model.findings import Report

_LEVELS = {"error": "error", "warning": "warning", "note": "notice"}


def _escape_data(text: str) -> str:
    return neutral(text).replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def write(
    report: Report, out: IO[str], *, color: bool = False, excerpts: bool = False, category: str | None = None
) -> None:
    for finding in report.findings:
        if finding.suppression is not None:
            continue
        span = finding.span
        properties = ",".join(
            (
                f"file={_escape_property(finding.path)}",
                f"line={span.start_line}",
                f"col={span.start_column}",
                f"endLine={span.end_line}",
                f"endColumn={span.end_column}",
                f"title={_escape_property(f'{finding.code} {report.rules[finding.code].name}')}",
            )
        )
        out.write(f"::{_LEVELS[finding.level.value]} {properties}::{_escape_data(finding.message)}\n")
    for note in report.notifications:
        where = f" file={_escape_property(note.path)}" if note.path and not note.path.startswith("tenant ") else ""
        out.write(f"::{'error' if note.level == 'error' else 'warning'}{where}::{_escape_data(note.message)}\n")
