"""The rules' own shortcuts give the answers of the general reading, on generated policies with odd values.

PA002 reads its grant without compiling the policy, CA002 and CA005 ask their questions in a
cheaper order, and CA004, CA006, CA009 and PA003 answer a dict policy with a few dict reads. Each
reference below is the general reading; answers must be equal and of the same type, and an
exception must be the same exception. (The policy helpers' shortcuts were measured and removed:
docs/performance.md.)
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Mapping
from types import MappingProxyType
from typing import Any

from hypothesis import example, given, settings

from linter.engine.registry import load_rules
from linter.model import Document, Unresolved
from linter.policy import applicability as ap
from linter.policy import values as pv
from linter.policy.combine import requirement
from linter.policy.compiled import Values, compile_policy
from linter.rule import DocumentRule
from tests.policy_strategies import (
    DEVICE_REGISTRATION,
    FLOW,
    SHAREPOINT,
    graph_policy,
    policies,
    policies_changed_at,
)

FAST = settings(max_examples=300, deadline=None)


def outcome(question: Callable[..., Any], *args: Any) -> tuple[Any, ...]:
    try:
        answer = question(*args)
    except Exception as error:
        return ("raised", type(error), str(error))
    return (answer, type(answer))


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
    for question in (ap.sign_in_frequency, pa002):
        assert outcome(question, policy) == outcome(question, read_only), question.__name__
    for code in ("CA004", "CA006", "CA009", "PA003"):
        assert outcome(findings, code, policy, "\x00") == outcome(findings, code, read_only, "\x00"), code
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
