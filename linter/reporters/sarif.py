"""SARIF 2.1.0 that GitHub code scanning ingests: one run, full rule metadata, stable fingerprints."""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterable
from pathlib import Path
from typing import IO, Any, NamedTuple
from urllib.parse import quote

from linter import HOMEPAGE, __version__, rule_doc_url
from linter.model.display import neutral, sarif_text
from linter.model.findings import Finding, Notification, Report, RuleMetadata
from linter.model.source import Span

SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
FINGERPRINT_KEY = "entralint/v1"


def source_root(cwd: Path, paths: Iterable[str]) -> Path:
    """%SRCROOT%: the repository holding cwd (or cwd), widened until every reported path is below it.

    Code scanning rejects absolute URIs and never resolves `..`, so every URI must be relative to it.
    """
    root = next((folder for folder in (cwd, *cwd.parents) if (folder / ".git").exists()), cwd)
    for path in paths:
        absolute = Path(os.path.normpath(cwd / path))
        while not absolute.is_relative_to(root) and root != root.parent:
            root = root.parent
    return root


def artifact_uri(path: str, root: Path, cwd: Path) -> dict[str, str]:
    """Relative to %SRCROOT%, forward slashes, percent-encoded."""
    relative = Path(os.path.normpath(cwd / path)).relative_to(root).as_posix()
    return {"uri": quote(relative, safe="/"), "uriBaseId": "%SRCROOT%"}


def _region(span: Span) -> dict[str, int]:
    return {
        "startLine": max(span.start_line, 1),
        "startColumn": max(span.start_column, 1),
        "endLine": max(span.end_line, span.start_line, 1),
        "endColumn": max(span.end_column, 1),
    }


class _Places(NamedTuple):
    """Turns report paths (relative to cwd) into SARIF locations under %SRCROOT%."""

    root: Path
    cwd: Path

    def location(self, path: str, span: Span) -> dict[str, Any]:
        artifact = artifact_uri(path, self.root, self.cwd)
        return {"physicalLocation": {"artifactLocation": artifact, "region": _region(span)}}


def _first_paragraph(help_text: str, heading: str) -> str:
    match = re.search(rf"## {heading}\n(.*?)(?:\n\n|\n##|$)", help_text, re.DOTALL)
    return " ".join(match.group(1).split()) if match else ""


def rule_descriptor(rule: RuleMetadata) -> dict[str, Any]:
    help_text = rule.help()
    # GitHub keeps 20 tags: the rule's own first, then one per benchmark control so code scanning can filter by it.
    controls = [f"{reference.benchmark}/{reference.control}" for reference in rule.benchmarks]
    tags = list(dict.fromkeys((*rule.tags, *controls)))[:20]
    properties: dict[str, Any] = {"tags": tags, "precision": rule.precision}
    if rule.security_severity is not None:
        properties["security-severity"] = f"{rule.security_severity:g}"
    descriptor: dict[str, Any] = {
        "id": rule.code,
        "name": rule.name,
        "shortDescription": {"text": rule.summary},
        "fullDescription": {"text": _first_paragraph(help_text, "What it checks") or rule.summary},
        "help": {"text": help_text, "markdown": help_text},
        "defaultConfiguration": {"level": rule.level.value},
        "properties": properties,
    }
    # Only built-in rules have a page in entralint's docs; a custom rule's help travels in `help`.
    if rule.__module__.startswith("linter.rules."):
        descriptor["helpUri"] = rule_doc_url(rule.code)
    return descriptor


def _result(finding: Finding, index: int, places: _Places) -> dict[str, Any]:
    # GitHub reads only `primaryLocationLineHash`, which upload-sarif computes from the line's text;
    # our own key (rule, file, policy, property path) is what `--baseline` matches on.
    result: dict[str, Any] = {
        "ruleId": finding.code,
        "ruleIndex": index,
        "level": finding.level.value,
        "message": {"text": sarif_text(finding.message)},
        "locations": [places.location(finding.path, finding.span)],
        "partialFingerprints": {FINGERPRINT_KEY: finding.fingerprint},
    }
    if finding.related:
        result["relatedLocations"] = [
            {
                "id": number,
                **places.location(location.path, location.span),
                "message": {"text": sarif_text(location.pointer) or "policy"},
            }
            for number, location in enumerate(finding.related, start=1)
        ]
    if finding.suppression is not None:
        result["suppressions"] = [
            {"kind": finding.suppression.kind, "justification": neutral(finding.suppression.justification)}
        ]
    return result


def _notification(note: Notification, index: dict[str, int], places: _Places) -> dict[str, Any]:
    entry: dict[str, Any] = {"level": note.level, "message": {"text": sarif_text(note.message)}}
    if note.path and not note.path.startswith("tenant "):
        entry["locations"] = [places.location(note.path, Span.point(max(note.line, 1), max(note.column, 1)))]
    if note.rule:
        entry["associatedRule"] = {"id": note.rule, **({"index": index[note.rule]} if note.rule in index else {})}
    return entry


def _reported_paths(report: Report) -> Iterable[str]:
    for finding in report.findings:
        yield finding.path
        yield from (location.path for location in finding.related)
    yield from (note.path for note in report.notifications if note.path and not note.path.startswith("tenant "))


def build_log(report: Report, category: str | None = None, cwd: Path | None = None) -> dict[str, Any]:
    """The SARIF log of one run; paths in the report are relative to cwd."""
    cwd = cwd or Path.cwd()
    places = _Places(source_root(cwd, _reported_paths(report)), cwd)
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
                # Unparsable input is an IN001 result, not a failed execution; a crashed rule is one.
                "executionSuccessful": not report.tool_failed,
                "toolExecutionNotifications": [_notification(note, index, places) for note in report.notifications],
            }
        ],
        "originalUriBaseIds": {"%SRCROOT%": {"uri": places.root.as_uri().rstrip("/") + "/"}},
        "columnKind": "unicodeCodePoints",
        "results": [_result(finding, index[finding.code], places) for finding in report.findings],
    }
    if category:
        # code scanning takes everything before the last "/" as the category.
        run["automationDetails"] = {"id": category if category.endswith("/") else category + "/"}
    return {"$schema": SCHEMA_URI, "version": "2.1.0", "runs": [run]}


def write(
    report: Report, out: IO[str], *, color: bool = False, excerpts: bool = False, category: str | None = None
) -> None:
    json.dump(build_log(report, category), out, indent=2, ensure_ascii=False)
    out.write("\n")
