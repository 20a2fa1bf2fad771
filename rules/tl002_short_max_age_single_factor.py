"""TL002: a fixed MaxAgeSingleFactor makes Power Automate connections expire."""

from __future__ import annotations

from .tl001_short_max_age_multi_factor import ShortMaxAgeMultiFactor


class ShortMaxAgeSingleFactor(ShortMaxAgeMultiFactor):
    """
    ## What it checks
    Token lifetime policies whose definition sets `MaxAgeSingleFactor` to a fixed timespan
    (`[d.]hh:mm:ss`) rather than `until-revoked`. With option `min-age` set, only values shorter
    than it are reported; by default every fixed value is.

    ## Why it matters
    `MaxAgeSingleFactor` is `MaxAgeMultiFactor` for refresh tokens obtained with a single factor.
    A Power Automate connection created with such a token becomes invalid when the age is
    reached: its flow runs fail with `AADSTS50076` ("you must use multi-factor authentication to
    access ...") or a request to sign in again, and the owner must repair the connection.
    Entra ID stopped honoring refresh and session token lifetimes on 30 January 2021, so the
    setting is dead configuration today; Conditional Access sign-in frequency replaced it.

    ## Example
    ```json
    {"displayName": "Contoso default", "isOrganizationDefault": true,
     "definition": ["{\\"TokenLifetimePolicy\\":{\\"Version\\":1,\\"MaxAgeSingleFactor\\":\\"30.00:00:00\\"}}"]}
    ```

    ## How to fix
    Remove `MaxAgeSingleFactor` from the definition (or set it to `until-revoked`): Graph JSON
    `"definition": ["{\\"TokenLifetimePolicy\\":{\\"Version\\":1,\\"AccessTokenLifetime\\":\\"01:00:00\\"}}"]`;
    in Terraform, the same string in `definition` of the
    `microsoft365_graph_beta_applications_token_lifetime_policy` resource; in PowerShell,
    `Update-MgPolicyTokenLifetimePolicy` (or `New-MgPolicyTokenLifetimePolicy`) with that
    `-Definition`. To make users sign in again after a period, use a Conditional Access policy
    with `sessionControls.signInFrequency`, excluding accounts that own flow connections.

    ## References
    - https://learn.microsoft.com/entra/identity-platform/configurable-token-lifetimes
    - https://learn.microsoft.com/entra/identity/conditional-access/concept-session-lifetime
    - https://learn.microsoft.com/troubleshoot/power-platform/power-automate/administration/conditional-access-and-multi-factor-authentication-in-flow
    """

    code = "TL002"
    name = "short-max-age-single-factor"
    summary = "MaxAgeSingleFactor is a fixed timespan: Power Automate connections expire (AADSTS50076)"
    setting = "MaxAgeSingleFactor"
    refresh_token = "single-factor"
