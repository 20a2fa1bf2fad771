"""CA011: classes of sign-in for which no enabled policy requires MFA or blocks."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from linter.model import Tenant
from linter.rule import Level, RuleOption, TenantRule, Violation

DIMENSIONS = (
    "users",
    "application",
    "clientApp",
    "platform",
    "location",
    "signInRisk",
    "userRisk",
    "authenticationFlow",
)
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
    precision = "medium"
    options = (
        RuleOption(
            "emergency-access",
            "string-list",
            [],
            "object ids or Terraform references of the emergency access accounts or their group: their gaps are "
            "deliberate and not reported",
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
        exempt = {value.casefold() for value in self.settings["emergency-access"]}
        cover = strong_bits(evaluator)
        dimensions = [atoms(evaluator, name, cover) for name in DIMENSIONS]
        # One finding per who x what: the condition combinations are detail, listed by count and example.
        grouped: dict[tuple[str, str], list[list[str]]] = {}
        for box in gaps(dimensions, cover):
            if box[0] is not None and _names_exempt(box[0].fields, exempt):
                continue
            users = box[0].label if box[0] is not None else "all users"
            resource = box[1].label if box[1] is not None else "all resources"
            grouped.setdefault((users, resource), []).append([atom.label for atom in box[2:] if atom is not None])
        for (users, resource), combinations in grouped.items():
            example = ", ".join(combinations[0])
            detail = (
                f" in {len(combinations)} combinations of conditions, for example ({example})"
                if len(combinations) > 1
                else (f" ({example})" if example else "")
            )
            yield Violation(
                self.code,
                f"{users} signing in to {resource}{detail}: no enabled policy requires MFA, "
                "an authentication strength or a block",
                tenant.anchor,
                identity=f"{users}|{resource}",
            )


def _names_exempt(fields: tuple[tuple[str, Any], ...], exempt: set[str]) -> bool:
    for _, value in fields:
        values = value if isinstance(value, frozenset) else {value}
        if any(isinstance(item, str) and item.casefold() in exempt for item in values):
            return True
    return False
