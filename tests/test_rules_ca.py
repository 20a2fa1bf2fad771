"""The Conditional Access rules CA002-CA009 through the real CLI and engine, over Graph JSON, YAML and Terraform HCL.

Each fixture under tests/fixtures/rules/<CODE>/ is a case: `fail_*` files yield exactly the findings
listed in EXPECTED, `pass_*` files yield none. A directory's `entralint.toml` (rule options) is used
for every fixture in it.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import FIXTURES, REPO, run_cli

RULE_FIXTURES = FIXTURES / "rules"
LEVELS = {
    "CA002": "warning",
    "CA003": "note",
    "CA004": "note",
    "CA005": "note",
    "CA006": "warning",
    "CA007": "warning",
    "CA008": "warning",
    "CA009": "warning",
}
TRACKED = ("protocol-tracked", "blocked too", "other flows")
DRS = ("01cb2876-7ebd-4aa4-9cc9-d28bd4d359a9", "September 2024", "CapExclusions.Applications")

# fixture -> findings of its rule: (line, column, words the message must contain)
EXPECTED: dict[str, list[tuple[int, int, tuple[str, ...]]]] = {
    "CA002/fail_all_resources.json": [(12, 30, ("'Block device code flow'", *DRS))],
    "CA002/fail_report_only_other_exclusion.yaml": [(10, 7, ("'Block device code flow (pilot)'", *DRS))],
    "CA002/fail_block.tf": [(10, 31, ("'Block device code flow'", *DRS))],
    "CA003/fail_report_only.json": [(9, 52, ("tenant 'default'", "blocks authenticationTransfer", "all users"))],
    "CA003/fail_no_flow_policy.yaml": [(1, 1, ("tenant 'default'", "blocks authenticationTransfer"))],
    "CA003/fail_android_only.tf": [(7, 44, ("tenant 'default'", "blocks authenticationTransfer"))],
    "CA004/fail_disabled.json": [
        (3, 12, ("'Block device code flow'", "authenticationTransfer and deviceCodeFlow", "is disabled", "report-only"))
    ],
    "CA004/fail_report_only.yaml": [
        (3, 8, ("blocks authenticationTransfer", "enabledForReportingButNotEnforced", "right first step", "enabled"))
    ],
    "CA004/fail_report_only.tf": [(3, 18, ("blocks deviceCodeFlow", "report-only", "right first step"))],
    "CA005/fail_excludes_sharepoint.json": [(8, 30, ("except for 00000003-0000-0ff1-ce00-000000000000", *TRACKED))],
    "CA005/fail_office365_only.yaml": [(7, 26, ("only for Office365", *TRACKED))],
    "CA005/fail_exchange_only.tf": [(10, 31, ("only for 00000002-0000-0ff1-ce00-000000000000", *TRACKED))],
    "CA006/fail_all_resources.json": [
        (13, 24, ("'Sign in every 8 hours'", "every 8 hours", "Power Automate", "AADSTS70043", "until repaired"))
    ],
    "CA006/fail_office365_every_time.yaml": [(13, 5, ("every time", "cannot refresh", "AADSTS70043"))],
    "CA006/fail_flow_service.tf": [(19, 32, ("sign-in every day", "Power Automate", "AADSTS70043"))],
    "CA007/fail_exchange_active_sync_only.json": [(5, 23, ("tenant 'default'", "type(s) other for all users"))],
    "CA007/fail_report_only.yaml": [(5, 5, ("exchangeActiveSync and other", "all users and all resources"))],
    "CA007/fail_trusted_locations_only.tf": [(6, 24, ("exchangeActiveSync and other",))],
    "CA008/fail_no_exclusions.json": [
        (7, 23, ("blocks all users", "8d6b3c0e-0000-4000-8000-000000000001, azuread_group.breakglass.object_id"))
    ],
    "CA008/fail_group_missing.yaml": [
        (7, 7, ("without excluding emergency access account(s) azuread_group.breakglass",))
    ],
    "CA008/fail_user_missing.tf": [(19, 25, ("account(s) 8d6b3c0e-0000-4000-8000-000000000001:",))],
    "CA009/fail_users_none.json": [(6, 23, ("'Require MFA for admins'", "no users, groups, roles or guests"))],
    "CA009/fail_resources_none.yaml": [(9, 7, ("no resources, user actions or authentication contexts",))],
    "CA009/fail_nothing.tf": [
        (9, 31, ("no resources, user actions or authentication contexts",)),
        (13, 24, ("no users, groups, roles or guests",)),
    ],
}


def fixture_files() -> list[Path]:
    return sorted(
        path
        for code in LEVELS
        for path in (RULE_FIXTURES / code).iterdir()
        if path.suffix in (".json", ".yaml", ".tf") and path.name.startswith(("pass_", "fail_"))
    )


def check(code: str, *paths: Path | str, config: Path | None = None, cwd: Path = REPO) -> dict[str, Any]:
    """Findings and notifications of one rule over paths, as the JSON reporter prints them."""
    settings = ["--config", str(config)] if config is not None else ["--isolated"]
    result = run_cli(["check", *settings, "--select", code, "--format", "json", *map(str, paths)], cwd=cwd)
    assert result.code in (0, 1), result.stderr
    report: dict[str, Any] = result.json()
    return report


def needs_loader(path: Path) -> None:
    if path.suffix == ".tf":
        pytest.importorskip("linter.loaders.terraform_hcl", reason="the Terraform HCL loader is not merged yet")


@pytest.mark.parametrize("path", fixture_files(), ids=lambda path: f"{path.parent.name}/{path.name}")
def test_fixture(path: Path, tmp_path: Path) -> None:
    needs_loader(path)
    code = path.parent.name
    config = path.parent / "entralint.toml"
    if config.exists():
        # Beside a configuration file, a file given alone brings its directory's files into its tenant:
        # each fixture is a tenant of its own, so it goes alone into a directory with the configuration.
        shutil.copy(config, tmp_path / config.name)
        shutil.copy(path, tmp_path / path.name)
        report = check(code, path.name, config=tmp_path / config.name, cwd=tmp_path)
        shown = path.name
    else:
        report = check(code, path.relative_to(REPO))
        shown = str(path.relative_to(REPO))
    assert report["notifications"] == []
    assert report["policies"] >= 1
    findings = report["findings"]
    expected = EXPECTED.get(f"{code}/{path.name}", [])
    assert [(f["code"], f["level"], f["line"], f["column"]) for f in findings] == [
        (code, LEVELS[code], line, column) for line, column, _ in expected
    ]
    for finding, (_, _, words) in zip(findings, expected, strict=True):
        assert finding["path"] == shown
        for word in words:
            assert word in finding["message"]


def test_every_fail_fixture_has_expectations() -> None:
    fail = {f"{path.parent.name}/{path.name}" for path in fixture_files() if path.name.startswith("fail_")}
    assert fail == set(EXPECTED)
    formats = {code: {Path(name).suffix for name in EXPECTED if name.startswith(code)} for code in LEVELS}
    assert all(suffixes == {".json", ".yaml", ".tf"} for suffixes in formats.values()), formats


def test_ca006_without_connection_owners_fires_on_excluded_owners() -> None:
    needs_loader(Path("x.tf"))
    report = check("CA006", "tests/fixtures/rules/CA006/pass_owners_excluded.tf")
    assert [(f["line"], f["column"]) for f in report["findings"]] == [(20, 34)]
    assert "every 12 hours" in report["findings"][0]["message"]


def test_ca006_owner_exclusion_must_cover_every_owner(tmp_path: Path) -> None:
    config = tmp_path / "entralint.toml"
    config.write_text('[rules.CA006]\nconnection-owners = ["3a9e7c10-0000-4000-8000-0000000000f1", "flow-owner-2"]\n')
    report = check("CA006", "tests/fixtures/rules/CA006/fail_all_resources.json", config=config)
    assert [f["line"] for f in report["findings"]] == [13]


def test_ca008_is_silent_without_emergency_access() -> None:
    report = check("CA008", "tests/fixtures/rules/CA008/fail_no_exclusions.json")
    assert report["findings"] == []
    help_text = run_cli(["explain", "CA008"]).stdout
    assert "emergency-access" in help_text
    assert "silent" in help_text


def test_ca008_all_grants_checks_policies_that_require_controls(tmp_path: Path) -> None:
    config = tmp_path / "entralint.toml"
    config.write_text('[rules.CA008]\nemergency-access = ["8d6b3c0e-0000-4000-8000-000000000001"]\nall-grants = true\n')
    # Beside its configuration: given alone elsewhere in this repository, the repository would be its tenant.
    shutil.copy(RULE_FIXTURES / "CA008" / "pass_not_a_lockout.json", tmp_path)
    report = check("CA008", "pass_not_a_lockout.json", config=config, cwd=tmp_path)
    assert [(f["line"], f["column"], f["policy"]) for f in report["findings"]] == [(6, 33, "Require MFA for all users")]
    assert "requires a grant control for all users" in report["findings"][0]["message"]


def test_rule_option_of_the_wrong_type_is_a_clear_error(tmp_path: Path) -> None:
    config = tmp_path / "entralint.toml"
    config.write_text('[rules.CA008]\nemergency-access = "8d6b3c0e-0000-4000-8000-000000000001"\n')
    result = run_cli(["check", "--config", str(config), "--select", "CA008", "tests/fixtures/rules/CA008"], cwd=REPO)
    assert result.code == 2
    assert "rules.CA008.emergency-access must be a list of strings" in result.stderr


def test_rules_survive_missing_and_wrong_parts() -> None:
    """Missing conditions parts, nulls and wrong types: IN002 for the bad values, no rule crashes."""
    path = "tests/fixtures/rules/malformed/missing_and_wrong_parts.json"
    config = RULE_FIXTURES / "malformed" / "entralint.toml"
    result = run_cli(
        ["check", "--config", str(config), "--select", ",".join((*LEVELS, "CA001", "IN002")), "--format", "json", path],
        cwd=REPO,
    )
    report = result.json()
    assert report["notifications"] == []
    lines = [(f["code"], f["line"]) for f in report["findings"]]
    # Tenant rules fall back to line 1: no policy here is close to blocking anything.
    assert lines[:3] == [("CA001", 1), ("CA003", 1), ("CA007", 1)]
    # Removed values leave the policies targeting nothing, which CA009 says; nothing else fires.
    assert lines[3:9] == [("CA009", 4), ("CA009", 4), ("CA009", 9), ("CA009", 9), ("CA009", 16), ("CA009", 16)]
    assert lines[9:] == [("IN002", line) for line in (17, 17, 17, 18, 18, 19, 20, 22, 23, 23)]


def block(name: str, state: str = "enabled", **conditions: Any) -> dict[str, Any]:
    """A Graph policy that blocks all users and all resources under extra conditions."""
    return {
        "displayName": name,
        "state": state,
        "conditions": {
            "users": {"includeUsers": ["All"]},
            "applications": {"includeApplications": ["All"]},
            **conditions,
        },
        "grantControls": {"operator": "OR", "builtInControls": ["block"]},
    }


@pytest.fixture
def tenants(tmp_path: Path) -> Path:
    """Two configured tenants, each spread over several files."""
    import json

    files = {
        "tenants/contoso/legacy-eas.json": [block("Block ActiveSync", clientAppTypes=["exchangeActiveSync"])],
        "tenants/contoso/legacy-other.json": [
            block("Block other clients", clientAppTypes=["other"]),
            block("Old device code block", "disabled", authenticationFlows={"transferMethods": "deviceCodeFlow"}),
        ],
        "tenants/contoso/flows.json": [
            block("Block flows", authenticationFlows={"transferMethods": "deviceCodeFlow,authenticationTransfer"})
        ],
        "tenants/fabrikam/legacy.json": [block("Block ActiveSync", clientAppTypes=["exchangeActiveSync"])],
        "tenants/fabrikam/flows.json": [
            block("Block device code flow", authenticationFlows={"transferMethods": "deviceCodeFlow"})
        ],
    }
    for name, policies in files.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(policies, indent=2) + "\n")
    (tmp_path / ".entralint.toml").write_text(
        '[tenants]\ncontoso = ["tenants/contoso/**"]\nfabrikam = ["tenants/fabrikam/**"]\n'
    )
    return tmp_path


def run_in(directory: Path, *args: str) -> list[tuple[str, str, int, int]]:
    result = run_cli(["check", "--select", "CA003,CA004,CA007", "--format", "json", *args], cwd=directory)
    report = result.json()
    assert report["notifications"] == []
    return [(f["code"], f["path"], f["line"], f["column"]) for f in report["findings"]]


def test_tenant_rules_see_each_configured_tenant_whole(tenants: Path) -> None:
    assert run_in(tenants, "tenants") == [
        ("CA004", "tenants/contoso/legacy-other.json", 29, 14),
        ("CA003", "tenants/fabrikam/flows.json", 1, 1),
        ("CA007", "tenants/fabrikam/legacy.json", 16, 25),
    ]


def test_partial_file_list_keeps_the_tenant_view(tenants: Path) -> None:
    # pre-commit passes only the changed file: the other contoso files still count as protection,
    # and the disabled policy in a file not given is not reported.
    assert run_in(tenants, "tenants/contoso/legacy-eas.json") == []
    assert run_in(tenants, "tenants/contoso/flows.json", "tenants/fabrikam/flows.json") == [
        ("CA003", "tenants/fabrikam/flows.json", 1, 1),
        ("CA007", "tenants/fabrikam/legacy.json", 16, 25),
    ]


def test_without_tenants_a_partial_list_is_the_whole_tenant(tenants: Path) -> None:
    assert run_in(tenants, "--isolated", "tenants/contoso/legacy-eas.json") == [
        ("CA003", "tenants/contoso/legacy-eas.json", 1, 1),
        ("CA007", "tenants/contoso/legacy-eas.json", 16, 25),
    ]


@pytest.mark.parametrize("code", ["CA001", *LEVELS])
def test_rule_metadata_and_help(code: str) -> None:
    from linter.model import CONDITIONAL_ACCESS_POLICY
    from linter.registry import load_rules
    from linter.rule import Scope

    rule = load_rules(entry_points=False)[code]
    assert rule.level.value == LEVELS.get(code, "warning")
    assert rule.scope is (Scope.TENANT if code in ("CA001", "CA003", "CA007", "CA008") else Scope.DOCUMENT)
    if rule.scope is Scope.DOCUMENT:
        assert rule.kinds == frozenset({CONDITIONAL_ACCESS_POLICY})
    if "security" in rule.tags:
        assert rule.security_severity is not None
    help_text = rule.help()
    headings = [line for line in help_text.splitlines() if line.startswith("## ")]
    assert headings == ["## What it checks", "## Why it matters", "## Example", "## How to fix", "## References"]
    why = help_text.split("## Why it matters")[1].split("## Example")[0]
    assert "AADSTS" in why
    fix = help_text.split("## How to fix")[1].split("## References")[0]
    assert "Terraform" in fix
    references = help_text.split("## References")[1].split()
    urls = [word for word in references if word.startswith("http")]
    assert urls
    assert all(url.startswith("https://learn.microsoft.com/") for url in urls)
