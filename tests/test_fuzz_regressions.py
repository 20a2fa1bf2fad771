"""Inputs the fuzzers (fuzz/fuzz_loaders.py) found crashing entralint, each reduced to its cause."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from linter.loaders import load_text
from tests.conftest import CORPUS, needs_shared, run_cli

DYNAMIC_GRANT = """\
resource "azuread_conditional_access_policy" "module_policy" {
  display_name = var.name
  state        = var.state
  conditions {
    applications {
      included_applications = ["All"]
    }
    users {
      included_users = ["All"]
    }
    client_app_types = ["all"]
  }
  dynamic "grant_controls" {
    for_each = var.grant_controls
    content {
      operator          = grant_controls.value.operator
      built_in_controls = grant_controls.value.built_in_controls
    }
  }
}
"""


def test_rules_survive_a_grant_that_is_a_dynamic_block(tmp_path: Path) -> None:
    (tmp_path / "main.tf").write_text(DYNAMIC_GRANT, encoding="utf-8")
    result = run_cli(["check", "--isolated", "--format", "json", "main.tf"], cwd=tmp_path)
    assert result.code in (0, 1), result.stderr
    assert result.json()["notifications"] == []


def test_lone_carriage_returns_end_lines_everywhere(tmp_path: Path) -> None:
    # libyaml counts a lone CR as a line end; so do SARIF viewers. Spans must agree.
    text = "displayName: CR only\rstate: enable\rconditions: {}\rgrantControls: {}\r"
    (tmp_path / "cr.yaml").write_bytes(text.encode())
    result = run_cli(["check", "--isolated", "--select", "IN", "--format", "json", "cr.yaml"], cwd=tmp_path)
    [finding] = result.json()["findings"]
    assert (finding["code"], finding["line"], finding["column"]) == ("IN002", 2, 8)


def test_yaml_error_after_lone_carriage_returns_is_inside_the_file(tmp_path: Path) -> None:
    text = "conditions:\r  users: {}\rgrantControls:\r  - [\r"
    (tmp_path / "bad.yaml").write_bytes(text.encode())
    result = run_cli(["check", "--isolated", "--select", "IN", "--format", "json", "bad.yaml"], cwd=tmp_path)
    [finding] = result.json()["findings"]
    assert finding["code"] == "IN001"
    assert 1 <= finding["line"] <= 5


def test_output_to_a_device_writes_through_it(tmp_path: Path) -> None:
    # Renaming a temporary file over /dev/null would, as root, replace the device with a file.
    (tmp_path / "p.json").write_text('{"displayName": "x", "conditions": {}, "grantControls": {}}', encoding="utf-8")
    result = run_cli(["check", "--isolated", "--output", "/dev/null", "p.json"], cwd=tmp_path)
    assert result.code in (0, 1)
    assert Path("/dev/null").is_char_device()


def test_yaml_error_at_the_end_of_a_file_without_a_final_line_end_is_inside_it(tmp_path: Path) -> None:
    # Found by tests/test_properties.py: libyaml put the error on the line after the last one.
    (tmp_path / "cut.yaml").write_bytes(b"grantControls: {}\nconditions:\n  users: {}\n  plat")
    result = run_cli(["check", "--isolated", "--select", "IN", "--format", "json", "cut.yaml"], cwd=tmp_path)
    [finding] = result.json()["findings"]
    assert (finding["code"], finding["line"], finding["column"]) == ("IN001", 4, 6)


SELF_CONTAINING_POLICY = """\
$policy = [Microsoft.Graph.PowerShell.Models.MicrosoftGraphConditionalAccessPolicy]::new()
$policy.DisplayName = 'Require MFA'
$policy.Conditions.ClientAppTypes = $policy
New-MgIdentityConditionalAccessPolicy -BodyParameter $policy
"""


def test_a_graph_sdk_object_that_contains_itself_is_a_parse_error(tmp_path: Path) -> None:
    # Found by the graph-sdk fuzzer: reading the body out as a tree recursed until RecursionError.
    (tmp_path / "p.ps1").write_text(SELF_CONTAINING_POLICY, encoding="utf-8")
    result = run_cli(["check", "--isolated", "--select", "IN", "--format", "json", "p.ps1"], cwd=tmp_path)
    assert result.code == 1, result.stderr
    [finding] = result.json()["findings"]
    assert (finding["code"], finding["line"]) == ("IN001", 1)
    assert "contains itself" in finding["message"]
    assert result.json()["notifications"] == []


def test_variables_doubling_per_line_stop_at_the_expansion_budget(tmp_path: Path) -> None:
    # Each variable is one node wherever it is used: 40 lines of `$aN = @($aM, $aM)` are 2^40 values as a tree.
    lines = ["$a0 = @('all')", *(f"$a{n} = @($a{n - 1}, $a{n - 1})" for n in range(1, 40))]
    call = "New-MgIdentityConditionalAccessPolicy -DisplayName 'p' -State enabled -Conditions @{ClientAppTypes = $a39}"
    (tmp_path / "p.ps1").write_text("\n".join([*lines, call]) + "\n", encoding="utf-8")
    result = run_cli(["check", "--isolated", "--select", "IN", "--format", "json", "p.ps1"], cwd=tmp_path)
    [finding] = result.json()["findings"]
    assert (finding["code"], finding["line"]) == ("IN001", 41)
    assert "expand to too many values" in finding["message"]


def test_a_body_nested_through_variables_is_a_parse_error(tmp_path: Path) -> None:
    # Nesting through variables passes the parser's bracket limit: the tree readers recursed past the stack.
    lines = ["$v0 = @{a = 'all'}", *(f"$v{n} = @{{a = $v{n - 1}}}" for n in range(1, 1200))]
    call = (
        "New-MgIdentityConditionalAccessPolicy -DisplayName 'p' -State enabled -Conditions @{ClientAppTypes = $v1199}"
    )
    (tmp_path / "p.ps1").write_text("\n".join([*lines, call]) + "\n", encoding="utf-8")
    result = run_cli(["check", "--isolated", "--select", "IN", "--format", "json", "p.ps1"], cwd=tmp_path)
    [finding] = result.json()["findings"]
    assert (finding["code"], finding["line"]) == ("IN001", 1201)
    assert "nested too deeply" in finding["message"]


def test_a_script_ending_in_an_at_sign_or_dollar_is_read() -> None:
    # Found by the graph-sdk fuzzer: `"" in "({"` is true, so a last `@` became a token kind of its own.
    for text in ("New-MgIdentityConditionalAccessPolicy -DisplayName 'p' @", "$x = 1\n$"):
        result = load_text("end.ps1", text)
        assert result is None or all(problem.code in ("IN001", "IN002") for problem in result.problems)


# 46 policies naming a dozen roles and guests: the users condition of every guest policy was evaluated anew for
# every candidate user under every role (graph-json fuzzer's "slow unit": the corpus file itself, unmutated).
MANY_ROLES_AND_GUESTS = "graph-json/denis-beuermann__ConditionalAccess__archive__20241201-Policies.json"


@needs_shared("corpus/" + MANY_ROLES_AND_GUESTS)
def test_a_tenant_naming_many_roles_and_guests_is_checked_in_bounded_time() -> None:
    command = [sys.executable, "-m", "linter", "check", "--isolated", "--format", "json", "--jobs", "1"]
    try:
        process = subprocess.run(
            [*command, str(CORPUS / MANY_ROLES_AND_GUESTS)], capture_output=True, text=True, timeout=240, check=False
        )
    except subprocess.TimeoutExpired:
        pytest.fail("a 46-policy tenant took over 240 s (12 s of CPU before the fix, 3.5 s after)")
    assert process.returncode in (0, 1), process.stderr
    assert "Traceback" not in process.stderr
