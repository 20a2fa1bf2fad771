"""CA022: no enabled policy blocks the device platforms the tenant does not support."""

from __future__ import annotations

from collections.abc import Iterator

from linter.model import Document, Tenant
from linter.policy.emergency import emergency_access
from linter.rule import BenchmarkControl, Level, TenantRule, Violation

from .ca001_device_code_flow_not_blocked import open_classes

EXCLUDED_PLATFORMS = "/conditions/platforms/excludePlatforms"


class UnknownPlatformsNotBlocked(TenantRule):
    """
    ## What it checks
    Whether the tenant's enabled Conditional Access policies block sign-ins from device platforms
    other than the ones it supports, for all users on all resources. The supported platforms are
    whatever the block excludes: Microsoft's policy includes any device platform (`"includePlatforms":
    ["all"]`), excludes the supported ones and blocks. A platform Entra cannot detect (an unknown or
    spoofed user agent) is in "any device" but in no list of platforms, so the rule asks whether
    every sign-in from an undetected platform is blocked, and names the classes left open (a
    location, a client app type, an excluded group). A block limited to a list of platforms
    (`["linux"]`) blocks no undetected platform. Only the emergency access accounts may be left out:
    the tenant's `emergency-access`, or the accounts entralint infers (see CA008). Report-only and
    disabled policies do not count; a computed value (`var.x`) counts as blocking.

    ## Why it matters
    Policies that require a compliant device, an app protection policy or a managed browser are
    written per platform. A sign-in whose platform is not detected matches none of them, so it
    escapes every platform-scoped control: attackers change the user agent for exactly that.

    ## Example
    A block that lists platforms instead of excluding the supported ones:
    ```json
    {"displayName": "Block Linux", "state": "enabled",
     "conditions": {"users": {"includeUsers": ["All"]}, "applications": {"includeApplications": ["All"]},
                    "platforms": {"includePlatforms": ["linux"]}},
     "grantControls": {"operator": "OR", "builtInControls": ["block"]}}
    ```

    ## How to fix
    Add (or enable) one policy: Graph JSON `"platforms": {"includePlatforms": ["all"],
    "excludePlatforms": ["android", "iOS", "windows", "macOS"]}` (the platforms you support), `"users":
    {"includeUsers": ["All"], "excludeUsers": ["<break-glass id>"]}`, `"applications":
    {"includeApplications": ["All"]}`, `"grantControls": {"operator": "OR", "builtInControls":
    ["block"]}`; in Terraform a `platforms` block with `included_platforms = ["all"]` and
    `excluded_platforms`, and `built_in_controls = ["block"]`. The fix needs Microsoft Entra ID P1.
    Start in report-only mode and read the sign-in logs for platforms you forgot.

    ## References
    - https://learn.microsoft.com/entra/identity/conditional-access/policy-all-users-device-unknown-unsupported
    - https://learn.microsoft.com/entra/identity/conditional-access/concept-conditional-access-conditions
    """

    code = "CA022"
    name = "unknown-platforms-not-blocked"
    summary = "No enabled policy blocks the device platforms the tenant does not support"
    level = Level.NOTE
    tags = ("security", "devices")
    benchmarks = (
        BenchmarkControl("maester", "MT.1015"),
        BenchmarkControl("prowler", "entra_conditional_access_policy_block_unknown_device_platforms"),
    )

    def check(self, tenant: Tenant) -> Iterator[Violation]:
        # Imported here: runs that skip or ignore the tenant rules (a fleet linted as one "tenant") never need them.
        from linter.policy.coverage import uncovered
        from linter.policy.evaluate import Evaluator
        from linter.policy.questions import grant_blocks

        evaluator = Evaluator(tenant.documents)
        if not evaluator.policies:
            return
        # An undetected platform is in every "other than the supported ones": None is the sign-in without one.
        coverage = uncovered(
            evaluator,
            grant_blocks,
            fixed={"platform": (None,)},
            exempt={"users": emergency_access(tenant).accounts()},
        )
        if coverage.complete:
            return
        # Point at the block closest to doing the job: one that already excludes the supported platforms.
        candidates = [
            policy.document
            for policy in evaluator.policies
            if grant_blocks(policy) and policy.values(EXCLUDED_PLATFORMS).known
        ]
        anchor: Document | str = candidates[0] if candidates else tenant.anchor
        message = (
            f"Unknown device platforms are not blocked. No enabled policy of tenant {tenant.name!r} blocks, for all "
            "users on all resources, the device platforms it does not support (include all, exclude the supported "
            "ones)"
        )
        if not coverage.gaps_are_whole:
            message += f". Still open: {open_classes(coverage)}"
        message += not_enforced(anchor)
        yield self.violation(anchor, message, "/conditions/platforms" if candidates else "", key="unknownPlatforms")


def not_enforced(anchor: Document | str) -> str:
    """What a message adds when the policy it points at, the one closest to doing the job, is not enforced."""
    from linter.policy.questions import REPORT_ONLY, policy_of

    if not isinstance(anchor, Document):
        return ""
    state = policy_of(anchor).state
    # Report-only results show in the sign-in logs, but nothing is blocked or required
    # (https://learn.microsoft.com/entra/identity/conditional-access/concept-conditional-access-report-only).
    if state == REPORT_ONLY:
        return f". The closest, {anchor.name!r}, is report-only, which is never enforced"
    if state == "disabled":
        return f". The closest, {anchor.name!r}, is disabled"
    return ""
