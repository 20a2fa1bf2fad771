"""`entralint whatif` and CA013 read a privileged role holder's sign-ins the same way (one evaluator).

For each CA013 fixture, a role holder's sign-ins are probed with `whatif` (every client app type, from an
untrusted and a trusted network, alone and as a member of each group the fixture names). CA013 fires exactly
when one probe is neither blocked nor held to MFA.
"""

from __future__ import annotations

import itertools
import json
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.conftest import REPO, run_cli

FIXTURES = REPO / "tests" / "rules" / "CA013"
GLOBAL_ADMINISTRATOR = "62e90394-69f5-4237-9190-012177145e10"
CLIENT_APPS = ("browser", "mobileAppsAndDesktopClients", "exchangeActiveSync", "other")
OFFICE = "0a0a0a0a-0000-4000-8000-00000000f00d"  # a named location the fixtures do not define
# Graph JSON and YAML tenants whose only configuration is the folder's (two privileged roles, one emergency account).
CASES = [
    "fail_admins_excluded_group.json",
    "fail_mfa_or_compliant.json",
    "fail_trusted_locations_excluded.yaml",
    "pass_admins_and_break_glass.yaml",
    "pass_all_users_mfa.json",
]


def groups_named(data: Any) -> set[str]:
    """The group ids a policy document (or a list of them) includes or excludes."""
    if isinstance(data, list):
        return set().union(*(groups_named(item) for item in data))
    if not isinstance(data, dict):
        return set()
    found = {str(group) for key in ("includeGroups", "excludeGroups") for group in data.get(key) or ()}
    return found.union(*(groups_named(value) for value in data.values()))


def holds_to_mfa(answer: dict[str, Any]) -> bool:
    """Is this sign-in blocked, or does every applying grant leave MFA (or an authentication strength) unavoidable?"""
    result = answer["result"]
    if result["verdict"] == "blocked":
        return True
    return any(
        all(control == "mfa" or control.startswith("authenticationStrength") for control in grant["controls"])
        if grant["operator"] == "OR"
        else any(control == "mfa" or control.startswith("authenticationStrength") for control in grant["controls"])
        for grant in result["grantControls"]
    )


def whatif(fixture: Path, arguments: list[str]) -> dict[str, Any]:
    result = run_cli(["whatif", fixture.name, "--format", "json", *arguments], cwd=fixture.parent)
    assert result.code == 0, result.stderr
    answer: dict[str, Any] = result.json()
    return answer


def probes(groups: list[str]) -> list[list[str]]:
    memberships: list[list[str]] = [[], *(["--group", group] for group in groups)]
    networks: list[list[str]] = [[], ["--location", OFFICE, "--trusted"]]
    return [
        ["--role", GLOBAL_ADMINISTRATOR, "--client-app", client_app, *network, *membership]
        for client_app, network, membership in itertools.product(CLIENT_APPS, networks, memberships)
    ]


@pytest.mark.parametrize("name", CASES)
def test_whatif_shows_the_gap_ca013_reports(name: str) -> None:
    fixture = FIXTURES / name
    groups = sorted(groups_named(yaml.safe_load(fixture.read_text(encoding="utf-8"))))
    open_probes = [probe for probe in probes(groups) if not holds_to_mfa(whatif(fixture, probe))]
    expected = json.loads((FIXTURES / f"{name}.expected.json").read_text(encoding="utf-8"))
    ca013_fires = any(finding["code"] == "CA013" for finding in expected)
    assert ca013_fires == name.startswith("fail_")
    assert bool(open_probes) == ca013_fires, open_probes
