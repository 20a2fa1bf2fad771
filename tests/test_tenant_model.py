"""The tenant a run judges: the repository by default, stable tenant findings, emergency access as a tenant fact."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from linter.policy.privileged_roles import PRIVILEGED_ROLES
from tests.conftest import run_cli

DRS = "01cb2876-7ebd-4aa4-9cc9-d28bd4d359a9"
BREAK_GLASS = "6c1f0000-0000-4000-8000-00000000b6a5"
ADMINS = sorted(PRIVILEGED_ROLES)
PHISHING_RESISTANT = "00000000-0000-0000-0000-000000000004"


def policy(name: str, grant: list[str], state: str = "enabled", **conditions: Any) -> dict[str, Any]:
    users = conditions.pop("users", {"includeUsers": ["All"]})
    applications = conditions.pop("applications", {"includeApplications": ["All"]})
    return {
        "displayName": name,
        "state": state,
        "conditions": {"users": users, "applications": applications, "clientAppTypes": ["all"], **conditions},
        "grantControls": {"operator": "OR", "builtInControls": grant},
    }


def write_policies(directory: Path, policies: dict[str, dict[str, Any]]) -> None:
    for name, body in policies.items():
        path = directory / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(body, indent=2) + "\n", encoding="utf-8")


def guidance_repository(root: Path, *, device_code_state: str = "enabled") -> Path:
    """A repository following Microsoft's guidance, one policy per file, no entralint configuration."""
    (root / ".git").mkdir(parents=True)  # discovery walks up for `.git`; it never runs git
    flows = {"transferMethods": "deviceCodeFlow,authenticationTransfer"}
    write_policies(
        root / "policies",
        {
            "block-device-code-flow.json": policy(
                "Block device code flow",
                ["block"],
                device_code_state,
                applications={"includeApplications": ["All"], "excludeApplications": [DRS]},
                authenticationFlows=flows,
            ),
            "block-legacy-authentication.json": {
                **policy("Block legacy authentication", ["block"]),
                "conditions": {
                    "users": {"includeUsers": ["All"]},
                    "applications": {"includeApplications": ["All"]},
                    "clientAppTypes": ["exchangeActiveSync", "other"],
                },
            },
            "mfa-all-users.json": policy("Require MFA for all users", ["mfa"]),
            "phishing-resistant-mfa-for-administrators.json": {
                **policy("Require phishing-resistant MFA for administrators", [], users={"includeRoles": ADMINS}),
                "grantControls": {"operator": "OR", "authenticationStrength": {"id": PHISHING_RESISTANT}},
            },
            "high-user-risk.json": {
                **policy(
                    "Require a password change at high user risk", ["mfa", "passwordChange"], userRiskLevels=["high"]
                ),
                "grantControls": {"operator": "AND", "builtInControls": ["mfa", "passwordChange"]},
            },
            "register-security-info.json": policy(
                "Require MFA to register security info",
                ["mfa"],
                applications={"includeUserActions": ["urn:user:registersecurityinfo"]},
            ),
        },
    )
    return root


def codes_of(report: dict[str, Any]) -> set[str]:
    """The rules that fail the run: notes (a managed device, token protection, ...) are advice, not failures."""
    return {finding["code"] for finding in report["findings"] if finding["level"] != "note"}


def test_one_file_given_is_judged_with_its_repository(tmp_path: Path) -> None:
    repo = guidance_repository(tmp_path / "repo")
    result = run_cli(["check", "--format", "json", "policies/mfa-all-users.json"], cwd=repo)
    assert result.code == 0, result.stdout
    report = result.json()
    assert codes_of(report) == set()
    assert (report["files"], report["policies"]) == (1, 1)  # document findings only for the file given
    # From a subdirectory too: the project root is found by walking up to `.git`.
    result = run_cli(["check", "--format", "json", "mfa-all-users.json"], cwd=repo / "policies")
    assert result.code == 0
    # A directory given is the tenant as it is.
    report = run_cli(["check", "--format", "json", "--select", "CA001", "policies/mfa-all-users.json"], cwd=repo).json()
    assert report["findings"] == []


def test_an_open_device_code_flow_fails_on_any_file(tmp_path: Path) -> None:
    repo = guidance_repository(tmp_path / "repo", device_code_state="disabled")
    for name in ("mfa-all-users.json", "block-legacy-authentication.json"):
        result = run_cli(["check", "--format", "json", f"policies/{name}"], cwd=repo)
        assert result.code == 1
        [finding] = [finding for finding in result.json()["findings"] if finding["code"] == "CA001"]
        # Anchored at the policy closest to the fix, in a file that was not given.
        assert finding["path"] == "policies/block-device-code-flow.json"


def test_isolated_lints_only_the_files_given(tmp_path: Path) -> None:
    repo = guidance_repository(tmp_path / "repo")
    report = run_cli(["check", "--isolated", "--format", "json", "policies/mfa-all-users.json"], cwd=repo).json()
    assert {"CA001", "CA007"} <= codes_of(report)


def test_without_a_repository_the_files_directory_is_the_tenant(tmp_path: Path) -> None:
    repo = guidance_repository(tmp_path / "repo")
    shutil.rmtree(repo / ".git")
    (repo / "policies" / "nested").mkdir()
    (repo / "policies" / "block-device-code-flow.json").rename(repo / "policies" / "nested" / "dcf.json")
    report = run_cli(["check", "--format", "json", "policies/mfa-all-users.json"], cwd=repo).json()
    # The directory's own files count (the legacy authentication block); the one below it does not.
    assert codes_of(report) == {"CA001"}
    assert "CA003" in {finding["code"] for finding in report["findings"]}  # a note


@pytest.mark.slow
def test_pre_commit_on_one_file_passes_in_a_repository_following_guidance(tmp_path: Path) -> None:
    # The interpreter's own scripts first: CI runs the suite with several Pythons, one venv each.
    scripts = str(Path(sys.executable).parent)
    pre_commit = shutil.which("pre-commit", path=scripts) or shutil.which("pre-commit")
    git = shutil.which("git")
    if pre_commit is None or git is None:
        pytest.skip("pre-commit and git are needed")
    repo = tmp_path / "repo"
    repo.mkdir()
    subprocess.run([git, "init", "-q", str(repo)], check=True)
    guidance_repository_files = guidance_repository(tmp_path / "source")
    shutil.copytree(guidance_repository_files / "policies", repo / "policies")
    entralint = shutil.which("entralint", path=scripts) or shutil.which("entralint")
    assert entralint is not None
    (repo / ".pre-commit-config.yaml").write_text(
        "repos:\n- repo: local\n  hooks:\n  - id: entralint\n    name: entralint\n"
        f"    entry: {entralint} check\n    language: system\n    types_or: [json, yaml]\n    require_serial: true\n",
        encoding="utf-8",
    )
    run = [pre_commit, "run", "--files", "policies/mfa-all-users.json"]
    assert subprocess.run(run, check=False, cwd=repo, capture_output=True, timeout=300).returncode == 0
    block = json.loads((repo / "policies" / "block-device-code-flow.json").read_text(encoding="utf-8"))
    block["state"] = "disabled"
    (repo / "policies" / "block-device-code-flow.json").write_text(json.dumps(block), encoding="utf-8")
    assert subprocess.run(run, check=False, cwd=repo, capture_output=True, timeout=300).returncode == 1


def test_tenant_findings_do_not_move_when_unrelated_files_come_and_go(tmp_path: Path) -> None:
    repo = guidance_repository(tmp_path / "repo", device_code_state="disabled")
    write_policies(repo / "policies", {"z-guests.json": policy("Guests MFA", ["mfa"])})

    def tenant_findings() -> list[tuple[str, str, int, str]]:
        report = run_cli(["check", "--format", "json", "--select", "CA001,CA003,CA007", "policies"], cwd=repo).json()
        return sorted((f["code"], f["path"], f["line"], f["fingerprint"]) for f in report["findings"])

    before = tenant_findings()
    assert {code for code, *_ in before} == {"CA001", "CA003"}
    (repo / "policies" / "a-mfa.yaml").write_text(
        "'@odata.type': '#microsoft.graph.mfaServiceSettings'\nisRememberMfaOnTrustedDevicesEnabled: false\n",
        encoding="utf-8",
    )
    (repo / "policies" / "z-guests.json").rename(repo / "policies" / "y-guests.json")
    assert tenant_findings() == before
    # And a baseline taken before still hides them.
    (repo / "policies" / "a-mfa.yaml").unlink()
    (repo / "policies" / "y-guests.json").rename(repo / "policies" / "z-guests.json")
    baseline = run_cli(["check", "--format", "json", "--select", "CA001,CA003", "policies"], cwd=repo).stdout
    (tmp_path / "baseline.json").write_text(baseline, encoding="utf-8")
    (repo / "policies" / "a-mfa.yaml").write_text("isRememberMfaOnTrustedDevicesEnabled: false\n", encoding="utf-8")
    (repo / "policies" / "z-guests.json").rename(repo / "policies" / "0-guests.json")
    args = ["check", "--format", "json", "--select", "CA001,CA003", "--baseline", str(tmp_path / "baseline.json")]
    result = run_cli([*args, "policies"], cwd=repo)
    assert result.code == 0
    assert result.json()["findings"] == []


def test_a_tenant_finding_with_no_policy_for_the_fix_goes_to_the_first_policy_file(tmp_path: Path) -> None:
    write_policies(tmp_path, {"b-mfa.json": policy("MFA", ["mfa"]), "c-mfa.json": policy("MFA 2", ["mfa"])})
    (tmp_path / "a-locations.json").write_text(
        json.dumps({"@odata.type": "#microsoft.graph.ipNamedLocation", "displayName": "HQ", "isTrusted": True}),
        encoding="utf-8",
    )
    report = run_cli(["check", "--isolated", "--format", "json", "--select", "CA001", "."], cwd=tmp_path).json()
    [finding] = report["findings"]
    assert (finding["path"], finding["line"]) == ("b-mfa.json", 1)


def j0eyv_like(root: Path) -> Path:
    """A baseline in the style of j0eyv/ConditionalAccessBaseline: a break-glass group excluded from 9 policies."""
    excluded = {"includeUsers": ["All"], "excludeGroups": [BREAK_GLASS]}
    policies = {
        "CA000-MFA.json": policy("CA000-Global-AnyApp-MFA", ["mfa"], users=excluded),
        "CA001-Legacy.json": {
            **policy("CA001-Global-BlockLegacyAuth", ["block"], users=excluded),
            "conditions": {
                "users": excluded,
                "applications": {"includeApplications": ["All"]},
                "clientAppTypes": ["exchangeActiveSync", "other"],
            },
        },
        "CA002-DeviceCode.json": policy(
            "CA002-Global-BlockDeviceCode",
            ["block"],
            users=excluded,
            applications={"includeApplications": ["All"], "excludeApplications": [DRS]},
            authenticationFlows={"transferMethods": "deviceCodeFlow,authenticationTransfer"},
        ),
        "CA003-RegisterSecurityInfo.json": policy(
            "CA003-Global-RegisterSecurityInfo-MFA",
            ["mfa"],
            users=excluded,
            applications={"includeUserActions": ["urn:user:registersecurityinfo"]},
        ),
    }
    for number in range(4, 9):
        policies[f"CA00{number}-Compliant.json"] = policy(
            f"CA00{number}-Internals-App{number}-CompliantDevice", ["compliantDevice"], users=excluded
        )
    # The one policy that forgets the group: a block for all users.
    policies["CA009-BlockCountries.json"] = policy(
        "CA009-Global-BlockCountries",
        ["block"],
        locations={"includeLocations": ["All"], "excludeLocations": ["AllTrusted"]},
    )
    write_policies(root, policies)
    return root


def test_emergency_access_inferred_from_a_group_excluded_from_nearly_every_policy(tmp_path: Path) -> None:
    repo = j0eyv_like(tmp_path / "repo")
    result = run_cli(["check", "--isolated", "--format", "json", "--select", "CA008,CA010,CA011", "."], cwd=repo)
    report = result.json()
    by_code = {code: [f for f in report["findings"] if f["code"] == code] for code in ("CA008", "CA010", "CA011")}
    assert all(BREAK_GLASS not in finding["message"] for finding in by_code["CA010"] + by_code["CA011"])
    [ca008] = by_code["CA008"]
    assert ca008["path"] == "CA009-BlockCountries.json"
    assert ca008["message"].startswith("Policy 'CA009-Global-BlockCountries' blocks all users without excluding")
    assert "excluded from 9 of the 10 enabled policies for users" in ca008["message"]
    [note] = report["notifications"]
    assert note["level"] == "note"
    assert f"group {BREAK_GLASS} (excluded from 9 of the 10 enabled policies for users)" in note["message"]
    assert "`emergency-access = [...]`" in note["message"]
    # Configured, the setting wins: nothing is inferred or announced, and the group is checked as any other.
    (repo / ".entralint.toml").write_text('emergency-access = ["someone-else"]\n', encoding="utf-8")
    report = run_cli(["check", "--format", "json", "--select", "CA010", "."], cwd=repo).json()
    assert report["notifications"] == []
    assert any(BREAK_GLASS in finding["message"] for finding in report["findings"])


def test_emergency_access_inferred_from_a_break_glass_policy(tmp_path: Path) -> None:
    account = "0b5e0000-0000-4000-8000-0000000000ea"
    write_policies(
        tmp_path,
        {
            "bg.json": policy(
                "CA900 - Emergency access accounts - Require phishing-resistant MFA",
                ["mfa"],
                users={"includeUsers": [account]},
            ),
            "block.json": policy("Block outside trusted", ["block"], locations={"includeLocations": ["All"]}),
        },
    )
    report = run_cli(["check", "--isolated", "--format", "json", "--select", "CA008", "."], cwd=tmp_path).json()
    [finding] = report["findings"]
    assert f"{account} (included only by 'CA900 - Emergency access accounts" in finding["message"]


def test_ca010_a_carve_out_from_a_block_needs_mfa_or_a_managed_device(tmp_path: Path) -> None:
    carve_out = {"includeUsers": ["All"], "excludeGroups": ["activesync-team"]}
    legacy = {
        **policy("Block legacy authentication", ["block"]),
        "conditions": {
            "users": carve_out,
            "applications": {"includeApplications": ["All"]},
            "clientAppTypes": ["exchangeActiveSync", "other"],
        },
    }
    write_policies(tmp_path, {"legacy.json": legacy})
    args = ["check", "--isolated", "--format", "json", "--select", "CA010", "."]
    [finding] = run_cli(args, cwd=tmp_path).json()["findings"]
    assert finding["level"] == "note"
    assert finding["message"].startswith(
        "Group activesync-team, carved out of block 'Block legacy authentication', has no other protection. "
    )
    # A policy requiring a compliant device of everyone is its fallback: nothing asks to undo the carve-out.
    write_policies(tmp_path, {"compliant.json": policy("Compliant device for everyone", ["compliantDevice"])})
    assert run_cli(args, cwd=tmp_path).json()["findings"] == []


def test_ca010_checks_user_action_policies(tmp_path: Path) -> None:
    register = {"includeUserActions": ["urn:user:registersecurityinfo"]}
    excluded = {"includeUsers": ["All"], "excludeGroups": ["helpdesk"]}
    write_policies(
        tmp_path,
        {"register.json": policy("MFA to register security info", ["mfa"], users=excluded, applications=register)},
    )
    args = ["check", "--isolated", "--format", "json", "--select", "CA010", "."]
    [finding] = run_cli(args, cwd=tmp_path).json()["findings"]
    assert finding["level"] == "warning"
    assert finding["message"].startswith(
        "Group helpdesk, excluded from 'MFA to register security info', has no fallback."
    )
    # A policy for all resources does not apply to a user action: only another one on the action is a fallback.
    write_policies(tmp_path, {"all.json": policy("MFA for everything", ["mfa"])})
    assert len(run_cli(args, cwd=tmp_path).json()["findings"]) == 1
    helpdesk = {"includeGroups": ["helpdesk"]}
    write_policies(tmp_path, {"helpdesk.json": policy("Helpdesk MFA", ["mfa"], users=helpdesk, applications=register)})
    assert run_cli(args, cwd=tmp_path).json()["findings"] == []
