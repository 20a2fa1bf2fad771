"""CA008: a policy that can lock everyone out does not exclude the emergency access accounts."""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence

from linter.model import Document, Tenant
from linter.policy.emergency import EmergencyAccess, emergency_access
from linter.policy.questions import blocks, includes_all_users, is_enabled, missing_exclusions, requires_grant
from linter.policy.values import all_of, present
from linter.rule import APPEND, Applicability, Change, FixRequest, Level, RuleOption, TenantRule, Violation

# An object id can be written as a literal; a reference (`azuread_user.breakglass.object_id`) cannot.
_OBJECT_ID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", re.IGNORECASE)
_EXCLUSIONS = {"user": "/conditions/users/excludeUsers", "group": "/conditions/users/excludeGroups"}


def _exclude(access: EmergencyAccess, missing: Sequence[str], policies: Sequence[Document]) -> FixRequest | None:
    """Each missing account added to the exclusions of its kind; None unless every one is an object id whose
    kind (user or group) the tenant shows. Unsafe: whether these are the right accounts is the user's call."""
    changes = []
    for account in missing:
        kind = access.kind(account, policies)
        if kind is None or not _OBJECT_ID.fullmatch(account.strip()):
            return None
        changes.append(Change(APPEND, _EXCLUSIONS[kind], account.strip()))
    return FixRequest(
        Applicability.UNSAFE,
        f"Exclude emergency access account(s) {', '.join(missing)} from the policy",
        tuple(changes),
    )


class EmergencyAccessNotExcluded(TenantRule):
    """
    ## What it checks
    An enabled policy that targets all users (`includeUsers: ["All"]`) and blocks access (or, with
    option `all-grants = true`, requires anything: MFA, a compliant device, an authentication
    strength, terms of use) must exclude every emergency access ("break-glass") account of its
    tenant in `excludeUsers` or `excludeGroups`. Accounts are object ids or Terraform references
    such as `azuread_user.breakglass.object_id`, compared with the reference text the policy uses.

    Emergency access is a fact about the tenant. The accounts are, in order: this rule's option
    `emergency-access` (an override), the `emergency-access` setting of the tenant (under
    `tenants`) or of the configuration; without either, the accounts entralint infers from the
    tenant's policies: a user or group excluded from nearly every enabled policy for users (at
    least 3 of them and at least 80%), included only by policies whose display name says break
    glass or emergency access, or an excluded reference named for them (`var.break_glass_user_id`;
    see docs/configuration.md). Inferred accounts are announced once per run, as a note-level
    notification naming them and why; confirm them in configuration. With no account configured
    or inferred the rule is silent.

    ```toml
    [tool.entralint]
    emergency-access = ["8d6b3c0e-0000-4000-8000-000000000001", "azuread_group.breakglass.object_id"]
    [tool.entralint.rules.CA008]
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
    tags = ("security", "availability")
    security_severity = 5.0
    options = (
        RuleOption(
            "emergency-access",
            "string-list",
            (),
            "object ids or Terraform references of the emergency access accounts or their group; overrides the "
            "`emergency-access` setting of the tenant and the accounts inferred",
        ),
        RuleOption(
            "all-grants",
            "boolean",
            False,
            "also check policies that require a grant control (MFA, compliant device, ...), not only blocks",
        ),
    )

    def check(self, tenant: Tenant) -> Iterator[Violation]:
        access = emergency_access(tenant, self.settings["emergency-access"])
        accounts = access.accounts()
        if not accounts:
            return
        for document in tenant.conditional_access_policies:
            grant = requires_grant(document) if self.settings["all-grants"] else blocks(document)
            if all_of(is_enabled(document), includes_all_users(document), grant) is not True:
                continue
            missing = missing_exclusions(document, accounts)
            if not missing:
                continue
            action = "blocks" if blocks(document) else "requires a grant control for"
            inferred = [f"{account} ({access.reason(account)})" for account in missing if access.reason(account)]
            how = (
                f" Taken for emergency access from the tenant's policies: {'; '.join(inferred)}; confirm with "
                "`emergency-access` in configuration."
                if inferred
                else ""
            )
            yield self.violation(
                document,
                f"Policy {document.name!r} {action} all users without excluding emergency access account(s) "
                f"{', '.join(missing)}: a mistake in it locks every administrator out.{how}",
                present(
                    document,
                    "/conditions/users/excludeUsers",
                    "/conditions/users/excludeGroups",
                    "/conditions/users/includeUsers",
                ),
                key=f"{document.identity}\x1f{','.join(sorted(map(str.casefold, missing)))}",
                fix=_exclude(access, missing, tenant.conditional_access_policies),
            )
