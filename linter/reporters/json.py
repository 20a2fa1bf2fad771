"""JSON output: one object with the findings and what the run saw, for tools and baselines."""

from __future__ import annotations

import json
from typing import IO, Any

from linter import __version__
from linter.engine import Report
from linter.rule import Finding


def finding_to_dict(finding: Finding) -> dict[str, Any]:
    span = finding.span
    entry: dict[str, Any] = {
        "code": finding.code,
        "level": finding.level.value,
        "message": finding.message,
        "path": finding.path,
        "line": span.start_line,
        "column": span.start_column,
        "end_line": span.end_line,
        "end_column": span.end_column,
        "pointer": finding.pointer,
        "policy": finding.identity,
        "fingerprint": finding.fingerprint,
    }
    if finding.related:
        entry["related"] = [
            {"path": location.path, "line": location.span.start_line, "column": location.span.start_column}
            for location in finding.related
        ]
    if finding.suppression is not None:
        entry["suppression"] = {"kind": finding.suppression.kind, "justification": finding.suppression.justification}
    return entry


def write(
    report: Report, out: IO[str], *, color: bool = False, excerpts: bool = False, category: str | None = None
) -> None:
    document = {
        "tool": {"name": "entralint", "version": __version__},
        "files": len(report.files),
        "policies": report.policies,
        "findings": [finding_to_dict(finding) for finding in report.findings],
        "notifications": [
            {"level": note.level, "message": note.message, "path": note.path, "rule": note.rule}
            for note in report.notifications
        ],
    }
    # One string, one write: json.dump writes each token separately, a hundred thousand writes for a fleet.
    out.write(json.dumps(document, indent=2, ensure_ascii=False) + "\n")
