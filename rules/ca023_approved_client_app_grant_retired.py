"""CA023: a policy requires the retired "approved client app" grant."""

from __future__ import annotations

from collections.abc import Iterable

from linter.model import CONDITIONAL_ACCESS_POLICY, Document
from linter.policy.questions import is_enforced_or_report_only, policy_of
from linter.rule import BenchmarkControl, DocumentRule, Level, Violation

BUILT_IN_CONTROLS = "/grantControls/builtInControls"
APPROVED_CLIENT_APP = "approvedApplication"
APP_PROTECTION_POLICY = "compliantApplication"


class ApprovedClientAppGrantRetired(DocumentRule):
    """
    ## What it checks
    An enabled or report-only Conditional Access policy whose grant requires an approved client
    app (`"builtInControls": ["approvedApplication"]`, Terraform `built_in_controls`,
    Microsoft365DSC `BuiltInControls`) without the app protection policy grant
    (`compliantApplication`) beside it. A grant that lists both is Microsoft's own migration
    target ("Require approved client app" OR "Require app protection policy"): once the approved
    client app grant is no longer enforced it requires app protection alone, as intended, so the
    rule stays silent on it. Disabled policies are left alone.

    ## Why it matters
    Microsoft retired the "Require approved client app" grant: first announced for March 2026, the
    date was extended to June 30, 2026. After it, Microsoft stops enforcing the control "as if
    this grant isn't selected": a policy that requires only an approved client app then requires
    nothing of the app, and `approvedApplication OR mfa` becomes plain MFA, while the policy still
    reads as if mobile data were protected.

    ## Example
    ```json
    {"displayName": "Approved apps on mobile", "state": "enabled",
     "conditions": {"users": {"includeUsers": ["All"]}, "applications": {"includeApplications": ["All"]},
                    "platforms": {"includePlatforms": ["android", "iOS"]}},
     "grantControls": {"operator": "OR", "builtInControls": ["approvedApplication"]}}
    ```

    ## How to fix
    Require an app protection policy instead: Graph JSON `"builtInControls":
    ["compliantApplication"]` (Terraform `built_in_controls = ["compliantApplication"]`), or, while
    older clients still need it, `["approvedApplication", "compliantApplication"]` with operator
    `OR`; for new policies Microsoft asks for `compliantApplication` alone. The fix needs Microsoft
    Intune app protection policies for the users and apps in scope (Intune and Microsoft Entra ID
    P1 licences), and on iOS and Android a broker app (Microsoft Authenticator or Company Portal).

    ## References
    - https://learn.microsoft.com/entra/identity/conditional-access/migrate-approved-client-app
    - https://learn.microsoft.com/entra/identity/conditional-access/concept-conditional-access-grant
    """

    code = "CA023"
    name = "approved-client-app-grant-retired"
    summary = "A policy requires the retired approved client app grant without the app protection policy grant"
    level = Level.WARNING
    kinds = frozenset({CONDITIONAL_ACCESS_POLICY})
    tags = ("deprecation", "grant")
    benchmarks = (BenchmarkControl("maester", "MT.1072"),)

    def check(self, document: Document) -> Iterable[Violation]:
        controls = policy_of(document).values(BUILT_IN_CONTROLS)
        if not controls.has(APPROVED_CLIENT_APP) or controls.has(APP_PROTECTION_POLICY) or controls.unresolved:
            return ()
        if is_enforced_or_report_only(document) is not True:
            return ()
        return (
            self.violation(
                document,
                f"Policy {document.name!r} requires the retired approved client app grant. Microsoft stops "
                "enforcing approvedApplication after June 30, 2026, as if it were not selected; require an app "
                "protection policy (compliantApplication) instead",
                BUILT_IN_CONTROLS,
            ),
        )
