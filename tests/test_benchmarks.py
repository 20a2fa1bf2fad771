"""The benchmark catalog matches the rules; `entralint benchmark` decides as documented and agrees with ScubaGear."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from linter.benchmarks import NAMES, all_benchmarks, benchmark
from linter.engine.registry import load_rules
from tests.conftest import FIXTURES, REPO, needs_shared, run_cli, shared_path, write

RULES = load_rules(entry_points=False)
SCUBAGEAR = "corpus/scubagear"
EXPORT = "cisagov__ScubaGear__PowerShell__ScubaGear__Sample-Reports__ProviderSettingsExport.json"
RESULTS = "cisagov__ScubaGear__PowerShell__ScubaGear__Sample-Reports__TestResults.json"
BENCHMARKS_DOC = REPO / "docs" / "benchmarks.md"


def test_every_rule_control_is_in_the_catalog() -> None:
    unknown = [
        f"{code}: {reference.benchmark}/{reference.control}"
        for code, rule in RULES.items()
        for reference in rule.benchmarks
        if (found := benchmark(reference.benchmark)) is None or found.control(reference.control) is None
    ]
    assert unknown == []


def test_every_catalog_control_is_claimed_or_says_what_it_needs() -> None:
    claimed = {(reference.benchmark, reference.control) for rule in RULES.values() for reference in rule.benchmarks}
    problems = []
    for found in all_benchmarks():
        ids = [control.id for control in found.controls]
        assert len(ids) == len(set(ids)), f"{found.name} lists a control twice"
        for control in found.controls:
            decided = (found.name, control.id) in claimed
            undecided_kinds = bool(control.needs) + control.offline
            if decided and undecided_kinds:
                problems.append(f"{found.name}/{control.id}: a rule decides it, yet it says what it needs")
            if not decided and undecided_kinds != 1:
                problems.append(f"{found.name}/{control.id}: no rule decides it; say what it needs or mark it offline")
    assert problems == []


def test_the_catalog_names_are_the_documented_ones() -> None:
    assert NAMES == (
        "cis-m365-v4",
        "cis-m365-v5",
        "cis-m365-v6",
        "cis-m365-v7",
        "scubagear",
        "maester",
        "prowler",
        "zero-trust",
    )
    for found in all_benchmarks():
        assert found.source.startswith("https://") and found.version and found.controls


def test_unknown_benchmark_exits_2_listing_the_names() -> None:
    for command in (["benchmark", "cis-m365-v9", "."], ["rules", "--benchmark", "cis-m365-v9"]):
        result = run_cli(command)
        assert result.code == 2 and result.stdout == ""
        assert "no benchmark 'cis-m365-v9'; the benchmarks are: cis-m365-v4, cis-m365-v5" in result.stderr


def test_rules_benchmark_lists_the_mapping() -> None:
    result = run_cli(["rules", "--benchmark", "scubagear", "--format", "json"])
    assert result.code == 0
    controls = {entry["control"]: entry for entry in result.json()["controls"]}
    assert controls["MS.AAD.1.1v1"]["rules"] == ["CA007"]
    assert controls["MS.AAD.3.9v1"]["rules"] == ["CA001"]
    assert (
        controls["MS.AAD.3.3v2"]["rules"] == [] and "authentication methods policy" in controls["MS.AAD.3.3v2"]["needs"]
    )
    text = run_cli(["rules", "--benchmark", "scubagear"]).stdout
    assert re.search(r"^MS\.AAD\.1\.1v1 +CA007 +Legacy authentication is blocked$", text, re.M)


def test_explain_lists_the_controls() -> None:
    page = run_cli(["explain", "CA007"]).stdout
    assert "## Benchmark controls" in page
    assert "| `scubagear` | `MS.AAD.1.1v1` | Legacy authentication is blocked |" in page


BLOCK_LEGACY = {
    "displayName": "Block legacy authentication",
    "state": "enabled",
    "conditions": {
        "users": {"includeUsers": ["All"]},
        "applications": {"includeApplications": ["All"]},
        "clientAppTypes": ["exchangeActiveSync", "other"],
    },
    "grantControls": {"operator": "OR", "builtInControls": ["block"]},
}


def _benchmark_json(args: list[str], cwd: Path) -> tuple[int, dict[str, dict[str, object]]]:
    result = run_cli(["benchmark", *args, "--isolated", "--format", "json"], cwd=cwd)
    assert result.stdout, result.stderr
    return result.code, {entry["id"]: entry for entry in result.json()["controls"]}


def test_a_failing_control_exits_1_with_its_findings(tmp_path: Path) -> None:
    report_only = {**BLOCK_LEGACY, "state": "enabledForReportingButNotEnforced"}
    write(tmp_path, "legacy.json", json.dumps(report_only))
    code, controls = _benchmark_json(["scubagear", "legacy.json"], tmp_path)
    assert code == 1
    legacy = controls["MS.AAD.1.1v1"]
    assert legacy["status"] == "fail" and legacy["rules"] == ["CA007"]
    assert [(finding["code"], finding["path"]) for finding in legacy["findings"]] == [("CA007", "legacy.json")]
    assert controls["MS.AAD.3.3v2"]["status"] == "live"
    assert controls["MS.AAD.2.1v1"]["status"] == "no-rule"


def test_one_line_per_control_with_the_findings_under_it(tmp_path: Path) -> None:
    write(tmp_path, "legacy.json", json.dumps(BLOCK_LEGACY))
    code, controls = _benchmark_json(["cis-m365-v6", "legacy.json"], tmp_path)
    assert controls["5.2.2.3"]["status"] == "pass"
    assert controls["5.2.2.12"]["status"] == "fail"  # device code flow is not blocked
    assert code == 1
    text = run_cli(["benchmark", "cis-m365-v6", "legacy.json", "--isolated"], cwd=tmp_path).stdout
    control_lines = [line.split()[0] for line in text.splitlines() if re.match(r"\d+\.\d", line)]
    assert control_lines == [control.id for control in benchmark("cis-m365-v6").controls]  # type: ignore[union-attr]
    assert "    legacy.json:1:1: CA011" in text  # the findings under their control
    markdown = run_cli(["benchmark", "cis-m365-v6", "legacy.json", "--isolated", "--format", "markdown"], cwd=tmp_path)
    assert "| `5.2.2.3` | pass | Legacy authentication is blocked by Conditional Access | CA007 |" in markdown.stdout


def test_a_tenant_that_could_not_be_checked_never_passes(tmp_path: Path) -> None:
    write(tmp_path, "legacy.json", json.dumps(BLOCK_LEGACY))
    write(tmp_path, "broken.json", (FIXTURES / "cli" / "tenant" / "broken.json").read_text(encoding="utf-8"))
    code, controls = _benchmark_json(["scubagear", "."], tmp_path)
    assert controls["MS.AAD.1.1v1"]["status"] == "not-checked"
    assert "IN001" in str(controls["MS.AAD.1.1v1"]["reason"])
    assert code == 2


def test_no_policy_is_not_a_pass(tmp_path: Path) -> None:
    write(tmp_path, "notes.json", "{}")
    code, controls = _benchmark_json(["scubagear", "."], tmp_path)
    assert {entry["status"] for entry in controls.values()} <= {"not-checked", "live", "no-rule"}
    assert code == 2


def _documented_scubagear_table() -> dict[str, tuple[str, str, str]]:
    """docs/benchmarks.md's ScubaGear verdict table: control -> (ScubaGear, entralint, why they differ)."""
    text = BENCHMARKS_DOC.read_text(encoding="utf-8")
    section = text.split("<!-- scubagear-verdicts -->")[1]
    rows = re.findall(r"^\| `(MS\.AAD\.[^`]+)` \| (pass|fail) \| (pass|fail) \| (.*) \|$", section, re.M)
    return {control: (scuba, ours, why.strip()) for control, scuba, ours, why in rows}


@needs_shared(SCUBAGEAR)
def test_scubagear_sample_agrees_with_scubagear_or_the_difference_is_documented() -> None:
    folder = shared_path(SCUBAGEAR)
    recorded = json.loads((folder / RESULTS).read_text(encoding="utf-8-sig"))
    scuba = {test["PolicyId"]: "pass" if test["RequirementMet"] else "fail" for test in recorded}
    _, controls = _benchmark_json(["scubagear", EXPORT], folder)
    decided = {control: entry["status"] for control, entry in controls.items() if entry["status"] in ("pass", "fail")}
    # Every control a rule claims is decided on ScubaGear's own export: the export is read, its tenant checked.
    claimed = {entry for entry, value in controls.items() if value["rules"]}
    assert set(decided) == claimed
    documented = _documented_scubagear_table()
    assert set(documented) == set(decided), "docs/benchmarks.md's ScubaGear table lists exactly the decided controls"
    for control, ours in decided.items():
        scuba_verdict, documented_ours, why = documented[control]
        assert (scuba_verdict, documented_ours) == (scuba[control], ours), control
        if scuba_verdict != ours:
            assert why, f"{control}: entralint says {ours}, ScubaGear {scuba_verdict}; docs/benchmarks.md must say why"


@pytest.mark.parametrize("name", NAMES)
def test_every_benchmark_runs_on_the_examples(name: str) -> None:
    result = run_cli(["benchmark", name, "examples", "--isolated", "--format", "json"], cwd=REPO)
    assert result.code in (0, 1), result.stderr
    assert len(result.json()["controls"]) == len(benchmark(name).controls)  # type: ignore[union-attr]
