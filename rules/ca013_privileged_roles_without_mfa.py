"""CA013: privileged role holders can sign in without MFA."""

from __future__ import annotations

from collections.abc import Iterator

from linter.model import Tenant
from linter.policy.emergency import emergency_access
from linter.rule import BenchmarkControl, Level, TenantRule, Violation

from .ca012_privileged_roles_without_phishing_resistant_mfa import open_holders, role_anchor


class PrivilegedRolesWithoutMfa(TenantRule):
    """
    ## What it checks
    Whether every sign-in of the holders of a privileged directory role, to any resource under any
    condition, is blocked or requires MFA: the `mfa` grant control, the built-in "Multifactor
    authentication", "Passwordless MFA" or "Phishing-resistant MFA" strength, or a custom strength
    defined in the tenant's files with no single-factor combination (`password`, `sms`,
    `federatedSingleFactor` alone). A grant that can be satisfied another way (`mfa OR
    compliantDevice`) does not count. Several policies may share the job, and a policy for all users
    covers role holders too. Only emergency access accounts may be excluded (configured, or inferred
    as CA008 says). A strength the files do not define, or a computed value, counts as covering.

    The privileged roles are Microsoft's built-in roles marked PRIVILEGED; `privileged-roles` in
    configuration replaces the list, `extend-privileged-roles` adds to it (docs/configuration.md).
    The finding names the open roles by display name, those Microsoft's administrator MFA policy
    templates name first (Global Administrator, Application Administrator, ...), and says when none of
    them is among those; then the users and groups a policy excludes that hold a role.

    ## Why it matters
    An administrator signing in with a password alone is one phished or sprayed password away from
    the whole tenant. Microsoft's first Conditional Access template is MFA for administrators, and
    every baseline asks for it.

    ## Example
    The administrators' policy leaves out the Azure portal's sign-ins from the office network:
    ```json
    {"displayName": "Admins MFA", "state": "enabled",
     "conditions": {"users": {"includeRoles": ["62e90394-69f5-4237-9190-012177145e10"]},
                    "applications": {"includeApplications": ["All"]}, "clientAppTypes": ["all"],
                    "locations": {"includeLocations": ["All"], "excludeLocations": ["AllTrusted"]}},
     "grantControls": {"operator": "OR", "builtInControls": ["mfa"]}}
    ```

    ## How to fix
    Add a policy for the privileged roles (or all users) on all resources, with Graph JSON
    `"grantControls": {"operator": "OR", "builtInControls": ["mfa"]}` or an authentication
    strength (Terraform: `built_in_controls = ["mfa"]`), excluding only the emergency access
    accounts. Conditional Access needs Microsoft Entra ID P1 (authentication strengths too).

    ## References
    - https://learn.microsoft.com/entra/identity/conditional-access/policy-old-require-mfa-admin
    - https://learn.microsoft.com/entra/identity/role-based-access-control/permissions-reference
    """

    code = "CA013"
    name = "privileged-roles-without-mfa"
    summary = "Privileged role holders can sign in without MFA"
    level = Level.WARNING
    tags = ("security", "privileged-roles", "mfa")
    security_severity = 8.0
    benchmarks = (
        BenchmarkControl("cis-m365-v4", "5.2.2.1"),
        BenchmarkControl("cis-m365-v5", "5.2.2.1"),
        BenchmarkControl("cis-m365-v6", "5.2.2.1"),
        BenchmarkControl("cis-m365-v7", "5.2.2.1"),
        BenchmarkControl("maester", "MT.1006"),
        BenchmarkControl("prowler", "entra_admin_users_mfa_enabled"),
    )

    def check(self, tenant: Tenant) -> Iterator[Violation]:
        # Imported here: runs that skip or ignore the tenant rules (a fleet linted as one "tenant") never need them.
        from linter.policy.authentication_strengths import Strength, StrengthCatalog, requires_strength
        from linter.policy.evaluate import Evaluator
        from linter.policy.privileged_roles import privileged_coverage, privileged_roles

        evaluator = Evaluator(tenant.documents)
        roles = privileged_roles(tenant)
        if not evaluator.policies or not roles:
            return
        catalog = StrengthCatalog(tenant.documents)
        result = privileged_coverage(
            evaluator,
            roles,
            lambda policy: requires_strength(policy, catalog, Strength.MULTIFACTOR),
            emergency_access(tenant).accounts(),
        )
        if not result.open_roles:
            return
        anchor, pointer = role_anchor(evaluator, tenant)
        yield self.violation(
            anchor,
            f"Privileged roles can sign in without MFA. No enabled policy of tenant {tenant.name!r} blocks or "
            f"requires MFA for {open_holders(result, roles)}",
            pointer,
            key="privilegedRoles",
        )
