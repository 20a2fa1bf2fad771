"""reviewdog's diagnostic format (rdjson, `DiagnosticResult`): findings with their fixes as suggestions.

reviewdog shows a suggestion as a GitHub "suggested change" on the pull request. Its columns count UTF-8
bytes (https://github.com/reviewdog/reviewdog/tree/master/proto/rdf), entralint's count characters.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import IO, Any

from linter import HOMEPAGE, rule_doc_url
from linter.model.display import neutral
from linter.model.findings import Finding, Report
from linter.model.fixes import Applicability
from linter.model.source import Span, decode_text, source_lines

_SEVERITY = {"error": "ERROR", "warning": "WARNING", "note": "INFO"}


class _ByteColumns:
    """Character columns made UTF-8 byte columns, reading each file's lines once."""

    def __init__(self) -> None:
        self._lines: dict[str, list[str] | None] = {}

    def column(self, path: str, line: int, column: int) -> int:
        if path not in self._lines:
            try:
                self._lines[path] = source_lines(path, decode_text(Path(path).read_bytes()))
            except (OSError, ValueError):
                self._lines[path] = None
        lines = self._lines[path]
        if lines is None or not 1 <= line <= len(lines):
            return column
        return len(lines[line - 1][: column - 1].encode("utf-8")) + 1

    def range(self, path: str, span: Span) -> dict[str, Any]:
        return {
            "start": {"line": span.start_line, "column": self.column(path, span.start_line, span.start_column)},
            "end": {"line": span.end_line, "column": self.column(path, span.end_line, span.end_column)},
        }


def _diagnostic(finding: Finding, columns: _ByteColumns) -> dict[str, Any]:
    diagnostic: dict[str, Any] = {
        "message": neutral(finding.message),
        "location": {"path": finding.path, "range": columns.range(finding.path, finding.span)},
        "severity": _SEVERITY[finding.level.value],
        "code": {"value": finding.code, "url": rule_doc_url(finding.code)},
    }
    fix = finding.fix
    # reviewdog suggests the edits of one file only: the finding's. A display-only fix is the user's choice.
    if fix is not None and fix.applicability is not Applicability.DISPLAY_ONLY:
        suggestions = [
            {"range": columns.range(edit.path, edit.span), "text": edit.text}
            for edit in fix.edits
            if edit.path == finding.path
        ]
        if suggestions:
            diagnostic["suggestions"] = suggestions
    return diagnostic


def write(
    report: Report, out: IO[str], *, color: bool = False, excerpts: bool = False, category: str | None = None
) -> None:
    columns = _ByteColumns()
    result = {
        "source": {"name": "entralint", "url": HOMEPAGE},
        "diagnostics": [_diagnostic(finding, columns) for finding in report.findings if finding.suppression is None],
    }
    json.dump(result, out, indent=2, ensure_ascii=False)
    out.write("\n")
