"""CA010, CA011 and PA001 conclude what evaluating every sign-in of a generated tenant concludes (issue 18 item 1).

The generated policies (those of `test_coverage`) name a small vocabulary, so every class of sign-in they can
tell apart is one of finitely many contexts: each property enumerates them all and asks the evaluator (the one
`whatif` uses) about each, so "the rule is silent" and "the rule reports this" are both checked exactly.
"""

from __future__ import annotations

import copy
import itertools
from collections import Counter
from collections.abc import Iterator
from typing import Any

from hypothesis import Phase, example, given, settings
from hypothesis import strategies as st
from linter.rules.ca010_exclusion_without_fallback import _protective

from linter.engine.registry import load_rules
from linter.model import Tenant
from linter.model.findings import Violation
from linter.policy.apps import DATAVERSE, EXCHANGE_ONLINE, OFFICE_365, POWER_AUTOMATE_APPS, SHAREPOINT_ONLINE
from linter.policy.combine import Requirement, implies, requirement
from linter.policy.compiled import CompiledPolicy
from linter.policy.context import CLIENT_APP_TYPES, SignInContext
from linter.policy.emergency import emergency_access
from linter.policy.evaluate import Evaluator
from linter.policy.strength import strong
from linter.rule import TenantRule
from tests.test_coverage import DRS, EXCHANGE, FLOW, generated_policy, tenant

USERS: list[tuple[str | None, frozenset[str]]] = [
    (None, frozenset[str]()),
    *((None, frozenset(groups)) for groups in (["g1"], ["g2"], ["g1", "g2"])),
]
USERS += [("u1", groups) for _, groups in USERS]
TARGETS = [EXCHANGE, DRS, FLOW, OFFICE_365, None]
PLATFORMS = ["android", "iOS", "windows", None]
TRANSFER_METHODS = [None, "deviceCodeFlow", "authenticationTransfer"]


def conditions() -> Iterator[SignInContext]:
    """Every class of conditions the generated policies tell apart, for anyone, to no resource yet."""
    for client_app, platform, trusted, risk, method in itertools.product(
        CLIENT_APP_TYPES, PLATFORMS, [None, True], ["none", "high"], TRANSFER_METHODS
    ):
        yield SignInContext(
            client_app=client_app, platform=platform, trusted=trusted, sign_in_risk=risk, transfer_method=method
        )


CONDITIONS = tuple(conditions())


def findings(code: str, checked: Tenant) -> list[Violation]:
    rule = load_rules(entry_points=False)[code]()
    assert isinstance(rule, TenantRule)
    return list(rule.check(checked))


def applying(evaluator: Evaluator, context: SignInContext) -> list[CompiledPolicy]:
    """Enforced policies that apply, or may (computed values): what the rules count, never guessing a gap."""
    _, maybe_bits = evaluator.applicable(context)
    return list(evaluator.results(maybe_bits & (evaluator.enabled | evaluator.state_unknown)))


reached: Counter[str] = Counter()


@settings(max_examples=15, deadline=None, phases=[Phase.explicit, Phase.reuse, Phase.generate])
@given(st.lists(generated_policy, min_size=1, max_size=4))
def test_ca011_is_silent_exactly_when_every_sign_in_is_blocked_or_asks_for_mfa(raw: list[dict[str, Any]]) -> None:
    checked = tenant(*raw)
    evaluator = Evaluator(checked.documents)
    access = emergency_access(checked)
    open_sign_ins = []
    for (user, groups), target, condition in itertools.product(USERS, TARGETS, CONDITIONS):
        if (user is not None and access.exempts(user)) or any(access.exempts(group) for group in groups):
            continue
        context = condition._replace(user=user, groups=groups, target=target)
        # Blocked or MFA / an authentication strength, per the evaluator (`whatif`): `strong` is exactly that.
        if not any(strong(policy) for policy in applying(evaluator, context)):
            open_sign_ins.append(context)
    reported = findings("CA011", checked)
    reached["CA011 reports" if reported else "CA011 silent"] += 1
    assert bool(reported) == bool(open_sign_ins), open_sign_ins[:3]
    for violation in reported:
        # The class it names signs in without MFA somewhere: "all users" is anyone, else the named subject.
        # The class it names (one subject or several merged, or everyone else) signs in without MFA somewhere.
        named = {word for word in violation.key.split() if word in ("u1", "g1", "g2")}
        assert any(not named or context.user in named or named & context.groups for context in open_sign_ins), (
            violation.message,
            open_sign_ins[:3],
        )


def without_exclusion(raw: list[dict[str, Any]], index: int, group: str) -> Evaluator:
    """The tenant as if policy `index` did not exclude `group`: where the policy would otherwise apply."""
    changed = copy.deepcopy(raw)
    excluded = changed[index]["conditions"]["users"]["excludeGroups"]
    changed[index]["conditions"]["users"]["excludeGroups"] = [value for value in excluded if value != group]
    return Evaluator(tenant(*changed).documents)


def carved_signers(raw: dict[str, Any], group: str) -> list[tuple[str | None, frozenset[str]]]:
    """Who excluding `group` may take out: its members, alone or also in one principal the policy includes."""
    users = raw["conditions"]["users"]
    signers: list[tuple[str | None, frozenset[str]]] = [(None, frozenset([group]))]
    signers += [(user, frozenset([group])) for user in users["includeUsers"] if user != "All"]
    signers += [(None, frozenset([group, other])) for other in users["includeGroups"]]
    return signers


def equal_or_stronger(grant: Requirement) -> Any:
    """CA010's order of controls: for a grant, what implies it; for a block's carve-out, any protective control."""
    if grant.blocks:
        return lambda other: _protective(requirement(other))
    return lambda other: implies(requirement(other), grant)


@settings(max_examples=15, deadline=None, phases=[Phase.explicit, Phase.reuse, Phase.generate])
@given(st.lists(generated_policy, min_size=1, max_size=4))
def test_ca010_reports_exactly_the_exclusions_without_an_equal_or_stronger_fallback(raw: list[dict[str, Any]]) -> None:
    checked = tenant(*raw)
    evaluator = Evaluator(checked.documents)
    access = emergency_access(checked)
    expected = set()
    for policy in evaluator.policies:
        grant = requirement(policy)
        if policy.state != "enabled" or not (grant.blocks or grant.controls):
            continue
        fallback = equal_or_stronger(grant)
        for position, group in enumerate(raw[policy.index]["conditions"]["users"]["excludeGroups"]):
            if access.exempts(group):
                continue
            otherwise = without_exclusion(raw, policy.index, group)
            for (user, groups), target, condition in itertools.product(
                carved_signers(raw[policy.index], group), TARGETS, CONDITIONS
            ):
                context = condition._replace(user=user, groups=groups, target=target)
                if policy.index not in {other.index for other in applying(otherwise, context)}:
                    continue
                others = [other for other in applying(evaluator, context) if other.index != policy.index]
                if not any(fallback(other) for other in others):
                    expected.add((policy.document.path, f"/conditions/users/excludeGroups/{position}"))
                    break
    reported = {(violation.subject.path, violation.pointer) for violation in findings("CA010", checked)}  # type: ignore[union-attr]
    assert reported == expected


SERVICES = (EXCHANGE_ONLINE, SHAREPOINT_ONLINE, DATAVERSE, OFFICE_365, None)


@settings(max_examples=15, deadline=None, phases=[Phase.explicit, Phase.reuse, Phase.generate])
@given(st.lists(generated_policy, min_size=1, max_size=4))
@example(  # Microsoft's case: MFA for Exchange Online only, nothing for Power Automate.
    [
        {
            "state": "enabled",
            "conditions": {
                "users": {"includeUsers": ["All"], "includeGroups": [], "excludeGroups": []},
                "applications": {"includeApplications": [EXCHANGE], "excludeApplications": []},
                "clientAppTypes": ["all"],
                "authenticationFlows": {"transferMethods": []},
                "platforms": {},
                "locations": {},
                "signInRiskLevels": [],
            },
            "grantControls": {"operator": "OR", "builtInControls": ["mfa"]},
        }
    ]
)
def test_pa001_reports_exactly_the_service_policies_power_automate_does_not_meet(raw: list[dict[str, Any]]) -> None:
    checked = tenant(*raw)
    evaluator = Evaluator(checked.documents)
    enforced = evaluator.enabled | evaluator.state_unknown
    expected = set()
    for (user, groups), condition in itertools.product(USERS, CONDITIONS):
        who = condition._replace(user=user, groups=groups)
        # What signing in to Power Automate asks (generously: policies that may apply count).
        flow = [policy for app in POWER_AUTOMATE_APPS for policy in applying(evaluator, who._replace(target=app))]
        for service in SERVICES:
            true_bits, _ = evaluator.applicable(who._replace(target=service))
            for policy in evaluator.results(true_bits & enforced):
                wanted = requirement(policy)
                if (wanted.blocks or wanted.controls) and not any(implies(requirement(have), wanted) for have in flow):
                    expected.add(policy.document.path)
    reported = {violation.subject.path for violation in findings("PA001", checked)}  # type: ignore[union-attr]
    reached["PA001 reports" if reported else "PA001 silent"] += 1
    assert reported == expected


def test_the_interesting_branches_are_reached() -> None:
    """Run after the properties (file order): each side of each property was exercised."""
    for branch in ("CA011 reports", "CA011 silent", "PA001 reports", "PA001 silent"):
        assert reached[branch] > 0, (branch, reached)
