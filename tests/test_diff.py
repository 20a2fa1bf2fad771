"""`entralint diff`: pairs of tenant states, each with the exact changes expected (docs/diff.md)."""

from __future__ import annotations

import copy
import json
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.conftest import run_cli

FINANCE = "11111111-1111-1111-1111-111111111111"
CONTRACTORS = "22222222-2222-2222-2222-222222222222"
BREAK_GLASS = "33333333-3333-3333-3333-333333333333"
OFFICE = "44444444-4444-4444-4444-444444444444"
# Legacy clients are blocked on both sides of most pairs below: only modern clients change.
MODERN = "browser or mobileAppsAndDesktopClients"


def policy(name: str, grant: list[str], **conditions: Any) -> dict[str, Any]:
    users = {"includeUsers": ["All"], "excludeUsers": [BREAK_GLASS], **conditions.pop("users", {})}
    return {
        "displayName": name,
        "state": conditions.pop("state", "enabled"),
        "conditions": {
            "users": users,
            "applications": {"includeApplications": ["All"]},
            "clientAppTypes": ["all"],
            **conditions,
        },
        "grantControls": {"operator": "OR", "builtInControls": grant},
    }


MFA = policy("MFA for everyone", ["mfa"])
COMPLIANT = policy(
    "Compliant device for Finance", ["compliantDevice"], users={"includeUsers": [], "includeGroups": [FINANCE]}
)
LEGACY = policy("Block legacy authentication", ["block"], clientAppTypes=["exchangeActiveSync", "other"])
TENANT = [MFA, COMPLIANT, LEGACY]


def write_state(directory: Path, policies: list[dict[str, Any]], *, layout: str = "one-file-each") -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    for index, item in enumerate(policies):
        (directory / f"policy{index}.json").write_text(json.dumps(item, indent=2), encoding="utf-8")
    return directory


def diff(base: Path, head: Path, *options: str) -> tuple[int, list[tuple[str, str, str, list[str]]]]:
    """(exit code, [(kind, before, after, classes)]) of the default tenant."""
    result = run_cli(["diff", str(base), str(head), "--format", "json", *options])
    assert result.code in (0, 1), result.stderr
    [tenant] = result.json()["tenants"]
    changes = [
        (
            change["kind"],
            change["before"]["outcome"],
            change["after"]["outcome"],
            [item["description"] for item in change["classes"]],
        )
        for change in tenant["changes"]
    ]
    return result.code, changes


def changed(tmp_path: Path, head_policies: list[dict[str, Any]]) -> tuple[int, list[Any]]:
    return diff(write_state(tmp_path / "base", TENANT), write_state(tmp_path / "head", head_policies))


def test_adding_an_exclusion_weakens_the_excluded_group(tmp_path: Path) -> None:
    head = copy.deepcopy(TENANT)
    head[0]["conditions"]["users"]["excludeGroups"] = [CONTRACTORS]
    code, changes = changed(tmp_path, head)
    assert changes == [
        (
            "weaker",
            "mfa",
            "nothing required",
            [f"members of group {CONTRACTORS} signing in to all resources ({MODERN})"],
        )
    ]
    assert code == 1


def test_narrowing_a_platform_condition(tmp_path: Path) -> None:
    head = copy.deepcopy(TENANT)
    head[1]["conditions"]["platforms"] = {"includePlatforms": ["android", "iOS"]}
    code, changes = changed(tmp_path, head)
    others = "windows or windowsPhone or macOS or linux or an undetected platform"
    assert changes == [
        (
            "weaker",
            "compliantDevice AND mfa",
            "mfa",
            [f"members of group {FINANCE} signing in to all resources ({MODERN}; {others})"],
        )
    ]
    assert code == 1


def test_narrowing_a_location_condition(tmp_path: Path) -> None:
    head = copy.deepcopy(TENANT)
    head[0]["conditions"]["locations"] = {"includeLocations": ["All"], "excludeLocations": [OFFICE]}
    code, changes = changed(tmp_path, head)
    assert changes == [
        (
            "weaker",
            "mfa",
            "nothing required",
            [f"all other users signing in to all resources ({MODERN}; location {OFFICE})"],
        ),
        (
            "weaker",
            "compliantDevice AND mfa",
            "compliantDevice",
            [f"members of group {FINANCE} signing in to all resources ({MODERN}; location {OFFICE})"],
        ),
    ]
    assert code == 1


def test_replacing_a_grant_is_different(tmp_path: Path) -> None:
    head = copy.deepcopy(TENANT)
    head[0]["grantControls"]["builtInControls"] = ["compliantDevice"]
    code, changes = changed(tmp_path, head)
    finance = f"members of group {FINANCE} signing in to all resources ({MODERN})"
    assert changes == [
        ("weaker", "compliantDevice AND mfa", "compliantDevice", [finance]),
        ("different", "mfa", "compliantDevice", [f"all other users signing in to all resources ({MODERN})"]),
    ]
    assert code == 1
    base = write_state(tmp_path / "b2", [MFA])
    assert diff(base, write_state(tmp_path / "h2", [head[0]]))[0] == 0
    assert diff(base, tmp_path / "h2", "--fail-on", "different")[0] == 1


def test_disabling_a_policy(tmp_path: Path) -> None:
    head = copy.deepcopy(TENANT)
    head[2]["state"] = "disabled"
    code, changes = changed(tmp_path, head)
    legacy = "signing in to all resources (exchangeActiveSync or other)"
    assert changes == [
        ("weaker", "blocked", "mfa", [f"all other users {legacy}"]),
        ("weaker", "blocked", "compliantDevice AND mfa", [f"members of group {FINANCE} {legacy}"]),
    ]
    assert code == 1


def test_switching_to_report_only_stops_enforcing(tmp_path: Path) -> None:
    head = copy.deepcopy(TENANT)
    head[1]["state"] = "enabledForReportingButNotEnforced"
    code, changes = changed(tmp_path, head)
    assert changes == [
        (
            "weaker",
            "compliantDevice AND mfa",
            "mfa",
            [f"members of group {FINANCE} signing in to all resources ({MODERN})"],
        )
    ]
    assert code == 1


def test_stronger_and_the_block_safety_check(tmp_path: Path) -> None:
    head = [*copy.deepcopy(TENANT), policy("Block contractors", ["block"], users={"includeGroups": [CONTRACTORS]})]
    result = run_cli(["diff", str(write_state(tmp_path / "b", TENANT)), str(write_state(tmp_path / "h", head))])
    assert "stronger: mfa -> blocked" in result.stdout
    assert "safety FAILED: block-never-report-only" in result.stdout
    assert result.code == 1
    assert run_cli(["diff", str(tmp_path / "b"), str(tmp_path / "h"), "--fail-on", "never"]).code == 0


def test_blocking_the_emergency_access_account_and_locking_out(tmp_path: Path) -> None:
    everyone = policy(
        "Block everyone", ["block"], users={"excludeUsers": []}, state="enabledForReportingButNotEnforced"
    )
    base = write_state(tmp_path / "base", [*TENANT, everyone])
    enforced = copy.deepcopy(everyone)
    enforced["state"] = "enabled"
    result = run_cli(["diff", str(base), str(write_state(tmp_path / "head", [*TENANT, enforced])), "--format", "json"])
    checks = {(item["check"], item["failed"]) for item in result.json()["tenants"][0]["safety"]}
    assert checks == {("lock-out", True)}
    assert result.code == 1


@pytest.mark.parametrize("change", ["rename", "reformat", "to-yaml", "to-terraform"])
def test_changes_of_form_are_no_change(tmp_path: Path, change: str) -> None:
    base = write_state(tmp_path / "base", TENANT)
    head = write_state(tmp_path / "head", TENANT)
    if change == "rename":
        (head / "policy0.json").rename(head / "mfa-for-everyone.json")
    elif change == "reformat":
        (head / "policy1.json").write_text(json.dumps(COMPLIANT, separators=(",", ":"), sort_keys=True))
    elif change == "to-yaml":
        (head / "policy2.json").unlink()
        (head / "legacy.yaml").write_text(yaml.safe_dump(LEGACY), encoding="utf-8")
    else:
        (head / "policy0.json").unlink()
        (head / "mfa.tf").write_text(TERRAFORM_MFA, encoding="utf-8")
    code, changes = diff(base, head)
    assert (code, changes) == (0, [])


TERRAFORM_MFA = f"""
resource "azuread_conditional_access_policy" "mfa" {{
  display_name = "MFA for everyone"
  state        = "enabled"
  conditions {{
    client_app_types = ["all"]
    applications {{
      included_applications = ["All"]
    }}
    users {{
      included_users = ["All"]
      excluded_users = ["{BREAK_GLASS}"]
    }}
  }}
  grant_controls {{
    operator          = "OR"
    built_in_controls = ["mfa"]
  }}
}}
"""


def _git(directory: Path, *arguments: str) -> None:
    subprocess.run(
        ["git", "-c", "user.email=t@example.com", "-c", "user.name=t", *arguments],
        cwd=directory,
        check=True,
        capture_output=True,
    )


def test_git_revisions_are_read_without_a_checkout(tmp_path: Path) -> None:
    repository = write_state(tmp_path / "repo", TENANT)
    (repository / "linked.json").symlink_to(tmp_path / "outside.json")
    (tmp_path / "outside.json").write_text(json.dumps(policy("Outside", ["block"])), encoding="utf-8")
    _git(repository, "init", "-q")
    _git(repository, "add", ".")
    _git(repository, "commit", "-qm", "base")
    head = copy.deepcopy(TENANT)
    head[2]["state"] = "disabled"
    write_state(repository, head)
    _git(repository, "commit", "-qam", "disable")
    result = run_cli(["diff", "git:HEAD~1", "git:HEAD", "--format", "json"], cwd=repository)
    [tenant] = result.json()["tenants"]
    assert [(change["kind"], change["after"]["outcome"]) for change in tenant["changes"]] == [
        ("weaker", "mfa"),
        ("weaker", "compliantDevice AND mfa"),
    ]
    # The working tree is HEAD by default; the symbolic link is read neither from git nor from disk.
    assert run_cli(["diff", "git:HEAD"], cwd=repository).stdout.count("no change") == 1
    assert run_cli(["diff", "git:--output=x"], cwd=repository).code == 2
    assert run_cli(["diff", "git:no-such-branch"], cwd=repository).code == 2


def test_markdown_is_inert(tmp_path: Path) -> None:
    head = copy.deepcopy(TENANT)
    head[0]["displayName"] = "<img src=x> | [link](http://x) \u202e"
    head[0]["grantControls"]["builtInControls"] = ["compliantDevice"]
    result = run_cli(
        [
            "diff",
            str(write_state(tmp_path / "b", TENANT)),
            str(write_state(tmp_path / "h", head)),
            "--format",
            "markdown",
        ]
    )
    assert "<img" not in result.stdout and "](http" not in result.stdout and "\u202e" not in result.stdout
    assert "| default | **different** |" in result.stdout
    assert "<details>" in result.stdout
