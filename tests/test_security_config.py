"""Issue 19 case 1: configuration from a checked-out pull request cannot make entralint run code."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from linter.engine.config import ALLOW_CUSTOM_RULES_VARIABLE
from tests.conftest import FIXTURES, CliResult, run_cli, write

POLICY = (FIXTURES / "cli" / "tenant" / "report-only.json").read_text(encoding="utf-8")
CUSTOM_RULES = FIXTURES / "cli" / "custom_rules"
# What a pull request adds: a module and a package __init__ that leave a mark when imported.
EVIL_MODULE = "from pathlib import Path\n\nPath(__file__).with_name('module-ran').write_text('x')\n"
EVIL_INIT = "from pathlib import Path\n\nPath(__file__).with_name('init-ran').write_text('x')\n"

CONFIGS = {
    ".entralint.toml": 'rules-dirs = ["evil"]\nselect = ["CA001"]\nextend-select = ["CX"]\n'
    '[rules.CX001]\nprefix = "CA0"\n',
    "pyproject.toml": '[tool.entralint]\nrules-dirs = ["evil"]\nselect = ["CA001"]\nextend-select = ["CX"]\n',
    ".entralint.yaml": "rules-dirs: [evil]\nselect: [CA001]\nextend-select: [CX]\n",
}


@pytest.fixture(autouse=True)
def no_consent_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(ALLOW_CUSTOM_RULES_VARIABLE, raising=False)


def hostile_checkout(root: Path, config_name: str) -> Path:
    write(root / "policies", "report-only.json", POLICY)
    write(root / "evil", "x.py", EVIL_MODULE)
    write(root / "evil", "__init__.py", EVIL_INIT)
    write(root, config_name, CONFIGS[config_name])
    return root / "evil"


def check(root: Path, *args: str) -> CliResult:
    return run_cli(["check", "--format", "json", *args, "policies"], cwd=root)


@pytest.mark.parametrize("config_name", sorted(CONFIGS))
def test_configuration_naming_rules_dirs_runs_no_code(tmp_path: Path, config_name: str) -> None:
    evil = hostile_checkout(tmp_path, config_name)
    result = check(tmp_path)
    assert not (evil / "module-ran").exists()
    assert not (evil / "init-ran").exists()
    # The built-in rules ran (CA001 on the report-only policy); the notification changes no exit code.
    assert [finding["code"] for finding in result.json()["findings"]] == ["CA001"]
    assert result.code == 1
    refusals = [line for line in result.stderr.splitlines() if "custom rules not loaded" in line]
    assert len(refusals) == 1
    assert f"{config_name} names rules-dirs" in refusals[0]
    assert "--allow-custom-rules" in refusals[0]
    assert f"{ALLOW_CUSTOM_RULES_VARIABLE}=1" in refusals[0]


def test_refusal_is_a_tool_notification_in_sarif(tmp_path: Path) -> None:
    hostile_checkout(tmp_path, ".entralint.toml")
    result = run_cli(["check", "--format", "sarif", "--fail-on", "never", "policies"], cwd=tmp_path)
    assert result.code == 0
    invocation = json.loads(result.stdout)["runs"][0]["invocations"][0]
    messages = [note["message"]["text"] for note in invocation.get("toolExecutionNotifications", [])]
    assert sum("custom rules not loaded" in message for message in messages) == 1


def test_flag_allows_the_configured_rules(tmp_path: Path) -> None:
    evil = hostile_checkout(tmp_path, ".entralint.toml")
    write(evil, "x.py", (CUSTOM_RULES / "cx001_display_name_prefix.py").read_text(encoding="utf-8") + EVIL_MODULE)
    result = check(tmp_path, "--allow-custom-rules")
    assert (evil / "module-ran").exists()
    assert (evil / "init-ran").exists()
    assert "CX001" in [finding["code"] for finding in result.json()["findings"]]
    assert "custom rules not loaded" not in result.stderr


@pytest.mark.parametrize("value", ["1", "true", "YES"])
def test_environment_variable_allows_the_configured_rules(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, value: str
) -> None:
    evil = hostile_checkout(tmp_path, ".entralint.yaml")
    monkeypatch.setenv(ALLOW_CUSTOM_RULES_VARIABLE, value)
    check(tmp_path)
    assert (evil / "module-ran").exists()


@pytest.mark.parametrize("value", ["", "0", "false", "no"])
def test_environment_variable_other_values_refuse(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, value: str) -> None:
    evil = hostile_checkout(tmp_path, ".entralint.yaml")
    monkeypatch.setenv(ALLOW_CUSTOM_RULES_VARIABLE, value)
    result = check(tmp_path)
    assert not (evil / "module-ran").exists()
    assert "custom rules not loaded" in result.stderr


def test_rules_dir_on_the_command_line_is_the_runners_own_choice(tmp_path: Path) -> None:
    write(tmp_path / "policies", "report-only.json", POLICY)
    result = check(tmp_path, "--rules-dir", str(CUSTOM_RULES), "--select", "CX001")
    assert [finding["code"] for finding in result.json()["findings"]] == ["CX001"]
    assert "custom rules not loaded" not in result.stderr


def test_configuration_naming_a_command_line_directory_is_not_refused(tmp_path: Path) -> None:
    write(tmp_path / "policies", "report-only.json", POLICY)
    write(tmp_path, ".entralint.toml", f'rules-dirs = [{json.dumps(str(CUSTOM_RULES))}]\nselect = ["CX001"]\n')
    result = check(tmp_path, "--rules-dir", str(CUSTOM_RULES))
    assert [finding["code"] for finding in result.json()["findings"]] == ["CX001"]
    assert "custom rules not loaded" not in result.stderr


def test_unknown_rule_settings_stay_errors_when_nothing_was_refused(tmp_path: Path) -> None:
    write(tmp_path / "policies", "report-only.json", POLICY)
    write(tmp_path, ".entralint.toml", "[rules.ZZ001]\nx = 1\n")
    result = check(tmp_path)
    assert result.code == 2
    assert "rules.ZZ001: no rule has that id" in result.stderr


def installed_pack(site: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An installed distribution declaring an entralint.rules entry point whose module leaves a mark."""
    write(site, "evil_pack.py", EVIL_MODULE)
    write(site / "evil_pack-1.0.dist-info", "METADATA", "Metadata-Version: 2.1\nName: evil-pack\nVersion: 1.0\n")
    write(site / "evil_pack-1.0.dist-info", "entry_points.txt", "[entralint.rules]\nevil = evil_pack\n")
    monkeypatch.syspath_prepend(str(site))
    return site / "module-ran"


def test_installed_entry_points_load_only_when_allowed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    mark = installed_pack(tmp_path / "site", monkeypatch)
    write(tmp_path / "project" / "policies", "report-only.json", POLICY)
    refused = check(tmp_path / "project", "--select", "CA001")
    assert not mark.exists()
    assert refused.code == 1
    assert "installed packages declare entralint.rules entry points (evil = evil_pack)" in refused.stderr
    for command in (["rules"], ["explain", "CA001"]):
        assert run_cli(command).code == 0
        assert not mark.exists()
    check(tmp_path / "project", "--select", "CA001", "--allow-custom-rules")
    assert mark.exists()
