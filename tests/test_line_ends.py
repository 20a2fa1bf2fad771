"""Each format's own line ends (issue 19, case 2), for parsing and positions alike.

HCL ends a line at LF or CRLF (a lone CR is comment text, and a syntax error anywhere else: Terraform's
scanner), PowerShell also at a lone CR (its tokenizer), YAML also at a lone CR (and NEL, LS, PS: libyaml),
JSON reads CR and LF as white space.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

from linter.loaders import load_text
from linter.model import Unresolved
from linter.model.findings import Finding, Level, Report
from linter.model.source import Span, decode_text
from linter.reporters.text import write_findings
from tests.conftest import run_cli

POLICY_TF = (
    'resource "azuread_conditional_access_policy" "sif" {\n'
    '  display_name = "Block DCF"\n'
    '  state        = "enabled"\n'
    "  conditions {\n"
    '    client_app_types = ["all"]\n'
    '    users { included_users = ["All"] }\n'
    '    applications { included_applications = ["All"] }\n'
    "{trick}"
    "    locations {\n"
    '      included_locations = ["All"]\n'
    '      excluded_locations = ["AllTrusted"]\n'
    "    }\n"
    "  }\n"
    "  grant_controls {\n"
    '    operator          = "OR"\n'
    '    built_in_controls = ["mfa"]\n'
    "  }\n"
    "}\n"
)


def check_json(directory: Path, *args: str) -> dict[str, Any]:
    result = run_cli(["check", "--isolated", "--format", "json", *args], cwd=directory)
    assert "Traceback" not in result.stderr
    report: dict[str, Any] = result.json()
    return report


def test_a_lone_cr_in_an_hcl_comment_does_not_hide_the_resource(tmp_path: Path) -> None:
    (tmp_path / "main.tf").write_bytes(b"# reviewed by CAB\rx\n" + POLICY_TF.replace("{trick}", "").encode())
    report = check_json(tmp_path, "--select", "IN", "main.tf")
    assert report["policies"] == 1
    assert report["findings"] == []


def test_a_lone_cr_in_an_hcl_comment_does_not_drop_a_nested_block() -> None:
    text = decode_text(POLICY_TF.replace("{trick}", "    # reviewed\rx\n").encode())
    result = load_text("main.tf", text)
    assert result is not None
    assert result.problems == ()
    [document] = result.documents
    assert document.data["conditions"]["locations"] == {
        "includeLocations": ["All"],
        "excludeLocations": ["AllTrusted"],
    }


def test_hcl_positions_count_only_lf(tmp_path: Path) -> None:
    # The lone CR is comment text: the state on line 3 is an IN002 on line 3, not 4.
    text = POLICY_TF.replace("{trick}", "").replace('"enabled"', '"on"').replace("\n", " # a\rb\n", 1)
    (tmp_path / "main.tf").write_bytes(text.encode())
    report = check_json(tmp_path, "--select", "IN002", "main.tf")
    assert [(f["code"], f["line"], f["column"]) for f in report["findings"]] == [("IN002", 3, 18)]


def test_a_lone_cr_in_an_hcl_string_is_in001_where_it_is(tmp_path: Path) -> None:
    # Terraform: "Invalid multi-line string". tree-sitter-hcl read it as white space and dropped it.
    text = 'variable "x" {\n  default = "\ry"\n}\n' + POLICY_TF.replace("{trick}", "")
    (tmp_path / "main.tf").write_bytes(text.encode())
    report = check_json(tmp_path, "--select", "IN001", "main.tf")
    assert [(f["code"], f["line"], f["column"]) for f in report["findings"]] == [("IN001", 2, 14)]
    assert "carriage return inside a quoted string" in report["findings"][0]["message"]


def test_a_lone_cr_between_hcl_tokens_is_in001(tmp_path: Path) -> None:
    # Terraform's white space between tokens is space and tab; a lone CR is "Invalid character".
    text = POLICY_TF.replace("{trick}", "").replace('  state        = "enabled"', '  state =\r"enabled"')
    (tmp_path / "main.tf").write_bytes(text.encode())
    report = check_json(tmp_path, "--select", "IN001", "main.tf")
    assert [(f["code"], f["line"], f["column"]) for f in report["findings"]] == [("IN001", 3, 10)]


def _module_state(directory: Path) -> Any:
    from linter.loaders.hcl.tfvars import forget

    forget()
    main = directory / "main.tf"
    result = load_text(str(main), decode_text(main.read_bytes()))
    assert result is not None
    return result.documents[0].data["state"]


def test_variable_files_read_crlf_as_a_line_end_and_refuse_a_lone_cr(tmp_path: Path) -> None:
    policy = POLICY_TF.replace("{trick}", "").replace('"enabled"', "var.state")
    (tmp_path / "main.tf").write_text('variable "state" {\n  default = "enabled"\n}\n' + policy)
    (tmp_path / "terraform.tfvars").write_bytes(b'# set by CAB\r\nstate = "disabled"\r\n')
    assert _module_state(tmp_path) == "disabled"
    # Terraform stops at a variable file it cannot parse: what it assigns is unknown, not the default.
    (tmp_path / "terraform.tfvars").write_bytes(b'state = "dis\rabled"\n')
    assert _module_state(tmp_path) == Unresolved("var.state")
    (tmp_path / "terraform.tfvars").write_bytes(b'# set by CAB\rstate = "disabled"\n')  # all one comment
    assert _module_state(tmp_path) == "enabled"


# PowerShell ends a line at CR, LF or CRLF: its tokenizer's line map, line comments and new-line tokens
# (PowerShell/PowerShell engine/parser/tokenizer.cs; the language specification's new-line-character).
TOKEN_POLICY_PS1 = (
    'New-AzureADPolicy -Definition @(\'{"TokenLifetimePolicy":{"Version":1,"MaxAgeMultiFactor":"soon"}}\')'
    ' -DisplayName "P" -Type "TokenLifetimePolicy"\n'
)


def test_powershell_positions_count_a_lone_cr_as_a_line_end(tmp_path: Path) -> None:
    (tmp_path / "p.ps1").write_bytes(("# note\r$owner = 'x'\n" + TOKEN_POLICY_PS1).encode())
    report = check_json(tmp_path, "--select", "TL004", "p.ps1")
    assert [(f["code"], f["line"], f["column"]) for f in report["findings"]] == [("TL004", 3, 91)]


def test_a_lone_cr_ends_a_powershell_comment() -> None:
    # PowerShell runs the cmdlet after the CR: read as comment text, the policy would go unchecked.
    result = load_text("p.ps1", decode_text(("# reviewed by CAB\r" + TOKEN_POLICY_PS1).encode()))
    assert result is not None
    assert [(document.name, document.line) for document in result.documents] == [("P", 2)]


def test_a_lone_cr_inside_a_powershell_string_stays_in_its_value() -> None:
    text = TOKEN_POLICY_PS1.replace('-DisplayName "P"', "-DisplayName 'P\rQ'")
    result = load_text("p.ps1", text)
    assert result is not None
    [document] = result.documents
    assert document.data["displayName"] == "P\rQ"
    assert document.line == 1


def test_a_lone_cr_ends_a_line_of_a_powershell_here_string() -> None:
    text = TOKEN_POLICY_PS1.replace('-DisplayName "P"', "-DisplayName @'\rP\rQ\r'@")
    result = load_text("p.ps1", text)
    assert result is not None
    [document] = result.documents
    assert document.data["displayName"] == "P\rQ"


def test_powershell_suppression_comment_lines_count_a_lone_cr(tmp_path: Path) -> None:
    text = "# a\r# entralint: ignore[TL004] reviewed\r" + TOKEN_POLICY_PS1
    (tmp_path / "p.ps1").write_bytes(text.encode())
    report = check_json(tmp_path, "--select", "TL004", "p.ps1")
    assert [(f["code"], f["line"], f["suppression"] is not None) for f in report["findings"]] == [("TL004", 3, True)]


M365DSC_POLICY = (
    "Configuration M365TenantConfig\n{\n    Node localhost\n    {\n"
    "        AADConditionalAccessPolicy 'BlockLegacy'\n        {\n"
    "            DisplayName = 'Block legacy'\n            State = 'on'\n"
    "            IncludeUsers = @('All')\n            IncludeApplications = @('All')\n"
    "            ClientAppTypes = @('exchangeActiveSync', 'other')\n            BuiltInControls = @('block')\n"
    "            GrantControlOperator = 'OR'\n            Ensure = 'Present'\n        }\n    }\n}\n"
)


def test_microsoft365dsc_lone_cr_line_ends_for_parsing_and_positions(tmp_path: Path) -> None:
    # Every LF a lone CR: PowerShell reads the same configuration, with the same lines.
    (tmp_path / "m365.ps1").write_bytes(("# exported\r" + M365DSC_POLICY.replace("\n", "\r")).encode())
    report = check_json(tmp_path, "--select", "IN002", "m365.ps1")
    assert report["policies"] == 1
    assert [(f["code"], f["line"], f["column"]) for f in report["findings"]] == [("IN002", 9, 21)]


def test_yaml_lone_cr_suppression_comment_counts_yaml_lines(tmp_path: Path) -> None:
    # libyaml ends lines at a lone CR; the suppression comment's line must be counted the same way.
    text = (
        "displayName: P\r"
        "# entralint: ignore[IN002] state is templated\r"
        "state: on-ish\r"
        "conditions: {users: {includeUsers: [All]}, applications: {includeApplications: [All]}}\r"
        "grantControls: {operator: OR, builtInControls: [mfa]}\r"
    )
    (tmp_path / "p.yaml").write_bytes(text.encode())
    report = check_json(tmp_path, "--select", "IN002,IN004", "p.yaml")
    assert [(f["code"], f["line"], f["suppression"] is not None) for f in report["findings"]] == [("IN002", 3, True)]


def test_json_lone_cr_is_white_space(tmp_path: Path) -> None:
    text = '{"displayName": "P",\r"state": "on",\n"conditions": {}, "grantControls": {}}'
    (tmp_path / "p.json").write_bytes(text.encode())
    report = check_json(tmp_path, "--select", "IN002", "p.json")
    assert [(f["code"], f["line"], f["column"]) for f in report["findings"]] == [("IN002", 1, 31)]


def test_text_excerpt_shows_the_line_the_format_counts(tmp_path: Path) -> None:
    # A form feed and a lone CR are characters in HCL: str.splitlines would have shifted the excerpt.
    (tmp_path / "main.tf").write_bytes(b"a = 1 # x\x0cy\rz\nstate = 2\n")
    finding = Finding("IN002", Level.ERROR, "m", str(tmp_path / "main.tf"), Span(2, 9, 2, 10))
    report = Report((finding,), (finding.path,), 1, (), {})
    out = io.StringIO()
    write_findings(report, out, excerpts=True)
    assert out.getvalue().splitlines()[1:] == ["    2 | state = 2", "                ^"]


def test_text_excerpt_of_a_powershell_file_counts_a_lone_cr(tmp_path: Path) -> None:
    (tmp_path / "p.ps1").write_bytes(b"# note\r$state = 'on'\n")
    finding = Finding("IN002", Level.ERROR, "m", str(tmp_path / "p.ps1"), Span(2, 10, 2, 14))
    report = Report((finding,), (finding.path,), 1, (), {})
    out = io.StringIO()
    write_findings(report, out, excerpts=True)
    assert out.getvalue().splitlines()[1:] == ["    2 | $state = 'on'", "                 ^^^^"]
