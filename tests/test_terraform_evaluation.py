"""Terraform as Terraform evaluates it (issue 19, case 8): `count`/`for_each`, variable values, `.tofu` files."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from linter.loaders import load_text
from linter.model import Unresolved
from linter.policy.applicability import is_enabled, state
from tests.conftest import run_cli, write

REQUIRE_MFA = """\
resource "azuread_conditional_access_policy" "require_mfa" {
  display_name = "Require MFA"
  state        = "enabled"
  conditions {
    client_app_types = ["all"]
    users {
      included_users = ["All"]
    }
    applications {
      included_applications = ["All"]
    }
  }
  grant_controls {
    operator          = "OR"
    built_in_controls = ["mfa"]
  }
}
"""


def block_device_code_flow(meta_argument: str = "", state: str = '"enabled"') -> str:
    return f"""\
resource "azuread_conditional_access_policy" "block_dcf" {{
  {meta_argument}
  display_name = "Block device code flow"
  state        = {state}
  conditions {{
    client_app_types                     = ["all"]
    authentication_flow_transfer_methods = ["deviceCodeFlow"]
    users {{
      included_users = ["All"]
    }}
    applications {{
      included_applications = ["All"]
      excluded_applications = ["01cb2876-7ebd-4aa4-9cc9-d28bd4d359a9"]
    }}
  }}
  grant_controls {{
    operator          = "OR"
    built_in_controls = ["block"]
  }}
}}
"""


def check(directory: Path, *options: str) -> dict[str, Any]:
    result = run_cli(["check", str(directory), "--isolated", "--format", "json", "--fail-on", "never", *options])
    assert result.code == 0, result.stderr
    report: dict[str, Any] = result.json()
    return report


def codes(report: dict[str, Any], code: str) -> list[str]:
    return [finding["message"] for finding in report["findings"] if finding["code"] == code]


NEVER_CREATED = ["count = 0", 'count = "0"', "for_each = {}", "for_each = []", "for_each = toset([])"]


@pytest.mark.parametrize("meta_argument", NEVER_CREATED)
def test_a_device_code_block_that_is_never_created_does_not_block(tmp_path: Path, meta_argument: str) -> None:
    write(tmp_path, "mfa.tf", REQUIRE_MFA)
    write(tmp_path, "dcf.tf", block_device_code_flow(meta_argument))
    report = check(tmp_path)
    assert len(codes(report, "CA001")) == 1
    assert report["policies"] == 1


def test_the_same_block_without_count_passes(tmp_path: Path) -> None:
    write(tmp_path, "mfa.tf", REQUIRE_MFA)
    write(tmp_path, "dcf.tf", block_device_code_flow("count = 1"))
    assert codes(check(tmp_path), "CA001") == []


@pytest.mark.parametrize(
    "meta_argument", ["count = var.enabled ? 1 : 0", "for_each = var.policies", "count = length(var.groups)"]
)
def test_a_block_that_may_not_exist_is_neither_relied_on_nor_reported_missing(
    tmp_path: Path, meta_argument: str
) -> None:
    write(tmp_path, "mfa.tf", REQUIRE_MFA)
    write(tmp_path, "dcf.tf", block_device_code_flow(meta_argument))
    report = check(tmp_path)
    assert codes(report, "CA001") == []
    result = load_text(str(tmp_path / "dcf.tf"), block_device_code_flow(meta_argument))
    assert result is not None
    (document,) = result.documents
    assert document.may_not_exist
    assert document.existence == Unresolved(meta_argument)
    # Like a computed state: not enabled for certain, not disabled for certain.
    assert is_enabled(document) is None
    assert state(document) is None


def test_a_disabled_block_that_may_not_exist_is_disabled(tmp_path: Path) -> None:
    text = block_device_code_flow("count = var.enabled ? 1 : 0", state='"disabled"')
    result = load_text(str(tmp_path / "dcf.tf"), text)
    assert result is not None
    (document,) = result.documents
    assert is_enabled(document) is False
    assert state(document) == "disabled"


def test_a_count_from_a_variable_default_is_read(tmp_path: Path) -> None:
    write(tmp_path, "variables.tf", 'variable "enabled" {\n  default = 0\n}\n')
    write(tmp_path, "mfa.tf", REQUIRE_MFA)
    write(tmp_path, "dcf.tf", block_device_code_flow("count = var.enabled"))
    assert len(codes(check(tmp_path), "CA001")) == 1


def test_tf_json_count_zero_and_computed(tmp_path: Path) -> None:
    body = {
        "display_name": "Block device code flow",
        "state": "enabled",
        "conditions": {
            "client_app_types": ["all"],
            "authentication_flow_transfer_methods": ["deviceCodeFlow"],
            "users": {"included_users": ["All"]},
            "applications": {"included_applications": ["All"]},
        },
        "grant_controls": {"operator": "OR", "built_in_controls": ["block"]},
    }
    write(tmp_path, "mfa.tf", REQUIRE_MFA)
    config = {"resource": {"azuread_conditional_access_policy": {"block_dcf": {"count": 0, **body}}}}
    write(tmp_path, "dcf.tf.json", json.dumps(config))
    assert len(codes(check(tmp_path), "CA001")) == 1
    config["resource"]["azuread_conditional_access_policy"]["block_dcf"]["count"] = "${var.enabled ? 1 : 0}"
    write(tmp_path, "dcf.tf.json", json.dumps(config))
    assert codes(check(tmp_path), "CA001") == []


def test_inspect_marks_what_is_not_created_and_what_may_not_exist(tmp_path: Path) -> None:
    write(tmp_path, "a.tf", block_device_code_flow("count = 0"))
    write(tmp_path, "b.tf", block_device_code_flow("for_each = var.policies").replace("block_dcf", "other"))
    result = run_cli(["inspect", str(tmp_path), "--format", "json"])
    entries = {Path(entry["file"]).name: entry for entry in result.json()}
    assert entries["a.tf"]["exists"] is False
    assert entries["a.tf"]["existence"] == "count = 0"
    assert entries["b.tf"]["exists"] == {"unresolved": "for_each = var.policies"}
    text = run_cli(["inspect", str(tmp_path)]).stdout
    assert "(not created: count = 0)" in text
    assert "(may not exist: for_each = var.policies)" in text
    assert text.endswith("2 documents (1 not created)\n")
