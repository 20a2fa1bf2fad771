"""ARM / Bicep JSON loader: policies by shape in variables, parameters, scripts and Graph resources."""

from __future__ import annotations

from pathlib import Path

import pytest

from linter.loaders import LoadResult, load_text
from linter.model import Document, Unresolved, to_plain
from linter.model.source import Span, decode_text
from tests.conftest import CORPUS, FIXTURES, shared_cases

ARM = FIXTURES / "arm"
TL = "/definition/0/TokenLifetimePolicy"


def load(path: Path) -> LoadResult:
    result = load_text(str(path), path.read_text(encoding="utf-8"))
    assert result is not None
    return result


def by_identity(result: LoadResult) -> dict[str, Document]:
    return {document.identity: document for document in result.documents}


def at(document: Document, pointer: str) -> tuple[int, int, str]:
    """Line, column and the text a span starts with (up to its end on the same line)."""
    span = document.span(pointer)
    line = Path(document.path).read_text(encoding="utf-8").split("\n")[span.start_line - 1]
    end = span.end_column - 1 if span.end_line == span.start_line else len(line)
    return span.start_line, span.start_column, line[span.start_column - 1 : end]


def test_classic_template_variables_and_parameter_defaults() -> None:
    result = load(ARM / "classic_variables.json")
    assert result.source_format == "arm"
    assert result.problems == ()
    documents = by_identity(result)
    assert sorted(documents) == ["parameters.tokenPolicy", "variables.caPolicy"]
    policy = documents["variables.caPolicy"]
    assert (policy.kind, policy.name, policy.pointer, policy.source_format) == (
        "conditionalAccessPolicy",
        "CA001 - Block device code flow",
        "/variables/caPolicy",
        "arm",
    )
    assert to_plain(policy.data) == {
        "displayName": "CA001 - Block device code flow",
        "state": "enabledForReportingButNotEnforced",
        "conditions": {
            "clientAppTypes": ["all"],
            "users": {"includeUsers": ["All"], "excludeGroups": [{"unresolved": "[parameters('breakGlassGroup')]"}]},
            "applications": {"includeApplications": ["All"]},
            "authenticationFlows": {"transferMethods": ["deviceCodeFlow", "authenticationTransfer"]},
            "locations": {
                "includeLocations": ["[literal"],
                "excludeLocations": [{"unresolved": "[resourceId('x', 'y')]"}],
            },
        },
        "grantControls": {"operator": "OR", "builtInControls": ["block"]},
    }
    assert isinstance(policy.get("/conditions/users/excludeGroups/0"), Unresolved)


def test_resolved_references_point_at_the_value_they_resolved_to() -> None:
    policy = by_identity(load(ARM / "classic_variables.json"))["variables.caPolicy"]
    # `[parameters('policyState')]` -> the parameter's defaultValue, `[variables('allApps')]` -> the variable.
    assert at(policy, "/state") == (7, 23, '"enabledForReportingButNotEnforced"')
    assert at(policy, "/conditions/applications/includeApplications/0") == (25, 7, '"All"')
    assert at(policy, "/conditions/users/excludeGroups/0") == (39, 13, "\"[parameters('breakGlassGroup')]\"")
    assert at(policy, "/conditions/authenticationFlows/transferMethods/1") == (46, 46, "authenticationTransfer")


def test_parameter_default_token_lifetime_policy_with_definition_spans() -> None:
    policy = by_identity(load(ARM / "classic_variables.json"))["parameters.tokenPolicy"]
    assert (policy.kind, policy.name, policy.pointer) == (
        "tokenLifetimePolicy",
        "Web sessions 14 days",
        "/parameters/tokenPolicy/defaultValue",
    )
    assert policy.data["isOrganizationDefault"] is False
    assert policy.definitions[0].value == {
        "TokenLifetimePolicy": {"Version": 1, "MaxAgeSessionMultiFactor": "14.00:00:00"}
    }
    assert at(policy, "/displayName") == (15, 24, '"Web sessions 14 days"')
    assert at(policy, TL + "/MaxAgeSessionMultiFactor") == (17, 81, '\\"14.00:00:00\\"')


def test_language_version_2_resources_scripts_and_nested_deployments() -> None:
    documents = by_identity(load(ARM / "bicep_v2_graph.json"))
    assert {identity: (document.kind, document.name, document.pointer) for identity, document in documents.items()} == {
        "orgTokenLifetime": (
            "tokenLifetimePolicy",
            "Contoso default token lifetime",
            "/resources/orgTokenLifetime/properties",
        ),
        "riskPolicy": (
            "conditionalAccessPolicy",
            "CA003 - Block high sign-in risk",
            "/resources/riskPolicy/properties",
        ),
        "caScript.arguments": (
            "conditionalAccessPolicy",
            "CA002 - Require MFA",
            "/resources/caScript/properties/arguments",
        ),
        "caScript.env.TL_POLICY": (
            "tokenLifetimePolicy",
            "Short MFA tokens",
            "/resources/caScript/properties/environmentVariables/1/value",
        ),
        "nested/variables.legacyBlock": (
            "conditionalAccessPolicy",
            "CA004 - Block legacy authentication",
            "/resources/nested/properties/template/variables/legacyBlock",
        ),
    }
    assert "@odata.type" not in documents["riskPolicy"].data
    assert documents["orgTokenLifetime"].data["isOrganizationDefault"] is True
    assert documents["nested/variables.legacyBlock"].data["state"] == "disabled"
    assert to_plain(documents["caScript.arguments"].data) == {
        "displayName": "CA002 - Require MFA",
        "state": "enabled",
        "conditions": {
            "users": {"includeUsers": ["All"]},
            "applications": {"includeApplications": ["All"]},
            "clientAppTypes": ["all"],
        },
        "grantControls": {"operator": "OR", "builtInControls": ["mfa"]},
    }


def test_spans_in_graph_resources_and_nested_templates() -> None:
    documents = by_identity(load(ARM / "bicep_v2_graph.json"))
    tl = documents["orgTokenLifetime"]
    assert at(tl, "/isOrganizationDefault") == (26, 34, "true")
    assert at(tl, TL + "/MaxAgeMultiFactor") == (24, 74, '\\"1.00:00:00\\"')
    assert at(documents["riskPolicy"], "/state") == (36, 18, '"enabled"')
    nested = documents["nested/variables.legacyBlock"]
    assert at(nested, "/state") == (101, 31, '"disabled"')
    assert at(nested, "/conditions/applications/includeApplications/0") == (120, 21, '"All"')


def test_spans_inside_deployment_script_json_strings() -> None:
    documents = by_identity(load(ARM / "bicep_v2_graph.json"))
    arguments = documents["caScript.arguments"]
    assert at(arguments, "/displayName") == (72, 42, '\\"CA002 - Require MFA\\"')
    assert at(arguments, "/state") == (72, 78, '\\"enabled\\"')
    assert at(arguments, "/conditions/applications/includeApplications/0") == (72, 195, '\\"All\\"')
    env = documents["caScript.env.TL_POLICY"]
    assert env.definitions[0].value == {"TokenLifetimePolicy": {"Version": 1, "MaxAgeMultiFactor": "12:00:00"}}
    assert at(env, "/isOrganizationDefault") == (80, 206, "false")
    # A definition string inside a JSON string inside the template: escapes of escapes.
    assert at(env, TL + "/MaxAgeMultiFactor") == (80, 156, '\\\\\\"12:00:00\\\\\\"')
    # Character 2 of the definition (`T`) sits after `\"{\\\"` in the file.
    assert env.span_in_string("/definition/0", 2) == Span(80, 87, 80, 88)


def test_wrong_types_become_in002_and_are_removed() -> None:
    result = load(ARM / "wrong_types.json")
    assert [
        (problem.code, problem.pointer, problem.identity, problem.span.start_line) for problem in result.problems
    ] == [
        ("IN002", "/definition", "variables.tokenPolicy", 7),
        ("IN002", "/isOrganizationDefault", "variables.tokenPolicy", 8),
        ("IN002", "/state", "variables.caPolicy", 12),
    ]
    assert "must be an array" in result.problems[0].message
    assert "boolean" in result.problems[1].message
    assert "'enable'" in result.problems[2].message
    documents = by_identity(result)
    assert documents["variables.tokenPolicy"].data == {"displayName": "Broken token policy"}
    assert "state" not in documents["variables.caPolicy"].data


def test_template_without_policies_is_skipped() -> None:
    text = '{"$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",'
    text += ' "contentVersion": "1.0.0.0", "variables": {"x": "[concat(\'a\', \'b\')]"}, "resources": []}'
    assert load_text("storage.json", text) is None


@pytest.mark.parametrize(
    "path", shared_cases("corpus", sorted((CORPUS / "arm-bicep").glob("*.json"))), ids=lambda path: path.name[-60:]
)
def test_corpus_logic_apps_hold_no_policy(path: Path) -> None:
    # These Logic Apps POST policies read from files; the Parse_JSON schema of the policy shape is no policy.
    assert load_text(str(path), decode_text(path.read_bytes())) is None
