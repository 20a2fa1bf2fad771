"""Questions many rules ask of a Conditional Access policy.

Answers about values a source computes (`var.x`) are three-valued: True, False, or None for
"depends on a value entralint cannot see". Graph compares the special values (`All`, `None`,
`Office365`, ...) case-insensitively; exports in the wild use `all` too. Reading the values
themselves is `linter.policy.values`.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import NamedTuple

from linter.model import Document, Unresolved
from linter.model.source import split_pointer
from linter.policy.values import ALL, MISSING, Tri, any_special, literals_of, lookup, only_none, strings_of

__all__ = [
    "DEVICE_REGISTRATION_SERVICE",
    "LEGACY_CLIENT_APP_TYPES",
    "MICROSOFT_FLOW_SERVICE",
    "SignInFrequency",
    "blocks",
    "client_app_types",
    "excluded_applications",
    "grant_controls",
    "includes_all_resources",
    "includes_all_users",
    "includes_no_resources",
    "includes_no_users",
    "is_enabled",
    "is_enforced_or_report_only",
    "missing_exclusions",
    "requires_grant",
    "sign_in_frequency",
    "state",
    "targets_application",
    "transfer_methods",
]

DEVICE_REGISTRATION_SERVICE = "01cb2876-7ebd-4aa4-9cc9-d28bd4d359a9"
MICROSOFT_FLOW_SERVICE = "7df0a125-d3be-4c96-aa54-591f83ff541c"
# Legacy authentication as Conditional Access names it: Exchange ActiveSync and "other clients".
LEGACY_CLIENT_APP_TYPES = frozenset({"exchangeactivesync", "other"})

# Pointers split once, at import: rules ask these questions of every policy.
_STATE = split_pointer("/state")
_GRANT = split_pointer("/grantControls")
_BUILT_IN_CONTROLS = split_pointer("/grantControls/builtInControls")
_INCLUDE_USERS = split_pointer("/conditions/users/includeUsers")
_EXCLUDE_USERS = split_pointer("/conditions/users/excludeUsers")
_EXCLUDE_GROUPS = split_pointer("/conditions/users/excludeGroups")
_CONDITIONS = split_pointer("/conditions")
_APPLICATIONS = split_pointer("/conditions/applications")
_INCLUDE_APPLICATIONS = split_pointer("/conditions/applications/includeApplications")
_EXCLUDE_APPLICATIONS = split_pointer("/conditions/applications/excludeApplications")
_TRANSFER_METHODS = split_pointer("/conditions/authenticationFlows/transferMethods")
_CLIENT_APP_TYPES = split_pointer("/conditions/clientAppTypes")
_SIGN_IN_FREQUENCY = split_pointer("/sessionControls/signInFrequency")
_INCLUDED = ("includeApplications",)
_EXCLUDED = ("excludeApplications",)
_GRANT_LISTS = ("builtInControls", "termsOfUse", "customAuthenticationFactors")
# Graph's special values, casefolded once.
_BLOCK = frozenset({"block"})


_USER_INCLUDES = tuple(
    split_pointer(pointer)
    for pointer in (
        "/conditions/users/includeUsers",
        "/conditions/users/includeGroups",
        "/conditions/users/includeRoles",
        "/conditions/users/includeGuestsOrExternalUsers/guestOrExternalUserTypes",
        # Workload identity policies include service principals instead of users.
        "/conditions/clientApplications/includeServicePrincipals",
        "/conditions/clientApplications/includeAgentIdServicePrincipals",
    )
)
_RESOURCE_INCLUDES = tuple(
    split_pointer(pointer)
    for pointer in (
        "/conditions/applications/includeApplications",
        "/conditions/applications/includeUserActions",
        "/conditions/applications/includeAuthenticationContextClassReferences",
        # Global Secure Access policies target traffic profiles (`internet`) instead of applications.
        "/conditions/applications/globalSecureAccess/includeTrafficProfiles",
        "/conditions/applications/networkAccess/includeTrafficProfiles",
    )
)


def state(policy: Document) -> str | None:
    found = lookup(policy.data, _STATE)
    return found if isinstance(found, str) and not isinstance(found, Unresolved) else None


def is_enabled(policy: Document) -> Tri:
    """True for `enabled`; None when the state is a reference."""
    found = lookup(policy.data, _STATE)
    if isinstance(found, Unresolved):
        return None
    return bool(found == "enabled")


def is_enforced_or_report_only(policy: Document) -> Tri:
    found = lookup(policy.data, _STATE)
    if isinstance(found, Unresolved):
        return None
    return bool(found in ("enabled", "enabledForReportingButNotEnforced"))


def grant_controls(policy: Document) -> tuple[str, ...] | None:
    return literals_of(lookup(policy.data, _BUILT_IN_CONTROLS))


def blocks(policy: Document) -> Tri:
    """Does the policy's grant block access?"""
    controls = grant_controls(policy)
    return None if controls is None else any_special(controls, _BLOCK)


def requires_grant(policy: Document) -> Tri:
    """Does the policy block or require anything (a control, an authentication strength, terms of use)?"""
    grant = lookup(policy.data, _GRANT)
    if isinstance(grant, Unresolved):
        return None
    if not isinstance(grant, dict):
        return False
    unresolved = False
    for name in _GRANT_LISTS:
        answer = strings_of(grant.get(name, MISSING))
        if answer:
            return True
        unresolved = unresolved or answer is None
    if grant.get("authenticationStrength") is not None:
        return True
    return None if unresolved else False


def includes_all_users(policy: Document) -> Tri:
    users = literals_of(lookup(policy.data, _INCLUDE_USERS))
    if users is None:
        return None
    return any_special(users, ALL)


def includes_all_resources(policy: Document) -> Tri:
    applications = literals_of(lookup(policy.data, _INCLUDE_APPLICATIONS))
    if applications is None:
        return None
    return any_special(applications, ALL)


def _includes_nothing(policy: Document, pointers: tuple[tuple[str, ...], ...]) -> Tri:
    unresolved = False
    for tokens in pointers:
        found = strings_of(lookup(policy.data, tokens))
        if found is None:
            unresolved = True
        elif not only_none(found):
            return False
    return None if unresolved else True


def includes_no_users(policy: Document) -> Tri:
    """No users, groups, roles, guests or service principals included, or only `None`."""
    return _includes_nothing(policy, _USER_INCLUDES)


def includes_no_resources(policy: Document) -> Tri:
    """No resources, user actions or authentication contexts included, or only `None`."""
    return _includes_nothing(policy, _RESOURCE_INCLUDES)


def excluded_applications(policy: Document) -> tuple[str, ...] | None:
    return literals_of(lookup(policy.data, _EXCLUDE_APPLICATIONS))


def targets_application(policy: Document, app_id: str, groups: Iterable[str] = ()) -> Tri:
    """Is app_id in scope: included directly, through `All` or a named group, and not excluded?"""
    excluding = {app_id.casefold(), *(group.casefold() for group in groups)}
    excluded = literals_of(lookup(policy.data, _EXCLUDE_APPLICATIONS))
    if excluded is None:
        return None
    if any_special(excluded, excluding):
        return False
    included = literals_of(lookup(policy.data, _INCLUDE_APPLICATIONS))
    if included is None:
        return None
    return any_special(included, excluding | ALL)


def missing_exclusions(policy: Document, accounts: Iterable[str]) -> tuple[str, ...] | None:
    """The accounts neither in excludeUsers nor in excludeGroups; None when an exclusion list is computed.

    Accounts may be object ids or Terraform references (`azuread_user.breakglass.object_id`),
    which match an unresolved exclusion by its source text.
    """
    users = strings_of(lookup(policy.data, _EXCLUDE_USERS))
    groups = strings_of(lookup(policy.data, _EXCLUDE_GROUPS))
    if users is None or groups is None:
        return None
    excluded = {value.strip().casefold() for value in (*users, *groups)}
    return tuple(account for account in accounts if account.strip().casefold() not in excluded)


def transfer_methods(policy: Document) -> frozenset[str] | None:
    methods = literals_of(lookup(policy.data, _TRANSFER_METHODS))
    return None if methods is None else frozenset(map(str.strip, methods))


def client_app_types(policy: Document) -> frozenset[str] | None:
    types = literals_of(lookup(policy.data, _CLIENT_APP_TYPES))
    return None if types is None else frozenset([value.casefold() for value in types])


class SignInFrequency(NamedTuple):
    """An enforced sign-in frequency session control."""

    every_time: bool
    value: int | str | None = None  # an Unresolved value keeps its source text
    unit: str | None = None  # "hours" or "days"

    def describe(self) -> str:
        if self.every_time:
            return "every time"
        if self.value is None:
            return "at a fixed interval"
        unit = self.unit or "hours"
        if self.value == 1 and not isinstance(self.value, str):
            return f"every {unit.rstrip('s')}"
        return f"every {self.value} {unit}"


def sign_in_frequency(policy: Document) -> SignInFrequency | bool | None:
    """The enforced sign-in frequency; False when none is enforced, None when a computed value decides it."""
    data = policy.data
    if type(data) is dict and data.get("sessionControls") is None:
        return False  # the usual answer: most policies have no session controls
    control = lookup(data, _SIGN_IN_FREQUENCY)
    if isinstance(control, Unresolved):
        return None
    if not isinstance(control, dict):
        return False
    enabled = control.get("isEnabled")
    interval = control.get("frequencyInterval")
    amount = control.get("value")
    if isinstance(enabled, Unresolved) or isinstance(interval, Unresolved):
        return None
    # Hand-written files often omit isEnabled; Graph itself always sends it.
    if enabled is False or (enabled is None and amount is None and interval != "everyTime"):
        return False
    if interval == "everyTime":
        return SignInFrequency(every_time=True)
    unit = control.get("type")
    return SignInFrequency(
        every_time=False,
        value=amount if isinstance(amount, (int, str)) and not isinstance(amount, bool) else None,
        unit=unit if isinstance(unit, str) else None,
    )
