"""CA005: a device code flow block that leaves some resources out, and what protocol tracking does then."""

from __future__ import annotations

from collections.abc import Iterable

from linter.model import CONDITIONAL_ACCESS_POLICY, Document
from linter.policy.context import SignInContext
from linter.policy.directory_names import application_id
from linter.policy.questions import (
    DEVICE_REGISTRATION_SERVICE,
    applies,
    blocks,
    is_enforced_or_report_only,
    policy_of,
)
from linter.policy.values import all_of, listed
from linter.rule import DocumentRule, Level, Violation

_DEVICE_CODE = SignInContext(transfer_method="deviceCodeFlow")
_INCLUDED = "/conditions/applications/includeApplications"
_EXCLUDED = "/conditions/applications/excludeApplications"
_TRACKING = (
    "A session that used device code flow is protocol-tracked, so later sign-ins in that session to the "
    "resources the policy covers are blocked too, even by other flows"
)


class DeviceCodeFlowPartiallyBlocked(DocumentRule):
    """
    ## What it checks
    An enabled or report-only policy that blocks `deviceCodeFlow` but includes only some resources
    (`includeApplications` without `All`) or excludes resources other than the Device Registration
    Service (`01cb2876-7ebd-4aa4-9cc9-d28bd4d359a9`).

    ## Why it matters
    Entra ID enforces authentication flows policies with protocol tracking: a session in which device
    code flow was used is marked, and the mark survives token refreshes. When the same session later
    signs in to a resource the policy covers, with any flow, the sign-in is blocked with `AADSTS53003`
    and the sign-in log shows "Original transfer method: Device code flow". A policy that allows
    device code flow for SharePoint but blocks it elsewhere therefore also breaks Exchange access in
    a session that started with a SharePoint device code sign-in. Microsoft calls these blocks
    expected behavior with no remediation, so a partial block is a design choice worth reviewing.

    ## Example
    ```json
    {"displayName": "Block device code flow except SharePoint", "state": "enabled",
     "conditions": {"authenticationFlows": {"transferMethods": "deviceCodeFlow"},
                    "users": {"includeUsers": ["All"]},
                    "applications": {"includeApplications": ["All"],
                                     "excludeApplications": ["00000003-0000-0ff1-ce00-000000000000"]}},
     "grantControls": {"operator": "OR", "builtInControls": ["block"]}}
    ```

    ## How to fix
    Prefer one block on all resources (Graph JSON `"includeApplications": ["All"]`, excluding only
    `01cb2876-7ebd-4aa4-9cc9-d28bd4d359a9` when devices register by device code; Terraform
    `included_applications = ["All"]`, `excluded_applications = [...]`) and carve out the devices
    that need the flow by platform, location or a device filter instead. If the resource exception
    is intended, make sure its users never reach the covered resources from the same session.

    ## References
    - https://learn.microsoft.com/entra/identity/conditional-access/concept-authentication-flows
    - https://learn.microsoft.com/entra/identity/conditional-access/policy-block-authentication-flows
    """

    code = "CA005"
    name = "device-code-flow-partially-blocked"
    summary = "A device code flow block covers only some resources, which protocol tracking makes surprising"
    level = Level.NOTE
    kinds = frozenset({CONDITIONAL_ACCESS_POLICY})
    tags = ("authentication-flows",)

    def check(self, document: Document) -> Iterable[Violation]:
        policy = policy_of(document)
        if not policy.values("/conditions/authenticationFlows/transferMethods"):
            return ()  # the usual policy: no authentication flows condition
        if applies(document, _DEVICE_CODE, ("authenticationFlow",)) is not True:
            return ()
        included, excluded = policy.values(_INCLUDED), policy.values(_EXCLUDED)
        if included.unresolved or excluded.unresolved or not included.known - {"none"}:
            return ()
        # What the block leaves out decides first: most blocks leave out nothing but DRS, and need no more reading.
        if not included.has("All"):
            pointer = _INCLUDED
            names = ", ".join(listed(document, _INCLUDED) or ())
            message = f"Policy {document.name!r} blocks device code flow for some resources only ({names}). {_TRACKING}"
        else:
            others = [
                app for app in listed(document, _EXCLUDED) or () if application_id(app) != DEVICE_REGISTRATION_SERVICE
            ]
            if not others:
                return ()
            pointer = _EXCLUDED
            message = f"Policy {document.name!r} blocks device code flow except for {', '.join(others)}. {_TRACKING}"
        if all_of(is_enforced_or_report_only(document), blocks(document)) is not True:
            return ()
        return (self.violation(document, message, pointer),)
