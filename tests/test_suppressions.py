"""Suppressions: inline comments with reasons (YAML, HCL, PowerShell), per-policy and per-file ignores."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.conftest import FIXTURES, REPO, run_cli, write

CASES = FIXTURES / "cli" / "suppressions"
POLICY = (FIXTURES / "cli" / "tenant" / "report-only.json").read_text(encoding="utf-8")
CA001_MESSAGE = (
    "Device code flow is blocked for everyone only by report-only policy 'Block device code flow', which Entra ID "
    "does not enforce: review its report-only results in the sign-in logs, then turn it on"
)
# Inline comments suppress document findings (CA002 here); tenant findings only tenant-ignores (issue 19 case 4).
CA002_MESSAGE = (
    "Policy 'Block device code flow' blocks device registration by device code. It blocks device code flow for "
    "all resources without excluding the Device Registration Service (01cb2876-7ebd-4aa4-9cc9-d28bd4d359a9), which "
    "since September 2024 includes device registration. Exclude the service (ScubaGear users: also allow-list it in "
    "CapExclusions.Applications)"
)


def findings(*args: str, cwd: Path = REPO) -> tuple[int, list[tuple[Any, ...]]]:
    result = run_cli(["check", "--format", "json", *args], cwd=cwd)
    assert "Traceback" not in result.stderr
    found = [
        (
            entry["code"],
            entry["line"],
            entry["column"],
            entry["message"],
            (entry["suppression"]["kind"], entry["suppression"]["justification"]) if "suppression" in entry else None,
        )
        for entry in result.json()["findings"]
    ]
    return result.code, found


def case(name: str, select: str = "CA002,IN") -> tuple[int, list[tuple[Any, ...]]]:
    return findings("--isolated", "--select", select, str(CASES / name))


def test_comment_on_the_findings_line() -> None:
    code, found = case("finding_line.yaml")
    assert found == [
        ("CA002", 5, 39, CA002_MESSAGE, ("inSource", "device registration moves to Autopilot (ticket 4711)")),
    ]
    assert code == 0, "a suppressed finding does not fail the run"


def test_comment_on_the_policys_first_line_covers_the_policy() -> None:
    code, found = case("policy_first_line.yaml")
    assert found == [("CA002", 6, 39, CA002_MESSAGE, ("inSource", "whole policy reviewed by the identity team"))]
    assert code == 0


def test_hcl_comment_on_the_resource_line() -> None:
    _, found = case("hcl_policy_first_line.tf")
    assert found == [("CA002", 10, 31, CA002_MESSAGE, ("inSource", "device registration moved to Autopilot"))]


def test_powershell_comment_above_the_command() -> None:
    _, found = case("powershell_line_above.ps1", select="TL001,IN")
    assert [(code, line, column, suppression) for code, line, column, _, suppression in found] == [
        ("TL001", 2, 133, ("inSource", "Power Automate flows are repaired by the service desk"))
    ]


def test_comment_without_reason_still_suppresses_and_is_reported() -> None:
    code, found = case("no_reason.yaml")
    assert found == [
        ("CA002", 5, 39, CA002_MESSAGE, ("inSource", "(no reason given)")),
        ("IN003", 5, 47, "suppression of CA002 gives no reason; write one after the bracket", None),
    ]
    assert code == 0, "IN003 is a note; the default --fail-on is warning"
    assert findings("--isolated", "--select", "CA002,IN", "--fail-on", "note", str(CASES / "no_reason.yaml"))[0] == 1


def test_comment_that_suppresses_nothing_is_reported() -> None:
    _, found = case("unused.yaml")
    assert found == [("IN004", 2, 17, "suppression of CA002 matches no finding; remove it", None)]


def test_comment_for_a_rule_not_selected_is_not_unused() -> None:
    _, found = case("unused.yaml", select="IN")
    assert found == []


def test_suppression_findings_follow_the_selection() -> None:
    _, found = case("no_reason.yaml", select="CA002")
    assert found == [("CA002", 5, 39, CA002_MESSAGE, ("inSource", "(no reason given)"))]


def test_json_has_no_comments() -> None:
    """`# entralint:` inside a JSON string is data: it neither suppresses nor counts as unused."""
    _, found = case("comment_in_json_string.json", select="CA001,IN")
    named = CA001_MESSAGE.replace(
        "'Block device code flow'", "'Block device code flow # entralint: ignore[CA001] not a comment in JSON'"
    )
    assert found == [("CA001", 3, 12, named, None)]


@pytest.mark.parametrize("key", ["Block device code flow", "0b7f1a52-2c1d-4d8e-9f3a-6e5d4c3b2a19"])
def test_per_policy_ignores_by_display_name_or_id(tmp_path: Path, key: str) -> None:
    write(tmp_path, "policy.json", POLICY)
    write(
        tmp_path, ".entralint.toml", f'select = ["CA001"]\n[per-policy-ignores."{key}"]\nCA0 = "tracked in CHG-1234"\n'
    )
    code, found = findings(".", cwd=tmp_path)
    assert found == [("CA001", 4, 12, CA001_MESSAGE, ("external", "tracked in CHG-1234"))]
    assert code == 0


def test_per_policy_ignores_for_another_policy_change_nothing(tmp_path: Path) -> None:
    write(tmp_path, "policy.json", POLICY)
    write(
        tmp_path, ".entralint.yaml", "select: [CA001]\nper-policy-ignores:\n  Other policy:\n    CA001: not this one\n"
    )
    code, found = findings(".", cwd=tmp_path)
    assert found == [("CA001", 4, 12, CA001_MESSAGE, None)]
    assert code == 1


def test_per_policy_ignore_without_reason_is_a_config_error(tmp_path: Path) -> None:
    write(tmp_path, "policy.json", POLICY)
    write(tmp_path, ".entralint.toml", '[per-policy-ignores."Block device code flow"]\nCA001 = ""\n')
    result = run_cli(["check", "."], cwd=tmp_path)
    assert result.code == 2
    assert "per-policy-ignores.Block device code flow.CA001" in result.stderr


def test_per_file_ignores_drop_findings(tmp_path: Path) -> None:
    write(tmp_path / "legacy", "policy.json", POLICY)
    write(tmp_path / "current", "policy.json", POLICY.replace("0b7f1a52", "1c8f2b63"))
    write(tmp_path, ".entralint.toml", 'select = ["CA001", "IN"]\n[per-file-ignores]\n"legacy/**" = ["CA"]\n')
    result = run_cli(["check", "--format", "json", "."], cwd=tmp_path)
    assert [(entry["code"], entry["path"]) for entry in result.json()["findings"]] == [("CA001", "current/policy.json")]


def test_per_file_ignores_apply_to_suppression_findings_too(tmp_path: Path) -> None:
    write(tmp_path, "unused.yaml", (CASES / "unused.yaml").read_text(encoding="utf-8"))
    write(tmp_path, ".entralint.toml", 'select = ["CA002", "IN"]\n[per-file-ignores]\n"*.yaml" = ["IN004"]\n')
    assert findings(".", cwd=tmp_path)[1] == []
