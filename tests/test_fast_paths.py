"""Fast paths give the answers of the general reading they shortcut, on generated policies with odd values.

Each reference below is the straightforward reading a fast path replaced: walk the pointer with
`linter.policy.values.references` or `listed`, build the sets afresh, compile the policy to read its
grant. Answers must be equal and of the same type, and an exception must be the same exception.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping
from types import MappingProxyType
from typing import Any

from hypothesis import example, given, settings
from hypothesis import strategies as st

from linter.engine.registry import load_rules
from linter.model import Document, Unresolved
from linter.policy import values as pv
from linter.policy.combine import read_grant, requirement
from linter.policy.compiled import Values, compile_policy, state
from linter.policy.context import SignInContext
from linter.policy.questions import applies, transfer_methods
from linter.policy.session import sign_in_frequency
from linter.rule import DocumentRule
from tests.policy_strategies import (
    SHAREPOINT,
    graph_policy,
    policies,
    values,
)

FAST = settings(max_examples=300, deadline=None)


def outcome(question: Callable[..., Any], *args: Any) -> tuple[Any, ...]:
    try:
        answer = question(*args)
    except Exception as error:
        return ("raised", type(error), str(error))
    return (answer, type(answer))


def reference_literals(found: Any) -> tuple[str, ...] | None:
    items = pv.strings_of(found)
    if items is None or any(isinstance(item, Unresolved) for item in items):
        return None
    return items


@FAST
@given(values | st.just(pv.MISSING))
@example(["a", Unresolved("b")])
@example(["a", 1, None])
@example([])
@example(("a",))
def test_literals_of(found: Any) -> None:
    assert outcome(pv.literals_of, found) == outcome(reference_literals, found)


def reference_values(value: Any) -> Values:
    if isinstance(value, Unresolved):
        return Values(unresolved=(str(value),))
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, (list, tuple)):
        return Values()
    known = frozenset(item.strip().casefold() for item in value if isinstance(item, str))
    unresolved = tuple(str(item) for item in value if isinstance(item, Unresolved))
    return Values(known - {item.strip().casefold() for item in unresolved}, unresolved)


@FAST
@given(values)
@example(["All", Unresolved("all"), "x"])
def test_values_of(value: Any) -> None:
    assert outcome(Values.of, value) == outcome(reference_values, value)


def reference_grant(policy: Document) -> tuple[str, tuple[str, ...], bool]:
    """The grant as the whatif compiler read it before `read_grant`."""
    grant = policy.get("/grantControls", {}) or {}
    if not isinstance(grant, dict):
        grant = {"builtInControls": grant}
    operator = grant.get("operator") if isinstance(grant.get("operator"), str) else "OR"
    controls: list[str] = []
    built_in = grant.get("builtInControls", [])
    for control in [built_in] if isinstance(built_in, Unresolved) else built_in:
        controls.append(str(control))
    strength = grant.get("authenticationStrength")
    if isinstance(strength, dict):
        controls.append(f"authenticationStrength:{strength.get('displayName') or strength.get('id') or 'custom'}")
    elif strength is not None:
        controls.append(f"authenticationStrength:{strength}")
    for key, prefix in (("termsOfUse", "termsOfUse"), ("customAuthenticationFactors", "custom")):
        items = grant.get(key)
        for item in items if isinstance(items, list) else [items] if isinstance(items, str) else []:
            controls.append(f"{prefix}:{item}")
    return str(operator).upper(), tuple(controls), any(control.strip().casefold() == "block" for control in controls)


DEVICE_CONTROLS = {"compliantDevice", "domainJoinedDevice"}


def reference_pa002(policy: Document) -> list[tuple[str, str]]:
    """PA002's limits read the long way: every lookup from the document, the grant from the compiled policy."""
    if state(policy) == "disabled":
        return []
    locations = policy.get("/conditions/locations")
    narrowing = None
    if isinstance(locations, Mapping):
        included = Values.of(locations.get("includeLocations"))
        excluded = Values.of(locations.get("excludeLocations"))
        if excluded or (included and not included.has("All")):
            narrowing = "/conditions/locations/" + ("excludeLocations" if excluded else "includeLocations")
    restricted = policy.get("/sessionControls/applicationEnforcedRestrictions/isEnabled") is True
    if applies(policy, SignInContext(target=SHAREPOINT), ("application",)) is not True:
        return []
    found = []
    grant = requirement(compile_policy(policy, 0))
    if grant.blocks and narrowing is not None:
        found.append((narrowing, "blocks by network location"))
    if not grant.blocks and all(alternative & DEVICE_CONTROLS for alternative in grant.alternatives):
        found.append(("/grantControls/builtInControls", "requires a compliant or hybrid-joined device"))
    if restricted:
        found.append(("/sessionControls/applicationEnforcedRestrictions", "uses app-enforced restrictions"))
    return found


@functools.cache
def rule(code: str) -> DocumentRule:
    found = load_rules(entry_points=False)[code]()
    assert isinstance(found, DocumentRule)
    return found


def findings(code: str, policy: Document, until: str) -> list[tuple[str, str]]:
    """(pointer, message up to `until`) of each finding of the rule."""
    return [(violation.pointer, violation.message.split(until)[0]) for violation in rule(code).check(policy)]


def pa002(policy: Document) -> list[tuple[str, str]]:
    return [
        (pointer, message.removeprefix("Policy 'P' may block SharePoint flows. It "))
        for pointer, message in findings("PA002", policy, " for SharePoint Online, ")
    ]


INCLUDED_APPLICATIONS = "/conditions/applications/includeApplications"
EXCLUDED_APPLICATIONS = "/conditions/applications/excludeApplications"


@FAST
@given(policies)
@example(graph_policy({"grantControls": MappingProxyType({})}))
@example(graph_policy({"grantControls": {"builtInControls": None}}))
@example(graph_policy({"grantControls": {"builtInControls": "block"}}))
@example(graph_policy({"conditions": Unresolved('dynamic "conditions"')}))
@example(graph_policy({"sessionControls": Unresolved(""), "conditions": {"authenticationFlows": Unresolved("")}}))
@example(graph_policy({"conditions": {"users": {"includeUsers": [Unresolved("All")]}}}))
@example(
    graph_policy(
        {
            "conditions": {
                "users": {"includeUsers": [" None ", "x"]},
                "applications": {"includeApplications": [1, "All"]},
            }
        }
    )
)
@example(
    graph_policy(
        {
            "conditions": {
                "applications": {"includeApplications": ["All"], "excludeApplications": Unresolved("var.x")},
                "locations": MappingProxyType({"includeLocations": ["All"], "excludeLocations": ["AllTrusted"]}),
            },
            "grantControls": {"builtInControls": ["block"]},
        }
    )
)
@example(
    graph_policy(
        {
            "conditions": {
                "applications": {"includeApplications": ["Office365"]},
                "locations": MappingProxyType({"includeLocations": ["All"], "excludeLocations": ["AllTrusted"]}),
            },
            "grantControls": {"builtInControls": ["block"]},
        }
    )
)
def test_questions_equal_their_general_reading(policy: Document) -> None:
    # Behind a read-only mapping, a policy takes no fast path that starts from a dict.
    read_only = policy._replace(data=MappingProxyType(dict(policy.data)))
    for question in (state, transfer_methods, sign_in_frequency, read_grant, pa002):
        assert outcome(question, policy) == outcome(question, read_only), question.__name__
    for code in ("CA002", "CA004", "CA005", "CA006", "CA009", "PA003"):
        assert outcome(findings, code, policy, "\x00") == outcome(findings, code, read_only, "\x00"), code
    assert outcome(read_grant, policy) == outcome(reference_grant, policy)
    assert outcome(pa002, policy) == outcome(reference_pa002, policy)
