"""The classes of sign-in whose outcome two tenant states answer differently, found once per distinct subtree.

The walk of `classes_walk` branches on every value that leaves different policies applicable. A
diff of a 195-policy tenant would visit hundreds of thousands of classes that way: each of ~200
groups, excluded by one policy each, opens its own subtree, though most of them differ only by
one of twenty "MFA for all users" policies. Two policies are *twins below a depth* when they
require the same (grant, session, state) and apply to exactly the same values of every part of
the sign-in still to choose: whichever of them applies, the other does too, and an outcome
(`outcomes.ClassOutcome.key`) does not count a requirement twice. So each node's bits are
reduced to one representative per group of twins before the subtree is looked up in a memo,
and subtrees where no changed policy may apply are pruned. Which policies are responsible is
read from the final boxes (`responsible`), where applicability is a product over the parts.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from linter.policy.classes_walk import Bits, Box, Choice, LimitReached
from linter.policy.combine import requirement, session_of
from linter.policy.evaluate import Evaluator
from linter.policy.outcomes import ClassOutcome, compare, outcome_of
from linter.policy.sign_in_classes import LIMIT

__all__ = ["ChangeKey", "Found", "changed_classes", "responsible"]

# (kind, before.key, after.key): classes that change the same way.
ChangeKey = tuple[str, object, object]
# Per change: its boxes over the parts still to choose, and the outcomes before and after.
Found = dict[ChangeKey, tuple[list[Box], ClassOutcome, ClassOutcome]]


def _role(evaluator: Evaluator, index: int) -> object | None:
    """What a policy contributes to an outcome, whichever policy it is; None: never stands in for another."""
    policy = evaluator.policies[index]
    session = session_of([policy])
    if session.persistent_browser not in (None, "never"):
        return None  # the last such mode in policy order wins (`combine.session_of`): order matters
    grant = requirement(policy)
    return (bool(evaluator.enabled >> index & 1), grant.blocks, grant.describe(), grant.alternatives, session)


def _twins(
    evaluator: Evaluator, members: int, changed: int, dimensions: Sequence[Sequence[Choice]], side: int
) -> list[list[int]]:
    """Per depth, the groups (as bit masks, two or more policies each) of twins among members below that depth.

    A changed policy is a twin of changed ones only: the walk prunes where no changed policy may apply.
    """
    roles: dict[object, int] = {}
    for policy in evaluator.results(members):
        role = _role(evaluator, policy.index)
        if role is not None:
            key = (bool(changed >> policy.index & 1), role)
            roles[key] = roles.get(key, 0) | 1 << policy.index
    groups = [group for group in roles.values() if group & (group - 1)]
    by_depth = [groups]
    for dimension in reversed(dimensions):
        for choice in dimension:
            for bits in (choice.bits[2 * side], choice.bits[2 * side + 1]):
                split = [part for group in groups for part in (group & bits, group & ~bits) if part & (part - 1)]
                groups = split
        by_depth.append(groups)
    by_depth.reverse()  # by_depth[d]: twins for the parts from d on
    return by_depth


def _reducer(twins: Sequence[list[int]]) -> Callable[[int, int, int], tuple[int, int]]:
    def reduce(depth: int, true_bits: int, maybe_bits: int) -> tuple[int, int]:
        maybe_only = maybe_bits & ~true_bits
        for group in twins[depth]:
            first = group & -group
            second = (group ^ first) & -(group ^ first)
            if true_bits & group:
                true_bits = (true_bits & ~group) | first
            if maybe_only & group:
                maybe_only = (maybe_only & ~group) | second
        return true_bits, true_bits | maybe_only

    return reduce


def changed_classes(
    sides: tuple[Evaluator, Evaluator],
    dimensions: Sequence[Sequence[Choice]],
    start: Bits,
    changed: tuple[int, int],
    limit: int = LIMIT,
) -> Found:
    """The boxes of classes whose outcome changes, by how they change; only where a changed policy may apply."""
    reducers = [_reducer(_twins(sides[side], start[2 * side + 1], changed[side], dimensions, side)) for side in (0, 1)]
    outcomes: tuple[dict[tuple[int, int], ClassOutcome], dict[tuple[int, int], ClassOutcome]] = ({}, {})
    memo: dict[tuple[int, Bits], Found] = {}
    visited = 0

    seen: dict[tuple[int, Bits], Bits] = {}

    def reduced(depth: int, bits: Bits) -> Bits:
        found = seen.get((depth, bits))
        if found is None:
            found = seen[(depth, bits)] = (*reducers[0](depth, bits[0], bits[1]), *reducers[1](depth, bits[2], bits[3]))
        return found

    def outcome(side: int, true_bits: int, maybe_bits: int) -> ClassOutcome:
        known = outcomes[side].get((true_bits, maybe_bits))
        if known is None:
            known = outcomes[side][(true_bits, maybe_bits)] = outcome_of(sides[side], true_bits, maybe_bits)
        return known

    def visit(depth: int, bits: Bits) -> Found:
        nonlocal visited
        if not (bits[1] & changed[0] or bits[3] & changed[1]):
            return {}
        known = memo.get((depth, bits))
        if known is not None:
            return known
        visited += 1
        if visited > limit:
            raise LimitReached(f"more than {limit} classes of sign-in to compare")
        found: Found = {}
        if depth == len(dimensions):
            before, after = outcome(0, bits[0], bits[1]), outcome(1, bits[2], bits[3])
            kind = compare(before, after)
            if kind is not None:
                found[(kind, before.key, after.key)] = ([()], before, after)
        else:
            found = _branch(depth, bits)
        memo[(depth, bits)] = found
        return found

    def _branch(depth: int, bits: Bits) -> Found:
        narrowings: dict[Bits, set[int]] = {}
        for index, choice in enumerate(dimensions[depth]):
            narrowed = tuple(own & other for own, other in zip(bits, choice.bits, strict=True))
            narrowings.setdefault(narrowed, set()).add(index)
        branches: dict[Bits, set[int]] = {}
        for narrowed, indexes in narrowings.items():
            branches.setdefault(reduced(depth + 1, narrowed), set()).update(indexes)
        merged: dict[ChangeKey, tuple[dict[Box, set[int]], ClassOutcome, ClassOutcome]] = {}
        for narrowed, indexes in branches.items():
            for key, (boxes, before, after) in visit(depth + 1, narrowed).items():
                rests = merged.setdefault(key, ({}, before, after))[0]
                for rest in boxes:
                    rests.setdefault(rest, set()).update(indexes)
        return {
            key: ([(frozenset(indexes), *rest) for rest, indexes in rests.items()], before, after)
            for key, (rests, before, after) in merged.items()
        }

    return visit(0, reduced(0, start))


def responsible(evaluator: Evaluator, dimensions: Sequence[Sequence[Choice]], side: int, start: Bits, box: Box) -> int:
    """The policies that apply, or may, to some class of the box (a product: each part on its own)."""
    found = start[2 * side + 1]
    for dimension, indexes in zip(dimensions, box, strict=True):
        somewhere = 0
        for index in indexes:
            somewhere |= dimension[index].bits[2 * side + 1]
        found &= somewhere
    return found & (evaluator.enabled | evaluator.state_unknown)
