"""SARIF 2.1.0 output: valid against the OASIS schema and acceptable to GitHub code scanning."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import pytest

from tests.conftest import FIXTURES, REPO, run_cli, write
from tests.sarif_checks import schema_validator

TENANT = FIXTURES / "cli" / "tenant"
CUSTOM_RULES = FIXTURES / "cli" / "custom_rules"
CRASHING_RULES = FIXTURES / "cli" / "crashing_rules"
SUPPRESSIONS = FIXTURES / "cli" / "suppressions"
PERCENT_ENCODED = re.compile(r"^(?:[A-Za-z0-9\-._~!$&'()*+,;=:@/]|%[0-9A-F]{2})+$")


def check_log(log: dict[str, Any]) -> dict[str, Any]:
    """The schema, plus what code scanning rejects even when the schema passes; returns the run."""
    errors = [f"{list(error.absolute_path)}: {error.message}" for error in schema_validator().iter_errors(log)]
    assert errors == []
    assert log["$schema"] == "https://json.schemastore.org/sarif-2.1.0.json"
    assert log["version"] == "2.1.0"
    assert len(log["runs"]) == 1
    run: dict[str, Any] = log["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    for rule in rules:
        assert rule["shortDescription"]["text"] and rule["fullDescription"]["text"] and rule["help"]["text"]
        assert len(rule["properties"]["tags"]) <= 20
        if "security-severity" in rule["properties"]:
            severity = rule["properties"]["security-severity"]
            assert isinstance(severity, str) and 0 < float(severity) <= 10, severity
    for result in run["results"]:
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"]
        assert result["message"]["text"]
        assert result["locations"], "code scanning needs a location"
        for location in (*result["locations"], *result.get("relatedLocations", ())):
            check_physical_location(location["physicalLocation"])
    for note in run["invocations"][0]["toolExecutionNotifications"]:
        for location in note.get("locations", ()):
            check_physical_location(location["physicalLocation"])
    root = run["originalUriBaseIds"]["%SRCROOT%"]["uri"]
    assert root.startswith("file:///") and root.endswith("/")
    return run


def check_physical_location(physical: dict[str, Any]) -> None:
    artifact = physical["artifactLocation"]
    uri = artifact["uri"]
    assert artifact["uriBaseId"] == "%SRCROOT%"
    assert uri and not uri.startswith("/") and ":" not in uri.split("/")[0], uri
    assert PERCENT_ENCODED.match(uri), uri
    assert ".." not in unquote(uri).split("/") and "." not in unquote(uri).split("/"), uri
    region = physical["region"]
    assert region["startLine"] >= 1 and region["startColumn"] >= 1, region
    assert region["endLine"] >= region["startLine"], region


def sarif(args: list[str], cwd: Path = REPO) -> tuple[int, dict[str, Any]]:
    result = run_cli(["check", "--format", "sarif", *args], cwd=cwd)
    assert "Traceback" not in result.stderr
    return result.code, result.json()


def located(run: dict[str, Any]) -> list[tuple[str, str, int, int]]:
    found = []
    for result in run["results"]:
        physical = result["locations"][0]["physicalLocation"]
        region = physical["region"]
        found.append(
            (result["ruleId"], physical["artifactLocation"]["uri"], region["startLine"], region["startColumn"])
        )
    return found


def test_examples_log_is_valid() -> None:
    _, log = sarif(["--isolated", "examples"])
    run = check_log(log)
    assert {rule["id"] for rule in run["tool"]["driver"]["rules"]} >= {"CA001", "IN001", "IN002", "IN003", "IN004"}
    assert all(
        result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"].startswith("examples/")
        for result in run["results"]
    )


def test_driver_carries_full_rule_metadata() -> None:
    from linter import __version__

    _, log = sarif(["--isolated", "--select", "CA001,IN001", str(TENANT)])
    driver = check_log(log)["tool"]["driver"]
    assert {key: driver[key] for key in ("name", "version", "semanticVersion", "informationUri")} == {
        "name": "entralint",
        "version": __version__,
        "semanticVersion": __version__,
        "informationUri": "https://github.com/entralint/entralint",
    }
    ca001, in001 = driver["rules"]
    assert ca001["id"] == "CA001" and ca001["name"] == "device-code-flow-not-blocked"
    assert ca001["shortDescription"] == {
        "text": "No enabled policy blocks device code flow for all users and resources"
    }
    assert ca001["fullDescription"]["text"].startswith("Whether any enabled Conditional Access policy blocks")
    assert ca001["help"]["markdown"].startswith("## What it checks\n")
    assert ca001["help"]["text"] == ca001["help"]["markdown"]
    assert ca001["helpUri"] == "https://github.com/entralint/entralint/blob/main/docs/rules/CA001.md"
    assert ca001["defaultConfiguration"] == {"level": "warning"}
    assert ca001["properties"] == {
        # The rule's own tags first, then one per benchmark control it decides.
        "tags": [
            "security",
            "authentication-flows",
            "cis-m365-v5/5.2.2.12",
            "cis-m365-v6/5.2.2.12",
            "cis-m365-v7/5.2.2.12",
            "scubagear/MS.AAD.3.9v1",
            "prowler/entra_conditional_access_policy_device_code_flow_blocked",
            "zero-trust/21808",
        ],
        "precision": "high",
        "security-severity": "6.5",
    }
    assert in001["defaultConfiguration"] == {"level": "error"}
    assert "security-severity" not in in001["properties"]


def test_results_point_at_the_value() -> None:
    code, log = sarif(["--isolated", "--select", "CA001,IN", str(TENANT)])
    run = check_log(log)
    assert code == 1
    assert located(run) == [
        ("IN001", "tests/fixtures/cli/tenant/broken.json", 4, 38),
        ("CA001", "tests/fixtures/cli/tenant/report-only.json", 4, 12),
    ]
    ca001 = run["results"][1]
    assert ca001["level"] == "warning"
    assert ca001["locations"][0]["physicalLocation"]["region"] == {
        "startLine": 4,
        "startColumn": 12,
        "endLine": 4,
        "endColumn": 47,
    }
    assert set(ca001["partialFingerprints"]) == {"entralint/v1"}
    # Unparsable input is a result, not a failed execution.
    assert run["invocations"][0]["executionSuccessful"] is True
    assert run["invocations"][0]["toolExecutionNotifications"] == []
    assert "automationDetails" not in run


def test_uris_are_percent_encoded_and_relative_to_the_repository_root(tmp_path: Path) -> None:
    repository = tmp_path / "repo"
    (repository / ".git").mkdir(parents=True)
    folder = repository / "Conditional Access" / "Zürich #1"
    write(folder, "report only.json", (TENANT / "report-only.json").read_text(encoding="utf-8"))
    _, log = sarif(["--isolated", "--select", "CA001", "."], cwd=repository / "Conditional Access")
    run = check_log(log)
    assert located(run) == [("CA001", "Conditional%20Access/Z%C3%BCrich%20%231/report%20only.json", 4, 12)]
    assert run["originalUriBaseIds"]["%SRCROOT%"]["uri"] == repository.as_uri() + "/"


def test_paths_above_the_working_directory_stay_relative(tmp_path: Path) -> None:
    write(tmp_path / "policies", "p.json", (TENANT / "report-only.json").read_text(encoding="utf-8"))
    (tmp_path / "work").mkdir()
    _, log = sarif(["--isolated", "--select", "CA001", "../policies"], cwd=tmp_path / "work")
    run = check_log(log)
    assert located(run) == [("CA001", "policies/p.json", 4, 12)]
    assert run["originalUriBaseIds"]["%SRCROOT%"]["uri"] == tmp_path.as_uri() + "/"


def test_fingerprints_do_not_move_with_lines(tmp_path: Path) -> None:
    text = (TENANT / "report-only.json").read_text(encoding="utf-8")
    write(tmp_path, "policy.json", text)
    _, before = sarif(["--isolated", "--select", "CA001", "."], cwd=tmp_path)
    write(tmp_path, "policy.json", "\n\n\n" + text.replace('"state"', '\n\n"state"'))
    _, after = sarif(["--isolated", "--select", "CA001", "."], cwd=tmp_path)
    [old], [new] = before["runs"][0]["results"], after["runs"][0]["results"]
    assert old["locations"][0]["physicalLocation"]["region"]["startLine"] == 4
    assert new["locations"][0]["physicalLocation"]["region"]["startLine"] == 9
    assert new["partialFingerprints"] == old["partialFingerprints"]
    # A tenant finding is about the tenant and its subject (device code flow), not the policy it is anchored on.
    write(tmp_path, "policy.json", text.replace("0b7f1a52", "1c8f2b63"))
    _, other = sarif(["--isolated", "--select", "CA001", "."], cwd=tmp_path)
    assert other["runs"][0]["results"][0]["partialFingerprints"] == old["partialFingerprints"]


def test_category_sets_automation_details() -> None:
    _, log = sarif(["--isolated", "--select", "CA001", "--category", "entralint/prod-tenant", str(TENANT)])
    assert check_log(log)["automationDetails"] == {"id": "entralint/prod-tenant/"}


def test_inline_suppressions_stay_in_the_log() -> None:
    _, log = sarif(["--isolated", "--select", "CA002,IN", str(SUPPRESSIONS / "finding_line.yaml")])
    [result] = check_log(log)["results"]
    assert result["ruleId"] == "CA002"
    assert result["suppressions"] == [
        {"kind": "inSource", "justification": "device registration moves to Autopilot (ticket 4711)"}
    ]


def test_per_policy_ignores_are_external_suppressions(tmp_path: Path) -> None:
    write(tmp_path, "policy.json", (TENANT / "report-only.json").read_text(encoding="utf-8"))
    write(
        tmp_path,
        ".entralint.toml",
        '[per-policy-ignores."Block device code flow"]\nCA001 = "kiosks need device code until Q3; INC-77"\n',
    )
    code, log = sarif(["--select", "CA001", "."], cwd=tmp_path)
    [result] = check_log(log)["results"]
    assert result["suppressions"] == [{"kind": "external", "justification": "kiosks need device code until Q3; INC-77"}]
    assert code == 0


def test_related_locations_for_findings_about_several_policies(tmp_path: Path) -> None:
    text = (TENANT / "report-only.json").read_text(encoding="utf-8")
    write(tmp_path, "a.json", text)
    write(tmp_path, "b.json", text.replace("0b7f1a52", "1c8f2b63"))
    _, log = sarif(["--isolated", "--rules-dir", str(CUSTOM_RULES), "--select", "CX002", "."], cwd=tmp_path)
    [result] = check_log(log)["results"]
    assert located(check_log(log)) == [("CX002", "b.json", 2, 18)]
    [related] = result["relatedLocations"]
    assert related["id"] == 1
    assert related["physicalLocation"]["artifactLocation"] == {"uri": "a.json", "uriBaseId": "%SRCROOT%"}
    assert related["physicalLocation"]["region"] == {"startLine": 2, "startColumn": 18, "endLine": 2, "endColumn": 42}
    # A custom rule has no page in entralint's docs: its help travels in the log instead.
    [rule] = log["runs"][0]["tool"]["driver"]["rules"]
    assert "helpUri" not in rule and rule["help"]["text"].startswith("## What it checks")


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_unreadable_paths_are_in001_results(tmp_path: Path) -> None:
    write(tmp_path, "policy.json", (TENANT / "report-only.json").read_text(encoding="utf-8"))
    os.mkfifo(tmp_path / "pipe.json")
    (tmp_path / "dangling.json").symlink_to(tmp_path / "gone.json")
    _, log = sarif(["--isolated", "--select", "CA001,IN", "."], cwd=tmp_path)
    run = check_log(log)
    invocation = run["invocations"][0]
    assert invocation["executionSuccessful"] is True
    assert invocation["toolExecutionNotifications"] == []
    expected = [("IN001", "dangling.json", 1, 1), ("IN001", "pipe.json", 1, 1), ("CA001", "policy.json", 4, 12)]
    assert located(run) == expected
    messages = {result["message"]["text"] for result in run["results"] if result["ruleId"] == "IN001"}
    assert messages == {
        "cannot be read: No such file or directory",
        "not a regular file (FIFO, socket or device); never opened",
    }


def test_a_crashed_rule_is_a_notification_and_an_unsuccessful_execution() -> None:
    code, log = sarif(["--isolated", "--rules-dir", str(CRASHING_RULES), "--select", "CX900", str(TENANT)])
    run = check_log(log)
    assert code == 2
    assert run["invocations"][0]["executionSuccessful"] is False
    [note] = run["invocations"][0]["toolExecutionNotifications"]
    assert note["level"] == "error"
    assert note["associatedRule"] == {"id": "CX900", "index": 0}
    assert note["message"]["text"].startswith(
        "rule CX900 (crashes) failed on tests/fixtures/cli/tenant/report-only.json"
    )


def test_output_file_is_valid_sarif(tmp_path: Path) -> None:
    target = tmp_path / "entralint.sarif"
    result = run_cli(["check", "--isolated", "--format", "sarif", "--output", str(target), "examples"], cwd=REPO)
    assert result.stdout == ""
    check_log(json.loads(target.read_text(encoding="utf-8")))


def test_security_severity_is_formatted_as_github_reads_it() -> None:
    from linter.reporters.sarif import rule_descriptor
    from linter.rule import DocumentRule, Level

    class Severe(DocumentRule):
        code, name, summary, level = "CX010", "severe", "Severe", Level.ERROR
        security_severity = 9.25
        tags = tuple(f"tag-{number}" for number in range(30))

    descriptor = rule_descriptor(Severe)
    assert descriptor["properties"]["security-severity"] == "9.25"
    assert len(descriptor["properties"]["tags"]) == 20


def test_benchmark_tags_follow_the_rule_tags_within_githubs_limit() -> None:
    from linter.reporters.sarif import rule_descriptor
    from linter.rule import BenchmarkControl, DocumentRule, Level

    class Mapped(DocumentRule):
        code, name, summary, level = "CX011", "mapped", "Mapped", Level.WARNING
        tags = tuple(f"tag-{number}" for number in range(18))
        benchmarks = (
            BenchmarkControl("scubagear", "MS.AAD.1.1v1"),
            BenchmarkControl("cis-m365-v5", "5.2.2.3"),
            BenchmarkControl("maester", "MT.1009"),
        )

    tags = rule_descriptor(Mapped)["properties"]["tags"]
    assert tags == [*Mapped.tags, "scubagear/MS.AAD.1.1v1", "cis-m365-v5/5.2.2.3"]
