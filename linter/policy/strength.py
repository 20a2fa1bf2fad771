"""Which policies require MFA (or a stronger proof) or block: what gap analysis counts as covered."""

from __future__ import annotations

from linter.policy.combine import requirement
from linter.policy.compiled import CompiledPolicy
from linter.policy.evaluate import Evaluator, bits_of

__all__ = ["enforced_bits", "strong", "strong_bits"]


def strong(policy: CompiledPolicy) -> bool:
    """Blocks, or every way to satisfy the grant includes MFA or an authentication strength."""
    grant = requirement(policy)
    if grant.blocks:
        return True
    return bool(grant.controls) and all(
        any(control == "mfa" or control.startswith("authenticationStrength") for control in alternative)
        for alternative in grant.alternatives
    )


def enforced_bits(evaluator: Evaluator) -> int:
    """Enabled policies, and those whose state is computed (counted as enabled: no false alarm)."""
    return evaluator.enabled | evaluator.state_unknown


def strong_bits(evaluator: Evaluator) -> int:
    return enforced_bits(evaluator) & bits_of(policy.index for policy in evaluator.policies if strong(policy))
