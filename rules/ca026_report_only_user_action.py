"""CA026: a report-only policy targets a user action, which report-only mode does not evaluate."""

from __future__ import annotations

from collections.abc import Iterable

from linter.model import CONDITIONAL_ACCESS_POLICY, Document
from linter.policy.questions import REPORT_ONLY, policy_of
from linter.rule import DocumentRule, Level, Violation

USER_ACTIONS = "/conditions/applications/includeUserActions"


class ReportOnlyUserAction(DocumentRule):
    """
    ## What it checks
    A Conditional Access policy in report-only mode (`"state": "enabledForReportingButNotEnforced"`)
    whose target resources are user actions (`includeUserActions`: `urn:user:registersecurityinfo`,
    `urn:user:registerdevice`).

    ## Why it matters
    Microsoft evaluates report-only policies except for items in the "User actions" scope: such a
    policy is neither enforced nor evaluated, so the sign-in logs never show what it would have done.
    A team waiting for report-only results before enabling it waits forever, and the registration
    of security information or devices stays unprotected meanwhile.

    ## Example
    ```json
    {"displayName": "MFA to register security info", "state": "enabledForReportingButNotEnforced",
     "conditions": {"users": {"includeUsers": ["All"]},
                    "applications": {"includeUserActions": ["urn:user:registersecurityinfo"]}},
     "grantControls": {"operator": "OR", "builtInControls": ["mfa"]}}
    ```

    ## How to fix
    Test the policy with the What If tool (or `entralint whatif`) and a pilot group, then enable it:
    `"state": "enabled"` (Terraform `state = "enabled"`, Microsoft365DSC `State = 'enabled'`) with
    `includeUsers` or `includeGroups` naming the pilot, widening it afterwards. Conditional Access
    needs Microsoft Entra ID P1.

    ## References
    - https://learn.microsoft.com/entra/identity/conditional-access/concept-conditional-access-report-only
    - https://learn.microsoft.com/entra/identity/conditional-access/concept-conditional-access-cloud-apps
    """

    code = "CA026"
    name = "report-only-user-action"
    summary = "A report-only policy targets a user action: report-only mode does not evaluate user actions"
    level = Level.NOTE
    kinds = frozenset({CONDITIONAL_ACCESS_POLICY})
    tags = ("report-only", "user-actions")

    def check(self, document: Document) -> Iterable[Violation]:
        policy = policy_of(document)
        if policy.state != REPORT_ONLY or not policy.values(USER_ACTIONS).known - {"none"}:
            return ()
        return (
            self.violation(
                document,
                f"Policy {document.name!r} is report-only on a user action, so it reports nothing. Report-only "
                "mode does not evaluate policies that target user actions; test it with What If and enable it "
                "for a pilot group instead",
                "/state",
            ),
        )
