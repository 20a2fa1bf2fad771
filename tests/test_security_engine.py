"""Issue 19 cases 9, 10 and 12: fingerprints of duplicate policies, links out of the tree, JSON with comments."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from tests.conftest import CliResult, run_cli, write

# A policy without an id, so its display name is its identity; CA002 fires on it.
POLICY: dict[str, Any] = {
    "displayName": "Block device code flow",
    "state": "enabled",
    "conditions": {
        "clientAppTypes": ["all"],
        "users": {"includeUsers": ["All"]},
        "applications": {"includeApplications": ["All"]},
        "authenticationFlows": {"transferMethods": "deviceCodeFlow"},
    },
    "grantControls": {"operator": "OR", "builtInControls": ["block"]},
}


def check(root: Path, *args: str) -> CliResult:
    return run_cli(["check", "--isolated", "--format", "json", "--select", "CA002", *args], cwd=root)


def test_baseline_does_not_hide_a_second_policy_with_the_same_name(tmp_path: Path) -> None:
    """Case 9: the copy's finding has a fingerprint of its own; the first keeps the one it always had."""
    write(tmp_path, "policies.json", json.dumps({"value": [POLICY]}, indent=2))
    before = check(tmp_path, "policies.json")
    write(tmp_path, "baseline.json", before.stdout)
    [known] = before.json()["findings"]

    write(tmp_path, "policies.json", json.dumps({"value": [POLICY, POLICY]}, indent=2))
    both = check(tmp_path, "policies.json").json()["findings"]
    assert [finding["code"] for finding in both] == ["CA002", "CA002"]
    assert both[0]["fingerprint"] == known["fingerprint"]
    assert both[1]["fingerprint"] != known["fingerprint"]

    result = check(tmp_path, "--baseline", "baseline.json", "policies.json")
    [new] = result.json()["findings"]
    assert (new["line"], new["fingerprint"]) == (both[1]["line"], both[1]["fingerprint"])
    assert result.code == 1


def test_tenant_findings_keep_tenant_rule_and_subject_fingerprints(tmp_path: Path) -> None:
    """Case 9 leaves tenant findings alone: the same tenant finding from any file keeps its fingerprint."""
    report_only = {**POLICY, "state": "enabledForReportingButNotEnforced"}
    write(tmp_path / "a", "one.json", json.dumps(report_only))
    write(tmp_path / "b", "one.json", json.dumps(report_only))
    write(tmp_path / "b", "two.json", json.dumps(report_only))
    first = run_cli(["check", "--isolated", "--format", "json", "--select", "CA001", "one.json"], cwd=tmp_path / "a")
    second = run_cli(["check", "--isolated", "--format", "json", "--select", "CA001", "."], cwd=tmp_path / "b")
    [before] = first.json()["findings"]
    [after] = second.json()["findings"]
    assert before["fingerprint"] == after["fingerprint"]


JSONC = """// Exported with Graph Explorer; reviewed in CHG-4711
{
  /* the id is left out on purpose; "quotes" and // inside a comment are comment text */
  "displayName": "Block device code flow", // see https://aka.ms/dcf
  "description": "https://example.com/a//b /* not a comment */",
  "state": "enabled",
  "conditions": {
    "clientAppTypes": ["all"],
    "users": {"includeUsers": ["All"]},
    "applications": {"includeApplications": ["All"]},
    "authenticationFlows": {"transferMethods": "deviceCodeFlow"}
  },
  "grantControls": {"operator": "OR", "builtInControls": ["block"]}
}
"""


def test_jsonc_is_read_with_positions_of_the_file_as_written(tmp_path: Path) -> None:
    """Case 12: a .jsonc file is found and read; comments move no line or column."""
    write(tmp_path, "policy.jsonc", JSONC)
    result = check(tmp_path, ".")
    [finding] = result.json()["findings"]
    assert (finding["code"], finding["path"], finding["line"], finding["column"]) == ("CA002", "policy.jsonc", 10, 45)
    inspected = run_cli(["inspect", "--format", "json", "policy.jsonc"], cwd=tmp_path)
    assert "https://example.com/a//b /* not a comment */" in inspected.stdout


def test_jsonc_that_does_not_parse_is_in001(tmp_path: Path) -> None:
    write(tmp_path, "policy.jsonc", JSONC.replace('"state": "enabled",', '"state": "enabled",,'))
    result = run_cli(["check", "--isolated", "--format", "json", "."], cwd=tmp_path)
    [finding] = result.json()["findings"]
    assert (finding["code"], finding["path"], finding["line"]) == ("IN001", "policy.jsonc", 6)


def test_broken_json_naming_only_conditions_is_in001(tmp_path: Path) -> None:
    """Case 12: `conditions` is policy vocabulary (docs/reliability.md): a file that fails to parse is reported."""
    write(tmp_path, "policy.json", '{"displayName": "x", "conditions": {"users": }}\n')
    write(tmp_path, "package.json", '{"name": "x", "version": }\n')
    result = run_cli(["check", "--isolated", "--format", "json", "."], cwd=tmp_path)
    assert [(finding["code"], finding["path"]) for finding in result.json()["findings"]] == [("IN001", "policy.json")]
    assert result.code == 1


TERRAFORM = """resource "azuread_conditional_access_policy" "block_device_code" {
  display_name = var.policy_name
  state        = "enabled"

  conditions {
    client_app_types                     = ["all"]
    authentication_flow_transfer_methods = ["deviceCodeFlow"]

    applications {
      included_applications = ["All"]
    }

    users {
      included_users = ["All"]
    }
  }

  grant_controls {
    operator          = "OR"
    built_in_controls = ["block"]
  }
}
"""
OUTSIDE_NAME = "Outside the tree 7f3a"
OUTSIDE_VARIABLES = f'variable "policy_name" {{\n  default = "{OUTSIDE_NAME}"\n}}\n'


def sarif(root: Path, *args: str) -> tuple[CliResult, dict[str, Any]]:
    result = run_cli(["check", "--format", "sarif", "--select", "CA002", *args], cwd=root)
    return result, json.loads(result.stdout)


def notifications_of(log: dict[str, Any]) -> list[str]:
    invocation = log["runs"][0]["invocations"][0]
    return [note["message"]["text"] for note in invocation.get("toolExecutionNotifications", [])]


def test_variable_defaults_are_never_read_through_a_link_out_of_the_tree(tmp_path: Path) -> None:
    """Case 10: the outside policy name never reaches the SARIF; the link is named in a notification."""
    outside = write(tmp_path / "outside", "secret.tf", OUTSIDE_VARIABLES)
    tree = tmp_path / "tree"
    write(tree, "main.tf", TERRAFORM)
    (tree / "variables.tf").symlink_to(outside)
    result, log = sarif(tree, "--isolated", ".")
    assert OUTSIDE_NAME not in result.stdout
    assert OUTSIDE_NAME not in result.stderr
    assert [entry["ruleId"] for entry in log["runs"][0]["results"]] == ["CA002"]
    assert any("symbolic link leaves the scanned directory" in text for text in notifications_of(log))
    assert "variables.tf: entralint warning: symbolic link leaves the scanned directory" in (
        run_cli(["check", "--isolated", "--select", "CA002", "--format", "json", "."], cwd=tree).stderr
    )


def test_a_link_is_never_read_for_variables_even_inside_the_module(tmp_path: Path) -> None:
    """Variable files are read beside a policy, so a link is not followed at all: the variable stays a reference."""
    tree = tmp_path / "tree"
    write(tree, "main.tf", TERRAFORM)
    write(tree, "defaults.tf.txt", OUTSIDE_VARIABLES)
    (tree / "variables.tf").symlink_to("defaults.tf.txt")
    result, _ = sarif(tree, "--isolated", "main.tf")
    assert OUTSIDE_NAME not in result.stdout


def test_a_policy_linked_from_outside_the_tree_is_not_read(tmp_path: Path) -> None:
    outside = write(tmp_path / "outside", "policy.json", json.dumps({**POLICY, "displayName": OUTSIDE_NAME}))
    tree = tmp_path / "tree"
    write(tree, "own.json", json.dumps(POLICY))
    (tree / "linked.json").symlink_to(outside)
    result, log = sarif(tree, "--isolated", ".")
    assert OUTSIDE_NAME not in result.stdout
    assert [entry["ruleId"] for entry in log["runs"][0]["results"]] == ["CA002"]
    assert any("symbolic link leaves the scanned directory" in text for text in notifications_of(log))


def test_a_configuration_linked_from_outside_the_tree_is_not_read(tmp_path: Path) -> None:
    outside = write(tmp_path / "outside", "config.toml", 'select = ["IN"]\n')
    tree = tmp_path / "tree"
    write(tree, "policy.json", json.dumps(POLICY))
    (tree / ".entralint.toml").symlink_to(outside)
    result = run_cli(["check", "--format", "json", "."], cwd=tree)
    assert "CA002" in [finding["code"] for finding in result.json()["findings"]]
    assert ".entralint.toml: symbolic link leaves its directory; not read as configuration" in result.stderr
