"""Each format's own line ends (issue 19, case 2), for parsing and positions alike.

HCL and PowerShell end a line at LF or CRLF (a lone CR is a character: Terraform's scanner keeps it in a
comment), YAML also at a lone CR (and NEL, LS, PS: libyaml), JSON reads CR and LF as white space.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

from linter.loaders import load_text
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


def test_powershell_lines_end_at_lf(tmp_path: Path) -> None:
    script = (
        "# note\r$owner = 'x'\n"
        'New-AzureADPolicy -Definition @(\'{"TokenLifetimePolicy":{"Version":1,"MaxAgeMultiFactor":"soon"}}\')'
        ' -DisplayName "P" -Type "TokenLifetimePolicy"\n'
    )
    (tmp_path / "p.ps1").write_bytes(script.encode())
    report = check_json(tmp_path, "--select", "TL004", "p.ps1")
    assert [(f["code"], f["line"], f["column"]) for f in report["findings"]] == [("TL004", 2, 91)]


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
