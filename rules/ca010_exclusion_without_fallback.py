"""CA010: an excluded user, group or role is not covered by another policy with an equal or stronger control."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from linter.model import Tenant
from linter.policy.combine import implies, requirement
from linter.rule import Level, RuleOption, TenantRule, Violation

if TYPE_CHECKING:
    from linter.policy.compiled import CompiledPolicy

DIRECTORY_SYNCHRONIZATION_ACCOUNTS = "d29b2b05-8046-44ba-8758-1e26182fcf32"
OTHER_DIMENSIONS = ("application", "clientApp", "platform", "location", "signInRisk", "userRisk", "authenticationFlow")
PRINCIPALS = (
    ("excludeUsers", "user", "user"),
    ("excludeGroups", "group", "groups"),
    ("excludeRoles", "role", "roles"),
)


def _excluded(policy: CompiledPolicy) -> Iterator[tuple[str, str, str, dict[str, Any]]]:
    """(pointer, kind, value, sign-in fields) for each excluded principal."""
    for key, kind, field in PRINCIPALS:
        raw = policy.document.get(f"/conditions/users/{key}")
        items = [raw] if isinstance(raw, str) else raw if isinstance(raw, list) else []
        for index, value in enumerate(items):
            if not isinstance(value, str) or value.casefold() == "guestsorexternalusers":
                continue
            fields: dict[str, Any] = {field: value if field == "user" else frozenset([value])}
            yield f"/conditions/users/{key}/{index}", kind, value, fields


class ExclusionWithoutFallback(TenantRule):
    """
    ## What it checks
    For every user, group and role excluded from an enabled policy that requires something (a block
    or grant controls): whether other enabled policies still require an equal or stronger control of
    it for every resource and condition the policy covers. The accounts in option `emergency-access`
    (the same ids as CA008's) and the Directory Synchronization Accounts role
    (`d29b2b05-8046-44ba-8758-1e26182fcf32`) are exempt: they are meant to be excluded. A fallback
    that applies depending on unresolved values counts, so the rule never guesses.

    ## Why it matters
    Exclusions are added for a migration, a vendor, a broken device, and stay. An excluded group
    with no fallback policy signs in with a password only (or without the device check), and nobody
    notices because each policy looks right on its own.

    ## Example
    ```json
    {"displayName": "MFA for everyone", "state": "enabled",
     "conditions": {"users": {"includeUsers": ["All"], "excludeGroups": ["<migration group>"]},
                    "applications": {"includeApplications": ["All"]}},
     "grantControls": {"operator": "OR", "builtInControls": ["mfa"]}}
    ```

    ## How to fix
    Remove the exclusion when it is no longer needed, or add a policy for the excluded group with an
    equal or stronger control (`includeGroups: ["<group>"]` in Graph, `included_groups` in
    Terraform), e.g. MFA from trusted locations only. List break-glass accounts in option
    `emergency-access`.

    ## References
    - https://learn.microsoft.com/entra/identity/conditional-access/plan-conditional-access
    - https://learn.microsoft.com/entra/identity/role-based-access-control/security-emergency-access
    """

    code = "CA010"
    name = "exclusion-without-fallback"
    summary = "A user, group or role excluded from a policy is not covered by an equal or stronger policy"
    level = Level.WARNING
    tags = ("security", "exclusions")
    options = (
        RuleOption(
            "emergency-access",
            "string-list",
            [],
            "object ids or Terraform references of the emergency access accounts or their group (exempt)",
        ),
    )

    def check(self, tenant: Tenant) -> Iterator[Violation]:
        # Imported here: runs that skip or ignore the tenant rules (a fleet linted as one "tenant") never need them.
        from linter.policy.context import SignInContext
        from linter.policy.evaluate import Evaluator, bits_of
        from linter.policy.sign_in_classes import atoms, gaps

        evaluator = Evaluator(tenant.documents)
        exempt = {value.casefold() for value in self.settings["emergency-access"]}
        exempt.add(DIRECTORY_SYNCHRONIZATION_ACCOUNTS)
        enforced = evaluator.enabled | evaluator.state_unknown
        for policy in evaluator.policies:
            grant = requirement(policy)
            if policy.state != "enabled" or not (grant.blocks or grant.controls):
                continue
            own = 1 << policy.index
            stronger = (
                enforced
                & ~own
                & bits_of(other.index for other in evaluator.policies if implies(requirement(other), grant))
            )
            dimensions = [
                [atom for atom in atoms(evaluator, name, stronger | own) if atom.maybe_bits & own]
                for name in OTHER_DIMENSIONS
            ]
            for pointer, kind, value, fields in _excluded(policy):
                if value.casefold() in exempt:
                    continue
                who = evaluator.dimension("users", SignInContext()._replace(**fields))
                found = gaps(dimensions, stronger & who.maybe_bits)
                if not found:
                    continue
                first = ", ".join(
                    atom.label
                    for atom, options in zip(found[0], dimensions, strict=True)
                    if atom is not None and len(options) > 1
                )
                yield self.violation(
                    policy.document,
                    f"{kind} {value} is excluded from {policy.name!r} and no other enabled policy requires "
                    f"{grant.describe()} (or stronger) of it for {first or 'everything the policy covers'}",
                    pointer,
                )
