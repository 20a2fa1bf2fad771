"""CA003: no enabled policy blocks authentication transfer for everyone."""

from __future__ import annotations

from linter.rule import BenchmarkControl, Level

from .ca001_device_code_flow_not_blocked import DeviceCodeFlowNotBlocked


class AuthenticationTransferNotBlocked(DeviceCodeFlowNotBlocked):
    """
    ## What it checks
    Whether any enabled Conditional Access policy blocks the `authenticationTransfer`
    authentication flow for all users (`includeUsers: ["All"]`) and all resources
    (`includeApplications: ["All"]`). Exclusions are allowed; include lists on platforms or
    locations, risk conditions, disabled or report-only policies and policies that grant rather
    than block do not count. When a report-only or disabled policy would close the gap if it were
    on, the finding says so instead, at that policy's `state`.

    ## Why it matters
    Authentication transfer moves a signed-in session from one device to another, for example by
    scanning a QR code shown in desktop Outlook with a phone. Whoever scans the code receives the
    session, so a user tricked into showing (or a shoulder-surfer photographing) the code hands over
    their authenticated state without a new MFA prompt. Microsoft recommends blocking the flow where
    it is not needed. Once blocked, a transfer attempt fails with `AADSTS53003` (access blocked by
    Conditional Access).

    ## Example
    A tenant whose only authentication transfer policy is disabled:
    ```json
    {"displayName": "Block authentication transfer", "state": "disabled",
     "conditions": {"users": {"includeUsers": ["All"]}, "applications": {"includeApplications": ["All"]},
                    "authenticationFlows": {"transferMethods": "authenticationTransfer"}},
     "grantControls": {"operator": "OR", "builtInControls": ["block"]}}
    ```

    ## How to fix
    Add (or enable) one policy: Graph JSON `"conditions": {"authenticationFlows": {"transferMethods":
    "authenticationTransfer"}, "users": {"includeUsers": ["All"], "excludeUsers": ["<break-glass id>"]},
    "applications": {"includeApplications": ["All"]}}` with `"grantControls": {"builtInControls":
    ["block"]}`; in Terraform, `authentication_flow_transfer_methods = ["authenticationTransfer"]`
    inside `conditions` and `built_in_controls = ["block"]`. One policy may block both flows
    (`"transferMethods": "deviceCodeFlow,authenticationTransfer"`). `entralint check --fix
    --unsafe-fixes` writes such a policy as a new report-only file of the tenant, excluding the
    emergency access accounts; read its report-only results in the sign-in logs, then turn it on.

    ## References
    - https://learn.microsoft.com/entra/identity/conditional-access/concept-authentication-flows
    - https://learn.microsoft.com/entra/identity/conditional-access/policy-block-authentication-flows
    """

    code = "CA003"
    name = "authentication-transfer-not-blocked"
    summary = "No enabled policy blocks authentication transfer for all users and resources"
    level = Level.NOTE
    tags = ("security", "authentication-flows")
    benchmarks = (
        BenchmarkControl("cis-m365-v7", "5.2.2.17"),
        BenchmarkControl("prowler", "entra_conditional_access_policy_authentication_transfer_blocked"),
        BenchmarkControl("zero-trust", "21828"),
    )
    security_severity = 4.0
    method = "authenticationTransfer"
    new_policy_place = 2
