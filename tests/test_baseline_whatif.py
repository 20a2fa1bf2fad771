"""The baseline rules (CA014-CA024) and `entralint whatif` agree: a rule fires exactly when a sign-in of its class
is let in without what it asks for, and is silent when whatif shows that sign-in challenged or blocked."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any, NamedTuple

import pytest

from tests.conftest import run_cli

PILOT_GROUP = "6f1d2c3b-0000-4000-8000-00000000000a"
SOMEONE = "6f1d2c3b-0000-4000-8000-00000000000b"
AZURE_MANAGEMENT = "797f4846-ba00-4fd7-ba43-dac1f8f63013"
REGISTER_SECURITY_INFO = "urn:user:registersecurityinfo"
REGISTER_DEVICE = "urn:user:registerdevice"

Grant = dict[str, Any]


def policy(
    name: str, users: dict[str, Any], applications: dict[str, Any], grant: list[str], **conditions: Any
) -> Grant:
    return {
        "displayName": name,
        "state": "enabled",
        "conditions": {"users": users, "applications": applications, **conditions},
        "grantControls": {"operator": "AND", "builtInControls": grant},
    }


ALL_USERS = {"includeUsers": ["All"]}
PILOT = {"includeGroups": [PILOT_GROUP]}
ALL_APPS = {"includeApplications": ["All"]}


def is_mfa(control: str) -> bool:
    return control == "mfa" or control.startswith("authenticationStrength")


def asks(result: dict[str, Any], satisfies: Callable[[list[str]], bool]) -> bool:
    """Does whatif's combined answer block the sign-in, or require (of every way through one policy) the controls?"""
    if result["verdict"] == "blocked":
        return True
    for grant in result["grantControls"]:
        controls = grant["controls"]
        ways = [controls] if grant["operator"] == "AND" else [[control] for control in controls]
        if all(satisfies(way) for way in ways):
            return True
    return False


def mfa(way: list[str]) -> bool:
    return any(is_mfa(control) for control in way)


def remediation(way: list[str]) -> bool:
    return "riskRemediation" in way or ("passwordChange" in way and mfa(way))


class Case(NamedTuple):
    code: str
    open_tenant: list[Grant]  # leaves the sign-in below open: the rule fires
    closed_tenant: list[Grant]  # covers it: the rule is silent
    sign_in: list[str]  # `entralint whatif` options of one sign-in of the rule's class
    satisfies: Callable[[list[str]], bool]


CASES = [
    Case(
        "CA014",
        [policy("risk pilot", PILOT, ALL_APPS, ["mfa", "passwordChange"], userRiskLevels=["high"])],
        [policy("risk everyone", ALL_USERS, ALL_APPS, ["mfa", "passwordChange"], userRiskLevels=["high"])],
        ["--user-risk", "high", "--user", SOMEONE],
        remediation,
    ),
    Case(
        "CA015",
        [policy("high only", ALL_USERS, ALL_APPS, ["mfa"], signInRiskLevels=["high"])],
        [policy("high and medium", ALL_USERS, ALL_APPS, ["mfa"], signInRiskLevels=["high", "medium"])],
        ["--sign-in-risk", "medium", "--user", SOMEONE],
        mfa,
    ),
    Case(
        "CA017",
        [policy("pilot registers", PILOT, {"includeUserActions": [REGISTER_SECURITY_INFO]}, ["mfa"])],
        [policy("everyone registers", ALL_USERS, {"includeUserActions": [REGISTER_SECURITY_INFO]}, ["mfa"])],
        ["--app", REGISTER_SECURITY_INFO, "--user", SOMEONE, "--client-app", "mobileAppsAndDesktopClients"],
        lambda way: mfa(way) or "compliantDevice" in way or "domainJoinedDevice" in way,
    ),
    Case(
        "CA018",
        [policy("all resources", ALL_USERS, ALL_APPS, ["mfa"])],
        [policy("device registration", ALL_USERS, {"includeUserActions": [REGISTER_DEVICE]}, ["mfa"])],
        ["--app", REGISTER_DEVICE, "--user", SOMEONE],
        mfa,
    ),
    Case(
        "CA020",
        [policy("management API", ALL_USERS, {"includeApplications": [AZURE_MANAGEMENT]}, ["mfa"])],
        [policy("both", ALL_USERS, {"includeApplications": [AZURE_MANAGEMENT, "MicrosoftAdminPortals"]}, ["mfa"])],
        ["--app", "MicrosoftAdminPortals", "--user", SOMEONE],
        mfa,
    ),
    Case(
        "CA024",
        [policy("members", {"includeUsers": ["All"], "excludeUsers": ["GuestsOrExternalUsers"]}, ALL_APPS, ["mfa"])],
        [policy("everyone", ALL_USERS, ALL_APPS, ["mfa"])],
        ["--guest-type", "b2bCollaborationGuest", "--app", AZURE_MANAGEMENT],
        mfa,
    ),
]


def tenant(directory: Path, policies: list[Grant]) -> Path:
    directory.mkdir()
    (directory / "policies.json").write_text(json.dumps(policies), encoding="utf-8")
    return directory


def rule_fires(code: str, directory: Path) -> bool:
    result = run_cli(["check", "--isolated", "--select", code, "--format", "json", str(directory)], cwd=directory)
    assert result.code in (0, 1), result.stderr
    return [finding["code"] for finding in result.json()["findings"]] == [code]


def whatif(directory: Path, sign_in: list[str]) -> dict[str, Any]:
    result = run_cli(["whatif", str(directory), "--format", "json", *sign_in], cwd=directory)
    assert result.code == 0, result.stderr
    answer: dict[str, Any] = result.json()["result"]
    assert answer["dependsOn"] == []
    return answer


@pytest.mark.parametrize("case", CASES, ids=[case.code for case in CASES])
def test_the_rule_and_whatif_agree(case: Case, tmp_path: Path) -> None:
    left_open = tenant(tmp_path / "open", case.open_tenant)
    assert rule_fires(case.code, left_open)
    assert not asks(whatif(left_open, case.sign_in), case.satisfies)
    covered = tenant(tmp_path / "covered", case.closed_tenant)
    assert not rule_fires(case.code, covered)
    assert asks(whatif(covered, case.sign_in), case.satisfies)


def test_legacy_clients_to_azure_management_are_ca007s_question(tmp_path: Path) -> None:
    """CA020 asks about modern clients: whatif shows each modern sign-in challenged and the legacy one blocked."""
    modern = ["browser", "mobileAppsAndDesktopClients"]
    modern_mfa = policy("modern", ALL_USERS, ALL_APPS, ["mfa"], clientAppTypes=modern)
    legacy_block = policy("legacy", ALL_USERS, ALL_APPS, ["block"], clientAppTypes=["exchangeActiveSync", "other"])
    directory = tenant(tmp_path / "t", [modern_mfa, legacy_block])
    assert not rule_fires("CA020", directory)
    for client_app in ("browser", "mobileAppsAndDesktopClients", "other"):
        sign_in = ["--app", AZURE_MANAGEMENT, "--client-app", client_app, "--user", SOMEONE]
        assert asks(whatif(directory, sign_in), mfa), client_app
