"""CA011: classes of sign-in for which no enabled policy requires MFA or blocks."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from linter.model import Tenant
from linter.policy.context import DIMENSIONS
from linter.policy.emergency import EmergencyAccess, emergency_access
from linter.rule import BenchmarkControl, Level, RuleOption, TenantRule, Violation

MAX_LISTED = 5  # resources listed in one finding; the rest are counted
ANY = {
    "clientApp": "any client app",
    "platform": "any platform",
    "location": "any location",
    "signInRisk": "any sign-in risk",
    "userRisk": "any user risk",
    "authenticationFlow": "any authentication flow",
}


class SignInsWithoutMfaOrBlock(TenantRule):
    """
    ## What it checks
    Gap analysis over the tenant's Conditional Access policies: the classes of sign-in (users ×
    resources × client app × platform × location × risk × authentication flow, as told apart by
    the tenant's own policies) for which no enabled policy requires MFA, an authentication
    strength, or blocks. A class is one representative per user, group, role, guest type, app,
    named location, platform and risk level the policies name, plus "everything else"; classes no
    policy tells apart are merged, so the analysis is deterministic and bounded. A policy counts when
    every way to satisfy its grant includes MFA or an authentication strength (`mfa OR
    compliantDevice` does not). Policies that apply only to some devices (device filters) or depend
    on unresolved values count as covering, so the rule never guesses a gap.

    One finding per class of users (a user, a group, a role, guests, "all other users"), listing
    the resources they reach without MFA and under which conditions. Emergency access accounts
    are not reported: their gaps are deliberate. They are the tenant's `emergency-access` (this
    rule's option `emergency-access` overrides it) or, when none is configured, the accounts
    entralint infers (see CA008).

    ## Why it matters
    A sign-in no policy asks for a second factor is a password-only sign-in: one phished or sprayed
    password is enough. Gaps hide in exclusions and narrow include lists (a platform or location
    nobody listed, guests, a group excluded for a migration and never put back).

    ## Example
    An MFA policy for Exchange and SharePoint only leaves every other resource password-only:
    ```json
    {"displayName": "MFA for mail", "state": "enabled",
     "conditions": {"users": {"includeUsers": ["All"]}, "clientAppTypes": ["all"],
                    "applications": {"includeApplications": ["00000002-0000-0ff1-ce00-000000000000"]}},
     "grantControls": {"operator": "OR", "builtInControls": ["mfa"]}}
    ```

    ## How to fix
    Add a baseline policy: Graph JSON `"users": {"includeUsers": ["All"], "excludeUsers":
    ["<break-glass id>"]}`, `"applications": {"includeApplications": ["All"]}`, `"grantControls":
    {"operator": "OR", "builtInControls": ["mfa"]}`; in Terraform `included_users = ["All"]`,
    `included_applications = ["All"]`, `built_in_controls = ["mfa"]`. Or close the gap the finding
    names (remove the exclusion, widen the include list). `entralint whatif` shows what applies to
    one sign-in of the class.

    ## References
    - https://learn.microsoft.com/entra/identity/conditional-access/policy-all-users-mfa-strength
    - https://learn.microsoft.com/entra/identity/conditional-access/plan-conditional-access
    """

    code = "CA011"
    name = "sign-ins-without-mfa-or-block"
    summary = "Classes of sign-in for which no enabled policy requires MFA, an authentication strength or a block"
    level = Level.NOTE
    tags = ("security", "gap-analysis")
    benchmarks = (
        BenchmarkControl("cis-m365-v4", "5.2.2.2"),
        BenchmarkControl("cis-m365-v5", "5.2.2.2"),
        BenchmarkControl("cis-m365-v6", "5.2.2.2"),
        BenchmarkControl("cis-m365-v7", "5.2.2.2"),
        BenchmarkControl("scubagear", "MS.AAD.3.2v2"),
        BenchmarkControl("maester", "MT.1007"),
        BenchmarkControl("prowler", "entra_users_mfa_enabled"),
    )
    precision = "medium"
    options = (
        RuleOption(
            "emergency-access",
            "string-list",
            [],
            "object ids or Terraform references of the emergency access accounts or their group: their gaps are "
            "deliberate and not reported; overrides the `emergency-access` setting of the tenant and the accounts "
            "inferred",
        ),
    )

    def check(self, tenant: Tenant) -> Iterator[Violation]:
        # Imported here: runs that skip or ignore the tenant rules (a fleet linted as one "tenant") never need them.
        from linter.policy.evaluate import Evaluator
        from linter.policy.sign_in_classes import atoms, gaps
        from linter.policy.strength import strong_bits

        evaluator = Evaluator(tenant.documents)
        if not evaluator.policies:
            return
        access = emergency_access(tenant, self.settings["emergency-access"])
        cover = strong_bits(evaluator)
        dimensions = [atoms(evaluator, name, cover) for name in DIMENSIONS]
        # One finding per class of users: what they reach without MFA is its detail, resource by resource.
        grouped: dict[str, dict[str, list[list[str]]]] = {}
        for box in gaps(dimensions, cover):
            if box[0] is not None and _names_exempt(box[0].fields, access):
                continue
            users = box[0].label if box[0] is not None else "all users"
            resource = box[1].label if box[1] is not None else "all resources"
            conditions = [atom.label for atom in box[2:] if atom is not None]
            grouped.setdefault(users, {}).setdefault(resource, []).append(conditions)
        for users, resources in grouped.items():
            uncovered = [_uncovered(resource, combinations) for resource, combinations in resources.items()]
            shown = "; ".join(uncovered[:MAX_LISTED])
            more = f"; and {len(uncovered) - MAX_LISTED} more" if len(uncovered) > MAX_LISTED else ""
            yield self.violation(
                tenant.anchor,
                f"{users[:1].upper()}{users[1:]} can sign in without MFA. No enabled policy requires MFA, an "
                f"authentication strength or a block for: {shown}{more}",
                key=users,
            )


def _uncovered(resource: str, combinations: list[list[str]]) -> str:
    """A resource and the conditions under which it is reached without MFA, with one example when there are many."""
    example = ", ".join(combinations[0])
    if len(combinations) > 1:
        return f"{resource} (in {len(combinations)} combinations of conditions, for example {example})"
    return f"{resource} ({example})" if example else resource


def _names_exempt(fields: tuple[tuple[str, Any], ...], access: EmergencyAccess) -> bool:
    for _, value in fields:
        values = value if isinstance(value, frozenset) else {value}
        if any(isinstance(item, str) and access.exempts(item) for item in values):
            return True
    return False
