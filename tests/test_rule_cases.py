"""Rule behaviour one fixture cannot show: options, several tenants, partial file lists, malformed input, help.

The fixture harness (tests/test_rules.py) holds each rule's cases; these tests vary the configuration
or the files given for the same inputs.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import FIXTURES, REPO, run_cli, write

RULE_FIXTURES = REPO / "tests" / "rules"


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


def check(code: str, *paths: Path | str, config: Path | None = None, cwd: Path = REPO) -> dict[str, Any]:
    """Findings and notifications of one rule over paths, as the JSON reporter prints them."""
    settings = ["--config", str(config)] if config is not None else ["--isolated"]
    result = run_cli(["check", *settings, "--select", code, "--format", "json", *map(str, paths)], cwd=cwd)
    assert result.code in (0, 1), result.stderr
    report: dict[str, Any] = result.json()
    return report


def test_ca006_without_connection_owners_fires_on_excluded_owners() -> None:
    report = check("CA006", "tests/rules/CA006/pass_owners_excluded.tf")
    assert [(f["line"], f["column"]) for f in report["findings"]] == [(20, 34)]
    assert "every 12 hours" in report["findings"][0]["message"]


def test_ca006_owner_exclusion_must_cover_every_owner(tmp_path: Path) -> None:
    config = tmp_path / "entralint.toml"
    config.write_text('[rules.CA006]\nconnection-owners = ["3a9e7c10-0000-4000-8000-0000000000f1", "flow-owner-2"]\n')
    report = check("CA006", "tests/rules/CA006/fail_all_resources.json", config=config)
    assert [f["line"] for f in report["findings"]] == [13]


def test_ca008_is_silent_without_emergency_access() -> None:
    report = check("CA008", "tests/rules/CA008/fail_no_exclusions.json")
    assert report["findings"] == []
    help_text = run_cli(["explain", "CA008"]).stdout
    assert "emergency-access" in help_text
    assert "silent" in help_text


def test_ca008_all_grants_checks_policies_that_require_controls(tmp_path: Path) -> None:
    config = tmp_path / "entralint.toml"
    config.write_text('[rules.CA008]\nemergency-access = ["8d6b3c0e-0000-4000-8000-000000000001"]\nall-grants = true\n')
    # Beside its configuration: given alone elsewhere in this repository, the repository would be its tenant.
    shutil.copy(REPO / "tests" / "rules" / "CA008" / "pass_not_a_lockout.json", tmp_path)
    report = check("CA008", "pass_not_a_lockout.json", config=config, cwd=tmp_path)
    assert [(f["line"], f["column"], f["policy"]) for f in report["findings"]] == [(6, 33, "Require MFA for all users")]
    assert "requires a grant control for all users" in report["findings"][0]["message"]


def test_rule_option_of_the_wrong_type_is_a_clear_error(tmp_path: Path) -> None:
    config = tmp_path / "entralint.toml"
    config.write_text('[rules.CA008]\nemergency-access = "8d6b3c0e-0000-4000-8000-000000000001"\n')
    result = run_cli(["check", "--config", str(config), "--select", "CA008", "tests/rules/CA008"], cwd=REPO)
    assert result.code == 2
    assert "rules.CA008.emergency-access must be a list of strings" in result.stderr


def test_rules_survive_missing_and_wrong_parts() -> None:
    """Missing conditions parts, nulls and wrong types: IN002 for the bad values, no rule crashes."""
    path = "tests/fixtures/malformed/missing_and_wrong_parts.json"
    config = FIXTURES / "malformed" / "entralint.toml"
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
    from linter.engine.registry import load_rules
    from linter.model import CONDITIONAL_ACCESS_POLICY
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


def test_pa001_names_the_policies_involved_as_related_locations() -> None:
    result = run_cli(
        [
            "check",
            "--isolated",
            "--select",
            "PA001",
            "--format",
            "sarif",
            "tests/rules/PA001/fail_mfa_for_exchange_only.json",
        ],
        cwd=REPO,
    )
    (sarif_result,) = result.json()["runs"][0]["results"]
    related = sarif_result["relatedLocations"]
    assert [location["physicalLocation"]["region"]["startLine"] for location in related] == [12]


def test_pa003_connection_owners_option(tmp_path: Path) -> None:
    config = tmp_path / "entralint.toml"
    config.write_text('[rules.PA003]\nconnection-owners = ["flow-service-account"]\n')
    path = "tests/rules/PA003/fail_terms_for_office365.json"
    assert check("PA003", path, config=config)["findings"] == []
    config.write_text('[rules.PA003]\nconnection-owners = ["contractors"]\n')
    (finding,) = check("PA003", path, config=config)["findings"]
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


def lint(paths: list[str], select: str, cwd: Path, *extra: str) -> list[dict[str, Any]]:
    """Findings of `entralint check` (JSON report) over paths; no rule may have crashed."""
    result = run_cli(["check", "--isolated", "--format", "json", "--select", select, *extra, *paths], cwd=cwd)
    assert result.code in (0, 1), result.stderr
    report = result.json()
    assert [note for note in report["notifications"] if note.get("level") == "error"] == []
    findings: list[dict[str, Any]] = report["findings"]
    return findings


@pytest.mark.parametrize(
    "code", [*(f"CA00{number}" for number in range(2, 10)), "TL001", "TL002", "TL003", "TL004", "TL006"]
)
def test_rule_fires_in_json_yaml_and_terraform(code: str) -> None:
    """The rules whose subject every format can express have a failing fixture in each of the three."""
    names = [path.name for path in (RULE_FIXTURES / code).iterdir()]
    for suffix in (".json", ".yaml", ".tf"):
        assert any(name.startswith("fail_") and name.endswith(suffix) for name in names), (code, suffix)


POLICY = '{"displayName": "%s", "definition": ["{\\"TokenLifetimePolicy\\":{\\"MaxAgeMultiFactor\\":\\"%s\\"}}"]}'


POLICIES = f"[\n{POLICY % ('Two weeks', '14.00:00:00')},\n{POLICY % ('Four months', '120.00:00:00')}\n]\n"


@pytest.mark.parametrize(
    ("config_name", "config"),
    [
        (".entralint.toml", '[rules.TL001]\nmin-age = "90.00:00:00"\n'),
        ("pyproject.toml", '[tool.entralint.rules.TL001]\nmin-age = "90.00:00:00"\n'),
    ],
)
def test_min_age_from_config_reports_only_shorter_values(tmp_path: Path, config_name: str, config: str) -> None:
    write(tmp_path, config_name, config)
    write(tmp_path, "policies.json", POLICIES)
    result = run_cli(["check", "--format", "json", "--select", "TL001", "policies.json"], cwd=tmp_path)
    assert result.code == 1, result.stderr
    findings = result.json()["findings"]
    assert [(finding["code"], finding["line"], finding["column"]) for finding in findings] == [("TL001", 2, 94)]
    assert "shorter than min-age 90 days" in findings[0]["message"]


def test_min_age_until_revoked_by_default_reports_every_fixed_value(tmp_path: Path) -> None:
    write(tmp_path, "policies.json", POLICIES)
    findings = lint(["policies.json"], "TL001", tmp_path)
    assert [(finding["line"], finding["column"]) for finding in findings] == [(2, 94), (3, 96)]
    assert ["min-age" in finding["message"] for finding in findings] == [False, False]


@pytest.mark.parametrize(
    ("value", "shown"),
    [("90", "90"), ('"90 days"', "'90 days'"), ('"1.24:00:00"', "'1.24:00:00'"), ("true", "True")],
)
def test_invalid_min_age_exits_2_and_says_why(tmp_path: Path, value: str, shown: str) -> None:
    write(tmp_path, ".entralint.toml", f"[rules.TL001]\nmin-age = {value}\n")
    write(tmp_path, "policies.json", POLICIES)
    result = run_cli(["check", "policies.json"], cwd=tmp_path)
    assert result.code == 2
    assert "rules.TL001.min-age must be a timespan" in result.stderr
    assert shown in result.stderr
    assert "Traceback" not in result.stderr


def test_unknown_tl001_option_exits_2(tmp_path: Path) -> None:
    write(tmp_path, ".entralint.toml", '[rules.TL001]\nmax-age = "90.00:00:00"\n')
    write(tmp_path, "policies.json", POLICIES)
    result = run_cli(["check", "policies.json"], cwd=tmp_path)
    assert result.code == 2
    assert "unknown option 'max-age'" in result.stderr and "min-age" in result.stderr


TENANT = RULE_FIXTURES / "TL005" / "fail_second_default_in_another_file"


@pytest.mark.parametrize(
    "given",
    [
        ["policies"],
        ["policies/a_default.json", "policies/b_app.yaml", "policies/c_second_default.tf"],
        ["policies/b_app.yaml"],  # pre-commit passes only changed files: the tenant still counts
        ["policies/a_default.json"],
    ],
)
def test_second_default_in_another_file(given: list[str]) -> None:
    result = run_cli(["check", "--format", "json", *given], cwd=TENANT)
    assert result.code == 1, result.stderr
    findings = result.json()["findings"]
    assert [(finding["code"], finding["path"], finding["line"], finding["column"]) for finding in findings] == [
        ("TL005", "policies/c_second_default.tf", 4, 29)
    ]
    assert findings[0]["level"] == "error"
    assert "'Second default' is a second organization default" in findings[0]["message"]
    assert "'Contoso default' in policies/a_default.json" in findings[0]["message"]
    assert findings[0]["related"] == [{"path": "policies/a_default.json", "line": 3, "column": 28}]


def test_one_default_per_tenant_is_fine(tmp_path: Path) -> None:
    write(tmp_path, ".entralint.toml", '[tenants]\ncontoso = ["contoso/**"]\nfabrikam = ["fabrikam/**"]\n')
    default = (TENANT / "policies" / "a_default.json").read_text(encoding="utf-8")
    write(tmp_path, "contoso/default.json", default)
    write(tmp_path, "fabrikam/default.json", default)
    result = run_cli(["check", "--format", "json", "--select", "TL005", "contoso", "fabrikam"], cwd=tmp_path)
    assert result.code == 0, result.stderr
    assert result.json()["findings"] == []


@pytest.mark.parametrize(
    "definition",
    [
        '"{\\"TokenLifetimePolicy\\":null}"',
        '"{\\"TokenLifetimePolicy\\":{\\"Version\\":1,\\"MaxAgeMultiFactor\\":{\\"days\\":14}}}"',
        '"{\\"TokenLifetimePolicy\\":{\\"Version\\":[1],\\"MaxInactiveTime\\":[\\"14.00:00:00\\"]}}"',
        '"[1, 2]"',
        '"\\"TokenLifetimePolicy\\""',
        '"{\\"TokenLifetimePolicy\\":{\\"Version\\":1,\\"MaxAgeMultiFactor\\":\\"\\"}}"',
        '"{\\"TokenLifetimePolicy\\":{\\"Version\\":1,\\"MaxAgeMultiFactor\\":\\"9999999999.00:00:00\\"}}"',
        '"{\\"TokenLifetimePolicy\\":{\\"Version\\":true,\\"MaxAgeMultiFactor\\":null}}"',
    ],
)
def test_wrong_types_never_crash_a_rule(tmp_path: Path, definition: str) -> None:
    write(
        tmp_path,
        "policy.json",
        f'{{"displayName": "odd", "isOrganizationDefault": true, "definition": [{definition}, 7, null]}}',
    )
    findings = lint(["policy.json"], "TL,MF", tmp_path)
    assert {finding["code"] for finding in findings} <= {"TL004", "TL006"}


def test_each_retired_token_lifetime_property_is_reported_once(tmp_path: Path) -> None:
    definition = {
        "Version": 1,
        "MaxAgeMultiFactor": "14.00:00:00",
        "MaxAgeSingleFactor": "until-revoked",
        "MaxInactiveTime": "30.00:00:00",
        "MaxAgeSessionMultiFactor": "1.00:00:00",
    }
    policy = {"displayName": "retired", "definition": [json.dumps({"TokenLifetimePolicy": definition})]}
    write(tmp_path, "policy.json", json.dumps(policy))
    findings = lint(["policy.json"], "TL", tmp_path)
    by_code = {finding["code"]: finding for finding in findings}
    assert sorted(by_code) == ["TL001", "TL003", "TL006"]
    assert by_code["TL001"]["pointer"].endswith("/MaxAgeMultiFactor")
    assert by_code["TL003"]["pointer"].endswith("/MaxInactiveTime")
    assert "sets MaxAgeSingleFactor, MaxAgeSessionMultiFactor, ignored" in by_code["TL006"]["message"]
    assert all(finding["message"].startswith(("MaxAge", "MaxInactiveTime", "Definition 0")) for finding in findings)


def test_settings_beside_policies_in_one_export(tmp_path: Path) -> None:
    write(
        tmp_path,
        "tenant.yaml",
        "policies: []\n"
        "settings:\n"
        "  mfaServiceSettings:\n"
        "    rememberMfaOnTrustedDevices:\n"
        "      enabled: true\n"
        "      days: 60\n",
    )
    findings = lint(["tenant.yaml"], "MF001", tmp_path)
    assert [(finding["code"], finding["level"], finding["line"], finding["column"]) for finding in findings] == [
        ("MF001", "warning", 5, 16)
    ]
    assert "expire every 60 days" in findings[0]["message"]


def ca015_with_levels(tmp_path: Path, levels: Sequence[str], fixture: str) -> list[str]:
    """CA015's messages on a tenant of one fixture, with `levels` set in the configuration."""
    tenant = tmp_path / "-".join(levels or ["none"])
    tenant.mkdir()
    shutil.copyfile(RULE_FIXTURES / "CA015" / fixture, tenant / fixture)
    config = tenant / "entralint.toml"
    config.write_text(f"[rules.CA015]\nlevels = {json.dumps(list(levels))}\n", encoding="utf-8")
    report = check("CA015", tenant, config=config, cwd=tenant)
    return [finding["message"] for finding in report["findings"]]


def test_ca015_levels_high_only_accepts_a_high_risk_policy(tmp_path: Path) -> None:
    [message] = ca015_with_levels(tmp_path, ["high", "medium"], "fail_high_only.json")
    assert message.startswith("Sign-ins at medium sign-in risk are not challenged. ")
    assert ca015_with_levels(tmp_path, ["high"], "fail_high_only.json") == []


def test_ca015_levels_low_asks_for_low_risk_sign_ins_too(tmp_path: Path) -> None:
    assert ca015_with_levels(tmp_path, ["high", "medium"], "pass_high_and_medium.yaml") == []
    [message] = ca015_with_levels(tmp_path, ["low", "medium", "high"], "pass_high_and_medium.yaml")
    assert message.startswith("Sign-ins at low sign-in risk are not challenged. ")


def test_ca015_levels_are_read_case_blind_and_in_risk_order(tmp_path: Path) -> None:
    [message] = ca015_with_levels(tmp_path, ["Medium", "LOW", "high"], "fail_high_only.json")
    assert message.startswith("Sign-ins at medium and low sign-in risk are not challenged. ")


def test_ca015_with_no_levels_asks_nothing(tmp_path: Path) -> None:
    assert ca015_with_levels(tmp_path, ["high", "medium"], "fail_mfa_or_compliant.tf") != []
    assert ca015_with_levels(tmp_path, [], "fail_mfa_or_compliant.tf") == []
