"""CA012: privileged role holders can sign in without a phishing-resistant authentication strength."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from typing import TYPE_CHECKING

from linter.model import Document, Tenant
from linter.policy.emergency import emergency_access
from linter.policy.privileged_roles import ADMIN_POLICY_TEMPLATE_ROLES, role_name
from linter.rule import BenchmarkControl, Level, TenantRule, Violation

if TYPE_CHECKING:
    from linter.policy.evaluate import Evaluator
    from linter.policy.privileged_roles import RoleCoverage

SHOWN_ROLES = 4  # role names a message gives before counting the rest
SHOWN_PRINCIPALS = 3  # users and groups a message gives before counting the rest
INCLUDE_ROLES = "/conditions/users/includeRoles"


def _role_order(role: str) -> tuple[int, str]:
    """Microsoft's administrator policy template roles first, in its order; then the rest by name."""
    template = list(ADMIN_POLICY_TEMPLATE_ROLES)
    return (template.index(role), "") if role in ADMIN_POLICY_TEMPLATE_ROLES else (len(template), role_name(role))


def role_names(roles: Iterable[str]) -> str:
    """The roles by display name, the most privileged first, the rest counted."""
    names = [role_name(role) for role in sorted(set(roles), key=_role_order)]
    shown = ", ".join(names[:SHOWN_ROLES])
    more = len(names) - SHOWN_ROLES
    return shown + (f" and {more} more" if more > 0 else "")


def open_holders(result: RoleCoverage, asked: Sequence[str]) -> str:
    """Who the gap leaves open, grouped: holders of whole roles, then the users and groups policies exclude."""
    whole = [subject.role for subject in result.open_subjects if subject.kind == "role"]
    parts = []
    if whole:
        if set(whole) != set(asked):
            count = f"{len(whole)} of the {len(asked)} privileged roles"
        else:
            count = "both privileged roles" if len(asked) == 2 else f"all {len(asked)} privileged roles"
        # Microsoft labels more roles privileged than its administrator policy templates name; say which kind is open.
        beyond = (
            ""
            if set(whole) & set(ADMIN_POLICY_TEMPLATE_ROLES)
            else " (none of them among the roles Microsoft's administrator MFA policy templates name)"
        )
        parts.append(f"holders of {count}: {role_names(whole)}{beyond}")
    by_principal: dict[tuple[str, str], list[str]] = {}
    for subject in result.open_subjects:
        if subject.kind != "role" and subject.role not in whole:
            by_principal.setdefault((subject.kind, subject.principal), []).append(subject.role)
    if by_principal:
        described = []
        for (kind, principal), roles in by_principal.items():
            who = f"user {principal}" if kind == "user" else f"members of group {principal}"
            if set(roles) | set(whole) == set(asked):
                held = "any other privileged role" if whole else "any privileged role"
            else:
                held = role_names(roles)
            described.append(f"{who} holding {held}")
        more = len(described) - SHOWN_PRINCIPALS
        parts.append(
            "users and groups a policy excludes: "
            + "; ".join(described[:SHOWN_PRINCIPALS])
            + (f"; and {more} more users or groups" if more > 0 else "")
        )
    return "; and for ".join(parts)


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
    The finding names the open roles by display name, those Microsoft's administrator MFA policy
    templates name first (Global Administrator, Application Administrator, ...), and says when none of
    them is among those; then the users and groups a policy excludes that hold a role.

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
        BenchmarkControl("cis-m365-v6", "5.2.2.5"),
        BenchmarkControl("cis-m365-v7", "5.2.2.5"),
        BenchmarkControl("scubagear", "MS.AAD.3.6v1"),
        BenchmarkControl("prowler", "entra_admin_users_phishing_resistant_mfa_enabled"),
        BenchmarkControl("zero-trust", "21783"),
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
            f"blocks or requires a phishing-resistant authentication strength for {open_holders(result, roles)}",
            pointer,
            key="privilegedRoles",
        )
