"""CA006: a sign-in frequency on Power Automate makes flow connections expire."""

from __future__ import annotations

from collections.abc import Iterable

from linter.model import CONDITIONAL_ACCESS_POLICY, Document
from linter.policy.apps import MICROSOFT_FLOW_PORTAL, MICROSOFT_FLOW_SERVICE
from linter.policy.conditions import Tri, application
from linter.policy.context import SignInContext
from linter.policy.questions import ENABLED, missing_exclusions, policy_of
from linter.policy.session import SignInFrequency, sign_in_frequency
from linter.rule import BenchmarkControl, DocumentRule, Level, RuleOption, Violation

_FLOW_SERVICE = SignInContext(target=MICROSOFT_FLOW_SERVICE)
# The Flow portal is in the `Office365` app group, the Flow service is not: a policy on Office365 reaches
# Power Automate through the portal (https://learn.microsoft.com/entra/identity/conditional-access/
# reference-office-365-application-contents).
_FLOW_PORTAL = SignInContext(target=MICROSOFT_FLOW_PORTAL)


def targets_power_automate(document: Document) -> Tri:
    """Does the policy apply to Power Automate: the Flow service, or the portal unless the service is excluded?"""
    policy = policy_of(document)
    service = application(policy, _FLOW_SERVICE, {})
    if service.value is not False or service.reason.startswith("excluded"):
        return service.value
    return application(policy, _FLOW_PORTAL, {}).value


class SignInFrequencyBreaksConnections(DocumentRule):
    """
    ## What it checks
    An enabled Conditional Access policy whose session controls set a sign-in frequency
    (`sessionControls.signInFrequency` with `isEnabled: true`, time-based or `everyTime`) on
    resources that include Power Automate: all resources, the `Office365` app group, or Microsoft
    Flow Service (`7df0a125-d3be-4c96-aa54-591f83ff541c`), not excluded.

    Option `connection-owners` lists the accounts (user or group object ids, or Terraform
    references such as `azuread_user.flow_service.object_id`) that own flow connections and are
    excluded from the policy on purpose; when every listed account is in `excludeUsers` or
    `excludeGroups`, the rule stays silent.

    ## Why it matters
    Power Automate connections keep refresh tokens of the users who created them. A sign-in
    frequency makes those tokens stop refreshing at the configured interval: the connection fails
    with `AADSTS70043` (the refresh token has expired or is invalid due to sign-in frequency checks
    by Conditional Access), every flow using it fails on its next run, and the owner must repair or
    re-create the connection by signing in again.

    The benchmarks ask for this very setting: CIS Microsoft 365 Foundations ("Ensure that periodic
    reauthentication is required for all users", 5.2.2.13 in v7) wants a time-based sign-in
    frequency for all users on all resources. Keep that control; this rule only asks that the
    accounts owning flow connections be excluded from it, so the benchmark and the flows both hold.

    ## Example
    ```json
    {"displayName": "Sign in every 8 hours", "state": "enabled",
     "conditions": {"users": {"includeUsers": ["All"]}, "applications": {"includeApplications": ["All"]}},
     "sessionControls": {"signInFrequency": {"isEnabled": true, "type": "hours", "value": 8,
                                             "frequencyInterval": "timeBased"}}}
    ```

    ## How to fix
    Do not drop the sign-in frequency (the benchmarks require it for everyone else). Run flows under
    dedicated connection-owner accounts (or service principals where the connector allows) and
    exclude those accounts only: Graph JSON `"users": {"excludeUsers": ["<owner id>"]}` or
    `"excludeGroups": [...]`, Terraform `excluded_users = [azuread_user.flow_owner.object_id]`; then
    list them in `[tool.entralint.rules.CA006] connection-owners`. Alternatively exclude Microsoft
    Flow Service (`"excludeApplications": ["7df0a125-d3be-4c96-aa54-591f83ff541c"]`, Terraform
    `excluded_applications`) or limit the frequency to unmanaged devices with a device filter. A
    sign-in frequency needs Microsoft Entra ID P1; protect the excluded owner accounts otherwise
    (MFA, a compliant device, no interactive use).

    ## References
    - https://learn.microsoft.com/troubleshoot/power-platform/power-automate/sign-in/conditional-access-and-multi-factor-authentication-in-flow
    - https://learn.microsoft.com/entra/identity/conditional-access/concept-session-lifetime
    - https://learn.microsoft.com/entra/identity/conditional-access/howto-conditional-access-session-lifetime
    """

    code = "CA006"
    name = "sign-in-frequency-breaks-connections"
    summary = "A sign-in frequency on Power Automate makes flow connections stop refreshing"
    level = Level.WARNING
    kinds = frozenset({CONDITIONAL_ACCESS_POLICY})
    tags = ("power-automate", "session")
    # The control that asks for the setting this rule warns about: the rule's fix keeps it satisfied.
    benchmarks = (BenchmarkControl("cis-m365-v7", "5.2.2.13"),)
    options = (
        RuleOption(
            "connection-owners",
            "string-list",
            (),
            "user or group ids (or Terraform references) of accounts that own flow connections and are excluded "
            "on purpose; when all of them are excluded the rule is silent",
        ),
    )

    def check(self, document: Document) -> Iterable[Violation]:
        frequency = sign_in_frequency(document)
        if not isinstance(frequency, SignInFrequency) or policy_of(document).state != ENABLED:
            return ()
        if targets_power_automate(document) is not True:
            return ()
        owners: tuple[str, ...] = self.settings["connection-owners"]
        if owners and missing_exclusions(document, owners) in (None, ()):
            return ()
        interval = frequency.describe()
        expiry = "cannot refresh at all" if frequency.every_time else "stop refreshing at that interval"
        return (
            self.violation(
                document,
                f"Policy {document.name!r} breaks Power Automate connections. It requires sign-in {interval} on "
                f"resources that include Power Automate, so flow connections {expiry} (AADSTS70043) and their "
                "flows fail until repaired. Keep the sign-in frequency (CIS asks for it for all users) and "
                "exclude the accounts that own flow connections",
                "/sessionControls/signInFrequency",
            ),
        )
