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
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from linter.loaders import load_text
from linter.loaders.positions import TextPositions
from linter.model import Unresolved
from linter.model.source import Span, line_column
from tests.conftest import REPO

sys.path.insert(0, str(REPO / "bench"))
from hostile import CASES, growth_per_doubling, run_case, run_measured, write_case

SIZE = 256_000
TIMEOUT = 120  # seconds: a linear run takes a few on a loaded machine


@pytest.mark.parametrize("case", sorted(CASES))
def test_hostile_case_finishes(case: str, tmp_path: Path) -> None:
    write_case(case, SIZE, tmp_path)
    try:
        process = run_case(tmp_path, timeout=TIMEOUT).process
    except subprocess.TimeoutExpired:
        pytest.fail(f"{case} at {SIZE:,} bytes did not finish in {TIMEOUT} s")
    assert process.returncode in (0, 1), process.stderr
    assert "Traceback" not in process.stderr
    report = json.loads(process.stdout)
    assert report["notifications"] == [] or all(note["level"] != "error" for note in report["notifications"])


def test_deep_template_nesting_is_refused_before_tree_sitter(tmp_path: Path) -> None:
    write_case("hcl-template-openers", 64_000, tmp_path)
    process = run_case(tmp_path, timeout=TIMEOUT).process
    findings = json.loads(process.stdout)["findings"]
    assert [(f["code"], f["line"]) for f in findings] == [("IN001", 4)]
    assert "nested more than 1000 levels" in findings[0]["message"]


@pytest.mark.parametrize("case", ["tfvars-name-then-spaces", "tfvars-template-openers"])
def test_a_hostile_variable_file_leaves_the_variable_unknown(case: str, tmp_path: Path) -> None:
    # Before the guards were shared, tree-sitter-hcl read terraform.tfvars unguarded: `a` and 32 KB of spaces
    # took 7.7 s (quadratic: 256 KB would take minutes), and each `${` a kilobyte. Terraform stops at a
    # variable file it cannot read, so what it assigns is unknown: the state is not the default.
    write_case(case, SIZE, tmp_path)
    process = run_case(tmp_path, timeout=TIMEOUT).process
    assert json.loads(process.stdout)["policies"] == 1
    assert _state(tmp_path) == Unresolved("var.state")
    (tmp_path / "terraform.tfvars").write_text('state = "disabled"\n')
    assert _state(tmp_path) == "disabled"


def _state(directory: Path) -> Any:
    from linter.loaders.hcl.tfvars import forget

    forget()
    main = directory / "main.tf"
    result = load_text(str(main), main.read_text())
    assert result is not None
    [document] = result.documents
    return document.data["state"]


def test_a_folder_of_files_reading_each_others_variables_resolves_them(tmp_path: Path) -> None:
    write_case("tf-folder-of-variables", 20_000, tmp_path)
    process = run_case(tmp_path, timeout=TIMEOUT).process
    report = json.loads(process.stdout)
    assert report["policies"] == len(list(tmp_path.glob("*.tf")))
    # every `state = var.state_<neighbour>` resolved to "enabled": no IN002 and no unresolved-state finding
    assert [f for f in report["findings"] if f["pointer"] == "/state"] == []


def test_a_folder_reads_each_files_variables_once_not_once_per_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The original quadratic path: every file of a folder re-read every file's `variable` blocks (800 files, 189 s).
    from linter.loaders import forget_directories, load_text
    from linter.loaders.hcl import tfvars

    write_case("tf-folder-of-variables", 20_000, tmp_path)
    files = sorted(tmp_path.glob("*.tf"))
    reads: list[str] = []
    declared_variables = tfvars.declared_variables

    def counted(path: str) -> tuple[dict[str, object], set[str]]:
        reads.append(path)
        return declared_variables(path)

    monkeypatch.setattr(tfvars, "declared_variables", counted)
    forget_directories()
    try:
        for file in files:
            result = load_text(str(file), file.read_text())
            assert result is not None
            assert [document.data["state"] for document in result.documents] == ["enabled"]
    finally:
        forget_directories()
    assert len(files) > 40
    assert sorted(reads) == sorted(str(file.resolve()) for file in files)


def test_the_bench_counts_the_childs_cpu_time_not_the_time_it_waited(tmp_path: Path) -> None:
    # A child that sleeps uses next to no CPU: its wall time is at least the sleep whatever the load, and its
    # CPU time stays far below it (an interpreter's start-up), which wall time on a busy machine would not.
    script = "import sys, time; time.sleep(1.5); sys.stderr.write('peak-kib=7\\n'); print('done')"
    run = run_measured([sys.executable, "-c", script], tmp_path, timeout=TIMEOUT)
    assert run.process.returncode == 0
    assert run.process.stdout == "done\n"
    assert run.peak_bytes == 7 * 1024
    assert run.wall_seconds >= 1.5
    assert 0 < run.cpu_seconds < 1.0


def test_the_bench_counts_cpu_time_the_child_spends(tmp_path: Path) -> None:
    script = "import resource, time\nwhile resource.getrusage(resource.RUSAGE_SELF).ru_utime < 0.5: pass\n"
    run = run_measured([sys.executable, "-c", script], tmp_path, timeout=TIMEOUT)
    assert run.process.returncode == 0
    assert run.cpu_seconds >= 0.5


def test_a_child_past_the_hang_timeout_is_killed_and_reported(tmp_path: Path) -> None:
    marker = tmp_path / "still-running"
    script = f"import time, pathlib; time.sleep(3); pathlib.Path({str(marker)!r}).touch()"
    with pytest.raises(subprocess.TimeoutExpired):
        run_measured([sys.executable, "-c", script], tmp_path, timeout=0.5)
    # reaped, not left behind: the marker it would write after its sleep never appears
    assert not marker.exists()


def test_growth_per_doubling_is_the_worst_step() -> None:
    assert growth_per_doubling([1.0, 2.0, 4.0]) == 2.0
    assert growth_per_doubling([1.0, 3.0, 4.5]) == 3.0
    assert growth_per_doubling([1.0]) == 0.0


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
