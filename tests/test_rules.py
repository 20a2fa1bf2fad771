"""Every rule fixture under tests/rules/<CODE>/, linted as the command line lints it, against its expectations.

A fixture folder holds, for one rule code:
- inputs named `fail_*` (the rule fires) or `pass_*` (the rule stays silent), in any format entralint reads;
  an input that is a directory is one tenant: every file under it is linted together, from inside it, with the
  `.entralint.toml` it holds (its `[tenants]`, `select` and rule options) or `--isolated` without one;
- beside each input, `<input>.expected.json`: the findings `entralint check --format json` prints for it,
  every field but the fingerprint, in order;
- optionally `entralint.toml`: the configuration for the folder's file inputs (rule options, and `select`
  when the rule needs others running, as the suppression rules do); without it the harness runs
  `--isolated --select <CODE>`, so the repository's own configuration never leaks in.

`pytest tests/test_rules.py --update-expected` (re)writes the expectations from what entralint prints now;
review the diff before committing it. See CONTRIBUTING.md, "Adding a rule".
"""

from __future__ import annotations

import json
import shutil
import tomllib
from pathlib import Path
from typing import Any

import pytest

from linter.engine.registry import load_rules
from tests.conftest import run_cli

RULE_FIXTURES = Path(__file__).resolve().parent / "rules"
EXPECTED_SUFFIX = ".expected.json"
CONFIG_NAME = "entralint.toml"
TENANT_CONFIG_NAME = ".entralint.toml"


def expected_path(fixture: Path) -> Path:
    return fixture.with_name(fixture.name + EXPECTED_SUFFIX)


def is_input(path: Path) -> bool:
    return path.name.startswith(("fail_", "pass_")) and not path.name.endswith(EXPECTED_SUFFIX)


def fixture_inputs(root: Path = RULE_FIXTURES) -> list[Path]:
    return sorted(path for folder in root.iterdir() if folder.is_dir() for path in folder.iterdir() if is_input(path))


def _selects(config: Path) -> bool:
    return "select" in tomllib.loads(config.read_text(encoding="utf-8"))


def lint_fixture(fixture: Path, scratch: Path) -> list[dict[str, Any]]:
    """The findings entralint's JSON report gives for one fixture input, fingerprints left out.

    A file input with the folder's configuration is linted from a scratch folder holding only the two:
    beside a configuration file, a file given alone brings its folder's other files into its tenant.
    """
    code = fixture.parent.name
    if fixture.is_dir():
        cwd, targets = fixture, ["."]
        config = fixture / TENANT_CONFIG_NAME
        settings = [] if config.is_file() else ["--isolated"]
    else:
        cwd, targets = fixture.parent, [fixture.name]
        config = fixture.parent / CONFIG_NAME
        settings = ["--isolated"]
        if config.is_file():
            cwd = scratch
            shutil.copy(config, scratch / CONFIG_NAME)
            shutil.copy(fixture, scratch / fixture.name)
            settings = ["--config", CONFIG_NAME]
    selection = [] if config.is_file() and _selects(config) else ["--select", code]
    result = run_cli(["check", *settings, *selection, "--format", "json", *targets], cwd=cwd)
    assert result.code in (0, 1), result.stderr
    report = result.json()
    assert report["notifications"] == [], report["notifications"]
    # A fingerprint is a hash of the fields kept: it would only make the expectations harder to review.
    # Fixes have golden files of their own (tests/fixtures/fixes/<CODE>/): the bytes after `--fix`.
    left_out = {"fingerprint", "fix", "no_fix"}
    return [{key: value for key, value in finding.items() if key not in left_out} for finding in report["findings"]]


def write_expected(fixture: Path, findings: list[dict[str, Any]]) -> None:
    expected_path(fixture).write_text(json.dumps(findings, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def read_expected(fixture: Path) -> list[dict[str, Any]]:
    path = expected_path(fixture)
    assert path.is_file(), (
        f"{path.relative_to(RULE_FIXTURES)} is missing: run `pytest tests/test_rules.py --update-expected` "
        "and review what it wrote"
    )
    findings: list[dict[str, Any]] = json.loads(path.read_text(encoding="utf-8"))
    return findings


@pytest.mark.parametrize("fixture", fixture_inputs(), ids=lambda path: f"{path.parent.name}/{path.name}")
def test_fixture(fixture: Path, request: pytest.FixtureRequest, tmp_path: Path) -> None:
    findings = lint_fixture(fixture, tmp_path)
    if request.config.getoption("--update-expected"):
        write_expected(fixture, findings)
    assert findings == read_expected(fixture)
    code = fixture.parent.name
    fired = any(finding["code"] == code for finding in findings)
    assert fired == fixture.name.startswith("fail_"), f"{code}: fail_ inputs must give a {code} finding, pass_ none"


def test_every_expectation_has_its_input() -> None:
    orphans = [
        str(path.relative_to(RULE_FIXTURES))
        for path in RULE_FIXTURES.glob(f"*/*{EXPECTED_SUFFIX}")
        if not path.with_name(path.name.removesuffix(EXPECTED_SUFFIX)).exists()
    ]
    assert orphans == []


def test_fixture_folders_hold_only_inputs_expectations_and_configuration() -> None:
    """A file named otherwise would be linted by no test."""
    stray = [
        str(path.relative_to(RULE_FIXTURES))
        for folder in RULE_FIXTURES.iterdir()
        for path in (folder.iterdir() if folder.is_dir() else [folder])
        if not (is_input(path) or path.name.endswith(EXPECTED_SUFFIX) or path.name == CONFIG_NAME)
    ]
    assert stray == []


def test_every_fixture_folder_is_a_rule() -> None:
    assert sorted(folder.name for folder in RULE_FIXTURES.iterdir() if folder.is_dir()) == sorted(
        load_rules(entry_points=False)
    )


@pytest.mark.parametrize("code", list(load_rules(entry_points=False)))
def test_every_rule_has_a_fixture_that_fires_and_one_that_stays_silent(code: str) -> None:
    fixtures = [path for path in fixture_inputs() if path.parent.name == code]
    verdicts = {any(finding["code"] == code for finding in read_expected(path)) for path in fixtures}
    assert verdicts == {True, False}, f"tests/rules/{code}/ needs a fail_ and a pass_ input with expectations"
