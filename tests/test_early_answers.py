"""Answers that stop reading early must equal the full three-valued answer.

`linter.policy.questions` returns as soon as one answer decides (False wins an AND, True wins an OR,
any included user rules out "includes nothing"), and PA002 compiles a policy's grant only when a
location or a device control can matter. These cases put the deciding value before and after
unresolved ones, so stopping early can never turn a None into True or False, or the reverse.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from linter.engine.registry import load_rules
from linter.model import CONDITIONAL_ACCESS_POLICY, Document, Unresolved
from linter.policy import questions as ap
from linter.policy import values as pv
from linter.policy.context import SignInContext
from linter.rule import DocumentRule

U = Unresolved
SHAREPOINT = "00000003-0000-0ff1-ce00-000000000000"


def policy(**data: Any) -> Document:
    return Document(CONDITIONAL_ACCESS_POLICY, data, "p.json", "graph-json", "p", "Office")


def conditions(**values: Any) -> Document:
    return policy(conditions=values)


def targets_application(document: Document, app_id: str) -> bool | None:
    """Does the evaluator's application condition hold for a sign-in to the app (its app groups known)?"""
    return ap.applies(document, SignInContext(target=app_id), ("application",))


CASES: list[tuple[str, Callable[[Document], Any], Document, Any]] = [
    # lists as read: a computed list or item is None for `listed`, kept as text by `references`
    ("a string is a one-item list", lambda p: pv.references(p, "/state"), policy(state="on"), ("on",)),
    ("an object is no list", lambda p: pv.references(p, "/conditions"), conditions(users={}), ()),
    ("null is no list", lambda p: pv.listed(p, "/conditions"), policy(conditions=None), ()),
    ("only strings kept", lambda p: pv.listed(p, "/x"), policy(x=["a", 5, None, "b"]), ("a", "b")),
    ("a tuple is a list", lambda p: pv.listed(p, "/x"), policy(x=("a",)), ("a",)),
    ("computed item: unknown list", lambda p: pv.listed(p, "/x"), policy(x=["a", U("var.b")]), None),
    ("computed item kept as text", lambda p: pv.references(p, "/x"), policy(x=["a", U("var.b")]), ("a", "var.b")),
    ("computed list", lambda p: pv.references(p, "/x"), policy(x=U("var.x")), None),
    ("under a computed block", lambda p: pv.listed(p, "/x/y/z"), policy(x=U("dynamic")), None),
    ("through a list item", lambda p: pv.value(p, "/x/1/y"), policy(x=[{}, {"y": "b"}]), "b"),
    ("past a string", lambda p: pv.value(p, "/x/y", "-"), policy(x="s"), "-"),
    ("an item under a computed list", lambda p: pv.value(p, "/x/0"), policy(x=U("var.x")), U("var.x")),
    # includes nothing: any included value decides False, wherever a computed list stands
    (
        "computed users, then a role",
        ap.includes_no_users,
        conditions(users={"includeUsers": U("var.u"), "includeRoles": ["r1"]}),
        False,
    ),
    (
        "only None, then computed service principals",
        ap.includes_no_users,
        conditions(users={"includeUsers": ["None"]}, clientApplications={"includeServicePrincipals": U("var.sp")}),
        None,
    ),
    ("padded NONE", ap.includes_no_users, conditions(users={"includeUsers": [" NONE "]}), True),
    (
        "computed apps, then a traffic profile",
        ap.includes_no_resources,
        conditions(applications={"includeApplications": U("var.a"), "networkAccess": {"includeTrafficProfiles": "x"}}),
        False,
    ),
    # grant: any required control decides True, whatever is computed beside it
    (
        "computed terms beside mfa",
        ap.requires_grant,
        policy(grantControls={"termsOfUse": U("var.t"), "builtInControls": ["mfa"]}),
        True,
    ),
    ("computed terms alone", ap.requires_grant, policy(grantControls={"termsOfUse": U("var.t")}), None),
    (
        "computed factors beside a strength",
        ap.requires_grant,
        policy(grantControls={"customAuthenticationFactors": U("var.f"), "authenticationStrength": {"id": "s"}}),
        True,
    ),
    (
        "a custom factor as a string",
        ap.requires_grant,
        policy(grantControls={"customAuthenticationFactors": "f"}),
        True,
    ),
    ("padded BLOCK", ap.blocks, policy(grantControls={"builtInControls": [" BLOCK "]}), True),
    # targets_application: an exclusion decides False even when the include list is computed
    (
        "group excluded in another case, padded",
        lambda p: targets_application(p, SHAREPOINT),
        conditions(applications={"includeApplications": U("var.a"), "excludeApplications": [" OFFICE365 "]}),
        False,
    ),
    (
        "computed include, other exclusion",
        lambda p: targets_application(p, SHAREPOINT),
        conditions(applications={"includeApplications": U("var.a"), "excludeApplications": ["x"]}),
        None,
    ),
    (
        "computed exclusion item",
        lambda p: targets_application(p, SHAREPOINT),
        conditions(applications={"includeApplications": ["All"], "excludeApplications": ["x", U("var.x")]}),
        None,
    ),
    (
        "computed applications block",
        lambda p: targets_application(p, SHAREPOINT),
        conditions(applications=U('dynamic "applications"')),
        None,
    ),
    ("no applications block", lambda p: targets_application(p, SHAREPOINT), conditions(), False),
    (
        "included through the group, upper case",
        lambda p: targets_application(p, SHAREPOINT),
        conditions(applications={"includeApplications": ["OFFICE365"]}),
        True,
    ),
    (
        "the evaluator knows the app groups",
        lambda p: targets_application(p, SHAREPOINT),
        conditions(applications={"includeApplications": ["Office365"]}),
        True,
    ),
]


@pytest.mark.parametrize(
    ("question", "document", "expected"), [(q, d, e) for _, q, d, e in CASES], ids=[c[0] for c in CASES]
)
def test_answer(question: Callable[[Document], Any], document: Document, expected: Any) -> None:
    answer = question(document)
    assert answer == expected
    assert type(answer) is type(expected)


def sharepoint_policy(grant: Any, **conditions: Any) -> Document:
    return policy(
        state="enabled",
        conditions={"users": {"includeUsers": ["All"]}, "applications": {"includeApplications": ["All"]}, **conditions},
        grantControls=grant,
    )


TRUSTED_ONLY = {"includeLocations": ["All"], "excludeLocations": ["AllTrusted"]}
LOCATION = ("/conditions/locations/excludeLocations", "blocks by network location")
INCLUDED_LOCATION = ("/conditions/locations/includeLocations", "blocks by network location")
DEVICE = ("/grantControls/builtInControls", "requires a compliant or hybrid-joined device")

PA002_CASES: list[tuple[str, Document, list[tuple[str, str]]]] = [
    ("block outside trusted", sharepoint_policy({"builtInControls": ["block"]}, locations=TRUSTED_ONLY), [LOCATION]),
    (
        "block from one location",
        sharepoint_policy({"builtInControls": ["block"]}, locations={"includeLocations": ["loc"]}),
        [INCLUDED_LOCATION],
    ),
    (
        "block everywhere",
        sharepoint_policy({"builtInControls": ["block"]}, locations={"includeLocations": ["All"]}),
        [],
    ),
    ("mfa outside trusted", sharepoint_policy({"builtInControls": ["mfa"]}, locations=TRUSTED_ONLY), []),
    ("block without locations", sharepoint_policy({"builtInControls": ["Block"]}), []),
    ("compliant device", sharepoint_policy({"operator": "OR", "builtInControls": ["compliantDevice"]}), [DEVICE]),
    (
        "either device control",
        sharepoint_policy({"operator": "OR", "builtInControls": ["compliantDevice", "domainJoinedDevice"]}),
        [DEVICE],
    ),
    ("device or mfa", sharepoint_policy({"operator": "OR", "builtInControls": ["compliantDevice", "mfa"]}), []),
    ("device and mfa", sharepoint_policy({"operator": "AND", "builtInControls": ["compliantDevice", "mfa"]}), [DEVICE]),
    (
        "device or a strength",
        sharepoint_policy({"builtInControls": ["compliantDevice"], "authenticationStrength": {"id": "s"}}),
        [],
    ),
    ("computed controls", sharepoint_policy({"builtInControls": U("var.controls")}), []),
    ("computed grant block", sharepoint_policy(U('dynamic "grant_controls"')), []),
    ("no grant", sharepoint_policy(None), []),
    ("only a strength", sharepoint_policy({"authenticationStrength": {"id": "s"}}), []),
    (
        "device control and app-enforced restrictions",
        policy(
            **{
                **sharepoint_policy({"builtInControls": ["domainJoinedDevice"]}).data,
                "sessionControls": {"applicationEnforcedRestrictions": {"isEnabled": True}},
            }
        ),
        [DEVICE, ("/sessionControls/applicationEnforcedRestrictions", "uses app-enforced restrictions")],
    ),
]


@pytest.mark.parametrize(("document", "expected"), [(d, e) for _, d, e in PA002_CASES], ids=[c[0] for c in PA002_CASES])
def test_pa002_limits(document: Document, expected: list[tuple[str, str]]) -> None:
    rule = load_rules(entry_points=False)["PA002"]()
    assert isinstance(rule, DocumentRule)
    assert [(violation.pointer, violation.message) for violation in rule.check(document)] == [
        (
            pointer,
            f"Policy 'Office' may block SharePoint flows. It {limit} for SharePoint Online, so SharePoint "
            "out-of-box flows (Request sign-off, Page approval) and flows shared through SharePoint lists may be "
            "blocked",
        )
        for pointer, limit in expected
    ]
