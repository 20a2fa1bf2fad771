"""Walk the classes of sign-in over one or more evaluators at once, merging values that no policy tells apart.

Each part of a sign-in (`context.DIMENSIONS`) has candidate values (`sign_in_classes.candidates`, over
the union of every evaluator's policies). Walking depth by depth, the values of a part that leave
the same policies applicable (on every side) are one branch, so a part that no remaining policy
reads costs one branch; the caller prunes a subtree whose bits say nothing can happen there.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, NamedTuple

from linter.policy.conditions import DIMENSION_KEYS
from linter.policy.context import DIMENSIONS
from linter.policy.evaluate import Evaluator
from linter.policy.sign_in_classes import BASE, LIMIT, LimitReached, candidates

__all__ = ["Bits", "Box", "Choice", "LimitReached", "choices", "start_bits", "walk"]

# (true bits, maybe bits) per evaluator, flattened: (t0, m0, t1, m1, ...).
Bits = tuple[int, ...]
# Per dimension, the indexes of the choices a class takes (all of them: any value).
Box = tuple[frozenset[int], ...]


class Choice(NamedTuple):
    """One value of one part of the sign-in (or several no policy tells apart), with its bits on every side."""

    label: str
    fields: tuple[tuple[str, Any], ...]
    bits: Bits


def choices(
    evaluators: Sequence[Evaluator],
    dimension: str,
    given: Sequence[tuple[str, dict[str, Any]]] | None = None,
) -> list[Choice]:
    """The values of a dimension the policies of any evaluator name (or `given` ones), merged when alike."""
    if given is None:
        seen: dict[str, dict[str, Any]] = {}
        for evaluator in evaluators:
            for label, fields in candidates(evaluator, dimension):
                seen.setdefault(label, fields)
        given = list(seen.items())
    merged: dict[Bits, tuple[list[str], dict[str, Any]]] = {}
    for label, fields in given:
        context = BASE._replace(**fields)
        bits: Bits = tuple(bit for evaluator in evaluators for bit in evaluator.bits(dimension, context))
        merged.setdefault(bits, ([], fields))[0].append(label)
    return [Choice(" or ".join(labels), tuple(fields.items()), bits) for bits, (labels, fields) in merged.items()]


def start_bits(evaluators: Sequence[Evaluator], masks: Sequence[int]) -> Bits:
    """The bits before any dimension is chosen: the conditions classes do not split (devices, insider risk)."""
    unsplit = [name for name in DIMENSION_KEYS if name not in DIMENSIONS]
    found: list[int] = []
    for evaluator, mask in zip(evaluators, masks, strict=True):
        true_bits, maybe_bits = evaluator.applicable(BASE, unsplit)
        found += [true_bits & mask, maybe_bits & mask]
    return tuple(found)


def walk(
    dimensions: Sequence[Sequence[Choice]],
    start: Bits,
    prune: Callable[[Bits], bool],
    leaf: Callable[[Bits, Box], None],
    limit: int = LIMIT,
) -> None:
    """Call `leaf` for each class (as a box of choices) unless `prune` says its subtree holds nothing."""
    visited = 0

    def step(depth: int, bits: Bits, box: Box) -> None:
        nonlocal visited
        visited += 1
        if visited > limit:
            raise LimitReached(f"more than {limit} classes of sign-in to compare")
        if prune(bits):
            return
        if depth == len(dimensions):
            leaf(bits, box)
            return
        branches: dict[Bits, set[int]] = {}
        for index, choice in enumerate(dimensions[depth]):
            narrowed = tuple(own & other for own, other in zip(bits, choice.bits, strict=True))
            branches.setdefault(narrowed, set()).add(index)
        for narrowed, indexes in branches.items():
            step(depth + 1, narrowed, (*box, frozenset(indexes)))

    step(0, start, ())
