"""Questions many rules ask of a Conditional Access policy, answered once.

Answers about values a source computes (`var.x`) are three-valued: True, False, or None for
"depends on a value entralint cannot see". Graph compares the special values (`All`, `None`,
`Office365`, ...) case-insensitively; exports in the wild use `all` too.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from linter.model import Document, Unresolved

__all__ = [
    "DEVICE_REGISTRATION_SERVICE",
    "MICROSOFT_FLOW_PORTAL",
    "MICROSOFT_FLOW_SERVICE",
    "blocks",
    "client_app_types",
    "excluded_applications",
    "grant_controls",
    "includes_all_resources",
    "includes_all_users",
    "is_enabled",
    "is_enforced_or_report_only",
    "is_unresolved",
    "listed",
    "narrowed_by_location_or_platform",
    "state",
    "targets_application",
    "transfer_methods",
]

DEVICE_REGISTRATION_SERVICE = "01cb2876-7ebd-4aa4-9cc9-d28bd4d359a9"
MICROSOFT_FLOW_SERVICE = "7df0a125-d3be-4c96-aa54-591f83ff541c"
MICROSOFT_FLOW_PORTAL = "6204c1d1-4712-4c46-a7d9-3ed63d992682"

Tri = bool | None


def is_unresolved(value: Any) -> bool:
    return isinstance(value, Unresolved)


def listed(policy: Document, pointer: str) -> tuple[str, ...] | None:
    """The strings of a list value; None when the list (or an item) is an unresolved reference."""
    value = policy.get(pointer, ())
    if isinstance(value, Unresolved):
        return None
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, (list, tuple)):
        return ()
    if any(isinstance(item, Unresolved) for item in value):
        return None
    return tuple(item for item in value if isinstance(item, str))


def _has(values: Iterable[str], special: str) -> bool:
    return any(value.casefold() == special.casefold() for value in values)


def state(policy: Document) -> str | None:
    value = policy.get("/state")
    return None if isinstance(value, Unresolved) or not isinstance(value, str) else value


def is_enabled(policy: Document) -> Tri:
    """True for `enabled`; None when the state is a reference."""
    value = policy.get("/state")
    if isinstance(value, Unresolved):
        return None
    return value == "enabled"


def is_enforced_or_report_only(policy: Document) -> Tri:
    value = policy.get("/state")
    if isinstance(value, Unresolved):
        return None
    return value in ("enabled", "enabledForReportingButNotEnforced")


def grant_controls(policy: Document) -> tuple[str, ...] | None:
    return listed(policy, "/grantControls/builtInControls")


def blocks(policy: Document) -> Tri:
    """Does the policy's grant block access?"""
    controls = grant_controls(policy)
    return None if controls is None else _has(controls, "block")


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


def excluded_applications(policy: Document) -> tuple[str, ...] | None:
    return listed(policy, "/conditions/applications/excludeApplications")


def targets_application(policy: Document, app_id: str, groups: Iterable[str] = ()) -> Tri:
    """Is app_id in scope: included directly, through `All` or a named group, and not excluded?"""
    included = listed(policy, "/conditions/applications/includeApplications")
    excluded = excluded_applications(policy)
    if excluded is not None and (_has(excluded, app_id) or any(_has(excluded, group) for group in groups)):
        return False
    if included is None or excluded is None:
        return None
    return _has(included, "All") or _has(included, app_id) or any(_has(included, group) for group in groups)


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
