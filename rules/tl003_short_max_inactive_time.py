"""TL003: a MaxInactiveTime below 90 days, which Entra ID ignores: it limits nothing."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

from linter.model import TOKEN_LIFETIME_POLICY, Document
from linter.policy.timespan import Lifetime, lifetime_settings
from linter.rule import DocumentRule, Level, Violation

from .tl001_short_max_age_multi_factor import ignored_limit_message, remove_setting

# The default, and the longest value the property takes.
RECOMMENDED = Lifetime(timedelta(days=90))


class ShortMaxInactiveTime(DocumentRule):
    """
    ## What it checks
    Token lifetime policies whose definition sets `MaxInactiveTime` below 90 days, its default
    and maximum. A value of 90 days is left to TL006, so each property gets one finding.

    ## Why it matters
    `MaxInactiveTime` was how long a refresh token could go unused. Since 30 January 2021 Entra ID
    no longer honors refresh and session token lifetimes, in new or existing policies: tokens get
    the default lifetimes. A shorter value therefore limits nothing. It does not end idle
    sessions, although it reads as if it did; nor does it, today, make idle Power Automate
    connections fail with `AADSTS70008`, as KB 4467879 described when the property was honored.

    ## Example
    ```json
    {"displayName": "Contoso default", "isOrganizationDefault": true,
     "definition": ["{\\"TokenLifetimePolicy\\":{\\"Version\\":1,\\"MaxInactiveTime\\":\\"14.00:00:00\\"}}"]}
    ```

    ## How to fix
    Remove `MaxInactiveTime` from the definition: Graph JSON
    `"definition": ["{\\"TokenLifetimePolicy\\":{\\"Version\\":1,\\"AccessTokenLifetime\\":\\"01:00:00\\"}}"]`;
    in Terraform, the same string in `definition` of the
    `microsoft365_graph_beta_applications_token_lifetime_policy` resource; in PowerShell,
    `Update-MgPolicyTokenLifetimePolicy` (or `New-MgPolicyTokenLifetimePolicy`) with that
    `-Definition`. To make users sign in again after a period, use a Conditional Access policy
    with `sessionControls.signInFrequency`; a sign-in frequency does stop Power Automate
    connections from refreshing, so exclude the accounts that own them (CA006).

    ## References
    - https://learn.microsoft.com/entra/identity-platform/configurable-token-lifetimes
    - https://learn.microsoft.com/entra/identity-platform/refresh-tokens
    - https://learn.microsoft.com/troubleshoot/power-platform/power-automate/administration/conditional-access-and-multi-factor-authentication-in-flow
    """

    code = "TL003"
    name = "short-max-inactive-time"
    summary = "MaxInactiveTime is below 90 days, a limit Entra ID has ignored since 30 January 2021"
    level = Level.WARNING
    kinds = frozenset({TOKEN_LIFETIME_POLICY})
    tags = ("token-lifetime", "dead-configuration")

    @classmethod
    def reports_by_default(cls, lifetime: Lifetime) -> bool:
        """Whether the rule reports this value (TL006 reports the others)."""
        return lifetime < RECOMMENDED

    def check(self, document: Document) -> Iterator[Violation]:
        for pointer, text, lifetime in lifetime_settings(document, "MaxInactiveTime"):
            if self.reports_by_default(lifetime):
                message = ignored_limit_message("MaxInactiveTime", text, lifetime, f", below {RECOMMENDED}")
                yield self.violation(document, message, pointer, fix=remove_setting(pointer))
