"""`entralint diff` on one 195-policy tenant: its state against itself with one policy disabled, and unchanged.

python bench/diff.py          # prints the seconds of each comparison (evaluators built, classes walked)
"""

from __future__ import annotations

import json
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.generate import generate
from linter.commands.diff import TenantDiff, compare_tenant
from linter.loaders import load_text
from linter.model import CONDITIONAL_ACCESS_POLICY, Document

TENANT_POLICIES = 195  # Entra's limit


def tenant_states(root: Path) -> tuple[list[Document], list[Document]]:
    """(base, head): 195 generated policies in one tenant, and the same with the first enabled one disabled."""
    generate(root, "json", files=20, per_file=10)
    policies: list[dict[str, object]] = []
    for path in sorted(root.rglob("policies-*.json")):
        policies += json.loads(path.read_text(encoding="utf-8"))["value"]
    policies = policies[:TENANT_POLICIES]
    enabled = next(index for index, policy in enumerate(policies) if policy.get("state") == "enabled")
    changed = [dict(policy) for policy in policies]
    changed[enabled]["state"] = "disabled"

    def documents(items: list[dict[str, object]]) -> list[Document]:
        result = load_text("tenant.json", json.dumps({"value": items}))
        assert result is not None
        return [d for d in result.documents if d.kind == CONDITIONAL_ACCESS_POLICY]

    return documents(policies), documents(changed)


def timed(base: list[Document], head: list[Document]) -> tuple[float, TenantDiff]:
    start = time.perf_counter()
    result = compare_tenant("bench", base, head)
    return time.perf_counter() - start, result


def main() -> None:
    with tempfile.TemporaryDirectory() as directory:
        base, head = tenant_states(Path(directory))
    seconds, result = timed(base, head)
    classes = sum(len(change.classes) for change in result.changes)
    print(f"{len(base)} policies, one disabled: {seconds:.2f} s, {len(result.changes)} changes, {classes} boxes")
    seconds, result = timed(base, base)
    print(f"{len(base)} policies, unchanged: {seconds:.2f} s, {len(result.changes)} changes")


if __name__ == "__main__":
    main()
