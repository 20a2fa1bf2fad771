"""Schemas, the compiled pre-check (never valid when jsonschema says invalid) and IN002 wording."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from linter.loaders.normalize.graph_shape import FLAG_POINTERS, graph_shape, split_flags
from linter.loaders.normalize.schema import (
    SCHEMA_FILES,
    compile_check,
    enumeration_spellings,
    explain,
    load_schema,
    validate,
    validate_definition,
)
from linter.model import CONDITIONAL_ACCESS_POLICY, Unresolved
from tests.conftest import FIXTURES


def graph_fixture(name: str) -> Any:
    """A fixture as normalize hands it to validation: OData removed, flags split."""
    data = graph_shape(json.loads((FIXTURES / "graph" / name).read_text(encoding="utf-8")))
    for document in data.get("value", [data]):
        split_flags("conditionalAccessPolicy", document)
    return data


POLICY = graph_fixture("policy.json")
BASES: dict[str, list[Any]] = {
    "conditionalAccessPolicy": [
        POLICY,
        *(graph_fixture("list-response.json")["value"]),
        graph_fixture("pascal-case.json"),
    ],
    "namedLocation": graph_fixture("named-locations.json")["value"],
    "authenticationStrengthPolicy": [graph_fixture("authentication-strength.json")],
    "tokenLifetimePolicy": graph_fixture("token-lifetime.json")["value"],
    "tokenLifetimeDefinition": [
        {"TokenLifetimePolicy": {"Version": 1, "AccessTokenLifetime": "02:00:00", "MaxInactiveTime": "90.00:00:00"}}
    ],
    "mfaServiceSettings": [{"rememberMfaOnTrustedDevices": {"enabled": True, "days": 90}}],
    "config": [
        {
            "select": ["ALL"],
            "ignore": ["CA0", "TL004"],
            "fail-on": "warning",
            "per-file-ignores": {"legacy/**": ["IN"]},
            "per-policy-ignores": {"Break glass": {"CA001": "emergency access accounts"}},
            "tenants": {"contoso": ["tenants/contoso/**"]},
            "rules": {"TL001": {"max-age": "90.00:00:00"}},
            "max-file-size": 1048576,
        }
    ],
}


def test_every_schema_is_valid_draft_2020_12() -> None:
    from jsonschema import Draft202012Validator

    for kind in SCHEMA_FILES:
        Draft202012Validator.check_schema(load_schema(kind))


@pytest.mark.parametrize("kind", sorted(BASES))
def test_fixtures_pass_the_fast_path(kind: str) -> None:
    check = compile_check(load_schema(kind))
    for document in BASES[kind]:
        assert check(document), document
        assert explain(kind, document) == []


# ---- the pre-check never calls an invalid document valid --------------------------------------

JSON_SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-5, max_value=400),
    st.floats(allow_nan=False, allow_infinity=False, width=32),
    st.sampled_from(["enabled", "enable", "All", "all", "mfa", "block", "", "02:00:00", "until-revoked", "NL", "x"]),
    st.text(max_size=6),
    st.builds(Unresolved, st.sampled_from(["var.state", "local.users", "[parameters('x')]"])),
)
JSON_VALUES = st.recursive(
    JSON_SCALARS,
    lambda children: st.one_of(
        st.lists(children, max_size=3),
        st.dictionaries(st.sampled_from(["isEnabled", "mode", "value", "stat", "id", "x"]), children, max_size=3),
    ),
    max_leaves=6,
)


def _paths(value: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [path]
    if isinstance(value, dict):
        for key, item in value.items():
            found.extend(_paths(item, (*path, key)))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found.extend(_paths(item, (*path, index)))
    return found


@st.composite
def mutated(draw: st.DrawFn, kind: str) -> Any:
    """A fixture document with a few values replaced, keys added or removed: wrong types, nulls, typos."""
    document = copy.deepcopy(draw(st.sampled_from(BASES[kind])))
    for _ in range(draw(st.integers(min_value=1, max_value=3))):
        path = draw(st.sampled_from(_paths(document)))
        if not path:
            continue
        holder = document
        for token in path[:-1]:
            holder = holder[token]
        action = draw(st.sampled_from(["replace", "null", "add key", "drop"]))
        if action == "replace":
            holder[path[-1]] = draw(JSON_VALUES)
        elif action == "null":
            holder[path[-1]] = None
        elif action == "add key" and isinstance(holder[path[-1]], dict):
            holder[path[-1]][draw(st.sampled_from(["stat", "isEnabled", "mode", "unknown"]))] = draw(JSON_VALUES)
        elif action == "drop" and isinstance(holder, dict):
            del holder[path[-1]]
    return document


@pytest.mark.parametrize("kind", sorted(BASES))
@settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_fast_path_never_calls_an_invalid_document_valid(kind: str, data: st.DataObject) -> None:
    document = data.draw(st.one_of(mutated(kind), JSON_VALUES))
    if compile_check(load_schema(kind))(document):
        assert explain(kind, document) == []


def test_mutations_reach_both_answers() -> None:
    """The property above is not vacuous: mutated documents are often invalid, and caught."""
    check = compile_check(load_schema("conditionalAccessPolicy"))
    wrong = copy.deepcopy(POLICY)
    wrong["conditions"]["users"]["includeUsers"] = [None]
    assert not check(wrong) and explain("conditionalAccessPolicy", wrong) != []


def test_unresolved_values_are_never_errors() -> None:
    policy = copy.deepcopy(POLICY)
    policy["state"] = Unresolved("var.state")
    policy["conditions"]["users"] = Unresolved("local.users")
    policy["conditions"]["clientAppTypes"] = [Unresolved("var.client_app"), "all"]
    policy["grantControls"]["builtInControls"] = Unresolved("var.controls")
    assert compile_check(load_schema("conditionalAccessPolicy"))(policy)
    assert explain("conditionalAccessPolicy", policy) == []


def test_keywords_the_compiler_does_not_know_go_to_jsonschema() -> None:
    assert not compile_check({"type": "object", "patternProperties": {"^x": {"type": "string"}}})({})
    assert compile_check({"$ref": "#/$defs/a", "$defs": {"a": {"type": "integer"}}})(3)
    assert not compile_check({"type": "integer"})(True)
    assert not compile_check({"enum": [1]})(True)


# ---- messages ------------------------------------------------------------------------------------


def test_messages_name_the_value_and_what_is_allowed() -> None:
    policy = copy.deepcopy(POLICY)
    policy["state"] = "enable"
    policy["stat"] = "enabled"
    policy["conditions"]["clientAppTypes"] = ["All"]
    policy["sessionControls"] = {"signInFrequency": {"value": 0, "type": "hours"}}
    assert validate("conditionalAccessPolicy", policy) == [
        (
            "/conditions/clientAppTypes/0",
            "'All' at /conditions/clientAppTypes/0 is Graph's 'all' written in other letter case",
        ),
        (
            "/sessionControls/signInFrequency/value",
            "/sessionControls/signInFrequency/value must be at least 1, not 0",
        ),
        ("/stat", "unknown property 'stat' at the document (did you mean 'state'?)"),
        (
            "/state",
            "'enable' at /state is not one of 'enabled', 'disabled', 'enabledForReportingButNotEnforced' "
            "(did you mean 'enabled'?)",
        ),
    ]


def test_null_and_missing_conditions() -> None:
    assert validate("conditionalAccessPolicy", {"conditions": None}) == [
        ("/conditions", "/conditions must be an object, not null")
    ]
    assert validate("conditionalAccessPolicy", {"displayName": "x"}) == [
        ("", "the document is missing the required property 'conditions'")
    ]


def test_token_lifetime_policy_messages() -> None:
    assert validate("tokenLifetimePolicy", {"definition": [], "isOrganizationDefault": "yes"}) == [
        ("/definition", "/definition must not be empty"),
        ("/isOrganizationDefault", "/isOrganizationDefault must be a boolean or null, not a string"),
    ]


@pytest.mark.parametrize(
    ("definition", "expected"),
    [
        ({"TokenLifetimePolicy": {"Version": 1, "AccessTokenLifetime": "5:30:00"}}, []),
        ({"TokenLifetimePolicy": {"MaxAgeMultiFactor": "until-revoked", "MaxInactiveTime": "90.00:00:00"}}, []),
        (
            {"TokenLifetimePolicy": {"AccessTokenLifetime": "1 hour"}},
            [
                (
                    "/TokenLifetimePolicy/AccessTokenLifetime",
                    "'1 hour' at /TokenLifetimePolicy/AccessTokenLifetime does not match "
                    "a .NET TimeSpan [d.]hh:mm:ss, or until-revoked",
                )
            ],
        ),
        (
            {"TokenLifetimePolicy": {"Version": 2, "MaxAgeMultifactor": "01:00:00"}},
            [
                (
                    "/TokenLifetimePolicy/MaxAgeMultifactor",
                    "unknown property 'MaxAgeMultifactor' at /TokenLifetimePolicy (did you mean 'MaxAgeMultiFactor'?)",
                ),
                ("/TokenLifetimePolicy/Version", "2 at /TokenLifetimePolicy/Version is not one of 1"),
            ],
        ),
        ({}, [("", "the document is missing the required property 'TokenLifetimePolicy'")]),
    ],
)
def test_validate_definition(definition: Any, expected: list[tuple[str, str]]) -> None:
    assert validate_definition(definition) == expected


def test_mfa_settings_days_range() -> None:
    assert validate("mfaServiceSettings", {"rememberMfaOnTrustedDevices": {"enabled": True, "days": 0}}) == [
        ("/rememberMfaOnTrustedDevices/days", "/rememberMfaOnTrustedDevices/days must be at least 1, not 0")
    ]
    assert validate("mfaServiceSettings", {"rememberMfaOnTrustedDevices": {"enabled": False}}) == []


def test_config_schema_rejects_bad_prefixes_and_fail_on() -> None:
    assert validate("config", {"ignore": ["ca001"], "fail-on": "warn", "max-file-size": 0}) == [
        ("/ignore/0", "'ca001' at /ignore/0 does not match the pattern ^(ALL|[A-Z]{1,2}[0-9]{0,3})$"),
        ("/fail-on", "'warn' at /fail-on is not one of 'error', 'warning', 'note', 'never' (did you mean 'warning'?)"),
        ("/max-file-size", "/max-file-size must be at least 1, not 0"),
    ]


def test_flag_pointers_are_arrays_of_enums_in_the_schema() -> None:
    """Every flags enum normalize splits is an array in the CA schema, so a split value validates."""
    schema = load_schema("conditionalAccessPolicy")
    for pointer in FLAG_POINTERS["conditionalAccessPolicy"]:
        node: Any = schema
        for token in pointer.strip("/").split("/"):
            while "$ref" in node or "anyOf" in node:
                node = _resolve(schema, node)
            node = node["properties"][token]
        while "anyOf" in node or "$ref" in node:
            node = _resolve(schema, node)
        assert node["type"] == "array" and "enum" in node["items"], pointer


def _resolve(schema: dict[str, Any], node: dict[str, Any]) -> dict[str, Any]:
    if "$ref" in node:
        found: dict[str, Any] = schema["$defs"][node["$ref"].rsplit("/", 1)[-1]]
        return found
    return next(branch for branch in node["anyOf"] if branch != {"type": "null"})


def test_schema_files_are_formatted() -> None:
    for name in SCHEMA_FILES.values():
        path = Path(__file__).resolve().parent.parent / "schemas" / name
        text = path.read_text(encoding="utf-8")
        assert text == json.dumps(json.loads(text), indent=2, ensure_ascii=False) + "\n", name


def test_enumeration_spellings_follow_properties_branches_items_and_definitions() -> None:
    spellings = enumeration_spellings(CONDITIONAL_ACCESS_POLICY)
    assert spellings["grantControls/operator"] == {"and": "AND", "or": "OR"}
    assert spellings["conditions/platforms/includePlatforms"]["ios"] == "iOS"  # a list's items
    assert spellings["sessionControls/signInFrequency/type"] == {"days": "days", "hours": "hours"}
    kind = "conditions/users/excludeGuestsOrExternalUsers/externalTenants/membershipKind"  # through $defs twice
    assert spellings[kind]["enumerated"] == "enumerated"
    assert "displayName" not in spellings
