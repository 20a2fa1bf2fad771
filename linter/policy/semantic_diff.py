"""Two states of one tenant compared by what they require of each class of sign-in: `entralint diff`.

The classes are those `whatif` and CA011 use, over the values both states name. A class whose
outcome (`outcomes.ClassOutcome`) differs is a change; classes that change the same way are merged
into boxes. Policies that are the same on both sides (same conditions, grant, session and state,
whatever their name or file) apply to the same classes, so only where a policy that differs may
apply can an outcome change: the walk prunes everything else.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from typing import Any, NamedTuple

from linter.model import NAMED_LOCATION, Document
from linter.policy.classes_walk import Box, Choice, choices, start_bits
from linter.policy.context import DIMENSIONS
from linter.policy.diff_walk import changed_classes, responsible
from linter.policy.evaluate import Evaluator, bits_of
from linter.policy.outcomes import DIFFERENT, STRONGER, WEAKER, ClassOutcome

__all__ = ["Change", "SignInClass", "changes", "describe_box", "merge_boxes", "relevant", "unpaired"]

# Keys that say nothing about what a policy requires: two policies differing only there are the same.
_BOOKKEEPING = frozenset({"id", "displayName", "createdDateTime", "modifiedDateTime", "templateId", "description"})
_ORDER = {WEAKER: 0, DIFFERENT: 1, STRONGER: 2}


class SignInClass(NamedTuple):
    """A box of sign-ins: for each part named, the values it takes; a part left out takes any value."""

    parts: tuple[tuple[str, tuple[str, ...]], ...]

    def describe(self) -> str:
        named = dict(self.parts)
        subjects = " or ".join(named.get("users", ("all users",)))
        resources = " or ".join(named.get("application", ("all resources",)))
        conditions = [" or ".join(labels) for dimension, labels in self.parts if dimension in DIMENSIONS[2:]]
        detail = f" ({'; '.join(conditions)})" if conditions else ""
        return f"{subjects} signing in to {resources}{detail}"


class Change(NamedTuple):
    """Classes of sign-in whose outcome changes the same way, with the policies responsible on each side."""

    kind: str  # weaker, stronger or different
    before: ClassOutcome
    after: ClassOutcome
    classes: tuple[SignInClass, ...]


def relevant(evaluator: Evaluator) -> int:
    """The policies that may decide an outcome: enabled, or with a state the source computes."""
    return evaluator.enabled | evaluator.state_unknown


def _canonical(value: Any) -> Any:
    if isinstance(value, Mapping):
        return tuple(sorted((str(key), _canonical(item)) for key, item in value.items()))
    if isinstance(value, (list, tuple)):
        return tuple(_canonical(item) for item in value)
    return (type(value).__name__, value)


def _semantics(document: Document) -> Any:
    return _canonical({key: value for key, value in document.data.items() if key not in _BOOKKEEPING})


def _locations(documents: Sequence[Document]) -> Counter[Any]:
    return Counter(_canonical(document.data) for document in documents if document.kind == NAMED_LOCATION)


def unpaired(
    base: Evaluator, head: Evaluator, base_documents: Sequence[Document], head_documents: Sequence[Document]
) -> tuple[int, int]:
    """(base policies, head policies) without an identical counterpart on the other side: all, if locations differ."""
    base_relevant, head_relevant = relevant(base), relevant(head)
    if _locations(base_documents) != _locations(head_documents):
        return base_relevant, head_relevant
    waiting: dict[Any, list[int]] = {}
    for policy in head.results(head_relevant):
        waiting.setdefault(_semantics(policy.document), []).append(policy.index)
    paired_base: list[int] = []
    paired_head: list[int] = []
    for policy in base.results(base_relevant):
        partners = waiting.get(_semantics(policy.document))
        if partners:
            paired_base.append(policy.index)
            paired_head.append(partners.pop())
    return base_relevant & ~bits_of(paired_base), head_relevant & ~bits_of(paired_head)


def changes(
    base: Evaluator, head: Evaluator, base_documents: Sequence[Document], head_documents: Sequence[Document]
) -> tuple[Change, ...]:
    """The classes of sign-in whose outcome differs from base to head, merged by how they change."""
    sides = (base, head)
    changed = unpaired(base, head, base_documents, head_documents)
    if not (changed[0] or changed[1]):
        return ()  # every enforced policy has its identical counterpart: no class can change
    dimensions = [choices(sides, name) for name in DIMENSIONS]
    start = start_bits(sides, (relevant(base), relevant(head)))
    result = []
    for (kind, _, _), (boxes, before, after) in changed_classes(sides, dimensions, start, changed).items():
        merged = merge_boxes(boxes)
        names = [0, 0]
        for box in merged:
            for side in (0, 1):
                names[side] |= responsible(sides[side], dimensions, side, start, box)
        result.append(
            Change(
                kind,
                before._replace(policies=_names(base, names[0])),
                after._replace(policies=_names(head, names[1])),
                tuple(describe_box(dimensions, box) for box in merged),
            )
        )
    return tuple(sorted(result, key=lambda change: (_ORDER[change.kind], change.classes[0].describe())))


def _names(evaluator: Evaluator, bits: int) -> tuple[str, ...]:
    return tuple(sorted({policy.document.name for policy in evaluator.results(bits)}, key=str.casefold))


def merge_boxes(boxes: Sequence[Box]) -> list[Box]:
    """Disjoint boxes merged where they differ in one part only, until none do; in a stable order."""
    merged = set(boxes)
    width = len(boxes[0]) if boxes else 0
    changed = True
    while changed:
        changed = False
        for dimension in range(width):
            groups: dict[Box, list[Box]] = {}
            for box in merged:
                groups.setdefault(box[:dimension] + box[dimension + 1 :], []).append(box)
            if all(len(group) == 1 for group in groups.values()):
                continue
            changed = True
            merged = {
                (*rest[:dimension], frozenset().union(*(box[dimension] for box in group)), *rest[dimension:])
                for rest, group in groups.items()
            }
    return sorted(merged, key=lambda box: tuple(sorted(part) for part in box))


def describe_box(dimensions: Sequence[Sequence[Choice]], box: Box) -> SignInClass:
    parts = tuple(
        (DIMENSIONS[index], tuple(dimensions[index][choice].label for choice in sorted(indexes)))
        for index, indexes in enumerate(box)
        if len(indexes) < len(dimensions[index])
    )
    return SignInClass(parts)
