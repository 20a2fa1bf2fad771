"""`entralint diff` on real policies: each repository of ../shared/corpus against itself with one policy disabled.

Disabling an enabled policy (or one whose state is computed) may change only the classes of sign-in
that policy may apply to, and every change must name it as responsible; disabling a report-only
policy changes nothing. Many corpus files ship their policies disabled, so each repository is
also tried with every disabled policy enabled. At most `SAMPLE` policies per repository are tried,
spread evenly over its files (a larger tenant is slow to walk once per policy).
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path

import pytest

from linter.engine.files import read_text
from linter.loaders import load_text
from linter.model import CONDITIONAL_ACCESS_POLICY, NAMED_LOCATION, Document
from linter.policy.classes_walk import choices, start_bits
from linter.policy.context import DIMENSIONS
from linter.policy.diff_walk import changed_classes
from linter.policy.evaluate import Evaluator
from linter.policy.semantic_diff import changes, relevant, unpaired
from tests.conftest import CORPUS, shared_cases

TRIED_STATES = ("enabled", "enabledForReportingButNotEnforced", None)
SAMPLE = 6
VARIANTS = ("as-written", "all-enabled")


def repositories() -> Iterator[tuple[str, list[Path]]]:
    """The corpus files grouped by the repository MANIFEST.tsv says they come from."""
    with (CORPUS / "MANIFEST.tsv").open(encoding="utf-8", newline="") as manifest:
        rows = list(csv.DictReader(manifest, delimiter="\t"))
    by_repository: dict[str, list[Path]] = {}
    for row in rows:
        by_repository.setdefault(row["repo"], []).append(CORPUS / row["local_file"])
    yield from sorted(by_repository.items())


def documents_of(files: list[Path]) -> list[Document]:
    found: list[Document] = []
    for path in files:
        result = load_text(str(path), read_text(str(path), 1 << 22))
        if result is not None:
            found += [doc for doc in result.documents if doc.kind in (CONDITIONAL_ACCESS_POLICY, NAMED_LOCATION)]
    return found


def enabled(document: Document) -> Document:
    if document.kind != CONDITIONAL_ACCESS_POLICY or document.data.get("state") != "disabled":
        return document
    return document._replace(data={**document.data, "state": "enabled"})


def cases() -> list[tuple[str, list[Path], str]]:
    if not CORPUS.is_dir():
        return []
    return [(repository, files, variant) for repository, files in repositories() for variant in VARIANTS]


@pytest.mark.parametrize(
    ("repository", "files", "variant"),
    shared_cases("corpus", cases(), arity=3),
    ids=lambda value: value if isinstance(value, str) else None,
)
def test_disabling_one_policy_changes_only_its_classes(repository: str, files: list[Path], variant: str) -> None:
    base = documents_of(files)
    if variant == "all-enabled":
        base = [enabled(document) for document in base]
    policies = [doc for doc in base if doc.kind == CONDITIONAL_ACCESS_POLICY]
    base_evaluator = Evaluator(base)
    candidates = [index for index, compiled in enumerate(base_evaluator.policies) if compiled.state in TRIED_STATES]
    sample = candidates[:: -(-len(candidates) // SAMPLE)] if candidates else []
    for index in sample:
        policy, state = policies[index], base_evaluator.policies[index].state
        disabled = policy._replace(data={**policy.data, "state": "disabled"})
        head = [disabled if doc is policy else doc for doc in base]
        head_evaluator = Evaluator(head)
        sides = (base_evaluator, head_evaluator)
        found = changes(base_evaluator, head_evaluator, base, head)
        if state == "enabledForReportingButNotEnforced":
            assert found == (), f"{repository}: report-only {policy.name!r} disabled changed {found}"
            continue
        # One base policy is left without a twin on HEAD: this one, or one the same in all but name.
        changed = unpaired(base_evaluator, head_evaluator, base, head)
        assert changed[1] == 0 and changed[0] & (changed[0] - 1) == 0 and changed[0], (repository, changed)
        for change in found:
            assert policy.name in change.before.policies, f"{repository}: {change} does not name {policy.name!r}"
            assert change.kind != "stronger", f"{repository}: {change}"
        # Every class of every change is one the disabled policy may apply to: in each part of the
        # sign-in, each value the box takes lets it apply (applicability is a product over the parts).
        dimensions = [choices(sides, name) for name in DIMENSIONS]
        start = start_bits(sides, (relevant(base_evaluator), relevant(head_evaluator)))
        classes = changed_classes(sides, dimensions, start, changed)
        assert len(classes) == len(found)
        for boxes, _, _ in classes.values():
            for box in boxes:
                for dimension, part in zip(dimensions, box, strict=True):
                    assert all(dimension[choice].bits[1] & changed[0] for choice in part), (repository, policy.name)
    if not sample:
        pytest.skip(f"{repository}: no policy enabled, report-only or with a computed state")
