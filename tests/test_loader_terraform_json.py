"""Terraform JSON loader: .tf.json configuration and `terraform show -json` plans and state."""

from __future__ import annotations

from pathlib import Path

from linter.loaders import LoadResult, load_text
from linter.model import Document, Unresolved
from tests.conftest import FIXTURES

JSON = FIXTURES / "terraform" / "json"


def load(path: Path) -> LoadResult:
    result = load_text(str(path), path.read_text(encoding="utf-8"))
    assert result is not None
    assert result.problems == ()
    return result


def by_identity(result: LoadResult) -> dict[str, Document]:
    return {document.identity: document for document in result.documents}


def where(document: Document, pointer: str) -> tuple[int, int, int, int]:
    span = document.span(pointer)
    return span.start_line, span.start_column, span.end_line, span.end_column


def test_tf_json_blocks_as_objects_or_arrays_comments_and_interpolations() -> None:
    result = load(JSON / "policies.tf.json")
    assert result.source_format == "terraform-json"
    found = by_identity(result)
    assert set(found) == {
        "azuread_conditional_access_policy.object_blocks",
        "azuread_conditional_access_policy.array_blocks",
    }
    objects = found["azuread_conditional_access_policy.object_blocks"]
    assert objects.source_format == "terraform-json"
    assert objects.data == {
        "displayName": "Object blocks",
        "state": "enabled",
        "conditions": {
            "clientAppTypes": ["all"],
            "authenticationFlows": {"transferMethods": ["deviceCodeFlow"]},
            "applications": {"includeApplications": ["All"]},
            "users": {"includeUsers": ["All"], "excludeGroups": [Unresolved("var.break_glass")]},
        },
        "grantControls": {"operator": "OR", "builtInControls": ["block"]},
    }
    assert where(objects, "/conditions/users/includeUsers/0") == (13, 40, 13, 45)
    assert where(objects, "/conditions/authenticationFlows/transferMethods/0") == (11, 52, 11, 68)
    arrays = found["azuread_conditional_access_policy.array_blocks"]
    assert arrays.name == "Literal ${not.a.reference}"
    assert arrays.data["conditions"] == {
        "clientAppTypes": ["browser"],
        "applications": {"includeApplications": ["Office365"]},
        "users": {"includeRoles": ["62e90394-69f5-4237-9190-012177145e10"]},
    }
    assert arrays.data["sessionControls"] == {
        "signInFrequency": {
            "isEnabled": True,
            "type": "days",
            "value": 1,
            "authenticationType": "primaryAndSecondaryAuthentication",
            "frequencyInterval": "timeBased",
        }
    }
    assert where(arrays, "/conditions/users/includeRoles/0") == (24, 43, 24, 81)


def test_plan_resource_changes_with_unknowns_and_deletes() -> None:
    result = load(JSON / "plan.json")
    assert result.source_format == "terraform-plan"
    found = by_identity(result)
    # The deleted policy contributes nothing; planned_values is not read again.
    assert set(found) == {'module.ca.azuread_conditional_access_policy.mfa["admins"]', "azuread_named_location.office"}
    policy = found['module.ca.azuread_conditional_access_policy.mfa["admins"]']
    assert (policy.kind, policy.name, policy.source_format) == (
        "conditionalAccessPolicy",
        "Admins MFA",
        "terraform-plan",
    )
    # Provider "not set" values (empty strings, 0, false, the computed timeBased) map to nothing.
    assert policy.data == {
        "displayName": "Admins MFA",
        "state": "enabled",
        "conditions": {
            "clientAppTypes": ["all"],
            "applications": {"includeApplications": ["All"]},
            "users": {
                "includeRoles": ["62e90394-69f5-4237-9190-012177145e10"],
                "excludeGroups": [Unresolved("(known after apply)")],
            },
        },
        "grantControls": {"operator": "OR", "builtInControls": ["mfa"]},
    }
    assert where(policy, "/conditions/users/excludeGroups/0") == (24, 106, 24, 110)
    assert where(policy, "/state") == (18, 20, 18, 29)
    location = found["azuread_named_location.office"]
    assert location.data == {
        "displayName": "Office",
        "ipRanges": [{"cidrAddress": "203.0.113.0/24"}],
        "isTrusted": True,
    }


def test_state_values_with_child_modules() -> None:
    result = load(JSON / "state.json")
    found = by_identity(result)
    assert set(found) == {
        "microsoft365_graph_beta_applications_token_lifetime_policy.web",
        "module.strength.azuread_authentication_strength_policy.fido",
    }
    lifetime = found["microsoft365_graph_beta_applications_token_lifetime_policy.web"]
    assert lifetime.data == {
        "id": "4d2f1c3e-0000-4000-8000-000000000001",
        "displayName": "Web",
        "isOrganizationDefault": False,
        "definition": ['{"TokenLifetimePolicy":{"Version":1,"MaxAgeMultiFactor":"10:00:00"}}'],
    }
    assert where(lifetime, "/definition/0/TokenLifetimePolicy/MaxAgeMultiFactor") == (16, 91, 16, 103)
    strength = found["module.strength.azuread_authentication_strength_policy.fido"]
    assert strength.data == {"displayName": "FIDO2 only", "allowedCombinations": ["fido2"]}


def test_tf_json_without_policy_resources_is_skipped() -> None:
    assert load_text("main.tf.json", '{"resource": {"azurerm_resource_group": {"rg": {"name": "rg"}}}}') is None


def test_wrong_type_in_tf_json_is_in002_at_the_value() -> None:
    text = (
        '{"resource": {"azuread_conditional_access_policy": {"p": {\n'
        '  "display_name": "P", "state": 3,\n'
        '  "conditions": {"users": {"included_users": "x"}}}}}}\n'
    )
    result = load_text("bad.tf.json", text)
    assert result is not None
    assert [
        (problem.code, problem.pointer, problem.span.start_line, problem.span.start_column)
        for problem in result.problems
    ] == [
        ("IN002", "/conditions/users/includeUsers", 3, 46),
        ("IN002", "/state", 2, 33),
    ]
