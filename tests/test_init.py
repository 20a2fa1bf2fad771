"""`entralint init`: a starter configuration that loads, records the tenant layout, and never overwrites."""

from __future__ import annotations

import json
import shutil
import tomllib
from pathlib import Path
from typing import Any

import pytest

from linter.engine.config import Config, load_config
from tests.conftest import REPO, run_cli, write

EXAMPLES = REPO / "examples"
GUID = "11111111-2222-4333-8444-555555555555"


def _validate_against_schema(section: dict[str, Any]) -> None:
    import jsonschema

    from linter.loaders.normalize.schema import load_schema

    jsonschema.Draft202012Validator(load_schema("config")).validate(section)


def _tenant_copies(root: Path, *names: str) -> None:
    for name in names:
        shutil.copytree(EXAMPLES / "graph", root / "tenants" / name)


def test_one_tenant_in_several_formats_is_one_tenant(tmp_path: Path) -> None:
    shutil.copytree(EXAMPLES, tmp_path / "examples")
    result = run_cli(["init"], cwd=tmp_path)
    assert (result.code, result.stderr) == (0, "")
    written = tmp_path / ".entralint.toml"
    assert (
        result.stdout == f"entralint: wrote a starter configuration to {Path('.') / '.entralint.toml'} (one tenant)\n"
    )
    section = tomllib.loads(written.read_text(encoding="utf-8"))
    assert section == {"tenants": {tmp_path.name: ["examples/**"]}}
    _validate_against_schema(section)
    config = load_config(None, cwd=tmp_path)
    assert (config.source, config.tenants) == (written, {tmp_path.name: ("examples/**",)})


def test_sub_folders_holding_one_tenant_each_become_tenant_directories(tmp_path: Path) -> None:
    _tenant_copies(tmp_path, "contoso", "fabrikam")
    result = run_cli(["init"], cwd=tmp_path)
    assert result.code == 0
    assert result.stdout.endswith("(2 tenants, one per folder of tenants)\n")
    text = (tmp_path / ".entralint.toml").read_text(encoding="utf-8")
    assert "(contoso, fabrikam)" in text
    assert load_config(None, cwd=tmp_path).tenant_directories == ("tenants/*",)
    # The tenants it recorded are the tenants a check sees.
    report = run_cli(["check", "--select", "CA001", "--format", "json", "."], cwd=tmp_path).json()
    assert report["files"] > 0


def test_sub_folders_of_one_tenant_split_by_subject_stay_one_tenant(tmp_path: Path) -> None:
    graph = EXAMPLES / "graph"
    shutil.copytree(graph / "Identity", tmp_path / "policies" / "conditional-access")
    shutil.copytree(graph / "Policies", tmp_path / "policies" / "token-lifetime")
    assert run_cli(["init"], cwd=tmp_path).code == 0
    assert load_config(None, cwd=tmp_path).tenants == {tmp_path.name: ("policies/**",)}


def test_a_policy_file_beside_the_sub_folders_keeps_one_tenant(tmp_path: Path) -> None:
    _tenant_copies(tmp_path, "contoso", "fabrikam")
    shutil.copy(EXAMPLES / "mfa" / "mfa-service-settings.yaml", tmp_path / "tenants" / "mfa.yaml")
    assert run_cli(["init"], cwd=tmp_path).code == 0
    config = load_config(None, cwd=tmp_path)
    assert (config.tenants, config.tenant_directories) == ({tmp_path.name: ("tenants/**",)}, ())


def test_pyproject_gets_the_section_appended_and_keeps_every_byte_it_had(tmp_path: Path) -> None:
    before = '[project]\nname = "policies"\n\n[tool.ruff]\nline-length = 100'  # no final newline
    write(tmp_path, "pyproject.toml", before)
    _tenant_copies(tmp_path, "contoso", "fabrikam")
    result = run_cli(["init"], cwd=tmp_path)
    assert result.code == 0
    assert not (tmp_path / ".entralint.toml").exists()
    after = (tmp_path / "pyproject.toml").read_text(encoding="utf-8")
    assert after.startswith(before + "\n\n")
    document = tomllib.loads(after)
    assert document["tool"]["ruff"] == {"line-length": 100}
    section = document["tool"]["entralint"]
    assert section == {"tenant-directories": ["tenants/*"]}
    _validate_against_schema(section)
    config = load_config(None, cwd=tmp_path)
    assert (config.source, config.tenant_directories) == (tmp_path / "pyproject.toml", ("tenants/*",))


def _uncommented(text: str) -> str:
    """The configuration a person gets by uncommenting the emergency-access setting `init` proposes."""
    lines, inside = [], False
    for line in text.splitlines():
        if line.startswith("# emergency-access = ["):
            inside = True
        if inside:
            lines.append(line.removeprefix("# ").removeprefix("#"))
            inside = line != "# ]"
        else:
            lines.append(line)
    return "\n".join(lines) + "\n"


def test_the_inferred_emergency_access_accounts_are_proposed_commented(tmp_path: Path) -> None:
    shutil.copytree(EXAMPLES / "graph", tmp_path / "graph")
    assert run_cli(["init"], cwd=tmp_path).code == 0
    text = (tmp_path / ".entralint.toml").read_text(encoding="utf-8")
    assert "emergency-access" not in tomllib.loads(text)
    break_glass = "7a1d2c3b-4e5f-4a6b-9c8d-2e3f4a5b6c7d"
    assert f'#     "{break_glass}",  # group, excluded from 4 of the 4 enabled policies' in text
    # Uncommented as the comment says, it is a valid configuration naming the account.
    (tmp_path / ".entralint.toml").write_text(_uncommented(text), encoding="utf-8")
    config = load_config(None, cwd=tmp_path)
    assert config.emergency_access == (break_glass,)
    _validate_against_schema(tomllib.loads(_uncommented(text)))
    # The sample tenant's blocks exclude its break-glass group: CA008 is satisfied.
    assert run_cli(["check", "--select", "CA008", "."], cwd=tmp_path).code == 0
    (tmp_path / ".entralint.toml").write_text(_uncommented(text).replace(break_glass, GUID), encoding="utf-8")
    other = run_cli(["check", "--select", "CA008", "--format", "json", "."], cwd=tmp_path)
    assert other.code == 1
    assert {finding["code"] for finding in other.json()["findings"]} == {"CA008"}


def test_without_an_inferred_account_the_setting_is_a_commented_example(tmp_path: Path) -> None:
    write(tmp_path, "policy.json", json.dumps({"displayName": "MFA", "state": "enabled", "conditions": {}}))
    assert run_cli(["init"], cwd=tmp_path).code == 0
    text = (tmp_path / ".entralint.toml").read_text(encoding="utf-8")
    assert '# emergency-access = ["00000000-0000-0000-0000-000000000000"]' in text
    assert "emergency-access" not in tomllib.loads(text)


def test_no_policy_file_leaves_the_tenants_commented(tmp_path: Path) -> None:
    result = run_cli(["init"], cwd=tmp_path)
    assert result.code == 0
    assert result.stdout.endswith("(no policy file found; tenants left commented)\n")
    text = (tmp_path / ".entralint.toml").read_text(encoding="utf-8")
    assert tomllib.loads(text) == {}
    assert load_config(None, cwd=tmp_path) == Config(root=tmp_path.resolve(), source=tmp_path / ".entralint.toml")


@pytest.mark.parametrize(
    ("name", "text"),
    [
        (".entralint.toml", ""),
        (".entralint.yaml", "select: [CA]\n"),
        ("pyproject.toml", '[project]\nname = "x"\n\n[tool.entralint]\nfail-on = "error"\n'),
    ],
)
def test_an_existing_configuration_is_never_overwritten(tmp_path: Path, name: str, text: str) -> None:
    existing = write(tmp_path, name, text)
    shutil.copytree(EXAMPLES / "graph", tmp_path / "graph")
    result = run_cli(["init"], cwd=tmp_path)
    assert (result.code, result.stdout) == (2, "")
    assert result.stderr == (
        f"entralint: error: {Path('.') / name} already configures entralint; `entralint init` never overwrites it\n"
    )
    assert existing.read_text(encoding="utf-8") == text
    assert sorted(path.name for path in tmp_path.iterdir()) == sorted([name, "graph"])


def test_a_pyproject_without_entralint_settings_is_not_a_configuration(tmp_path: Path) -> None:
    write(tmp_path, "pyproject.toml", '[project]\nname = "x"\n')
    assert run_cli(["init"], cwd=tmp_path).code == 0


def test_init_in_a_named_directory_and_a_missing_one(tmp_path: Path) -> None:
    shutil.copytree(EXAMPLES / "graph", tmp_path / "repo" / "graph")
    assert run_cli(["init", "repo"], cwd=tmp_path).code == 0
    assert load_config(None, cwd=tmp_path / "repo").tenants == {"repo": ("graph/**",)}
    missing = run_cli(["init", "nowhere"], cwd=tmp_path)
    assert (missing.code, missing.stderr) == (2, "entralint: error: nowhere: no such directory\n")


def test_a_configuration_further_up_is_mentioned(tmp_path: Path) -> None:
    outer = write(tmp_path, ".entralint.toml", 'fail-on = "error"\n')
    (tmp_path / "inner").mkdir()
    result = run_cli(["init", "inner"], cwd=tmp_path)
    assert result.code == 0
    assert f"it takes precedence over {outer} for the files below it" in result.stdout
