"""CA020: Azure management and the Microsoft admin portals are not covered by MFA for all users."""

from __future__ import annotations

from collections.abc import Iterator

from linter.model import Tenant
from linter.policy.apps import ADMIN_PORTALS
from linter.rule import BenchmarkControl, Level, TenantRule, Violation

from ._coverage import still_open, tenant_coverage

AZURE_SERVICE_MANAGEMENT = "797f4846-ba00-4fd7-ba43-dac1f8f63013"
_NAMES = {AZURE_SERVICE_MANAGEMENT: "Windows Azure Service Management API", ADMIN_PORTALS: ADMIN_PORTALS}


class AzureManagementWithoutMfa(TenantRule):
    """
    ## What it checks
    Whether every sign-in to Windows Azure Service Management API
    (`797f4846-ba00-4fd7-ba43-dac1f8f63013`: the Azure portal, Azure Resource Manager, Azure CLI and
    PowerShell) and to `MicrosoftAdminPortals` requires MFA or an authentication strength (or is
    blocked) for all users, by the tenant's enabled policies together. A policy on all resources
    covers both. Only the emergency access accounts may be left out (the tenant's
    `emergency-access`, or the accounts entralint infers, see CA008); excluding an app from an
    all-resources MFA policy leaves it open. Policies whose grant is computed count as covering.

    ## Why it matters
    These endpoints manage subscriptions and the tenant itself: any user may sign in to them, and
    one without MFA is one password from creating resources or reading what their roles allow.
    Microsoft enforces MFA on Azure management sign-ins in phases, but a policy makes it explicit,
    for every client. Conditional Access needs Microsoft Entra ID P1.

    ## Example
    An admin MFA policy that targets only the Azure management API leaves the admin portals open:
    ```json
    {"displayName": "MFA for Azure management", "state": "enabled",
     "conditions": {"users": {"includeUsers": ["All"]},
                    "applications": {"includeApplications": ["797f4846-ba00-4fd7-ba43-dac1f8f63013"]}},
     "grantControls": {"operator": "OR", "builtInControls": ["mfa"]}}
    ```

    ## How to fix
    Graph JSON `"applications": {"includeApplications": ["797f4846-ba00-4fd7-ba43-dac1f8f63013",
    "MicrosoftAdminPortals"]}` with `"users": {"includeUsers": ["All"], "excludeUsers": ["<break-glass id>"]}`
    and `"grantControls": {"operator": "OR", "builtInControls": ["mfa"]}`, or an MFA policy on all
    resources; in Terraform `included_applications = ["797f4846-ba00-4fd7-ba43-dac1f8f63013",
    "MicrosoftAdminPortals"]`.

    ## References
    - https://learn.microsoft.com/entra/identity/conditional-access/policy-old-require-mfa-azure-mgmt
    - https://learn.microsoft.com/entra/identity/conditional-access/concept-conditional-access-cloud-apps
    """

    code = "CA020"
    name = "azure-management-without-mfa"
    summary = "Azure management and the Microsoft admin portals are not covered by MFA for all users"
    level = Level.WARNING
    tags = ("security", "administration")
    security_severity = 7.0
    benchmarks = (
        BenchmarkControl("maester", "MT.1008"),
        BenchmarkControl("prowler", "entra_conditional_access_policy_require_mfa_for_management_api"),
    )

    def check(self, tenant: Tenant) -> Iterator[Violation]:
        # Imported here: runs that skip or ignore the tenant rules never need the evaluator.
        from linter.policy.strength import requires_mfa

        targets = (AZURE_SERVICE_MANAGEMENT, ADMIN_PORTALS)
        coverage = tenant_coverage(tenant, requires_mfa, {"application": targets})
        if coverage is None or coverage.complete:
            return
        open_targets = [_NAMES[target] for target in targets if coverage.leaves_open("application", target=target)]
        yield self.violation(
            tenant.anchor,
            f"{' and '.join(open_targets or _NAMES.values())} can be reached without MFA. No enabled policy of "
            f"tenant {tenant.name!r} requires MFA or an authentication strength there for all users"
            f"{still_open(coverage)}",
            key="azureManagement",
        )
