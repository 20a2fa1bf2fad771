"""CA001: no enabled policy blocks device code flow for everyone."""

from __future__ import annotations

from collections.abc import Iterator

from linter.model import Document, Tenant
from linter.policy.applicability import transfer_methods
from linter.policy.blocking import blocks_flow_everywhere
from linter.rule import Level, TenantRule, Violation


class DeviceCodeFlowNotBlocked(TenantRule):
    """
    ## What it checks
    Whether any enabled Conditional Access policy blocks the `deviceCodeFlow` authentication flow
    for all users (`includeUsers: ["All"]`) and all resources (`includeApplications: ["All"]`).
    Exclusions (break-glass accounts, the Device Registration Service, a kiosk group) are allowed;
    include lists on platforms or locations are not, and disabled or report-only policies do not
    count, nor does a policy that grants rather than blocks.

    ## Why it matters
    Device code flow lets a user sign in on one device by typing a code shown on another. Attackers
    send that code in phishing mail ("device code phishing"): the victim signs in, and the attacker's
    session receives the tokens, MFA included. Microsoft recommends blocking device code flow
    wherever it is not needed. A blocked sign-in fails with `AADSTS53003` (access blocked by
    Conditional Access).

    ## Example
    A tenant whose only device code policy is report-only:
    ```json
    {"displayName": "Block device code flow", "state": "enabledForReportingButNotEnforced",
     "conditions": {"users": {"includeUsers": ["All"]}, "applications": {"includeApplications": ["All"]},
                    "authenticationFlows": {"transferMethods": "deviceCodeFlow"}},
     "grantControls": {"operator": "OR", "builtInControls": ["block"]}}
    ```

    ## How to fix
    Add (or enable) one policy: Graph JSON `"conditions": {"authenticationFlows": {"transferMethods":
    "deviceCodeFlow"}, "users": {"includeUsers": ["All"], "excludeUsers": ["<break-glass id>"]},
    "applications": {"includeApplications": ["All"], "excludeApplications":
    ["01cb2876-7ebd-4aa4-9cc9-d28bd4d359a9"]}}` with `"grantControls": {"builtInControls": ["block"]}`;
    in Terraform, `authentication_flow_transfer_methods = ["deviceCodeFlow"]` inside `conditions`
    and `built_in_controls = ["block"]`. Start in report-only, read the sign-in logs, then enable it.

    ## References
    - https://learn.microsoft.com/entra/identity/conditional-access/concept-authentication-flows
    - https://learn.microsoft.com/entra/identity/conditional-access/policy-block-authentication-flows
    """

    code = "CA001"
    name = "device-code-flow-not-blocked"
    summary = "No enabled policy blocks device code flow for all users and resources"
    level = Level.WARNING
    tags = ("security", "authentication-flows")
    security_severity = 6.5
    method = "deviceCodeFlow"

    def check(self, tenant: Tenant) -> Iterator[Violation]:
        policies = tenant.conditional_access_policies
        if not policies:
            return
        answers = [blocks_flow_everywhere(policy, self.method) for policy in policies]
        if any(answer is not False for answer in answers):
            return
        # Point at the policy closest to doing the job: one that already names the flow.
        candidates = [policy for policy in policies if self.method in (transfer_methods(policy) or ())]
        anchor: Document | str = candidates[0] if candidates else tenant.anchor
        pointer = "/conditions/authenticationFlows/transferMethods" if candidates else ""
        yield self.violation(
            anchor,
            f"no enabled policy of tenant {tenant.name!r} blocks {self.method} for all users and all resources",
            pointer,
        )
