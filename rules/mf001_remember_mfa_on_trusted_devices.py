"""MF001: remember MFA on trusted devices makes Power Automate connections expire."""

from __future__ import annotations

from collections.abc import Iterator

from linter.model import MFA_SERVICE_SETTINGS, Document
from linter.rule import REPLACE, Applicability, Change, DocumentRule, FixRequest, Level, Violation

# Unsafe: users are asked for MFA again where remembering spared them, which is a change of who must do what.
_DISABLE = FixRequest(
    Applicability.UNSAFE,
    "Disable remember MFA on trusted devices",
    (Change(REPLACE, "/rememberMfaOnTrustedDevices/enabled", False),),
)


class RememberMfaOnTrustedDevices(DocumentRule):
    """
    ## What it checks
    MFA service settings (`mfaServiceSettings`) with `rememberMfaOnTrustedDevices.enabled: true`.

    ## Why it matters
    Remember multifactor authentication on trusted devices overrides the token lifetimes of
    multi-factor refresh and session tokens with its `days` value. Power Automate connections hold
    such refresh tokens, so every connection expires after that many days: flow runs fail with
    `AADSTS50076: Due to a configuration change made by your administrator, or because you moved
    to a new location, you must use multi-factor authentication to access ...`, and each owner
    must repair the connection. Microsoft's Power Automate guidance says not to use the setting.

    ## Example
    ```json
    {"mfaServiceSettings": {"rememberMfaOnTrustedDevices": {"enabled": true, "days": 14}}}
    ```

    ## How to fix
    Set `"enabled": false` (in the Entra admin center: per-user MFA, service settings, clear
    "Allow users to remember multifactor authentication on devices they trust"). Control how
    often users sign in with a Conditional Access policy instead: Graph JSON
    `"sessionControls": {"signInFrequency": {"isEnabled": true, "type": "days", "value": 14},
    "persistentBrowser": {"isEnabled": true, "mode": "always"}}`; in Terraform, the
    `session_controls` block of `azuread_conditional_access_policy` with `sign_in_frequency`,
    `sign_in_frequency_period` and `persistent_browser_mode`. Exclude the accounts that own flow
    connections from sign-in frequency. No Terraform resource manages this legacy setting, and
    token lifetime policies (`microsoft365_graph_beta_applications_token_lifetime_policy`) no
    longer control refresh tokens.

    ## References
    - https://learn.microsoft.com/entra/identity/authentication/howto-mfa-mfasettings#remember-multifactor-authentication
    - https://learn.microsoft.com/entra/identity/conditional-access/concept-session-lifetime
    - https://learn.microsoft.com/troubleshoot/power-platform/power-automate/administration/conditional-access-and-multi-factor-authentication-in-flow
    """

    code = "MF001"
    name = "remember-mfa-on-trusted-devices"
    summary = "Remember MFA on trusted devices is enabled: Power Automate connections expire every N days"
    level = Level.WARNING
    kinds = frozenset({MFA_SERVICE_SETTINGS})
    tags = ("mfa", "power-automate")

    def check(self, document: Document) -> Iterator[Violation]:
        if document.get("/rememberMfaOnTrustedDevices/enabled") is not True:
            return
        days = document.get("/rememberMfaOnTrustedDevices/days")
        if isinstance(days, int) and not isinstance(days, bool):
            period = f"every {days} day{'s' if days != 1 else ''}"
        else:
            period = "at the end of the remember-MFA period"
        yield self.violation(
            document,
            "Remember MFA on trusted devices is enabled. Power Automate connections expire "
            f"{period} (AADSTS50076) and users must repair them. Turn it off; use Conditional Access sign-in "
            "frequency and persistent browser session controls instead",
            "/rememberMfaOnTrustedDevices/enabled",
            fix=_DISABLE,
        )
