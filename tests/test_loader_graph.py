"""The Graph JSON/YAML loader: every shape Graph and its tools write, with exact spans and problems."""

from __future__ import annotations

from pathlib import Path

import pytest

from linter.loaders import LoadResult, load_text
from linter.loaders.json.parse import _trailing_comma
from linter.model import Document, to_plain
from linter.model.source import Span, decode_text
from tests.conftest import CORPUS, FIXTURES, needs_shared, shared_cases

GRAPH = FIXTURES / "graph"


def load(path: Path) -> LoadResult:
    result = load_text(str(path), decode_text(path.read_bytes()))
    assert result is not None, path
    return result


def names(result: LoadResult) -> list[str]:
    return [document.name for document in result.documents]


def start(document: Document, pointer: str) -> tuple[int, int]:
    span = document.span(pointer)
    return span.start_line, span.start_column


def problems(result: LoadResult) -> set[tuple[str, str, int, int]]:
    return {(p.code, p.pointer, p.span.start_line, p.span.start_column) for p in result.problems}


def test_one_policy_object_drops_odata_and_splits_flags() -> None:
    result = load(GRAPH / "policy.json")
    assert result.problems == ()
    (policy,) = result.documents
    assert (policy.kind, policy.source_format, policy.identity) == (
        "conditionalAccessPolicy",
        "graph-json",
        "7e1c3a52-2f0e-4a55-9c1e-0d5f3b0e6a11",
    )
    assert policy.get("/conditions/authenticationFlows") == {
        "transferMethods": ["deviceCodeFlow", "authenticationTransfer"]
    }
    assert "@odata.context" not in policy.data and "templateId" not in policy.data  # nulls pruned
    assert "userRiskLevels" not in policy.data["conditions"]  # empty lists pruned
    assert start(policy, "/state") == (8, 14)
    assert start(policy, "/conditions/users/excludeGroups/0") == (29, 31)
    # The second flag inside "deviceCodeFlow,authenticationTransfer", just that word.
    assert policy.span("/conditions/authenticationFlows/transferMethods/1") == Span(37, 48, 37, 70)


def test_json_array() -> None:
    result = load(GRAPH / "array.json")
    assert names(result) == ["Require MFA for admins", "Block legacy authentication"]
    assert [document.pointer for document in result.documents] == ["/0", "/1"]
    assert start(result.documents[1], "/conditions/clientAppTypes/1") == (16, 48)


def test_graph_list_response() -> None:
    result = load(GRAPH / "list-response.json")
    assert names(result) == ["Guests need MFA", "Insider risk", "Persistent browser never"]
    guests, insider, browser = result.documents
    assert guests.get("/conditions/users/includeGuestsOrExternalUsers") == {
        "guestOrExternalUserTypes": ["internalGuest", "b2bCollaborationGuest"],
        "externalTenants": {"membershipKind": "all"},
    }
    assert insider.get("/conditions/insiderRiskLevels") == ["elevated"]
    assert browser.get("/grantControls") is None
    assert start(browser, "/sessionControls/persistentBrowser/mode") == (47, 57)


def test_multi_document_yaml() -> None:
    result = load(GRAPH / "multi.yaml")
    assert result.source_format == "graph-yaml" and result.problems == ()
    assert names(result) == ["Require MFA for admins", "Block device code flow"]
    assert [document.pointer for document in result.documents] == ["/0", "/1"]
    admins, device_code = result.documents
    assert start(admins, "/conditions/users/includeRoles/0") == (10, 9)
    # A hand-written array is accepted where Graph sends one comma-joined string.
    assert device_code.get("/conditions/authenticationFlows/transferMethods") == [
        "deviceCodeFlow",
        "authenticationTransfer",
    ]
    assert start(device_code, "/conditions/authenticationFlows/transferMethods/1") == (26, 9)


def test_yaml_sequence() -> None:
    result = load(GRAPH / "sequence.yaml")
    assert names(result) == ["Require compliant device", "Block high sign-in risk"]
    assert result.documents[0].get("/conditions/platforms/includePlatforms") == ["windows", "macOS"]
    assert start(result.documents[1], "/conditions/signInRiskLevels/0") == (13, 24)


def _policy(name: str) -> str:
    return (
        f'{{"displayName": "{name}", "conditions": {{"users": {{"includeUsers": ["All"]}}}},'
        ' "grantControls": {"operator": "OR", "builtInControls": ["mfa"]}}'
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Indexes compare as numbers, at every depth.
        (
            "[" + ", ".join(_policy(f"p{index}") for index in range(12)) + "]",
            [(f"/{index}", f"p{index}") for index in range(12)],
        ),
        # Keys of digits and other keys in one object (this raised TypeError while sorting).
        (
            f'{{"x": {_policy("x")}, "10": {_policy("ten")}, "2": {_policy("two")}, "a": [{_policy("a0")}]}}',
            [("/2", "two"), ("/10", "ten"), ("/a/0", "a0"), ("/x", "x")],
        ),
        # A key of non-ASCII digits is a key, not a number (int() raised ValueError).
        (f'{{"\u00b2": {_policy("squared")}, "1": {_policy("one")}}}', [("/1", "one"), ("/\u00b2", "squared")]),
    ],
)
def test_documents_come_in_pointer_order(text: str, expected: list[tuple[str, str]]) -> None:
    result = load_text("wrapper.json", text)
    assert result is not None and result.problems == ()
    assert [(document.pointer, document.name) for document in result.documents] == expected


def test_pascal_case_powershell_sdk_object() -> None:
    (policy,) = load(GRAPH / "pascal-case.json").documents
    assert to_plain(policy.data) == {
        "id": "44444444-4444-4444-4444-444444444444",
        "displayName": "Exported by Get-MgIdentityConditionalAccessPolicy",
        "state": "enabled",
        "createdDateTime": "2024-01-02T03:04:05Z",
        "conditions": {
            "applications": {"includeApplications": ["All"]},
            "users": {"includeUsers": ["All"]},
            "clientAppTypes": ["all"],
            "authenticationFlows": {"transferMethods": ["deviceCodeFlow"]},
        },
        "grantControls": {"operator": "OR", "builtInControls": ["block"]},
    }


def test_entra_exporter_layout() -> None:
    exporter = GRAPH / "exporter"
    found = {path.relative_to(exporter).parts[0]: load(path).documents for path in sorted(exporter.rglob("*.json"))}
    assert {kind: [(d.kind, d.name) for d in documents] for kind, documents in found.items()} == {
        "Identity": [("conditionalAccessPolicy", "Exported: require MFA")],
        "Policies": [("tokenLifetimePolicy", "Exported: token lifetime")],
    }
    (token_policy,) = found["Policies"]
    assert token_policy.definitions[0].value == {
        "TokenLifetimePolicy": {"Version": 1, "AccessTokenLifetime": "04:00:00"}
    }


def test_named_locations_and_authentication_strength() -> None:
    office, countries = load(GRAPH / "named-locations.json").documents
    assert office.kind == countries.kind == "namedLocation"
    assert office.get("/ipRanges") == [{"cidrAddress": "203.0.113.0/24"}, {"cidrAddress": "2001:db8::/48"}]
    assert countries.get("/countriesAndRegions") == ["NL", "BE"]
    (strength,) = load(GRAPH / "authentication-strength.json").documents
    assert strength.kind == "authenticationStrengthPolicy"
    assert strength.get("/allowedCombinations/2") == "x509CertificateMultiFactor"


def test_token_lifetime_policy_json_spans_inside_the_definition() -> None:
    result = load(GRAPH / "token-lifetime.json")
    (policy,) = result.documents
    assert (policy.kind, policy.pointer, result.problems) == ("tokenLifetimePolicy", "/value/0", ())
    assert policy.definitions[0].value == {
        "TokenLifetimePolicy": {"Version": 1, "AccessTokenLifetime": "02:00:00", "MaxAgeMultiFactor": "until-revoked"}
    }
    # From the escaped opening quote of \"until-revoked\" to its escaped closing quote, on line 11.
    assert policy.span("/definition/0/TokenLifetimePolicy/MaxAgeMultiFactor") == Span(11, 109, 11, 126)


def test_token_lifetime_policy_yaml_block_scalar() -> None:
    (policy,) = load(GRAPH / "token-lifetime-block.yaml").documents
    assert policy.get("/isOrganizationDefault") is True
    assert policy.definitions[0].value == {
        "TokenLifetimePolicy": {"Version": 1, "AccessTokenLifetime": "08:00:00", "MaxAgeMultiFactor": "90.00:00:00"}
    }
    assert start(policy, "/definition/0/TokenLifetimePolicy/MaxAgeMultiFactor") == (9, 30)
    assert start(policy, "/definition/0/TokenLifetimePolicy/Version") == (7, 20)


def test_token_lifetime_policy_yaml_quoted_string() -> None:
    (policy,) = load(GRAPH / "token-lifetime-quoted.yaml").documents
    assert policy.definitions[0].value == {"TokenLifetimePolicy": {"Version": 1, "MaxAgeMultiFactor": "until-revoked"}}
    assert start(policy, "/definition/0/TokenLifetimePolicy/MaxAgeMultiFactor") == (4, 69)


@pytest.mark.parametrize(
    ("name", "source_format", "days", "days_at"),
    [("settings.json", "entralint-json", 90, (5, 15)), ("settings.yaml", "entralint-yaml", 14, (5, 11))],
)
def test_mfa_service_settings(name: str, source_format: str, days: int, days_at: tuple[int, int]) -> None:
    result = load(FIXTURES / "mfa" / name)
    (settings,) = result.documents
    assert (settings.kind, settings.source_format, result.problems) == ("mfaServiceSettings", source_format, ())
    assert settings.data == {"rememberMfaOnTrustedDevices": {"enabled": True, "days": days}}
    assert start(settings, "/rememberMfaOnTrustedDevices/days") == days_at


def test_mfa_service_settings_schema_problems() -> None:
    result = load(FIXTURES / "mfa" / "invalid.yaml")
    assert problems(result) == {
        ("IN002", "/rememberMfaOnTrustedDevices/enabled", 3, 14),
        ("IN002", "/rememberMfaOnTrustedDevices/days", 4, 11),
        ("IN002", "/rememberMfa", 5, 16),
    }
    messages = sorted(problem.message.split(": ", 1)[1] for problem in result.problems)
    assert messages == [
        "/rememberMfaOnTrustedDevices/days must be at most 365, not 400",
        "/rememberMfaOnTrustedDevices/enabled must be a boolean, not a string",
        "unknown property 'rememberMfa' at the document",
    ]
    assert result.documents[0].data == {}  # every bad value removed, then the empty object pruned


def test_utf16le_bom_and_crlf_spans() -> None:
    result = load(GRAPH / "utf16le-crlf.json")
    (policy,) = result.documents
    assert policy.name == "Exportée — UTF-16"
    assert start(policy, "/conditions/users/includeUsers/0") == (6, 32)
    ((code, pointer, line, column),) = problems(result)
    assert (code, pointer, line, column) == ("IN002", "/state", 3, 12)
    assert "state" not in policy.data  # the bad value is removed so rules never see it


@pytest.mark.parametrize(
    ("name", "span", "words"),
    [
        ("syntax.json", Span.point(4, 38), "invalid JSON: trailing comma before '}'"),
        ("duplicate-key.json", Span(5, 3, 5, 15), "duplicate key 'conditions'"),
        ("nan.json", Span.point(4, 33), "NaN is not a JSON value"),
        ("lone-surrogate.json", Span.point(2, 21), "lone UTF-16 surrogate"),
        ("syntax.yaml", Span.point(4, 14), "invalid YAML"),
        ("duplicate-key.yaml", Span(4, 1, 4, 12), "duplicate key 'displayName'"),
        ("python-tag.yaml", Span(2, 13, 2, 41), "unsupported YAML tag"),
    ],
)
def test_parse_errors_are_in001_at_the_error(name: str, span: Span, words: str) -> None:
    result = load(GRAPH / "invalid" / name)
    (problem,) = result.problems
    assert (problem.code, problem.span, result.documents) == ("IN001", span, ())
    assert words in problem.message


@pytest.mark.parametrize(
    ("text", "position", "found"),
    [
        ('{"a": 1,\n}', 7, (7, "}")),  # Python 3.13 points at the comma
        ('{"a": 1,\n}', 9, (7, "}")),  # earlier versions at the bracket
        ("[1, 2 , ]", 6, (6, "]")),
        ("[1, 2 , ]", 8, (6, "]")),
        ("[1,,2]", 3, None),  # a missing value, not a trailing comma
        ('{"a" 1}', 5, None),
    ],
)
def test_a_trailing_comma_is_reported_at_the_comma_whatever_python_points_at(
    text: str, position: int, found: tuple[int, str] | None
) -> None:
    assert _trailing_comma(text, position) == found


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        (
            "unknown-enum-and-property.json",
            {
                ("/state", 3, 12, "'enable' at /state is not one of 'enabled', 'disabled', "),
                ("/stat", 4, 11, "unknown property 'stat' at the document (did you mean 'state'?)"),
            },
        ),
        ("conditions-null.yaml", {("/conditions", 3, 13, "/conditions must be an object, not null")}),
        (
            "wrong-types.json",
            {
                ("/conditions/users/includeUsers", 5, 31, "must be an array or null, not a string"),
                ("/conditions/clientAppTypes/1", 6, 31, "7 at /conditions/clientAppTypes/1 is not one of 'all'"),
                ("/sessionControls/signInFrequency/value", 8, 52, "must be an integer or null, not a string"),
            },
        ),
        (
            "token-lifetime-types.json",
            {
                ("/definition", 4, 17, "/definition must be an array, not a string"),
                ("/isOrganizationDefault", 3, 28, "must be a boolean or null, not a string"),
            },
        ),
        ("token-lifetime-items.yaml", {("/definition/1", 4, 5, "/definition/1 must be a string, not an integer")}),
    ],
)
def test_schema_violations_are_in002_at_the_value(name: str, expected: set[tuple[str, int, int, str]]) -> None:
    result = load(GRAPH / "schema" / name)
    found = {(p.pointer, p.span.start_line, p.span.start_column, p.message) for p in result.problems}
    assert {f[:3] for f in found} == {e[:3] for e in expected}
    for pointer, _, _, words in expected:
        (message,) = [f[3] for f in found if f[0] == pointer]
        assert words in message
    assert all(problem.code == "IN002" for problem in result.problems)


def test_unknown_properties_past_the_listed_hundred_are_one_in002_and_all_removed() -> None:
    unknown = ", ".join(f'"k{number}": 1' for number in range(250))
    text = (
        '{"displayName": "P", "state": "enabled",\n "conditions": {"clientAppTypes": ["all"], '
        + unknown
        + ', "users": {"includeUsers": ["All"]}}, "grantControls": {"operator": "OR", "builtInControls": ["mfa"]}}'
    )
    result = load_text("p.json", text)
    assert result is not None
    listed = [problem for problem in result.problems if problem.pointer != "/conditions"]
    assert sorted(problem.pointer for problem in listed) == sorted(f"/conditions/k{number}" for number in range(100))
    (summary,) = [problem for problem in result.problems if problem.pointer == "/conditions"]
    assert summary.code == "IN002"
    assert summary.message == (
        "P: 150 more members of /conditions break the schema, not listed one by one "
        "(entralint lists the first 100 of an object or array)"
    )
    assert (summary.span.start_line, summary.span.start_column) == (2, 16)
    (policy,) = result.documents
    assert policy.data["conditions"] == {"clientAppTypes": ["all"], "users": {"includeUsers": ["All"]}}


def test_invalid_array_items_past_the_listed_hundred_are_one_in002_and_all_removed() -> None:
    items = ", ".join(["7"] * 300)
    text = '{"displayName": "P", "state": "enabled", "conditions": {"clientAppTypes": ["all", '
    text += items + ', "browser"]}, '
    text += '"grantControls": {"operator": "OR", "builtInControls": ["mfa"]}}'
    result = load_text("p.json", text)
    assert result is not None
    listed = [problem for problem in result.problems if problem.pointer != "/conditions/clientAppTypes"]
    assert sorted(problem.pointer for problem in listed) == sorted(
        f"/conditions/clientAppTypes/{index}" for index in range(1, 101)
    )
    (summary,) = [problem for problem in result.problems if problem.pointer == "/conditions/clientAppTypes"]
    assert (summary.code, summary.span.start_column) == ("IN002", 75)
    assert summary.message.startswith("P: 200 more members of /conditions/clientAppTypes break the schema")
    (policy,) = result.documents
    assert policy.data["conditions"]["clientAppTypes"] == ["all", "browser"]


def test_conditions_null_drops_the_policy_value_not_the_file() -> None:
    (policy,) = load(GRAPH / "schema" / "conditions-null.yaml").documents
    assert "conditions" not in policy.data and policy.get("/grantControls/builtInControls") == ["mfa"]


# ---- the third-party corpus ------------------------------------------------------------------

CORPUS_FILES = sorted(
    [
        *(CORPUS / "graph-json").iterdir(),
        *(CORPUS / "yaml").iterdir(),
        *(CORPUS / "token-lifetime").glob("*.json"),
    ]
    if CORPUS.is_dir()
    else []
)
needs_corpus = needs_shared("corpus")


@pytest.mark.parametrize("path", shared_cases("corpus", CORPUS_FILES), ids=lambda path: path.name[:80])
def test_every_corpus_file_loads(path: Path) -> None:
    load_text(str(path), decode_text(path.read_bytes()))


# Counted by reading each file: the policy objects (`conditions` with `grantControls`, or a
# `definition` list) it holds, whatever wraps them. A glob names each file (the names are long).
COUNTS = [
    ("graph-json/*list-resources*get_all_policies_success.json", "conditionalAccessPolicy", 4),
    ("graph-json/Azure-Samples*template-require-mfa-admin-roles.json", "conditionalAccessPolicy", 1),
    ("graph-json/Azure-Samples*template-require-mfa-b2b-users.json", "conditionalAccessPolicy", 1),
    ("graph-json/Clutch2View*CA017-block-device-code-flow.json", "conditionalAccessPolicy", 1),
    ("graph-json/Clutch2View*CA022-insider-risk-restrictions.json", "conditionalAccessPolicy", 1),
    ("graph-json/j0eyv*CA000-Global-IdentityProtection-AnyApp-AnyPlatform-MFA.json", "conditionalAccessPolicy", 1),
    ("graph-json/j0eyv*CA501-Agents-*.json", "conditionalAccessPolicy", 1),
    ("graph-json/AlexFilipin*501 - RING - Data protection*.json", "conditionalAccessPolicy", 1),
    ("graph-json/AlexFilipin*209 - RING - Base protection*.json", "conditionalAccessPolicy", 0),  # IN001
    ("graph-json/deploymenttheory*cau019_success.json", "conditionalAccessPolicy", 1),
    ("graph-json/cisagov*CapSnippets__Users.json", "conditionalAccessPolicy", 0),  # a fragment
    ("yaml/cisagov*aad.testplan.yaml", "conditionalAccessPolicy", 12),
    ("yaml/cisagov*aad.g5.testplan.yaml", "conditionalAccessPolicy", 4),
    ("yaml/topazyo*ca-policies.yaml", "conditionalAccessPolicy", 3),
    ("yaml/topazyo*security-baseline.yaml", "conditionalAccessPolicy", 3),
    ("yaml/VolkerWessels*101.yml", "conditionalAccessPolicy", 0),  # azuread snake_case, not Graph
    ("token-lifetime/*assignment*get_service_principal_token_lifetime_policies.json", "tokenLifetimePolicy", 1),
    ("token-lifetime/*get_token_lifetime_policy_maximal.json", "tokenLifetimePolicy", 1),
    ("token-lifetime/*tokenlifetimepolicy-update.md__extract-request-body.json", "tokenLifetimePolicy", 1),
    ("token-lifetime/*beta__api__policy-update.md__extract-request-body.json", "tokenLifetimePolicy", 1),
    ("token-lifetime/*AADTokenLifetimePolicy*extract-definition.json", "tokenLifetimePolicy", 0),  # bare definition
]


@needs_corpus
@pytest.mark.parametrize(("pattern", "kind", "count"), COUNTS, ids=[entry[0] for entry in COUNTS])
def test_corpus_policy_counts(pattern: str, kind: str, count: int) -> None:
    (path,) = CORPUS.glob(pattern)
    result = load_text(str(path), decode_text(path.read_bytes()))
    documents = result.documents if result is not None else ()
    assert sum(document.kind == kind for document in documents) == count


@needs_corpus
def test_corpus_problems_are_real_mistakes_with_plain_messages() -> None:
    """Every IN002 on the real exports names a real mistake, in words (no 'is not valid under any')."""
    found = set()
    for path in CORPUS_FILES:
        result = load_text(str(path), decode_text(path.read_bytes()))
        for problem in result.problems if result is not None else ():
            assert "valid under any" not in problem.message
            found.add((path.name[:24], problem.code, problem.pointer))
    assert found == {
        ("AlexFilipin__Conditional", "IN001", ""),  # 209: "sessionControls" written twice
        ("AlexFilipin__Conditional", "IN002", "/conditions/locations"),  # [] where Graph has an object
        ("AlexFilipin__Conditional", "IN005", "/conditions/clientAppTypes/0"),  # "All" for "all"
        ("Clutch2View__nis2-condit", "IN002", "/grantControls/builtInControls/0"),  # "compliantNetwork"
        ("topazyo__conditional-acc", "IN002", "/name"),  # `name:` instead of `displayName:`
        ("ATVWGS__tenant-managemen", "IN002", "/present"),  # the Tenant Management Framework's key, not Graph's
        ("denis-beuermann__Conditi", "IN001", ""),  # User Actions 1: a trailing comma, invalid JSON
        ("denis-beuermann__Conditi", "IN002", "/conditions/platforms"),  # [] where Graph has an object
        ("denis-beuermann__Conditi", "IN005", "/conditions/clientAppTypes/0"),  # "All" for "all": letter case only
        (
            "denis-beuermann__Conditi",
            "IN005",
            "/conditions/platforms/includePlatforms/0",
        ),  # "All" for "all": letter case only
    }


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ('{"conditions": {"users": {"includeUsers": ["All"],},}}', "IN001"),
        ('{"definition": ["{\\"TokenLifetimePolicy\\":{}}"],}', "IN001"),
        ('{"TokenLifetimePolicy": {"MaxInactiveTime": "1.00:00:00",}}', "IN001"),
        ('{"name": "web", "dependencies": {"includeUsersCount": 1,}}', None),
        ('{"name": "web", "scripts": {"test": "jest",}}', None),
    ],
)
def test_broken_json_is_in001_when_its_words_are_policy_words(text: str, code: str | None) -> None:
    result = load_text("broken.json", text)
    codes = [problem.code for problem in result.problems] if result is not None else []
    assert codes == ([code] if code else [])
