"""Microsoft365DSC resources held as data: JSON reports, configuration snapshots, DSC configuration data in YAML."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from linter.loaders import load_text
from linter.loaders.result import LoadResult
from linter.model import Document, Unresolved, to_plain
from linter.model.source import decode_text
from tests.conftest import FIXTURES, REPO, needs_shared, run_cli, shared_path

DATA = FIXTURES / "dsc-data"


def load(path: Path, source_format: str) -> LoadResult:
    result = load_text(str(path), decode_text(path.read_bytes()))
    assert result is not None
    assert result.source_format == source_format
    return result


def at(document: Document, pointer: str) -> tuple[int, int, str]:
    """Line, column and the text of a span (to the end of its first line)."""
    span = document.span(pointer)
    line = decode_text(Path(document.path).read_bytes()).split("\n")[span.start_line - 1]
    end = span.end_column - 1 if span.end_line == span.start_line else len(line)
    return span.start_line, span.start_column, line[span.start_column - 1 : end]


def test_report_maps_every_property_to_graph_at_its_position() -> None:
    result = load(DATA / "tenant.m365dsc-report.json", "microsoft365dsc-json")
    assert result.problems == ()
    location, policy, lifetime = result.documents
    assert location.data == {
        "displayName": "Offices",
        "ipRanges": [{"cidrAddress": "192.0.2.0/24"}, {"cidrAddress": "2001:db8::/32"}],
        "isTrusted": True,
    }
    assert at(location, "/ipRanges/1/cidrAddress") == (7, 34, '"2001:db8::/32"')
    assert policy.data == {
        "displayName": "Block device code flow",
        "state": "enabled",
        "conditions": {
            "users": {
                "includeUsers": ["All"],
                "excludeUsers": [Unresolved("$ConfigurationData.NonNodeData.BreakGlassAccount")],
            },
            "applications": {"includeApplications": ["All"]},
            "authenticationFlows": {"transferMethods": ["deviceCodeFlow", "authenticationTransfer"]},
        },
        "grantControls": {"builtInControls": ["block"], "operator": "OR"},
    }
    assert at(policy, "") == (12, 3, "{")
    assert at(policy, "/state") == (16, 14, '"Enabled"')
    # A lone string made a one-item list, a comma string split: each item where it is written.
    assert at(policy, "/conditions/users/includeUsers/0") == (17, 22, "All")
    assert at(policy, "/conditions/authenticationFlows/transferMethods/1") == (21, 40, "authenticationTransfer")
    assert at(policy, "/grantControls/builtInControls/0") == (22, 25, '"Block"')
    # A group the properties make is not written: its policy answers.
    assert at(policy, "/conditions/users") == (12, 3, "{")
    offset = lifetime.data["definition"][0].index("01:00:00")
    span = lifetime.span_in_string("/definition/0", offset)
    assert (span.start_line, span.start_column) == (35, 92)  # the `01:00:00` inside the escaped JSON string


def test_report_absent_and_foreign_resources_are_not_policies() -> None:
    result = load(DATA / "tenant.m365dsc-report.json", "microsoft365dsc-json")
    assert [document.name for document in result.absent] == ["Retired policy"]
    assert result.partial == ()
    assert "Integration" not in {document.name for document in result.documents}


def test_export_and_snapshot_of_one_tenant_give_identical_documents() -> None:
    report = load(DATA / "tenant.m365dsc-report.json", "microsoft365dsc-json")
    snapshot = load(DATA / "tenant.snapshot.json", "configuration-snapshot")
    assert [to_plain(document.data) for document in snapshot.documents] == [
        to_plain(document.data) for document in report.documents
    ]
    assert [document.kind for document in snapshot.documents] == [document.kind for document in report.documents]
    [policy] = [document for document in snapshot.documents if document.kind == "conditionalAccessPolicy"]
    assert at(policy, "/conditions/users/includeUsers/0") == (26, 26, "All")


def test_export_and_snapshot_inspect_the_same() -> None:
    shown = []
    for name in ("tenant.m365dsc-report.json", "tenant.snapshot.json"):
        result = run_cli(["inspect", "--format", "json", str(DATA / name)], cwd=REPO)
        entries = result.json()
        shown.append([(entry["kind"], entry["name"], entry["document"]) for entry in entries])
    assert shown[0] == shown[1]


def test_one_resource_per_file() -> None:
    [policy] = load(DATA / "resource.json", "configuration-snapshot").documents
    assert policy.data["conditions"]["users"] == {"includeRoles": ["Global Administrator"]}
    assert at(policy, "/conditions/users/includeRoles/0") == (7, 22, '"Global Administrator"')


def test_yaml_items_commented_items_are_not_policies() -> None:
    result = load(DATA / "AADConditionalAccessPolicy.yml", "dsc-yaml")
    assert result.problems == ()
    [policy] = result.documents
    assert policy.data["conditions"]["users"]["includeRoles"] == [
        "Global Administrator",
        Unresolved("[x={ $Node.PrivilegedRole }=]"),
    ]
    assert policy.data["conditions"]["platforms"] == {"includePlatforms": ["iOS", "android"]}
    assert at(policy, "/conditions/platforms/includePlatforms/0") == (8, 24, "IOS")
    assert at(policy, "/conditions/users/includeRoles/1") == (6, 9, "'[x={ $Node.PrivilegedRole }=]'")
    assert [document.name for document in result.absent] == ["Old policy"]
    assert "Legacy - block" not in {document.name for document in result.documents + result.absent}


def test_yaml_layer_overriding_state_is_partial() -> None:
    result = load(DATA / "layer.yml", "dsc-yaml")
    assert result.documents == () and result.problems == ()
    assert [(document.name, document.partial, document.line) for document in result.partial] == [
        ("Admins - require MFA", True, 4),
        ("Block device code flow", True, 6),
    ]
    assert at(result.partial[1], "/state") == (7, 14, "enabledForReportingButNotEnforced")


def test_no_rule_reports_on_a_partial_document(tmp_path: Path) -> None:
    layer = (DATA / "layer.yml").read_text(encoding="utf-8")
    (tmp_path / "layer.yml").write_text(layer, encoding="utf-8")
    result = run_cli(["check", "--isolated", "--format", "json", "layer.yml"], cwd=tmp_path)
    assert result.code == 0
    assert result.json()["findings"] == []
    # The same item made whole (it names its users) is a policy, and rules do judge it.
    whole = layer.replace("State: enabled\n", "State: enabled\n      IncludeUsers: [None]\n", 1)
    (tmp_path / "layer.yml").write_text(whole, encoding="utf-8")
    findings = run_cli(["check", "--isolated", "--format", "json", "layer.yml"], cwd=tmp_path).json()["findings"]
    assert {finding["code"] for finding in findings} >= {"CA009"}
    assert {finding["line"] for finding in findings if finding["code"] == "CA009"} <= {4, 5, 6}


def test_yaml_that_is_not_configuration_data_stays_graph_yaml() -> None:
    text = "policies:\n  - displayName: x\n    conditions: {users: {includeUsers: [All]}}\n    grantControls: {}\n"
    result = load_text("p.yaml", text)
    assert result is not None and result.source_format == "graph-yaml"


@needs_shared("corpus/utcm")
def test_corpus_monitor_lists_one_policy_it_watches_partially() -> None:
    [path] = shared_path("corpus/utcm").glob("*.json")
    result = load(path, "configuration-snapshot")
    assert result.documents == () and result.problems == ()
    [policy] = result.partial
    assert policy.name == "Microsoft authentication for partners"
    assert policy.line == 41


@pytest.mark.parametrize(
    "text",
    [
        json.dumps([{"ResourceName": "AADConditionalAccessPolicy", "IncludeUsers": [[[[[]]]]] * 3}]),
        json.dumps([{"ResourceName": "AADConditionalAccessPolicy", "ResourceInstanceName": "x"}] * 20_000),
        json.dumps({"resources": [{"resourceType": "microsoft.entra.conditionalaccesspolicy", "properties": []}]}),
        json.dumps({"resourceType": "microsoft.entra.tokenlifetimepolicy", "properties": {"Definition": 5}}),
        '[{"ResourceName": "AADConditionalAccessPolicy", "State": ' + "[" * 800 + "]" * 800 + "}]",
    ],
)
def test_hostile_json_never_crashes(text: str, tmp_path: Path) -> None:
    _check_survives(tmp_path / "hostile.json", text)


@pytest.mark.parametrize(
    "text",
    [
        "Items:\n" + "  - {State: enabled, IncludeUsers: [All]}\n" * 20_000,
        "Items:\n  - IncludeUsers: " + "[" * 500 + "]" * 500 + "\n",
        "AADConditionalAccessPolicy:\n  Items: 5\nItems: [1, [2], {}]\n",
        "Items:\n  - &a {State: enabled, IncludeUsers: [All]}\n  - *a\n",
    ],
)
def test_hostile_yaml_never_crashes(text: str, tmp_path: Path) -> None:
    _check_survives(tmp_path / "hostile.yml", text)


def _check_survives(path: Path, text: str) -> None:
    """A run over the file ends with a report: findings or IN001, never an internal error."""
    path.write_text(text, encoding="utf-8")
    result = run_cli(["check", "--isolated", "--select", "IN", "--format", "json", path.name], cwd=path.parent)
    assert result.code in (0, 1), result.stderr
    assert "internal error" not in result.stdout + result.stderr
    assert isinstance(result.json()["findings"], list)
