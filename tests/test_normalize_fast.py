"""normalize's fast paths: plain dicts and lists take shortcuts, and the result is exactly the slow path's."""

from __future__ import annotations

import copy
import sys
from collections import OrderedDict
from collections.abc import Callable, Iterator, Mapping
from types import MappingProxyType
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from linter.loaders.normalize.documents import ODATA_TYPES, build_document, classify, find_documents
from linter.loaders.normalize.graph_shape import graph_shape, lower_first, shape_in_place
from linter.model import (
    AUTHENTICATION_STRENGTH_POLICY,
    CONDITIONAL_ACCESS_POLICY,
    MFA_SERVICE_SETTINGS,
    NAMED_LOCATION,
    TOKEN_LIFETIME_POLICY,
    Unresolved,
)
from linter.model.source import join_pointer, split_pointer


def build(raw: dict[str, Any], *, clean: bool = True) -> tuple[Any, list[tuple[str, str]]]:
    """The document built from raw, after checking that cleaning raw in place (`owned`) builds the same."""
    document, problems = build_document(
        CONDITIONAL_ACCESS_POLICY,
        copy.deepcopy(raw),
        path="p.json",
        source_format="graph-json",
        pointer="/value/0",
        positions=None,
        clean=clean,
        owned=True,
    )
    found = (document.data if document else None), [(problem.pointer, problem.message) for problem in problems]
    document, problems = build_document(
        CONDITIONAL_ACCESS_POLICY,
        raw,
        path="p.json",
        source_format="graph-json",
        pointer="/value/0",
        positions=None,
        clean=clean,
    )
    assert found == (
        (document.data if document else None),
        [(problem.pointer, problem.message) for problem in problems],
    )
    return found


def test_annotations_go_at_any_depth_and_camel_keys_stay() -> None:
    raw = {
        "@odata.type": "#microsoft.graph.conditionalAccessPolicy",
        "displayName": "p",
        "conditions": {
            "users": {"includeUsers@odata.type": "#Collection(String)", "includeUsers": ["All"], "#action": {}},
            "applications": [{"@odata.id": "x", "includeApplications": ["All"]}],
        },
    }
    assert graph_shape(raw) == {
        "displayName": "p",
        "conditions": {"users": {"includeUsers": ["All"]}, "applications": [{"includeApplications": ["All"]}]},
    }


def test_pascal_case_with_additional_properties_is_camel_cased_and_merged_in_order() -> None:
    raw = {
        "Conditions": {
            "Users": {"IncludeUsers": ["All"], "AdditionalProperties": {"includeGuests": True}},
            "AdditionalProperties": {"clientAppTypes": ["all"], "users": "ignored: Users came first"},
        },
        "DisplayName": "p",
        "AdditionalProperties": {"@odata.type": "#x", "state": "enabled", "displayName": "ignored"},
    }
    shaped = graph_shape(raw)
    assert shaped == {
        "conditions": {
            "users": {"includeUsers": ["All"], "includeGuests": True},
            "clientAppTypes": ["all"],
        },
        "displayName": "p",
        "state": "enabled",
    }
    assert list(shaped) == ["conditions", "displayName", "state"]


def test_additional_properties_alone_leaves_camel_keys_as_they_are_but_shapes_its_bag() -> None:
    assert graph_shape({"id": "1", "AdditionalProperties": {"Extra": 1}, "ǅx": 2}) == {"id": "1", "extra": 1, "ǅx": 2}


def test_keys_that_are_not_strings_are_dropped_and_unicode_upper_case_is_pascal() -> None:
    assert graph_shape({1: "a", None: "b", "ok": "c"}) == {"ok": "c"}
    assert graph_shape({"Éa": 1, "State": "enabled"}) == {"éa": 1, "state": "enabled"}
    assert graph_shape({"éa": 1, "state": "enabled", "": 0}) == {"éa": 1, "state": "enabled", "": 0}


def test_unresolved_values_pass_through_untouched_and_containers_are_new() -> None:
    reference = Unresolved("var.users")
    raw: dict[str, Any] = {"a": reference, "b": [reference, "x"], "c": OrderedDict(d=[{"e": 1}])}
    shaped = graph_shape(raw)
    assert shaped == {"a": reference, "b": [reference, "x"], "c": {"d": [{"e": 1}]}}
    assert shaped["a"] is reference and shaped["b"][0] is reference
    assert type(shaped["c"]) is dict
    assert shaped["b"] is not raw["b"] and shaped["c"]["d"][0] is not raw["c"]["d"][0]


def test_nulls_and_empties_are_pruned_inside_lists_and_dicts_after_validation() -> None:
    data, problems = build(
        {
            "displayName": "p",
            "templateId": None,
            "sessionControls": None,
            "conditions": {
                "users": {"includeUsers": ["All"], "excludeUsers": [], "includeGroups": None},
                "applications": {"includeApplications": [], "excludeApplications": None},
                "locations": {"includeLocations": ["a", None, "b"]},
            },
            "grantControls": {"operator": "OR", "builtInControls": ["mfa"], "customAuthenticationFactors": []},
        }
    )
    assert problems == [
        (
            "/conditions/locations/includeLocations/1",
            "p: /conditions/locations/includeLocations/1 must be a string, not null",
        )
    ]
    assert data == {
        "displayName": "p",
        "conditions": {"users": {"includeUsers": ["All"]}, "locations": {"includeLocations": ["a", "b"]}},
        "grantControls": {"operator": "OR", "builtInControls": ["mfa"]},
    }


def test_values_the_schema_rejects_are_removed_and_reported() -> None:
    data, problems = build(
        {
            "displayName": "p",
            "state": None,
            "conditions": {"users": {"includeUsers": "All"}, "clientAppTypes": ["all", "fax"]},
        }
    )
    assert problems == [
        (
            "/conditions/clientAppTypes/1",
            "p: 'fax' at /conditions/clientAppTypes/1 is not one of 'all', 'browser', "
            "'mobileAppsAndDesktopClients', 'exchangeActiveSync', 'easSupported', 'other', 'unknownFutureValue'",
        ),
        ("/conditions/users/includeUsers", "p: /conditions/users/includeUsers must be an array or null, not a string"),
        ("/state", "p: None at /state is not one of 'enabled', 'disabled', 'enabledForReportingButNotEnforced'"),
    ]
    assert data == {"displayName": "p", "conditions": {"clientAppTypes": ["all"]}}


def test_flags_are_split_and_unresolved_flags_are_not() -> None:
    data, problems = build(
        {
            "displayName": "p",
            "conditions": {
                "authenticationFlows": {"transferMethods": "deviceCodeFlow, authenticationTransfer"},
                "insiderRiskLevels": Unresolved("var.levels"),
            },
        }
    )
    assert problems == []
    assert data == {
        "displayName": "p",
        "conditions": {
            "authenticationFlows": {"transferMethods": ["deviceCodeFlow", "authenticationTransfer"]},
            "insiderRiskLevels": Unresolved("var.levels"),
        },
    }


def test_raw_data_is_not_changed_by_a_clean_build() -> None:
    raw: dict[str, Any] = {"displayName": "p", "conditions": {"users": {"includeUsers": ["All"], "excludeUsers": []}}}
    data, _ = build(raw)
    assert data == {"displayName": "p", "conditions": {"users": {"includeUsers": ["All"]}}}
    assert raw == {"displayName": "p", "conditions": {"users": {"includeUsers": ["All"], "excludeUsers": []}}}


def test_an_unclean_build_keeps_annotations_and_still_prunes() -> None:
    data, _ = build(
        {"displayName": "p", "description": None, "conditions": {"users": {"includeUsers": ["All"]}}}, clean=False
    )
    assert data == {"displayName": "p", "conditions": {"users": {"includeUsers": ["All"]}}}


def test_cleaning_in_place_reuses_the_containers_and_shapes_like_a_copy() -> None:
    conditions = {"users": {"includeUsers": ["All"], "x@odata.type": "y"}, "applications": {"IncludeApplications": []}}
    raw: dict[str, Any] = {"@odata.type": "#p", "displayName": "p", "conditions": conditions, "tags": [{"#a": 1}, "b"]}
    expected = graph_shape(raw)
    shaped = shape_in_place(raw)
    assert (
        shaped
        == expected
        == {
            "displayName": "p",
            "conditions": {"users": {"includeUsers": ["All"]}, "applications": {"includeApplications": []}},
            "tags": [{}, "b"],
        }
    )
    assert shaped is raw and shaped["conditions"] is conditions and shaped["conditions"]["users"] is conditions["users"]


# find_documents and classify as they were before their shortcuts, the reference they must equal.
SCHEMA_KEYWORDS = frozenset({"type", "properties", "items", "$ref", "anyOf", "oneOf", "allOf"})


def reference_describes_a_shape(value: Any) -> bool:
    return isinstance(value, Mapping) and not SCHEMA_KEYWORDS.isdisjoint(value)


def reference_classify(value: Mapping[str, Any]) -> str | None:
    odata = value.get("@odata.type")
    if isinstance(odata, str) and odata in ODATA_TYPES:
        return ODATA_TYPES[odata]
    keys = {lower_first(key) for key in value if isinstance(key, str)}
    if any(reference_describes_a_shape(value.get(key)) for key in ("conditions", "allowedCombinations", "ipRanges")):
        return None
    if "conditions" in keys and ({"grantControls", "sessionControls"} & keys):
        return CONDITIONAL_ACCESS_POLICY
    definition = value.get("definition", value.get("Definition"))
    if isinstance(definition, list) and any(
        isinstance(item, str) and "TokenLifetimePolicy" in item for item in definition
    ):
        return TOKEN_LIFETIME_POLICY
    if isinstance(definition, str) and "TokenLifetimePolicy" in definition:
        return TOKEN_LIFETIME_POLICY
    if "allowedCombinations" in keys:
        return AUTHENTICATION_STRENGTH_POLICY
    if keys & {"ipRanges", "countriesAndRegions"} and "displayName" in keys:
        return NAMED_LOCATION
    return None


def reference_token_order(token: str) -> tuple[int, int | str]:
    # Numbers of any length: int() refuses more than 4,300 digits unless told otherwise.
    if token.isascii() and token.isdigit():
        limit = sys.get_int_max_str_digits()
        sys.set_int_max_str_digits(0)
        try:
            return (0, int(token))
        finally:
            sys.set_int_max_str_digits(limit)
    return (1, token)


def reference_find_documents(value: Any, pointer: str = "") -> list[tuple[str, str, Mapping[str, Any]]]:
    root_order = tuple(reference_token_order(token) for token in split_pointer(pointer))
    stack: list[tuple[str, tuple[Any, ...], Any]] = [(pointer, root_order, value)]
    found: list[tuple[tuple[Any, ...], str, str, Mapping[str, Any]]] = []
    while stack:
        current_pointer, order, current = stack.pop()
        if isinstance(current, list):
            stack.extend(
                (f"{current_pointer}/{index}", (*order, (0, index)), item)
                for index, item in enumerate(current)
                if isinstance(item, (Mapping, list))
            )
            continue
        if not isinstance(current, Mapping):
            continue
        settings = current.get("mfaServiceSettings")
        if isinstance(settings, Mapping):
            found.append((order, MFA_SERVICE_SETTINGS, f"{current_pointer}/mfaServiceSettings", settings))
            continue
        kind = reference_classify(current)
        if kind is not None:
            found.append((order, kind, current_pointer, current))
            continue
        stack.extend(
            (join_pointer(current_pointer, key), (*order, reference_token_order(str(key))), item)
            for key, item in current.items()
            if isinstance(item, (Mapping, list))
        )
    found.sort(key=lambda entry: entry[0])
    return [(kind, found_pointer, document) for _, kind, found_pointer, document in found]


class Items(list[Any]):
    """A list that is not exactly a list."""


class ListedOnly(Mapping[Any, Any]):
    """A mapping that lists keys it cannot look up: classify goes by the keys it lists."""

    def __init__(self, *keys: Any) -> None:
        self.keys_listed = keys

    def __getitem__(self, key: Any) -> Any:
        raise KeyError(key)

    def __iter__(self) -> Iterator[Any]:
        return iter(self.keys_listed)

    def __len__(self) -> int:
        return len(self.keys_listed)


KEYS: list[Any] = [
    *("conditions", "Conditions", "grantControls", "GrantControls", "sessionControls", "SessionControls"),
    *("definition", "Definition", "allowedCombinations", "AllowedCombinations", "ipRanges", "IpRanges", "İpRanges"),
    *("countriesAndRegions", "CountriesAndRegions", "displayName", "DisplayName", "@odata.type", "mfaServiceSettings"),
    *("value", "type", "properties", "$ref", "anyOf", "0", "1", "01", "2", "10", "a/b", "~1", "", "x", "ǅx"),
    *(0, 1, 2, 10, None, 1.5, (1, 2)),
    Unresolved("conditions"),
]
LEAVES: list[Any] = [
    *(None, True, 3, 1.5, "x", "", Unresolved("x"), "TokenLifetimePolicy", '{"TokenLifetimePolicy": {}}'),
    *(*ODATA_TYPES, "#microsoft.graph.policy", Unresolved("#microsoft.graph.conditionalAccessPolicy")),
]


def containers(children: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    pairs = st.lists(st.tuples(st.sampled_from(KEYS), children), max_size=5)
    return st.one_of(
        st.lists(children, max_size=4),
        st.lists(children, max_size=3).map(Items),
        pairs.map(dict),
        pairs.map(OrderedDict),
        pairs.map(lambda items: MappingProxyType(dict(items))),
    )


VALUES = st.recursive(st.sampled_from(LEAVES), containers, max_leaves=40)


def outcome(function: Callable[..., Any], *args: Any) -> Any:
    """What a call returns, objects by identity, or the type of what it raised."""
    try:
        result = function(*args)
    except Exception as error:
        return type(error)
    if isinstance(result, list):
        return [(kind, pointer, id(document)) for kind, pointer, document in result]
    return result


@settings(max_examples=400, deadline=None)
@given(VALUES, st.sampled_from(["", "/value", "/a~1b/01", "x", "/" + "1" * 5000]))
def test_find_documents_and_classify_answer_as_the_reference_does(value: Any, pointer: str) -> None:
    assert outcome(find_documents, value, pointer) == outcome(reference_find_documents, value, pointer)
    if isinstance(value, Mapping):
        assert outcome(classify, value) == outcome(reference_classify, value)


POLICY = {"displayName": "p", "Conditions": {}, "GrantControls": {}}


@pytest.mark.parametrize(
    "value",
    [
        # Keys whose tokens tie ("1", "01", 1) interleave their objects by pointer, as a sort of them all does.
        {"1": {"x": POLICY, "z": dict(POLICY)}, "01": {"y": dict(POLICY)}},
        {"1": [POLICY], 1: [dict(POLICY)], "01": [dict(POLICY)]},
        # MFA settings sort by their wrapper's pointer, so before anything inside a tied sibling.
        {"1": {"mfaServiceSettings": {}}, "01": {"a": POLICY}},
        {"1": {"a": POLICY}, "01": {"mfaServiceSettings": {}}},
        {"b": [POLICY, {"mfaServiceSettings": {}}], "a": {"10": POLICY, "9": POLICY}, "0": POLICY},
        # A digit key too long for int() is ordered as the number it is, alone or not.
        {"1" * 5000: [POLICY]},
        {"1" * 5000: [POLICY], "x": [POLICY]},
        # Missing fields: a policy without controls, a location without a name, nothing at all.
        {"conditions": {}, "displayName": "p"},
        {"Conditions": {}, "value": [{"ipRanges": []}, {"IpRanges": [], "displayName": "n"}]},
        {},
        [],
        # Wrong types: not containers, odd @odata.type and definition values, JSON Schemas of a policy.
        None,
        "conditions",
        [1, "x", None, [[]]],
        {"@odata.type": ["#microsoft.graph.conditionalAccessPolicy"], **POLICY},
        {"@odata.type": 5, "definition": 5, "Definition": ["TokenLifetimePolicy"]},
        {"definition": [5, None, "{'TokenLifetimePolicy':1}"]},
        {"conditions": {"type": "object"}, "grantControls": {}},
        {"ipRanges": MappingProxyType({"$ref": "#"}), "DisplayName": "x"},
        {"IpRanges": {"$ref": "#"}, "DisplayName": "x"},
        MappingProxyType({"İpRanges": [], "displayName": "x", "value": [POLICY]}),
        OrderedDict(CountriesAndRegions=[], DisplayName="x"),
        ListedOnly("Conditions", "grantControls"),
        ListedOnly("IpRanges", 1, "displayName"),
    ],
)
def test_odd_inputs_find_what_the_reference_finds(value: Any) -> None:
    assert outcome(find_documents, value) == outcome(reference_find_documents, value)
    if isinstance(value, Mapping):
        assert outcome(classify, value) == outcome(reference_classify, value)


def test_a_key_of_thousands_of_digits_is_ordered_as_a_number() -> None:
    # int() refuses more than 4,300 digits: such a key once made loading the file an internal error.
    found = find_documents({"1" * 5000: [POLICY], "9": [POLICY], "x": [POLICY]})
    assert [pointer for _, pointer, _ in found] == ["/9/0", f"/{'1' * 5000}/0", "/x/0"]


def test_ties_keep_the_order_of_a_sort_by_pointer() -> None:
    found = find_documents({"1": {"x": POLICY, "z": POLICY}, "01": {"y": POLICY}})
    assert [pointer for _, pointer, _ in found] == ["/1/x", "/01/y", "/1/z"]


def test_only_the_two_spellings_of_a_key_classify_asks_for_lower_first_to_it() -> None:
    # classify looks a dict's keys up camelCase and PascalCase: any other first letter lowering to the
    # camelCase one (as "İ" lowers to "i̇", two code points) would have to be looked up too.
    words = ["conditions", "grantControls", "sessionControls", "allowedCombinations", "ipRanges"]
    words += ["countriesAndRegions", "displayName"]
    firsts = {word[0] for word in words}
    for code in range(sys.maxunicode + 1):
        lowered = chr(code).lower()
        if lowered[:1] in firsts:
            for word in words:
                assert not word.startswith(lowered) or chr(code) in (word[0], word[0].upper()), hex(code)
