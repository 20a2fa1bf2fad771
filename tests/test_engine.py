"""Engine behaviour across rules: tenants, workers, and what a run reports about itself."""

from __future__ import annotations

import functools
import json
import os
import time
from pathlib import Path

import pytest

from linter.engine.config import load_config
from linter.engine.ruleset import build_ruleset
from tests.conftest import run_cli


def policies(count: int, prefix: str) -> list[dict[str, object]]:
    return [
        {
            "displayName": f"{prefix} {number:03}",
            "state": "enabled",
            "conditions": {
                "users": {"includeGroups": [f"00000000-0000-4000-8000-{number:012}"]},
                "applications": {"includeApplications": ["All"]},
                "clientAppTypes": ["all"],
            },
            "grantControls": {"operator": "OR", "builtInControls": ["mfa"]},
        }
        for number in range(count)
    ]


TENANT_RULES = ["CA001", "CA007", "CA010", "CA011", "PA001", "TL005"]


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_tenant_larger_than_entra_allows_is_one_in006_error(tmp_path: Path, jobs: str) -> None:
    # 196 policies in two files: the limit is passed only by the second file, whichever runs first.
    (tmp_path / "a.json").write_text(json.dumps(policies(98, "A")), encoding="utf-8")
    (tmp_path / "b.json").write_text(json.dumps(policies(98, "B")), encoding="utf-8")
    codes = ",".join([*TENANT_RULES, "IN006"])
    args = ["check", "--isolated", "--select", codes, "--format", "json", "--jobs", jobs, "."]
    result = run_cli(args, cwd=tmp_path)
    assert result.code == 1, result.stderr
    report = result.json()
    assert report["notifications"] == []
    [finding] = report["findings"]
    assert (finding["code"], finding["level"], finding["path"], finding["line"]) == ("IN006", "error", "a.json", 1)
    assert finding["message"].startswith("Tenant rules were skipped for tenant 'default': it holds 196 ")
    assert "`tenants` or `tenant-directories`" in finding["message"]


def test_two_policies_with_one_id_are_two_tenants(tmp_path: Path) -> None:
    twin = {**policies(1, "A")[0], "id": "5f3c0000-0000-4000-8000-000000000001"}
    (tmp_path / "contoso").mkdir()
    (tmp_path / "fabrikam").mkdir()
    (tmp_path / "contoso" / "mfa.json").write_text(json.dumps(twin), encoding="utf-8")
    (tmp_path / "fabrikam" / "mfa.json").write_text(json.dumps(twin), encoding="utf-8")
    args = ["check", "--isolated", "--format", "json", "."]
    result = run_cli(args, cwd=tmp_path)
    assert result.code == 1
    [finding] = result.json()["findings"]
    assert finding["code"] == "IN006"
    assert (
        "the id 5f3c0000-0000-4000-8000-000000000001 (in contoso/mfa.json and fabrikam/mfa.json)"
        in (finding["message"])
    )
    # Configured as two tenants, each is linted on its own.
    (tmp_path / ".entralint.toml").write_text('tenant-directories = ["*"]\n', encoding="utf-8")
    report = run_cli(["check", "--format", "json", "."], cwd=tmp_path).json()
    codes = {finding["code"] for finding in report["findings"]}
    assert "IN006" not in codes
    assert "CA001" in codes


def test_a_tenant_at_the_limit_is_linted(tmp_path: Path) -> None:
    (tmp_path / "a.json").write_text(json.dumps(policies(195, "A")), encoding="utf-8")
    result = run_cli(["check", "--isolated", "--select", "CA001", "--format", "json", "."], cwd=tmp_path)
    assert result.json()["notifications"] == []
    [finding] = result.json()["findings"]
    assert finding["code"] == "CA001"


def test_tenant_rules_see_files_checked_in_workers(tmp_path: Path) -> None:
    # One tenant, files checked in two workers: the tenant rules still see every document.
    for number in range(4):
        (tmp_path / f"mfa-{number}.json").write_text(json.dumps(policies(2, f"M{number}")), encoding="utf-8")
    (tmp_path / "dcf.json").write_text(json.dumps({**DCF_BLOCK, "state": "disabled"}), encoding="utf-8")
    reports = []
    for jobs in ("1", "2"):
        args = ["check", "--isolated", "--select", "CA001,CA005", "--format", "json", "--jobs", jobs, "."]
        reports.append(run_cli(args, cwd=tmp_path).stdout)
    assert reports[0] == reports[1]
    [finding] = json.loads(reports[0])["findings"]
    assert (finding["code"], finding["path"], finding["line"]) == ("CA001", "dcf.json", 1)


def test_configured_tenants_keep_each_analysis_within_the_limit(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    (tmp_path / "a" / "fleet.json").write_text(json.dumps(policies(100, "A")), encoding="utf-8")
    (tmp_path / "b" / "fleet.json").write_text(json.dumps(policies(100, "B")), encoding="utf-8")
    (tmp_path / ".entralint.toml").write_text('[tenants]\na = ["a/**"]\nb = ["b/**"]\n', encoding="utf-8")
    result = run_cli(["check", "--select", "CA010,CA011,PA001", "--format", "json", "."], cwd=tmp_path)
    assert result.json()["notifications"] == []


def test_a_json_schema_of_a_policy_is_not_a_policy(tmp_path: Path) -> None:
    # entralint's own schemas/ (and Logic App Parse_JSON actions) describe the policy shape.
    schemas = Path(__file__).resolve().parent.parent / "schemas"
    for schema in schemas.glob("*.schema.json"):
        (tmp_path / schema.name).write_text(schema.read_text(encoding="utf-8"), encoding="utf-8")
    result = run_cli(["check", "--isolated", "--format", "json", "."], cwd=tmp_path)
    assert result.code == 0, result.stdout
    assert result.json()["policies"] == 0


DCF_BLOCK = {
    "displayName": "Block device code flow",
    "state": "enabled",
    "conditions": {
        "users": {"includeUsers": ["All"]},
        "applications": {
            "includeApplications": ["All"],
            "excludeApplications": ["01cb2876-7ebd-4aa4-9cc9-d28bd4d359a9"],
        },
        "authenticationFlows": {"transferMethods": "deviceCodeFlow"},
    },
    "grantControls": {"operator": "OR", "builtInControls": ["block"]},
}


def test_tenant_directories_make_each_directory_a_tenant(tmp_path: Path) -> None:
    for tenant in ("contoso", "fabrikam"):
        (tmp_path / "tenants" / tenant).mkdir(parents=True)
        (tmp_path / "tenants" / tenant / "mfa.json").write_text(json.dumps(policies(1, tenant)), encoding="utf-8")
    (tmp_path / "tenants" / "contoso" / "dcf.json").write_text(json.dumps(DCF_BLOCK), encoding="utf-8")
    (tmp_path / ".entralint.toml").write_text('tenant-directories = ["tenants/*"]\n', encoding="utf-8")
    # Only the changed file is given, as pre-commit does: the tenant rule still sees dcf.json.
    result = run_cli(["check", "--select", "CA001", "--format", "json", "tenants/contoso/mfa.json"], cwd=tmp_path)
    assert result.json()["findings"] == []
    result = run_cli(["check", "--select", "CA001", "--format", "json", "."], cwd=tmp_path)
    [finding] = result.json()["findings"]
    assert finding["path"] == "tenants/fabrikam/mfa.json"
    assert "tenant 'tenants/fabrikam'" in finding["message"]


def test_tenants_linted_in_parallel_give_the_same_report(tmp_path: Path) -> None:
    for tenant in ("alpha", "beta", "gamma"):
        (tmp_path / "tenants" / tenant).mkdir(parents=True)
        (tmp_path / "tenants" / tenant / "mfa.json").write_text(json.dumps(policies(3, tenant)), encoding="utf-8")
        (tmp_path / "tenants" / tenant / "dcf.json").write_text(json.dumps(DCF_BLOCK), encoding="utf-8")
    (tmp_path / "tenants" / "beta" / "dcf.json").unlink()
    (tmp_path / ".entralint.toml").write_text('tenant-directories = ["tenants/*"]\n', encoding="utf-8")
    reports = []
    for jobs in ("1", "2"):
        output = tmp_path.parent / f"report-{jobs}.sarif"
        run_cli(["check", "--format", "sarif", "--output", str(output), "--jobs", jobs, "."], cwd=tmp_path)
        reports.append(output.read_bytes())
    assert reports[0] == reports[1]
    assert b"tenant 'tenants/beta'" in reports[0]


@pytest.mark.parametrize(("count", "jobs"), [(0, 2), (1, 2), (7, 2), (1100, 2), (1100, 3), (50, 8), (100_000, 2)])
def test_chunks_cover_every_item_and_shrink_to_one_at_the_end(count: int, jobs: int) -> None:
    from linter.engine.workers import MAX_CHUNKS, chunk_sizes

    sizes = chunk_sizes(count, jobs, 16)
    assert sum(sizes) == count
    assert len(sizes) <= MAX_CHUNKS
    assert sizes == sorted(sizes, reverse=True)
    if 0 < count <= MAX_CHUNKS:
        assert max(sizes) <= 16
        assert sizes[-1] == 1
    if count == 1100:
        assert sizes[0] == 16


def _square(number: int) -> int:
    return number * number


def _fails_in_a_worker(parent: int, marker: Path, how: str, number: int) -> int:
    """In a worker, raise or die; here, wait until a worker has done so (so the test is not left to timing)."""
    if os.getpid() == parent:
        deadline = time.monotonic() + 10
        while not marker.exists() and time.monotonic() < deadline:
            time.sleep(0.001)
        return number
    marker.touch()
    if how == "raise":
        raise ValueError("raised in a worker")
    os._exit(3)


def no_child_left() -> bool:
    try:
        os.waitpid(-1, os.WNOHANG)
    except ChildProcessError:
        return True
    return False


@pytest.mark.parametrize("jobs", [2, 3])
def test_forked_workers_return_every_result_in_order(jobs: int) -> None:
    from linter.engine.workers import Workers

    ruleset = build_ruleset(load_config(None, isolated=True))
    linter = Workers(ruleset, lambda: ruleset, jobs)
    assert linter.map(_square, list(range(500)), 4) == [number * number for number in range(500)]
    assert linter.map(_square, [3]) == [9]
    assert linter.map(_square, []) == []
    assert no_child_left()


def test_a_worker_error_is_raised_here_and_every_worker_is_waited_for(tmp_path: Path) -> None:
    from linter.engine.workers import Workers

    ruleset = build_ruleset(load_config(None, isolated=True))
    linter = Workers(ruleset, lambda: ruleset, 2)
    fails = functools.partial(_fails_in_a_worker, os.getpid(), tmp_path / "raised", "raise")
    with pytest.raises(ValueError, match="raised in a worker"):
        linter.map(fails, list(range(40)))
    assert no_child_left()
    dies = functools.partial(_fails_in_a_worker, os.getpid(), tmp_path / "died", "die")
    with pytest.raises(RuntimeError, match="ended before sending"):
        linter.map(dies, list(range(40)))
    assert no_child_left()


def test_results_reach_the_parent_unchanged() -> None:
    """Workers pickle what they send; the classes that travel pickle as calls with their fields."""
    import pickle

    from linter.engine.file_check import FileOutcome
    from linter.engine.suppression_sources import SuppressionComment
    from linter.model import LoadProblem
    from linter.model.findings import Notification
    from linter.model.source import Location, Span
    from linter.rule import Finding, Level, Suppression

    span = Span(3, 5, 4, 1)
    finding = Finding(
        "CA002",
        Level.WARNING,
        "message",
        "a.json",
        span,
        "/conditions",
        "id-1",
        (Location("b.json", Span.point(1, 2), "/state"),),
        Suppression("inSource", "reviewed"),
    )
    outcome = FileOutcome(
        "a.json",
        True,
        "graph-json",
        findings=(finding, Finding("IN001", Level.ERROR, "bad", "a.json", span)),
        comments=(SuppressionComment(2, 3, 40, ("CA002",), "reviewed"),),
        notifications=(Notification("rule failed", "a.json", 1, 1, "error", "CA002"),),
        policies=2,
        conditional_access=1,
        policy_lines={"id-1": (3, 9)},
        ignores={"id-1": ({"CA002": "reviewed in the change board"},)},
    )
    problem = LoadProblem("IN002", "wrong type", span, "/state", "id-1")
    for value in (outcome, problem, *outcome.findings):
        copy = pickle.loads(pickle.dumps(value, pickle.HIGHEST_PROTOCOL))
        assert copy == value and type(copy) is type(value)
    assert pickle.loads(pickle.dumps(finding)).suppression == finding.suppression  # not compared by ==
