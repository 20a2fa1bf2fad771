"""Which policies require MFA (or a stronger proof) or block: what gap analysis counts as covered.

The grant predicates answer per policy, three-valued like `questions.grant_blocks`: None when the
built-in controls are computed (a Terraform `dynamic "grant_controls"`), which coverage counts as meeting.
"""

from __future__ import annotations

from collections.abc import Callable

from linter.policy.combine import requirement
from linter.policy.compiled import CompiledPolicy
from linter.policy.conditions import Tri
from linter.policy.evaluate import Evaluator, bits_of

__all__ = [
    "MANAGED_DEVICE_CONTROLS",
    "enforced_bits",
    "remediates_user_risk",
    "requires_mfa",
    "requires_mfa_or_managed_device",
    "strong",
    "strong_bits",
]

MANAGED_DEVICE_CONTROLS = frozenset({"compliantdevice", "domainjoineddevice"})
_PASSWORD_CHANGE = "passwordchange"
# "Require risk remediation" (Graph `riskRemediation`), which Microsoft pairs with an authentication strength
# (https://learn.microsoft.com/graph/api/resources/conditionalaccessgrantcontrols).
_RISK_REMEDIATION = "riskremediation"


def _is_mfa(control: str) -> bool:
    return control.casefold() == "mfa" or control.startswith("authenticationStrength")


def strong(policy: CompiledPolicy) -> bool:
    """Blocks, or every way to satisfy the grant includes MFA or an authentication strength."""
    grant = requirement(policy)
    if grant.blocks:
        return True
    return bool(grant.controls) and all(any(_is_mfa(control) for control in alt) for alt in grant.alternatives)


def _every_way(policy: CompiledPolicy, satisfies: Callable[[frozenset[str]], bool]) -> Tri:
    """Blocks, or every way to satisfy the grant satisfies; None when the built-in controls are computed."""
    grant = requirement(policy)
    if grant.blocks or (grant.controls and all(satisfies(alternative) for alternative in grant.alternatives)):
        return True
    return None if policy.values("/grantControls/builtInControls").unresolved else False


def requires_mfa(policy: CompiledPolicy) -> Tri:
    """`strong`, three-valued: a computed grant may require MFA."""
    return _every_way(policy, lambda alternative: any(_is_mfa(control) for control in alternative))


def requires_mfa_or_managed_device(policy: CompiledPolicy) -> Tri:
    """Blocks, or every way to satisfy the grant includes MFA, an authentication strength or a managed device."""
    return _every_way(
        policy,
        lambda alternative: any(_is_mfa(c) or c.casefold() in MANAGED_DEVICE_CONTROLS for c in alternative),
    )


def remediates_user_risk(policy: CompiledPolicy) -> Tri:
    """Blocks, or every way to satisfy the grant is a password change with MFA, or risk remediation.

    Graph accepts `passwordChange` only AND-ed with `mfa` (an authentication strength is MFA too).
    """

    def remediates(alternative: frozenset[str]) -> bool:
        folded = {control.casefold() for control in alternative}
        if _RISK_REMEDIATION in folded:
            return True
        return _PASSWORD_CHANGE in folded and any(_is_mfa(control) for control in alternative)

    return _every_way(policy, remediates)


def enforced_bits(evaluator: Evaluator) -> int:
    """Enabled policies, and those whose state is computed (counted as enabled: no false alarm)."""
    return evaluator.enabled | evaluator.state_unknown


def strong_bits(evaluator: Evaluator) -> int:
    return enforced_bits(evaluator) & bits_of(policy.index for policy in evaluator.policies if strong(policy))
