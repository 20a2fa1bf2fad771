"""CA001: no enabled policy blocks device code flow for everyone."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import TYPE_CHECKING, Any, ClassVar

from linter.model import Document, Tenant
from linter.policy.emergency import emergency_access
from linter.rule import (
    CREATE,
    Applicability,
    BenchmarkControl,
    Change,
    FixRequest,
    Level,
    NewPolicy,
    TenantRule,
    Violation,
)

if TYPE_CHECKING:
    from linter.policy.compiled import CompiledPolicy, Values
    from linter.policy.coverage import Coverage
    from linter.policy.evaluate import Evaluator

# An authentication flow is modern authentication: legacy clients (Exchange ActiveSync, "other") cannot use it.
MODERN_CLIENT_APPS = ("browser", "mobileAppsAndDesktopClients")
TRANSFER_METHODS = "/conditions/authenticationFlows/transferMethods"
SHOWN_GAPS = 3


_FLOW_NAMES = {"deviceCodeFlow": "Device code flow", "authenticationTransfer": "Authentication transfer"}


def flow_coverage(
    evaluator: Evaluator, method: str, emergency_access: Iterable[str] = (), also_enforced: int = 0
) -> Coverage:
    """The sign-ins by the transfer method that no enforced block covers; exclusions of the blocks are allowed,
    and the emergency access accounts are not asked about.

    For device code flow the Device Registration Service is exempt: Microsoft recommends excluding it
    (https://learn.microsoft.com/entra/identity/conditional-access/policy-block-authentication-flows).
    """
    from linter.policy.coverage import uncovered
    from linter.policy.questions import DEVICE_REGISTRATION_SERVICE, grant_blocks

    return uncovered(
        evaluator,
        grant_blocks,
        fixed={"clientApp": MODERN_CLIENT_APPS, "authenticationFlow": (method,)},
        exempt={
            "users": tuple(emergency_access),
            "application": (DEVICE_REGISTRATION_SERVICE,) if method == "deviceCodeFlow" else (),
        },
        exclusions_allowed=True,
        # Only the exclusions of a block that names the flow are the allowed kind: a block of everything
        # "except licensed users" leaves those users' device code sign-ins open.
        excluding=lambda policy: names_or_may_name(policy.values(TRANSFER_METHODS), (method,)),
        also_enforced=also_enforced,
    )


def closing_if_enabled(evaluator: Evaluator, coverage_with: Callable[[int], Coverage]) -> CompiledPolicy | None:
    """The first report-only or disabled block that, turned on, would leave none of the question's sign-ins open."""
    from linter.policy.questions import grant_blocks

    waiting = evaluator.report_only | evaluator.disabled
    for policy in evaluator.policies:
        bit = 1 << policy.index
        if waiting & bit and grant_blocks(policy) is not False and coverage_with(bit).complete:
            return policy
    return None


def not_enforced(rule: TenantRule, policy: CompiledPolicy, subject: str, key: str) -> Violation:
    """The finding for a gap only a policy Entra ID does not enforce closes: turn it on, once its results are read.

    Report-only policies are evaluated and logged but never enforced
    (https://learn.microsoft.com/entra/identity/conditional-access/concept-conditional-access-report-only).
    """
    state = "report-only" if policy.state == "enabledForReportingButNotEnforced" else "disabled"
    name = policy.document.data.get("displayName") or policy.document.identity
    advice = (
        "review its report-only results in the sign-in logs, then turn it on"
        if state == "report-only"
        else "turn it on in report-only mode, review its results in the sign-in logs, then enforce it"
    )
    # A computed include (a Terraform group reference) is read as possibly everyone, as the coverage reads it.
    computed = any(
        policy.values(f"/conditions/{pointer}").unresolved
        for pointer in (
            "users/includeUsers",
            "users/includeGroups",
            "users/includeRoles",
            "applications/includeApplications",
        )
    )
    named = f"{state} policy {name!r}" + (" (if its computed includes take in everyone)" if computed else "")
    message = f"{subject} is blocked for everyone only by {named}, which Entra ID does not enforce"
    return rule.violation(policy.document, f"{message}: {advice}", "/state", key=f"{key}:not-enforced")


def new_block_policy(
    code: str,
    tenant: Tenant,
    display_name: str,
    conditions: dict[str, Any],
    excluded_applications: tuple[str, ...],
    key: str,
    place: int,
) -> FixRequest:
    """The unsafe fix that writes a report-only block of everyone but the emergency access accounts."""
    description = f"write a new report-only policy {display_name!r} for everyone but the emergency access accounts"
    emergency = emergency_access(tenant)
    accounts = emergency.accounts()
    if not accounts:
        unknown = "no fix: no emergency access account is known (configure `emergency-access`) to exclude from a block"
        return FixRequest(Applicability.UNSAFE, description, (), unavailable=unknown)
    users: dict[str, Any] = {"includeUsers": ["All"]}
    for account in accounts:
        kind = emergency.kind(account, tenant.conditional_access_policies)
        if kind is None:
            unknown = f"no fix: whether emergency access account {account} is a user or a group is unknown"
            return FixRequest(Applicability.UNSAFE, description, (), unavailable=unknown)
        users.setdefault("excludeUsers" if kind == "user" else "excludeGroups", []).append(account)
    applications: dict[str, Any] = {"includeApplications": ["All"]}
    if excluded_applications:
        applications["excludeApplications"] = list(excluded_applications)
    policy = {
        "displayName": display_name,
        "state": "enabledForReportingButNotEnforced",
        "conditions": {**conditions, "applications": applications, "users": users},
        "grantControls": {"operator": "OR", "builtInControls": ["block"]},
    }
    changes = (Change(CREATE, "", NewPolicy(policy, place)),)
    # The new policy is report-only: this rule then says to turn it on, and CA004 says so of a flow block.
    follow_ups: tuple[tuple[str, str], ...] = ((code, f"{key}:not-enforced"),)
    if "authenticationFlows" in conditions:
        follow_ups += (("CA004", "/state"),)
    return FixRequest(Applicability.UNSAFE, description, changes, follow_ups=follow_ups)


def names_or_may_name(values: Values, names: tuple[str, ...]) -> bool:
    """Does the list name one of these values, or may it (a computed list)?"""
    return bool(values.unresolved) or any(values.has(name) for name in names)


def open_classes(coverage: Coverage) -> str:
    """The uncovered classes a message names, the first few of them."""
    described = list(dict.fromkeys(gap.describe() for gap in coverage.gaps))
    named = described[:SHOWN_GAPS]
    more = len(described) - len(named)
    return "; ".join(named) + (f"; and {more} more" if more > 0 else "")


class DeviceCodeFlowNotBlocked(TenantRule):
    """
    ## What it checks
    Whether any enabled Conditional Access policy blocks the `deviceCodeFlow` authentication flow
    for all users (`includeUsers: ["All"]`) and all resources (`includeApplications: ["All"]`).
    Exclusions (break-glass accounts, the Device Registration Service, a kiosk group) are allowed;
    include lists on platforms or locations are not, and disabled or report-only policies do not
    count, nor does a policy that grants rather than blocks. Several policies may share the job
    (one per platform, say): the rule asks whether every device code sign-in the tenant's policies
    tell apart is blocked, and names the classes of sign-in left open. When a report-only or
    disabled policy would close the gap if it were on, the finding says so instead, at that
    policy's `state`: Entra ID evaluates and logs a report-only policy but never enforces it.

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
    `entralint check --fix --unsafe-fixes` writes that policy as a new file, report-only, in the
    format, folder and naming of the tenant's policies, excluding the emergency access accounts
    (unsafe: it blocks everyone else once you turn it on). The finding then says the policy is only
    report-only, until you turn it on.

    ## References
    - https://learn.microsoft.com/entra/identity/conditional-access/concept-authentication-flows
    - https://learn.microsoft.com/entra/identity/conditional-access/policy-block-authentication-flows
    """

    code = "CA001"
    name = "device-code-flow-not-blocked"
    summary = "No enabled policy blocks device code flow for all users and resources"
    level = Level.WARNING
    tags = ("security", "authentication-flows")
    benchmarks: ClassVar[tuple[BenchmarkControl, ...]] = (
        BenchmarkControl("cis-m365-v5", "5.2.2.12"),
        BenchmarkControl("cis-m365-v6", "5.2.2.12"),
        BenchmarkControl("cis-m365-v7", "5.2.2.12"),
        BenchmarkControl("scubagear", "MS.AAD.3.9v1"),
        BenchmarkControl("prowler", "entra_conditional_access_policy_device_code_flow_blocked"),
        BenchmarkControl("zero-trust", "21808"),
    )
    security_severity = 6.5
    method = "deviceCodeFlow"
    new_policy_place = 1  # CA003's comes second, CA007's third (`NewPolicy.place`)

    def check(self, tenant: Tenant) -> Iterator[Violation]:
        # Imported here: runs that skip or ignore the tenant rules (a fleet linted as one "tenant") never need them.
        from linter.policy.evaluate import Evaluator

        evaluator = Evaluator(tenant.documents)
        if not evaluator.policies:
            return
        accounts = emergency_access(tenant).accounts()
        coverage = flow_coverage(evaluator, self.method, accounts)
        if coverage.complete:
            return
        subject = _FLOW_NAMES[self.method]
        waiting = closing_if_enabled(evaluator, lambda bit: flow_coverage(evaluator, self.method, accounts, bit))
        if waiting is not None:
            yield not_enforced(self, waiting, subject, self.method)
            return
        # Point at the policy closest to doing the job: one that already names the flow.
        key = self.method.casefold()
        candidates = [
            policy.document
            for policy in evaluator.policies
            if policy.values("/conditions/authenticationFlows/transferMethods").has(key)
        ]
        anchor: Document | str = candidates[0] if candidates else tenant.anchor
        pointer = "/conditions/authenticationFlows/transferMethods" if candidates else ""
        message = (
            f"{subject} is not blocked for everyone. No enabled policy of tenant {tenant.name!r} "
            f"blocks {self.method} for all users and all resources"
        )
        if not coverage.gaps_are_whole:  # some sign-ins are blocked: say which ones are not
            message += f". Still open: {open_classes(coverage)}"
        from linter.policy.questions import DEVICE_REGISTRATION_SERVICE

        fix = new_block_policy(
            self.code,
            tenant,
            f"Block {subject[0].lower()}{subject[1:]}",
            {"clientAppTypes": ["all"], "authenticationFlows": {"transferMethods": self.method}},
            (DEVICE_REGISTRATION_SERVICE,) if self.method == "deviceCodeFlow" else (),
            self.method,
            self.new_policy_place,
        )
        yield self.violation(anchor, message, pointer, key=self.method, fix=fix)
