"""Terraform HCL loader: every resource shape, values, spans, unresolved references and errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from linter.loaders import LoadResult, load_text
from linter.model import Document, Unresolved
from tests.conftest import CORPUS, FIXTURES, needs_shared, shared_cases

HCL = FIXTURES / "terraform" / "hcl"


def load(path: Path) -> LoadResult:
    result = load_text(str(path), path.read_text(encoding="utf-8"))
    assert result is not None
    return result


def documents(name: str) -> dict[str, Document]:
    result = load(HCL / name)
    assert result.problems == ()
    assert {document.source_format for document in result.documents} == {"terraform-hcl"}
    return {document.identity: document for document in result.documents}


def where(document: Document, pointer: str) -> tuple[int, int, int, int]:
    span = document.span(pointer)
    return span.start_line, span.start_column, span.end_line, span.end_column


def test_azuread_conditional_access_policy_every_argument() -> None:
    document = documents("azuread_full.tf")["azuread_conditional_access_policy.full"]
    assert (document.kind, document.name) == ("conditionalAccessPolicy", 'CA100 "Full" — all arguments')
    assert document.data == {
        "displayName": 'CA100 "Full" — all arguments',
        "state": "enabledForReportingButNotEnforced",
        "conditions": {
            "clientAppTypes": ["browser", "mobileAppsAndDesktopClients"],
            "signInRiskLevels": ["medium"],
            "userRiskLevels": ["high"],
            "servicePrincipalRiskLevels": ["low"],
            "insiderRiskLevels": ["moderate"],
            "authenticationFlows": {"transferMethods": ["deviceCodeFlow", "authenticationTransfer"]},
            "applications": {
                "includeApplications": ["All"],
                "excludeApplications": ["00000002-0000-0ff1-ce00-000000000000"],
                "applicationFilter": {"mode": "exclude", "rule": 'CustomSecurityAttribute.Tier -eq "low"'},
            },
            "users": {
                "includeUsers": ["All"],
                "excludeUsers": [Unresolved("var.break_glass")],
                "excludeGroups": [Unresolved("azuread_group.break_glass.object_id")],
                "includeRoles": ["62e90394-69f5-4237-9190-012177145e10"],
                "includeGuestsOrExternalUsers": {
                    "guestOrExternalUserTypes": ["internalGuest", "b2bCollaborationGuest"],
                    "externalTenants": {
                        "membershipKind": "enumerated",
                        "members": ["11111111-1111-1111-1111-111111111111"],
                    },
                },
                "excludeGuestsOrExternalUsers": {
                    "guestOrExternalUserTypes": ["serviceProvider"],
                    "externalTenants": {"membershipKind": "all"},
                },
            },
            "clientApplications": {
                "includeServicePrincipals": ["ServicePrincipalsInMyTenant"],
                "excludeServicePrincipals": ["22222222-2222-2222-2222-222222222222"],
                "servicePrincipalFilter": {
                    "mode": "include",
                    "rule": 'CustomSecurityAttribute.Workload -eq "batch"',
                },
            },
            "devices": {"deviceFilter": {"mode": "exclude", "rule": "device.isCompliant -eq True"}},
            "locations": {"includeLocations": ["All"], "excludeLocations": ["AllTrusted"]},
            "platforms": {"includePlatforms": ["all"], "excludePlatforms": ["iOS"]},
        },
        "grantControls": {
            "operator": "AND",
            "builtInControls": ["mfa", "compliantDevice"],
            "termsOfUse": ["33333333-3333-3333-3333-333333333333"],
            "authenticationStrength": {"id": "00000000-0000-0000-0000-000000000004"},
        },
        "sessionControls": {
            "applicationEnforcedRestrictions": {"isEnabled": True},
            "cloudAppSecurity": {"isEnabled": True, "cloudAppSecurityType": "blockDownloads"},
            "disableResilienceDefaults": True,
            "persistentBrowser": {"isEnabled": True, "mode": "never"},
            "signInFrequency": {
                "isEnabled": True,
                "type": "hours",
                "value": 4,
                "authenticationType": "secondaryAuthentication",
                "frequencyInterval": "timeBased",
            },
        },
    }
    assert document.line == 11
    assert where(document, "/conditions/users/includeUsers/0") == (33, 26, 33, 31)
    assert where(document, "/conditions/authenticationFlows/transferMethods") == (21, 44, 21, 88)
    assert where(document, "/conditions/authenticationFlows/transferMethods/1") == (21, 63, 21, 87)
    # A resolved `var.x` points at the reference, where the policy uses it.
    assert where(document, "/state") == (13, 18, 13, 34)
    assert where(document, "/grantControls/authenticationStrength/id") == (88, 41, 88, 120)
    assert where(document, "/sessionControls/signInFrequency/isEnabled") == (96, 49, 96, 50)


def test_every_time_sign_in_frequency_drops_application_enforced_restrictions() -> None:
    document = documents("azuread_full.tf")["azuread_conditional_access_policy.every_time"]
    assert document.data["sessionControls"] == {
        "signInFrequency": {
            "isEnabled": True,
            "authenticationType": "primaryAndSecondaryAuthentication",
            "frequencyInterval": "everyTime",
        }
    }
    assert where(document, "/sessionControls/signInFrequency/frequencyInterval") == (118, 49, 118, 60)


def test_named_locations_and_authentication_strength() -> None:
    found = documents("azuread_full.tf")
    office = found["azuread_named_location.office"]
    assert (office.kind, office.name) == ("namedLocation", "Office")
    assert office.data == {
        "displayName": "Office",
        "ipRanges": [{"cidrAddress": "203.0.113.0/24"}, {"cidrAddress": "2001:db8::/32"}],
        "isTrusted": True,
    }
    assert where(office, "/ipRanges/1/cidrAddress") == (125, 36, 125, 51)
    countries = found["azuread_named_location.blocked_countries"]
    assert countries.data == {
        "displayName": "Blocked countries",
        "countriesAndRegions": ["KP", "IR"],
        "includeUnknownCountriesAndRegions": True,
        "countryLookupMethod": "clientIpAddress",
    }
    # A provider default has no text of its own: it points at the block that implies it.
    assert where(countries, "/countryLookupMethod") == (132, 3, 135, 4)
    strength = found["azuread_authentication_strength_policy.phish_resistant"]
    assert (strength.kind, strength.data) == (
        "authenticationStrengthPolicy",
        {
            "displayName": "Phishing resistant",
            "description": "FIDO2 or Windows Hello",
            "allowedCombinations": ["fido2", "windowsHelloForBusiness"],
        },
    )
    assert "azuread_group.break_glass" not in found


def test_microsoft365_conditional_access_policy_attribute_syntax() -> None:
    document = documents("microsoft365.tf")[
        "microsoft365_graph_beta_identity_and_access_conditional_access_policy.guests"
    ]
    assert document.data == {
        "displayName": "CAU019 guests",
        "state": "enabled",
        "conditions": {
            "clientAppTypes": ["browser"],
            "users": {
                "includeUsers": ["GuestsOrExternalUsers"],
                "includeGuestsOrExternalUsers": {
                    "guestOrExternalUserTypes": ["internalGuest", "b2bCollaborationGuest"],
                    "externalTenants": {"membershipKind": "all"},
                },
            },
            "applications": {
                "includeApplications": ["All"],
                "includeAuthenticationContextClassReferences": ["c1"],
            },
            "authenticationFlows": {"transferMethods": ["deviceCodeFlow", "authenticationTransfer"]},
        },
        "grantControls": {"operator": "OR", "builtInControls": ["block"]},
        "sessionControls": {
            "signInFrequency": {
                "isEnabled": True,
                "type": "hours",
                "value": 8,
                "authenticationType": "primaryAndSecondaryAuthentication",
                "frequencyInterval": "timeBased",
            }
        },
    }
    assert where(document, "/conditions/users/includeUsers/0") == (8, 24, 8, 47)
    # The comma-joined flags string: each flag's own span inside it.
    assert where(document, "/conditions/authenticationFlows/transferMethods/1") == (22, 42, 22, 64)


def test_microsoft365_authentication_strength_policy() -> None:
    text = (
        'resource "microsoft365_graph_beta_identity_and_access_authentication_strength_policy" "phishing_resistant" {\n'
        '  display_name         = "Phishing resistant"\n'
        '  allowed_combinations = ["fido2", "windowsHelloForBusiness"]\n'
        "  combination_configurations = [\n"
        '    { applies_to_combinations = "fido2", allowed_aaguids = ["90a3ccdf-635c-4729-a248-9b709135078f"] },\n'
        "  ]\n"
        "}\n"
    )
    result = load_text("strength.tf", text)
    assert result is not None and result.problems == ()
    (document,) = result.documents
    assert (document.kind, document.data) == (
        "authenticationStrengthPolicy",
        {"displayName": "Phishing resistant", "allowedCombinations": ["fido2", "windowsHelloForBusiness"]},
    )
    assert where(document, "/allowedCombinations/1") == (3, 36, 3, 61)


@pytest.mark.parametrize(
    ("identity", "expected_definition", "span"),
    [
        (
            "escaped",
            '{"TokenLifetimePolicy":{"Version":1,"MaxAgeMultiFactor":"1.00:00:00","Note":"café"}}',
            (50, 68, 50, 82),
        ),
        (
            "heredoc",
            '{\n  "TokenLifetimePolicy": {\n    "Version": 1,\n    "MaxAgeMultiFactor": "until-revoked"\n  }\n}\n',
            (60, 30, 60, 45),
        ),
        ("encoded", '{"TokenLifetimePolicy":{"Version":1,"MaxAgeMultiFactor":"12:00:00"}}', (72, 27, 72, 37)),
    ],
)
def test_microsoft365_token_lifetime_definitions(
    identity: str, expected_definition: str, span: tuple[int, int, int, int]
) -> None:
    document = documents("microsoft365.tf")[f"microsoft365_graph_beta_applications_token_lifetime_policy.{identity}"]
    assert document.kind == "tokenLifetimePolicy"
    assert document.data["definition"] == [expected_definition]
    assert document.definitions[0].value is not None
    assert where(document, "/definition/0/TokenLifetimePolicy/MaxAgeMultiFactor") == span


def test_token_lifetime_definition_spans_through_escapes() -> None:
    document = documents("microsoft365.tf")["microsoft365_graph_beta_applications_token_lifetime_policy.escaped"]
    assert document.data["isOrganizationDefault"] is True
    assert where(document, "/definition/0/TokenLifetimePolicy/Note") == (50, 92, 50, 105)
    # One character inside the definition string: `V` of "Version", behind an escaped quote.
    span = document.span_in_string("/definition/0", 24)
    assert (span.start_line, span.start_column) == (50, 32)


def test_msgraph_resource_bodies() -> None:
    found = documents("msgraph.tf")
    assert set(found) == {"msgraph_resource.block_legacy", "msgraph_resource.token_lifetime"}
    policy = found["msgraph_resource.block_legacy"]
    assert policy.data == {
        "displayName": "Block legacy authentication",
        "state": "enabled",
        "conditions": {
            "clientAppTypes": ["exchangeActiveSync", "other"],
            "applications": {"includeApplications": ["All"]},
            "users": {"includeUsers": ["All"], "excludeGroups": [Unresolved("var.break_glass")]},
        },
        "grantControls": {"operator": "OR", "builtInControls": ["block"]},
    }
    assert where(policy, "/conditions/users/excludeGroups/0") == (11, 67, 11, 82)
    lifetime = found["msgraph_resource.token_lifetime"]
    assert lifetime.data == {
        "displayName": "Web apps",
        "isOrganizationDefault": False,
        "definition": ['{"TokenLifetimePolicy":{"Version":1,"MaxInactiveTime":"2.00:00:00"}}'],
    }
    assert where(lifetime, "/definition/0/TokenLifetimePolicy/MaxInactiveTime") == (22, 91, 22, 105)


def test_expressions_stay_unresolved_with_their_source_text() -> None:
    document = documents("unresolved.tf")["azuread_conditional_access_policy.computed"]
    assert document.data == {
        "displayName": Unresolved('"Computed ${var.suffix}"'),
        "state": "enabled",
        "conditions": {
            "clientAppTypes": Unresolved('concat(["browser"], var.more_clients)'),
            "applications": {"includeApplications": Unresolved("[for app in var.apps : app.id]")},
            "users": {
                "includeRoles": Unresolved("local.admins"),
                "excludeGroups": [Unresolved("azuread_group.bg.object_id")],
            },
            "locations": Unresolved('dynamic "locations" { for_each = var.locations }'),
        },
        "grantControls": {"operator": "OR", "builtInControls": ["mfa"]},
    }
    assert isinstance(document.data["conditions"]["locations"], Unresolved)
    assert where(document, "/conditions/locations") == (19, 5, 24, 6)


def test_variable_default_from_another_file_of_the_module() -> None:
    document = documents("module/main.tf")["azuread_conditional_access_policy.from_module"]
    assert document.data["conditions"]["users"] == {"includeUsers": ["All"]}
    assert where(document, "/conditions/users/includeUsers") == (10, 24, 10, 42)


def test_syntax_error_is_in001_at_its_position() -> None:
    result = load(HCL / "malformed.tf")
    assert result.documents == ()
    assert [
        (problem.code, problem.message, problem.span.start_line, problem.span.start_column)
        for problem in result.problems
    ] == [("IN001", "syntax error: missing ']'", 7, 3)]


def test_file_without_policy_resources_is_skipped_even_when_broken() -> None:
    path = HCL / "not_policy_broken.tf"
    assert load_text(str(path), path.read_text(encoding="utf-8")) is None


def test_wrong_types_are_in002_and_removed() -> None:
    result = load(HCL / "wrong_types.tf")
    assert [
        (problem.code, problem.pointer, problem.span.start_line, problem.span.start_column)
        for problem in result.problems
    ] == [
        ("IN002", "/conditions/users/includeUsers", 11, 24),
        ("IN002", "/state", 3, 18),
    ]
    assert "not one of" in result.problems[1].message
    (document,) = result.documents
    assert "state" not in document.data
    assert "users" not in document.data["conditions"]


def test_deep_nesting_is_a_parse_problem_not_a_crash() -> None:
    text = (
        'resource "azuread_conditional_access_policy" "deep" {\n  display_name = ' + "[" * 3000 + "]" * 3000 + "\n}\n"
    )
    result = load_text("deep.tf", text)
    assert result is not None
    assert [problem.code for problem in result.problems] == ["IN001"]
    assert "nested too deeply" in result.problems[0].message


# (file, policies found) counted by reading each file: resource blocks of the types entralint reads.
CORPUS_COUNTS = [
    (
        "terraform-hcl/microsoft__ConditionalAccessforZeroTrustResources__ConditionalAccessSamplePoliciesTerraform__azuread_conditional_access_policy.tf",
        17,
    ),
    (
        "terraform-hcl/robertbrandso__terraform-azuread-recommended-conditional-access-policies__conditional_access.device.tf",
        13,
    ),
    (
        "terraform-hcl/robertbrandso__terraform-azuread-recommended-conditional-access-policies__conditional_access.user.tf",
        11,
    ),
    (
        "terraform-hcl/robertbrandso__terraform-azuread-recommended-conditional-access-policies__conditional_access.location.tf",
        5,
    ),
    (
        "terraform-hcl/robertbrandso__terraform-azuread-recommended-conditional-access-policies__conditional_access.prerequisite.tf",
        2,
    ),
    ("terraform-hcl/Coalfire-CF__terraform-azurerm-conditional-access__conditionalAccess.tf", 1),
    (
        "token-lifetime/deploymenttheory__terraform-provider-microsoft365__examples__resources__microsoft365_graph_beta_applications_token_lifetime_policy__resource.tf",
        2,
    ),
    (
        "terraform-hcl/deploymenttheory__terraform-provider-microsoft365__examples__resources__microsoft365_graph_beta_identity_and_access_authentication_strength_policy__resource.tf",
        1,
    ),
]


@needs_shared("corpus")
@pytest.mark.parametrize(("name", "count"), CORPUS_COUNTS)
def test_corpus_policy_counts(name: str, count: int) -> None:
    assert len(load(CORPUS / name).documents) == count


def corpus_files() -> list[Path]:
    return sorted((CORPUS / "terraform-hcl").glob("*.tf")) + sorted((CORPUS / "token-lifetime").glob("*.tf"))


@pytest.mark.parametrize("path", shared_cases("corpus", corpus_files()), ids=lambda path: path.name[:60])
def test_every_corpus_file_loads(path: Path) -> None:
    result = load(path)
    assert result.documents
    assert [problem for problem in result.problems if problem.code == "IN001"] == []


UNKNOWN_ATTRIBUTES = """\
resource "azuread_conditional_access_policy" "typos" {
  count        = 1
  display_name = "Typos"
  stat         = "enabled"
  conditions {
    client_app_types = ["all"]
    applications {
      included_applications = ["All"]
    }
    users {
      included_user = ["All"]
    }
  }
  grant_controls {
    operator          = "OR"
    built_in_control  = ["mfa"]
  }
  session_controls {
    sign_in_frequncy = 4
  }
  lifecycle {
    ignore_changes = [state]
  }
}

resource "azuread_named_location" "office" {
  display_name = "Office"
  ip {
    ip_ranges = ["192.0.2.0/24"]
    trusted   = true
    trust     = true
  }
}
"""


def test_unknown_attributes_are_in002_named_as_written_with_a_suggestion() -> None:
    result = load_text("typos.tf", UNKNOWN_ATTRIBUTES)
    assert result is not None
    assert [(problem.code, problem.pointer, problem.span.start_line) for problem in result.problems] == [
        ("IN002", "/stat", 4),
        ("IN002", "/grantControls/built_in_control", 16),
        ("IN002", "/conditions/users/included_user", 11),
        ("IN002", "/sessionControls/sign_in_frequncy", 19),
        ("IN002", "/trust", 31),
    ]
    messages = [problem.message for problem in result.problems]
    assert messages[0] == (
        "Typos: unknown attribute 'stat' in azuread_conditional_access_policy (did you mean 'state'?)"
    )
    assert messages[2] == (
        "Typos: unknown attribute 'included_user' in conditions.users block of azuread_conditional_access_policy"
        " (did you mean 'included_users'?)"
    )
    assert "(did you mean 'trusted'?)" in messages[4]


@pytest.mark.parametrize("path", corpus_files(), ids=lambda path: path.name[:60])
def test_no_corpus_attribute_is_unknown(path: Path) -> None:
    result = load_text(str(path), path.read_text(encoding="utf-8"))
    problems = result.problems if result is not None else ()
    assert [problem.message for problem in problems if "unknown attribute" in problem.message] == []
