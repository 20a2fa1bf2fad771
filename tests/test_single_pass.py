"""The one-walk clean-and-check builds exactly what the three walks build, and gives up untouched otherwise."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bench.generate import generate
from linter.loaders.json.parse import ParseError, parse_json
from linter.loaders.normalize.documents import build_document, find_documents
from linter.loaders.normalize.graph_shape import split_flags
from linter.loaders.normalize.single_pass import clean_and_check
from linter.model import CONDITIONAL_ACCESS_POLICY, TOKEN_LIFETIME_POLICY, Unresolved
from linter.model.source import decode_text
from tests.conftest import CORPUS, FIXTURES, REPO, shared_cases

POLICY: dict[str, Any] = {
    "@odata.type": "#microsoft.graph.conditionalAccessPolicy",
    "id": "1d7cf3d0-4e83-4ea0-b055-0354567cabb5",
    "templateId": None,
    "displayName": "Block device code flow",
    "state": "enabled",
    "conditions": {
        "clientAppTypes": ["all"],
        "applications": {"includeApplications": ["All"], "excludeApplications": [], "includeUserActions": []},
        "users": {
            "includeUsers": ["All"],
            "excludeUsers": ["b6b4c6f2-af4e-433d-a602-80c4689850a7"],
            "includeGroups": [],
            "excludeRoles": None,
        },
        "authenticationFlows": {"@odata.type": "#x", "transferMethods": "deviceCodeFlow,authenticationTransfer"},
        "locations": None,
        "platforms": {"includePlatforms": None, "excludePlatforms": []},
    },
    "grantControls": {"operator": "OR", "builtInControls": ["block"], "authenticationStrength@odata.context": "x"},
    "sessionControls": {"signInFrequency": {"value": 1, "type": "hours", "isEnabled": True}, "cloudAppSecurity": None},
}


def three_walks(kind: str, raw: Any) -> tuple[Any, list[tuple[str, str]]]:
    """The reference: build_document on a copy it shapes itself (the one-walk path is only for owned data)."""
    document, problems = build_document(
        kind, raw, path="p.json", source_format="graph-json", pointer="/value/0", positions=None
    )
    return (document.data if document else None), [(problem.pointer, problem.message) for problem in problems]


def one_walk(kind: str, raw: Any) -> tuple[Any, list[tuple[str, str]]]:
    document, problems = build_document(
        kind, raw, path="p.json", source_format="graph-json", pointer="/value/0", positions=None, owned=True
    )
    return (document.data if document else None), [(problem.pointer, problem.message) for problem in problems]


def assert_same_build(kind: str, raw: Any) -> bool:
    """Both paths build the same document; True when the one-walk path took it."""
    expected = three_walks(kind, raw)
    assert one_walk(kind, copy.deepcopy(raw)) == expected
    if type(raw) is not dict:
        return False
    owned = copy.deepcopy(raw)
    took = clean_and_check(kind, owned)
    if took:
        assert (owned, []) == expected
    else:  # gave up, having changed nothing but flags strings, which the three walks split too
        split_flags(kind, owned)
        untouched = copy.deepcopy(raw)
        split_flags(kind, untouched)
        assert owned == untouched
    return took


def test_a_typical_export_takes_one_walk_and_is_cleaned_like_the_three_walks() -> None:
    assert assert_same_build(CONDITIONAL_ACCESS_POLICY, POLICY)
    document, _ = one_walk(CONDITIONAL_ACCESS_POLICY, copy.deepcopy(POLICY))
    assert document["conditions"] == {
        "clientAppTypes": ["all"],
        "applications": {"includeApplications": ["All"]},
        "users": {"includeUsers": ["All"], "excludeUsers": ["b6b4c6f2-af4e-433d-a602-80c4689850a7"]},
        "authenticationFlows": {"transferMethods": ["deviceCodeFlow", "authenticationTransfer"]},
    }
    assert "templateId" not in document and "@odata.type" not in document
    assert document["grantControls"] == {"operator": "OR", "builtInControls": ["block"]}


def test_the_benchmark_fleet_takes_one_walk(tmp_path: Path) -> None:
    generate(tmp_path, "json", files=2)
    taken = []
    for path in sorted(tmp_path.rglob("*.json")):
        for kind, _, raw in find_documents(parse_json(path.read_text(encoding="utf-8"))):
            taken.append(assert_same_build(kind, raw))
    assert taken and all(taken)


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        (lambda policy: policy.update(displayName=7), "wrong type"),
        (lambda policy: policy.update(state="on"), "not in the enum"),
        (lambda policy: policy.pop("conditions"), "required property missing"),
        (lambda policy: policy.update(Conditions=policy.pop("conditions")), "PascalCase"),
        (lambda policy: policy.update(AdditionalProperties={"x": 1}), "a PowerShell property bag"),
        (lambda policy: policy.update(unknown="x"), "unknown property"),
        (lambda policy: policy["conditions"].update(users=["All"]), "a list where an object belongs"),
        (lambda policy: policy["conditions"]["users"].update(includeUsers=["All", None]), "null member"),
        (lambda policy: policy["conditions"]["users"].update(includeUsers=[["All"]]), "nested list"),
        (lambda policy: policy["conditions"]["users"].update(includeUsers="All"), "string for a list"),
        (lambda policy: policy["conditions"]["users"].update(excludeUsers=["x", 7]), "number in a string list"),
        (lambda policy: policy["conditions"]["users"].update(excludeUsers=[b"x"]), "bytes in a string list"),
        (lambda policy: policy["sessionControls"]["signInFrequency"].update(value="1"), "string for a number"),
        (lambda policy: policy["sessionControls"]["signInFrequency"].update(value=True), "bool for a number"),
        (lambda policy: policy.update(conditions={"users": {}, 5: 1}), "a key that is not a string"),
        (lambda policy: policy["conditions"].update(clientAppTypes=["all", {"x": 1}]), "object in a string list"),
    ],
)
def test_anything_the_walk_cannot_vouch_for_goes_to_the_three_walks_untouched(change: Any, reason: str) -> None:
    policy = copy.deepcopy(POLICY)
    change(policy)
    assert not assert_same_build(CONDITIONAL_ACCESS_POLICY, policy), reason


def test_unresolved_values_and_token_lifetime_definitions() -> None:
    policy = copy.deepcopy(POLICY)
    policy["conditions"]["users"]["includeUsers"] = Unresolved("var.users")
    policy["displayName"] = Unresolved("var.name")
    assert assert_same_build(CONDITIONAL_ACCESS_POLICY, policy)
    token_policy = {
        "@odata.type": "#microsoft.graph.tokenLifetimePolicy",
        "displayName": "t",
        "definition": ['{"TokenLifetimePolicy":{"Version":1,"MaxAgeMultiFactor":"until-revoked"}}'],
        "isOrganizationDefault": None,
    }
    assert assert_same_build(TOKEN_LIFETIME_POLICY, token_policy)


def graph_documents() -> list[tuple[str, str, Any]]:
    roots = (FIXTURES, REPO / "examples", CORPUS)
    found = []
    paths = (path for root in roots if root.is_dir() for path in root.rglob("*"))
    for path in sorted(path for path in paths if path.suffix in (".json", ".yaml", ".yml") and path.is_file()):
        try:
            text = decode_text(path.read_bytes())
            if path.suffix == ".json":
                values = [parse_json(text)]
            else:
                values = list(yaml.load_all(text, Loader=yaml.CSafeLoader))
        except (ParseError, ValueError, yaml.YAMLError):
            continue
        for value in values:
            found += [(f"{path.name}{pointer}", kind, raw) for kind, pointer, raw in find_documents(value)]
    return found


@pytest.mark.parametrize(
    ("where", "kind", "raw"), shared_cases("corpus", graph_documents(), arity=3), ids=lambda value: str(value)[:60]
)
def test_every_real_document_is_built_the_same_by_both_paths(where: str, kind: str, raw: Any) -> None:
    assert_same_build(kind, raw)


# Edits a hand or a tool makes to an export: values of every JSON type, annotations, unknown and PascalCase keys.
VALUES = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-3, 30),
    st.sampled_from(["", "All", "enabled", "hours", "mfa", "block", "all", "deviceCodeFlow", "x,y"]),
    st.lists(st.sampled_from(["All", "all", "mfa", None, 1]), max_size=3),
    st.just({}),
    st.just({"@odata.type": "#x"}),
    st.just({"value": None}),
    st.just([{}]),
)
KEYS = st.sampled_from(
    ["@odata.type", "x@odata.type", "#action", "unknown", "Unknown", "AdditionalProperties", "value", "type"]
)


def edit_paths(value: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [prefix]
    if isinstance(value, dict):
        for key, item in value.items():
            found += edit_paths(item, (*prefix, key))
    return found


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(st.integers(0, 10_000), st.booleans(), KEYS, VALUES), min_size=1, max_size=4))
def test_edited_exports_are_built_the_same_by_both_paths(edits: list[tuple[int, bool, str, Any]]) -> None:
    policy = copy.deepcopy(POLICY)
    for choice, replace, key, value in edits:
        paths = edit_paths(policy)
        path = paths[choice % len(paths)]
        holder: Any = policy
        for token in path[:-1]:
            holder = holder[token]
        if replace and path:
            holder[path[-1]] = copy.deepcopy(value)
        else:
            target = holder[path[-1]] if path else holder
            if isinstance(target, dict):
                target[key] = copy.deepcopy(value)
    assert_same_build(CONDITIONAL_ACCESS_POLICY, policy)
