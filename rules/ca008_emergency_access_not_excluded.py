"""CA008: a policy that can lock everyone out does not exclude the emergency access accounts."""

from __future__ import annotations

from collections.abc import Iterable

from linter.model import CONDITIONAL_ACCESS_POLICY, Document
from linter.rule import DocumentRule, Level, RuleOption, Violation
from linter.whatif.questions import blocks, includes_all_users, is_enabled, missing_exclusions, requires_grant
from linter.whatif.values import all_of, present


class EmergencyAccessNotExcluded(DocumentRule):
    """
    ## What it checks
    Only when option `emergency-access` lists the tenant's emergency access ("break-glass")
    accounts: an enabled policy that targets all users (`includeUsers: ["All"]`) and blocks access
    (or, with option `all-grants = true`, requires anything: MFA, a compliant device, an
    authentication strength, terms of use) must exclude every listed account in `excludeUsers` or
    `excludeGroups`. Accounts are object ids or Terraform references such as
    `azuread_user.breakglass.object_id`, compared with the reference text the policy uses. Without
    the option the rule is silent: entralint cannot know which accounts are for emergencies.

    ```toml
    [tool.entralint.rules.CA008]
    emergency-access = ["8d6b3c0e-0000-4000-8000-000000000001", "azuread_group.breakglass.object_id"]
    all-grants = false
    ```

    ## Why it matters
    Emergency access accounts are how an administrator gets back in when Conditional Access goes
    wrong: a block that misfires, an MFA or federation outage, a deleted named location. A policy
    for all users that does not exclude them locks them out too, and every sign-in fails with
    `AADSTS53003` (access blocked by Conditional Access) or `AADSTS50076` (MFA required) until
    Microsoft support restores access.

    ## Example
    ```json
    {"displayName": "Block legacy authentication", "state": "enabled",
     "conditions": {"clientAppTypes": ["exchangeActiveSync", "other"],
                    "users": {"includeUsers": ["All"], "excludeUsers": []},
                    "applications": {"includeApplications": ["All"]}},
     "grantControls": {"operator": "OR", "builtInControls": ["block"]}}
    ```

    ## How to fix
    Exclude the accounts (or the group holding them): Graph JSON `"users": {"includeUsers": ["All"],
    "excludeUsers": ["<break-glass id>"], "excludeGroups": ["<break-glass group id>"]}`; Terraform
    `users { included_users = ["All"] excluded_users = [azuread_user.breakglass.object_id] }`.

    ## References
    - https://learn.microsoft.com/entra/identity/role-based-access-control/security-emergency-access
    - https://learn.microsoft.com/entra/identity/conditional-access/plan-conditional-access
    """

    code = "CA008"
    name = "emergency-access-not-excluded"
    summary = "A policy for all users that blocks does not exclude the emergency access accounts"
    level = Level.WARNING
    kinds = frozenset({CONDITIONAL_ACCESS_POLICY})
    tags = ("security", "availability")
    security_severity = 5.0
    options = (
        RuleOption(
            "emergency-access",
            "string-list",
            (),
            "object ids or Terraform references of the emergency access accounts or their group; the rule is "
            "silent while this is empty",
        ),
        RuleOption(
            "all-grants",
            "boolean",
            False,
            "also check policies that require a grant control (MFA, compliant device, ...), not only blocks",
        ),
    )

    def check(self, document: Document) -> Iterable[Violation]:
        accounts: tuple[str, ...] = tuple(self.settings["emergency-access"])
        if not accounts:
            return ()
        grant = requires_grant(document) if self.settings["all-grants"] else blocks(document)
        if all_of(is_enabled(document), includes_all_users(document), grant) is not True:
            return ()
        missing = missing_exclusions(document, accounts)
        if not missing:
            return ()
        action = "blocks" if blocks(document) else "requires a grant control for"
        return (
            self.violation(
                document,
                f"policy {document.name!r} {action} all users but does not exclude emergency access account(s) "
                f"{', '.join(missing)}: a mistake in it locks every administrator out",
                present(
                    document,
                    "/conditions/users/excludeUsers",
                    "/conditions/users/excludeGroups",
                    "/conditions/users/includeUsers",
                ),
            ),
        )
