"""Every rule's fix in every format it applies to: the exact bytes `check --fix --unsafe-fixes` writes.

A case is a file in tests/fixtures/fixes/<CODE>/ (`<name>.<ext>`) and its golden file `<name>.fixed.<ext>`;
an `entralint.toml` beside them configures the rule (CA008's emergency access accounts). Adding a case means
adding two files. `ENTRALINT_UPDATE_FIXES=1 pytest tests/test_rule_fixes.py` writes the golden files from
what entralint does: review their diff.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import FIXTURES, run_cli

CASES = FIXTURES / "fixes"
CONFIG = "entralint.toml"
INPUTS = sorted(
    path
    for path in CASES.glob("*/*")
    if ".fixed." not in path.name and path.name != CONFIG and not path.name.startswith(".")
)


def golden(path: Path) -> Path:
    name, _, extension = path.name.partition(".")
    return path.with_name(f"{name}.fixed.{extension}")


def _findings(folder: Path, name: str, code: str, *flags: str) -> list[dict[str, Any]]:
    settings = ["--config", CONFIG] if (folder / CONFIG).is_file() else ["--isolated"]
    result = run_cli(["check", *settings, "--select", code, "--format", "json", *flags, name], cwd=folder)
    assert result.code in (0, 1), result.stderr
    report = result.json()
    assert report["notifications"] == [], report["notifications"]
    return [finding for finding in report["findings"] if finding["code"] == code]


def test_every_case_has_a_golden_file() -> None:
    assert {path.parent.name for path in INPUTS} >= {
        "CA002",
        "CA008",
        "CA023",
        "IN005",
        "MF001",
        "TL001",
        "TL002",
        "TL003",
        "TL006",
    }
    for path in INPUTS:
        assert golden(path).is_file() or os.environ.get("ENTRALINT_UPDATE_FIXES"), path.name


@pytest.mark.parametrize("case", INPUTS, ids=lambda path: f"{path.parent.name}/{path.name}")
def test_fix_writes_the_golden_bytes_the_finding_goes_and_a_second_run_changes_nothing(
    case: Path, tmp_path: Path
) -> None:
    code = case.parent.name
    shutil.copyfile(case, tmp_path / case.name)
    if (case.parent / CONFIG).is_file():
        shutil.copyfile(case.parent / CONFIG, tmp_path / CONFIG)
    target = tmp_path / case.name
    before = _findings(tmp_path, case.name, code)
    assert before and all("fix" in finding for finding in before), json.dumps(before, indent=1)
    _findings(tmp_path, case.name, code, "--fix", "--unsafe-fixes")
    if os.environ.get("ENTRALINT_UPDATE_FIXES"):
        golden(case).write_bytes(target.read_bytes())
    assert target.read_bytes() == golden(case).read_bytes()
    assert _findings(tmp_path, case.name, code) == []
    _findings(tmp_path, case.name, code, "--fix", "--unsafe-fixes")
    assert target.read_bytes() == golden(case).read_bytes()
    configured = [CONFIG] if (case.parent / CONFIG).is_file() else []
    assert sorted(path.name for path in tmp_path.iterdir()) == sorted([case.name, *configured])  # nothing left over


@pytest.mark.parametrize("case", ["CA010/fail_group_without_fallback.json", "CA011/fail_exchange_only.json"])
def test_display_only_advice_is_shown_and_never_applied(case: str, tmp_path: Path) -> None:
    source = FIXTURES.parent / "rules" / case
    shutil.copyfile(source, tmp_path / source.name)
    code = source.parent.name
    findings = _findings(tmp_path, source.name, code, "--fix", "--unsafe-fixes")
    assert findings and all(finding["fix"]["applicability"] == "display-only" for finding in findings)
    assert all(finding["fix"]["edits"] == [] for finding in findings)
    assert (tmp_path / source.name).read_bytes() == source.read_bytes()
    text = run_cli(["check", "--isolated", "--select", code, source.name], cwd=tmp_path).stdout
    assert "\n  help: " in text and "[*]" not in text
    sarif = run_cli(["check", "--isolated", "--select", code, "--format", "sarif", source.name], cwd=tmp_path).json()
    assert all("fixes" not in result for result in sarif["runs"][0]["results"])
