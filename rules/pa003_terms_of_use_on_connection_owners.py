"""PA003: a terms-of-use grant applies to the accounts that own flow connections."""

from __future__ import annotations

from collections.abc import Iterable

from linter.model import CONDITIONAL_ACCESS_POLICY, Document
from linter.policy.apps import (
    DATAVERSE,
    EXCHANGE_ONLINE,
    MICROSOFT_FLOW_PORTAL,
    MICROSOFT_FLOW_SERVICE,
    SHAREPOINT_ONLINE,
    app_label,
)
from linter.policy.compiled import Values, state
from linter.policy.conditions import users
from linter.policy.context import SignInContext
from linter.policy.questions import applies, policy_of
from linter.rule import DocumentRule, Level, RuleOption, Violation

SERVICES = (MICROSOFT_FLOW_SERVICE, MICROSOFT_FLOW_PORTAL, EXCHANGE_ONLINE, SHAREPOINT_ONLINE, DATAVERSE)


class TermsOfUseOnConnectionOwners(DocumentRule):
    """
    ## What it checks
    An enabled policy whose grant includes terms of use (`grantControls.termsOfUse`) and that covers
    Power Automate (Microsoft Flow Service or the Flow portal) or a service flows connect to
    (Exchange Online, SharePoint Online, Dataverse, through their ids, `Office365` or all resources)
    for the accounts that own flow connections: those listed in option `connection-owners` (user or
    group ids, or Terraform references), or any user when the option is not set.

    ## Why it matters
    Flow connections refresh their tokens in the background. A refresh cannot show the terms of use
    page, so once the policy applies the connections stop refreshing: flows fail on their next run
    and the owners must repair the connections, again after every new version of the terms.

    ## Example
    ```json
    {"displayName": "Contractors accept terms", "state": "enabled",
     "conditions": {"users": {"includeGroups": ["<contractors>"]},
                    "applications": {"includeApplications": ["Office365"]}},
     "grantControls": {"operator": "OR", "termsOfUse": ["<agreement id>"]}}
    ```

    ## How to fix
    Exclude the accounts that own connections (service accounts for flows) from the policy:
    `excludeUsers`/`excludeGroups` in Graph JSON, `excluded_users`/`excluded_groups` in Terraform, or
    exclude Microsoft Flow Service (`7df0a125-d3be-4c96-aa54-591f83ff541c`) if the owners are people
    who accept the terms interactively elsewhere. Then set option `connection-owners` so the rule
    checks exactly those accounts.

    ## References
    - https://learn.microsoft.com/entra/identity/conditional-access/terms-of-use
    - https://learn.microsoft.com/troubleshoot/power-platform/power-automate/administration/conditional-access-and-multi-factor-authentication-in-flow
    """

    code = "PA003"
    name = "terms-of-use-on-connection-owners"
    summary = "A terms-of-use grant applies to accounts that own flow connections: background refresh breaks"
    level = Level.WARNING
    kinds = frozenset({CONDITIONAL_ACCESS_POLICY})
    tags = ("power-automate", "terms-of-use")
    options = (
        RuleOption(
            "connection-owners",
            "string-list",
            [],
            "user or group object ids (or Terraform references) of the accounts that own flow connections; "
            "without it, every user counts",
        ),
    )

    def check(self, document: Document) -> Iterable[Violation]:
        if state(document) != "enabled":
            return ()
        data = document.data
        grant = data.get("grantControls") if type(data) is dict else None
        # The usual policy's grant read with dict gets; any other shape the general way.
        terms = grant.get("termsOfUse") if type(grant) is dict else document.get("/grantControls/termsOfUse")
        if terms is None or not Values.of(terms):
            return ()
        services = [app for app in SERVICES if applies(document, SignInContext(target=app), ("application",)) is True]
        if not services:
            return ()
        owners = self.settings["connection-owners"]
        if owners:
            policy = policy_of(document)
            affected = [
                owner
                for owner in owners
                if users(policy, SignInContext(user=owner, groups=frozenset([owner])), {}).value is True
            ]
            if not affected:
                return ()
            who = f"connection owners {', '.join(affected)}"
        else:
            who = "every user it covers (option connection-owners names the accounts that own connections)"
        names = ", ".join(app_label(app) for app in services)
        return (
            self.violation(
                document,
                f"Policy {document.name!r} breaks the flow connections of {who}. It requires terms of use for "
                f"{names}, which background token refresh cannot show, so their connections stop refreshing and "
                "flows fail",
                "/grantControls/termsOfUse",
            ),
        )
