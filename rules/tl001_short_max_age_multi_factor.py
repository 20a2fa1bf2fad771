"""TL001: a fixed MaxAgeMultiFactor, which Entra ID ignores: it limits nothing."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import ClassVar

from linter.model import TOKEN_LIFETIME_POLICY, Document
from linter.policy.timespan import Lifetime, lifetime_settings, parse_lifetime
from linter.rule import REMOVE, Applicability, Change, DocumentRule, FixRequest, Level, RuleOption, Violation

# The retirement: https://learn.microsoft.com/entra/identity-platform/configurable-token-lifetimes
# ("As of January 30, 2021 you can't configure refresh and session token lifetimes").
RETIREMENT = "30 January 2021"


def ignored_limit_message(name: str, text: str, lifetime: Lifetime, detail: str = "") -> str:
    """What TL001-TL003 say about a retired property set to a limit: one short sentence, then the facts."""
    return (
        f"{name} is ignored by Entra ID since {RETIREMENT}. Its value {text!r} ({lifetime}{detail}) neither "
        "shortens sessions nor, today, expires the connections of Power Automate flows as KB 4467879 described. "
        "Remove it; to make users sign in again, use a Conditional Access sign-in frequency (CA006 checks it "
        "spares flow connections)"
    )


def remove_retired(definition_index: int, names: Sequence[str]) -> FixRequest:
    """Remove retired properties from one definition string: safe, Entra ID ignores them already."""
    listed = ", ".join(names)
    return FixRequest(
        Applicability.SAFE,
        f"Remove {listed} from definition {definition_index}",
        (
            Change(
                REMOVE,
                f"/definition/{definition_index}",
                tuple(f"/TokenLifetimePolicy/{name}" for name in names),
            ),
        ),
    )


def remove_setting(pointer: str) -> FixRequest:
    """The fix of TL001-TL003's finding at `/definition/<index>/TokenLifetimePolicy/<name>`."""
    _, _, index, _, name = pointer.split("/")
    return remove_retired(int(index), (name,))


class ShortMaxAgeMultiFactor(DocumentRule):
    """
    ## What it checks
    Token lifetime policies whose definition sets `MaxAgeMultiFactor` to a fixed timespan
    (`[d.]hh:mm:ss`) rather than `until-revoked`. With option `min-age` set, only values shorter
    than it are reported; by default every fixed value is. `until-revoked` (the default) is left to
    TL006, so each property gets one finding.

    ## Why it matters
    `MaxAgeMultiFactor` was the longest a multi-factor refresh token could be used. Since 30 January
    2021 Entra ID no longer honors refresh and session token lifetimes, in new or existing
    policies: tokens get the default lifetimes. A fixed value therefore limits nothing. It does not
    make users sign in again, although whoever wrote it (and whoever reads it) thinks it does; nor
    does it, today, make Power Automate connections expire with `AADSTS50076`, as KB 4467879
    described when the property was honored.

    ## Example
    ```json
    {"displayName": "Contoso default", "isOrganizationDefault": true,
     "definition": ["{\\"TokenLifetimePolicy\\":{\\"Version\\":1,\\"MaxAgeMultiFactor\\":\\"14.00:00:00\\"}}"]}
    ```

    ## How to fix
    Remove `MaxAgeMultiFactor` from the definition: Graph JSON
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

    code = "TL001"
    name = "short-max-age-multi-factor"
    summary = "MaxAgeMultiFactor is a fixed timespan, which Entra ID has ignored since 30 January 2021"
    level = Level.WARNING
    kinds = frozenset({TOKEN_LIFETIME_POLICY})
    tags = ("token-lifetime", "dead-configuration")
    options = (
        RuleOption(
            "min-age",
            "timespan",
            "until-revoked",
            "Report only values shorter than this; the default, until-revoked, reports every fixed value.",
        ),
    )
    setting: ClassVar[str] = "MaxAgeMultiFactor"

    @classmethod
    def reports_by_default(cls, lifetime: Lifetime) -> bool:
        """Whether the rule, with its default options, reports this value (TL006 reports the others)."""
        return not lifetime.until_revoked

    def check(self, document: Document) -> Iterator[Violation]:
        min_age = parse_lifetime(self.settings["min-age"])
        for pointer, text, lifetime in lifetime_settings(document, self.setting):
            if lifetime.until_revoked or not lifetime < min_age:
                continue
            threshold = "" if min_age.until_revoked else f", shorter than min-age {min_age}"
            message = ignored_limit_message(self.setting, text, lifetime, threshold)
            yield self.violation(document, message, pointer, fix=remove_setting(pointer))
