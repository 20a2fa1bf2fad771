"""Privileged directory roles: Microsoft's built-in roles marked PRIVILEGED, or the tenant's configured list.

The table is Microsoft's "Microsoft Entra built-in roles" reference
(https://learn.microsoft.com/entra/identity/role-based-access-control/permissions-reference, the roles
carrying the "Privileged" label; MicrosoftDocs/entra-docs, docs/identity/role-based-access-control/
permissions-reference.md at commit 00fe95d60143bbf5f832cdd8bb74765b182c2d8f, ms.date 01/20/2026). The
ids are role template ids, which Conditional Access `includeRoles` names. Microsoft adds roles and
labels over time: `privileged-roles` in configuration replaces the table, `extend-privileged-roles`
adds to it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, NamedTuple

from linter.model import Unresolved

if TYPE_CHECKING:
    from linter.model import Tenant
    from linter.policy.compiled import CompiledPolicy
    from linter.policy.coverage import Coverage
    from linter.policy.evaluate import Evaluator

__all__ = [
    "ADMIN_POLICY_TEMPLATE_ROLES",
    "PRIVILEGED_ROLES",
    "OpenSubject",
    "RoleCoverage",
    "privileged_coverage",
    "privileged_roles",
    "role_name",
]

_SPECIAL = frozenset({"all", "none", "guestsorexternalusers"})

# Role template id -> display name.
PRIVILEGED_ROLES: Mapping[str, str] = MappingProxyType(
    {
        "db506228-d27e-4b7d-95e5-295956d6615f": "Agent ID Administrator",
        "9b895d92-2cd3-44c7-9d02-a6ac2d5ea5c3": "Application Administrator",
        "cf1c38e5-3621-4004-a7cb-879624dced7c": "Application Developer",
        "ecb2c6bf-0ab6-418e-bd87-7986f8d63bbe": "Attribute Provisioning Administrator",
        "422218e4-db15-4ef9-bbe0-8afb41546d79": "Attribute Provisioning Reader",
        "c4e39bd9-1100-46d3-8c65-fb160da0071f": "Authentication Administrator",
        "25a516ed-2fa0-40ea-a2d0-12923a21473a": "Authentication Extensibility Administrator",
        "aaf43236-0c0d-4d5f-883a-6955382ac081": "B2C IEF Keyset Administrator",
        "158c047a-c907-4556-b7ef-446551a6b5f7": "Cloud Application Administrator",
        "7698a772-787b-4ac8-901f-60d6b08affd2": "Cloud Device Administrator",
        "b1be1c3e-b65d-4f19-8427-f6fa0d97feb9": "Conditional Access Administrator",
        "9360feb5-f418-4baa-8175-e2a00bac4301": "Directory Writers",
        "8329153b-31d0-4727-b945-745eb3bc5f31": "Domain Name Administrator",
        "be2f45a1-457d-42af-a067-6ec1fa63bc45": "External Identity Provider Administrator",
        "62e90394-69f5-4237-9190-012177145e10": "Global Administrator",
        "f2ef992c-3afb-46b9-b7cf-a126ee74c451": "Global Reader",
        "729827e3-9c14-49f7-bb1b-9608f156bbb8": "Helpdesk Administrator",
        "8ac3fc64-6eca-42ea-9e69-59f4c7b60eb2": "Hybrid Identity Administrator",
        "3a2c62db-5318-420d-8d74-23affee5d9d5": "Intune Administrator",
        "59d46f88-662b-457b-bceb-5c3809e5908f": "Lifecycle Workflows Administrator",
        "4ba39ca4-527c-499a-b93d-d9b492c50246": "Partner Tier1 Support",
        "e00e864a-17c5-4a4b-9c06-f5b95a8d5bd8": "Partner Tier2 Support",
        "966707d0-3269-4727-9be2-8c3a10f19b9d": "Password Administrator",
        "7be44c8a-adaf-4e2a-84d6-ab2649e08a13": "Privileged Authentication Administrator",
        "e8611ab8-c189-46e8-94e1-60213ab1f814": "Privileged Role Administrator",
        "194ae4cb-b126-40b2-bd5b-6091b380977d": "Security Administrator",
        "5f2222b1-57c3-48ba-8ad5-d4759f1fde6f": "Security Operator",
        "5d6b6bb7-de71-4623-b4af-96380a352509": "Security Reader",
        "fe930be7-5e62-47db-91af-98c3a49a38b1": "User Administrator",
    }
)

# Roles Microsoft's "Require phishing-resistant MFA for administrators" and "Require MFA for administrators"
# policies name "at a minimum", in the article's order (learn.microsoft.com/entra/identity/conditional-access/
# policy-admin-phish-resistant-mfa; MicrosoftDocs/entra-docs docs/includes/conditional-access-admin-roles.md,
# ms.date 08/27/2024). Billing, Exchange, SharePoint and Teams Administrator carry no Privileged label, so they
# are named here but are not in PRIVILEGED_ROLES.
ADMIN_POLICY_TEMPLATE_ROLES: Mapping[str, str] = MappingProxyType(
    {
        "62e90394-69f5-4237-9190-012177145e10": "Global Administrator",
        "9b895d92-2cd3-44c7-9d02-a6ac2d5ea5c3": "Application Administrator",
        "c4e39bd9-1100-46d3-8c65-fb160da0071f": "Authentication Administrator",
        "b0f54661-2d74-4c50-afa3-1ec803f12efe": "Billing Administrator",
        "158c047a-c907-4556-b7ef-446551a6b5f7": "Cloud Application Administrator",
        "b1be1c3e-b65d-4f19-8427-f6fa0d97feb9": "Conditional Access Administrator",
        "29232cdf-9323-42fd-ade2-1d097af3e4de": "Exchange Administrator",
        "729827e3-9c14-49f7-bb1b-9608f156bbb8": "Helpdesk Administrator",
        "966707d0-3269-4727-9be2-8c3a10f19b9d": "Password Administrator",
        "7be44c8a-adaf-4e2a-84d6-ab2649e08a13": "Privileged Authentication Administrator",
        "e8611ab8-c189-46e8-94e1-60213ab1f814": "Privileged Role Administrator",
        "194ae4cb-b126-40b2-bd5b-6091b380977d": "Security Administrator",
        "f28a1f50-f6e7-4571-818b-6a12f2af6b6c": "SharePoint Administrator",
        "69091246-20e8-4a56-aa4d-066075b2a7a8": "Teams Administrator",
        "fe930be7-5e62-47db-91af-98c3a49a38b1": "User Administrator",
    }
)


def privileged_roles(tenant: Tenant) -> tuple[str, ...]:
    """The role template ids rules treat as privileged: the configured list (else the table), plus extensions."""
    base = tenant.privileged_roles_setting
    roles = tuple(PRIVILEGED_ROLES) if base is None else base
    return tuple(dict.fromkeys(role.strip().casefold() for role in (*roles, *tenant.extend_privileged_roles)))


def role_name(role: str) -> str:
    """The role's display name when a table knows it, else the id as written."""
    folded = role.strip().casefold()
    return PRIVILEGED_ROLES.get(folded) or ADMIN_POLICY_TEMPLATE_ROLES.get(folded, role)


class OpenSubject(NamedTuple):
    """Holders of one role left open: all of them (`kind` "role"), or a user or group member a policy names."""

    role: str
    kind: str  # "role", "user" or "group"
    principal: str  # the user or group as the policies write it; "" for kind "role"

    def describe(self) -> str:
        name = role_name(self.role)
        if self.kind == "user":
            return f"user {self.principal} holding role {name}"
        if self.kind == "group":
            return f"members of group {self.principal} holding role {name}"
        return f"holders of role {name}"


class RoleCoverage(NamedTuple):
    """The sign-ins of privileged role holders no covering policy reaches, and the holders they concern."""

    coverage: Coverage
    open_subjects: tuple[OpenSubject, ...]
    open_roles: tuple[str, ...]  # role ids, in the order asked


def _named_principals(evaluator: Evaluator) -> list[tuple[str, str, str]]:
    """(kind, value, sign-in field) of each user and group the policies name, computed references left out."""
    found: dict[tuple[str, str], tuple[str, str, str]] = {}
    for policy in evaluator.policies:
        for side in ("include", "exclude"):
            for kind, key in (("user", "Users"), ("group", "Groups")):
                values = policy.values(f"/conditions/users/{side}{key}")
                for value in sorted(values.known):
                    if value.casefold() not in _SPECIAL and not isinstance(value, Unresolved):
                        found.setdefault(
                            (kind, value.casefold()), (kind, value, "user" if kind == "user" else "groups")
                        )
    return list(found.values())


def _subjects(
    evaluator: Evaluator, roles: Sequence[str], exempt: Iterable[str]
) -> list[tuple[OpenSubject, dict[str, Any]]]:
    """(subject, sign-in fields): each role's holders, alone and as each user or group member the policies name.

    A role holder excluded from a policy by name or group is a sign-in the policy does not cover; emergency
    access accounts are not asked about.
    """
    skipped = {value.strip().casefold() for value in exempt}
    principals = [item for item in _named_principals(evaluator) if item[1].strip().casefold() not in skipped]
    found: list[tuple[OpenSubject, dict[str, Any]]] = []
    for role in roles:
        found.append((OpenSubject(role, "role", ""), {"roles": frozenset([role])}))
        for kind, value, field in principals:
            fields = {field: value if field == "user" else frozenset([value]), "roles": frozenset([role])}
            found.append((OpenSubject(role, kind, value), fields))
    return found


# Exclusions whose value a policy computes (`excluded_applications = var.x`): named, they would be a class of
# sign-in no policy covers, a gap that exists only if the value is not empty; the rules never guess one.
_COMPUTED_EXCLUSIONS = {
    "application": "/conditions/applications/excludeApplications",
    "platform": "/conditions/platforms/excludePlatforms",
    "location": "/conditions/locations/excludeLocations",
}


def _computed_exclusions(evaluator: Evaluator) -> dict[str, tuple[str, ...]]:
    """Per sign-in dimension, the computed values the policies exclude."""
    found: dict[str, tuple[str, ...]] = {}
    for dimension, pointer in _COMPUTED_EXCLUSIONS.items():
        values = {value for policy in evaluator.policies for value in policy.values(pointer).unresolved}
        if values:
            found[dimension] = tuple(sorted(values))
    return found


def privileged_coverage(
    evaluator: Evaluator,
    roles: Sequence[str],
    meets: Callable[[CompiledPolicy], bool | None],
    emergency_access: Iterable[str] = (),
    fixed: Mapping[str, Sequence[Any]] | None = None,
) -> RoleCoverage:
    """The sign-ins of the holders of `roles`, to any resource under any condition, no policy meeting `meets` covers.

    Only emergency access accounts may be excluded, and exclusions the files compute; a policy for all users
    covers role holders too.
    """
    from linter.policy.coverage import uncovered
    from linter.policy.sign_in_classes import BASE

    exempt = tuple(emergency_access)
    subjects = _subjects(evaluator, roles, exempt)
    coverage = uncovered(
        evaluator,
        meets,
        fixed=fixed,
        exempt={"users": exempt, **_computed_exclusions(evaluator)},
        subjects=[(subject.describe(), fields) for subject, fields in subjects],
    )
    if coverage.complete:
        return RoleCoverage(coverage, (), ())
    every = any(gap.unbounded[0] for gap in coverage.gaps)
    open_signatures = {(gap.atoms[0].true_bits, gap.atoms[0].maybe_bits) for gap in coverage.gaps}
    open_subjects: list[OpenSubject] = []
    open_roles: dict[str, None] = {}
    for subject, fields in subjects:
        true_bits, maybe_bits = evaluator.bits("users", BASE._replace(**fields))
        if every or (true_bits & coverage.cover, maybe_bits & coverage.cover) in open_signatures:
            open_subjects.append(subject)
            open_roles[subject.role] = None
    return RoleCoverage(coverage, tuple(open_subjects), tuple(open_roles))
