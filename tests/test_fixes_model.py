"""Issue 22: fixes carried by findings, applied by `check --fix` (byte-exact, proven, rolled back), shown everywhere."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from linter.cli import main
from linter.engine.apply_fixes import FileFixes, apply_edits, fix_files, relinter, write_atomically
from linter.engine.config import Config, load_config
from linter.engine.ruleset import build_ruleset
from linter.engine.run import lint
from linter.model.findings import Finding, Level, Report
from linter.model.fixes import APPEND, Applicability, Change, Edit, Fix, FixRequest
from linter.model.source import Span
from tests.conftest import FIXTURES

GOLDEN = FIXTURES / "fixes" / "CA002"
# The JSON cases (`.tf.json` and the other formats are in tests/test_rule_fixes.py, which runs them all).
INPUTS = sorted(path for path in GOLDEN.glob("*.json") if ".fixed." not in path.name and "." not in path.stem)
SARIF_VALIDATE = Path(__file__).resolve().parents[2] / "shared" / "tools" / "sarif-validate"
DRS = "01cb2876-7ebd-4aa4-9cc9-d28bd4d359a9"


def _check(tmp_path: Path, *args: str) -> int:
    previous = Path.cwd()
    os.chdir(tmp_path)
    try:
        return main(["check", "--isolated", "--select", "CA002", *args])
    finally:
        os.chdir(previous)


def _report(path: Path, config: Config | None = None) -> Report:
    config = config or load_config(None, isolated=True, cwd=path.parent)._replace(select=("CA002",))
    ruleset = build_ruleset(config)
    return lint([str(path)], config, ruleset, lambda: ruleset, jobs=1, cwd=path.parent)


@pytest.mark.parametrize("source", INPUTS, ids=lambda path: path.stem)
def test_fix_writes_the_golden_bytes_removes_the_finding_and_changes_nothing_the_second_time(
    tmp_path: Path, source: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / source.name
    shutil.copyfile(source, target)
    assert _check(tmp_path, source.name) == 1
    assert "CA002 [*] [warning]" in capsys.readouterr().out
    assert _check(tmp_path, "--fix", source.name) == 0
    assert target.read_bytes() == (GOLDEN / f"{source.stem}.fixed.json").read_bytes()
    assert "Fixed 1 finding." in capsys.readouterr().out
    assert _check(tmp_path, "--fix", source.name) == 0
    assert target.read_bytes() == (GOLDEN / f"{source.stem}.fixed.json").read_bytes()
    assert "CA002" not in capsys.readouterr().out
    assert [path.name for path in tmp_path.iterdir()] == [source.name]  # no temporary file left behind


def test_diff_prints_the_change_writes_nothing_and_exits_1_only_when_there_is_one(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    shutil.copyfile(GOLDEN / "key-absent.json", tmp_path / "policy.json")
    before = (tmp_path / "policy.json").read_bytes()
    assert _check(tmp_path, "--diff", "policy.json") == 1
    out = capsys.readouterr().out
    assert out.startswith("--- a/policy.json\n+++ b/policy.json\n")
    assert f'+      "excludeApplications": ["{DRS}"]\n' in out
    assert (tmp_path / "policy.json").read_bytes() == before
    shutil.copyfile(GOLDEN / "key-absent.fixed.json", tmp_path / "policy.json")
    assert _check(tmp_path, "--diff", "policy.json") == 0
    assert capsys.readouterr().out == ""


def test_fix_only_and_show_fixes_list_what_was_fixed(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    shutil.copyfile(GOLDEN / "block-list.json", tmp_path / "policy.json")
    assert _check(tmp_path, "--fix-only", "--show-fixes", "policy.json") == 0
    assert (
        capsys.readouterr().out
        == "Fixed 1 finding:\n- policy.json:\n    1 × CA002 (device-registration-not-excluded)\n"
    )


def test_config_keys_decide_which_fixes_apply(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    shutil.copyfile(GOLDEN / "key-absent.json", tmp_path / "policy.json")
    before = (tmp_path / "policy.json").read_bytes()
    config = tmp_path / ".entralint.toml"
    config.write_text('select = ["CA002"]\nunfixable = ["CA"]\n', encoding="utf-8")
    assert main(["check", "--config", str(config), "--fix", str(tmp_path / "policy.json")]) == 1
    assert (tmp_path / "policy.json").read_bytes() == before
    assert "[*]" not in capsys.readouterr().out
    config.write_text('select = ["CA002"]\nextend-unsafe-fixes = ["CA002"]\n', encoding="utf-8")
    assert main(["check", "--config", str(config), "--fix", str(tmp_path / "policy.json")]) == 1
    assert (tmp_path / "policy.json").read_bytes() == before
    assert "1 hidden fix can be enabled with the `--unsafe-fixes` option" in capsys.readouterr().out
    assert main(["check", "--config", str(config), "--fix", "--unsafe-fixes", str(tmp_path / "policy.json")]) == 0
    assert (tmp_path / "policy.json").read_bytes() == (GOLDEN / "key-absent.fixed.json").read_bytes()
    config.write_text('fixable = ["TL"]\n', encoding="utf-8")
    assert load_config(config).fixable == ("TL",)


def test_fixable_config_values_are_checked(tmp_path: Path) -> None:
    from linter.engine.config import ConfigError

    config = tmp_path / ".entralint.toml"
    config.write_text('extend-safe-fixes = ["not a code"]\n', encoding="utf-8")
    with pytest.raises(ConfigError, match="extend-safe-fixes"):
        load_config(config)


def _with_fix(report: Report, edits: tuple[Edit, ...]) -> Report:
    [finding] = report.findings
    return report._replace(findings=(finding._replace(fix=Fix(Applicability.SAFE, "test", edits)),))


def _fix(path: Path, report: Report, relint: object = None) -> FileFixes:
    config = load_config(None, isolated=True, cwd=path.parent)._replace(select=("CA002",))
    ruleset = build_ruleset(config)
    real = relinter(config, ruleset, lambda: ruleset, path.parent)
    [result], refused = fix_files(report, relint or real, path.parent)  # type: ignore[arg-type]
    assert refused == []
    return result


def test_a_fix_that_breaks_parsing_is_rolled_back(tmp_path: Path) -> None:
    path = tmp_path / "policy.json"
    shutil.copyfile(GOLDEN / "key-absent.json", path)
    before = path.read_bytes()
    result = _fix(path, _with_fix(_report(path), (Edit(str(path), Span(1, 1, 1, 1), "garbage"),)))
    assert result.applied == ()
    [(finding, why)] = result.rolled_back
    assert finding.code == "CA002" and why == "the fixed file does not load (IN001), or entralint failed on it"
    assert path.read_bytes() == before


def test_a_fix_that_leaves_its_finding_is_rolled_back(tmp_path: Path) -> None:
    path = tmp_path / "policy.json"
    shutil.copyfile(GOLDEN / "key-absent.json", path)
    before = path.read_bytes()
    result = _fix(path, _with_fix(_report(path), (Edit(str(path), Span(1, 2, 1, 2), " "),)))
    assert [why for _, why in result.rolled_back] == ["the fix did not make CA002 go away"]
    assert path.read_bytes() == before


def test_a_fix_that_adds_a_finding_is_rolled_back(tmp_path: Path) -> None:
    path = tmp_path / "policy.json"
    shutil.copyfile(GOLDEN / "key-absent.json", path)
    before = path.read_bytes()
    report = _report(path)
    added = Finding("CA999", Level.WARNING, "new", report.findings[0].path, Span(2, 1, 2, 2))

    def relint(_path: str, data: bytes) -> tuple[list[Finding], bool]:
        return ([added] if data != before else []), False  # the unchanged file gives no CA999

    result = _fix(path, report, relint)
    assert [why for _, why in result.rolled_back] == ["the fix adds a finding: CA999 at line 2 (new)"]
    assert path.read_bytes() == before


def test_overlapping_fixes_keep_the_first_and_the_rest_wait_for_the_next_round(tmp_path: Path) -> None:
    path = tmp_path / "policy.json"
    shutil.copyfile(GOLDEN / "key-absent.json", path)
    [finding] = _report(path).findings
    assert finding.fix is not None
    twin = finding._replace(pointer="/other", fix=finding.fix._replace(description="twin"))
    report = Report((finding, twin), (finding.path,), 1, (), {})
    result = _fix(path, report)
    # The twin's edit is at the same place: after the first, the re-lint shows no finding to fix any more.
    assert [applied.fix.description for applied in result.applied if applied.fix] == [finding.fix.description]
    assert path.read_bytes() == (GOLDEN / "key-absent.fixed.json").read_bytes()


def test_apply_edits_keeps_crlf_and_yaml_line_breaks() -> None:
    text = "a\r\nb\r\nc"
    assert apply_edits(text, [Edit("x", Span(2, 2, 2, 2), "\nB")]) == "a\r\nb\r\nB\r\nc"
    assert apply_edits("a\rb\nc", [Edit("x.yaml", Span(2, 1, 2, 2), "X")], yaml=True) == "a\rX\nc"
    assert apply_edits("a\rb\nc", [Edit("x.json", Span(2, 1, 2, 2), "X")]) == "a\rb\nX"


def test_write_atomically_keeps_the_mode_and_leaves_no_temporary_file(tmp_path: Path) -> None:
    path = tmp_path / "policy.json"
    path.write_bytes(b"{}")
    path.chmod(0o640)
    write_atomically(str(path), b'{"a": 1}')
    assert path.read_bytes() == b'{"a": 1}'
    assert path.stat().st_mode & 0o777 == 0o640
    assert [entry.name for entry in tmp_path.iterdir()] == ["policy.json"]


def test_write_atomically_takes_a_file_name_at_the_file_system_limit(tmp_path: Path) -> None:
    # A corpus file name of 236 characters made the temporary name longer than 255: --fix exited 2.
    path = tmp_path / f"{'n' * 250}.json"
    path.write_bytes(b"{}")
    write_atomically(str(path), b'{"a": 1}')
    assert path.read_bytes() == b'{"a": 1}'
    assert [entry.name for entry in tmp_path.iterdir()] == [path.name]


def test_a_link_out_of_the_tree_is_never_written_through(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    outside, tree = tmp_path / "outside", tmp_path / "tree"
    outside.mkdir()
    tree.mkdir()
    shutil.copyfile(GOLDEN / "key-absent.json", outside / "policy.json")
    (tree / "policy.json").symlink_to(outside / "policy.json")
    report = _report(outside / "policy.json")
    [finding] = report.findings
    linked = report._replace(findings=(finding._replace(path="policy.json"),))
    results, refused = fix_files(linked, lambda _p, _d: ([], False), tree)
    assert results == [] and refused and "link" in refused[0]
    assert (outside / "policy.json").read_bytes() == (GOLDEN / "key-absent.json").read_bytes()


def test_rules_attach_a_fix_request_and_findings_carry_the_placed_fix(tmp_path: Path) -> None:
    path = tmp_path / "policy.json"
    shutil.copyfile(GOLDEN / "key-absent.json", path)
    [finding] = _report(path).findings
    assert finding.fix == Fix(
        Applicability.SAFE,
        "Exclude the Device Registration Service from the policy",
        (Edit("policy.json", Span(8, 37, 8, 37), f',\n      "excludeApplications": ["{DRS}"]'),),
    )
    request = FixRequest(Applicability.SAFE, "d", (Change(APPEND, "/p", "v"),))
    from linter.rule import DocumentRule

    class Probe(DocumentRule):
        code = "CA999"

    assert Probe().violation("file.json", "m", fix=request).fix == request


def test_every_format_of_the_ca002_cases_carries_a_fix(tmp_path: Path) -> None:
    shutil.copytree(FIXTURES.parent / "rules" / "CA002", tmp_path / "cases")
    config = load_config(None, isolated=True, cwd=tmp_path)._replace(select=("CA002",))
    ruleset = build_ruleset(config)
    report = lint([str(tmp_path / "cases")], config, ruleset, lambda: ruleset, jobs=1, cwd=tmp_path)
    suffixes = {Path(finding.path).suffix for finding in report.findings}
    assert suffixes == {".json", ".ps1", ".tf", ".yaml"}
    assert all(finding.fix is not None and not finding.no_fix for finding in report.findings)


PLAN = {
    "format_version": "1.2",
    "planned_values": {
        "root_module": {
            "resources": [
                {
                    "address": "azuread_conditional_access_policy.p",
                    "mode": "managed",
                    "type": "azuread_conditional_access_policy",
                    "name": "p",
                    "values": {
                        "display_name": "Block device code flow",
                        "state": "enabled",
                        "conditions": [
                            {
                                "client_app_types": ["all"],
                                "authentication_flow_transfer_methods": ["deviceCodeFlow"],
                                "applications": [{"included_applications": ["All"], "excluded_applications": []}],
                                "users": [{"included_users": ["All"]}],
                            }
                        ],
                        "grant_controls": [{"operator": "OR", "built_in_controls": ["block"]}],
                    },
                }
            ]
        }
    },
}


def test_a_terraform_plan_says_no_fix_and_why(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "plan.json").write_text(json.dumps(PLAN, indent=2), encoding="utf-8")
    before = (tmp_path / "plan.json").read_bytes()
    assert _check(tmp_path, "--fix", "plan.json") == 1
    out = capsys.readouterr().out
    assert "CA002 [warning]" in out
    assert "  no fix: a Terraform plan or state is written by Terraform, not by hand\n" in out
    assert (tmp_path / "plan.json").read_bytes() == before


def test_json_output_includes_the_fix(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    shutil.copyfile(GOLDEN / "key-absent.json", tmp_path / "policy.json")
    _check(tmp_path, "--format", "json", "policy.json")
    [finding] = json.loads(capsys.readouterr().out)["findings"]
    assert finding["fix"] == {
        "applicability": "safe",
        "message": "Exclude the Device Registration Service from the policy",
        "edits": [
            {
                "path": "policy.json",
                "location": {"line": 8, "column": 37},
                "end_location": {"line": 8, "column": 37},
                "content": f',\n      "excludeApplications": ["{DRS}"]',
            }
        ],
    }


def test_sarif_fixes_have_changes_and_replacements_at_the_results_uri(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    shutil.copyfile(GOLDEN / "block-list.json", tmp_path / "policy.json")
    _check(tmp_path, "--format", "sarif", "--output", "out.sarif", "policy.json")
    log = json.loads((tmp_path / "out.sarif").read_text(encoding="utf-8"))
    [result] = log["runs"][0]["results"]
    [fix] = result["fixes"]
    assert fix == {
        "description": {"text": "Exclude the Device Registration Service from the policy"},
        "artifactChanges": [
            {
                "artifactLocation": result["locations"][0]["physicalLocation"]["artifactLocation"],
                "replacements": [
                    {
                        "deletedRegion": {"startLine": 11, "startColumn": 47, "endLine": 11, "endColumn": 47},
                        "insertedContent": {"text": f',\n        "{DRS}"'},
                    }
                ],
            }
        ],
        "properties": {"applicability": "safe"},
    }
    if not SARIF_VALIDATE.exists():
        pytest.skip("../shared/tools/sarif-validate is not beside the clone")
    command = [str(SARIF_VALIDATE), str(tmp_path / "out.sarif")]
    checked = subprocess.run(command, capture_output=True, text=True, check=False)
    assert checked.returncode == 0, checked.stdout + checked.stderr


def test_rdjson_gives_suggestions_with_utf8_byte_columns(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    text = (GOLDEN / "inline-list.json").read_text(encoding="utf-8").replace('"applications"', '"applications"  ')
    text = text.replace('{"includeApplications"', '{"includeApplications":["All"],"é": 1, "includeApplications"', 0)
    text = text.replace('"00000002-0000-0ff1-ce00-000000000000"', '"é-00000002-0000-0ff1-ce00-000000000000"')
    (tmp_path / "policy.json").write_text(text, encoding="utf-8")
    _check(tmp_path, "--format", "rdjson", "policy.json")
    log = json.loads(capsys.readouterr().out)
    assert log["source"] == {"name": "entralint", "url": "https://github.com/entralint/entralint"}
    [diagnostic] = log["diagnostics"]
    assert diagnostic["severity"] == "WARNING"
    assert diagnostic["code"]["value"] == "CA002"
    [suggestion] = diagnostic["suggestions"]
    line = text.splitlines()[6]
    character_column = line.index("]}") + 1
    assert suggestion == {
        "range": {
            "start": {"line": 7, "column": character_column + 1},
            "end": {"line": 7, "column": character_column + 1},
        },
        "text": f', "{DRS}"',
    }


def test_a_tenant_finding_the_file_alone_gives_is_not_one_the_fix_added(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # The run's tenant is both files; the re-lint of a.json sees a.json alone, without b.json's block.
    mfa = {
        "displayName": "MFA for everyone",
        "state": "Enabled",
        "conditions": {
            "users": {"includeUsers": ["All"]},
            "applications": {"includeApplications": ["All"]},
            "clientAppTypes": ["all"],
        },
        "grantControls": {"operator": "OR", "builtInControls": ["mfa"]},
    }
    block = {
        "displayName": "Block device code flow",
        "state": "enabled",
        "conditions": {
            "users": {"includeUsers": ["All"]},
            "applications": {"includeApplications": ["All"], "excludeApplications": [DRS]},
            "clientAppTypes": ["all"],
            "authenticationFlows": {"transferMethods": "deviceCodeFlow"},
        },
        "grantControls": {"operator": "OR", "builtInControls": ["block"]},
    }
    (tmp_path / "a.json").write_text(json.dumps(mfa, indent=2) + "\n", encoding="utf-8")
    (tmp_path / "b.json").write_text(json.dumps(block, indent=2) + "\n", encoding="utf-8")
    previous = Path.cwd()
    os.chdir(tmp_path)
    try:
        assert main(["check", "--isolated", "--select", "IN005,CA001", "--fix", "."]) == 0
    finally:
        os.chdir(previous)
    out = capsys.readouterr().out
    assert "rolled back" not in out and "Fixed 1 finding." in out
    assert '"state": "enabled"' in (tmp_path / "a.json").read_text(encoding="utf-8")
