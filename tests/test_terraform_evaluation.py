"""Terraform as Terraform evaluates it (issue 19, case 8): `count`/`for_each`, variable values, `.tofu` files."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from linter.loaders import forget_directories, load_text
from linter.model import Unresolved
from linter.policy.compiled import state
from linter.policy.questions import is_enabled
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


VARIABLE = 'variable "dcf_state" {\n  type    = string\n  default = "enabled"\n}\n'


def device_code_flow_state(directory: Path, *options: str) -> list[str]:
    """CA001's messages for a module whose only device code block takes its state from `var.dcf_state`."""
    write(directory, "mfa.tf", REQUIRE_MFA)
    write(directory, "dcf.tf", block_device_code_flow(state="var.dcf_state"))
    return codes(check(directory, *options), "CA001")


def test_terraform_tfvars_overrides_the_default(tmp_path: Path) -> None:
    write(tmp_path, "variables.tf", VARIABLE)
    assert device_code_flow_state(tmp_path) == []
    write(tmp_path, "terraform.tfvars", 'dcf_state = "disabled"\n')
    assert len(device_code_flow_state(tmp_path)) == 1


def test_tfvars_overrides_a_default_declared_in_the_same_file(tmp_path: Path) -> None:
    write(tmp_path, "mfa.tf", REQUIRE_MFA)
    write(tmp_path, "dcf.tf", VARIABLE + block_device_code_flow(state="var.dcf_state"))
    write(tmp_path, "terraform.tfvars.json", '{"dcf_state": "disabled"}')
    assert len(codes(check(tmp_path), "CA001")) == 1


@pytest.mark.parametrize(
    ("files", "expected"),
    [
        # terraform.tfvars < terraform.tfvars.json < *.auto.tfvars(.json), in lexical order of their names
        ({"terraform.tfvars": "disabled", "terraform.tfvars.json": "enabled"}, "enabled"),
        ({"terraform.tfvars.json": "enabled", "a.auto.tfvars": "disabled"}, "disabled"),
        ({"a.auto.tfvars.json": "disabled", "b.auto.tfvars": "enabled"}, "enabled"),
        ({"b.auto.tfvars": "disabled", "a.auto.tfvars.json": "enabled"}, "disabled"),
    ],
)
def test_variable_files_in_terraforms_order(tmp_path: Path, files: dict[str, str], expected: str) -> None:
    write(tmp_path, "variables.tf", VARIABLE)
    for name, value in files.items():
        write(tmp_path, name, json.dumps({"dcf_state": value}) if name.endswith(".json") else f'dcf_state = "{value}"')
    assert len(device_code_flow_state(tmp_path)) == (expected == "disabled")


def test_var_files_come_last_in_the_order_given(tmp_path: Path) -> None:
    module = tmp_path / "module"
    write(module, "variables.tf", VARIABLE)
    write(module, "z.auto.tfvars", 'dcf_state = "enabled"\n')
    off = write(tmp_path, "off.tfvars", 'dcf_state = "disabled"\n')
    on = write(tmp_path, "on.tfvars.json", '{"dcf_state": "enabled"}')
    assert len(device_code_flow_state(module, "--var-file", str(off))) == 1
    assert device_code_flow_state(module, "--var-file", str(off), "--var-file", str(on)) == []
    assert len(device_code_flow_state(module, "--var-file", str(on), "--var-file", str(off))) == 1


def test_a_missing_var_file_is_a_usage_error(tmp_path: Path) -> None:
    write(tmp_path, "mfa.tf", REQUIRE_MFA)
    result = run_cli(["check", str(tmp_path), "--var-file", str(tmp_path / "absent.tfvars")])
    assert result.code == 2
    assert "--var-file" in result.stderr


def test_undeclared_null_and_unreadable_assignments_are_not_guessed(tmp_path: Path) -> None:
    write(tmp_path, "variables.tf", VARIABLE)
    # A value for a variable the module does not declare sets nothing.
    write(tmp_path, "terraform.tfvars", 'other = "disabled"\n')
    assert device_code_flow_state(tmp_path) == []
    # null, or a file Terraform could not read: the state is unknown, neither enabled nor disabled.
    for text in ("dcf_state = null\n", 'dcf_state = "disabled"\nbroken = [\n'):
        write(tmp_path, "terraform.tfvars", text)
        forget_directories()  # what `check` does at the start of each run
        result = load_text(str(tmp_path / "dcf.tf"), block_device_code_flow(state="var.dcf_state"))
        assert result is not None
        assert result.documents[0].data["state"] == Unresolved("var.dcf_state")


def test_environment_variables_are_not_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TF_VAR_dcf_state", "disabled")
    write(tmp_path, "variables.tf", VARIABLE)
    assert device_code_flow_state(tmp_path) == []


def test_a_tofu_file_is_read_and_replaces_the_tf_file_of_its_name(tmp_path: Path) -> None:
    write(tmp_path, "mfa.tofu", REQUIRE_MFA)
    write(tmp_path, "dcf.tf", block_device_code_flow())
    write(tmp_path, "dcf.tofu", block_device_code_flow("count = 0"))
    report = check(tmp_path)
    assert report["files"] == 2
    assert report["policies"] == 1
    assert len(codes(report, "CA001")) == 1
    # Named on the command line, a .tf file beside its .tofu is skipped with a word.
    result = run_cli(["check", str(tmp_path / "dcf.tf"), "--isolated", "--format", "json"])
    assert "OpenTofu reads dcf.tofu beside it instead" in json.dumps(result.json()["notifications"])


def test_a_tofu_json_file_replaces_the_tf_json_file_of_its_name(tmp_path: Path) -> None:
    body = {
        "display_name": "X",
        "state": "enabled",
        "conditions": {"client_app_types": ["all"], "users": {"included_users": ["All"]}},
        "grant_controls": {"operator": "OR", "built_in_controls": ["mfa"]},
    }
    config = {"resource": {"azuread_conditional_access_policy": {"x": body}}}
    write(tmp_path, "x.tf.json", json.dumps(config))
    body["display_name"] = "From OpenTofu"
    write(tmp_path, "x.tofu.json", json.dumps(config))
    result = run_cli(["inspect", str(tmp_path), "--format", "json"])
    assert [(Path(entry["file"]).name, entry["name"]) for entry in result.json()] == [("x.tofu.json", "From OpenTofu")]


def test_a_tofu_variable_file_gives_defaults(tmp_path: Path) -> None:
    write(tmp_path, "variables.tofu", VARIABLE.replace('"enabled"', '"disabled"'))
    write(tmp_path, "variables.tf", VARIABLE)
    assert len(device_code_flow_state(tmp_path)) == 1
