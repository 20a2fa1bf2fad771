"""CA007: no enabled policy blocks legacy authentication for everyone."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING

from linter.model import Document, Tenant
from linter.policy.emergency import emergency_access
from linter.rule import BenchmarkControl, Level, TenantRule, Violation

from .ca001_device_code_flow_not_blocked import (
    closing_if_enabled,
    names_or_may_name,
    new_block_policy,
    not_enforced,
    open_classes,
)

if TYPE_CHECKING:
    from linter.policy.coverage import Coverage
    from linter.policy.evaluate import Evaluator

# Legacy authentication as Conditional Access names it: Exchange ActiveSync and "other clients".
LEGACY_CLIENT_APPS = ("exchangeActiveSync", "other")
CLIENT_APP_TYPES = "/conditions/clientAppTypes"


def legacy_coverage(evaluator: Evaluator, emergency_access: Iterable[str] = (), also_enforced: int = 0) -> Coverage:
    """The legacy sign-ins no enforced block covers; exclusions of the blocks are allowed, and the emergency
    access accounts are not asked about.

    Legacy clients cannot use an authentication flow (device code flow and authentication transfer
    are OAuth), so their sign-ins carry no transfer method: a flow block does not cover them.
    """
    from linter.policy.coverage import uncovered
    from linter.policy.questions import grant_blocks

    return uncovered(
        evaluator,
        grant_blocks,
        fixed={"clientApp": LEGACY_CLIENT_APPS, "authenticationFlow": (None,)},
        exempt={"users": tuple(emergency_access)},
        exclusions_allowed=True,
        # Only the exclusions of a block that names a legacy client app type are the allowed kind.
        excluding=lambda policy: names_or_may_name(policy.values(CLIENT_APP_TYPES), LEGACY_CLIENT_APPS),
        also_enforced=also_enforced,
    )


class LegacyAuthenticationNotBlocked(TenantRule):
    """
    ## What it checks
    Whether the tenant's enabled Conditional Access policies block the legacy client app types
    `exchangeActiveSync` and `other` for all users (`includeUsers: ["All"]`) and all resources
    (`includeApplications: ["All"]`), in one policy (`"clientAppTypes": ["exchangeActiveSync",
    "other"]`) or in several that together cover both. Exclusions are allowed; disabled and
    report-only policies, policies that grant rather than block, and policies narrowed by platform,
    location or risk do not count, nor does a policy limited to an authentication flow (a device
    code flow block with `clientAppTypes: ["all"]` blocks no legacy sign-in). The rule asks whether
    every legacy sign-in the tenant's policies tell apart is blocked, and names the classes left open.
    When a report-only or disabled policy would close the gap if it were on, the finding says so
    instead, at that policy's `state`.

    ## Why it matters
    Legacy authentication (IMAP, POP, SMTP AUTH, older Office clients, Exchange ActiveSync with
    basic authentication) cannot do MFA, so MFA policies do not protect it: password spraying and
    credential stuffing mostly go through it. Once blocked, such sign-ins fail with `AADSTS53003`
    (access blocked by Conditional Access) and modern clients are unaffected.

    ## Example
    A tenant whose legacy authentication policy leaves out "other clients":
    ```json
    {"displayName": "Block legacy authentication", "state": "enabled",
     "conditions": {"clientAppTypes": ["exchangeActiveSync"],
                    "users": {"includeUsers": ["All"]}, "applications": {"includeApplications": ["All"]}},
     "grantControls": {"operator": "OR", "builtInControls": ["block"]}}
    ```

    ## How to fix
    Add (or enable) one policy: Graph JSON `"conditions": {"clientAppTypes": ["exchangeActiveSync",
    "other"], "users": {"includeUsers": ["All"], "excludeUsers": ["<break-glass id>"]},
    "applications": {"includeApplications": ["All"]}}` with `"grantControls": {"builtInControls":
    ["block"]}`; in Terraform, `client_app_types = ["exchangeActiveSync", "other"]` inside
    `conditions` and `built_in_controls = ["block"]`. `entralint check --fix --unsafe-fixes` writes
    such a policy as a new report-only file of the tenant, excluding the emergency access accounts;
    read its report-only results in the sign-in logs, then turn it on.

    ## References
    - https://learn.microsoft.com/entra/identity/conditional-access/policy-block-legacy-authentication
    - https://learn.microsoft.com/entra/identity/conditional-access/block-legacy-authentication
    """

    code = "CA007"
    name = "legacy-authentication-not-blocked"
    summary = "No enabled policy blocks legacy authentication for all users and resources"
    level = Level.WARNING
    tags = ("security", "legacy-authentication")
    benchmarks = (
        BenchmarkControl("cis-m365-v4", "5.2.2.3"),
        BenchmarkControl("cis-m365-v5", "5.2.2.3"),
        BenchmarkControl("cis-m365-v6", "5.2.2.3"),
        BenchmarkControl("cis-m365-v7", "5.2.2.3"),
        BenchmarkControl("scubagear", "MS.AAD.1.1v1"),
        BenchmarkControl("prowler", "entra_legacy_authentication_blocked"),
        BenchmarkControl("zero-trust", "21796"),
    )
    security_severity = 7.5

    def check(self, tenant: Tenant) -> Iterator[Violation]:
        # Imported here: runs that skip or ignore the tenant rules (a fleet linted as one "tenant") never need them.
        from linter.policy.evaluate import Evaluator

        evaluator = Evaluator(tenant.documents)
        if not evaluator.policies:
            return
        accounts = emergency_access(tenant).accounts()
        coverage = legacy_coverage(evaluator, accounts)
        if coverage.complete:
            return
        waiting = closing_if_enabled(evaluator, lambda bit: legacy_coverage(evaluator, accounts, bit))
        if waiting is not None:
            yield not_enforced(self, waiting, "Legacy authentication", "legacyAuthentication")
            return
        missing = [name for name in LEGACY_CLIENT_APPS if coverage.leaves_open("clientApp", client_app=name)]
        # Point at the policy closest to doing the job: one that already names a legacy client type.
        candidates = [
            policy.document
            for policy in evaluator.policies
            if any(policy.values("/conditions/clientAppTypes").has(name) for name in LEGACY_CLIENT_APPS)
        ]
        anchor: Document | str = candidates[0] if candidates else tenant.anchor
        message = (
            "Legacy authentication is not blocked for everyone. No enabled policy of tenant "
            f"{tenant.name!r} blocks client app type(s) {' and '.join(missing)} for all users and all resources"
        )
        if not coverage.gaps_are_whole:
            message += f". Still open: {open_classes(coverage)}"
        fix = new_block_policy(
            self.code,
            tenant,
            "Block legacy authentication",
            {"clientAppTypes": list(LEGACY_CLIENT_APPS)},
            (),
            "legacyAuthentication",
            3,  # after CA001's and CA003's new policies
        )
        pointer = "/conditions/clientAppTypes" if candidates else ""
        yield self.violation(anchor, message, pointer, key="legacyAuthentication", fix=fix)
