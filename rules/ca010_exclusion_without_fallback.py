"""CA010: an excluded user, group or role is not covered by another policy with an equal or stronger control."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from linter.model import Tenant
from linter.policy.combine import Requirement, implies, requirement
from linter.policy.emergency import emergency_access
from linter.rule import BenchmarkControl, Level, RuleOption, TenantRule, Violation

if TYPE_CHECKING:
    from linter.policy.compiled import CompiledPolicy
    from linter.policy.context import SignInContext
    from linter.policy.evaluate import Evaluator
    from linter.policy.sign_in_classes import Atom

DIRECTORY_SYNCHRONIZATION_ACCOUNTS = "d29b2b05-8046-44ba-8758-1e26182fcf32"
OTHER_DIMENSIONS = ("application", "clientApp", "platform", "location", "signInRisk", "userRisk", "authenticationFlow")
PRINCIPALS = (
    ("excludeUsers", "user", "user"),
    ("excludeGroups", "group", "groups"),
    ("excludeRoles", "role", "roles"),
)
# What makes a sign-in carved out of a block still a protected one: a second factor or a managed device.
PROTECTIVE_CONTROLS = ("mfa", "compliantDevice", "domainJoinedDevice")
# Resources that are not applications: a policy on them is checked where it applies, like any other.
RESOURCE_TARGETS = (
    ("/conditions/applications/includeUserActions", "user action"),
    ("/conditions/applications/includeAuthenticationContextClassReferences", "authentication context"),
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


def _also_included(signer: SignInContext, excluded: SignInContext) -> str:
    """How the signer the gap was found for differs from the excluded principal alone: the policy's own
    inclusions it must also be in for the exclusion to take anything out."""
    also = [f"user {signer.user}"] if signer.user != excluded.user else []
    also += [f"a member of group {group}" for group in sorted(signer.groups - excluded.groups)]
    also += [f"a holder of role {role}" for role in sorted(signer.roles - excluded.roles)]
    also += [f"a guest or external user ({signer.guest_type})"] if signer.guest_type != excluded.guest_type else []
    return f", as {' and '.join(also)}" if also else ""


def _protective(grant: Requirement) -> bool:
    """A block, or a grant whose every alternative asks for MFA, an authentication strength or a managed device."""
    return grant.blocks or (
        bool(grant.controls)
        and all(
            any(control in PROTECTIVE_CONTROLS or control.startswith("authenticationStrength") for control in way)
            for way in grant.alternatives
        )
    )


def _resource_atoms(evaluator: Evaluator, policy: CompiledPolicy, mask: int) -> list[Atom]:
    """The policy's user actions and authentication contexts as classes of the resource a sign-in is for."""
    from linter.policy.sign_in_classes import BASE, Atom

    found = []
    for pointer, label in RESOURCE_TARGETS:
        values = policy.values(pointer)
        for target in sorted(values.known) + list(values.unresolved):
            bits = evaluator.dimension("application", BASE._replace(target=target))
            fields = (("target", target),)
            found.append(
                Atom("application", f"{label} {target}", fields, bits.true_bits & mask, bits.maybe_bits & mask)
            )
    return found


class ExclusionWithoutFallback(TenantRule):
    """
    ## What it checks
    For every user, group and role excluded from an enabled policy that requires something, whether
    other enabled policies still protect it wherever the policy would have applied (every resource,
    user action, authentication context and condition the policy covers):

    - **Grant policy** (MFA, an authentication strength, a compliant device, terms of use, ...): an
      excluded subject needs another enabled policy requiring an equal or stronger control there
      (a block is stronger than anything). Without one: a warning.
    - **Block policy**: an exclusion from a block is a carve-out, made on purpose (the one team
      that still needs ActiveSync, the country a subsidiary works from). Its fallback is any
      enabled policy requiring MFA, an authentication strength or a managed device (compliant or
      hybrid-joined) there, or a block. Without one: a note, not a warning, since asking for a
      block would undo the carve-out.

    Policies on user actions (`urn:user:registersecurityinfo`) and authentication contexts are
    checked like the rest, where they apply.

    Emergency access accounts are never reported: Microsoft's guidance is to exclude them from
    every policy. They are the tenant's `emergency-access` (option `emergency-access` of this rule
    overrides it), or, when none is configured, the accounts entralint infers (see CA008: excluded
    from at least 3 and 80% of the enabled policies for users, or included only by break-glass
    policies; announced once as a note). The Directory Synchronization Accounts role
    (`d29b2b05-8046-44ba-8758-1e26182fcf32`) is exempt too. A fallback that applies depending on
    unresolved values counts, so the rule never guesses.

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
    Terraform), e.g. MFA from trusted locations only; for a carve-out from a block, a policy
    requiring MFA or a compliant device of the group. List break-glass accounts in
    `emergency-access` (configuration).

    ## References
    - https://learn.microsoft.com/entra/identity/conditional-access/plan-conditional-access
    - https://learn.microsoft.com/entra/identity/role-based-access-control/security-emergency-access
    """

    code = "CA010"
    name = "exclusion-without-fallback"
    summary = "A user, group or role excluded from a policy is not covered by an equal or stronger policy"
    level = Level.WARNING
    tags = ("security", "exclusions")
    benchmarks = (
        BenchmarkControl("maester", "MT.1036"),
        BenchmarkControl("prowler", "entra_conditional_access_policy_no_exclusion_gaps"),
    )
    options = (
        RuleOption(
            "emergency-access",
            "string-list",
            [],
            "object ids or Terraform references of the emergency access accounts or their group (exempt); "
            "overrides the `emergency-access` setting of the tenant and the accounts inferred",
        ),
    )

    def check(self, tenant: Tenant) -> Iterator[Violation]:
        # Imported here: runs that skip or ignore the tenant rules (a fleet linted as one "tenant") never need them.
        from linter.policy.conditions import carved_out
        from linter.policy.context import SignInContext
        from linter.policy.evaluate import Evaluator, bits_of
        from linter.policy.sign_in_classes import atoms, gaps

        evaluator = Evaluator(tenant.documents)
        access = emergency_access(tenant, self.settings["emergency-access"])
        enforced = evaluator.enabled | evaluator.state_unknown
        protective = bits_of(other.index for other in evaluator.policies if _protective(requirement(other)))
        for policy in evaluator.policies:
            grant = requirement(policy)
            if policy.state != "enabled" or not (grant.blocks or grant.controls):
                continue
            own = 1 << policy.index
            if grant.blocks:
                fallback = protective
            else:
                fallback = bits_of(other.index for other in evaluator.policies if implies(requirement(other), grant))
            fallback &= enforced & ~own
            dimensions = [
                [atom for atom in atoms(evaluator, name, fallback | own) if atom.maybe_bits & own]
                for name in OTHER_DIMENSIONS
            ]
            dimensions[0] += _resource_atoms(evaluator, policy, fallback | own)
            for pointer, kind, value, fields in _excluded(policy):
                if access.exempts(value) or value.casefold() == DIRECTORY_SYNCHRONIZATION_ACCOUNTS:
                    continue
                excluded = SignInContext()._replace(**fields)
                for signer in carved_out(policy, excluded):
                    if DIRECTORY_SYNCHRONIZATION_ACCOUNTS in signer.roles:
                        continue  # the sync accounts cannot answer MFA: Microsoft says to exclude them
                    who = evaluator.dimension("users", signer)
                    found = gaps(dimensions, fallback & who.maybe_bits)
                    if found:
                        break
                else:
                    continue
                where = ", ".join(
                    atom.label
                    for atom, options in zip(found[0], dimensions, strict=True)
                    if atom is not None and len(options) > 1
                )
                where = where or "everything the policy covers"
                where += _also_included(signer, excluded)
                if grant.blocks:
                    message = (
                        f"{kind.capitalize()} {value}, carved out of block {policy.name!r}, has no other protection. "
                        f"No other enabled policy requires MFA, an authentication strength or a managed device of "
                        f"it for {where}"
                    )
                else:
                    message = (
                        f"{kind.capitalize()} {value}, excluded from {policy.name!r}, has no fallback. No other "
                        f"enabled policy requires {grant.describe()} (or stronger) of it for {where}"
                    )
                yield self.violation(
                    policy.document,
                    message,
                    pointer,
                    key=f"{policy.document.identity}\x1f{kind}\x1f{value.casefold()}",
                    level=Level.NOTE if grant.blocks else None,
                )
