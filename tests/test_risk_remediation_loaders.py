"""Every loader that can write a Conditional Access grant reads `riskRemediation`, so CA014 counts it as remediation."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import run_cli

Writer = Callable[[list[str]], str]


def graph_body(controls: list[str]) -> dict[str, object]:
    return {
        "displayName": "High user risk",
        "state": "enabled",
        "conditions": {
            "userRiskLevels": ["high"],
            "users": {"includeUsers": ["All"]},
            "applications": {"includeApplications": ["All"]},
        },
        "grantControls": {"operator": "AND", "builtInControls": controls},
    }


def hcl_list(controls: list[str]) -> str:
    return json.dumps(controls)


def azuread_hcl(controls: list[str]) -> str:
    return f"""resource "azuread_conditional_access_policy" "user_risk" {{
  display_name = "High user risk"
  state        = "enabled"
  conditions {{
    client_app_types = ["all"]
    user_risk_levels = ["high"]
    applications {{
      included_applications = ["All"]
    }}
    users {{
      included_users = ["All"]
    }}
  }}
  grant_controls {{
    operator          = "AND"
    built_in_controls = {hcl_list(controls)}
  }}
}}
"""


def microsoft365_hcl(controls: list[str]) -> str:
    return f"""resource "microsoft365_graph_beta_identity_and_access_conditional_access_policy" "user_risk" {{
  display_name = "High user risk"
  state        = "enabled"
  conditions = {{
    client_app_types = ["all"]
    user_risk_levels = ["high"]
    applications = {{
      include_applications = ["All"]
    }}
    users = {{
      include_users = ["All"]
    }}
  }}
  grant_controls = {{
    operator          = "AND"
    built_in_controls = {hcl_list(controls)}
  }}
}}
"""


def msgraph_hcl(controls: list[str]) -> str:
    return f"""resource "msgraph_resource" "user_risk" {{
  url         = "identity/conditionalAccess/policies"
  api_version = "beta"
  body = jsonencode({{
    displayName = "High user risk"
    state       = "enabled"
    conditions = {{
      userRiskLevels = ["high"]
      users          = {{ includeUsers = ["All"] }}
      applications   = {{ includeApplications = ["All"] }}
    }}
    grantControls = {{ operator = "AND", builtInControls = {hcl_list(controls)} }}
  }})
}}
"""


def azuread_tf_json(controls: list[str]) -> str:
    policy = {
        "display_name": "High user risk",
        "state": "enabled",
        "conditions": [
            {
                "client_app_types": ["all"],
                "user_risk_levels": ["high"],
                "applications": [{"included_applications": ["All"]}],
                "users": [{"included_users": ["All"]}],
            }
        ],
        "grant_controls": [{"operator": "AND", "built_in_controls": controls}],
    }
    return json.dumps({"resource": {"azuread_conditional_access_policy": {"user_risk": policy}}})


def powershell_list(controls: list[str]) -> str:
    return ", ".join(f"'{control}'" for control in controls)


def m365dsc(controls: list[str]) -> str:
    return f"""Configuration ConditionalAccess
{{
    Import-DscResource -ModuleName Microsoft365DSC
    Node localhost
    {{
        AADConditionalAccessPolicy 'UserRisk'
        {{
            DisplayName          = 'High user risk'
            State                = 'Enabled'
            IncludeApplications  = @('All')
            IncludeUsers         = @('All')
            UserRiskLevels       = @('high')
            GrantControlOperator = 'AND'
            BuiltInControls      = @({powershell_list(controls)})
            Ensure               = 'Present'
        }}
    }}
}}
"""


def dsc_data(controls: list[str]) -> str:
    return f"""Items:
  - DisplayName: High user risk
    State: enabled
    IncludeUsers: [All]
    IncludeApplications: [All]
    UserRiskLevels: [high]
    GrantControlOperator: AND
    BuiltInControls: {json.dumps(controls)}
"""


def graph_powershell(controls: list[str]) -> str:
    return f"""$params = @{{
    displayName = 'High user risk'
    state = 'enabled'
    conditions = @{{
        userRiskLevels = @('high')
        users = @{{ includeUsers = @('All') }}
        applications = @{{ includeApplications = @('All') }}
    }}
    grantControls = @{{ operator = 'AND'; builtInControls = @({powershell_list(controls)}) }}
}}
New-MgIdentityConditionalAccessPolicy -BodyParameter $params
"""


def arm_graph_extension(controls: list[str]) -> str:
    template = {
        "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
        "languageVersion": "2.1-experimental",
        "contentVersion": "1.0.0.0",
        "imports": {"microsoftGraph": {"provider": "MicrosoftGraph", "version": "1.0.0"}},
        "resources": {
            "userRisk": {
                "import": "microsoftGraph",
                "type": "Microsoft.Graph/identity/conditionalAccess/policies",
                "apiVersion": "beta",
                "properties": graph_body(controls),
            }
        },
    }
    return json.dumps(template)


FORMATS: list[tuple[str, str, Writer]] = [
    ("graph-json", "policy.json", lambda controls: json.dumps(graph_body(controls))),
    ("terraform-azuread", "main.tf", azuread_hcl),
    ("terraform-azuread-json", "main.tf.json", azuread_tf_json),
    ("terraform-microsoft365", "main.tf", microsoft365_hcl),
    ("terraform-msgraph", "main.tf", msgraph_hcl),
    ("microsoft365dsc", "ConditionalAccess.ps1", m365dsc),
    ("microsoft365dsc-data", "AADConditionalAccessPolicy.yml", dsc_data),
    ("graph-powershell", "policy.ps1", graph_powershell),
    ("arm-graph-extension", "azuredeploy.json", arm_graph_extension),
]


def ca014_messages(directory: Path) -> list[str]:
    result = run_cli(["check", "--isolated", "--select", "CA014", "--format", "json", str(directory)], cwd=directory)
    assert result.code in (0, 1), result.stderr
    report = result.json()
    assert report["policies"] == 1, "the loader read no policy"
    return [finding["message"] for finding in report["findings"]]


@pytest.mark.parametrize(("name", "writer"), [(f[1], f[2]) for f in FORMATS], ids=[f[0] for f in FORMATS])
def test_risk_remediation_is_read_by_every_loader(name: str, writer: Writer, tmp_path: Path) -> None:
    remediated, challenged = tmp_path / "remediated", tmp_path / "challenged"
    for directory, controls in ((remediated, ["riskRemediation"]), (challenged, ["mfa"])):
        directory.mkdir()
        (directory / name).write_text(writer(controls), encoding="utf-8")
    assert ca014_messages(remediated) == []
    # The same document with MFA alone is a finding, so the silence above is the control read, not a policy missed.
    [message] = ca014_messages(challenged)
    assert message.startswith("Users at high user risk are not made to remediate it.")
