"""Graph PowerShell SDK scripts (issue 20, input 4): cmdlets, SDK model objects, Invoke-MgGraphRequest bodies."""

from __future__ import annotations

import pytest

from linter.loaders import LoadResult, load_text
from linter.model import CONDITIONAL_ACCESS_POLICY, NAMED_LOCATION, TOKEN_LIFETIME_POLICY, Document, Unresolved
from linter.model.source import decode_text
from tests.conftest import CORPUS, needs_shared


def load(text: str, name: str = "script.ps1") -> LoadResult:
    result = load_text(name, text)
    assert result is not None
    assert result.source_format == "powershell"
    return result


def where(document: Document, pointer: str) -> tuple[int, int, int, int]:
    span = document.span(pointer)
    assert span is not None, pointer
    return span.start_line, span.start_column, span.end_line, span.end_column


INLINE = """\
New-MgIdentityConditionalAccessPolicy -BodyParameter @{
    displayName = "Block legacy"
    state = "enabled"
    conditions = @{
        users = @{ includeUsers = @("All"); excludeGroups = @($breakGlass.Id) }
        applications = @{ includeApplications = @("All") }
        clientAppTypes = @("exchangeActiveSync", "other")
    }
    grantControls = @{ operator = "OR"; builtInControls = @("block") }
}
"""


def test_inline_hashtable_body_with_exact_positions() -> None:
    [document] = load(INLINE).documents
    assert document.kind == CONDITIONAL_ACCESS_POLICY
    assert document.identity == "Block legacy"
    assert document.data["conditions"]["clientAppTypes"] == ["exchangeActiveSync", "other"]
    assert where(document, "/displayName") == (2, 19, 2, 33)
    assert where(document, "/conditions/users/includeUsers/0") == (5, 37, 5, 42)
    assert where(document, "/grantControls/builtInControls/0") == (9, 61, 9, 68)
    # A value the script computes at run time is a reference, never a guess.
    excluded = document.data["conditions"]["users"]["excludeGroups"]
    assert excluded == ["$breakGlass.Id"] and isinstance(excluded[0], Unresolved)


def test_body_in_a_variable_and_the_call_inside_an_assignment() -> None:
    text = (
        '$p = @{ displayName = "Require MFA"; state = "disabled"; conditions = @{ users = @{ includeUsers = "All" } }\n'
        "}\n"
        "$policy = (New-MgBetaIdentityConditionalAccessPolicy -BodyParameter $p).Id\n"
    )
    [document] = load(text).documents
    assert document.data["state"] == "disabled"
    assert where(document, "/state") == (1, 46, 1, 56)


def test_an_update_sends_only_what_it_changes() -> None:
    text = "Update-MgIdentityConditionalAccessPolicy -ConditionalAccessPolicyId $id -State 'disabled'\n"
    # Not a whole policy, and nothing wrong with it: the policy it changes is defined elsewhere.
    assert load_text("script.ps1", text) is None


def test_individual_parameters_and_the_update_cmdlet_id() -> None:
    text = (
        "Update-MgIdentityConditionalAccessPolicy -ConditionalAccessPolicyId 'a7ec1c0b-1b1c-4b1f-8b55-3e6a1f4b4c2d' `\n"
        "    -State 'enabledForReportingButNotEnforced' `\n"
        "    -GrantControls @{ operator = 'OR'; builtInControls = @('mfa') } `\n"
        "  -Conditions @{ users = @{ includeUsers = @('All') }; applications = @{ includeApplications = @('All') } }\n"
    )
    [document] = load(text).documents
    assert document.identity == "a7ec1c0b-1b1c-4b1f-8b55-3e6a1f4b4c2d"
    assert document.data == {
        "state": "enabledForReportingButNotEnforced",
        "grantControls": {"operator": "OR", "builtInControls": ["mfa"]},
        "conditions": {"users": {"includeUsers": ["All"]}, "applications": {"includeApplications": ["All"]}},
    }
    assert where(document, "/state") == (2, 12, 2, 47)


def test_sdk_model_object_filled_by_property_assignments() -> None:
    text = """\
$policy = [Microsoft.Graph.PowerShell.Models.MicrosoftGraphConditionalAccessPolicy]::new()
$policy.DisplayName = 'Block high risk'
$policy.State = 'enabled'
$policy.Conditions.Users.IncludeUsers = 'All'
$policy.Conditions.Applications.IncludeApplications = 'All'
$policy.Conditions.Users.ExcludeGroups = @($groups['CA-BreakGlass'])
$policy.Conditions.SignInRiskLevels = 'high'
$policy.GrantControls.Operator = 'OR'
$policy.GrantControls.BuiltInControls = 'block'
New-MgIdentityConditionalAccessPolicy -BodyParameter $policy
"""
    [document] = load(text).documents
    assert document.data == {
        "displayName": "Block high risk",
        "state": "enabled",
        # The model's string[] properties take a lone string as a one-item array.
        "conditions": {
            "users": {"includeUsers": ["All"], "excludeGroups": ["$groups['CA-BreakGlass']"]},
            "applications": {"includeApplications": ["All"]},
            "signInRiskLevels": ["high"],
        },
        "grantControls": {"operator": "OR", "builtInControls": ["block"]},
    }
    assert isinstance(document.data["conditions"]["users"]["excludeGroups"][0], Unresolved)
    assert where(document, "/conditions/users/includeUsers/0") == (4, 41, 4, 46)
    assert where(document, "/grantControls/builtInControls") == (9, 41, 9, 48)


REQUEST = """\
$name = "CA001 Block device code flow"
$uri = "https://graph.microsoft.com/beta/identity/conditionalAccess/policies"
$json = @"
{
  "displayName": "$name",
  "state": "enabled",
  "conditions": {
    "users": {"includeUsers": ["All"], "excludeUsers": ["$breakglassid"]},
    "applications": {"includeApplications": ["All"]},
    "authenticationFlows": {"transferMethods": "deviceCodeFlow"}
  },
  "grantControls": {"operator": "OR", "builtInControls": ["block"]}
}
"@
Invoke-MgGraphRequest -Method POST -Uri $uri -Body $json -ContentType "application/json"
"""


def test_json_here_string_body_with_exact_positions_and_expansions() -> None:
    [document] = load(REQUEST).documents
    # `"$name"` is the literal the script assigned; `"$breakglassid"` is not known until the script runs.
    assert document.data["displayName"] == "CA001 Block device code flow"
    excluded = document.data["conditions"]["users"]["excludeUsers"]
    assert excluded == ["$breakglassid"] and isinstance(excluded[0], Unresolved)
    assert where(document, "/state") == (6, 12, 6, 21)
    assert where(document, "/conditions/users/includeUsers/0") == (8, 32, 8, 37)
    # Inside a comma-joined flags string: the flag's own characters.
    assert where(document, "/conditions/authenticationFlows/transferMethods/0") == (10, 49, 10, 63)


def test_json_body_in_an_escaped_double_quoted_string() -> None:
    text = (
        "Invoke-MgGraphRequest -Method PATCH -Uri "
        "'https://graph.microsoft.com/v1.0/identity/conditionalAccess/policies/7e1d9f4b-1111-4c7e-9f00-2b3c4d5e6f70' "
        '-Body "{`"state`": `"disabled`", `"conditions`": {}}"\n'
    )
    [document] = load(text).documents
    assert document.identity == "7e1d9f4b-1111-4c7e-9f00-2b3c4d5e6f70"
    assert document.data["state"] == "disabled"
    start = text.index('`"disabled')
    assert where(document, "/state") == (1, start + 1, 1, start + len('`"disabled`"') + 1)


def test_named_locations_and_token_lifetime_requests() -> None:
    text = """\
New-MgIdentityConditionalAccessNamedLocation -BodyParameter @{
    "@odata.type" = "#microsoft.graph.ipNamedLocation"
    displayName = "Head office"
    isTrusted = $true
    ipRanges = @(@{ "@odata.type" = "#microsoft.graph.iPv4CidrRange"; cidrAddress = "203.0.113.0/24" })
}
Invoke-MgGraphRequest -Method POST -Uri "https://graph.microsoft.com/v1.0/policies/tokenLifetimePolicies" -Body @{
    definition = @('{"TokenLifetimePolicy":{"Version":1,"AccessTokenLifetime":"10:00:00"}}')
    displayName = "Ten hours"
}
"""
    location, lifetime = load(text).documents
    assert location.kind == NAMED_LOCATION
    assert location.data["ipRanges"] == [{"cidrAddress": "203.0.113.0/24"}]
    assert lifetime.kind == TOKEN_LIFETIME_POLICY
    assert where(lifetime, "/displayName") == (9, 19, 9, 30)


def test_reads_and_other_requests_are_not_policies() -> None:
    text = (
        "Invoke-MgGraphRequest -Method GET -Uri 'https://graph.microsoft.com/v1.0/identity/conditionalAccess/policies'\n"
        "Invoke-MgGraphRequest -Method POST -Uri 'https://graph.microsoft.com/v1.0/groups' -Body @{ a = 'x' }\n"
        "Get-MgIdentityConditionalAccessPolicy -Filter \"displayName eq 'x'\"\n"
    )
    assert load_text("script.ps1", text) is None


def test_a_body_that_is_not_json_is_a_load_problem_at_the_string() -> None:
    text = "Invoke-MgGraphRequest -Method POST -Uri '/v1.0/identity/conditionalAccess/policies' -Body '{\"state\": }'\n"
    result = load(text)
    assert result.documents == ()
    [problem] = result.problems
    assert problem.code == "IN001" and "not valid JSON" in problem.message
    assert (problem.span.start_line, problem.span.start_column) == (1, text.index("'{") + 1)


# Each corpus script and the policies a person reading it sees, by display name and the line the policy starts at.
CORPUS_POLICIES = {
    "PacktPublishing__Microsoft-Intune-Cookbook__Chapter-11__windows-mam-conditional-access.ps1": [
        ("Windows BYOD Block Non-Compliant", 6),
        ("Windows MAM - Require App Protection Policy", 81),
    ],
    "PacktPublishing__Microsoft-Intune-Cookbook__Chapter-5__create-conditional-access-policy.ps1": [
        ("Require App Protection Policy", 9),
    ],
    "PacktPublishing__Microsoft-Intune-Cookbook__Chapter-8__create-conditional-access-compliance-policy.ps1": [
        ("Block Non-Compliant Devices", 21),
    ],
    "dwarfered__conditional-access-for-zero-trust__policies__"
    "CA406-Guests-DataProtection-AllApps-AnyPlatform-SignInSessionPolicy.ps1": [
        ("CA406-Guests-DataProtection-AllApps-AnyPlatform-SignInSessionPolicy", 68),
    ],
    "dwarfered__conditional-access-for-zero-trust__policies__"
    "CA901-WorkloadIdentities-BaseProtection-AllApps-AnyPlatform-BlockHighRisk.ps1": [
        ("CA901-WorkloadIdentities-BaseProtection-AllApps-AnyPlatform-BlockHighRisk", 36),
    ],
}


@needs_shared("corpus/powershell-graph")
def test_every_corpus_script_is_covered() -> None:
    assert sorted(path.name for path in (CORPUS / "powershell-graph").iterdir()) == sorted(CORPUS_POLICIES)


@needs_shared("corpus/powershell-graph")
@pytest.mark.parametrize("name", sorted(CORPUS_POLICIES))
def test_corpus_scripts_yield_every_policy_at_its_line(name: str) -> None:
    path = CORPUS / "powershell-graph" / name
    result = load(decode_text(path.read_bytes()), str(path))
    found = [(document.name, where(document, "")[0]) for document in result.documents]
    assert found == CORPUS_POLICIES[name]
    assert all(document.kind == CONDITIONAL_ACCESS_POLICY for document in result.documents)


REQUEST_LINE = "Invoke-MgGraphRequest -Method POST -Uri '/v1.0/identity/conditionalAccess/policies' -Body "


@pytest.mark.parametrize(
    "text",
    [
        pytest.param(REQUEST_LINE + "'" + "[" * 50_000 + "'\n", id="json-body-nested-past-the-recursion-limit"),
        pytest.param(REQUEST_LINE + "'" + '{"a":' * 150 + "1" + "}" * 150 + "'\n", id="json-body-150-deep"),
        pytest.param('$json = @"\n{"state": "enabled"}\n' + REQUEST_LINE + "$json\n", id="unterminated-here-string"),
        pytest.param(REQUEST_LINE + "(" * 50_000 + "\n", id="open-parentheses"),
        pytest.param(
            "New-MgIdentityConditionalAccessPolicy -BodyParameter " + "@{a=" * 5_000 + "\n", id="open-hashtables"
        ),
        pytest.param(
            "$p = [MicrosoftGraphConditionalAccessPolicy]::new()\n" + "$p.A.B = 1\n" * 20_000, id="assignments"
        ),
        pytest.param(
            "$p = [MicrosoftGraphConditionalAccessPolicy]::new()\n$p" + ".A" * 20_000 + " = 1\n", id="long-member"
        ),
        pytest.param("$x[" * 10_000 + "\n", id="open-indexes"),
    ],
)
def test_hostile_scripts_end_without_a_crash(text: str) -> None:
    result = load_text("hostile.ps1", text)
    problems = result.problems if result is not None else ()
    assert all(problem.code in ("IN001", "IN002") for problem in problems), problems


def test_a_json_body_nested_too_deeply_is_in001_at_the_string() -> None:
    text = REQUEST_LINE + "'" + "[" * 50_000 + "'\n"
    [problem] = load(text).problems
    assert problem.code == "IN001" and "nested too deeply" in problem.message
    assert (problem.span.start_line, problem.span.start_column) == (1, len(REQUEST_LINE) + 1)
