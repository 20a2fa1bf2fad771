"""PA001-PA003, CA010 and CA011 (the rules built on the what-if evaluator) over Graph JSON and Terraform HCL.

`fail_*` fixtures yield exactly the findings in EXPECTED, `pass_*` fixtures none; a directory's
`entralint.toml` gives the rule its options.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import FIXTURES, REPO, run_cli

CODES = {"PA001": "warning", "PA002": "note", "PA003": "warning", "CA010": "warning", "CA011": "note"}
PICKERS = ("AADSTS50076", "connection creation", "templates", "pickers")
EXPECTED: dict[str, list[tuple[int, int, tuple[str, ...]]]] = {
    "PA001/fail_mfa_for_exchange_only.json": [
        (
            22,
            24,
            (
                "all other users",
                "Power Automate",
                "not asked for mfa",
                "Office 365 Exchange Online",
                "Office 365 SharePoint Online",
                "'MFA for mail'",
                *PICKERS,
            ),
        )
    ],
    "PA001/fail_mfa_for_exchange_only.tf": [(17, 3, ("not asked for mfa", "Office 365 Exchange Online", *PICKERS))],
    "PA002/fail_blocked_outside_trusted.json": [(24, 31, ("blocks by network location", "Request sign-off"))],
    "PA002/fail_compliant_device.tf": [(19, 25, ("compliant or hybrid-joined device", "Page approval"))],
    "PA003/fail_terms_for_office365.json": [(23, 23, ("terms of use", "Microsoft Flow Portal", "background token"))],
    "PA003/fail_terms_for_flows.tf": [(19, 20, ("Microsoft Flow Service", "connection-owners"))],
    "CA010/fail_group_without_fallback.json": [
        (12, 13, ("Group migration, excluded from 'MFA for everyone', has no fallback.", "mfa (or stronger)"))
    ],
    "CA010/fail_group_without_fallback.tf": [(14, 26, ("Group azuread_group.migration.object_id", "everything"))],
    "CA011/fail_exchange_only.json": [
        (1, 1, ("All other users can sign in without MFA.", "No enabled policy", "for: all other resources"))
    ],
    "CA011/fail_exchange_only.tf": [(1, 1, ("All other users can sign in without MFA.", "authentication strength"))],
}


def fixture_files() -> list[Path]:
    return sorted(
        path
        for code in CODES
        for path in (FIXTURES / "rules" / code).glob("*")
        if path.suffix in (".json", ".tf") and path.name.startswith(("pass_", "fail_"))
    )


def check(code: str, path: Path | str, config: Path | None = None) -> dict[str, Any]:
    settings = ["--config", str(config)] if config is not None else ["--isolated"]
    result = run_cli(["check", *settings, "--select", code, "--format", "json", str(path)], cwd=REPO)
    assert result.code in (0, 1), result.stderr
    report: dict[str, Any] = result.json()
    return report


@pytest.mark.parametrize("path", fixture_files(), ids=lambda path: f"{path.parent.name}/{path.name}")
def test_fixture(path: Path, tmp_path: Path) -> None:
    if path.suffix == ".tf":
        pytest.importorskip("linter.loaders.terraform_hcl", reason="the Terraform HCL loader is not merged yet")
    code = path.parent.name
    config = path.parent / "entralint.toml"
    if config.exists():
        # Beside a configuration file, a file given alone brings its directory's files into its tenant:
        # each fixture is a tenant of its own, so it goes alone into a directory with the configuration.
        shutil.copy(config, tmp_path / config.name)
        path = Path(shutil.copy(path, tmp_path / path.name))
        config = tmp_path / config.name
    report = check(code, path, config if config.exists() else None)
    assert report["notifications"] == []
    findings = report["findings"]
    expected = EXPECTED.get(f"{code}/{path.name}", [])
    assert [(f["code"], f["level"], f["line"], f["column"]) for f in findings] == [
        (code, CODES[code], line, column) for line, column, _ in expected
    ]
    for finding, (_, _, words) in zip(findings, expected, strict=True):
        for word in words:
            assert word in finding["message"]


def test_every_fail_fixture_has_expectations() -> None:
    fail = {f"{path.parent.name}/{path.name}" for path in fixture_files() if path.name.startswith("fail_")}
    assert fail == set(EXPECTED)


def test_pa001_names_the_policies_involved_as_related_locations() -> None:
    result = run_cli(
        [
            "check",
            "--isolated",
            "--select",
            "PA001",
            "--format",
            "sarif",
            "tests/fixtures/rules/PA001/fail_mfa_for_exchange_only.json",
        ],
        cwd=REPO,
    )
    (sarif_result,) = result.json()["runs"][0]["results"]
    related = sarif_result["relatedLocations"]
    assert [location["physicalLocation"]["region"]["startLine"] for location in related] == [12]


def test_pa003_connection_owners_option(tmp_path: Path) -> None:
    config = tmp_path / "entralint.toml"
    config.write_text('[rules.PA003]\nconnection-owners = ["flow-service-account"]\n')
    path = "tests/fixtures/rules/PA003/fail_terms_for_office365.json"
    assert check("PA003", path, config)["findings"] == []
    config.write_text('[rules.PA003]\nconnection-owners = ["contractors"]\n')
    (finding,) = check("PA003", path, config)["findings"]
    assert "connection owners contractors" in finding["message"]


def mfa_policy(
    name: str, apps: list[str], exclude_users: Sequence[str] = (), exclude_groups: Sequence[str] = ()
) -> Any:
    return {
        "displayName": name,
        "state": "enabled",
        "conditions": {
            "users": {
                "includeUsers": ["All"],
                "excludeUsers": list(exclude_users),
                "excludeGroups": list(exclude_groups),
            },
            "applications": {"includeApplications": apps},
            "clientAppTypes": ["all"],
        },
        "grantControls": {"operator": "OR", "builtInControls": ["mfa"]},
    }


def test_ca011_one_finding_per_class_of_users(tmp_path: Path) -> None:
    exchange = "00000002-0000-0ff1-ce00-000000000000"
    policies = [
        mfa_policy("MFA for everyone", ["All"], exclude_users=["vendor"], exclude_groups=["contractors"]),
        mfa_policy("MFA for mail", [exchange], exclude_users=["vendor"]),
    ]
    (tmp_path / "policies.json").write_text(json.dumps(policies), encoding="utf-8")
    report = check("CA011", tmp_path)
    messages = sorted(finding["message"] for finding in report["findings"])
    assert len(messages) == 2
    assert messages[0].startswith("Members of group contractors can sign in without MFA. ")
    assert messages[1].startswith("User vendor can sign in without MFA. ")
    assert len({finding["fingerprint"] for finding in report["findings"]}) == 2
