"""SARIF 2.1.0 that GitHub code scanning ingests: one run, full rule metadata, stable fingerprints."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import IO, Any
from urllib.parse import quote

from linter import HOMEPAGE, __version__, rule_doc_url
from linter.engine import Notification, Report
from linter.rule import Finding, Rule
from linter.source import Span

SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
FINGERPRINT_KEY = "entralint/v1"


def artifact_uri(path: str) -> dict[str, str]:
    """Relative to %SRCROOT% (the working directory), forward slashes, percent-encoded."""
    if Path(path).is_absolute():
        return {"uri": Path(path).as_uri()}
    return {"uri": quote(path.replace("\\", "/"), safe="/"), "uriBaseId": "%SRCROOT%"}


def _region(span: Span) -> dict[str, int]:
    return {
        "startLine": max(span.start_line, 1),
        "startColumn": max(span.start_column, 1),
        "endLine": max(span.end_line, span.start_line, 1),
        "endColumn": max(span.end_column, 1),
    }


def _location(path: str, span: Span) -> dict[str, Any]:
    return {"physicalLocation": {"artifactLocation": artifact_uri(path), "region": _region(span)}}


def _first_paragraph(help_text: str, heading: str) -> str:
    match = re.search(rf"## {heading}\n(.*?)(?:\n\n|\n##|$)", help_text, re.DOTALL)
    return " ".join(match.group(1).split()) if match else ""


def rule_descriptor(rule: type[Rule]) -> dict[str, Any]:
    help_text = rule.help()
    properties: dict[str, Any] = {"tags": list(rule.tags)[:20], "precision": rule.precision}
    if rule.security_severity is not None:
        properties["security-severity"] = f"{rule.security_severity:.1f}"
    return {
        "id": rule.code,
        "name": rule.name,
        "shortDescription": {"text": rule.summary},
        "fullDescription": {"text": _first_paragraph(help_text, "What it checks") or rule.summary},
        "help": {"text": help_text, "markdown": help_text},
        "helpUri": rule_doc_url(rule.code),
        "defaultConfiguration": {"level": rule.level.value},
        "properties": properties,
    }


def _result(finding: Finding, index: int) -> dict[str, Any]:
    result: dict[str, Any] = {
        "ruleId": finding.code,
        "ruleIndex": index,
        "level": finding.level.value,
        "message": {"text": finding.message},
        "locations": [_location(finding.path, finding.span)],
        "partialFingerprints": {FINGERPRINT_KEY: finding.fingerprint},
    }
    if finding.related:
        result["relatedLocations"] = [
            {"id": number, **_location(location.path, location.span), "message": {"text": location.pointer or "policy"}}
            for number, location in enumerate(finding.related, start=1)
        ]
    if finding.suppression is not None:
        result["suppressions"] = [
            {"kind": finding.suppression.kind, "justification": finding.suppression.justification}
        ]
    return result


def _notification(note: Notification) -> dict[str, Any]:
    entry: dict[str, Any] = {"level": note.level, "message": {"text": note.message}}
    if note.path and not note.path.startswith("tenant "):
        entry["locations"] = [_location(note.path, Span.point(max(note.line, 1), max(note.column, 1)))]
    if note.rule:
        entry["associatedRule"] = {"id": note.rule}
    return entry


def build_log(report: Report, category: str | None = None) -> dict[str, Any]:
    codes = sorted(report.rules)
    index = {code: number for number, code in enumerate(codes)}
    run: dict[str, Any] = {
        "tool": {
            "driver": {
                "name": "entralint",
                "version": __version__,
                "semanticVersion": __version__,
                "informationUri": HOMEPAGE,
                "rules": [rule_descriptor(report.rules[code]) for code in codes],
            }
        },
        "invocations": [
            {
                "executionSuccessful": not report.rule_failed,
                "toolExecutionNotifications": [_notification(note) for note in report.notifications],
            }
        ],
        "originalUriBaseIds": {"%SRCROOT%": {"uri": Path.cwd().as_uri() + "/"}},
        "columnKind": "unicodeCodePoints",
        "results": [_result(finding, index[finding.code]) for finding in report.findings],
    }
    if category:
        run["automationDetails"] = {"id": category if category.endswith("/") else category + "/"}
    return {"$schema": SCHEMA_URI, "version": "2.1.0", "runs": [run]}


def write(report: Report, out: IO[str], *, color: bool = False, category: str | None = None) -> None:
    json.dump(build_log(report, category), out, indent=2, ensure_ascii=False)
    out.write("\n")
