"""Questions many rules ask of a Conditional Access policy, answered once.

Answers about values a source computes (`var.x`) are three-valued: True, False, or None for
"depends on a value entralint cannot see". Graph compares the special values (`All`, `None`,
`Office365`, ...) case-insensitively; exports in the wild use `all` too.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from linter.model import Document, Unresolved
from linter.source import split_pointer

__all__ = [
    "DEVICE_REGISTRATION_SERVICE",
    "LEGACY_CLIENT_APP_TYPES",
    "MICROSOFT_FLOW_SERVICE",
    "SignInFrequency",
    "all_of",
    "blocks",
    "blocks_everyone",
    "blocks_flow_everywhere",
    "client_app_types",
    "excluded_applications",
    "grant_controls",
    "includes_all_resources",
    "includes_all_users",
    "includes_no_resources",
    "includes_no_users",
    "is_enabled",
    "is_enforced_or_report_only",
    "listed",
    "missing_exclusions",
    "narrowed",
    "narrowed_by_location_or_platform",
    "present",
    "references",
    "requires_grant",
    "sign_in_frequency",
    "state",
    "targets_application",
    "transfer_methods",
    "value",
]

DEVICE_REGISTRATION_SERVICE = "01cb2876-7ebd-4aa4-9cc9-d28bd4d359a9"
MICROSOFT_FLOW_SERVICE = "7df0a125-d3be-4c96-aa54-591f83ff541c"
# Legacy authentication as Conditional Access names it: Exchange ActiveSync and "other clients".
LEGACY_CLIENT_APP_TYPES = frozenset({"exchangeactivesync", "other"})

Tri = bool | None

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
_RISK_LEVELS = (
    "/conditions/userRiskLevels",
    "/conditions/signInRiskLevels",
    "/conditions/servicePrincipalRiskLevels",
    "/conditions/insiderRiskLevels",
)


def value(policy: Document, pointer: str, default: Any = None) -> Any:
    """The value at pointer; when an enclosing block is computed (a Terraform `dynamic` block), that Unresolved."""
    current: Any = policy.data
    for token in split_pointer(pointer):
        kind = type(current)
        if kind is dict or (kind is not Unresolved and isinstance(current, Mapping)):
            if token not in current:
                return default
            current = current[token]
        elif kind is Unresolved:
            return current
        elif kind is list and token.isdigit() and int(token) < len(current):
            current = current[int(token)]
        else:
            return default
    return current


def all_of(*answers: Tri) -> Tri:
    """Three-valued AND: False wins, then unknown, then True."""
    if False in answers:
        return False
    return True if all(answers) else None


def present(policy: Document, *pointers: str) -> str:
    """The first pointer with a value in the policy, else the last one (its nearest ancestor is shown)."""
    for pointer in pointers:
        if value(policy, pointer) is not None:
            return pointer
    return pointers[-1]


def listed(policy: Document, pointer: str) -> tuple[str, ...] | None:
    """The strings of a list value; None when the list (or an item) is an unresolved reference."""
    found = references(policy, pointer)
    if found is None or any(isinstance(item, Unresolved) for item in found):
        return None
    return found


def references(policy: Document, pointer: str) -> tuple[str, ...] | None:
    """The strings of a list value, unresolved items kept as their source text; None when the list is computed."""
    found = value(policy, pointer, ())
    if isinstance(found, Unresolved):
        return None
    if isinstance(found, str):
        found = [found]
    if not isinstance(found, (list, tuple)):
        return ()
    return tuple(item for item in found if isinstance(item, str))


def _has(values: Iterable[str], special: str) -> bool:
    return any(value.strip().casefold() == special.casefold() for value in values)


def _only_none(values: tuple[str, ...]) -> bool:
    return all(value.strip().casefold() == "none" for value in values)


def state(policy: Document) -> str | None:
    found = value(policy, "/state")
    return None if isinstance(found, Unresolved) or not isinstance(found, str) else found


def is_enabled(policy: Document) -> Tri:
    """True for `enabled`; None when the state is a reference."""
    found = value(policy, "/state")
    if isinstance(found, Unresolved):
        return None
    return bool(found == "enabled")


def is_enforced_or_report_only(policy: Document) -> Tri:
    found = value(policy, "/state")
    if isinstance(found, Unresolved):
        return None
    return bool(found in ("enabled", "enabledForReportingButNotEnforced"))


def grant_controls(policy: Document) -> tuple[str, ...] | None:
    return listed(policy, "/grantControls/builtInControls")


def blocks(policy: Document) -> Tri:
    """Does the policy's grant block access?"""
    controls = grant_controls(policy)
    return None if controls is None else _has(controls, "block")


def requires_grant(policy: Document) -> Tri:
    """Does the policy block or require anything (a control, an authentication strength, terms of use)?"""
    grant = value(policy, "/grantControls")
    if isinstance(grant, Unresolved):
        return None
    if not isinstance(grant, dict):
        return False
    answers = [
        references(policy, f"/grantControls/{name}")
        for name in ("builtInControls", "termsOfUse", "customAuthenticationFactors")
    ]
    if any(answer for answer in answers) or grant.get("authenticationStrength") is not None:
        return True
    return None if None in answers else False


def includes_all_users(policy: Document) -> Tri:
    users = listed(policy, "/conditions/users/includeUsers")
    if users is None:
        return None
    return _has(users, "All")


def includes_all_resources(policy: Document) -> Tri:
    applications = listed(policy, "/conditions/applications/includeApplications")
    if applications is None:
        return None
    return _has(applications, "All")


def _includes_nothing(policy: Document, pointers: Iterable[str]) -> Tri:
    values = [references(policy, pointer) for pointer in pointers]
    if any(value is not None and not _only_none(value) for value in values):
        return False
    return None if None in values else True


def includes_no_users(policy: Document) -> Tri:
    """No users, groups, roles, guests or service principals included, or only `None`."""
    return _includes_nothing(policy, _USER_INCLUDES)


def includes_no_resources(policy: Document) -> Tri:
    """No resources, user actions or authentication contexts included, or only `None`."""
    return _includes_nothing(policy, _RESOURCE_INCLUDES)


def excluded_applications(policy: Document) -> tuple[str, ...] | None:
    return listed(policy, "/conditions/applications/excludeApplications")


def targets_application(policy: Document, app_id: str, groups: Iterable[str] = ()) -> Tri:
    """Is app_id in scope: included directly, through `All` or a named group, and not excluded?"""
    groups = tuple(groups)
    included = listed(policy, "/conditions/applications/includeApplications")
    excluded = excluded_applications(policy)
    if excluded is not None and (_has(excluded, app_id) or any(_has(excluded, group) for group in groups)):
        return False
    if included is None or excluded is None:
        return None
    return _has(included, "All") or _has(included, app_id) or any(_has(included, group) for group in groups)


def missing_exclusions(policy: Document, accounts: Iterable[str]) -> tuple[str, ...] | None:
    """The accounts neither in excludeUsers nor in excludeGroups; None when an exclusion list is computed.

    Accounts may be object ids or Terraform references (`azuread_user.breakglass.object_id`),
    which match an unresolved exclusion by its source text.
    """
    users = references(policy, "/conditions/users/excludeUsers")
    groups = references(policy, "/conditions/users/excludeGroups")
    if users is None or groups is None:
        return None
    excluded = {value.strip().casefold() for value in (*users, *groups)}
    return tuple(account for account in accounts if account.strip().casefold() not in excluded)


def transfer_methods(policy: Document) -> frozenset[str] | None:
    methods = listed(policy, "/conditions/authenticationFlows/transferMethods")
    return None if methods is None else frozenset(method.strip() for method in methods)


def client_app_types(policy: Document) -> frozenset[str] | None:
    types = listed(policy, "/conditions/clientAppTypes")
    return None if types is None else frozenset(value.casefold() for value in types)


def narrowed_by_location_or_platform(policy: Document) -> Tri:
    """Does an include list on platforms or locations limit the policy to less than everything?"""
    platforms = listed(policy, "/conditions/platforms/includePlatforms")
    locations = listed(policy, "/conditions/locations/includeLocations")
    if platforms is None or locations is None:
        return None
    return bool(platforms and not _has(platforms, "all")) or bool(locations and not _has(locations, "All"))


def narrowed(policy: Document) -> Tri:
    """Does any condition beyond users and resources limit the policy: location, platform, risk, device filter?"""
    answers: list[Tri] = [narrowed_by_location_or_platform(policy)]
    answers += [None if (levels := listed(policy, pointer)) is None else bool(levels) for pointer in _RISK_LEVELS]
    mode = value(policy, "/conditions/devices/deviceFilter/mode")
    answers.append(None if isinstance(mode, Unresolved) else mode == "include")
    if True in answers:
        return True
    return None if None in answers else False


def blocks_everyone(policy: Document) -> Tri:
    """An enabled block for all users and all resources, not narrowed by other conditions.

    Exclusions are fine (break-glass accounts, the Device Registration Service).
    """
    not_narrowed = None if (narrowing := narrowed(policy)) is None else not narrowing
    return all_of(
        is_enabled(policy), blocks(policy), includes_all_users(policy), includes_all_resources(policy), not_narrowed
    )


def blocks_flow_everywhere(policy: Document, method: str) -> Tri:
    """Does an enabled policy block the transfer method for all users and all resources?"""
    methods = transfer_methods(policy)
    if methods is not None and method not in methods:
        return False
    named = True if methods is not None else None
    return all_of(named, blocks_everyone(policy))


@dataclass(frozen=True, slots=True)
class SignInFrequency:
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
    control = value(policy, "/sessionControls/signInFrequency")
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
