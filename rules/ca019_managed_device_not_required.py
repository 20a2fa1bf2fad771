"""CA019: no enabled policy requires a managed device for all users on all resources."""

from __future__ import annotations

from collections.abc import Iterator

from linter.model import Tenant
from linter.policy.emergency import emergency_access
from linter.rule import BenchmarkControl, Level, TenantRule, Violation

from .ca001_device_code_flow_not_blocked import open_classes


class ManagedDeviceNotRequired(TenantRule):
    """
    ## What it checks
    Whether the tenant's enabled Conditional Access policies require a managed device, a device
    marked compliant (`compliantDevice`) or Microsoft Entra hybrid joined (`domainJoinedDevice`),
    alone or OR-ed with each other, for every sign-in of all users to all resources. Several
    policies may share the job (compliant devices on Windows and macOS, a block of the other
    platforms): the rule asks whether every sign-in the tenant's policies tell apart is blocked or
    needs a managed device, and names the classes left open. A grant that a password and MFA alone
    satisfy (`mfa OR compliantDevice`) does not count, nor do report-only or disabled policies.
    Only the emergency access accounts may be left out: the tenant's `emergency-access`, or the
    accounts entralint infers (see CA008); excluded guests and external users are named as open,
    since Microsoft's template includes all users. A computed value (`var.x`) counts as requiring it.

    ## Why it matters
    A managed device is one the organisation enrolled and checks: patched, encrypted, with endpoint
    protection. Requiring it means a stolen password, and even a phished MFA session, cannot be
    used from the attacker's own machine. It is the device half of Zero Trust, and the CIS
    benchmark's "managed device required for authentication" control.

    ## Example
    A tenant whose compliant-device policy covers Windows only, leaving every other platform open:
    ```json
    {"displayName": "Compliant Windows devices", "state": "enabled",
     "conditions": {"users": {"includeUsers": ["All"]}, "applications": {"includeApplications": ["All"]},
                    "platforms": {"includePlatforms": ["windows"]}},
     "grantControls": {"operator": "OR", "builtInControls": ["compliantDevice"]}}
    ```

    ## How to fix
    Add (or enable) one policy: Graph JSON `"users": {"includeUsers": ["All"], "excludeUsers":
    ["<break-glass id>"]}`, `"applications": {"includeApplications": ["All"]}`, `"grantControls":
    {"operator": "OR", "builtInControls": ["compliantDevice", "domainJoinedDevice"]}`; in Terraform
    `built_in_controls = ["compliantDevice", "domainJoinedDevice"]` with `operator = "OR"`. Or block
    the platforms you do not manage. The fix needs Microsoft Entra ID P1 for Conditional Access,
    Microsoft Intune for device compliance (or Microsoft Entra Connect for hybrid join), and devices
    enrolled before the policy is enabled: start in report-only mode.

    ## References
    - https://learn.microsoft.com/entra/identity/conditional-access/policy-alt-all-users-compliant-hybrid-or-mfa
    - https://learn.microsoft.com/entra/identity/conditional-access/concept-conditional-access-grant
    """

    code = "CA019"
    name = "managed-device-not-required"
    summary = "No enabled policy requires a compliant or hybrid-joined device for all users on all resources"
    level = Level.NOTE
    tags = ("security", "devices")
    benchmarks = (
        BenchmarkControl("cis-m365-v4", "5.2.2.10"),
        BenchmarkControl("cis-m365-v5", "5.2.2.9"),
        BenchmarkControl("cis-m365-v6", "5.2.2.9"),
        BenchmarkControl("cis-m365-v7", "5.2.2.9"),
        BenchmarkControl("scubagear", "MS.AAD.3.7v1"),
    )

    def check(self, tenant: Tenant) -> Iterator[Violation]:
        # Imported here: runs that skip or ignore the tenant rules (a fleet linted as one "tenant") never need them.
        from linter.policy.coverage import uncovered
        from linter.policy.evaluate import Evaluator
        from linter.policy.questions import grant_requires_managed_device

        evaluator = Evaluator(tenant.documents)
        if not evaluator.policies:
            return
        coverage = uncovered(
            evaluator, grant_requires_managed_device, exempt={"users": emergency_access(tenant).accounts()}
        )
        if coverage.complete:
            return
        message = (
            f"A managed device is not required for everyone. No enabled policy of tenant {tenant.name!r} requires a "
            "compliant or hybrid-joined device (or blocks) for all users on all resources"
        )
        if not coverage.gaps_are_whole:
            message += f". Still open: {open_classes(coverage)}"
        yield self.violation(tenant.anchor, message, key="managedDevice")
