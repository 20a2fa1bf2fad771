"""CA014: users at high user risk are not made to remediate (or blocked)."""

from __future__ import annotations

from collections.abc import Iterator

from linter.model import Tenant
from linter.policy.context import GUEST_TYPES
from linter.rule import BenchmarkControl, Level, TenantRule, Violation

from ._coverage import still_open, tenant_coverage


class HighUserRiskNotRemediated(TenantRule):
    """
    ## What it checks
    Whether every sign-in of a user whose user risk is `high` is blocked, or must do a secure
    password change with MFA (`"operator": "AND", "builtInControls": ["mfa", "passwordChange"]`, or
    an authentication strength with `passwordChange`), or must remediate the risk (`riskRemediation`),
    on all resources, by the tenant's enabled policies together. A policy narrowed by platform,
    location, client app or sign-in risk covers only part of it; the rule names the classes left
    open. Only the emergency access accounts may be left out (the tenant's `emergency-access`, or
    the accounts entralint infers, see CA008); guests and external users are not asked about, as
    Identity Protection evaluates their risk in their home tenant and they cannot change their
    password in yours. Policies whose grant is computed count as covering.

    ## Why it matters
    High user risk means Identity Protection believes the account is compromised (leaked
    credentials, threat intelligence). Until the password is changed, the attacker who holds it
    keeps signing in; MFA alone does not evict them. Microsoft's template requires a password change
    with MFA, and sign-in frequency "every time", for all users at high user risk.
    Risk conditions need Microsoft Entra ID P2 licences for the users they protect; risk
    remediation and password change need self-service password reset (and password writeback for
    synchronized users).

    ## Example
    A user risk policy for one pilot group leaves everyone else unremediated:
    ```json
    {"displayName": "High user risk: password change", "state": "enabled",
     "conditions": {"userRiskLevels": ["high"], "users": {"includeGroups": ["<pilot group id>"]},
                    "applications": {"includeApplications": ["All"]}},
     "grantControls": {"operator": "AND", "builtInControls": ["mfa", "passwordChange"]}}
    ```

    ## How to fix
    One policy for all users: Graph JSON `"conditions": {"userRiskLevels": ["high"], "users":
    {"includeUsers": ["All"], "excludeUsers": ["<break-glass id>"]}, "applications":
    {"includeApplications": ["All"]}}`, `"grantControls": {"operator": "AND", "builtInControls":
    ["mfa", "passwordChange"]}`, `"sessionControls": {"signInFrequency": {"isEnabled": true,
    "frequencyInterval": "everyTime"}}`; in Terraform `user_risk_levels = ["high"]`,
    `built_in_controls = ["mfa", "passwordChange"]` with `operator = "AND"`. Start in report-only.

    ## References
    - https://learn.microsoft.com/entra/identity/conditional-access/policy-risk-based-user
    - https://learn.microsoft.com/graph/api/resources/conditionalaccessgrantcontrols
    - https://learn.microsoft.com/entra/id-protection/concept-identity-protection-b2b
    """

    code = "CA014"
    name = "high-user-risk-not-remediated"
    summary = "Users at high user risk are not blocked or made to change their password with MFA on all resources"
    level = Level.WARNING
    tags = ("security", "identity-protection")
    security_severity = 7.0
    benchmarks = (
        BenchmarkControl("cis-m365-v4", "5.2.2.6"),
        BenchmarkControl("cis-m365-v5", "5.2.2.6"),
        BenchmarkControl("maester", "MT.1013"),
        BenchmarkControl("prowler", "entra_conditional_access_policy_require_password_change_high_risk_users"),
    )

    def check(self, tenant: Tenant) -> Iterator[Violation]:
        # Imported here: runs that skip or ignore the tenant rules never need the evaluator.
        from linter.policy.strength import remediates_user_risk

        coverage = tenant_coverage(tenant, remediates_user_risk, {"userRisk": ("high",)}, exempt_users=GUEST_TYPES)
        if coverage is None or coverage.complete:
            return
        yield self.violation(
            tenant.anchor,
            f"Users at high user risk are not made to remediate it. No enabled policy of tenant {tenant.name!r} "
            "blocks them or requires a password change with MFA (or risk remediation) for all users and "
            f"all resources{still_open(coverage)}",
            key="userRisk:high",
        )
