"""The evaluator's answers behind the baseline rules (CA014-CA024): grant strength, guests, trusted locations."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from linter.model import CONDITIONAL_ACCESS_POLICY, NAMED_LOCATION, Document, Unresolved
from linter.policy.compiled import CompiledPolicy
from linter.policy.conditions import MFA_TRUSTED_IPS, Tri
from linter.policy.context import GUEST_TYPES
from linter.policy.coverage import trusted_locations, uncovered
from linter.policy.evaluate import Evaluator
from linter.policy.strength import remediates_user_risk, requires_mfa, requires_mfa_or_managed_device

Predicate = Callable[[CompiledPolicy], Tri]


def document(data: dict[str, Any], index: int = 0, kind: str = CONDITIONAL_ACCESS_POLICY) -> Document:
    return Document(kind, data, f"p{index}.json", "graph-json", f"p{index}", f"p{index}")


def compiled(grant: Any) -> CompiledPolicy:
    data = {
        "displayName": "p",
        "state": "enabled",
        "conditions": {"users": {"includeUsers": ["All"]}, "applications": {"includeApplications": ["All"]}},
        "grantControls": grant,
    }
    [policy] = Evaluator((document(data),)).policies
    return policy


def built_in(operator: str, *controls: str) -> dict[str, Any]:
    return {"operator": operator, "builtInControls": list(controls)}


MULTIFACTOR_STRENGTH = {"id": "00000000-0000-0000-0000-000000000002"}
STRENGTH = {"operator": "OR", "builtInControls": [], "authenticationStrength": MULTIFACTOR_STRENGTH}
STRENGTH_AND_PASSWORD_CHANGE = {**STRENGTH, "operator": "AND", "builtInControls": ["passwordChange"]}
COMPUTED = {"operator": "OR", "builtInControls": Unresolved("var.grant_controls")}
# (case, grant, requires_mfa, requires_mfa_or_managed_device, remediates_user_risk)
GRANTS: list[tuple[str, Any, Tri, Tri, Tri]] = [
    ("block", built_in("OR", "block"), True, True, True),
    ("mfa", built_in("OR", "mfa"), True, True, False),
    ("authentication strength", STRENGTH, True, True, False),
    ("mfa or compliant device", built_in("OR", "mfa", "compliantDevice"), False, True, False),
    ("compliant or hybrid joined", built_in("OR", "compliantDevice", "domainJoinedDevice"), False, True, False),
    ("compliant device alone", built_in("AND", "compliantDevice"), False, True, False),
    ("approved app", built_in("OR", "approvedApplication"), False, False, False),
    ("mfa and password change", built_in("AND", "mfa", "passwordChange"), True, True, True),
    ("password change or mfa", built_in("OR", "mfa", "passwordChange"), False, False, False),
    ("strength and password change", STRENGTH_AND_PASSWORD_CHANGE, True, True, True),
    ("risk remediation", built_in("AND", "riskRemediation"), False, False, True),
    ("case of the control names", built_in("AND", "MFA", "PasswordChange"), True, True, True),
    ("session controls only", None, False, False, False),
    ("computed controls", COMPUTED, None, None, None),
]


@pytest.mark.parametrize(
    ("grant", "mfa", "mfa_or_device", "remediates"), [case[1:] for case in GRANTS], ids=[case[0] for case in GRANTS]
)
def test_grant_strength_is_three_valued(grant: Any, mfa: Tri, mfa_or_device: Tri, remediates: Tri) -> None:
    policy = compiled(grant)
    assert requires_mfa(policy) is mfa
    assert requires_mfa_or_managed_device(policy) is mfa_or_device
    assert remediates_user_risk(policy) is remediates


def mfa_policy(users: dict[str, Any], index: int = 0, state: str = "enabled") -> Document:
    data = {
        "displayName": f"mfa {index}",
        "state": state,
        "conditions": {"users": users, "applications": {"includeApplications": ["All"]}},
        "grantControls": built_in("OR", "mfa"),
    }
    return document(data, index)


def guest_gaps(*documents: Document) -> tuple[bool, list[str]]:
    """Is the guest question answered, and which guest types does it leave open?"""
    coverage = uncovered(Evaluator(documents), requires_mfa, fixed={"users": GUEST_TYPES})
    return coverage.complete, [kind for kind in GUEST_TYPES if coverage.leaves_open("users", guest_type=kind)]


def guests(*kinds: str) -> dict[str, Any]:
    """The model's form: the loaders split Graph's comma-separated guestOrExternalUserTypes into a list."""
    return {"guestOrExternalUserTypes": list(kinds), "externalTenants": {"membershipKind": "all"}}


def test_guests_are_users_of_an_all_users_policy() -> None:
    assert guest_gaps(mfa_policy({"includeUsers": ["All"]})) == (True, [])


def test_a_policy_for_every_guest_type_covers_the_guest_question() -> None:
    assert guest_gaps(mfa_policy({"includeGuestsOrExternalUsers": guests(*GUEST_TYPES)})) == (True, [])
    assert guest_gaps(mfa_policy({"includeUsers": ["GuestsOrExternalUsers"]})) == (True, [])


def test_guest_types_left_out_are_named() -> None:
    only_b2b = mfa_policy({"includeGuestsOrExternalUsers": guests("b2bCollaborationGuest", "b2bCollaborationMember")})
    complete, open_types = guest_gaps(only_b2b)
    assert not complete
    assert open_types == ["internalGuest", "b2bDirectConnectUser", "otherExternalUser", "serviceProvider"]


def test_guests_excluded_from_the_all_users_policy_are_open() -> None:
    assert guest_gaps(mfa_policy({"includeUsers": ["All"], "excludeUsers": ["GuestsOrExternalUsers"]})) == (
        False,
        list(GUEST_TYPES),
    )
    excluding_one = mfa_policy({"includeUsers": ["All"], "excludeGuestsOrExternalUsers": guests("serviceProvider")})
    assert guest_gaps(excluding_one) == (False, ["serviceProvider"])


def test_a_report_only_guest_policy_covers_no_guest() -> None:
    report_only = mfa_policy({"includeUsers": ["All"]}, state="enabledForReportingButNotEnforced")
    assert guest_gaps(report_only) == (False, list(GUEST_TYPES))


def test_two_policies_share_the_guest_types() -> None:
    first = mfa_policy({"includeGuestsOrExternalUsers": guests(*GUEST_TYPES[:3])}, 0)
    rest = mfa_policy({"includeGuestsOrExternalUsers": guests(*GUEST_TYPES[3:])}, 1)
    assert guest_gaps(first, rest) == (True, [])


def named_location(identity: str, trusted: Any, **extra: Any) -> Document:
    data = {"displayName": identity, "id": identity, **({"isTrusted": trusted} if trusted is not None else {}), **extra}
    return Document(NAMED_LOCATION, data, f"{identity}.json", "graph-json", identity, identity)


def test_trusted_locations_name_all_trusted_mfa_trusted_ips_and_trusted_named_locations() -> None:
    evaluator = Evaluator(
        (
            named_location("office", True, ipRanges=[{"cidrAddress": "203.0.113.0/24"}]),
            named_location("guest-wifi", False, ipRanges=[{"cidrAddress": "198.51.100.0/24"}]),
            named_location("norway", None, countriesAndRegions=["NO"]),
            named_location("computed", Unresolved("var.trusted")),
        )
    )
    found = trusted_locations(evaluator)
    assert found[:2] == ("alltrusted", MFA_TRUSTED_IPS)
    # Each name a policy may write: the Graph id, and a Terraform resource address with or without `.id`.
    assert sorted(found[2:]) == ["office", "office.id"]


def test_trusted_locations_of_a_tenant_without_named_locations() -> None:
    assert trusted_locations(Evaluator(())) == ("alltrusted", MFA_TRUSTED_IPS)


def test_a_block_outside_trusted_locations_covers_when_trusted_locations_are_exempt() -> None:
    """CA017's question: registering security info from a trusted network is left to the tenant."""
    register = "urn:user:registersecurityinfo"
    outside = {
        "displayName": "register only from trusted locations",
        "state": "enabled",
        "conditions": {
            "users": {"includeUsers": ["All"]},
            "applications": {"includeUserActions": [register]},
            "locations": {"includeLocations": ["All"], "excludeLocations": ["AllTrusted"]},
        },
        "grantControls": built_in("OR", "block"),
    }
    evaluator = Evaluator((document(outside), named_location("office", True)))
    fixed = {"application": (register,), "clientApp": ("browser", "mobileAppsAndDesktopClients")}
    asked = uncovered(evaluator, requires_mfa_or_managed_device, fixed=fixed)
    assert not asked.complete
    assert {gap.atoms[4].label for gap in asked.gaps} == {"other trusted locations"}
    exempt = {"location": trusted_locations(evaluator)}
    assert uncovered(evaluator, requires_mfa_or_managed_device, fixed=fixed, exempt=exempt).complete
