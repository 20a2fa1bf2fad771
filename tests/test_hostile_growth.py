"""Every case of bench/hostile.py at a small size, in a subprocess with a generous timeout (issue 19, case 7).

Before the fixes each of these sizes took minutes (a PowerShell file of `$a = [x` lines: 64 KB in 52 s, HCL
`a` and 256 KB of spaces: over 100 s); after, a few seconds. The timeout catches a hang or a return of the
quadratic paths; nothing here times a run.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from linter.loaders.positions import TextPositions
from linter.model.source import Span, line_column
from tests.conftest import REPO

sys.path.insert(0, str(REPO / "bench"))
from hostile import CASES, run_case, write_case

SIZE = 256_000
TIMEOUT = 120  # seconds: a linear run takes a few on a loaded machine


@pytest.mark.parametrize("case", sorted(CASES))
def test_hostile_case_finishes(case: str, tmp_path: Path) -> None:
    write_case(case, SIZE, tmp_path)
    try:
        _, _, process = run_case(tmp_path, timeout=TIMEOUT)
    except subprocess.TimeoutExpired:
        pytest.fail(f"{case} at {SIZE:,} bytes did not finish in {TIMEOUT} s")
    assert process.returncode in (0, 1), process.stderr
    assert "Traceback" not in process.stderr
    report = json.loads(process.stdout)
    assert report["notifications"] == [] or all(note["level"] != "error" for note in report["notifications"])


def test_deep_template_nesting_is_refused_before_tree_sitter(tmp_path: Path) -> None:
    write_case("hcl-template-openers", 64_000, tmp_path)
    _, _, process = run_case(tmp_path, timeout=TIMEOUT)
    findings = json.loads(process.stdout)["findings"]
    assert [(f["code"], f["line"]) for f in findings] == [("IN001", 4)]
    assert "nested more than 1000 levels" in findings[0]["message"]


def test_thousands_of_unknown_keys_are_a_hundred_findings_and_one_that_counts_the_rest(tmp_path: Path) -> None:
    write_case("json-many-keys", 64_000, tmp_path)
    _, _, process = run_case(tmp_path, timeout=TIMEOUT)
    report = json.loads(process.stdout)["findings"]
    findings = [f for f in report if f["code"] == "IN002" and f["pointer"].startswith("/conditions")]
    assert process.returncode == 1
    assert len([f for f in findings if f["pointer"].startswith("/conditions/k")]) == 100
    (summary,) = [f for f in findings if f["pointer"] == "/conditions"]
    count = 64_000 // len('"k1000000": 1, ') - 100
    assert (summary["code"], summary["level"]) == ("IN002", "error")
    assert summary["message"].startswith(f"P: {count:,} more members of /conditions break the schema")


def test_a_folder_of_files_reading_each_others_variables_resolves_them(tmp_path: Path) -> None:
    write_case("tf-folder-of-variables", 20_000, tmp_path)
    _, _, process = run_case(tmp_path, timeout=TIMEOUT)
    report = json.loads(process.stdout)
    assert report["policies"] == len(list(tmp_path.glob("*.tf")))
    # every `state = var.state_<neighbour>` resolved to "enabled": no IN002 and no unresolved-state finding
    assert [f for f in report["findings"] if f["pointer"] == "/state"] == []


@settings(max_examples=200, deadline=None)
@given(
    text=st.text(alphabet="ab\n", min_size=1, max_size=60),
    spans=st.lists(st.tuples(st.integers(0, 59), st.integers(0, 5)), min_size=1, max_size=150),
)
def test_spans_from_the_line_index_are_those_counted(text: str, spans: list[tuple[int, int]]) -> None:
    # Past 64 spans a file's positions bisect a list of line ends: the same spans, in any order.
    positions = TextPositions(text, {})
    for start, length in spans:
        start = min(start, len(text) - 1)
        end = min(start + max(length, 1), len(text))
        line, column = line_column(text, start)
        end_line, end_column = line_column(text, max(end - 1, start))
        assert positions.span_of_offsets(start, end) == Span(line, column, end_line, end_column + (end > start))
