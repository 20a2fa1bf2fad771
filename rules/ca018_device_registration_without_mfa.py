"""CA018: registering or joining devices does not require MFA for all users."""

from __future__ import annotations

from collections.abc import Iterator

from linter.model import Tenant
from linter.rule import BenchmarkControl, Level, TenantRule, Violation

from ._coverage import MODERN_CLIENT_APPS, still_open, tenant_coverage

REGISTER_DEVICE = "urn:user:registerdevice"


class DeviceRegistrationWithoutMfa(TenantRule):
    """
    ## What it checks
    Whether the user action `urn:user:registerdevice` (registering or joining a device to Microsoft
    Entra ID) requires MFA or an authentication strength (or is blocked) for all users, by the
    tenant's enabled policies together. Only the emergency access accounts may be left out (the
    tenant's `emergency-access`, or the accounts entralint infers, see CA008). Policies whose grant
    is computed count as covering.

    This is a note: the tenant-wide device setting "Require Multifactor Authentication to register
    or join devices" does the same job and cannot be read from policy files, but it must be off when
    a Conditional Access policy does it, and Microsoft recommends the policy.

    ## Why it matters
    A device registered with a stolen password becomes a trusted device of the account: its
    Primary Refresh Token keeps the attacker signed in, and it may satisfy device-based
    policies later. The user action needs Microsoft Entra ID P1.

    ## Example
    ```json
    {"displayName": "MFA for device registration", "state": "enabledForReportingButNotEnforced",
     "conditions": {"users": {"includeUsers": ["All"]},
                    "applications": {"includeUserActions": ["urn:user:registerdevice"]}},
     "grantControls": {"operator": "OR", "builtInControls": ["mfa"]}}
    ```
    The policy is report-only, so nothing requires MFA.

    ## How to fix
    Graph JSON `"conditions": {"users": {"includeUsers": ["All"], "excludeUsers": ["<break-glass id>"]},
    "applications": {"includeUserActions": ["urn:user:registerdevice"]}}` with `"grantControls":
    {"operator": "OR", "builtInControls": ["mfa"]}` or the built-in Multifactor authentication
    strength; in Terraform `included_user_actions = ["urn:user:registerdevice"]`. Then set the device
    setting "Require Multifactor Authentication to register or join devices" to No.

    ## References
    - https://learn.microsoft.com/entra/identity/conditional-access/policy-all-users-device-registration
    - https://learn.microsoft.com/entra/identity/conditional-access/concept-conditional-access-cloud-apps
    """

    code = "CA018"
    name = "device-registration-without-mfa"
    summary = "Registering or joining devices does not require MFA for all users"
    level = Level.NOTE
    tags = ("security", "user-actions")
    benchmarks = (BenchmarkControl("prowler", "entra_conditional_access_policy_device_registration_mfa_required"),)

    def check(self, tenant: Tenant) -> Iterator[Violation]:
        # Imported here: runs that skip or ignore the tenant rules never need the evaluator.
        from linter.policy.strength import requires_mfa

        coverage = tenant_coverage(
            tenant, requires_mfa, {"application": (REGISTER_DEVICE,), "clientApp": MODERN_CLIENT_APPS}
        )
        if coverage is None or coverage.complete:
            return
        yield self.violation(
            tenant.anchor,
            f"Registering or joining devices does not require MFA. No enabled policy of tenant {tenant.name!r} "
            f"requires MFA or an authentication strength for {REGISTER_DEVICE} for all users{still_open(coverage)}",
            key=REGISTER_DEVICE,
        )
