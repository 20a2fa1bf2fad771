"""CA016: one policy sets both user risk and sign-in risk levels."""

from __future__ import annotations

from collections.abc import Iterable

from linter.model import CONDITIONAL_ACCESS_POLICY, Document
from linter.policy.questions import is_enforced_or_report_only, policy_of
from linter.rule import DocumentRule, Level, Violation

USER_RISK = "/conditions/userRiskLevels"
SIGN_IN_RISK = "/conditions/signInRiskLevels"


class UserAndSignInRiskCombined(DocumentRule):
    """
    ## What it checks
    Conditional Access policies (enabled or report-only) that set both `userRiskLevels` and
    `signInRiskLevels`. A list the source computes (`var.levels`) is not known to be set, so it is
    not reported.

    ## Why it matters
    Conditions of one policy are AND-ed: the policy applies only to a sign-in that is risky *and*
    made by a user who is risky at the same time, which is rare. Users at high risk who sign in
    without a risky sign-in, and risky sign-ins by users without user risk, pass untouched.
    Microsoft's templates keep them in two policies; a password change (`passwordChange`) is only
    valid with user risk alone.

    ## Example
    ```json
    {"displayName": "Risky users and sign-ins", "state": "enabled",
     "conditions": {"userRiskLevels": ["high"], "signInRiskLevels": ["high", "medium"],
                    "users": {"includeUsers": ["All"]}, "applications": {"includeApplications": ["All"]}},
     "grantControls": {"operator": "OR", "builtInControls": ["mfa"]}}
    ```

    ## How to fix
    Split the policy in two: one with `"userRiskLevels": ["high"]` requiring `mfa` AND
    `passwordChange` (or risk remediation), one with `"signInRiskLevels": ["high", "medium"]`
    requiring `mfa`. In Terraform, `user_risk_levels` and `sign_in_risk_levels` in separate
    `azuread_conditional_access_policy` resources. Both need Microsoft Entra ID P2 licences.

    ## References
    - https://learn.microsoft.com/entra/identity/conditional-access/policy-risk-based-user
    - https://learn.microsoft.com/entra/identity/conditional-access/policy-risk-based-sign-in
    - https://learn.microsoft.com/entra/identity/conditional-access/concept-conditional-access-conditions
    """

    code = "CA016"
    name = "user-and-sign-in-risk-combined"
    summary = "One policy sets both user risk and sign-in risk, so it applies only when both are risky at once"
    level = Level.WARNING
    kinds = frozenset({CONDITIONAL_ACCESS_POLICY})
    tags = ("correctness", "identity-protection")

    def check(self, document: Document) -> Iterable[Violation]:
        if is_enforced_or_report_only(document) is False:
            return ()
        policy = policy_of(document)
        user_risk, sign_in_risk = policy.values(USER_RISK), policy.values(SIGN_IN_RISK)
        if not user_risk.known or not sign_in_risk.known:
            return ()
        return (
            self.violation(
                document,
                "The policy sets both userRiskLevels and signInRiskLevels: the conditions are AND-ed, so it applies "
                "only to a risky sign-in by a risky user at once. Split it into a user risk and a sign-in risk policy",
                SIGN_IN_RISK,
            ),
        )
