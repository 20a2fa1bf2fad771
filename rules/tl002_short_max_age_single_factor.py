"""TL002: a fixed MaxAgeSingleFactor, which Entra ID ignores: it limits nothing."""

from __future__ import annotations

from .tl001_short_max_age_multi_factor import ShortMaxAgeMultiFactor


class ShortMaxAgeSingleFactor(ShortMaxAgeMultiFactor):
    """
    ## What it checks
    Token lifetime policies whose definition sets `MaxAgeSingleFactor` to a fixed timespan
    (`[d.]hh:mm:ss`) rather than `until-revoked`. With option `min-age` set, only values shorter
    than it are reported; by default every fixed value is. `until-revoked` (the default) is left to
    TL006, so each property gets one finding.

    ## Why it matters
    `MaxAgeSingleFactor` is `MaxAgeMultiFactor` for refresh tokens obtained with a single factor.
    Since 30 January 2021 Entra ID no longer honors refresh and session token lifetimes, in new or
    existing policies: tokens get the default lifetimes. A fixed value therefore limits nothing. It
    does not make users sign in again, although it reads as if it did; nor does it, today, make
    Power Automate connections expire, as KB 4467879 described when the property was honored.

    ## Example
    ```json
    {"displayName": "Contoso default", "isOrganizationDefault": true,
     "definition": ["{\\"TokenLifetimePolicy\\":{\\"Version\\":1,\\"MaxAgeSingleFactor\\":\\"30.00:00:00\\"}}"]}
    ```

    ## How to fix
    Remove `MaxAgeSingleFactor` from the definition: Graph JSON
    `"definition": ["{\\"TokenLifetimePolicy\\":{\\"Version\\":1,\\"AccessTokenLifetime\\":\\"01:00:00\\"}}"]`;
    in Terraform, the same string in `definition` of the
    `microsoft365_graph_beta_applications_token_lifetime_policy` resource; in PowerShell,
    `Update-MgPolicyTokenLifetimePolicy` (or `New-MgPolicyTokenLifetimePolicy`) with that
    `-Definition`. To make users sign in again after a period, use a Conditional Access policy
    with `sessionControls.signInFrequency`; a sign-in frequency does stop Power Automate
    connections from refreshing, so exclude the accounts that own them (CA006).

    ## References
    - https://learn.microsoft.com/entra/identity-platform/configurable-token-lifetimes
    - https://learn.microsoft.com/entra/identity/conditional-access/concept-session-lifetime
    - https://learn.microsoft.com/troubleshoot/power-platform/power-automate/administration/conditional-access-and-multi-factor-authentication-in-flow
    """

    code = "TL002"
    name = "short-max-age-single-factor"
    summary = "MaxAgeSingleFactor is a fixed timespan, which Entra ID has ignored since 30 January 2021"
    setting = "MaxAgeSingleFactor"
