"""TL006: a definition sets refresh or session token lifetimes, which Entra ID ignores."""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from linter.model import TOKEN_LIFETIME_POLICY, Document
from linter.policy.timespan import REFRESH_AND_SESSION_PROPERTIES, TimespanError, parse_lifetime
from linter.rule import DocumentRule, Level, Violation

from .tl001_short_max_age_multi_factor import RETIREMENT, ShortMaxAgeMultiFactor, remove_retired
from .tl002_short_max_age_single_factor import ShortMaxAgeSingleFactor
from .tl003_short_max_inactive_time import ShortMaxInactiveTime

# The retired properties a rule of their own reports when set to a limit: one finding per property.
_OWN_RULES: dict[str, type[ShortMaxAgeMultiFactor | ShortMaxInactiveTime]] = {
    "MaxAgeMultiFactor": ShortMaxAgeMultiFactor,
    "MaxAgeSingleFactor": ShortMaxAgeSingleFactor,
    "MaxInactiveTime": ShortMaxInactiveTime,
}


def _reported_elsewhere(name: str, value: object) -> bool:
    """Whether TL001-TL003 (with their default options) report this value of retired property `name`."""
    rule = _OWN_RULES.get(name)
    if rule is None or not isinstance(value, str):
        return False
    try:
        lifetime = parse_lifetime(value)
    except TimespanError:
        return False
    return rule.reports_by_default(lifetime)


class RetiredTokenLifetimeProperties(DocumentRule):
    """
    ## What it checks
    Token lifetime definitions that set any of `MaxInactiveTime`, `MaxAgeSingleFactor`,
    `MaxAgeMultiFactor`, `MaxAgeSessionSingleFactor` or `MaxAgeSessionMultiFactor`: one finding
    per definition, naming them all, except the values TL001-TL003 report (a fixed
    `MaxAgeMultiFactor` or `MaxAgeSingleFactor`, a `MaxInactiveTime` below 90 days), so that each
    property gets one finding. When `min-age` of TL001 or TL002 is set, the fixed values it leaves
    alone are not reported here either: setting it says they are accepted.

    ## Why it matters
    Since 30 January 2021 refresh and session token lifetimes can no longer be configured and
    Entra ID no longer honors them in existing policies: tokens get the default lifetimes. The
    properties only mislead readers into thinking sessions end (or last) as written, while the
    sign-ins they meant to challenge are not challenged. Where they were honored they broke
    Power Automate connections (`AADSTS50076`, `AADSTS70008`).

    ## Example
    ```json
    {"displayName": "Contoso default", "isOrganizationDefault": true,
     "definition": ["{\\"TokenLifetimePolicy\\":{\\"Version\\":1,\\"MaxAgeSessionMultiFactor\\":\\"14.00:00:00\\"}}"]}
    ```

    ## How to fix
    Keep only `Version` and `AccessTokenLifetime` in the definition: Graph JSON
    `"definition": ["{\\"TokenLifetimePolicy\\":{\\"Version\\":1,\\"AccessTokenLifetime\\":\\"01:00:00\\"}}"]`;
    in Terraform, the same string in `definition` of the
    `microsoft365_graph_beta_applications_token_lifetime_policy` resource; in PowerShell,
    `Update-MgPolicyTokenLifetimePolicy` (or `New-MgPolicyTokenLifetimePolicy`) with that
    `-Definition`. Express session limits as Conditional Access sign-in frequency and persistent
    browser session controls.

    ## References
    - https://learn.microsoft.com/entra/identity-platform/configurable-token-lifetimes
    - https://learn.microsoft.com/entra/identity/conditional-access/concept-session-lifetime
    """

    code = "TL006"
    name = "retired-token-lifetime-properties"
    summary = "A token lifetime definition sets refresh or session token properties Entra ID ignores"
    level = Level.NOTE
    kinds = frozenset({TOKEN_LIFETIME_POLICY})
    tags = ("token-lifetime", "dead-configuration")

    def check(self, document: Document) -> Iterator[Violation]:
        for definition in document.definitions:
            policy = definition.value.get("TokenLifetimePolicy") if definition.value is not None else None
            if not isinstance(policy, Mapping):
                continue
            retired = [
                name
                for name, value in policy.items()
                if name in REFRESH_AND_SESSION_PROPERTIES and not _reported_elsewhere(name, value)
            ]
            if not retired:
                continue
            them = "it" if len(retired) == 1 else "them"
            yield self.violation(
                document,
                f"Definition {definition.array_index} sets {', '.join(retired)}, ignored by Entra ID since "
                f"{RETIREMENT}. Refresh and session token lifetimes are retired: tokens get the default lifetimes "
                f"whatever the definition says. Remove {them}; for session limits use a Conditional Access sign-in "
                "frequency",
                f"/definition/{definition.array_index}/TokenLifetimePolicy/{retired[0]}#key",
                fix=remove_retired(definition.array_index, retired),
            )
