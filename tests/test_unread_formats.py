"""Policies in a format entralint cannot read are announced with the format's name, never skipped in silence."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from linter.loaders.unread import UnreadFormat, unread_format
from tests.conftest import run_cli, write

GRAPH_REQUEST = """\
$url = "https://graph.microsoft.com/v1.0/identity/conditionalAccess/policies"
$body = @{ displayName = "Require MFA"; grantControls = @{ operator = "OR"; builtInControls = @("mfa") } }
Invoke-MgGraphRequest -Method POST -Uri $url -Body ($body | ConvertTo-Json -Depth 5)
"""


@pytest.mark.parametrize(
    ("name", "text", "expected"),
    [
        (
            "tenant.ps1",
            'Node localhost {\n    AADTokenLifetimePolicy "Short"\n    {\n        Ensure = "Present"\n    }\n}\n',
            UnreadFormat("Microsoft365DSC", "AADTokenLifetimePolicy resource blocks", 2, 5),
        ),
        (
            "policy.ps1",
            "$p = @{}\nNew-MgBetaIdentityConditionalAccessPolicy -BodyParameter $p\n",
            UnreadFormat("Microsoft Graph PowerShell", "New-MgBetaIdentityConditionalAccessPolicy calls", 2, 1),
        ),
        (
            "policy.ps1",
            "$p = New-Object Microsoft.Open.MSGraph.Model.ConditionalAccessPolicy\n"
            "New-AzureADMSConditionalAccessPolicy -DisplayName x -Conditions $c\n",
            UnreadFormat("AzureAD PowerShell", "New-AzureADMSConditionalAccessPolicy calls", 2, 1),
        ),
        (
            "create.ps1",
            GRAPH_REQUEST,
            UnreadFormat(
                "Microsoft Graph requests from PowerShell",
                "requests to identity/conditionalAccess/policies",
                1,
                42,
            ),
        ),
        (
            "monitor.json",
            '{"resources": [{"resourceType": "microsoft.entra.conditionalaccesspolicy"}]}',
            UnreadFormat(
                "Unified Tenant Configuration Management", "microsoft.entra.conditionalaccesspolicy resources", 1, 34
            ),
        ),
        # Reading policies (an export script) holds none; nor does a script about something else.
        ("export.ps1", GRAPH_REQUEST.replace("POST", "GET"), None),
        ("groups.ps1", 'New-MgGroup -DisplayName "CA exclusions"\n', None),
    ],
)
def test_unread_format(name: str, text: str, expected: UnreadFormat | None) -> None:
    assert unread_format(name, text) == expected


def report(tmp_path: Path, *paths: str) -> dict[str, Any]:
    result = run_cli(["check", "--isolated", "--format", "json", "--fail-on", "never", *paths], cwd=tmp_path)
    assert result.code == 0, result.stderr
    found: dict[str, Any] = result.json()
    return found


def test_a_given_file_is_announced(tmp_path: Path) -> None:
    write(tmp_path, "create.ps1", GRAPH_REQUEST)
    [notification] = report(tmp_path, "create.ps1")["notifications"]
    assert (notification["path"], notification["level"]) == ("create.ps1", "warning")
    assert notification["message"].startswith("Policies not checked: Microsoft Graph requests from PowerShell")


def test_a_file_only_read_for_its_tenant_is_not_announced(tmp_path: Path) -> None:
    write(tmp_path, "create.ps1", GRAPH_REQUEST)
    write(tmp_path, "require-mfa.json", '{"displayName": "x", "state": "enabled"}')
    (tmp_path / ".git").mkdir()
    notifications = report(tmp_path, "require-mfa.json")["notifications"]
    assert [note for note in notifications if "Policies not checked" in note["message"]] == []


def test_a_configuration_that_only_deletes_policies_is_read_not_announced(tmp_path: Path) -> None:
    write(
        tmp_path,
        "remove.ps1",
        "Configuration Example {\n  node localhost {\n"
        "    AADConditionalAccessPolicy 'Old' {\n      DisplayName = 'Old CAP'\n      Ensure = 'Absent'\n    }\n"
        "  }\n}\n",
    )
    found = report(tmp_path, "remove.ps1")
    assert (found["files"], found["policies"], found["notifications"]) == (1, 0, [])
