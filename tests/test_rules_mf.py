"""MF001 over MFA service settings in JSON and YAML: level, message and the exact line and column."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import write
from tests.test_rules_tl import RULE_FIXTURES, Expected, check_fixture, fixture_ids, lint

CASES = {
    "MF001/fail_settings.json": [Expected(4, 18, "true", ("expire every 14 days", "AADSTS50076"))],
    "MF001/fail_settings.yaml": [Expected(4, 14, "true", ("expire every 1 day ",))],
    "MF001/fail_no_days.yaml": [Expected(2, 42, "true}", ("at the end of the remember-MFA period",))],
}


@pytest.mark.parametrize("name", fixture_ids(("MF001",)))
def test_fixture(name: str) -> None:
    check_fixture(name, CASES)


def test_every_case_has_its_fixture() -> None:
    assert [name for name in CASES if not (RULE_FIXTURES / name).is_file()] == []


def test_settings_beside_policies_in_one_export(tmp_path: Path) -> None:
    write(
        tmp_path,
        "tenant.yaml",
        "policies: []\n"
        "settings:\n"
        "  mfaServiceSettings:\n"
        "    rememberMfaOnTrustedDevices:\n"
        "      enabled: true\n"
        "      days: 60\n",
    )
    findings = lint(["tenant.yaml"], "MF001", tmp_path)
    assert [(finding["code"], finding["level"], finding["line"], finding["column"]) for finding in findings] == [
        ("MF001", "warning", 5, 16)
    ]
    assert "expire every 60 days" in findings[0]["message"]
