"""CA024: guests and external users are not covered by MFA on all resources."""

from __future__ import annotations

from collections.abc import Iterator

from linter.model import Tenant
from linter.policy.context import GUEST_TYPES
from linter.rule import BenchmarkControl, Level, TenantRule, Violation

from ._coverage import still_open, tenant_coverage


class GuestsWithoutMfa(TenantRule):
    """
    ## What it checks
    Whether every sign-in of a guest or external user, of every guest type (`internalGuest`,
    `b2bCollaborationGuest`, `b2bCollaborationMember`, `b2bDirectConnectUser`,
    `otherExternalUser`, `serviceProvider`), requires MFA or an authentication strength (or is
    blocked) on all resources, by the tenant's enabled policies together. `includeUsers: ["All"]`,
    `GuestsOrExternalUsers` and a `includeGuestsOrExternalUsers` block listing every type all count;
    a policy limited to some external tenants may cover them, so it counts. Policies whose grant is
    computed count as covering.

    ## Why it matters
    Guests authenticate in their home tenant, whose MFA you neither see nor control unless your
    policies ask for it (and cross-tenant access settings trust it). A guest account with a weak
    password reaches whatever Teams, SharePoint sites and apps it was invited to.
    Conditional Access for guests needs Microsoft Entra ID P1 (B2B users are billed monthly by
    active user).

    ## Example
    An MFA policy for B2B collaboration guests only leaves B2B direct connect and other external users out:
    ```json
    {"displayName": "MFA for guests", "state": "enabled",
     "conditions": {"users": {"includeGuestsOrExternalUsers": {"guestOrExternalUserTypes": "b2bCollaborationGuest",
                                                                "externalTenants": {"membershipKind": "all"}}},
                    "applications": {"includeApplications": ["All"]}},
     "grantControls": {"operator": "OR", "builtInControls": ["mfa"]}}
    ```

    ## How to fix
    Graph JSON `"users": {"includeUsers": ["GuestsOrExternalUsers"]}` (or every guest type in
    `includeGuestsOrExternalUsers`), `"applications": {"includeApplications": ["All"]}`,
    `"grantControls": {"operator": "OR", "builtInControls": ["mfa"]}`; in Terraform
    `included_users = ["GuestsOrExternalUsers"]`. Or one MFA policy for all users.

    ## References
    - https://learn.microsoft.com/entra/identity/conditional-access/policy-guests-mfa-strength
    - https://learn.microsoft.com/entra/external-id/authentication-conditional-access
    """

    code = "CA024"
    name = "guests-without-mfa"
    summary = "Guests and external users are not covered by MFA on all resources"
    level = Level.WARNING
    tags = ("security", "external-identities")
    security_severity = 6.0
    benchmarks = (
        BenchmarkControl("maester", "MT.1016"),
        BenchmarkControl("prowler", "entra_conditional_access_policy_mfa_enforced_for_guest_users"),
    )

    def check(self, tenant: Tenant) -> Iterator[Violation]:
        # Imported here: runs that skip or ignore the tenant rules never need the evaluator.
        from linter.policy.strength import requires_mfa

        coverage = tenant_coverage(tenant, requires_mfa, {"users": GUEST_TYPES})
        if coverage is None or coverage.complete:
            return
        open_types = [kind for kind in GUEST_TYPES if coverage.leaves_open("users", guest_type=kind)]
        yield self.violation(
            tenant.anchor,
            f"Guests and external users ({', '.join(open_types or GUEST_TYPES)}) can sign in without MFA. No "
            f"enabled policy of tenant {tenant.name!r} requires MFA or an authentication strength for them on all "
            f"resources{still_open(coverage)}",
            key="guests",
        )
