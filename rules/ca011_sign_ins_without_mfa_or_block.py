"""CA011: classes of sign-in for which no enabled policy requires MFA or blocks."""

from __future__ import annotations

from collections.abc import Iterator

from linter.model import Tenant
from linter.rule import Level, TenantRule, Violation
from linter.whatif.classes import atoms, gaps
from linter.whatif.evaluate import Evaluator
from linter.whatif.strength import strong_bits

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

    def check(self, tenant: Tenant) -> Iterator[Violation]:
        evaluator = Evaluator(tenant.documents)
        if not evaluator.policies:
            return
        cover = strong_bits(evaluator)
        dimensions = [atoms(evaluator, name, cover) for name in DIMENSIONS]
        for box in gaps(dimensions, cover):
            users = box[0].label if box[0] is not None else "all users"
            resource = box[1].label if box[1] is not None else "all resources"
            conditions = [atom.label for atom in box[2:] if atom is not None]
            where = f" ({', '.join(conditions)})" if conditions else ""
            yield Violation(
                self.code,
                f"{users} signing in to {resource}{where}: no enabled policy requires MFA, "
                "an authentication strength or a block",
                tenant.anchor,
                identity="|".join(atom.label if atom is not None else "*" for atom in box),
            )
