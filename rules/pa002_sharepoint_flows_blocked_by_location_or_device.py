"""PA002: a policy limits SharePoint Online by location, unmanaged devices or app-enforced restrictions."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from linter.model import CONDITIONAL_ACCESS_POLICY, Document
from linter.model.source import split_pointer
from linter.policy.apps import SHAREPOINT_ONLINE
from linter.policy.combine import alternatives, read_grant
from linter.policy.compiled import Values, state
from linter.policy.context import SignInContext
from linter.policy.questions import applies
from linter.policy.values import MISSING, lookup
from linter.rule import DocumentRule, Level, Violation

DEVICE_CONTROLS = {"compliantDevice", "domainJoinedDevice"}
_LOCATIONS = split_pointer("/conditions/locations")
_GRANT = split_pointer("/grantControls")
_SHAREPOINT = SignInContext(target=SHAREPOINT_ONLINE)
_APP_ENFORCED_RESTRICTIONS = split_pointer("/sessionControls/applicationEnforcedRestrictions/isEnabled")


def _may_require_device(grant: Any) -> bool:
    """False when no way to satisfy the grant can need a device control, known without reading the whole grant."""
    if grant is MISSING or not grant:
        return False
    built_in = grant.get("builtInControls", []) if type(grant) is dict else None
    if type(built_in) is not list:  # a computed or unusual grant: let `read_grant` read it
        return True
    return not DEVICE_CONTROLS.isdisjoint(map(str, built_in))


def _narrowing_locations(locations: Any) -> str | None:
    """The pointer of the location list that narrows the policy; None when locations do not."""
    if locations is MISSING or not isinstance(locations, Mapping):  # MISSING, the usual answer, skips the ABC check
        return None
    included = Values.of(locations.get("includeLocations"))
    excluded = Values.of(locations.get("excludeLocations"))
    if not excluded and not (included and not included.has("All")):
        return None
    return "/conditions/locations/" + ("excludeLocations" if excluded else "includeLocations")


def _limits(policy: Document) -> list[tuple[str, str]]:
    """(pointer, what) for each way the policy limits SharePoint, when it covers SharePoint."""
    data = policy.data
    if type(data) is dict:  # the usual policy: its blocks read with dict gets, not three walks from the top
        conditions = data.get("conditions", MISSING)
        session = data.get("sessionControls", MISSING)
        locations_block = (
            conditions.get("locations", MISSING) if type(conditions) is dict else lookup(conditions, _LOCATIONS[1:])
        )
        grant = data.get("grantControls", MISSING)
        restricted = session is not MISSING and lookup(session, _APP_ENFORCED_RESTRICTIONS[1:]) is True
    else:
        locations_block, grant = lookup(data, _LOCATIONS), lookup(data, _GRANT)
        restricted = lookup(data, _APP_ENFORCED_RESTRICTIONS) is True
    locations = None if locations_block is MISSING else _narrowing_locations(locations_block)
    grant_matters = locations is not None or _may_require_device(grant)
    # Most policies limit nothing: only those that do are asked whether they cover SharePoint, and
    # only those with a location or a device control get their grant read (the expensive part).
    if not (grant_matters or restricted) or applies(policy, _SHAREPOINT, ("application",)) is not True:
        return []
    found = []
    if grant_matters:
        operator, controls, blocks = read_grant(policy)
        if blocks and locations is not None:
            found.append((locations, "blocks by network location"))
        if not blocks and all(alternative & DEVICE_CONTROLS for alternative in alternatives(operator, controls)):
            found.append(("/grantControls/builtInControls", "requires a compliant or hybrid-joined device"))
    if restricted:
        found.append(("/sessionControls/applicationEnforcedRestrictions", "uses app-enforced restrictions"))
    return found


class SharePointFlowsBlockedByLocationOrDevice(DocumentRule):
    """
    ## What it checks
    An enabled or report-only Conditional Access policy that covers SharePoint Online (directly
    `00000003-0000-0ff1-ce00-000000000000`, through `Office365` or all resources) and limits it by
    network location (a block with a location condition), to managed devices (every way to satisfy
    the grant needs a compliant or hybrid-joined device) or with app-enforced restrictions.

    ## Why it matters
    Conditional Access information is not passed between Power Automate and SharePoint. SharePoint
    out-of-box flows (Request sign-off, Page approval) and flows shared through SharePoint lists and
    libraries can be blocked by such policies: users cannot discover or run their flows from
    SharePoint, and shared flows show list ids instead of names.

    ## Example
    ```json
    {"displayName": "SharePoint only from the office", "state": "enabled",
     "conditions": {"users": {"includeUsers": ["All"]},
                    "applications": {"includeApplications": ["00000003-0000-0ff1-ce00-000000000000"]},
                    "locations": {"includeLocations": ["All"], "excludeLocations": ["AllTrusted"]}},
     "grantControls": {"operator": "OR", "builtInControls": ["block"]}}
    ```

    ## How to fix
    Tell the flow owners: build the affected flows themselves and share them with the users who need
    them, or exclude those users from the policy (`excludeGroups` in Graph, `excluded_groups` in
    Terraform) if the functionality is required. Suppress the finding with a reason once decided.

    ## References
    - https://learn.microsoft.com/troubleshoot/power-platform/power-automate/administration/conditional-access-and-multi-factor-authentication-in-flow
    - https://learn.microsoft.com/sharepoint/control-access-based-on-network-location
    """

    code = "PA002"
    name = "sharepoint-flows-blocked-by-location-or-device"
    summary = "A policy limits SharePoint by location or device: SharePoint out-of-box flows may be blocked"
    level = Level.NOTE
    kinds = frozenset({CONDITIONAL_ACCESS_POLICY})
    tags = ("power-automate", "sharepoint")

    def check(self, document: Document) -> Iterable[Violation]:
        if state(document) == "disabled":
            return ()
        limits = _limits(document)
        if not limits:
            return ()
        return [
            self.violation(
                document,
                f"Policy {document.name!r} may block SharePoint flows. It {limit} for SharePoint Online, so "
                "SharePoint out-of-box flows (Request sign-off, Page approval) and flows shared through SharePoint "
                "lists may be blocked",
                pointer,
            )
            for pointer, limit in limits
        ]
