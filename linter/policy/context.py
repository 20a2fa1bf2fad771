"""The sign-in a what-if question is about."""

from __future__ import annotations

import re
from collections.abc import Mapping
from types import MappingProxyType
from typing import NamedTuple

__all__ = [
    "CLIENT_APP_TYPES",
    "DIMENSIONS",
    "GUEST_TYPES",
    "PLATFORMS",
    "RISK_LEVELS",
    "TRANSFER_METHODS",
    "SignInContext",
    "is_authentication_context",
    "is_user_action",
]

# The parts of a sign-in that sign-in classes tell apart, in the order they are enumerated.
DIMENSIONS = (
    "users",
    "application",
    "clientApp",
    "platform",
    "location",
    "signInRisk",
    "userRisk",
    "authenticationFlow",
)
CLIENT_APP_TYPES = ("browser", "mobileAppsAndDesktopClients", "exchangeActiveSync", "other")
PLATFORMS = ("android", "iOS", "windows", "windowsPhone", "macOS", "linux")
RISK_LEVELS = ("none", "low", "medium", "high")
TRANSFER_METHODS = ("deviceCodeFlow", "authenticationTransfer")
GUEST_TYPES = (
    "internalGuest",
    "b2bCollaborationGuest",
    "b2bCollaborationMember",
    "b2bDirectConnectUser",
    "otherExternalUser",
    "serviceProvider",
)
USER_ACTIONS = ("urn:user:registersecurityinfo", "urn:user:registerdevice")
_AUTHENTICATION_CONTEXT = re.compile(r"^c(?:[1-9]|[1-9][0-9])$", re.IGNORECASE)
_NO_DEVICE: Mapping[str, str] = MappingProxyType({})


def is_user_action(target: str) -> bool:
    return target.casefold().startswith("urn:user:")


def is_authentication_context(target: str) -> bool:
    return _AUTHENTICATION_CONTEXT.match(target) is not None


class SignInContext(NamedTuple):
    """Who signs in to what, how and from where. None means "not given": a value no policy names.

    `target` is an application id, a user action (`urn:user:registersecurityinfo`), an
    authentication context (`c1`..`c99`), `Office365`/`MicrosoftAdminPortals` for an app of that
    group, or None for a resource no policy names. `location` is a named location id (None: an
    untrusted network no named location covers); `trusted` overrides what the namedLocation
    document says. `original_transfer_method` marks a protocol-tracked session.
    """

    user: str | None = None
    groups: frozenset[str] = frozenset()
    roles: frozenset[str] = frozenset()
    guest_type: str | None = None
    guest_tenant: str | None = None
    target: str | None = None
    client_app: str = "browser"
    platform: str | None = None
    location: str | None = None
    trusted: bool | None = None
    country: str | None = None
    device: Mapping[str, str] = _NO_DEVICE
    sign_in_risk: str = "none"
    user_risk: str = "none"
    transfer_method: str | None = None
    original_transfer_method: str | None = None

    def users_key(self) -> tuple[object, ...]:
        return (self.user, self.groups, self.roles, self.guest_type, self.guest_tenant)

    def location_key(self) -> tuple[object, ...]:
        return (self.location, self.trusted, self.country)

    def device_key(self) -> tuple[tuple[str, str], ...]:
        return tuple(sorted(self.device.items()))

    def flow_key(self) -> tuple[str | None, str | None]:
        return (self.transfer_method, self.original_transfer_method)
