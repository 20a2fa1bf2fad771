"""CA012: privileged role holders can sign in without a phishing-resistant authentication strength."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from linter.model import Document, Tenant
from linter.policy.emergency import emergency_access
from linter.rule import BenchmarkControl, Level, TenantRule, Violation

if TYPE_CHECKING:
    from linter.policy.evaluate import Evaluator
    from linter.policy.privileged_roles import RoleCoverage

SHOWN = 5  # open classes a message names; the rest are counted
INCLUDE_ROLES = "/conditions/users/includeRoles"


def open_holders(result: RoleCoverage) -> str:
    """The role holders left open, the first few of them."""
    shown = "; ".join(result.open_subjects[:SHOWN])
    more = len(result.open_subjects) - SHOWN
    return shown + (f"; and {more} more" if more > 0 else "")


def role_anchor(evaluator: Evaluator, tenant: Tenant) -> tuple[Document | str, str]:
    """Where a finding about privileged roles goes: the first policy that names roles, else the tenant."""
    for policy in evaluator.policies:
        if policy.values(INCLUDE_ROLES):
            return policy.document, INCLUDE_ROLES
    return tenant.anchor, ""


class PrivilegedRolesWithoutPhishingResistantMfa(TenantRule):
    """
    ## What it checks
    Whether every sign-in of the holders of a privileged directory role, to any resource under any
    condition, is blocked or requires a phishing-resistant authentication strength: the built-in
    "Phishing-resistant MFA" (`00000000-0000-0000-0000-000000000004`) or a custom strength, defined
    in the tenant's files (Graph `authenticationStrengthPolicy`, Terraform
    `azuread_authentication_strength_policy` or the microsoft365 provider's, Microsoft365DSC
    `AADAuthenticationStrengthPolicy`) and named by id, reference or display name, whose every
    allowed combination is `windowsHelloForBusiness`, `fido2` or `x509CertificateMultiFactor`.
    Several policies may share the job, and a policy for all users covers role holders too. Only
    emergency access accounts may be excluded (configured, or inferred as CA008 says); a role holder
    excluded by name or group, a resource, platform or location left out, is a gap. A strength the
    files do not define, or a computed value, counts as covering: the rule never guesses a gap.

    The privileged roles are Microsoft's built-in roles marked PRIVILEGED (Global Administrator,
    Privileged Role Administrator, Security Administrator, ...); `privileged-roles` in configuration
    replaces the list, `extend-privileged-roles` adds to it (docs/configuration.md).

    ## Why it matters
    MFA by push, SMS or one-time code can be relayed by an adversary-in-the-middle phishing kit,
    which then holds the session cookie. Administrators are the accounts such kits are after;
    FIDO2 keys, Windows Hello for Business and certificate-based authentication are bound to the
    sign-in page's origin and cannot be relayed.

    ## Example
    The only policy for administrators asks for plain MFA:
    ```json
    {"displayName": "Admins MFA", "state": "enabled",
     "conditions": {"users": {"includeRoles": ["62e90394-69f5-4237-9190-012177145e10"]},
                    "applications": {"includeApplications": ["All"]}, "clientAppTypes": ["all"]},
     "grantControls": {"operator": "OR", "builtInControls": ["mfa"]}}
    ```

    ## How to fix
    Add a policy for the privileged roles on all resources with Graph JSON `"grantControls":
    {"operator": "OR", "authenticationStrength": {"id": "00000000-0000-0000-0000-000000000004"}}`
    (Terraform: `authentication_strength_policy_id =
    "/policies/authenticationStrengthPolicies/00000000-0000-0000-0000-000000000004"`), excluding only
    the emergency access accounts. Register the administrators' FIDO2 keys or Windows Hello first.
    Conditional Access and authentication strengths need Microsoft Entra ID P1.

    ## References
    - https://learn.microsoft.com/entra/identity/conditional-access/policy-admin-phish-resistant-mfa
    - https://learn.microsoft.com/entra/identity/authentication/concept-authentication-strengths
    - https://learn.microsoft.com/entra/identity/role-based-access-control/permissions-reference
    """

    code = "CA012"
    name = "privileged-roles-without-phishing-resistant-mfa"
    summary = "Privileged role holders can sign in without a phishing-resistant authentication strength"
    level = Level.WARNING
    tags = ("security", "privileged-roles", "authentication-strength")
    security_severity = 7.0
    benchmarks = (
        BenchmarkControl("cis-m365-v4", "5.2.2.5"),
        BenchmarkControl("cis-m365-v5", "5.2.2.5"),
        BenchmarkControl("scubagear", "MS.AAD.3.6v1"),
        BenchmarkControl("prowler", "entra_admin_users_phishing_resistant_mfa_enabled"),
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
            lambda policy: requires_strength(policy, catalog, Strength.PHISHING_RESISTANT),
            emergency_access(tenant).accounts(),
        )
        if not result.open_roles:
            return
        anchor, pointer = role_anchor(evaluator, tenant)
        yield self.violation(
            anchor,
            f"Privileged roles can sign in without phishing-resistant MFA. No enabled policy of tenant {tenant.name!r} "
            f"blocks or requires a phishing-resistant authentication strength for: {open_holders(result)}",
            pointer,
            key="privilegedRoles",
        )
