"""The normalizer: documents found and classified by shape, cleaned, validated and pruned."""

from __future__ import annotations

import copy
from collections import OrderedDict
from typing import Any

from linter.loaders.normalize.documents import build_document, find_documents
from linter.loaders.normalize.graph_shape import graph_shape, shape_in_place
from linter.model import (
    CONDITIONAL_ACCESS_POLICY,
    Unresolved,
)


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


POLICY = {"displayName": "p", "Conditions": {}, "GrantControls": {}}


def test_a_key_of_thousands_of_digits_is_ordered_as_a_number() -> None:
    # int() refuses more than 4,300 digits: such a key once made loading the file an internal error.
    found = find_documents({"1" * 5000: [POLICY], "9": [POLICY], "x": [POLICY]})
    assert [pointer for _, pointer, _ in found] == ["/9/0", f"/{'1' * 5000}/0", "/x/0"]


def test_ties_keep_the_order_of_a_sort_by_pointer() -> None:
    found = find_documents({"1": {"x": POLICY, "z": POLICY}, "01": {"y": POLICY}})
    assert [pointer for _, pointer, _ in found] == ["/1/x", "/01/y", "/1/z"]
