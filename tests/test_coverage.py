"""Tenant rules conclude what evaluating the same sign-ins concludes: the coverage query and the rules on it."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from linter.rules.ca001_device_code_flow_not_blocked import MODERN_CLIENT_APPS, flow_coverage
from linter.rules.ca007_legacy_authentication_not_blocked import LEGACY_CLIENT_APPS, legacy_coverage

from linter.engine.registry import load_rules
from linter.model import CONDITIONAL_ACCESS_POLICY, Document, Tenant, Unresolved
from linter.policy.combine import outcome, requirement
from linter.policy.conditions import users
from linter.policy.context import SignInContext
from linter.policy.coverage import uncovered
from linter.policy.evaluate import Evaluator
from linter.rule import TenantRule

DRS = "01cb2876-7ebd-4aa4-9cc9-d28bd4d359a9"
EXCHANGE = "00000002-0000-0ff1-ce00-000000000000"
FLOW = "7df0a125-d3be-4c96-aa54-591f83ff541c"
APPS = ["All", "Office365", EXCHANGE, DRS, FLOW]


def tenant(*policies: dict[str, Any]) -> Tenant:
    documents = tuple(
        Document(CONDITIONAL_ACCESS_POLICY, data, f"p{index}.json", "graph-json", f"p{index}", f"p{index}")
        for index, data in enumerate(policies)
    )
    return Tenant("t", documents, tuple(document.path for document in documents))


def block(**conditions: Any) -> dict[str, Any]:
    return {
        "displayName": "block",
        "state": conditions.pop("state", "enabled"),
        "conditions": {
            "users": {"includeUsers": ["All"]},
            "applications": {"includeApplications": ["All"]},
            "clientAppTypes": ["all"],
            **conditions,
        },
        "grantControls": {"operator": "OR", "builtInControls": ["block"]},
    }


def messages(code: str, checked: Tenant) -> list[str]:
    rule = load_rules(entry_points=False)[code]()
    assert isinstance(rule, TenantRule)
    return [violation.message for violation in rule.check(checked)]


DEVICE_CODE = {"authenticationFlows": {"transferMethods": ["deviceCodeFlow"]}}


def test_a_device_code_flow_block_does_not_block_legacy_authentication() -> None:
    """Issue 18: the only block is a device code flow block with clientAppTypes all; CA007 used to stay silent."""
    checked = tenant(block(**DEVICE_CODE))
    assert messages("CA001", checked) == []
    assert messages("CA007", checked) == [
        "Legacy authentication is not blocked for everyone. No enabled policy of tenant 't' blocks client app "
        "type(s) exchangeActiveSync and other for all users and all resources"
    ]
    # ... which is what `entralint whatif . --client-app exchangeActiveSync` says: grant.
    evaluator = Evaluator(checked.documents)
    assert outcome(evaluator, SignInContext(client_app="exchangeActiveSync")).verdict == "grant"


def test_an_application_filter_in_exclude_mode_is_one_answer_for_every_rule() -> None:
    """Issue 18: CA006 read an exclude-mode applicationFilter as "applies", PA001's evaluator as "depends"."""
    frequency = {
        "displayName": "daily",
        "state": "enabled",
        "conditions": {
            "users": {"includeUsers": ["All"]},
            "applications": {
                "includeApplications": ["All"],
                "applicationFilter": {"mode": "exclude", "rule": 'CustomSecurityAttribute.x -eq "y"'},
            },
        },
        "sessionControls": {"signInFrequency": {"isEnabled": True, "type": "days", "value": 1}},
    }
    checked = tenant(frequency)
    rule = load_rules(entry_points=False)["CA006"]()
    assert list(rule.check(checked.documents[0])) == []  # type: ignore[arg-type]
    evaluator = Evaluator(checked.documents)
    assert evaluator.dimension("application", SignInContext(target=FLOW)).matches[0].value is None


SINGLE_POLICY_CASES: list[tuple[str, dict[str, Any], bool]] = [
    ("everyone", block(**DEVICE_CODE), True),
    ("exclusions allowed", block(**DEVICE_CODE, users={"includeUsers": ["All"], "excludeGroups": ["bg"]}), True),
    (
        "DRS excluded",
        block(**DEVICE_CODE, applications={"includeApplications": ["All"], "excludeApplications": [DRS]}),
        True,
    ),
    ("report-only", block(**DEVICE_CODE, state="enabledForReportingButNotEnforced"), False),
    ("computed state", block(**DEVICE_CODE, state=Unresolved("var.s")), True),
    ("android only", block(**DEVICE_CODE, platforms={"includePlatforms": ["android"]}), False),
    ("one location", block(**DEVICE_CODE, locations={"includeLocations": ["loc"]}), False),
    ("computed locations", block(**DEVICE_CODE, locations={"includeLocations": Unresolved("var.l")}), True),
    ("high sign-in risk only", block(**DEVICE_CODE, signInRiskLevels=["high"]), False),
    ("computed risk", block(**DEVICE_CODE, userRiskLevels=Unresolved("var.r")), True),
    ("elevated insider risk only", block(**DEVICE_CODE, insiderRiskLevels=["elevated"]), False),
    ("device filter include", block(**DEVICE_CODE, devices={"deviceFilter": {"mode": "include", "rule": "r"}}), False),
    ("device filter exclude", block(**DEVICE_CODE, devices={"deviceFilter": {"mode": "exclude", "rule": "r"}}), True),
    ("some users", block(**DEVICE_CODE, users={"includeGroups": ["g1"]}), False),
    ("legacy clients only", block(**DEVICE_CODE, clientAppTypes=["exchangeActiveSync", "other"]), False),
    ("other flow", block(authenticationFlows={"transferMethods": ["authenticationTransfer"]}), False),
    ("computed flows", block(authenticationFlows={"transferMethods": Unresolved("var.m")}), True),
]


@pytest.mark.parametrize(
    ("policy", "covered"), [(p, c) for _, p, c in SINGLE_POLICY_CASES], ids=[c[0] for c in SINGLE_POLICY_CASES]
)
def test_one_policy_blocks_device_code_flow(policy: dict[str, Any], covered: bool) -> None:
    checked = tenant(policy)
    assert flow_coverage(Evaluator(checked.documents), "deviceCodeFlow").complete is covered
    assert (messages("CA001", checked) == []) is covered


def test_two_policies_share_the_job_and_an_open_class_is_named() -> None:
    mobile = block(**DEVICE_CODE, platforms={"includePlatforms": ["android", "iOS"]})
    rest = block(**DEVICE_CODE, platforms={"includePlatforms": ["all"], "excludePlatforms": ["android", "iOS"]})
    assert messages("CA001", tenant(mobile, rest)) == []
    [message] = messages("CA001", tenant(mobile))
    assert message.startswith(
        "Device code flow is not blocked for everyone. "
        "No enabled policy of tenant 't' blocks deviceCodeFlow for all users and all resources. "
    )
    assert "Still open: all users signing in to all resources (windows" in message


def test_exempt_subjects_are_not_asked_about() -> None:
    evaluator = Evaluator(
        tenant(block(**DEVICE_CODE, users={"includeUsers": ["All"], "excludeUsers": ["bg"]})).documents
    )
    blocks = lambda policy: requirement(policy).blocks  # noqa: E731
    fixed = {"authenticationFlow": ("deviceCodeFlow",)}
    [gap] = uncovered(evaluator, blocks, fixed=fixed).gaps
    assert gap.subject == "user bg"
    assert uncovered(evaluator, blocks, fixed=fixed, exempt={"users": ["BG"]}).complete


# Generated tenants: small policies over the values the rules and the evaluator read.
IDS = st.sampled_from(["u1", "g1", "g2"])
CLIENT_APPS = ["all", "browser", "mobileAppsAndDesktopClients", "exchangeActiveSync", "other"]


def maybe_computed(strategy: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return strategy | strategy.map(lambda _: Unresolved("var.x"))


generated_policy = st.fixed_dictionaries(
    {
        "state": st.sampled_from(["enabled", "enabled", "enabledForReportingButNotEnforced", "disabled"]),
        "conditions": st.fixed_dictionaries(
            {
                "users": st.fixed_dictionaries(
                    {
                        "includeUsers": st.sampled_from([["All"], [], ["u1"]]),
                        "includeGroups": st.lists(IDS, max_size=1),
                        "excludeGroups": st.lists(IDS, max_size=1),
                    }
                ),
                "applications": st.fixed_dictionaries(
                    {
                        "includeApplications": st.lists(st.sampled_from(APPS), min_size=1, max_size=2),
                        "excludeApplications": st.lists(st.sampled_from([DRS, EXCHANGE]), max_size=1),
                    }
                ),
                "clientAppTypes": maybe_computed(st.lists(st.sampled_from(CLIENT_APPS), min_size=1, max_size=2)),
                "authenticationFlows": st.fixed_dictionaries(
                    {"transferMethods": st.lists(st.sampled_from(["deviceCodeFlow", "authenticationTransfer"]))}
                ),
                "platforms": st.sampled_from(
                    [
                        {},
                        {"includePlatforms": ["all"]},
                        {"includePlatforms": ["android"]},
                        {"excludePlatforms": ["iOS"]},
                    ]
                ),
                "locations": st.sampled_from([{}, {"includeLocations": ["All"], "excludeLocations": ["AllTrusted"]}]),
                "signInRiskLevels": st.sampled_from([[], ["high"]]),
            }
        ),
        "grantControls": st.fixed_dictionaries(
            {"operator": st.just("OR"), "builtInControls": st.sampled_from([["block"], ["mfa"]])}
        ),
    }
)
sign_ins = st.builds(
    SignInContext,
    user=st.sampled_from(["u1", "u2", None]),
    groups=st.frozensets(st.sampled_from(["g1", "g2"])),
    target=st.sampled_from([EXCHANGE, DRS, FLOW, "Office365", None]),
    platform=st.sampled_from(["android", "iOS", "windows", None]),
    trusted=st.sampled_from([None, True]),
    location=st.sampled_from([None, "office"]),
    sign_in_risk=st.sampled_from(["none", "high"]),
)


def names_question(conditions: dict[str, Any], method: str | None) -> bool:
    """Is the block about the question: does it name the flow, or a legacy client app type (or may it)?"""
    if method is not None:
        return method in conditions["authenticationFlows"]["transferMethods"]
    types = conditions["clientAppTypes"]
    return isinstance(types, Unresolved) or bool(set(types) & set(LEGACY_CLIENT_APPS))


def exempt(checked: Tenant, context: SignInContext, method: str | None) -> bool:
    """Is the sign-in something an enforced block about the question excludes (the rules allow those)?"""
    for document in checked.documents:
        data = document.data
        if data["state"] != "enabled" or "block" not in data["grantControls"]["builtInControls"]:
            continue
        conditions = data["conditions"]
        if not names_question(conditions, method):
            continue
        excluded_groups = set(conditions["users"]["excludeGroups"])
        if excluded_groups & ({context.user} | context.groups):
            return True
        if context.target in conditions["applications"]["excludeApplications"]:
            return True
        if context.platform in conditions["platforms"].get("excludePlatforms", ()):
            return True
        if context.trusted and "AllTrusted" in conditions["locations"].get("excludeLocations", ()):
            return True
    return False


def may_be_blocked(evaluator: Evaluator, context: SignInContext) -> bool:
    """Does an enforced block (or one whose state or conditions are computed) apply, or may it?"""
    _, maybe_bits = evaluator.applicable(context)
    enforced = evaluator.enabled | evaluator.state_unknown
    return any(requirement(policy).blocks for policy in evaluator.results(maybe_bits & enforced))


@settings(max_examples=150, deadline=None)
@given(st.lists(generated_policy, max_size=4), st.lists(sign_ins, min_size=1, max_size=6), st.data())
def test_flow_and_legacy_rules_agree_with_the_evaluator(
    raw: list[dict[str, Any]], contexts: list[SignInContext], data: st.DataObject
) -> None:
    checked = tenant(*raw)
    evaluator = Evaluator(checked.documents)
    questions = (
        ("CA001", flow_coverage(evaluator, "deviceCodeFlow"), MODERN_CLIENT_APPS, "deviceCodeFlow"),
        ("CA003", flow_coverage(evaluator, "authenticationTransfer"), MODERN_CLIENT_APPS, "authenticationTransfer"),
        ("CA007", legacy_coverage(evaluator), LEGACY_CLIENT_APPS, None),
    )
    for code, coverage, client_apps, method in questions:
        fired = messages(code, checked) != [] if raw else False
        assert fired == (raw != [] and not coverage.complete), code
        if fired:
            # Some sign-in the rule is about is not blocked: the evaluator says so for the class it names.
            witness = coverage.gaps[0].context()
            assert witness.client_app in client_apps and witness.transfer_method == method
            assert not exempt(checked, witness, method), code
            assert outcome(evaluator, witness).blocked_by == (), code
        else:
            # Silent: every such sign-in of anyone, to anything, is (or may be) blocked, unless a block excludes it.
            for context in contexts:
                asked = context._replace(client_app=data.draw(st.sampled_from(client_apps)), transfer_method=method)
                registration = method == "deviceCodeFlow" and asked.target == DRS
                if raw and not exempt(checked, asked, method) and not registration:
                    assert may_be_blocked(evaluator, asked), (code, asked)


def _guest_policy(index: int, users: dict[str, Any]) -> dict[str, Any]:
    return {"displayName": f"guests {index}", **block(users=users)}


GUEST_TENANT = "72f988bf-86f1-41af-91ab-2d7cd011db47"


def test_users_answered_once_per_listed_principals_and_guest_match_users_for_every_sign_in() -> None:
    """The users index remembers `users` for a policy naming guests by the sign-in's principals it lists (issue 19:
    a 46-policy export took 12 s asking it anew for every candidate user under every role)."""
    guests = {"guestOrExternalUserTypes": ["b2bCollaborationGuest", "internalGuest"]}
    enumerated = {**guests, "externalTenants": {"membershipKind": "enumerated", "members": [GUEST_TENANT]}}
    checked = tenant(
        _guest_policy(0, {"includeUsers": ["All"], "excludeGuestsOrExternalUsers": guests, "excludeRoles": ["r1"]}),
        _guest_policy(1, {"includeGuestsOrExternalUsers": enumerated, "excludeUsers": ["u1"]}),
        _guest_policy(2, {"includeUsers": ["GuestsOrExternalUsers"], "excludeGroups": ["g1", Unresolved("var.g")]}),
        _guest_policy(3, {"includeRoles": ["r1", "R2"], "excludeGuestsOrExternalUsers": guests}),
        block(users={"includeGroups": ["g1"], "excludeUsers": ["u2"]}),
    )
    evaluator = Evaluator(checked.documents)
    contexts = [
        SignInContext(user=user, groups=frozenset(groups), roles=frozenset(roles), guest_type=guest, guest_tenant=home)
        for user in ("u1", "U2", "u3")
        for groups in ((), ("g1",), ("G1", "var.g"))
        for roles in ((), ("r1",), ("r2", "r3"))
        for guest in (None, "b2bCollaborationGuest", "otherExternalUser")
        for home in (None, GUEST_TENANT)
    ]
    for context in contexts * 2:  # the second time from what the index remembers
        true_bits, maybe_bits = evaluator.bits("users", context)
        answers = [users(policy, context, evaluator.locations).value for policy in evaluator.policies]
        assert true_bits == sum(1 << index for index, answer in enumerate(answers) if answer is True), context
        assert maybe_bits == sum(1 << index for index, answer in enumerate(answers) if answer is not False), context
