"""Fast paths give the answers of the general reading they shortcut, on generated policies with odd values.

Each reference below is the straightforward reading a fast path replaced: walk the pointer with
`policy_values.references` or `listed`, build the sets afresh, compile the policy to read its
grant. Answers must be equal and of the same type, and an exception must be the same exception.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Mapping
from types import MappingProxyType
from typing import Any

from hypothesis import example, given, settings
from hypothesis import strategies as st

from linter.engine.registry import load_rules
from linter.model import Document, Unresolved
from linter.policy import applicability as ap
from linter.policy import values as pv
from linter.policy.combine import read_grant, requirement
from linter.policy.compiled import Values, compile_policy
from linter.rule import DocumentRule
from tests.policy_strategies import (
    DEVICE_REGISTRATION,
    FLOW,
    SHAREPOINT,
    graph_policy,
    policies,
    policies_changed_at,
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


def reference_includes_nothing(policy: Document, pointers: Iterable[str]) -> bool | None:
    unresolved = False
    for pointer in pointers:
        found = pv.references(policy, pointer)
        if found is None:
            unresolved = True
        elif not pv.only_none(found):
            return False
    return None if unresolved else True


USER_INCLUDES = [
    "/conditions/users/includeUsers",
    "/conditions/users/includeGroups",
    "/conditions/users/includeRoles",
    "/conditions/users/includeGuestsOrExternalUsers/guestOrExternalUserTypes",
    "/conditions/clientApplications/includeServicePrincipals",
    "/conditions/clientApplications/includeAgentIdServicePrincipals",
]
RESOURCE_INCLUDES = [
    "/conditions/applications/includeApplications",
    "/conditions/applications/includeUserActions",
    "/conditions/applications/includeAuthenticationContextClassReferences",
    "/conditions/applications/globalSecureAccess/includeTrafficProfiles",
    "/conditions/applications/networkAccess/includeTrafficProfiles",
]


def reference_transfer_methods(policy: Document) -> frozenset[str] | None:
    methods = pv.listed(policy, "/conditions/authenticationFlows/transferMethods")
    return None if methods is None else frozenset(method.strip() for method in methods)


def reference_state(policy: Document) -> str | None:
    found = pv.value(policy, "/state")
    return found if isinstance(found, str) and not isinstance(found, Unresolved) else None


def reference_targets_application(policy: Document, app_id: str, groups: Iterable[str]) -> bool | None:
    wanted = {app_id.casefold(), *(group.casefold() for group in groups)}
    excluded = pv.listed(policy, "/conditions/applications/excludeApplications")
    if excluded is None:
        return None
    if any(app.strip().casefold() in wanted for app in excluded):
        return False
    included = pv.listed(policy, "/conditions/applications/includeApplications")
    if included is None:
        return None
    return any(app.strip().casefold() in wanted | {"all"} for app in included)


def reference_values(value: Any) -> Values:
    if isinstance(value, Unresolved):
        return Values(unresolved=(str(value),))
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, (list, tuple)):
        return Values()
    known = frozenset(item.casefold() for item in value if isinstance(item, str))
    unresolved = tuple(str(item) for item in value if isinstance(item, Unresolved))
    return Values(known - {item.casefold() for item in unresolved}, unresolved)


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
    return str(operator).upper(), tuple(controls), any(control.casefold() == "block" for control in controls)


DEVICE_CONTROLS = {"compliantDevice", "domainJoinedDevice"}


def reference_pa002(policy: Document) -> list[tuple[str, str]]:
    """PA002's limits read the long way: every lookup from the document, the grant from the compiled policy."""
    if ap.state(policy) == "disabled":
        return []
    locations = policy.get("/conditions/locations")
    narrowing = None
    if isinstance(locations, Mapping):
        included = Values.of(locations.get("includeLocations"))
        excluded = Values.of(locations.get("excludeLocations"))
        if excluded or (included and not included.has("All")):
            narrowing = "/conditions/locations/" + ("excludeLocations" if excluded else "includeLocations")
    restricted = policy.get("/sessionControls/applicationEnforcedRestrictions/isEnabled") is True
    if ap.targets_application(policy, SHAREPOINT, ("Office365",)) is not True:
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
        (pointer, message.removeprefix("policy 'P' "))
        for pointer, message in findings("PA002", policy, " for SharePoint Online: ")
    ]


INCLUDED_APPLICATIONS = "/conditions/applications/includeApplications"
EXCLUDED_APPLICATIONS = "/conditions/applications/excludeApplications"


def blocks_device_code_flow(policy: Document) -> bool:
    methods = ap.transfer_methods(policy)
    return methods is not None and "deviceCodeFlow" in methods


def reference_ca002(policy: Document) -> list[tuple[str, str]]:
    """CA002 in its former order: all three questions, then the DRS exclusion."""
    excluded = ap.excluded_applications(policy)
    if not blocks_device_code_flow(policy) or excluded is None:
        return []
    applies = pv.all_of(ap.is_enforced_or_report_only(policy), ap.blocks(policy), ap.includes_all_resources(policy))
    if applies is not True or any(app.strip().casefold() == DEVICE_REGISTRATION for app in excluded):
        return []
    return [(pv.present(policy, EXCLUDED_APPLICATIONS, INCLUDED_APPLICATIONS), "policy 'P' blocks device code flow")]


def reference_ca005(policy: Document) -> list[tuple[str, str]]:
    """CA005 in its former order: state and grant first, then what the block leaves out."""
    if not blocks_device_code_flow(policy):
        return []
    if pv.all_of(ap.is_enforced_or_report_only(policy), ap.blocks(policy)) is not True:
        return []
    included = pv.listed(policy, INCLUDED_APPLICATIONS)
    excluded = ap.excluded_applications(policy)
    if included is None or excluded is None or not included:
        return []
    if ap.includes_all_resources(policy) is False:
        if all(app.strip().casefold() == "none" for app in included):
            return []
        return [(INCLUDED_APPLICATIONS, f"policy 'P' blocks device code flow only for {', '.join(included)}")]
    others = [app for app in excluded if app.strip().casefold() != DEVICE_REGISTRATION]
    return (
        [(EXCLUDED_APPLICATIONS, f"policy 'P' blocks device code flow except for {', '.join(others)}")]
        if others
        else []
    )


TARGETS: list[tuple[str, Iterable[str]]] = [
    (FLOW, ("Office365",)),
    (SHAREPOINT, ["OFFICE365"]),
    (FLOW, ()),
    ("All", ()),
]


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
    for question in (ap.state, ap.transfer_methods, ap.sign_in_frequency, read_grant, pa002):
        assert outcome(question, policy) == outcome(question, read_only), question.__name__
    for code in ("CA004", "CA006", "CA009", "PA003"):
        assert outcome(findings, code, policy, "\x00") == outcome(findings, code, read_only, "\x00"), code
    assert outcome(ap.state, policy) == outcome(reference_state, policy)
    assert outcome(ap.transfer_methods, policy) == outcome(reference_transfer_methods, policy)
    assert outcome(ap.includes_no_users, policy) == outcome(reference_includes_nothing, policy, USER_INCLUDES)
    assert outcome(ap.includes_no_resources, policy) == outcome(reference_includes_nothing, policy, RESOURCE_INCLUDES)
    for app_id, groups in TARGETS:
        assert outcome(ap.targets_application, policy, app_id, groups) == outcome(
            reference_targets_application, policy, app_id, groups
        ), app_id
    assert outcome(read_grant, policy) == outcome(reference_grant, policy)
    assert outcome(pa002, policy) == outcome(reference_pa002, policy)
    assert outcome(findings, "CA002", policy, " for all resources") == outcome(reference_ca002, policy)
    assert outcome(findings, "CA005", policy, ": a session") == outcome(reference_ca005, policy)


DEVICE_CODE_FLOW_BLOCKS = policies_changed_at(
    "/state",
    "/conditions/authenticationFlows/transferMethods",
    INCLUDED_APPLICATIONS,
    EXCLUDED_APPLICATIONS,
    "/grantControls/builtInControls",
)


@FAST
@given(DEVICE_CODE_FLOW_BLOCKS)
def test_device_code_flow_rules_equal_their_former_order(policy: Document) -> None:
    assert outcome(findings, "CA002", policy, " for all resources") == outcome(reference_ca002, policy)
    assert outcome(findings, "CA005", policy, ": a session") == outcome(reference_ca005, policy)
