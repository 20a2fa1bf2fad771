"""CA017: registering security info is not protected for all users."""

from __future__ import annotations

from collections.abc import Iterator

from linter.model import Tenant
from linter.policy.context import GUEST_TYPES
from linter.rule import BenchmarkControl, Level, TenantRule, Violation

from ._coverage import MODERN_CLIENT_APPS, still_open, tenant_coverage

REGISTER_SECURITY_INFO = "urn:user:registersecurityinfo"
# Microsoft's template excludes guests and the Global Administrator role from this policy.
GLOBAL_ADMINISTRATOR = "62e90394-69f5-4237-9190-012177145e10"


class SecurityInfoRegistrationUnprotected(TenantRule):
    """
    ## What it checks
    Whether the user action `urn:user:registersecurityinfo` (registering MFA and password reset
    methods) is, for all users, blocked outside trusted locations, or requires MFA, an
    authentication strength (a Temporary Access Pass satisfies MFA) or a managed device (compliant
    or hybrid joined), by the tenant's enabled policies together. Sign-ins from trusted locations
    (`AllTrusted`, named locations marked trusted) are left to the tenant, as Microsoft's template
    does; so are the emergency access accounts (the tenant's `emergency-access` or the accounts
    entralint infers, see CA008), guests and external users, and holders of the Global
    Administrator role, which the template excludes. Policies whose grant is computed count as
    covering.

    ## Why it matters
    Whoever registers a method on an account owns it: an attacker who phished only the password
    adds their own authenticator, and every later MFA prompt is theirs to answer. Conditional
    Access on the user action needs Microsoft Entra ID P1 and combined security info registration.

    ## Example
    A registration policy for one group leaves every other user's registration unprotected:
    ```json
    {"displayName": "Secure security info registration", "state": "enabled",
     "conditions": {"users": {"includeGroups": ["<pilot group id>"]},
                    "applications": {"includeUserActions": ["urn:user:registersecurityinfo"]}},
     "grantControls": {"operator": "OR", "builtInControls": ["mfa"]}}
    ```

    ## How to fix
    Graph JSON `"conditions": {"users": {"includeUsers": ["All"], "excludeUsers": ["<break-glass id>"],
    "excludeGuestsOrExternalUsers": {...}}, "applications": {"includeUserActions":
    ["urn:user:registersecurityinfo"]}, "locations": {"includeLocations": ["All"],
    "excludeLocations": ["AllTrusted"]}}` with `"grantControls": {"operator": "OR",
    "builtInControls": ["mfa"]}` (or an authentication strength, or `block`); in Terraform
    `included_user_actions = ["urn:user:registersecurityinfo"]` inside `applications`.

    ## References
    - https://learn.microsoft.com/entra/identity/conditional-access/policy-all-users-security-info-registration
    - https://learn.microsoft.com/entra/identity/authentication/howto-authentication-temporary-access-pass
    """

    code = "CA017"
    name = "security-info-registration-unprotected"
    summary = "Registering security info is not protected for all users by a block, MFA or a managed device"
    level = Level.WARNING
    tags = ("security", "user-actions")
    security_severity = 6.5
    benchmarks = (BenchmarkControl("maester", "MT.1011"),)

    def check(self, tenant: Tenant) -> Iterator[Violation]:
        # Imported here: runs that skip or ignore the tenant rules never need the evaluator.
        from linter.policy.strength import requires_mfa_or_managed_device

        coverage = tenant_coverage(
            tenant,
            requires_mfa_or_managed_device,
            {"application": (REGISTER_SECURITY_INFO,), "clientApp": MODERN_CLIENT_APPS},
            exempt_users=(*GUEST_TYPES, GLOBAL_ADMINISTRATOR),
            trusted_locations_exempt=True,
        )
        if coverage is None or coverage.complete:
            return
        yield self.violation(
            tenant.anchor,
            "Registering security info is not protected. No enabled policy of tenant "
            f"{tenant.name!r} blocks {REGISTER_SECURITY_INFO} outside trusted locations or requires MFA, an "
            f"authentication strength or a managed device for it for all users{still_open(coverage)}",
            key=REGISTER_SECURITY_INFO,
        )
