"""JSON output: one object with the findings and what the run saw, for tools and baselines.

Strings from input carry the same neutral text as the other formats (`linter.model.display.neutral`),
then JSON's own escaping: a tool printing a message shows what `--format text` shows. Fingerprints are
computed from the raw text, so a baseline matches whatever the text looked like.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from typing import IO, Any

from linter import __version__
from linter.model.display import neutral
from linter.model.findings import Finding, Report
from linter.model.fixes import Fix

# A JSON string literal, non-ASCII characters kept (ensure_ascii=False): the C encoder json.dumps uses.
_STRING: Callable[[str], str] = json.encoder.encode_basestring


def _shown(value: Any) -> Any:
    """neutral(value) for text; a plug-in's rule may put something else where text belongs."""
    return neutral(value) if isinstance(value, str) else value


def finding_to_dict(finding: Finding) -> dict[str, Any]:
    span = finding.span
    entry: dict[str, Any] = {
        "code": finding.code,
        "level": finding.level.value,
        "message": _shown(finding.message),
        "path": _shown(finding.path),
        "line": span.start_line,
        "column": span.start_column,
        "end_line": span.end_line,
        "end_column": span.end_column,
        "pointer": _shown(finding.pointer),
        "policy": _shown(finding.identity),
        "fingerprint": finding.fingerprint,
    }
    if finding.related:
        entry["related"] = [
            {"path": neutral(location.path), "line": location.span.start_line, "column": location.span.start_column}
            for location in finding.related
        ]
    if finding.suppression is not None:
        entry["suppression"] = {
            "kind": finding.suppression.kind,
            "justification": neutral(finding.suppression.justification),
        }
    if finding.fix is not None:
        entry["fix"] = fix_to_dict(finding.fix)
    elif finding.no_fix:
        entry["no_fix"] = finding.no_fix
    return entry


def fix_to_dict(fix: Fix) -> dict[str, Any]:
    """A fix as ruff's JSON writes one: applicability, message, and edits with their positions and new text."""
    return {
        "applicability": fix.applicability.value,
        "message": fix.description,
        "edits": [
            {
                "path": neutral(edit.path),
                "location": {"line": edit.span.start_line, "column": edit.span.start_column},
                "end_location": {"line": edit.span.end_line, "column": edit.span.end_column},
                "content": edit.text,
                **({"new_file": True} if edit.new_file else {}),  # the edit creates the file: it did not exist
            }
            for edit in fix.edits
        ],
    }


def write(
    report: Report, out: IO[str], *, color: bool = False, excerpts: bool = False, category: str | None = None
) -> None:
    """The report as `json.dump(..., indent=2)` would write it, one finding at a time.

    A fleet's report runs to tens of megabytes: building it whole, as a dict and then as one string,
    was most of a large run's peak memory.
    """
    head = {"tool": {"name": "entralint", "version": __version__}, "files": len(report.files)}
    out.write(_dumps(head)[:-2] + f',\n  "policies": {report.policies},\n')
    _write_list(out, "findings", map(_finding_entry, report.findings), last=False)
    notifications = (
        _entry({"level": note.level, "message": _shown(note.message), "path": _shown(note.path), "rule": note.rule})
        for note in report.notifications
    )
    _write_list(out, "notifications", notifications, last=True)
    out.write("}\n")


def _dumps(value: Any) -> str:
    return json.dumps(value, indent=2, ensure_ascii=False)


def _entry(entry: dict[str, Any]) -> str:
    """`_dumps(entry)` indented by four spaces; flat members in C (json.dumps with an indent runs in Python)."""
    members = []
    for key, value in entry.items():
        kind = type(value)
        if kind is str:
            text = _STRING(value)
        elif kind is int:
            text = int.__repr__(value)
        else:
            text = _dumps(value).replace("\n", "\n      ")
        members.append(f"      {_STRING(key)}: {text}")
    return "    {\n" + ",\n".join(members) + "\n    }" if members else "    {}"


def _finding_entry(finding: Finding) -> str:
    """`_entry(finding_to_dict(finding))`; the usual finding (flat strings and numbers) in one format.

    Reports are written after the parallel part of a run, so this is serial time: for a fleet's
    findings the general path took 40% longer.
    """
    span = finding.span
    code, level, message, path, pointer, identity = (
        finding.code,
        finding.level.value,
        finding.message,
        finding.path,
        finding.pointer,
        finding.identity,
    )
    line, column, end_line, end_column = span.start_line, span.start_column, span.end_line, span.end_column
    if (
        finding.related
        or finding.suppression is not None
        or finding.fix is not None
        or finding.no_fix
        or not (type(line) is type(column) is type(end_line) is type(end_column) is int)
        or not (
            isinstance(code, str)
            and isinstance(level, str)
            and isinstance(message, str)
            and isinstance(path, str)
            and isinstance(pointer, str)
            and isinstance(identity, str)
        )
    ):
        return _entry(finding_to_dict(finding))
    return (
        f'    {{\n      "code": {_STRING(code)},\n      "level": {_STRING(level)},\n'
        f'      "message": {_STRING(neutral(message))},\n      "path": {_STRING(neutral(path))},\n'
        f'      "line": {line},\n      "column": {column},\n      "end_line": {end_line},\n'
        f'      "end_column": {end_column},\n      "pointer": {_STRING(neutral(pointer))},\n'
        f'      "policy": {_STRING(neutral(identity))},\n      "fingerprint": {_STRING(finding.fingerprint)}\n    }}'
    )


def _write_list(out: IO[str], name: str, entries: Iterator[str], *, last: bool) -> None:
    out.write(f'  "{name}": [')
    separator = "\n"
    for entry in entries:
        out.write(separator + entry)
        separator = ",\n"
    out.write("\n  ]" if separator == ",\n" else "]")
    out.write("\n" if last else ",\n")
