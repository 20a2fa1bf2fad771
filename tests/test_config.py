"""Configuration files: where they are found, what wins, and how a bad one is reported."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import FIXTURES, REPO, CliResult, run_cli, write

POLICY = (FIXTURES / "cli" / "tenant" / "report-only.json").read_text(encoding="utf-8")
BROKEN = (FIXTURES / "cli" / "tenant" / "broken.json").read_text(encoding="utf-8")
CUSTOM_RULES = FIXTURES / "cli" / "custom_rules"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A repository with a report-only policy (CA001) and a broken file (IN001) under policies/."""
    write(tmp_path / "policies", "report-only.json", POLICY)
    write(tmp_path / "policies", "broken.json", BROKEN)
    return tmp_path


def codes(result: CliResult) -> list[str]:
    return [entry["code"] for entry in result.json()["findings"]]


def check(project: Path, *args: str, cwd: Path | None = None) -> CliResult:
    return run_cli(["check", "--format", "json", *args], cwd=cwd or project)


def test_pyproject_section_found_walking_up(project: Path) -> None:
    write(project, "pyproject.toml", '[project]\nname = "x"\n\n[tool.entralint]\nselect = ["IN"]\n')
    assert codes(check(project, ".", cwd=project / "policies")) == ["IN001"]


def test_pyproject_without_section_is_passed_over(project: Path) -> None:
    write(project / "policies", "pyproject.toml", '[project]\nname = "x"\n')
    write(project, ".entralint.yaml", "select: [CA001]\n")
    assert codes(check(project, ".", cwd=project / "policies")) == ["CA001"]


def test_entralint_toml(project: Path) -> None:
    write(project, ".entralint.toml", 'select = ["CA001"]\nfail-on = "never"\n')
    result = check(project, "policies")
    assert (codes(result), result.code) == (["CA001"], 0)


def test_own_file_wins_over_pyproject_in_one_directory(project: Path) -> None:
    write(project, "pyproject.toml", '[tool.entralint]\nselect = ["IN"]\n')
    write(project, ".entralint.toml", 'select = ["CA001"]\n')
    assert codes(check(project, "policies")) == ["CA001"]


def test_config_option_overrides_the_found_file(project: Path) -> None:
    write(project, ".entralint.toml", 'select = ["IN"]\n')
    other = write(project / "elsewhere", "strict.yaml", "select: [CA001]\n")
    assert codes(check(project, "--config", str(other), "policies")) == ["CA001"]


def test_isolated_ignores_every_file(project: Path) -> None:
    write(project, ".entralint.toml", 'select = ["IN"]\n')
    assert codes(check(project, "--isolated", "--select", "CA001,IN", "policies")) == ["IN001", "CA001"]


def test_command_line_wins_over_the_file(project: Path) -> None:
    write(project, ".entralint.toml", 'select = ["IN"]\nfail-on = "never"\n')
    result = check(project, "--select", "CA001", "--fail-on", "warning", "policies")
    assert (codes(result), result.code) == (["CA001"], 1)


def test_ignore_and_extend_select_add_to_the_file(project: Path) -> None:
    write(project, ".entralint.toml", 'select = ["CA001"]\nextend-select = ["IN"]\n')
    assert codes(check(project, "policies")) == ["IN001", "CA001"]
    assert codes(check(project, "--ignore", "IN001", "policies")) == ["CA001"]


def test_exclude_from_the_file(project: Path) -> None:
    write(project, ".entralint.toml", 'select = ["CA001", "IN"]\nexclude = ["broken.json"]\n')
    assert codes(check(project, "policies")) == ["CA001"]


def test_per_file_ignores_are_relative_to_the_config_file(project: Path) -> None:
    write(project, ".entralint.toml", 'select = ["CA001", "IN"]\n[per-file-ignores]\n"policies/broken.json" = ["IN"]\n')
    assert codes(check(project, ".", cwd=project / "policies")) == ["CA001"]


def test_max_file_size_from_the_file(project: Path) -> None:
    write(project, ".entralint.toml", 'select = ["IN"]\nmax-file-size = 64\n')
    result = check(project, "policies/report-only.json")
    assert [(entry["code"], entry["message"].split(",")[0]) for entry in result.json()["findings"]] == [
        ("IN001", f"file is {len(POLICY.encode())} bytes")
    ]


def test_tenants_bring_in_the_whole_tenant(project: Path) -> None:
    """A tenant rule run on one file of a configured tenant still sees the tenant's other files."""
    enforced = POLICY.replace("enabledForReportingButNotEnforced", "enabled").replace("0b7f1a52", "1c8f2b63")
    write(project / "prod", "enforced.json", enforced)
    write(project / "prod", "report-only.json", POLICY)
    write(project / "test", "report-only.json", POLICY)
    write(project, ".entralint.toml", 'select = ["CA001"]\n[tenants]\nprod = ["prod/**"]\ntest = ["test/**"]\n')
    assert codes(check(project, "prod/report-only.json")) == []
    assert [entry["path"] for entry in check(project, "test/report-only.json").json()["findings"]] == [
        "test/report-only.json"
    ]


def test_rules_dirs_and_rule_options(project: Path) -> None:
    write(
        project,
        ".entralint.toml",
        f'select = ["CX001"]\nrules-dirs = [{json.dumps(str(CUSTOM_RULES))}]\n[rules.CX001]\nprefix = "Block"\n',
    )
    assert codes(check(project, "--allow-custom-rules", "policies")) == []
    write(project, ".entralint.toml", f'select = ["CX001"]\nrules-dirs = [{json.dumps(str(CUSTOM_RULES))}]\n')
    assert codes(check(project, "--allow-custom-rules", "policies")) == ["CX001"]


def test_rules_dirs_are_relative_to_the_config_file(project: Path) -> None:
    rules = project / "team-rules"
    rules.mkdir()
    for module in CUSTOM_RULES.glob("*.py"):
        (rules / module.name).write_text(module.read_text(encoding="utf-8"), encoding="utf-8")
    write(project, ".entralint.yaml", "select: [CX001]\nrules-dirs: [team-rules]\n")
    assert codes(check(project, "--allow-custom-rules", ".", cwd=project / "policies")) == ["CX001"]


@pytest.mark.parametrize(
    ("config_text", "message"),
    [
        (
            'selct = ["CA"]\n',
            "unknown key selct in (top level); allowed: emergency-access, exclude, extend-privileged-roles, "
            "extend-safe-fixes, extend-select, extend-unsafe-fixes, fail-on, fixable, ignore, max-file-size, "
            "per-file-ignores, per-policy-ignores, privileged-roles, rules, rules-dirs, select, tenant-directories, "
            "tenant-ignores, tenants, unfixable",
        ),
        ('fail-on = "warn"\n', "fail-on: 'warn' is not one of ['error', 'warning', 'note', 'never']"),
        ('select = "CA"\n', "select: 'CA' is not of type 'array'"),
        ("max-file-size = 0\n", "max-file-size: 0 is less than the minimum of 1"),
        ('[rules.CA001]\nprefix = "x"\n', "rules.CA001: unknown option 'prefix'; options of CA001: none"),
        ("[rules.ZZ001]\nx = 1\n", "rules.ZZ001: no rule has that id (see `entralint rules`)"),
        ('select = ["CA001"\n', "invalid TOML: "),
    ],
)
def test_bad_configuration_is_exit_2_naming_file_key_and_allowed(project: Path, config_text: str, message: str) -> None:
    config = write(project, ".entralint.toml", config_text)
    result = check(project, "policies")
    assert result.code == 2
    assert result.stdout == ""
    assert message in result.stderr
    if not message.startswith("rules."):
        assert result.stderr.startswith(f"entralint: error: {config}: ")
    assert "Traceback" not in result.stderr


def test_rule_option_of_the_wrong_type_is_exit_2(project: Path) -> None:
    write(
        project,
        ".entralint.toml",
        f"rules-dirs = [{json.dumps(str(CUSTOM_RULES))}]\n[rules.CX001]\nprefix = 7\n",
    )
    result = check(project, "--allow-custom-rules", "policies")
    assert (result.code, result.stderr) == (2, "entralint: error: rules.CX001.prefix must be a string, not 7\n")


def test_unknown_option_of_a_custom_rule_lists_the_allowed_ones(project: Path) -> None:
    write(project, ".entralint.toml", f'rules-dirs = [{json.dumps(str(CUSTOM_RULES))}]\n[rules.CX001]\nprefx = "CA"\n')
    result = check(project, "--allow-custom-rules", "policies")
    assert (result.code, result.stderr) == (
        2,
        "entralint: error: rules.CX001: unknown option 'prefx'; options of CX001: prefix\n",
    )


def test_yaml_config_that_is_not_a_mapping(project: Path) -> None:
    config = write(project, ".entralint.yaml", "- select\n")
    result = check(project, "policies")
    assert (result.code, result.stderr) == (2, f"entralint: error: {config}: the configuration must be a mapping\n")


def test_missing_config_file_is_exit_2(project: Path) -> None:
    result = check(project, "--config", "nope.toml", "policies")
    assert (result.code, result.stderr) == (2, "entralint: error: nope.toml: configuration file not found\n")


@pytest.mark.parametrize("timespan", ["90.00:00:00", "until-revoked", "01:00:00"])
def test_timespan_options_accept_graph_timespans(timespan: str) -> None:
    from linter.engine.ruleset import check_option
    from linter.rule import RuleOption

    option = RuleOption("max_age", "timespan", "90.00:00:00", "")
    assert check_option("TL001", option, timespan) == timespan


@pytest.mark.parametrize(
    ("kind", "value", "expected"),
    [
        (
            "timespan",
            "90 days",
            'rules.TL001.x must be a timespan such as "90.00:00:00" or "until-revoked", not \'90 days\'',
        ),
        ("integer", True, "rules.TL001.x must be a integer, not True"),
        ("boolean", "yes", "rules.TL001.x must be a boolean, not 'yes'"),
        ("string-list", ["a", 1], "rules.TL001.x must be a list of strings, not ['a', 1]"),
    ],
)
def test_option_types_are_checked(kind: str, value: object, expected: str) -> None:
    from linter.engine.config import ConfigError
    from linter.engine.ruleset import check_option
    from linter.rule import RuleOption

    with pytest.raises(ConfigError) as raised:
        check_option("TL001", RuleOption("x", kind, None, ""), value)
    assert str(raised.value) == expected


def test_schema_names_every_documented_key() -> None:
    schema = json.loads((REPO / "schemas" / "config.schema.json").read_text(encoding="utf-8"))
    assert set(schema["properties"]) == {
        "select",
        "ignore",
        "fixable",
        "unfixable",
        "extend-safe-fixes",
        "extend-unsafe-fixes",
        "extend-select",
        "privileged-roles",
        "extend-privileged-roles",
        "fail-on",
        "exclude",
        "per-file-ignores",
        "per-policy-ignores",
        "tenants",
        "tenant-directories",
        "tenant-ignores",
        "rules-dirs",
        "rules",
        "max-file-size",
        "emergency-access",
    }
    documented = (REPO / "docs" / "configuration.md").read_text(encoding="utf-8")
    for key in schema["properties"]:
        assert f"`{key}`" in documented, key


def test_emergency_access_at_the_top_and_per_tenant(tmp_path: Path) -> None:
    from linter.engine.config import load_config

    write(
        tmp_path,
        ".entralint.toml",
        'emergency-access = ["bg-top"]\n'
        '[tenants]\ncontoso = {files = ["contoso/**"], emergency-access = ["bg-contoso"]}\n'
        'fabrikam = ["fabrikam/**"]\n',
    )
    config = load_config(None, cwd=tmp_path)
    assert config.tenants == {"contoso": ("contoso/**",), "fabrikam": ("fabrikam/**",)}
    assert config.emergency_access_of("contoso") == ("bg-contoso",)
    assert config.emergency_access_of("fabrikam") == ("bg-top",)
    assert load_config(None, cwd=tmp_path, isolated=True).emergency_access_of("default") is None


GLOBAL_ADMINISTRATOR = "62e90394-69f5-4237-9190-012177145e10"
EXCHANGE_ADMINISTRATOR = "29232cdf-9323-42fd-ade2-1d097af3e4de"
SHAREPOINT_ADMINISTRATOR = "f28a1f50-f6e7-4571-818b-6a12f2af6b6c"


def test_extend_privileged_roles_adds_to_the_built_in_table(tmp_path: Path) -> None:
    from linter.engine.config import load_config
    from linter.model import Tenant
    from linter.policy.privileged_roles import PRIVILEGED_ROLES, privileged_roles

    write(tmp_path, ".entralint.toml", f'extend-privileged-roles = ["{EXCHANGE_ADMINISTRATOR.upper()}"]\n')
    config = load_config(None, cwd=tmp_path)
    setting, extensions = config.privileged_roles_of("default")
    assert (setting, extensions) == (None, (EXCHANGE_ADMINISTRATOR.upper(),))
    roles = privileged_roles(Tenant("default", (), (), "", None, "", setting, extensions))
    assert roles == (*PRIVILEGED_ROLES, EXCHANGE_ADMINISTRATOR)


def test_a_tenants_privileged_roles_replace_the_top_level_list_and_extensions(tmp_path: Path) -> None:
    from linter.engine.config import load_config
    from linter.model import Tenant
    from linter.policy.privileged_roles import privileged_roles

    write(
        tmp_path,
        ".entralint.toml",
        f'privileged-roles = ["{GLOBAL_ADMINISTRATOR}"]\n'
        f'extend-privileged-roles = ["{EXCHANGE_ADMINISTRATOR}"]\n'
        "[tenants]\n"
        f'contoso = {{files = ["contoso/**"], privileged-roles = ["{SHAREPOINT_ADMINISTRATOR}"]}}\n'
        f'fabrikam = {{files = ["fabrikam/**"], extend-privileged-roles = ["{SHAREPOINT_ADMINISTRATOR}"]}}\n'
        'northwind = ["northwind/**"]\n',
    )
    config = load_config(None, cwd=tmp_path)

    def roles_of(name: str) -> tuple[str, ...]:
        setting, extensions = config.privileged_roles_of(name)
        return privileged_roles(Tenant(name, (), (), "", None, "", setting, extensions))

    assert roles_of("contoso") == (SHAREPOINT_ADMINISTRATOR,)
    assert roles_of("fabrikam") == (GLOBAL_ADMINISTRATOR, EXCHANGE_ADMINISTRATOR, SHAREPOINT_ADMINISTRATOR)
    assert roles_of("northwind") == (GLOBAL_ADMINISTRATOR, EXCHANGE_ADMINISTRATOR)


def test_privileged_roles_must_be_lists_of_strings(tmp_path: Path) -> None:
    write(tmp_path, ".entralint.toml", 'privileged-roles = "62e90394-69f5-4237-9190-012177145e10"\n')
    result = run_cli(["check", "."], cwd=tmp_path)
    assert result.code == 2
    assert result.stderr.endswith(
        "privileged-roles: '62e90394-69f5-4237-9190-012177145e10' is not of type 'array'\n"
    ), result.stderr
