"""Property tests: arbitrary and mutated inputs never crash entralint and always give valid SARIF."""

from __future__ import annotations

import functools
import json
import random
import tempfile
from pathlib import Path
from typing import Any

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from linter.engine.config import Config
from linter.engine.ruleset import RuleSet, build_ruleset
from linter.engine.run import lint
from linter.model.source import DecodeError, decode_text, source_lines
from linter.reporters.sarif import build_log
from tests.conftest import CORPUS, REPO, chdir, needs_shared
from tests.sarif_checks import assert_valid_sarif

SEEDS = sorted(
    path
    for pattern in ("graph-json/*.json", "yaml/*", "terraform-hcl/*.tf", "token-lifetime/*")
    for path in CORPUS.glob(pattern)
) + sorted(path for path in (REPO / "examples").rglob("*") if path.is_file())

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=12), children, max_size=4),
    max_leaves=30,
)
# Keys a policy has, so generated values reach the normalizer and the rules, not only the parser.
policy_keys = st.sampled_from(
    [
        "conditions",
        "grantControls",
        "sessionControls",
        "state",
        "displayName",
        "users",
        "applications",
        "includeUsers",
        "includeApplications",
        "excludeApplications",
        "authenticationFlows",
        "transferMethods",
        "builtInControls",
        "definition",
        "isOrganizationDefault",
        "mfaServiceSettings",
        "signInFrequency",
    ]
)
policy_like = st.recursive(
    st.none() | st.booleans() | st.integers() | st.sampled_from(["All", "enabled", "block", "deviceCodeFlow", "x"]),
    lambda children: st.lists(children, max_size=3) | st.dictionaries(policy_keys, children, max_size=5),
    max_leaves=40,
)


@functools.cache
def ruleset() -> RuleSet:
    return build_ruleset(Config(root=REPO))


def check_text(name: str, data: bytes) -> None:
    """Lint one file; no exception, valid SARIF, every finding inside the file."""
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / name
        path.write_bytes(data)
        config = Config(root=Path(directory))
        with chdir(Path(directory)):
            report = lint([name], config, ruleset(), functools.partial(build_ruleset, config), jobs=1)
            log = build_log(report)
    assert not report.tool_failed, report.notifications
    assert_valid_sarif(log)
    try:  # lines as the file's format counts them (a lone CR ends a YAML line, not an HCL or JSON one)
        line_count = len(source_lines(name, decode_text(data)))
    except DecodeError:
        line_count = data.count(b"\n") + 1
    for finding in report.findings:
        assert 1 <= finding.span.start_line <= line_count, finding
        assert finding.span.start_column >= 1, finding


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(value=json_values | policy_like)
def test_arbitrary_json(value: Any) -> None:
    check_text("value.json", json.dumps(value).encode())


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(value=policy_like)
def test_arbitrary_yaml(value: Any) -> None:
    check_text("value.yaml", yaml.safe_dump(value).encode())


@needs_shared("corpus")
@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.sampled_from(SEEDS), random_seed=st.integers(0, 2**32 - 1), edits=st.integers(1, 8))
def test_mutated_real_policies(seed: Path, random_seed: int, edits: int) -> None:
    data = bytearray(seed.read_bytes())
    chooser = random.Random(random_seed)
    for _ in range(edits):
        position = chooser.randrange(len(data) + 1)
        action = chooser.choice(("delete", "insert", "replace", "truncate"))
        if action == "delete" and data:
            del data[position : position + chooser.randint(1, 16)]
        elif action == "insert":
            data[position:position] = chooser.choice(
                [b"{", b"}", b"[", b"]", b'"', b",", b":", b"\n", b"null", b"\xff"]
            )
        elif action == "replace" and position < len(data):
            data[position] = chooser.randrange(256)
        elif action == "truncate":
            del data[position:]
    check_text(seed.name.split("__")[-1], bytes(data))
