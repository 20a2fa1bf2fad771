"""CA002: a device code flow block on all resources that also blocks device registration."""

from __future__ import annotations

from collections.abc import Iterable

from linter.model import CONDITIONAL_ACCESS_POLICY, Document
from linter.policy.context import SignInContext
from linter.policy.questions import (
    DEVICE_REGISTRATION_SERVICE,
    applies,
    blocks,
    is_enforced_or_report_only,
    policy_of,
    transfer_methods,
)
from linter.policy.values import all_of, present
from linter.rule import APPEND, Applicability, Change, DocumentRule, FixRequest, Level, Violation

# A device registration by device code: the sign-in the rule asks the policy about.
_REGISTRATION = SignInContext(target=DEVICE_REGISTRATION_SERVICE, transfer_method="deviceCodeFlow")
_ASKED = ("application", "authenticationFlow")
_EXCLUDE_SERVICE = FixRequest(
    Applicability.SAFE,
    "Exclude the Device Registration Service from the policy",
    (Change(APPEND, "/conditions/applications/excludeApplications", DEVICE_REGISTRATION_SERVICE),),
)


class DeviceRegistrationNotExcluded(DocumentRule):
    """
    ## What it checks
    An enabled or report-only Conditional Access policy whose authentication flows condition
    includes `deviceCodeFlow`, whose grant is `block`, and which targets all resources
    (`includeApplications: ["All"]`) without excluding the Device Registration Service
    (`01cb2876-7ebd-4aa4-9cc9-d28bd4d359a9`).

    ## Why it matters
    Since early September 2024 Microsoft enforces authentication flows policies on the Device
    Registration Service (DRS) when they target all resources. Organizations that register devices
    with device code flow (shared devices, Teams Rooms, kiosks, some Linux and Android enrollment
    tools) then see registration fail with `AADSTS53003` (access blocked by Conditional Access).
    Tenants assessed with CISA ScubaGear must then also allow-list DRS in `CapExclusions.Applications`
    of their ScubaGear configuration, since the baseline expects the block to cover all resources.

    ## Example
    ```json
    {"displayName": "Block device code flow", "state": "enabled",
     "conditions": {"authenticationFlows": {"transferMethods": "deviceCodeFlow"},
                    "users": {"includeUsers": ["All"]},
                    "applications": {"includeApplications": ["All"]}},
     "grantControls": {"operator": "OR", "builtInControls": ["block"]}}
    ```

    ## How to fix
    If nobody registers devices with device code flow (filter the sign-in logs on resource
    `01cb2876-7ebd-4aa4-9cc9-d28bd4d359a9` and authentication protocol "Device code"), ignore this
    finding. Otherwise exclude DRS: Graph JSON `"applications": {"includeApplications": ["All"],
    "excludeApplications": ["01cb2876-7ebd-4aa4-9cc9-d28bd4d359a9"]}`; Terraform
    `applications { included_applications = ["All"] excluded_applications =
    ["01cb2876-7ebd-4aa4-9cc9-d28bd4d359a9"] }`. ScubaGear users add the same id to
    `CapExclusions.Applications`.

    ## References
    - https://learn.microsoft.com/entra/identity/conditional-access/concept-authentication-flows
    - https://learn.microsoft.com/entra/identity/conditional-access/policy-block-authentication-flows
    """

    code = "CA002"
    name = "device-registration-not-excluded"
    summary = "A device code flow block on all resources does not exclude the Device Registration Service"
    level = Level.WARNING
    kinds = frozenset({CONDITIONAL_ACCESS_POLICY})
    tags = ("security", "authentication-flows", "availability")
    security_severity = 4.0

    def check(self, document: Document) -> Iterable[Violation]:
        methods = transfer_methods(document)
        if not methods or "devicecodeflow" not in methods:  # the usual policy: no authentication flows condition
            return ()
        # Does the policy apply to a device code sign-in to DRS (all resources, DRS not excluded), and block it?
        if applies(document, _REGISTRATION, _ASKED) is not True:
            return ()
        if all_of(is_enforced_or_report_only(document), blocks(document)) is not True:
            return ()
        all_resources = policy_of(document).values("/conditions/applications/includeApplications").has("All")
        scope = (
            "for all resources without excluding the Device Registration Service"
            if all_resources
            else "for the Device Registration Service"
        )
        return (
            self.violation(
                document,
                f"Policy {document.name!r} blocks device registration by device code. It blocks device code flow "
                f"{scope} ({DEVICE_REGISTRATION_SERVICE}), which since September 2024 includes device registration. "
                "Exclude the service (ScubaGear users: also allow-list it in CapExclusions.Applications)",
                present(
                    document,
                    "/conditions/applications/excludeApplications",
                    "/conditions/applications/includeApplications",
                ),
                # A policy naming the service itself means to block it: excluding it there is the user's call.
                fix=_EXCLUDE_SERVICE if all_resources else None,
            ),
        )
