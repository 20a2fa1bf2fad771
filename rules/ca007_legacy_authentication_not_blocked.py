"""CA007: no enabled policy blocks legacy authentication for everyone."""

from __future__ import annotations

from collections.abc import Iterator

from linter.model import Document, Tenant
from linter.policy.applicability import LEGACY_CLIENT_APP_TYPES, client_app_types
from linter.policy.blocking import blocks_everyone
from linter.rule import Level, TenantRule, Violation

_GRAPH_NAMES = {"exchangeactivesync": "exchangeActiveSync", "other": "other"}


def legacy_types_blocked(policy: Document) -> frozenset[str] | None:
    """The legacy client app types the policy blocks for everyone; None when a computed value decides it."""
    everyone = blocks_everyone(policy)
    if everyone is False:
        return frozenset()
    types = client_app_types(policy)
    if types is None:
        return None
    covered = LEGACY_CLIENT_APP_TYPES if "all" in types else types & LEGACY_CLIENT_APP_TYPES
    if everyone is None and covered:
        return None
    return covered


class LegacyAuthenticationNotBlocked(TenantRule):
    """
    ## What it checks
    Whether the tenant's enabled Conditional Access policies block the legacy client app types
    `exchangeActiveSync` and `other` for all users (`includeUsers: ["All"]`) and all resources
    (`includeApplications: ["All"]`), in one policy (`"clientAppTypes": ["exchangeActiveSync",
    "other"]`) or in several that together cover both. Exclusions are allowed; disabled and
    report-only policies, policies that grant rather than block, and policies narrowed by platform,
    location or risk do not count.

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
    `conditions` and `built_in_controls = ["block"]`.

    ## References
    - https://learn.microsoft.com/entra/identity/conditional-access/policy-block-legacy-authentication
    - https://learn.microsoft.com/entra/identity/conditional-access/block-legacy-authentication
    """

    code = "CA007"
    name = "legacy-authentication-not-blocked"
    summary = "No enabled policy blocks legacy authentication for all users and resources"
    level = Level.WARNING
    tags = ("security", "legacy-authentication")
    security_severity = 7.5

    def check(self, tenant: Tenant) -> Iterator[Violation]:
        policies = tenant.conditional_access_policies
        if not policies:
            return
        blocked: set[str] = set()
        for policy in policies:
            types = legacy_types_blocked(policy)
            if types is None:  # a computed value may make this policy the block
                return
            blocked |= types
        missing = sorted(_GRAPH_NAMES[name] for name in LEGACY_CLIENT_APP_TYPES - blocked)
        if not missing:
            return
        # Point at the policy closest to doing the job: one that already names a legacy client type.
        candidates = [policy for policy in policies if (client_app_types(policy) or set()) & LEGACY_CLIENT_APP_TYPES]
        anchor: Document | str = candidates[0] if candidates else tenant.anchor
        yield self.violation(
            anchor,
            f"no enabled policy of tenant {tenant.name!r} blocks legacy authentication client app type(s) "
            f"{' and '.join(missing)} for all users and all resources",
            "/conditions/clientAppTypes" if candidates else "",
        )
