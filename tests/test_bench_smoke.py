"""The benchmark runs end to end at tiny sizes, so it cannot rot; no timing is asserted here."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def test_smoke_run_prints_and_writes_the_table(tmp_path: Path) -> None:
    report = tmp_path / "performance.md"
    report.write_text(
        "# Performance\n\nProse kept.\n\n<!-- bench/run.py writes from here -->\nold\n"
        "<!-- bench/run.py writes up to here -->\n\n## Main costs\nkept too\n",
        "utf-8",
    )
    result = subprocess.run(
        [sys.executable, str(REPO / "bench" / "run.py"), "--smoke", "--output", str(report)],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "| benchmark | entralint | floor | ratio | target | met |"
    names = [line.split(" | ")[0].lstrip("| ") for line in lines[2:] if line.startswith("|")]
    assert names[:3] == [
        "cold start: `check one-policy.json` vs `import yaml`",
        "Graph JSON, 25 policies, --jobs 1 vs json.loads",
        "Graph YAML, 25 policies, --jobs 1 vs CSafeLoader",
    ]
    assert [name for name in names if "--jobs 2 vs --jobs 1" in name] == [
        "Graph JSON, 25 policies: --jobs 2 vs --jobs 1 (output byte-identical: yes)",
        "Graph YAML, 25 policies: --jobs 2 vs --jobs 1 (output byte-identical: yes)",
        "Terraform HCL, 25 policies: --jobs 2 vs --jobs 1 (output byte-identical: yes)",
    ]
    assert [name for name in names if name.startswith("Graph JSON ") and "×:" in name] == [
        "Graph JSON 1×: 25 policies, --jobs 1, time and peak memory",
        "Graph JSON 4×: 100 policies, --jobs 1, time and peak memory",
        "Graph JSON 16×: 397 policies, --jobs 1, time and peak memory",
    ]
    written = report.read_text("utf-8")
    assert written.startswith("# Performance\n\nProse kept.\n")
    assert written.endswith("## Main costs\nkept too\n")
    assert "old\n" not in written
    assert "Smoke run (tiny sizes, one run each)" in written
    assert "| cold start: `check one-policy.json` vs `import yaml` |" in written
