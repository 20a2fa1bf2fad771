"""`entralint diff` on one 195-policy tenant: against itself unchanged, and with one policy disabled.

python bench/diff.py   # seconds of each comparison (evaluators built, classes walked, safety checks),
                       # and of the whole `entralint diff` command in a fresh process

The first enabled policy ("Require MFA for all users") has enabled twins, so disabling it changes
no class; the first enabled location block has none, so disabling it changes many; a group
excluded from every policy (a new emergency access group, say) leaves no policy unchanged.
"""

from __future__ import annotations

import copy
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.generate import generate
from linter.commands.diff import TenantDiff, compare_tenant
from linter.loaders import load_text
from linter.model import CONDITIONAL_ACCESS_POLICY, Document

REPOSITORY = Path(__file__).resolve().parent.parent
TENANT_POLICIES = 195  # Entra's limit
NEW_GROUP = "99999999-9999-4999-8999-999999999999"


def tenant_policies(root: Path) -> list[dict[str, object]]:
    """195 generated policies of one tenant, as Graph JSON objects."""
    generate(root, "json", files=20, per_file=10)
    policies: list[dict[str, object]] = []
    for path in sorted(root.rglob("policies-*.json")):
        policies += json.loads(path.read_text(encoding="utf-8"))["value"]
    return policies[:TENANT_POLICIES]


def documents(items: list[dict[str, object]]) -> list[Document]:
    result = load_text("tenant.json", json.dumps({"value": items}))
    assert result is not None
    return [d for d in result.documents if d.kind == CONDITIONAL_ACCESS_POLICY]


def disabled(policies: list[dict[str, object]], name_part: str) -> list[dict[str, object]]:
    """The policies with the first enabled one whose name holds name_part disabled."""
    index = next(
        index
        for index, policy in enumerate(policies)
        if policy.get("state") == "enabled" and name_part in str(policy.get("displayName"))
    )
    changed = [dict(policy) for policy in policies]
    changed[index]["state"] = "disabled"
    return changed


def excluded_everywhere(policies: list[dict[str, object]], group: str) -> list[dict[str, object]]:
    """The policies with one more group excluded from each: every policy changes."""
    changed = copy.deepcopy(policies)
    for policy in changed:
        conditions: Any = policy["conditions"]
        conditions["users"]["excludeGroups"] = [*conditions["users"]["excludeGroups"], group]
    return changed


def timed(base: list[Document], head: list[Document]) -> tuple[float, TenantDiff]:
    start = time.perf_counter()
    result = compare_tenant("bench", base, head)
    return time.perf_counter() - start, result


def whole_command(root: Path, base: list[dict[str, object]], head: list[dict[str, object]]) -> float:
    """Seconds of `entralint diff BASE HEAD --format json` in a fresh process, each side one Graph JSON file."""
    for side, items in (("base", base), ("head", head)):
        (root / side).mkdir()
        (root / side / "tenant.json").write_text(json.dumps({"value": items}), encoding="utf-8")
    command = [sys.executable, "-m", "linter", "diff", "base", "head", "--isolated", "--format", "json"]
    # As installed: with its bytecode compiled (bench/measure.py drops the variable for the same reason).
    environment = {key: value for key, value in os.environ.items() if key != "PYTHONDONTWRITEBYTECODE"}
    environment["PYTHONPATH"] = str(REPOSITORY)
    subprocess.run(command, cwd=root, stdout=subprocess.DEVNULL, env=environment, check=False)  # writes bytecode
    start = time.perf_counter()
    subprocess.run(command, cwd=root, stdout=subprocess.DEVNULL, env=environment, check=False)
    return time.perf_counter() - start


def main() -> None:
    with tempfile.TemporaryDirectory() as directory:
        policies = tenant_policies(Path(directory))
    cases = [
        ("unchanged", policies),
        ("MFA for all users disabled", disabled(policies, "Require MFA for all users")),
        ("a location block disabled", disabled(policies, "Block access from outside allowed countries")),
        ("a group excluded from every policy", excluded_everywhere(policies, NEW_GROUP)),
    ]
    base = documents(policies)
    for label, head in cases:
        seconds, result = timed(base, documents(head))
        classes = sum(len(change.classes) for change in result.changes)
        with tempfile.TemporaryDirectory() as directory:
            command = whole_command(Path(directory), policies, head)
        print(
            f"{len(base)} policies, {label}: compared in {seconds:.2f} s ({len(result.changes)} changes, "
            f"{classes} boxes); whole command {command:.2f} s"
        )


if __name__ == "__main__":
    main()
