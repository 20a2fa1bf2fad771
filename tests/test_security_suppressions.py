"""Issue 19 case 4: suppressions are comments as each format's tokenizer reads them, never text in strings;
tenant findings are suppressed only by the configuration's tenant-ignores, with a reason."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from linter.engine.suppression_sources import find_comments
from tests.conftest import FIXTURES, run_cli, write

CASES = FIXTURES / "cli" / "suppressions"
YAML_POLICY = (CASES / "no_reason.yaml").read_text(encoding="utf-8").replace("  # entralint: ignore[CA002]", "")
HCL_POLICY = (
    (CASES / "hcl_policy_first_line.tf")
    .read_text(encoding="utf-8")
    .replace(" # entralint: ignore[CA002] device registration moved to Autopilot", "")
)
POWERSHELL = (CASES / "powershell_line_above.ps1").read_text(encoding="utf-8").split("\n", 1)[1]


def findings(root: Path, select: str = "CA002,IN", *args: str) -> list[tuple[Any, ...]]:
    result = run_cli(["check", "--format", "json", "--select", select, *args, "."], cwd=root)
    assert "Traceback" not in result.stderr
    return [
        (entry["code"], entry["path"], entry["line"], entry.get("suppression", {}).get("kind"))
        for entry in result.json()["findings"]
    ]


@pytest.mark.parametrize(
    "hidden",
    [
        'displayName: "Block DCF # entralint: ignore[CA] approved"\n',
        "displayName: 'Block DCF # entralint: ignore[CA] approved'\n",
        "displayName: >-\n  Block DCF\n  # entralint: ignore[CA] approved\n",
        "description: |\n  # entralint: ignore[CA] approved\ndisplayName: Block device code flow\n",
        'displayName: "Block DCF\n  # entralint: ignore[CA] approved"\n',
    ],
)
def test_yaml_text_inside_a_scalar_suppresses_nothing(tmp_path: Path, hidden: str) -> None:
    policy = YAML_POLICY.replace("displayName: Block device code flow\n", hidden)
    write(tmp_path, "policy.yaml", policy)
    assert [(code, suppressed) for code, _, _, suppressed in findings(tmp_path)] == [("CA002", None)]


def test_yaml_comment_after_a_plain_scalar_with_a_quote_still_suppresses(tmp_path: Path) -> None:
    policy = YAML_POLICY.replace(
        "displayName: Block device code flow\n",
        "displayName: Don't allow device code  # entralint: ignore[CA002] retired with CHG-4711\n",
    )
    write(tmp_path, "policy.yaml", policy)
    assert [(code, suppressed) for code, _, _, suppressed in findings(tmp_path)] == [("CA002", "inSource")]


@pytest.mark.parametrize(
    "above",
    [
        'locals { note = "# entralint: ignore[CA] approved" }\n',
        'locals { note = "// entralint: ignore[CA] approved" }\n',
        "locals {\n  note = <<EOT\n# entralint: ignore[CA] approved\nEOT\n}\n",
    ],
)
def test_hcl_text_inside_a_string_or_heredoc_suppresses_nothing(tmp_path: Path, above: str) -> None:
    write(tmp_path, "main.tf", above + HCL_POLICY)
    assert [(code, suppressed) for code, _, _, suppressed in findings(tmp_path)] == [("CA002", None)]


@pytest.mark.parametrize(
    "above",
    [
        "# entralint: ignore[CA002] moved\n",
        "// entralint: ignore[CA002] moved\n",
        "/* entralint: ignore[CA002] moved */\n",
    ],
)
def test_hcl_comments_of_every_kind_suppress(tmp_path: Path, above: str) -> None:
    write(tmp_path, "main.tf", above + HCL_POLICY)
    assert [(code, suppressed) for code, _, _, suppressed in findings(tmp_path)] == [("CA002", "inSource")]


@pytest.mark.parametrize(
    ("above", "suppressed"),
    [
        ('$note = "# entralint: ignore[TL001] approved"\n', None),
        ("$note = '# entralint: ignore[TL001] approved'\n", None),
        ("$note = @'\n# entralint: ignore[TL001] approved\n'@\n", None),
        ("<# entralint: ignore[TL001] repaired by the service desk #>\n", "inSource"),
        ("<#\n  reviewed\n#> # entralint: ignore[TL001] repaired by the service desk\n", "inSource"),
    ],
)
def test_powershell_strings_never_suppress_comments_do(tmp_path: Path, above: str, suppressed: str | None) -> None:
    write(tmp_path, "policy.ps1", above + POWERSHELL)
    assert [(code, kind) for code, _, _, kind in findings(tmp_path, "TL001")] == [("TL001", suppressed)]


def test_powershell_block_comment_reason_drops_the_closing_mark() -> None:
    [comment] = find_comments("<# entralint: ignore[TL001] repaired by the service desk #>\n", "powershell")
    assert (comment.codes, comment.reason) == (("TL001",), "repaired by the service desk")


TENANT_POLICY = YAML_POLICY.replace("state: enabled", "state: enabledForReportingButNotEnforced")


def test_a_comment_in_a_file_sorting_first_does_not_suppress_tenant_findings(tmp_path: Path) -> None:
    harmless = (
        "displayName: Require MFA\nstate: enabled\nconditions:\n  users: {includeUsers: [All]}\n"
        "  applications: {includeApplications: [All]}\ngrantControls: {operator: OR, builtInControls: [mfa]}\n"
    )
    write(tmp_path, "policy.yaml", harmless)
    write(tmp_path, "0-first.yaml", "# entralint: ignore[CA,TL] all reviewed\n" + harmless.replace("MFA", "MFA 2"))
    found = findings(tmp_path, "CA001,IN")
    assert ("CA001", "0-first.yaml", 1, None) in found, "the tenant finding is anchored at the new file's top"
    assert all(kind is None for *_, kind in found)


def test_a_comment_naming_only_tenant_rules_is_reported(tmp_path: Path) -> None:
    write(tmp_path, "policy.yaml", "# entralint: ignore[CA001] kiosks\n" + TENANT_POLICY)
    result = run_cli(["check", "--format", "json", "--select", "CA001,IN", "."], cwd=tmp_path)
    found = [(entry["code"], entry["line"], entry.get("suppression")) for entry in result.json()["findings"]]
    assert ("IN004", 1, None) in found
    assert [code for code, _, suppression in found if suppression is not None] == []
    [message] = [entry["message"] for entry in result.json()["findings"] if entry["code"] == "IN004"]
    assert "tenant-wide rules (CA001)" in message
    assert "tenant-ignores" in message


def test_tenant_ignores_suppress_tenant_findings_with_their_reason(tmp_path: Path) -> None:
    write(tmp_path, "policy.yaml", TENANT_POLICY)
    write(tmp_path, ".entralint.toml", '[tenant-ignores]\nCA001 = "kiosks until CHG-4711"\n')
    result = run_cli(["check", "--format", "json", "--select", "CA001,CA002", "."], cwd=tmp_path)
    suppressions = {entry["code"]: entry.get("suppression") for entry in result.json()["findings"]}
    assert suppressions["CA001"] == {"kind": "external", "justification": "kiosks until CHG-4711"}


def test_tenant_ignores_need_a_reason(tmp_path: Path) -> None:
    write(tmp_path, "policy.yaml", TENANT_POLICY)
    write(tmp_path, ".entralint.toml", '[tenant-ignores]\nCA001 = ""\n')
    result = run_cli(["check", "."], cwd=tmp_path)
    assert result.code == 2
    assert "tenant-ignores.CA001" in result.stderr
