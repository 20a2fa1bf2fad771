"""The JSON reporter streams exactly what json.dumps(report, indent=2, ensure_ascii=False) would write."""

from __future__ import annotations

import io
import json

from linter import __version__
from linter.engine import Notification, Report
from linter.reporters.json import finding_to_dict, write
from linter.rule import Finding, Level, Suppression
from linter.source import Location, Span


def expected(report: Report) -> str:
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
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def written(report: Report) -> str:
    out = io.StringIO()
    write(report, out)
    return out.getvalue()


FINDINGS = (
    Finding("CA001", Level.WARNING, 'no "block"\n\tfor Zoë ☃ \\ / \x01', "a b/ü.json", Span(1, 2, 3, 4), "/x~1y", "id"),
    Finding(
        "CA010",
        Level.ERROR,
        "with related locations",
        "c.yaml",
        Span(10, 1, 10, 9),
        related=(Location("d.tf", Span(2, 3, 2, 4), "/p"), Location("é.json", Span(5, 6, 5, 7), "")),
        suppression=Suppression("external", "break glass ☂"),
    ),
    Finding("TL001", Level.NOTE, "", "", Span(1, 1, 1, 1)),
)


def test_findings_and_notifications_are_written_as_json_dumps_would() -> None:
    report = Report(
        findings=FINDINGS,
        files=("a b/ü.json", "c.yaml"),
        policies=7,
        notifications=(Notification('skipped "x"', "p", rule="CA011"), Notification("no path")),
        rules={},
    )
    assert written(report) == expected(report)
    assert json.loads(written(report))["findings"][0]["message"] == 'no "block"\n\tfor Zoë ☃ \\ / \x01'


def test_an_empty_report_is_written_as_json_dumps_would() -> None:
    report = Report(findings=(), files=(), policies=0, notifications=(), rules={})
    assert written(report) == expected(report)
