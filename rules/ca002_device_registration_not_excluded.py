"""CA002: a device code flow block on all resources that also blocks device registration."""

from __future__ import annotations

from collections.abc import Iterable

from linter.model import CONDITIONAL_ACCESS_POLICY, Document
from linter.policy.applicability import (
    DEVICE_REGISTRATION_SERVICE,
    blocks,
    excluded_applications,
    includes_all_resources,
    is_enforced_or_report_only,
    transfer_methods,
)
from linter.policy.values import all_of, present
from linter.rule import DocumentRule, Level, Violation


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
        if methods is None or "deviceCodeFlow" not in methods:
            return ()
        excluded = excluded_applications(document)
        # An excluded DRS decides first: most device code flow blocks have it, and need no more reading.
        if excluded is None or any(app.strip().casefold() == DEVICE_REGISTRATION_SERVICE for app in excluded):
            return ()
        if all_of(is_enforced_or_report_only(document), blocks(document), includes_all_resources(document)) is not True:
            return ()
        return (
            self.violation(
                document,
                f"policy {document.name!r} blocks device code flow for all resources without excluding the Device "
                f"Registration Service ({DEVICE_REGISTRATION_SERVICE}): since September 2024 this blocks device "
                "registration by device code; exclude it (ScubaGear users: also allow-list it in "
                "CapExclusions.Applications)",
                present(
                    document,
                    "/conditions/applications/excludeApplications",
                    "/conditions/applications/includeApplications",
                ),
            ),
        )
