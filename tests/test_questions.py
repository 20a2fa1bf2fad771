"""The evaluator's answers about one policy (`linter.policy.questions`), case by case, unresolved values included."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from linter.model import CONDITIONAL_ACCESS_POLICY, Document, Unresolved
from linter.policy import questions as ap
from linter.policy import values as pv
from linter.policy.apps import MICROSOFT_FLOW_SERVICE
from linter.policy.compiled import state
from linter.policy.context import SignInContext
from linter.policy.session import SignInFrequency, sign_in_frequency

U = Unresolved
FLOW = MICROSOFT_FLOW_SERVICE
DRS = ap.DEVICE_REGISTRATION_SERVICE


def targets_application(document: Document, app_id: str) -> bool | None:
    """Does the evaluator's application condition hold for a sign-in to the app?"""
    return ap.applies(document, SignInContext(target=app_id), ("application",))


def policy(**data: Any) -> Document:
    return Document(CONDITIONAL_ACCESS_POLICY, data, "p.json", "graph-json", "p", "p")


def users(**values: Any) -> Document:
    return policy(conditions={"users": values})


def apps(**values: Any) -> Document:
    return policy(conditions={"applications": values})


def conditions(**values: Any) -> Document:
    return policy(conditions=values)


def grant(*controls: Any, **others: Any) -> Document:
    return policy(grantControls={"builtInControls": list(controls), **others})


def everyone_block(**extra: Any) -> dict[str, Any]:
    return {
        "state": "enabled",
        "conditions": {
            "users": {"includeUsers": ["All"]},
            "applications": {"includeApplications": ["All"]},
            **extra,
        },
        "grantControls": {"builtInControls": ["block"]},
    }


CASES: list[tuple[str, Callable[[Document], Any], Document, Any]] = [
    # state
    ("enabled", ap.is_enabled, policy(state="enabled"), True),
    ("report-only is not enabled", ap.is_enabled, policy(state="enabledForReportingButNotEnforced"), False),
    ("missing state", ap.is_enabled, policy(), False),
    ("computed state", ap.is_enabled, policy(state=U("var.state")), None),
    ("report-only counts", ap.is_enforced_or_report_only, policy(state="enabledForReportingButNotEnforced"), True),
    ("disabled", ap.is_enforced_or_report_only, policy(state="disabled"), False),
    ("computed state", ap.is_enforced_or_report_only, policy(state=U("var.state")), None),
    ("state text", state, policy(state="disabled"), "disabled"),
    ("computed state text", state, policy(state=U("var.state")), None),
    # grant
    ("block", ap.blocks, grant("mfa", "block"), True),
    ("block any case", ap.blocks, grant("Block"), True),
    ("mfa only", ap.blocks, grant("mfa"), False),
    ("no grant", ap.blocks, policy(), False),
    ("computed controls", ap.blocks, policy(grantControls={"builtInControls": U("var.controls")}), None),
    ("computed control", ap.blocks, grant(U("local.control")), None),
    ("requires mfa", ap.requires_grant, grant("mfa"), True),
    ("requires strength", ap.requires_grant, policy(grantControls={"authenticationStrength": {"id": "x"}}), True),
    ("requires terms of use", ap.requires_grant, policy(grantControls={"termsOfUse": ["t"]}), True),
    ("operator only", ap.requires_grant, policy(grantControls={"operator": "OR"}), False),
    ("no grant", ap.requires_grant, policy(sessionControls={}), False),
    ("computed grant", ap.requires_grant, policy(grantControls=U("var.grant")), None),
    ("computed controls", ap.requires_grant, policy(grantControls={"builtInControls": U("var.c")}), None),
    # users
    ("All", ap.includes_all_users, users(includeUsers=["All"]), True),
    ("lowercase all", ap.includes_all_users, users(includeUsers=["all"]), True),
    ("some users", ap.includes_all_users, users(includeUsers=["u1"]), False),
    ("no users block", ap.includes_all_users, policy(conditions={}), False),
    ("wrong type", ap.includes_all_users, users(includeUsers=5), False),
    ("computed users", ap.includes_all_users, users(includeUsers=U("var.users")), None),
    ("computed user", ap.includes_all_users, users(includeUsers=["u1", U("azuread_user.a.object_id")]), None),
    ("only None", ap.includes_no_users, users(includeUsers=["None"]), True),
    ("nothing at all", ap.includes_no_users, policy(conditions={}), True),
    ("conditions not an object", ap.includes_no_users, policy(conditions="x"), True),
    ("a role", ap.includes_no_users, users(includeUsers=["None"], includeRoles=["r1"]), False),
    (
        "guests",
        ap.includes_no_users,
        users(includeGuestsOrExternalUsers={"guestOrExternalUserTypes": ["b2bCollaborationGuest"]}),
        False,
    ),
    (
        "guest types none",
        ap.includes_no_users,
        users(includeGuestsOrExternalUsers={"guestOrExternalUserTypes": ["none"]}),
        True,
    ),
    (
        "service principals",
        ap.includes_no_users,
        conditions(users={"includeUsers": ["None"]}, clientApplications={"includeServicePrincipals": ["sp"]}),
        False,
    ),
    ("computed group", ap.includes_no_users, users(includeUsers=["None"], includeGroups=U("var.groups")), None),
    ("computed group beside a user", ap.includes_no_users, users(includeUsers=["u1"], includeGroups=U("var.g")), False),
    ("reference item", ap.includes_no_users, users(includeGroups=[U("azuread_group.g.object_id")]), False),
    # a computed enclosing block (Terraform `dynamic "conditions"`) leaves every answer inside it open
    ("computed conditions", ap.includes_all_users, policy(conditions=U('dynamic "conditions"')), None),
    ("computed conditions", ap.includes_no_users, policy(conditions=U('dynamic "conditions"')), None),
    ("computed users block", ap.includes_no_resources, conditions(applications=U('dynamic "applications"')), None),
    ("computed users block", lambda p: ap.missing_exclusions(p, ["bg"]), conditions(users=U('dynamic "users"')), None),
    ("computed grant block", ap.blocks, policy(grantControls=U('dynamic "grant_controls"')), None),
    ("computed session block", sign_in_frequency, policy(sessionControls=U('dynamic "session_controls"')), None),
    (
        "value under a computed block",
        lambda p: pv.value(p, "/conditions/users/includeUsers/0"),
        policy(conditions=U("c")),
        U("c"),
    ),
    ("list item", lambda p: pv.value(p, "/conditions/users/includeUsers/1"), users(includeUsers=["a", "b"]), "b"),
    ("missing item", lambda p: pv.value(p, "/conditions/users/includeUsers/2", "-"), users(includeUsers=["a"]), "-"),
    # resources
    ("only none", ap.includes_no_resources, apps(includeApplications=["none"]), True),
    ("missing", ap.includes_no_resources, policy(conditions={"users": {"includeUsers": ["All"]}}), True),
    ("user action", ap.includes_no_resources, apps(includeUserActions=["urn:user:registerdevice"]), False),
    (
        "internet traffic profile",
        ap.includes_no_resources,
        apps(globalSecureAccess={"includeTrafficProfiles": "internet"}),
        False,
    ),
    ("auth context", ap.includes_no_resources, apps(includeAuthenticationContextClassReferences=["c1"]), False),
    ("computed apps", ap.includes_no_resources, apps(includeApplications=U("var.apps")), None),
    # targets_application (Power Automate)
    ("through All", lambda p: targets_application(p, FLOW), apps(includeApplications=["All"]), True),
    # Microsoft Flow Service is not in the Office 365 app suite (the Flow portal is): see linter/policy/apps.py.
    (
        "not through office365 group",
        lambda p: targets_application(p, FLOW),
        apps(includeApplications=["office365"]),
        False,
    ),
    ("directly", lambda p: targets_application(p, FLOW), apps(includeApplications=[FLOW.upper()]), True),
    ("other app", lambda p: targets_application(p, FLOW), apps(includeApplications=["797f4846"]), False),
    (
        "excluded",
        lambda p: targets_application(p, FLOW),
        apps(includeApplications=["All"], excludeApplications=[FLOW]),
        False,
    ),
    (
        "office365 excluded leaves the Flow service",
        lambda p: targets_application(p, FLOW),
        apps(includeApplications=["All"], excludeApplications=["Office365"]),
        True,
    ),
    (
        "excluded beats computed include",
        lambda p: targets_application(p, FLOW),
        apps(includeApplications=U("var.apps"), excludeApplications=[FLOW]),
        False,
    ),
    (
        "computed exclusions",
        lambda p: targets_application(p, FLOW),
        apps(includeApplications=["All"], excludeApplications=U("var.x")),
        None,
    ),
    # exclusions of accounts
    (
        "all excluded, ids and references",
        lambda p: ap.missing_exclusions(p, ["ID-1", "azuread_group.bg.object_id"]),
        users(excludeUsers=["id-1"], excludeGroups=[U("azuread_group.bg.object_id")]),
        (),
    ),
    (
        "one missing",
        lambda p: ap.missing_exclusions(p, ["id-1", "id-2"]),
        users(excludeUsers=["id-1"]),
        ("id-2",),
    ),
    ("none excluded", lambda p: ap.missing_exclusions(p, ["id-1"]), policy(conditions={}), ("id-1",)),
    (
        "computed exclusions",
        lambda p: ap.missing_exclusions(p, ["id-1"]),
        users(excludeUsers=["x"], excludeGroups=U("var.g")),
        None,
    ),
    # authentication flows and client app types
    (
        "transfer methods",
        ap.transfer_methods,
        conditions(authenticationFlows={"transferMethods": ["deviceCodeFlow", " authenticationTransfer"]}),
        frozenset({"devicecodeflow", "authenticationtransfer"}),
    ),
    ("no flows", ap.transfer_methods, policy(conditions={}), frozenset()),
    (
        "computed methods",
        ap.transfer_methods,
        conditions(authenticationFlows={"transferMethods": U("var.m")}),
        None,
    ),
    # sign-in frequency
    (
        "every 8 hours",
        sign_in_frequency,
        policy(sessionControls={"signInFrequency": {"isEnabled": True, "type": "hours", "value": 8}}),
        SignInFrequency(every_time=False, value=8, unit="hours"),
    ),
    (
        "every time",
        sign_in_frequency,
        policy(sessionControls={"signInFrequency": {"isEnabled": True, "frequencyInterval": "everyTime"}}),
        SignInFrequency(every_time=True),
    ),
    (
        "isEnabled left out, value given",
        sign_in_frequency,
        policy(sessionControls={"signInFrequency": {"type": "days", "value": 1}}),
        SignInFrequency(every_time=False, value=1, unit="days"),
    ),
    (
        "disabled",
        sign_in_frequency,
        policy(sessionControls={"signInFrequency": {"isEnabled": False, "frequencyInterval": "timeBased"}}),
        False,
    ),
    ("absent", sign_in_frequency, policy(sessionControls={}), False),
    (
        "computed isEnabled",
        sign_in_frequency,
        policy(sessionControls={"signInFrequency": {"isEnabled": U("var.on"), "value": 8}}),
        None,
    ),
]


@pytest.mark.parametrize(
    ("question", "document", "expected"), [(q, d, e) for _, q, d, e in CASES], ids=[c[0] for c in CASES]
)
def test_answer(question: Callable[[Document], Any], document: Document, expected: Any) -> None:
    assert question(document) == expected


@pytest.mark.parametrize(
    ("frequency", "text"),
    [
        (SignInFrequency(every_time=True), "every time"),
        (SignInFrequency(every_time=False, value=8, unit="hours"), "every 8 hours"),
        (SignInFrequency(every_time=False, value=1, unit="days"), "every day"),
        (SignInFrequency(every_time=False, value=1, unit="hours"), "every hour"),
        (SignInFrequency(every_time=False, value=U("var.hours"), unit="hours"), "every var.hours hours"),
        (SignInFrequency(every_time=False), "at a fixed interval"),
    ],
)
def test_sign_in_frequency_described(frequency: SignInFrequency, text: str) -> None:
    assert frequency.describe() == text


@pytest.mark.parametrize(
    ("answers", "expected"),
    [((True, True), True), ((True, None), None), ((None, False), False), ((), True)],
)
def test_all_of_is_three_valued(answers: tuple[bool | None, ...], expected: bool | None) -> None:
    assert pv.all_of(*answers) is expected


def test_present_prefers_the_first_written_pointer() -> None:
    document = users(excludeGroups=["g"])
    assert pv.present(document, "/conditions/users/excludeUsers", "/conditions/users/excludeGroups") == (
        "/conditions/users/excludeGroups"
    )
    assert pv.present(policy(), "/conditions/users/excludeUsers", "/conditions") == "/conditions"
