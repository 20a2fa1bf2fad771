"""Emergency access ("break-glass") accounts: a fact about a tenant, configured or inferred from its policies.

Microsoft's guidance is to exclude emergency access accounts from every Conditional Access policy
(https://learn.microsoft.com/entra/identity/role-based-access-control/security-emergency-access), so
a tenant that follows it shows them: a user or group excluded from nearly every enabled policy, or
one that only a policy named for break-glass accounts includes. Rules ask `emergency_access(tenant)`;
the answer names where it came from, so a rule can say "inferred" and how to confirm it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, Any, NamedTuple

from linter.model import Unresolved
from linter.policy.compiled import state

if TYPE_CHECKING:
    from linter.model import Document, Tenant

__all__ = [
    "BREAK_GLASS_NAME",
    "MIN_EXCLUDING_POLICIES",
    "NEARLY_EVERY",
    "EmergencyAccess",
    "InferredAccount",
    "emergency_access",
    "infer",
    "written_kind",
]

# "Nearly every enabled policy": at least this many enabled policies that target users, and this share of them.
MIN_EXCLUDING_POLICIES = 3
NEARLY_EVERY = 0.8
BREAK_GLASS_NAME = re.compile(r"break[\s_.-]*glass|emergency[\s_.-]*access", re.IGNORECASE)
# A reference a source computes (`var.break_glass_user_id`, `azuread_group.emergency_admins.object_id`) names
# what it holds; an object id names nothing, so this only ever matches Terraform, Bicep or ARM expressions.
BREAK_GLASS_REFERENCE = re.compile(r"break[\s_.-]*glass|emergency", re.IGNORECASE)
# Graph's special values are not accounts.
_SPECIAL = frozenset({"all", "none", "guestsorexternalusers"})
_EXCLUDED = (("excludeUsers", "user"), ("excludeGroups", "group"))
_INCLUDED = (("includeUsers", "user"), ("includeGroups", "group"))
_USER_INCLUDES = ("includeUsers", "includeGroups", "includeRoles", "includeGuestsOrExternalUsers")


class InferredAccount(NamedTuple):
    """A user or group the tenant's own policies show to be an emergency access account."""

    value: str  # as the policies write it: an object id or a Terraform reference
    kind: str  # "user" or "group"
    reason: str  # "excluded from 9 of 9 enabled policies", "included only by 'CA000 Break glass'"


class EmergencyAccess(NamedTuple):
    """A tenant's emergency access accounts and where they come from."""

    configured: tuple[str, ...]
    source: str  # "rule option", "configuration", "inferred" or "" (none known)
    inferred: tuple[InferredAccount, ...] = ()

    def accounts(self) -> tuple[str, ...]:
        return self.configured or tuple(account.value for account in self.inferred)

    def exempts(self, value: str) -> bool:
        wanted = value.strip().casefold()
        return any(account.strip().casefold() == wanted for account in self.accounts())

    def kind(self, value: str, policies: Sequence[Document]) -> str | None:
        """ "user" or "group": as inferred, else as the tenant's policies write it; None when unknown or both."""
        wanted = value.strip().casefold()
        for account in self.inferred:
            if account.value.strip().casefold() == wanted:
                return account.kind
        return written_kind(policies, value)

    def reason(self, value: str) -> str:
        """Why value is taken for an emergency access account, for a message ("" when configured)."""
        wanted = value.strip().casefold()
        for account in self.inferred:
            if account.value.strip().casefold() == wanted:
                return account.reason
        return ""


def emergency_access(tenant: Tenant, override: Sequence[str] = ()) -> EmergencyAccess:
    """A rule's own option wins, then the tenant's configuration; without either, inference."""
    if override:
        return EmergencyAccess(tuple(override), "rule option")
    if tenant.emergency_access_setting is not None:
        return EmergencyAccess(tenant.emergency_access_setting, "configuration")
    inferred = infer(tenant.conditional_access_policies)
    return EmergencyAccess((), "inferred" if inferred else "", inferred)


def _strings(document: Document, key: str) -> list[str]:
    users = document.get("/conditions/users")
    value = users.get(key) if isinstance(users, dict) else None
    items: list[Any] = [value] if isinstance(value, str) else value if isinstance(value, list) else []
    # Kept as they are (an Unresolved reference stays one): the source text is what other policies match.
    return [item for item in items if isinstance(item, str) and item.strip().casefold() not in _SPECIAL]


def _targets_users(document: Document) -> bool:
    """Does the policy include anyone (not only `None`)? A workload identity or agent policy does not count."""
    users = document.get("/conditions/users")
    if not isinstance(users, dict):
        return False
    for key in _USER_INCLUDES:
        value = users.get(key)
        if isinstance(value, dict) or (isinstance(value, str) and value.strip().casefold() != "none"):
            return True
        if isinstance(value, list) and any(
            isinstance(item, str) and item.strip().casefold() != "none" for item in value
        ):
            return True
    return False


def _subjects(document: Document, keys: tuple[tuple[str, str], ...]) -> Iterator[tuple[str, str, str]]:
    """(casefolded value, value, kind) of the users and groups a policy lists under keys."""
    for key, kind in keys:
        for value in _strings(document, key):
            yield value.casefold(), value, kind


def infer(policies: Sequence[Document]) -> tuple[InferredAccount, ...]:
    """Users and groups excluded from nearly every enabled policy, or included only by break-glass policies.

    Nearly every: at least MIN_EXCLUDING_POLICIES enabled policies that target users, and at least
    NEARLY_EVERY (80%) of them. Report-only and disabled policies are not counted: a break-glass
    exclusion matters where a policy is enforced. A third sign: an excluded reference (not an object
    id) whose name says break glass or emergency (`var.break_glass_user_id`).
    """
    enabled = [p for p in policies if state(p) == "enabled" and _targets_users(p)]
    found: dict[str, InferredAccount] = {}
    excluded_from: dict[str, tuple[str, str, int]] = {}
    counted = {id(policy) for policy in enabled}
    for policy in [p for p in policies if state(p) != "disabled" and id(p) not in counted]:
        for folded, value, kind in _subjects(policy, _EXCLUDED):
            excluded_from.setdefault(folded, (value, kind, 0))
    for policy in enabled:
        for folded, value, kind in dict.fromkeys(_subjects(policy, _EXCLUDED)):
            _, _, count = excluded_from.get(folded, (value, kind, 0))
            excluded_from[folded] = (value, kind, count + 1)
    for folded, (value, kind, count) in excluded_from.items():
        if count >= MIN_EXCLUDING_POLICIES and count >= NEARLY_EVERY * len(enabled):
            reason = f"excluded from {count} of the {len(enabled)} enabled policies for users"
            found[folded] = InferredAccount(value, kind, reason)
    included_by: dict[str, tuple[str, str, list[str]]] = {}
    for policy in policies:
        if state(policy) == "disabled":
            continue
        for folded, value, kind in _subjects(policy, _INCLUDED):
            included_by.setdefault(folded, (value, kind, []))[2].append(policy.name)
    for folded, (value, kind, names) in included_by.items():
        if folded not in found and all(BREAK_GLASS_NAME.search(name) for name in names):
            found[folded] = InferredAccount(value, kind, f"included only by {', '.join(map(repr, names))}")
    for folded, (value, kind, _) in excluded_from.items():
        if folded not in found and isinstance(value, Unresolved) and BREAK_GLASS_REFERENCE.search(value):
            found[folded] = InferredAccount(value, kind, "a reference whose name says break glass or emergency")
    return tuple(sorted(found.values(), key=lambda account: (account.kind, account.value.casefold())))


def written_kind(policies: Sequence[Document], value: str) -> str | None:
    """Whether the policies list value as a user or as a group (includes and exclusions); None if neither or both."""
    wanted = value.strip().casefold()
    kinds = {
        kind
        for policy in policies
        for folded, _, kind in _subjects(policy, (*_EXCLUDED, *_INCLUDED))
        if folded.strip() == wanted
    }
    return kinds.pop() if len(kinds) == 1 else None
