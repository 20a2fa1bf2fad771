"""Properties of `entralint diff` over generated tenant states (linter/policy/semantic_diff.py, diff_walk.py)."""

from __future__ import annotations

import itertools
from collections import Counter
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from linter.model import Document
from linter.policy.classes_walk import Bits, Box, choices, start_bits, walk
from linter.policy.context import DIMENSIONS
from linter.policy.diff_walk import changed_classes
from linter.policy.evaluate import Evaluator
from linter.policy.outcomes import DIFFERENT, STRONGER, WEAKER, compare, outcome_of
from linter.policy.semantic_diff import changes, relevant, unpaired
from tests.policy_strategies import tenant_documents, tenant_policy_data

REVERSED = {WEAKER: STRONGER, STRONGER: WEAKER, DIFFERENT: DIFFERENT}
tenants = st.lists(tenant_policy_data, max_size=5)


def diff(base: list[Document], head: list[Document]) -> Counter[tuple[str, object, object]]:
    """Each change as (kind, outcome before, outcome after), the policies responsible aside."""
    found = changes(Evaluator(base), Evaluator(head), base, head)
    return Counter((change.kind, change.before.key, change.after.key) for change in found)


def cells(boxes: list[Box]) -> set[tuple[int, ...]]:
    return {cell for box in boxes for cell in itertools.product(*(sorted(part) for part in box))}


def every_class(sides: tuple[Evaluator, Evaluator]) -> dict[tuple[str, object, object], set[tuple[int, ...]]]:
    """The plain reading: every class walked (nothing pruned, no twins), its two outcomes compared."""
    dimensions = [choices(sides, name) for name in DIMENSIONS]
    start = start_bits(sides, (relevant(sides[0]), relevant(sides[1])))
    found: dict[tuple[str, object, object], list[Box]] = {}

    def leaf(bits: Bits, box: Box) -> None:
        before, after = outcome_of(sides[0], bits[0], bits[1]), outcome_of(sides[1], bits[2], bits[3])
        kind = compare(before, after)
        if kind is not None:
            found.setdefault((kind, before.key, after.key), []).append(box)

    walk(dimensions, start, lambda bits: False, leaf)
    return {key: cells(boxes) for key, boxes in found.items()}


@settings(max_examples=60, deadline=None)
@given(tenants)
def test_a_state_against_itself_has_no_change(items: list[dict[str, Any]]) -> None:
    documents = tenant_documents(items)
    assert diff(documents, documents) == Counter()
    # Every policy taken as changed: the walk itself must find every outcome the same.
    sides = (Evaluator(documents), Evaluator(documents))
    dimensions = [choices(sides, name) for name in DIMENSIONS]
    start = start_bits(sides, (relevant(sides[0]), relevant(sides[1])))
    assert changed_classes(sides, dimensions, start, (relevant(sides[0]), relevant(sides[1]))) == {}


@settings(max_examples=60, deadline=None)
@given(tenants, tenants)
def test_weaker_one_way_is_stronger_the_other(
    base_items: list[dict[str, Any]], head_items: list[dict[str, Any]]
) -> None:
    base, head = tenant_documents(base_items), tenant_documents(head_items)
    backwards = Counter(
        {(REVERSED[kind], after, before): count for (kind, before, after), count in diff(head, base).items()}
    )
    assert diff(base, head) == backwards


@settings(max_examples=60, deadline=None)
@given(tenants, tenant_policy_data)
def test_adding_an_enabled_policy_never_weakens(items: list[dict[str, Any]], extra: dict[str, Any]) -> None:
    base = tenant_documents(items)
    head = tenant_documents([*items, {**extra, "state": "enabled"}])
    assert not [key for key in diff(base, head) if key[0] == WEAKER]


@settings(max_examples=60, deadline=None)
@given(tenants, tenants)
def test_the_pruned_walk_with_twins_finds_exactly_the_classes_of_the_plain_walk(
    base_items: list[dict[str, Any]], head_items: list[dict[str, Any]]
) -> None:
    # Policies on both sides (unchanged) and twice on a side (twins): the cases the shortcuts take.
    base = tenant_documents(base_items + head_items[:2] + head_items[:1])
    head = tenant_documents(head_items + head_items[:1])
    sides = (Evaluator(base), Evaluator(head))
    dimensions = [choices(sides, name) for name in DIMENSIONS]
    start = start_bits(sides, (relevant(sides[0]), relevant(sides[1])))
    found = changed_classes(sides, dimensions, start, unpaired(sides[0], sides[1], base, head))
    assert {key: cells(boxes) for key, (boxes, _, _) in found.items()} == every_class(sides)
