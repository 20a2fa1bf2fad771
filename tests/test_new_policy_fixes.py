"""CA001, CA003 and CA007's fix: a new report-only block policy, written as the tenant writes its policies.

A case is a folder in tests/fixtures/new_policy/: `tenant/` (linted, with its `.entralint.toml` naming the
emergency access accounts) and `created/`, the exact files `check --fix --unsafe-fixes` adds to it.
`ENTRALINT_UPDATE_FIXES=1 pytest tests/test_new_policy_fixes.py` writes `created/` from what entralint does:
review the diff.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from linter.engine.apply_fixes import FileFixes
from linter.engine.new_files import create_files, creation_target
from linter.model.findings import Finding, Level, Report
from linter.model.fixes import Applicability, Edit, Fix
from linter.model.source import Span
from tests.conftest import FIXTURES, run_cli, shared_path

CASES = sorted(path for path in (FIXTURES / "new_policy").iterdir() if path.is_dir())
CODES = ("CA001", "CA003", "CA007")
FOLLOW_UP = "which Entra ID does not enforce: review its report-only results in the sign-in logs, then turn it on"


def _files(root: Path) -> dict[str, bytes]:
    return {path.relative_to(root).as_posix(): path.read_bytes() for path in sorted(root.rglob("*")) if path.is_file()}


def _tenant(case: Path, tmp_path: Path) -> Path:
    tenant = tmp_path / "tenant"
    shutil.copytree(case / "tenant", tenant)
    return tenant


def _findings(tenant: Path, *flags: str) -> list[dict[str, object]]:
    result = run_cli(["check", "--format", "json", "--fail-on", "never", *flags, "."], cwd=tenant)
    assert result.code == 0, result.stderr
    report = result.json()
    assert report["notifications"] == [], report["notifications"]
    return [finding for finding in report["findings"] if finding["code"] in CODES]


def test_every_format_has_a_case() -> None:
    formats = {"graph_json", "graph_yaml", "terraform_azuread", "terraform_msgraph", "dsc"}
    assert {case.name for case in CASES} >= formats


@pytest.mark.parametrize("case", CASES, ids=lambda path: path.name)
def test_fix_writes_the_golden_new_files_the_findings_turn_into_their_follow_up_and_a_second_run_writes_nothing(
    case: Path, tmp_path: Path
) -> None:
    tenant = _tenant(case, tmp_path)
    before = _files(tenant)
    findings = _findings(tenant)
    assert sorted(finding["code"] for finding in findings) == list(CODES)
    assert all(finding["fix"]["applicability"] == "unsafe" for finding in findings), findings  # type: ignore[index]
    _findings(tenant, "--fix", "--unsafe-fixes")
    after = _files(tenant)
    assert before == {path: after[path] for path in before}  # no file of the tenant edited
    created = {path: data for path, data in after.items() if path not in before}
    golden = case / "created"
    if os.environ.get("ENTRALINT_UPDATE_FIXES"):
        shutil.rmtree(golden, ignore_errors=True)
        for path, data in created.items():
            (golden / path).parent.mkdir(parents=True, exist_ok=True)
            (golden / path).write_bytes(data)
    assert created == _files(golden)
    follow_ups = _findings(tenant)
    assert sorted(finding["code"] for finding in follow_ups) == list(CODES)
    for finding in follow_ups:
        assert str(finding["message"]).endswith(FOLLOW_UP), finding
        assert "fix" not in finding and "no_fix" not in finding, finding
        assert finding["path"] in created and finding["pointer"] == "/state"
    _findings(tenant, "--fix", "--unsafe-fixes")
    assert _files(tenant) == after


def test_diff_shows_the_new_files_and_writes_nothing(tmp_path: Path) -> None:
    tenant = _tenant(FIXTURES / "new_policy" / "graph_yaml", tmp_path)
    before = _files(tenant)
    result = run_cli(["check", "--diff", "--unsafe-fixes", "."], cwd=tenant)
    assert result.code == 1, result.stderr
    golden = FIXTURES / "new_policy" / "graph_yaml" / "created"
    expected = ""
    for path, data in _files(golden).items():
        lines = data.decode().splitlines(keepends=True)
        expected += f"--- /dev/null\n+++ b/{path}\n@@ -0,0 +1,{len(lines)} @@\n" + "".join(f"+{line}" for line in lines)
    assert sorted(result.stdout.split("--- ")) == sorted(expected.split("--- "))
    assert _files(tenant) == before


def test_sarif_gives_the_new_file_as_one_inserting_replacement_and_validates(tmp_path: Path) -> None:
    tenant = _tenant(FIXTURES / "new_policy" / "graph_json", tmp_path)
    result = run_cli(["check", "--format", "sarif", "--output", "out.sarif", "--select", "CA001", "."], cwd=tenant)
    assert result.code == 1, result.stderr
    log = json.loads((tenant / "out.sarif").read_text())
    [sarif_result] = log["runs"][0]["results"]
    [fix] = sarif_result["fixes"]
    [change] = fix["artifactChanges"]
    assert change["artifactLocation"]["uri"] == "policies/CA003-Block-device-code-flow.json"
    golden = FIXTURES / "new_policy" / "graph_json" / "created" / "policies" / "CA003-Block-device-code-flow.json"
    assert change["replacements"] == [
        {
            "deletedRegion": {"startLine": 1, "startColumn": 1, "endLine": 1, "endColumn": 1},
            "insertedContent": {"text": golden.read_text()},
        }
    ]
    assert fix["properties"] == {"applicability": "unsafe"}
    (tenant / "out.sarif").replace(tmp_path / "out.sarif")
    checked = subprocess.run(
        [str(shared_path("tools/sarif-validate")), str(tmp_path / "out.sarif")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert checked.returncode == 0, checked.stdout + checked.stderr


def test_a_policy_not_enforced_that_would_close_the_gap_gives_the_follow_up_and_no_new_file(tmp_path: Path) -> None:
    tenant = _tenant(FIXTURES / "new_policy" / "graph_yaml", tmp_path)
    text = (tenant / "conditional-access" / "require_mfa_for_all_users.yaml").read_text()
    disabled = text.replace("state: enabled", "state: disabled").replace("[mfa]", "[block]")
    disabled = disabled.replace("clientAppTypes: [all]", "clientAppTypes: [exchangeActiveSync, other]")
    (tenant / "conditional-access" / "legacy.yaml").write_text(disabled.replace("Require MFA", "Legacy block"))
    [legacy] = [finding for finding in _findings(tenant, "--unsafe-fixes") if finding["code"] == "CA007"]
    assert legacy["message"] == (
        "Legacy authentication is blocked for everyone only by disabled policy 'Legacy block for all users', which "
        "Entra ID does not enforce: turn it on in report-only mode, review its results in the sign-in logs, then "
        "enforce it"
    )
    assert "fix" not in legacy and legacy["pointer"] == "/state"


def test_no_fix_where_the_tenant_format_cannot_be_written_or_no_emergency_account_is_known(tmp_path: Path) -> None:
    tenant = _tenant(FIXTURES / "new_policy" / "graph_json", tmp_path)
    (tenant / ".entralint.toml").unlink()
    for finding in _findings(tenant, "--isolated"):
        assert finding["no_fix"] == (
            "no emergency access account is known (configure `emergency-access`) to exclude from a block"
        )
    arm = tmp_path / "arm"
    arm.mkdir()
    shutil.copy(FIXTURES.parent.parent / "examples" / "arm" / "conditional-access-deployment.json", arm)
    (arm / ".entralint.toml").write_text('emergency-access = ["7a1d2c3b-4e5f-4a6b-9c8d-2e3f4a5b6c7d"]\n')
    arm_findings = _findings(arm)
    assert arm_findings
    for finding in arm_findings:
        assert finding["no_fix"] == "entralint does not write new policies as arm (the format of most of the tenant's)"


def test_rdjson_gives_no_suggestion_for_a_new_file(tmp_path: Path) -> None:
    tenant = _tenant(FIXTURES / "new_policy" / "graph_json", tmp_path)
    result = run_cli(["check", "--format", "rdjson", "--unsafe-fixes", "--select", "CA001", "."], cwd=tenant)
    [diagnostic] = json.loads(result.stdout)["diagnostics"]
    assert diagnostic["code"]["value"] == "CA001" and "suggestions" not in diagnostic


def test_no_fix_for_a_tenant_that_keeps_each_policy_in_a_folder_named_by_its_id(tmp_path: Path) -> None:
    tenant = _tenant(FIXTURES / "new_policy" / "graph_json", tmp_path)
    for path in sorted((tenant / "policies").iterdir()):
        (tenant / path.stem).mkdir()
        path.rename(tenant / path.stem / path.name)
    for finding in _findings(tenant):
        assert str(finding["no_fix"]).startswith("the tenant keeps each policy in a folder named as its file"), finding


def test_no_fix_when_the_new_file_would_not_be_read_by_a_run_on_the_same_paths(tmp_path: Path) -> None:
    # Files given one by one whose project (the configuration's folder) is elsewhere: the tenant is those files, so
    # a new file beside them would never be read, and the finding (with its fix) would come back on every run.
    tenant = _tenant(FIXTURES / "new_policy" / "graph_json", tmp_path)
    (tmp_path / "settings").mkdir()
    config = (tenant / ".entralint.toml").rename(tmp_path / "settings" / ".entralint.toml")
    given = sorted(path.relative_to(tenant).as_posix() for path in (tenant / "policies").iterdir())
    flags = ["check", "--format", "json", "--fail-on", "never", "--config", str(config)]
    findings = run_cli([*flags, *given], cwd=tenant).json()["findings"]
    assert {finding["code"] for finding in findings} >= {"CA001", "CA007"}
    for finding in findings:
        if finding["code"] in CODES:
            assert "fix" not in finding
            assert finding["no_fix"] == (
                "the new file would not be read by a run on these paths (lint its folder, or the repository)"
            )
    folder = run_cli([*flags, "policies"], cwd=tenant).json()["findings"]
    assert [finding["code"] for finding in folder if "fix" in finding] == [
        finding["code"] for finding in findings if finding["code"] in CODES
    ]


def _creating(path: str) -> Finding:
    fix = Fix(Applicability.UNSAFE, "write a new policy", (Edit(path, Span(1, 1, 1, 1), "{}\n", new_file=True),))
    return Finding("CA001", Level.WARNING, "Device code flow is not blocked", "a.json", Span(1, 1, 1, 1), fix=fix)


def _create(tmp_path: Path, path: str) -> FileFixes:
    report = Report((_creating(path),), ("a.json",), 1, (), {})
    [outcome] = create_files(report, lambda _path, _data: ([], False), tmp_path, unsafe=True, write=True)
    return outcome


def test_an_existing_file_is_never_overwritten(tmp_path: Path) -> None:
    (tmp_path / "a.json").write_text("{}")
    (tmp_path / "new.json").write_text("mine")
    outcome = _create(tmp_path, "new.json")
    assert not outcome.applied and "exists" in outcome.rolled_back[0][1]
    assert (tmp_path / "new.json").read_text() == "mine"
    (tmp_path / "dangling.json").symlink_to(tmp_path / "nowhere.json")
    assert creation_target("dangling.json", tmp_path) is None
    assert not (tmp_path / "nowhere.json").exists()


def test_a_folder_reached_through_a_link_or_outside_the_run_is_refused(tmp_path: Path) -> None:
    root, outside = tmp_path / "root", tmp_path / "outside"
    root.mkdir()
    outside.mkdir()
    (root / "a.json").write_text("{}")
    (root / "linked").symlink_to(outside, target_is_directory=True)
    for path in ("linked/new.json", "../outside/new.json", str(outside / "new.json")):
        outcome = _create(root, path)
        assert not outcome.applied and outcome.rolled_back, path
    assert list(outside.iterdir()) == []
    assert _create(root, "new.json").applied
    assert (root / "new.json").read_text() == "{}\n"
