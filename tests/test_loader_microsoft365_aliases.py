"""The microsoft365 Terraform provider's aliases and its one-transfer-method-per-resource rule (issue 20, input 6)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from linter.loaders import load_text
from tests.conftest import run_cli, write

ALIASES = """\
resource "microsoft365_graph_beta_identity_and_access_conditional_access_policy" "sensitive" {
  display_name = "Sensitive actions"
  state        = "enabled"
  conditions = {
    client_app_types = ["all"]
    users = {
      include_users = ["All"]
    }
    applications = {
      include_authentication_context_class_references = [
        "require_trusted_device", "c8", "required_trust_type:hybrid_azure_ad_joined",
      ]
    }
  }
  grant_controls = {
    operator = "OR"
    authentication_strength = {
      id = "phishing_resistant_mfa"
    }
  }
}
"""


def block_flow(name: str, method: str) -> str:
    return f"""\
resource "microsoft365_graph_beta_identity_and_access_conditional_access_policy" "{name}" {{
  display_name = "Block {method}"
  state        = "enabled"
  conditions = {{
    client_app_types = ["all"]
    users = {{
      include_users = ["All"]
    }}
    applications = {{
      include_applications = ["All"]
    }}
    authentication_flows = {{
      transfer_methods = "{method}"
    }}
  }}
  grant_controls = {{
    operator          = "OR"
    built_in_controls = ["block"]
  }}
}}
"""


def test_aliases_become_the_ids_graph_stores_at_the_place_they_are_written() -> None:
    result = load_text("aliases.tf", ALIASES)
    assert result is not None and result.problems == ()
    [document] = result.documents
    applications = document.data["conditions"]["applications"]
    assert applications["includeAuthenticationContextClassReferences"] == ["c1", "c8", "c7"]
    assert document.data["grantControls"]["authenticationStrength"] == {"id": "00000000-0000-0000-0000-000000000004"}
    span = document.span("/conditions/applications/includeAuthenticationContextClassReferences/0")
    assert (span.start_line, span.start_column, span.end_line, span.end_column) == (11, 9, 11, 33)
    span = document.span("/grantControls/authenticationStrength/id")
    assert (span.start_line, span.start_column, span.end_line, span.end_column) == (18, 12, 18, 36)


def test_an_unknown_name_is_kept_as_written() -> None:
    result = load_text("aliases.tf", ALIASES.replace("phishing_resistant_mfa", "contoso_strength"))
    assert result is not None
    [document] = result.documents
    assert document.data["grantControls"]["authenticationStrength"]["id"] == "contoso_strength"


def findings(directory: Path) -> list[dict[str, Any]]:
    result = run_cli(["check", str(directory), "--isolated", "--format", "json", "--fail-on", "never"])
    assert result.code == 0, result.stderr
    found: list[dict[str, Any]] = result.json()["findings"]
    return found


def test_two_resources_each_blocking_one_flow_block_both(tmp_path: Path) -> None:
    # The provider takes one transfer method per resource: the tenant blocks both flows with two policies.
    write(tmp_path, "device_code.tf", block_flow("block_device_code", "deviceCodeFlow"))
    write(tmp_path, "transfer.tf", block_flow("block_transfer", "authenticationTransfer"))
    codes = {finding["code"] for finding in findings(tmp_path)}
    assert not codes & {"CA001", "CA003"}


def test_one_resource_blocking_one_flow_leaves_the_other_open(tmp_path: Path) -> None:
    write(tmp_path, "device_code.tf", block_flow("block_device_code", "deviceCodeFlow"))
    codes = {finding["code"] for finding in findings(tmp_path)}
    assert "CA003" in codes and "CA001" not in codes
