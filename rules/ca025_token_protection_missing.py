"""CA025: Exchange, SharePoint and Teams desktop sign-ins on Windows without token protection."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from linter.model import Document, Tenant
from linter.policy.apps import EXCHANGE_ONLINE, OFFICE_365_APPS, SHAREPOINT_ONLINE, TEAMS_SERVICES
from linter.policy.emergency import emergency_access
from linter.rule import BenchmarkControl, Level, TenantRule, Violation

from .ca001_device_code_flow_not_blocked import SHOWN_GAPS
from .ca022_unknown_platforms_not_blocked import not_enforced

if TYPE_CHECKING:
    from linter.policy.compiled import CompiledPolicy
    from linter.policy.conditions import Tri
    from linter.policy.coverage import Coverage

# The resources and clients token protection is generally available for on Windows
# (https://learn.microsoft.com/entra/identity/conditional-access/concept-token-protection).
PROTECTED_RESOURCES = (EXCHANGE_ONLINE, SHAREPOINT_ONLINE, TEAMS_SERVICES)
DESKTOP_CLIENTS = ("mobileAppsAndDesktopClients",)
WINDOWS = ("windows",)


def blocks_or_binds_tokens(policy: CompiledPolicy) -> Tri:
    """A block, or the token protection session control: either leaves no unbound token usable."""
    from linter.policy.questions import grant_blocks
    from linter.policy.session import token_protection

    blocks = grant_blocks(policy)
    if blocks:
        return True
    protects = token_protection(policy.document)
    if protects:
        return True
    return None if None in (blocks, protects) else False


class TokenProtectionMissing(TenantRule):
    """
    ## What it checks
    Whether the tenant's enabled Conditional Access policies require token protection
    (`sessionControls.secureSignInSession`, "Require token protection for sign-in sessions") for
    every sign-in of all users to Office 365 Exchange Online
    (`00000002-0000-0ff1-ce00-000000000000`), Office 365 SharePoint Online
    (`00000003-0000-0ff1-ce00-000000000000`) and Microsoft Teams Services
    (`cc15fd57-2c6c-4117-a88c-83b1d56b4bbe`) from desktop clients (`mobileAppsAndDesktopClients`) on
    Windows, where token protection is generally available. A policy that blocks those sign-ins
    counts too. The rule names the classes left open: a resource, users outside the policy's
    include list, a location, the devices an include-mode device filter does not match (an
    unregistered device has no attributes, so it matches none). Devices an exclude-mode device
    filter leaves out (Cloud PCs, Azure Virtual Desktop session hosts, self-deploying Autopilot
    devices) are allowed, as Microsoft recommends for device types token protection does not
    support; of users, only the emergency access accounts may be left out (the tenant's
    `emergency-access`, or the accounts entralint infers, see CA008). Report-only and disabled
    policies do not count; a computed value counts.

    ## Why it matters
    A stolen refresh token or session cookie replays from any machine: MFA was already done when
    it was issued. Token protection accepts only sign-in session tokens bound to the device that
    registered with Microsoft Entra (the Primary Refresh Token), so a token copied off a laptop
    is useless elsewhere. It is the CIS benchmark's "token protection enforced for session tokens".

    ## Example
    A token protection policy for Exchange and SharePoint that leaves out Teams:
    ```json
    {"displayName": "Token protection", "state": "enabled",
     "conditions": {"users": {"includeUsers": ["All"]}, "clientAppTypes": ["mobileAppsAndDesktopClients"],
                    "platforms": {"includePlatforms": ["windows"]},
                    "applications": {"includeApplications": ["00000002-0000-0ff1-ce00-000000000000",
                                                             "00000003-0000-0ff1-ce00-000000000000"]}},
     "sessionControls": {"secureSignInSession": {"isEnabled": true}}}
    ```

    ## How to fix
    Add one policy, as Microsoft's deployment guide has it: users `All` (excluding the break-glass
    accounts), the three resources above and no others (not the `Office365` group: other apps in it
    fail), platform `windows`, client apps `mobileAppsAndDesktopClients` only (a browser in scope
    blocks Teams on the web), and Graph JSON `"sessionControls": {"secureSignInSession":
    {"isEnabled": true}}` (Microsoft365DSC `SecureSignInSessionIsEnabled = $true`; the azuread
    Terraform provider has no argument for it, the msgraph provider sends the Graph body). What the
    tenant needs: Microsoft Entra ID P1; Windows 10 or later devices that are Microsoft Entra joined,
    hybrid joined or registered; supported native clients (OneDrive sync, the Teams client,
    Outlook through the broker; not Office perpetual clients). Start in report-only mode with a
    pilot group and read the sign-in logs (`tokenProtectionStatusDetails`) before enforcing.

    ## References
    - https://learn.microsoft.com/entra/identity/conditional-access/concept-token-protection
    - https://learn.microsoft.com/entra/identity/conditional-access/deployment-guide-token-protection-windows
    - https://learn.microsoft.com/graph/api/resources/securesigninsessioncontrol
    """

    code = "CA025"
    name = "token-protection-missing"
    summary = "Exchange, SharePoint and Teams desktop sign-ins on Windows are not covered by token protection"
    level = Level.NOTE
    tags = ("security", "session", "token-protection")
    benchmarks = (
        BenchmarkControl("cis-m365-v7", "5.2.2.16"),
        BenchmarkControl("prowler", "entra_conditional_access_policy_token_protection_enforced"),
    )

    def check(self, tenant: Tenant) -> Iterator[Violation]:
        # Imported here: runs that skip or ignore the tenant rules (a fleet linted as one "tenant") never need them.
        from linter.policy.coverage import uncovered
        from linter.policy.evaluate import Evaluator
        from linter.policy.session import token_protection

        evaluator = Evaluator(tenant.documents)
        if not evaluator.policies:
            return
        coverage = uncovered(
            evaluator,
            blocks_or_binds_tokens,
            fixed={"application": PROTECTED_RESOURCES, "clientApp": DESKTOP_CLIENTS, "platform": WINDOWS},
            exempt={"users": emergency_access(tenant).accounts()},
            device_exclusions_allowed=True,
        )
        if coverage.complete:
            return
        missing = [
            OFFICE_365_APPS[resource]
            for resource in PROTECTED_RESOURCES
            if coverage.leaves_open("application", target=resource)
        ] or [OFFICE_365_APPS[resource] for resource in PROTECTED_RESOURCES]
        # Point at the policy closest to doing the job: one that already requires token protection.
        candidates = [policy.document for policy in evaluator.policies if token_protection(policy.document)]
        anchor: Document | str = candidates[0] if candidates else tenant.anchor
        message = (
            f"Token protection is not required for everyone. No enabled policy of tenant {tenant.name!r} requires "
            f"token protection for all users' desktop sign-ins on Windows to {_joined(missing)}"
        )
        open_to = _open_subjects(coverage)
        if open_to:
            message += f". Still open: {open_to}"
        message += not_enforced(anchor)
        yield self.violation(
            anchor, message, "/sessionControls/secureSignInSession" if candidates else "", key="tokenProtection"
        )


def _joined(names: list[str]) -> str:
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"


def _open_subjects(coverage: Coverage) -> str:
    """Who is left open and under which conditions; the resources are named already, so not again."""
    described = list(
        dict.fromkeys(
            gap.subject + (f" ({', '.join(gap.conditions)})" if gap.conditions else "") for gap in coverage.gaps
        )
    )
    if described == ["all users"]:
        return ""
    more = len(described) - SHOWN_GAPS
    return "; ".join(described[:SHOWN_GAPS]) + (f"; and {more} more" if more > 0 else "")
