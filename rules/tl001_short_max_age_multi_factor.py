"""TL001: a fixed MaxAgeMultiFactor makes Power Automate connections expire."""

from __future__ import annotations

from collections.abc import Iterator
from typing import ClassVar

from linter.model import TOKEN_LIFETIME_POLICY, Document
from linter.policy.timespan import lifetime_settings, parse_lifetime
from linter.rule import DocumentRule, Level, RuleOption, Violation


class ShortMaxAgeMultiFactor(DocumentRule):
    """
    ## What it checks
    Token lifetime policies whose definition sets `MaxAgeMultiFactor` to a fixed timespan
    (`[d.]hh:mm:ss`) rather than `until-revoked`. With option `min-age` set, only values shorter
    than it are reported; by default every fixed value is.

    ## Why it matters
    `MaxAgeMultiFactor` limits how long a multi-factor refresh token, the kind Power Automate
    connections hold, can be used. Once that age is reached the connection is invalid, every flow
    run that uses it fails with `AADSTS50076: Due to a configuration change made by your
    administrator, or because you moved to a new location, you must use multi-factor
    authentication to access ...`, and its owner must repair or re-create the connection.
    Entra ID stopped honoring refresh and session token lifetimes on 30 January 2021, so the
    setting is dead configuration today; Conditional Access sign-in frequency replaced it.

    ## Example
    ```json
    {"displayName": "Contoso default", "isOrganizationDefault": true,
     "definition": ["{\\"TokenLifetimePolicy\\":{\\"Version\\":1,\\"MaxAgeMultiFactor\\":\\"14.00:00:00\\"}}"]}
    ```

    ## How to fix
    Remove `MaxAgeMultiFactor` from the definition (or set it to `until-revoked`): Graph JSON
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

    code = "TL001"
    name = "short-max-age-multi-factor"
    summary = "MaxAgeMultiFactor is a fixed timespan: Power Automate connections expire (AADSTS50076)"
    level = Level.WARNING
    kinds = frozenset({TOKEN_LIFETIME_POLICY})
    tags = ("token-lifetime", "power-automate")
    options = (
        RuleOption(
            "min-age",
            "timespan",
            "until-revoked",
            "Report only values shorter than this; the default, until-revoked, reports every fixed value.",
        ),
    )
    setting: ClassVar[str] = "MaxAgeMultiFactor"
    refresh_token: ClassVar[str] = "multi-factor"

    def check(self, document: Document) -> Iterator[Violation]:
        min_age = parse_lifetime(self.settings["min-age"])
        for pointer, text, lifetime in lifetime_settings(document, self.setting):
            if lifetime.until_revoked or not lifetime < min_age:
                continue
            threshold = "" if min_age.until_revoked else f", shorter than min-age {min_age}"
            yield self.violation(
                document,
                f"{self.setting} is {text!r} ({lifetime}{threshold}): Power Automate connections that hold "
                f"{self.refresh_token} refresh tokens become invalid after {lifetime} (AADSTS50076) and must be "
                "repaired. Entra ID stopped honoring refresh-token lifetimes on 30 January 2021, so this is dead "
                "configuration today; use Conditional Access sign-in frequency instead",
                pointer,
            )
