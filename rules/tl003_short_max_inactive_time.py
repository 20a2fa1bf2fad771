"""TL003: a MaxInactiveTime below 90 days breaks idle Power Automate connections."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

from linter.model import TOKEN_LIFETIME_POLICY, Document
from linter.policy.timespan import Lifetime, lifetime_settings
from linter.rule import DocumentRule, Level, Violation

# The default, and the longest value the property takes.
RECOMMENDED = Lifetime(timedelta(days=90))


class ShortMaxInactiveTime(DocumentRule):
    """
    ## What it checks
    Token lifetime policies whose definition sets `MaxInactiveTime` below 90 days, its default
    and maximum.

    ## Why it matters
    `MaxInactiveTime` is how long a refresh token may go unused. A Power Automate connection that
    no flow run used for longer than that is dead: the next run fails with `AADSTS70008: The
    refresh token has expired due to inactivity`, and the owner must repair the connection.
    Flows that run monthly or quarterly hit this every time. Entra ID stopped honoring refresh
    token lifetimes on 30 January 2021, so the property is also dead configuration today.

    ## Example
    ```json
    {"displayName": "Contoso default", "isOrganizationDefault": true,
     "definition": ["{\\"TokenLifetimePolicy\\":{\\"Version\\":1,\\"MaxInactiveTime\\":\\"14.00:00:00\\"}}"]}
    ```

    ## How to fix
    Remove `MaxInactiveTime` from the definition (or set it to `90.00:00:00`): Graph JSON
    `"definition": ["{\\"TokenLifetimePolicy\\":{\\"Version\\":1,\\"AccessTokenLifetime\\":\\"01:00:00\\"}}"]`;
    in Terraform, the same string in `definition` of the
    `microsoft365_graph_beta_applications_token_lifetime_policy` resource; in PowerShell,
    `Update-MgPolicyTokenLifetimePolicy` (or `New-MgPolicyTokenLifetimePolicy`) with that
    `-Definition`. Use Conditional Access sign-in frequency to make users sign in again.

    ## References
    - https://learn.microsoft.com/entra/identity-platform/configurable-token-lifetimes
    - https://learn.microsoft.com/entra/identity-platform/refresh-tokens
    - https://learn.microsoft.com/troubleshoot/power-platform/power-automate/administration/conditional-access-and-multi-factor-authentication-in-flow
    """

    code = "TL003"
    name = "short-max-inactive-time"
    summary = "MaxInactiveTime is below 90 days: idle Power Automate connections fail (AADSTS70008)"
    level = Level.WARNING
    kinds = frozenset({TOKEN_LIFETIME_POLICY})
    tags = ("token-lifetime", "power-automate")

    def check(self, document: Document) -> Iterator[Violation]:
        for pointer, text, lifetime in lifetime_settings(document, "MaxInactiveTime"):
            if lifetime.until_revoked or not lifetime < RECOMMENDED:
                continue
            yield self.violation(
                document,
                f"MaxInactiveTime is {text!r} ({lifetime}), below {RECOMMENDED}: a Power Automate connection "
                f"unused for {lifetime} fails with AADSTS70008 (refresh token expired due to inactivity) and "
                "must be repaired; Entra ID has ignored refresh-token lifetimes since 30 January 2021, so remove it",
                pointer,
            )
