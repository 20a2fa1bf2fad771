"""What a reviewer checks first in a change of Conditional Access, whatever else it changes.

After the change: is an emergency access account (configured or inferred, `emergency.py`) blocked
from some class of sign-in; is every sign-in blocked (a lock-out); is a block policy enabled that
was never report-only in the base state (Microsoft: "Use report-only mode ... before enabling a
policy", https://learn.microsoft.com/entra/identity/conditional-access/concept-conditional-access-report-only).
A check fails only when the change brings it about: what the base state already did is said, not failed.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, NamedTuple

from linter.model import Tenant
from linter.policy.classes_walk import Bits, Box, choices, start_bits, walk
from linter.policy.combine import requirement
from linter.policy.compiled import CompiledPolicy
from linter.policy.context import DIMENSIONS
from linter.policy.emergency import emergency_access
from linter.policy.evaluate import Evaluator, bits_of
from linter.policy.semantic_diff import SignInClass, describe_box

__all__ = ["EMERGENCY_ACCESS_BLOCKED", "LOCK_OUT", "UNTRIED_BLOCK", "SafetyCheck", "safety_checks"]

EMERGENCY_ACCESS_BLOCKED = "emergency-access-blocked"
LOCK_OUT = "lock-out"
UNTRIED_BLOCK = "block-never-report-only"


class SafetyCheck(NamedTuple):
    """One safety finding about the state after the change; `failed` when the change brings it about."""

    check: str
    message: str
    failed: bool
    policies: tuple[str, ...] = ()


def _blocking(evaluator: Evaluator) -> int:
    return evaluator.enabled & bits_of(p.index for p in evaluator.policies if requirement(p).blocks)


def _blocked_class(evaluator: Evaluator, users: Sequence[tuple[str, dict[str, Any]]]) -> SignInClass | None:
    """A class of sign-in of these users that an enabled policy surely blocks, if any."""
    blocking = _blocking(evaluator)
    if not blocking:
        return None
    dimensions = [choices([evaluator], "users", users), *(choices([evaluator], name) for name in DIMENSIONS[1:])]
    found: list[Box] = []

    def prune(bits: Bits) -> bool:
        return bool(found) or not bits[0]

    walk(dimensions, start_bits([evaluator], [blocking]), prune, lambda bits, box: found.append(box))
    return describe_box(dimensions, found[0]) if found else None


def _locked_out(evaluator: Evaluator) -> bool:
    """Does an enabled policy surely block every class of sign-in?"""
    blocking = _blocking(evaluator)
    if not blocking:
        return False
    dimensions = [choices([evaluator], name) for name in DIMENSIONS]
    open_found: list[bool] = []

    def prune(bits: Bits) -> bool:
        if not bits[0]:
            open_found.append(True)  # nothing surely blocks this subtree
        return bool(open_found)

    walk(dimensions, start_bits([evaluator], [blocking]), prune, lambda bits, box: None)
    return not open_found


def _accounts(tenant: Tenant) -> list[tuple[str, dict[str, Any]]]:
    access = emergency_access(tenant)
    if access.inferred and not access.configured:
        return [
            (f"emergency access {account.kind} {account.value}", _fields(account.kind, account.value))
            for account in access.inferred
        ]
    # A configured account may be a user or a group: asked as both.
    return [
        (f"emergency access account {value}", fields)
        for value in access.configured
        for fields in (_fields("user", value), _fields("group", value))
    ]


def _fields(kind: str, value: str) -> dict[str, Any]:
    return {"user": value} if kind == "user" else {"groups": frozenset([value])}


def _names(policy: CompiledPolicy) -> set[str]:
    data_id = policy.document.data.get("id")
    names = {policy.document.name.casefold()}
    if isinstance(data_id, str) and data_id:
        names.add(data_id.casefold())
    return names


def _untried_blocks(base: Evaluator, head: Evaluator) -> list[str]:
    """Enabled block policies of head that were neither enabled nor report-only in base (by id or name)."""
    tried: set[str] = set()
    for policy in base.results(base.enabled | base.report_only):
        tried |= _names(policy)
    return [policy.document.name for policy in head.results(_blocking(head)) if not _names(policy) & tried]


def safety_checks(head_tenant: Tenant, base: Evaluator, head: Evaluator) -> list[SafetyCheck]:
    """The safety checks on head (whose emergency access accounts are asked about on both sides)."""
    found: list[SafetyCheck] = []
    for label, fields in _accounts(head_tenant):
        blocked = _blocked_class(head, [(label, fields)])
        if blocked is not None:
            before = _blocked_class(base, [(label, fields)])
            already = " (already in BASE)" if before is not None else ""
            found.append(
                SafetyCheck(EMERGENCY_ACCESS_BLOCKED, f"blocked: {blocked.describe()}{already}", before is None)
            )
    if _locked_out(head):
        was_locked_out = _locked_out(base)
        message = "every user is blocked from every resource" + (" (already in BASE)" if was_locked_out else "")
        found.append(SafetyCheck(LOCK_OUT, message, not was_locked_out))
    for name in _untried_blocks(base, head):
        message = f"block policy {name!r} is enabled and was never report-only in BASE"
        found.append(SafetyCheck(UNTRIED_BLOCK, message, True, (name,)))
    return found
