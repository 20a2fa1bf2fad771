"""A YAML alias is one shaped container held at each place, and the document is what its expanded text gives."""

from __future__ import annotations

from typing import Any

import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from linter.loaders.graph import load_yaml
from linter.loaders.yaml.compose import compose
from linter.loaders.yaml.parse import _construct_stack
from linter.model import to_plain


class _Expanded(yaml.SafeDumper):
    """Writes a value held at several places in full at each place: no anchors, no aliases."""

    def ignore_aliases(self, data: Any) -> bool:
        return True


def _read(text: str) -> tuple[list[Any], list[tuple[str, str, str]]]:
    result = load_yaml("p.yaml", text)
    assert result is not None
    documents = [(document.kind, document.pointer, to_plain(document.data)) for document in result.documents]
    # Casefolded: a message names a respelled member as written (`Bogus`) when a pointer finds it, and the
    # search among a mapping's keys for that spelling does not look below alias occurrences (positions.offsets).
    problems = sorted((problem.code, problem.message.casefold(), problem.pointer) for problem in result.problems)
    return documents, problems


def assert_same_as_expanded(value: Any) -> None:
    aliased = yaml.safe_dump(value, sort_keys=False)
    expanded = yaml.dump(value, Dumper=_Expanded, sort_keys=False)
    assert "*" in aliased and "*" not in expanded
    assert _read(aliased) == _read(expanded)


def _policy(users: Any, applications: Any, extra: Any) -> dict[str, Any]:
    return {
        "displayName": "P",
        "state": "enabled",
        "conditions": {
            "users": {"includeUsers": users, "excludeUsers": users},
            "applications": {"includeApplications": applications, "excludeApplications": applications},
            "clientAppTypes": users,  # where "a" is no value Graph takes, though it is in includeUsers
        },
        "grantControls": {"operator": "OR", "builtInControls": ["mfa"]},
        "extra": extra,
        "sessionControls": {"signInFrequency": extra},
    }


def test_an_alias_is_the_same_shaped_container_at_each_place() -> None:
    text = """\
displayName: P
state: enabled
conditions:
  users: {includeUsers: &u [a, b], excludeUsers: *u}
  applications: {includeApplications: [All]}
grantControls: {operator: OR, builtInControls: [mfa]}
"""
    result = load_yaml("p.yaml", text)
    assert result is not None and not result.problems
    users = result.documents[0].data["conditions"]["users"]
    assert users["includeUsers"] is users["excludeUsers"] == ["a", "b"]


def test_a_problem_inside_an_aliased_container_is_removed_at_each_place() -> None:
    # The bad member sits in the one container held at several places, and is bad at one of them only: removed
    # there, kept where it is good, as in the expanded text.
    users = {"includeUsers": ["All", 5], "@odata.type": "x", "Bogus": None}
    assert_same_as_expanded(_policy(users["includeUsers"], ["All"], users))
    assert_same_as_expanded(_policy(["a", "all"], ["All"], None))
    assert_same_as_expanded(_policy(["All"], ["All"], {"isEnabled": "yes", "value": 1, "type": "hours"}))


_ITEMS = st.sampled_from(["All", "None", "a", "", 5, None, True, {"x": 1}, {"IncludeUsers": ["a"]}, []])


@settings(max_examples=200, deadline=None)
@given(
    st.lists(_ITEMS, max_size=3),
    st.lists(_ITEMS, max_size=3),
    st.one_of(
        st.none(),
        st.dictionaries(st.sampled_from(["isEnabled", "value", "type", "Value", "@odata.type", "bogus"]), _ITEMS),
    ),
)
def test_aliased_text_reads_as_its_expanded_text(users: list[Any], applications: list[Any], extra: Any) -> None:
    assert_same_as_expanded(_policy(users, applications, extra))


def test_the_constructor_builds_an_anchor_once_and_spends_as_if_it_built_each_alias() -> None:
    (root,) = compose("a: &x {k: [1, 2]}\nb: *x\nc: {d: *x, e: [*x, *x]}\n")
    shared_budget, copied_budget = [1000], [1000]
    value = _construct_stack(root, shared_budget, shared=True)
    assert value["a"] is value["b"] is value["c"]["d"] is value["c"]["e"][0] is value["c"]["e"][1]
    assert value == _construct_stack(root, copied_budget, shared=False)
    assert shared_budget == copied_budget
