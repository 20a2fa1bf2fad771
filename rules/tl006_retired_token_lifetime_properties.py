"""TL006: a definition sets refresh or session token lifetimes, which Entra ID ignores."""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from linter.model import TOKEN_LIFETIME_POLICY, Document
from linter.policy.timespan import REFRESH_AND_SESSION_PROPERTIES
from linter.rule import DocumentRule, Level, Violation


class RetiredTokenLifetimeProperties(DocumentRule):
    """
    ## What it checks
    Token lifetime definitions that set any of `MaxInactiveTime`, `MaxAgeSingleFactor`,
    `MaxAgeMultiFactor`, `MaxAgeSessionSingleFactor` or `MaxAgeSessionMultiFactor`: one finding
    per definition, naming them all.

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
            retired = [name for name in policy if name in REFRESH_AND_SESSION_PROPERTIES]
            if not retired:
                continue
            yield self.violation(
                document,
                f"definition {definition.array_index} sets {', '.join(retired)}, which Entra ID has ignored since "
                "30 January 2021 (refresh and session token lifetimes are retired): remove them and use "
                "Conditional Access sign-in frequency for session limits",
                f"/definition/{definition.array_index}/TokenLifetimePolicy/{retired[0]}#key",
            )
