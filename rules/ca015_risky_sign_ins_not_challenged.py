"""CA015: risky sign-ins are not blocked or challenged with MFA."""

from __future__ import annotations

from collections.abc import Iterator

from linter.model import Tenant
from linter.policy.context import GUEST_TYPES, RISK_LEVELS
from linter.rule import BenchmarkControl, Level, RuleOption, TenantRule, Violation

from ._coverage import still_open, tenant_coverage


class RiskySignInsNotChallenged(TenantRule):
    """
    ## What it checks
    Whether every sign-in at sign-in risk `high` and `medium` (the option `levels`) is blocked or
    requires MFA (or an authentication strength) on all resources, for all users, by the tenant's
    enabled policies together. A policy narrowed by platform, location, client app or user risk
    covers only part of it; the rule names the classes left open. Only the emergency access accounts
    may be left out (the tenant's `emergency-access`, or the accounts entralint infers, see CA008);
    guests and external users are not asked about, as Identity Protection evaluates their risk in
    their home tenant. Policies whose grant is computed count as covering.

    ## Why it matters
    A risky sign-in is one Identity Protection believes may not be the account's owner (an
    anonymous IP address, impossible travel, a password spray). Asking for a second factor stops an
    attacker holding only the password, and a successful MFA lets the user remediate the risk
    themselves. Risk conditions need Microsoft Entra ID P2 licences for the users they protect.

    ## Example
    A sign-in risk policy that lists only `high` leaves medium-risk sign-ins unchallenged:
    ```json
    {"displayName": "Risky sign-ins: MFA", "state": "enabled",
     "conditions": {"signInRiskLevels": ["high"], "users": {"includeUsers": ["All"]},
                    "applications": {"includeApplications": ["All"]}},
     "grantControls": {"operator": "OR", "builtInControls": ["mfa"]}}
    ```

    ## How to fix
    Graph JSON `"conditions": {"signInRiskLevels": ["high", "medium"], "users": {"includeUsers":
    ["All"], "excludeUsers": ["<break-glass id>"]}, "applications": {"includeApplications": ["All"]}}`,
    `"grantControls": {"operator": "OR", "builtInControls": ["mfa"]}` and a sign-in frequency of
    every time; in Terraform `sign_in_risk_levels = ["high", "medium"]`, `built_in_controls = ["mfa"]`.

    ## References
    - https://learn.microsoft.com/entra/identity/conditional-access/policy-risk-based-sign-in
    - https://learn.microsoft.com/entra/id-protection/concept-identity-protection-policies
    """

    code = "CA015"
    name = "risky-sign-ins-not-challenged"
    summary = "Sign-ins at high or medium sign-in risk are not blocked or challenged with MFA on all resources"
    level = Level.WARNING
    tags = ("security", "identity-protection")
    security_severity = 6.5
    benchmarks = (
        BenchmarkControl("cis-m365-v4", "5.2.2.7"),
        BenchmarkControl("cis-m365-v5", "5.2.2.7"),
        BenchmarkControl("maester", "MT.1012"),
    )
    options = (
        RuleOption(
            "levels",
            "string-list",
            ["high", "medium"],
            "the sign-in risk levels that must be blocked or challenged with MFA: `high`, `medium`, `low`",
        ),
    )

    def check(self, tenant: Tenant) -> Iterator[Violation]:
        # Imported here: runs that skip or ignore the tenant rules never need the evaluator.
        from linter.policy.strength import requires_mfa

        levels = [level for level in RISK_LEVELS if level in {str(item).casefold() for item in self.settings["levels"]}]
        if not levels:
            return
        coverage = tenant_coverage(tenant, requires_mfa, {"signInRisk": tuple(levels)}, exempt_users=GUEST_TYPES)
        if coverage is None or coverage.complete:
            return
        open_levels = [level for level in levels if coverage.leaves_open("signInRisk", sign_in_risk=level)]
        yield self.violation(
            tenant.anchor,
            f"Sign-ins at {' and '.join(reversed(open_levels or levels))} sign-in risk are not challenged. No "
            f"enabled policy of tenant {tenant.name!r} blocks them or requires MFA for all users and all "
            f"resources{still_open(coverage)}",
            key="signInRisk",
        )
