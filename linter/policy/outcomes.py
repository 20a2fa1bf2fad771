"""What a tenant's enforced policies require of one class of sign-in, and how two such answers compare.

The order is the one CA010 uses (`combine.implies`): a block implies every grant; a grant implies
another when every way to satisfy it satisfies one of the other's. Session controls: a shorter
sign-in frequency, a browser session that never persists, more session controls are stronger.
"""

from __future__ import annotations

from typing import NamedTuple

from linter.policy.combine import Session, conjunction, implies_alternatives, requirement, session_of
from linter.policy.evaluate import Evaluator

__all__ = ["DIFFERENT", "STRONGER", "WEAKER", "ClassOutcome", "compare", "outcome_of"]

WEAKER, STRONGER, DIFFERENT = "weaker", "stronger", "different"


class ClassOutcome(NamedTuple):
    """The combined requirement of the enforced policies that apply to a class of sign-in."""

    blocked: bool
    ways: tuple[frozenset[str], ...]  # the ways to satisfy every applying grant; (frozenset(),): nothing
    session: Session
    depends: tuple[str, ...]  # what policies that may apply (computed values) would require
    policies: tuple[str, ...]  # the names of the enforced policies that apply (and those that may)

    @property
    def key(self) -> tuple[object, ...]:
        """What the outcome is, whichever policies say it: a blocked class is blocked, session or not."""
        if self.blocked:
            return (True,)
        return (False, frozenset(self.ways), self.session, self.depends)

    def describe(self) -> str:
        if self.blocked:
            return "blocked"
        parts = []
        if self.ways != (frozenset(),):
            parts.append(" OR ".join(" AND ".join(sorted(way)) if way else "nothing" for way in self.ways))
        if self.session != Session():
            parts.append(f"session: {self.session.describe()}")
        if self.depends:
            parts.append(f"perhaps also (computed values decide): {'; '.join(self.depends)}")
        return "; ".join(parts) if parts else "nothing required"


def outcome_of(evaluator: Evaluator, true_bits: int, maybe_bits: int) -> ClassOutcome:
    """The outcome of a class whose policies surely apply (true_bits) or may apply (maybe_bits); state aside."""
    applying = tuple(evaluator.results(true_bits & evaluator.enabled))
    unsure = maybe_bits & ~(true_bits & evaluator.enabled) & (evaluator.enabled | evaluator.state_unknown)
    grants = [requirement(policy) for policy in applying]
    blocked = any(grant.blocks for grant in grants)
    may = sorted({requirement(policy).describe() for policy in evaluator.results(unsure)})
    names = [policy.document.name for policy in applying] + [
        policy.document.name for policy in evaluator.results(unsure)
    ]
    return ClassOutcome(
        blocked=blocked,
        ways=() if blocked else conjunction(grant for grant in grants if not grant.blocks),
        session=Session() if blocked else session_of(applying),
        depends=() if blocked else tuple(may),
        policies=tuple(sorted(set(names), key=str.casefold)),
    )


def _direction(stronger_holds: bool, weaker_holds: bool) -> str | None:
    """None: the same; else the direction from before to after."""
    if stronger_holds and weaker_holds:
        return None
    if stronger_holds:
        return STRONGER
    return WEAKER if weaker_holds else DIFFERENT


def _session_direction(before: Session, after: Session) -> set[str]:
    found: set[str] = set()
    if before.sign_in_frequency_hours != after.sign_in_frequency_hours:
        if before.sign_in_frequency_hours is None:
            found.add(STRONGER)
        elif after.sign_in_frequency_hours is None:
            found.add(WEAKER)
        else:
            found.add(STRONGER if after.sign_in_frequency_hours < before.sign_in_frequency_hours else WEAKER)
    if before.persistent_browser != after.persistent_browser:
        if after.persistent_browser == "never":
            found.add(STRONGER)
        elif before.persistent_browser == "never":
            found.add(WEAKER)
        else:
            found.add(DIFFERENT)
    if before.others != after.others:
        earlier, later = set(before.others), set(after.others)
        found.add(STRONGER if earlier < later else WEAKER if later < earlier else DIFFERENT)
    return found


def compare(before: ClassOutcome, after: ClassOutcome) -> str | None:
    """`weaker`, `stronger` or `different` from before to after; None when the outcome is the same."""
    if before.key == after.key:
        return None
    if before.blocked != after.blocked:
        return STRONGER if after.blocked else WEAKER
    grant = _direction(implies_alternatives(after.ways, before.ways), implies_alternatives(before.ways, after.ways))
    found = {grant} if grant is not None else set()
    found |= _session_direction(before.session, after.session)
    if before.depends != after.depends:
        found.add(DIFFERENT)
    return found.pop() if len(found) == 1 else DIFFERENT
