"""CA004: a policy that blocks an authentication flow is disabled or report-only."""

from __future__ import annotations

from collections.abc import Iterable

from linter.model import CONDITIONAL_ACCESS_POLICY, Document
from linter.policy.compiled import state
from linter.policy.context import TRANSFER_METHODS
from linter.policy.questions import blocks, transfer_methods
from linter.rule import DocumentRule, Level, Violation

_METHOD_NAMES = {method.casefold(): method for method in TRANSFER_METHODS}
_STATES = {
    "disabled": "is disabled, so it blocks nothing and logs nothing",
    "enabledForReportingButNotEnforced": "is report-only (enabledForReportingButNotEnforced), so it only logs",
}


class AuthenticationFlowPolicyNotEnforced(DocumentRule):
    """
    ## What it checks
    A Conditional Access policy that blocks an authentication flow (`deviceCodeFlow` or
    `authenticationTransfer` in `conditions.authenticationFlows.transferMethods` with grant `block`)
    but whose `state` is `disabled` or `enabledForReportingButNotEnforced`.

    ## Why it matters
    Such a policy protects nothing: device code phishing and authentication transfer keep working.
    Report-only is the right first step, though, because a block also applies to protocol-tracked
    sessions and can stop legitimate users (conference room devices, device registration) with
    `AADSTS53003` (access blocked by Conditional Access): run it in report-only, read the sign-in
    logs (authentication protocol "Device code"), then enforce it.

    ## Example
    ```json
    {"displayName": "Block device code flow", "state": "disabled",
     "conditions": {"authenticationFlows": {"transferMethods": "deviceCodeFlow"},
                    "users": {"includeUsers": ["All"]}, "applications": {"includeApplications": ["All"]}},
     "grantControls": {"operator": "OR", "builtInControls": ["block"]}}
    ```

    ## How to fix
    After reviewing the report-only results, set Graph JSON `"state": "enabled"` (Terraform
    `state = "enabled"` on the `azuread_conditional_access_policy`). A disabled policy should first
    go to `"enabledForReportingButNotEnforced"`.

    ## References
    - https://learn.microsoft.com/entra/identity/conditional-access/concept-authentication-flows
    - https://learn.microsoft.com/entra/identity/conditional-access/concept-conditional-access-report-only
    """

    code = "CA004"
    name = "authentication-flow-policy-not-enforced"
    summary = "A policy that blocks an authentication flow is disabled or report-only"
    level = Level.NOTE
    kinds = frozenset({CONDITIONAL_ACCESS_POLICY})
    tags = ("authentication-flows",)

    def check(self, document: Document) -> Iterable[Violation]:
        current = state(document)
        if current not in _STATES:
            return ()
        flows = transfer_methods(document)
        if not flows:  # the usual policy: no authentication flows condition, no set arithmetic
            return ()
        methods = sorted(_METHOD_NAMES.get(method, method) for method in flows - {"none"})
        if not methods or blocks(document) is not True:
            return ()
        next_step = (
            "Report-only is the right first step: read its sign-in log results, then set state to enabled"
            if current == "enabledForReportingButNotEnforced"
            else "Set it to report-only first (the right first step), read the sign-in logs, then enable it"
        )
        return (
            self.violation(
                document,
                f"Policy {document.name!r} blocks {' and '.join(methods)} but {_STATES[current]}. {next_step}",
                "/state",
            ),
        )
