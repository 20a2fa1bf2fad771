"""TL001-TL006 over fixtures in every format: codes, levels, messages and the exact line and column.

A fixture is a file under tests/fixtures/rules/<CODE>/: `pass_*` files must give no finding of
that code, `fail_*` files exactly the findings listed in CASES (line, column, the source text the
finding starts at, and words its message must contain).
"""

from __future__ import annotations

import importlib.util
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import FIXTURES, run_cli, write

RULE_FIXTURES = FIXTURES / "rules"
HAS_POWERSHELL_LOADER = importlib.util.find_spec("linter.loaders.powershell.script") is not None
HAS_TERRAFORM_LOADER = importlib.util.find_spec("linter.loaders.hcl.terraform") is not None

LEVELS = {
    "TL001": "warning",
    "TL002": "warning",
    "TL003": "warning",
    "TL004": "error",
    "TL005": "error",
    "TL006": "note",
    "MF001": "warning",
}
# Words every message of the rule carries.
KEYWORDS = {
    "TL001": ("MaxAgeMultiFactor", "Power Automate", "AADSTS50076", "30 January 2021", "sign-in frequency"),
    "TL002": ("MaxAgeSingleFactor", "Power Automate", "AADSTS50076", "30 January 2021", "sign-in frequency"),
    "TL003": ("MaxInactiveTime", "below 90 days", "AADSTS70008", "30 January 2021"),
    "TL004": ("definition 0",),
    "TL005": ("organization default", "isOrganizationDefault to false"),
    "TL006": ("30 January 2021", "sign-in frequency"),
    "MF001": ("remember MFA on trusted devices", "Power Automate", "repair", "sign-in frequency"),
}


@dataclass(frozen=True)
class Expected:
    line: int
    column: int
    at: str  # the file text the finding starts at
    words: tuple[str, ...] = ()


CASES: dict[str, list[Expected]] = {
    "TL001/fail_graph.json": [Expected(7, 68, r"\"14.00:00:00\",", ("'14.00:00:00' (14 days)",))],
    "TL001/fail_block_scalar.yaml": [
        Expected(10, 34, '"7.00:00:00"', ("7 days",)),
        # YAML's loader places an escaped character on the character after the backslash.
        Expected(16, 73, r'"01:00:00\"', ("1 hour",)),
    ],
    "TL001/fail_terraform.tf": [Expected(5, 68, r"\"30.00:00:00\"", ("30 days",))],
    "TL001/fail_powershell.ps1": [Expected(2, 88, '"14.00:00:00"', ("14 days",))],
    "TL002/fail_graph.json": [Expected(7, 110, r"\"1.00:00:00\"", ("1 day", "single-factor"))],
    "TL002/fail_block_scalar.yaml": [Expected(6, 27, '"45.12:00:00"', ("45 days 12 hours",))],
    "TL002/fail_terraform.tf": [Expected(3, 94, r"\"10.00:00:00\"", ("10 days",))],
    "TL003/fail_graph.json": [Expected(4, 79, r"\"14.00:00:00\"", ("unused for 14 days",))],
    "TL003/fail_block_scalar.yaml": [Expected(8, 26, '"30.00:00:00"', ("30 days",))],
    "TL003/fail_terraform.tf": [Expected(4, 66, r"\"89.23:59:59\"", ("89 days 23 hours 59 minutes 59 seconds",))],
    "TL004/fail_kb_set_example.json": [
        Expected(5, 132, '}}"', ("not valid JSON", "text after the end", "character 115 '}'"))
    ],
    "TL004/fail_kb_set_azureadpolicy.ps1": [
        Expected(3, 191, "}}')", ("not valid JSON", "text after the end", "character 115 '}'"))
    ],
    "TL004/fail_structure.json": [
        Expected(4, 59, "2,", ("Version must be 1, not 2",)),
        Expected(4, 61, r"\"maxAgeMultiFactor\"", ("unknown property 'maxAgeMultiFactor'", "'MaxAgeMultiFactor'")),
        Expected(4, 102, r"\"Owner\"", ("unknown property 'Owner'", "known: TokenLifetimePolicy")),
        Expected(8, 46, r"{\"AccessTokenLifetime", ('has no "Version": 1',)),
        Expected(12, 22, r"\"tokenLifetimePolicy\"", ("did you mean 'TokenLifetimePolicy'",)),
        Expected(12, 63, r"\"Note\"", ("unknown property 'Note'",)),
        # Through two levels of escapes: \\u0030\\u0031 in the file is "01" in the value.
        Expected(16, 105, r"60\"", ("'01:00:60' is not a timespan", "seconds must be below 60")),
    ],
    "TL004/fail_ranges.yaml": [
        Expected(7, 30, '"00:05:00"', ("between 10 minutes and 1 day, not 5 minutes",)),
        Expected(8, 26, '"until-revoked"', ("MaxInactiveTime must be between 10 minutes and 90 days",)),
        Expected(9, 28, '"400.00:00:00"', ("at most 365 days", "not 400 days")),
        Expected(10, 39, "25:00:00", ("hours must be below 24",)),
        Expected(11, 29, "90,", ("must be a timespan string", "not 90")),
        Expected(12, 38, ' days"', ("'14 days' is not a timespan", "[d.]hh:mm:ss")),
    ],
    "TL004/fail_terraform.tf": [
        Expected(4, 82, ",}}", ("trailing comma before '}'", "character 69 ','")),
        Expected(12, 70, r"\"1.12:00:00\"", ("not 1 day 12 hours",)),
    ],
    "TL005/fail_two_defaults.json": [
        Expected(16, 32, "true", ("'Copied default' is an organization default too", "'Contoso default'")),
        Expected(21, 32, "true", ("'Third default' is an organization default too", "'Contoso default'")),
    ],
    "TL006/fail_graph.json": [
        Expected(5, 83, r"\"MaxAgeSessionMultiFactor\"", ("sets MaxAgeSessionMultiFactor, MaxAgeMultiFactor, which",)),
        Expected(6, 46, r"\"MaxInactiveTime\"", ("definition 1 sets MaxInactiveTime, which",)),
    ],
    "TL006/fail_block_scalar.yaml": [
        Expected(5, 6, '"MaxAgeSessionSingleFactor"', ("sets MaxAgeSessionSingleFactor,",))
    ],
    "TL006/fail_terraform.tf": [Expected(4, 46, r"\"MaxAgeSingleFactor\"", ("sets MaxAgeSingleFactor,",))],
    "TL006/fail_kb_new_azureadpolicy.ps1": [
        Expected(2, 70, '"MaxAgeMultiFactor"', ("sets MaxAgeMultiFactor, MaxAgeSessionMultiFactor, which",))
    ],
}


def lint(paths: list[str], select: str, cwd: Path, *extra: str) -> list[dict[str, Any]]:
    """Findings of `entralint check` (JSON report) over paths; no rule may have crashed."""
    result = run_cli(["check", "--isolated", "--format", "json", "--select", select, *extra, *paths], cwd=cwd)
    assert result.code in (0, 1), result.stderr
    report = result.json()
    assert [note for note in report["notifications"] if note.get("level") == "error"] == []
    findings: list[dict[str, Any]] = report["findings"]
    return findings


def text_at(path: Path, line: int, column: int) -> str:
    return path.read_text(encoding="utf-8").splitlines()[line - 1][column - 1 :]


def fixture_ids(codes: tuple[str, ...]) -> list[Any]:
    """Every fixture file of the codes, skipped with a reason when its format has no loader yet."""
    params = []
    for code in codes:
        for path in sorted((RULE_FIXTURES / code).glob("*_*.*")):
            marks = []
            if path.suffix == ".ps1" and not HAS_POWERSHELL_LOADER:
                marks.append(pytest.mark.skip(reason="linter/loaders/powershell/script.py does not exist yet"))
            if path.suffix == ".tf" and not HAS_TERRAFORM_LOADER:
                marks.append(pytest.mark.skip(reason="linter/loaders/hcl/terraform.py does not exist yet"))
            name = f"{code}/{path.name}"
            params.append(pytest.param(name, marks=marks, id=name))
    return params


def check_fixture(name: str, cases: dict[str, list[Expected]]) -> None:
    code, file_name = name.split("/")
    path = RULE_FIXTURES / name
    findings = lint([file_name], code, path.parent)
    expected = cases.get(name, [])
    assert file_name.startswith("fail_") == bool(expected), f"{name}: fail_ fixtures need CASES, pass_ ones none"
    assert [(finding["code"], finding["line"], finding["column"]) for finding in findings] == [
        (code, case.line, case.column) for case in expected
    ]
    for finding, case in zip(findings, expected, strict=True):
        assert finding["level"] == LEVELS[code]
        for word in KEYWORDS[code] + case.words:
            assert word in finding["message"], (word, finding["message"])
        assert text_at(path, case.line, case.column).startswith(case.at), (case, text_at(path, case.line, 1))


@pytest.mark.parametrize("name", fixture_ids(("TL001", "TL002", "TL003", "TL004", "TL005", "TL006")))
def test_fixture(name: str) -> None:
    check_fixture(name, CASES)


def test_every_case_has_its_fixture() -> None:
    assert [name for name in CASES if not (RULE_FIXTURES / name).is_file()] == []


def test_each_rule_fires_and_stays_silent_in_json_yaml_and_terraform() -> None:
    for code in ("TL001", "TL002", "TL003", "TL004", "TL006"):
        fixtures = {path.name for path in (RULE_FIXTURES / code).iterdir()}
        for suffix in (".json", ".yaml", ".tf"):
            assert any(name.startswith("fail_") and name.endswith(suffix) for name in fixtures), (code, suffix)
        assert any(name.startswith("pass_") for name in fixtures), code


# ---- TL001 options --------------------------------------------------------------------------

POLICY = '{"displayName": "%s", "definition": ["{\\"TokenLifetimePolicy\\":{\\"MaxAgeMultiFactor\\":\\"%s\\"}}"]}'
POLICIES = f"[\n{POLICY % ('Two weeks', '14.00:00:00')},\n{POLICY % ('Four months', '120.00:00:00')}\n]\n"


@pytest.mark.parametrize(
    ("config_name", "config"),
    [
        (".entralint.toml", '[rules.TL001]\nmin-age = "90.00:00:00"\n'),
        ("pyproject.toml", '[tool.entralint.rules.TL001]\nmin-age = "90.00:00:00"\n'),
    ],
)
def test_min_age_from_config_reports_only_shorter_values(tmp_path: Path, config_name: str, config: str) -> None:
    write(tmp_path, config_name, config)
    write(tmp_path, "policies.json", POLICIES)
    result = run_cli(["check", "--format", "json", "--select", "TL001", "policies.json"], cwd=tmp_path)
    assert result.code == 1, result.stderr
    findings = result.json()["findings"]
    assert [(finding["code"], finding["line"], finding["column"]) for finding in findings] == [("TL001", 2, 94)]
    assert "shorter than min-age 90 days" in findings[0]["message"]


def test_min_age_until_revoked_by_default_reports_every_fixed_value(tmp_path: Path) -> None:
    write(tmp_path, "policies.json", POLICIES)
    findings = lint(["policies.json"], "TL001", tmp_path)
    assert [(finding["line"], finding["column"]) for finding in findings] == [(2, 94), (3, 96)]
    assert ["min-age" in finding["message"] for finding in findings] == [False, False]


@pytest.mark.parametrize(
    ("value", "shown"),
    [("90", "90"), ('"90 days"', "'90 days'"), ('"1.24:00:00"', "'1.24:00:00'"), ("true", "True")],
)
def test_invalid_min_age_exits_2_and_says_why(tmp_path: Path, value: str, shown: str) -> None:
    write(tmp_path, ".entralint.toml", f"[rules.TL001]\nmin-age = {value}\n")
    write(tmp_path, "policies.json", POLICIES)
    result = run_cli(["check", "policies.json"], cwd=tmp_path)
    assert result.code == 2
    assert "rules.TL001.min-age must be a timespan" in result.stderr
    assert shown in result.stderr
    assert "Traceback" not in result.stderr


def test_unknown_tl001_option_exits_2(tmp_path: Path) -> None:
    write(tmp_path, ".entralint.toml", '[rules.TL001]\nmax-age = "90.00:00:00"\n')
    write(tmp_path, "policies.json", POLICIES)
    result = run_cli(["check", "policies.json"], cwd=tmp_path)
    assert result.code == 2
    assert "unknown option 'max-age'" in result.stderr and "min-age" in result.stderr


# ---- TL005 across files ---------------------------------------------------------------------

TENANT = RULE_FIXTURES / "TL005" / "tenant"


@pytest.mark.parametrize(
    "given",
    [
        ["policies"],
        ["policies/a_default.json", "policies/b_app.yaml", "policies/c_second_default.tf"],
        ["policies/b_app.yaml"],  # pre-commit passes only changed files: the tenant still counts
        ["policies/a_default.json"],
    ],
)
def test_second_default_in_another_file(given: list[str]) -> None:
    if not HAS_TERRAFORM_LOADER:
        pytest.skip("linter/loaders/hcl/terraform.py does not exist yet")
    result = run_cli(["check", "--format", "json", *given], cwd=TENANT)
    assert result.code == 1, result.stderr
    findings = result.json()["findings"]
    assert [(finding["code"], finding["path"], finding["line"], finding["column"]) for finding in findings] == [
        ("TL005", "policies/c_second_default.tf", 4, 29)
    ]
    assert findings[0]["level"] == "error"
    assert "'Second default' is an organization default too" in findings[0]["message"]
    assert "'Contoso default' in policies/a_default.json" in findings[0]["message"]
    assert findings[0]["related"] == [{"path": "policies/a_default.json", "line": 3, "column": 28}]


def test_one_default_per_tenant_is_fine(tmp_path: Path) -> None:
    write(tmp_path, ".entralint.toml", '[tenants]\ncontoso = ["contoso/**"]\nfabrikam = ["fabrikam/**"]\n')
    default = (TENANT / "policies" / "a_default.json").read_text(encoding="utf-8")
    write(tmp_path, "contoso/default.json", default)
    write(tmp_path, "fabrikam/default.json", default)
    result = run_cli(["check", "--format", "json", "--select", "TL005", "contoso", "fabrikam"], cwd=tmp_path)
    assert result.code == 0, result.stderr
    assert result.json()["findings"] == []


# ---- robustness -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "definition",
    [
        '"{\\"TokenLifetimePolicy\\":null}"',
        '"{\\"TokenLifetimePolicy\\":{\\"Version\\":1,\\"MaxAgeMultiFactor\\":{\\"days\\":14}}}"',
        '"{\\"TokenLifetimePolicy\\":{\\"Version\\":[1],\\"MaxInactiveTime\\":[\\"14.00:00:00\\"]}}"',
        '"[1, 2]"',
        '"\\"TokenLifetimePolicy\\""',
        '"{\\"TokenLifetimePolicy\\":{\\"Version\\":1,\\"MaxAgeMultiFactor\\":\\"\\"}}"',
        '"{\\"TokenLifetimePolicy\\":{\\"Version\\":1,\\"MaxAgeMultiFactor\\":\\"9999999999.00:00:00\\"}}"',
        '"{\\"TokenLifetimePolicy\\":{\\"Version\\":true,\\"MaxAgeMultiFactor\\":null}}"',
    ],
)
def test_wrong_types_never_crash_a_rule(tmp_path: Path, definition: str) -> None:
    write(
        tmp_path,
        "policy.json",
        f'{{"displayName": "odd", "isOrganizationDefault": true, "definition": [{definition}, 7, null]}}',
    )
    findings = lint(["policy.json"], "TL,MF", tmp_path)
    assert {finding["code"] for finding in findings} <= {"TL004", "TL006"}
