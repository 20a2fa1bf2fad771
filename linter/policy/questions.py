"""The evaluator's answers about one policy, for document rules: does it apply to this sign-in, does it block.

Every answer comes from the same reading the what-if evaluator uses (`CompiledPolicy`, the condition
functions of `linter.policy.conditions`, the grant as `linter.policy.combine` reads it), three-valued:
None when a value the source computes (`var.x`) decides it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from linter.model import Document, Unresolved
from linter.model.source import split_pointer
from linter.policy.combine import requirement
from linter.policy.compiled import CompiledPolicy, NamedLocation, compile_policy, state_value
from linter.policy.conditions import CONDITIONS, Tri
from linter.policy.context import SignInContext
from linter.policy.values import lookup

__all__ = [
    "DEVICE_REGISTRATION_SERVICE",
    "ENABLED",
    "REPORT_ONLY",
    "applies",
    "blocks",
    "grant_blocks",
    "grant_requires_managed_device",
    "includes_all_users",
    "includes_no_resources",
    "includes_no_users",
    "is_enabled",
    "is_enforced_or_report_only",
    "missing_exclusions",
    "policy_of",
    "requires_grant",
    "transfer_methods",
]

DEVICE_REGISTRATION_SERVICE = "01cb2876-7ebd-4aa4-9cc9-d28bd4d359a9"
ENABLED = "enabled"
REPORT_ONLY = "enabledForReportingButNotEnforced"
_CONDITION_BY_NAME = dict(CONDITIONS)
_NO_LOCATIONS: Mapping[str, NamedLocation] = {}
_TRANSFER_METHODS = "/conditions/authenticationFlows/transferMethods"
_USER_INCLUDES = (
    "/conditions/users/includeUsers",
    "/conditions/users/includeGroups",
    "/conditions/users/includeRoles",
    "/conditions/users/includeGuestsOrExternalUsers/guestOrExternalUserTypes",
    # Workload identity policies include service principals instead of users.
    "/conditions/clientApplications/includeServicePrincipals",
    "/conditions/clientApplications/includeAgentIdServicePrincipals",
)
_RESOURCE_INCLUDES = (
    "/conditions/applications/includeApplications",
    "/conditions/applications/includeUserActions",
    "/conditions/applications/includeAuthenticationContextClassReferences",
    # Global Secure Access policies target traffic profiles (`internet`) instead of applications.
    "/conditions/applications/globalSecureAccess/includeTrafficProfiles",
    "/conditions/applications/networkAccess/includeTrafficProfiles",
)
# Document rules ask several questions of each policy in turn: the last few compiled are kept.
_COMPILED: dict[int, tuple[Document, CompiledPolicy]] = {}
_KEPT = 16


def policy_of(document: Document) -> CompiledPolicy:
    """The policy as the evaluator reads it, compiled once for the questions rules ask in a row."""
    found = _COMPILED.get(id(document))
    if found is not None and found[0] is document:
        return found[1]
    if len(_COMPILED) >= _KEPT:
        _COMPILED.clear()
    policy = compile_policy(document, 0)
    _COMPILED[id(document)] = (document, policy)
    return policy


def applies(document: Document, context: SignInContext, names: Iterable[str]) -> Tri:
    """Do the named conditions (`users`, `application`, `authenticationFlow`, ...) all hold for the sign-in?"""
    policy = policy_of(document)
    answer: Tri = True
    for name in names:
        value = _CONDITION_BY_NAME[name](policy, context, _NO_LOCATIONS).value
        if value is False:
            return False
        if value is None:
            answer = None
    return answer


def is_enabled(document: Document) -> Tri:
    """True for `enabled`; None when the state is computed."""
    policy = policy_of(document)
    return None if policy.state is None and _state_computed(document) else policy.state == ENABLED


def is_enforced_or_report_only(document: Document) -> Tri:
    policy = policy_of(document)
    return None if policy.state is None and _state_computed(document) else policy.state in (ENABLED, REPORT_ONLY)


def _state_computed(document: Document) -> bool:
    return isinstance(state_value(document), Unresolved)


def blocks(document: Document) -> Tri:
    """Does the grant block? None when the built-in controls are computed."""
    return grant_blocks(policy_of(document))


def grant_blocks(policy: CompiledPolicy) -> Tri:
    """Does the compiled policy's grant block? None when the built-in controls (or the whole grant) are computed."""
    if requirement(policy).blocks:
        return True
    return None if policy.values("/grantControls/builtInControls").unresolved else False


# A managed device as Conditional Access grants it: compliant (Intune) or Microsoft Entra hybrid joined.
MANAGED_DEVICE_CONTROLS = frozenset({"compliantdevice", "domainjoineddevice"})


def grant_requires_managed_device(policy: CompiledPolicy) -> Tri:
    """Does the grant block, or does every way to satisfy it need a compliant or hybrid-joined device?

    None when the built-in controls are computed and the known ones do not already decide it.
    """
    grant = requirement(policy)
    if grant.blocks:
        return True
    built_in = policy.values("/grantControls/builtInControls")
    if grant.operator == "AND":
        if built_in.known & MANAGED_DEVICE_CONTROLS:
            return True
        return None if built_in.unresolved else False
    # OR: every alternative must be a managed-device control; an authentication strength or terms of use is not.
    if not built_in.known <= MANAGED_DEVICE_CONTROLS or len(grant.alternatives) > len(built_in.known) + len(
        built_in.unresolved
    ):
        return False
    if built_in.unresolved:
        return None
    return bool(built_in.known)


_GRANT_LISTS = ("builtInControls", "termsOfUse", "customAuthenticationFactors")


def requires_grant(document: Document) -> Tri:
    """Does the grant block or require anything (a control, an authentication strength, terms of use)?"""
    grant = lookup(document.data, ("grantControls",))
    if isinstance(grant, Unresolved):
        return None
    if not isinstance(grant, Mapping):
        return False
    policy = policy_of(document)
    unresolved = False
    for name in _GRANT_LISTS:
        if isinstance(grant.get(name), Unresolved):
            unresolved = True  # the whole list is computed: whether it holds anything is unknown
        elif policy.values(f"/grantControls/{name}"):
            return True
    if grant.get("authenticationStrength") is not None:
        return True
    return None if unresolved else False


def includes_all_users(document: Document) -> Tri:
    """Does `includeUsers` hold `All`? None when the list is computed."""
    people = policy_of(document).values("/conditions/users/includeUsers")
    if people.has("All"):
        return True
    return None if people.unresolved else False


def _includes_nothing(document: Document, pointers: tuple[str, ...]) -> Tri:
    policy = policy_of(document)
    unresolved = False
    for pointer in pointers:
        values = policy.values(pointer)
        if values.known - {"none"}:
            return False
        if values.unresolved:
            if not isinstance(lookup(document.data, split_pointer(pointer)), Unresolved):
                return False  # a reference in a list (`azuread_group.g.object_id`) names an object, never None
            unresolved = True
    return None if unresolved else True


def includes_no_users(document: Document) -> Tri:
    """No users, groups, roles, guests or service principals included, or only `None`."""
    return _includes_nothing(document, _USER_INCLUDES)


def includes_no_resources(document: Document) -> Tri:
    """No resources, user actions, authentication contexts or traffic profiles included, or only `None`."""
    return _includes_nothing(document, _RESOURCE_INCLUDES)


def transfer_methods(document: Document) -> frozenset[str] | None:
    """The authentication flows the policy's condition names, casefolded; None when computed."""
    methods = policy_of(document).values(_TRANSFER_METHODS)
    return None if methods.unresolved else methods.known


def missing_exclusions(document: Document, accounts: Iterable[str]) -> tuple[str, ...] | None:
    """The accounts neither in excludeUsers nor in excludeGroups; None when an exclusion list is computed.

    Accounts may be object ids or Terraform references (`azuread_user.breakglass.object_id`),
    which match an unresolved exclusion by its source text, as the users condition matches them.
    """
    policy = policy_of(document)
    users = policy.values("/conditions/users/excludeUsers")
    groups = policy.values("/conditions/users/excludeGroups")
    excluded = {*users.known, *groups.known, *(item.casefold() for item in (*users.unresolved, *groups.unresolved))}
    for pointer in ("/conditions/users/excludeUsers", "/conditions/users/excludeGroups"):
        if isinstance(lookup(document.data, split_pointer(pointer)), Unresolved):
            return None  # the whole list (or its block) is computed: which accounts it holds is unknown
    return tuple(account for account in accounts if account.strip().casefold() not in excluded)
