"""The JSON reporter streams exactly what json.dumps(report, indent=2, ensure_ascii=False) would write."""

from __future__ import annotations

import hashlib
import io
import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from linter import __version__
from linter.model import Unresolved
from linter.model.display import neutral
from linter.model.findings import Notification, Report
from linter.model.source import Location, Span
from linter.reporters.json import _entry, _finding_entry, finding_to_dict, write
from linter.rule import Finding, Level, Suppression


def expected(report: Report) -> str:
    document = {
        "tool": {"name": "entralint", "version": __version__},
        "files": len(report.files),
        "policies": report.policies,
        "findings": [finding_to_dict(finding) for finding in report.findings],
        "notifications": [
            {"level": note.level, "message": neutral(note.message), "path": neutral(note.path), "rule": note.rule}
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
    # The same neutral text as every format prints (docs/security.md), then JSON's own escaping.
    assert json.loads(written(report))["findings"][0]["message"] == 'no "block"\\n\\tfor Zoë ☃ \\ / \\x01'


def test_an_empty_report_is_written_as_json_dumps_would() -> None:
    report = Report(findings=(), files=(), policies=0, notifications=(), rules={})
    assert written(report) == expected(report)


texts = st.text(st.characters(codec="utf-8"), max_size=12)
numbers = st.integers(min_value=0, max_value=10**6)


@given(
    strings=st.tuples(texts, texts, texts, texts, texts),
    span=st.tuples(numbers, numbers, numbers, numbers),
    level=st.sampled_from(Level),
    unresolved=st.booleans(),
)
def test_a_flat_finding_is_formatted_as_the_general_path_would(
    strings: tuple[str, str, str, str, str], span: tuple[int, int, int, int], level: Level, unresolved: bool
) -> None:
    code, message, path, pointer, identity = strings
    finding = Finding(
        code, level, message, path, Span(*span), pointer, Unresolved(identity) if unresolved else identity
    )
    assert _finding_entry(finding) == _entry(finding_to_dict(finding))


@pytest.mark.parametrize(
    "finding",
    [
        *FINDINGS,
        Finding("CA001", Level.NOTE, None, "a.json", Span(1, 1, 1, 1)),  # type: ignore[arg-type]  # a plug-in's bug
        Finding("CA001", Level.NOTE, "m", "a.json", Span(True, 1, 1, 1)),
        Finding("CA001", Level.NOTE, 3, "a.json", Span(1, 1, 1, 1)),  # type: ignore[arg-type]
    ],
)
def test_unusual_findings_take_the_general_path(finding: Finding) -> None:
    assert _finding_entry(finding) == _entry(finding_to_dict(finding))
    assert json.loads(_finding_entry(finding)) == finding_to_dict(finding)


@given(st.text(), st.text(), st.text(), st.text())
def test_fingerprints_are_sha256_of_rule_file_policy_and_pointer(
    code: str, path: str, identity: str, pointer: str
) -> None:
    """Baselines store fingerprints: the built-in SHA-256 used for them must give hashlib's digests."""
    finding = Finding(code, Level.NOTE, "message", path, Span(1, 1, 1, 1), pointer, identity)
    key = "\x1f".join((code, path, identity, pointer)).encode("utf-8")
    assert finding.fingerprint == hashlib.sha256(key).hexdigest()[:32]
