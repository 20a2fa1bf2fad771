"""Benchmark of the what-if evaluator (issue 7): 10,000 sign-ins over a 195-policy tenant, and CA011 over it.

Run `python -m bench.evaluator` (or `--smoke` for a quick run). The tenant and the sign-ins are
generated from a fixed seed: 195 policies (the Entra maximum) over 60 groups, 12 roles, 40 apps,
8 named locations, platforms, client app types, risk levels and device filters; sign-ins by 2,000
distinct users.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from collections.abc import Sequence
from types import MappingProxyType
from typing import Any

from linter.model import CONDITIONAL_ACCESS_POLICY, NAMED_LOCATION, Document, Tenant
from linter.policy.combine import outcome
from linter.policy.context import CLIENT_APP_TYPES, PLATFORMS, SignInContext
from linter.policy.evaluate import Evaluator

MAX_POLICIES = 195
GROUPS = [f"group-{n:02d}" for n in range(60)]
ROLES = [f"role-{n:02d}" for n in range(12)]
APPS = [f"app-{n:02d}" for n in range(40)] + ["00000002-0000-0ff1-ce00-000000000000", "Office365"]
LOCATIONS = [f"location-{n}" for n in range(8)]
CONTROLS = ["mfa", "compliantDevice", "domainJoinedDevice", "approvedApplication", "block"]


def policy(rng: random.Random, index: int) -> dict[str, Any]:
    users: dict[str, Any] = (
        {"includeUsers": ["All"]} if rng.random() < 0.4 else {"includeGroups": rng.sample(GROUPS, 3)}
    )
    users["excludeGroups"] = rng.sample(GROUPS, 2)
    if rng.random() < 0.2:
        users["includeRoles"] = rng.sample(ROLES, 2)
    conditions: dict[str, Any] = {
        "users": users,
        "applications": {"includeApplications": ["All"] if rng.random() < 0.3 else rng.sample(APPS, 3)},
        "clientAppTypes": ["all"] if rng.random() < 0.7 else rng.sample(CLIENT_APP_TYPES, 2),
    }
    if rng.random() < 0.3:
        conditions["platforms"] = {"includePlatforms": rng.sample(PLATFORMS, 2)}
    if rng.random() < 0.3:
        conditions["locations"] = {
            "includeLocations": ["All"],
            "excludeLocations": ["AllTrusted", rng.choice(LOCATIONS)],
        }
    if rng.random() < 0.1:
        conditions["signInRiskLevels"] = ["medium", "high"]
    if rng.random() < 0.1:
        conditions["devices"] = {
            "deviceFilter": {
                "mode": "exclude",
                "rule": 'device.isCompliant -eq True -or device.trustType -eq "ServerAD"',
            }
        }
    state = rng.choice(["enabled"] * 6 + ["enabledForReportingButNotEnforced", "disabled"])
    grant = {"operator": rng.choice(["AND", "OR"]), "builtInControls": rng.sample(CONTROLS, rng.choice([1, 1, 2]))}
    return {"displayName": f"policy {index}", "state": state, "conditions": conditions, "grantControls": grant}


def tenant(seed: int = 7) -> Tenant:
    rng = random.Random(seed)
    documents = [
        Document(
            CONDITIONAL_ACCESS_POLICY, policy(rng, index), "bench.json", "graph-json", f"p{index}", f"policy {index}"
        )
        for index in range(MAX_POLICIES)
    ]
    documents += [
        Document(
            NAMED_LOCATION,
            {"id": name, "displayName": name, "isTrusted": n % 2 == 0},
            "bench.json",
            "graph-json",
            name,
            name,
        )
        for n, name in enumerate(LOCATIONS)
    ]
    return Tenant("bench", tuple(documents), ("bench.json",))


def sign_ins(count: int, seed: int = 11) -> list[SignInContext]:
    rng = random.Random(seed)
    users = [
        (f"user-{n}", frozenset(rng.sample(GROUPS, 4)), frozenset(rng.sample(ROLES, 1) if n % 20 == 0 else []))
        for n in range(2000)
    ]
    contexts = []
    for _ in range(count):
        user, groups, roles = rng.choice(users)
        contexts.append(
            SignInContext(
                user=user,
                groups=groups,
                roles=roles,
                target=rng.choice(APPS),
                client_app=rng.choice(CLIENT_APP_TYPES),
                platform=rng.choice([*PLATFORMS, None]),
                location=rng.choice([*LOCATIONS, None]),
                device=MappingProxyType({"isCompliant": rng.choice(["True", "False"]), "trustType": "AzureAD"}),
                sign_in_risk=rng.choice(["none", "none", "low", "high"]),
            )
        )
    return contexts


def measure(count: int) -> list[tuple[str, float, float]]:
    """(what, seconds, budget) for each measurement."""
    from linter.engine.registry import load_rules

    gap_rule = load_rules(entry_points=False)["CA011"]()
    bench_tenant = tenant()
    contexts = sign_ins(count)
    started = time.perf_counter()
    evaluator = Evaluator(bench_tenant.documents)
    verdicts = [outcome(evaluator, context).verdict for context in contexts]
    evaluate_seconds = time.perf_counter() - started
    started = time.perf_counter()
    gaps = list(gap_rule.check(bench_tenant))
    ca011_seconds = time.perf_counter() - started
    assert len(verdicts) == count
    return [
        (f"what-if: {count:,} sign-ins x {MAX_POLICIES} policies", evaluate_seconds, 1.0),
        (f"CA011 over {MAX_POLICIES} policies ({len(gaps)} gaps)", ca011_seconds, 2.0),
    ]


def run(smoke: bool) -> list[dict[str, Any]]:
    """Rows for bench/run.py's table (the interface docs/performance.md describes)."""
    return [
        {
            "benchmark": what,
            "entralint": f"{seconds:.2f} s",
            "floor": "",
            "ratio": "",
            "target": f"≤ {budget:g} s",
            "met": None if smoke else seconds <= budget,
        }
        for what, seconds, budget in measure(1000 if smoke else 10_000)
    ]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--smoke", action="store_true", help="1,000 sign-ins instead of 10,000")
    args = parser.parse_args(argv)
    rows = measure(1000 if args.smoke else 10_000)
    width = max(len(row[0]) for row in rows)
    sys.stdout.write(f"{'measurement':<{width}}  seconds  budget\n")
    for what, seconds, budget in rows:
        sys.stdout.write(f"{what:<{width}}  {seconds:7.3f}  {budget:6.1f}{'' if seconds <= budget else '  OVER'}\n")
    return 0 if all(seconds <= budget for _, seconds, budget in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
