"""The command line's edges: paths that do not exist, runs that find nothing, reports that cannot be written."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import FIXTURES, REPO, run_cli, write

TENANT = FIXTURES / "cli" / "tenant"
PINNED = ("--isolated", "--select", "CA001,IN")
NO_POLICY_FOUND = "entralint warning: no policy file found under the given paths\n"


@pytest.mark.parametrize(
    "arguments",
    [
        ["check", *PINNED],
        ["check", *PINNED, "--format", "sarif"],
        ["inspect"],
        ["inspect", "--format", "json"],
        ["whatif"],
        ["whatif", "--format", "json"],
    ],
)
def test_a_path_that_does_not_exist_is_exit_2_and_nothing_is_reported(arguments: list[str]) -> None:
    result = run_cli([*arguments, "polices", str(TENANT)], cwd=REPO)
    assert (result.code, result.stdout, result.stderr) == (
        2,
        "",
        "entralint: error: polices: no such file or directory\n",
    )


def test_every_missing_path_is_named_on_its_own_line() -> None:
    result = run_cli(["check", *PINNED, "one.json", "two"], cwd=REPO)
    assert result.code == 2
    assert result.stderr.splitlines() == [
        "entralint: error: one.json: no such file or directory",
        "entralint: error: two: no such file or directory",
    ]


def test_a_dangling_symbolic_link_exists_and_fails_the_run(tmp_path: Path) -> None:
    (tmp_path / "dangling.json").symlink_to(tmp_path / "gone.json")
    result = run_cli(["check", *PINNED, "dangling.json"], cwd=tmp_path)
    assert result.code == 1  # a file the run could not read was not checked (issue 19 case 3)
    assert "dangling.json:1:1: IN001 [error] cannot be read: No such file or directory" in result.stdout


@pytest.mark.parametrize("command", ["check", "inspect", "whatif"])
def test_a_run_that_finds_no_policy_says_so_on_stderr_and_exits_0(tmp_path: Path, command: str) -> None:
    write(tmp_path, "package.json", '{"name": "not-a-policy"}')
    write(tmp_path, "notes.txt", "conditionalAccess")
    arguments = [command, *(PINNED if command == "check" else ()), "."]
    result = run_cli(arguments, cwd=tmp_path)
    assert result.code == 0
    assert result.stderr == NO_POLICY_FOUND


@pytest.mark.parametrize("command", ["check", "inspect", "whatif"])
def test_a_run_that_finds_policies_gives_no_such_warning(command: str) -> None:
    arguments = [command, *(PINNED if command == "check" else ()), str(TENANT / "report-only.json")]
    assert NO_POLICY_FOUND not in run_cli(arguments, cwd=REPO).stderr


def test_a_file_that_fails_to_parse_counts_as_a_policy_file() -> None:
    result = run_cli(["check", *PINNED, str(TENANT / "broken.json")], cwd=REPO)
    assert result.code == 1
    assert NO_POLICY_FOUND not in result.stderr


def test_output_into_a_missing_directory_names_the_directory(tmp_path: Path) -> None:
    target = tmp_path / "no" / "report.txt"
    result = run_cli(["check", *PINNED, "--output", str(target), str(TENANT)], cwd=REPO)
    assert (result.code, result.stdout) == (2, "")
    assert result.stderr == f"entralint: error: --output {target}: directory {tmp_path / 'no'} does not exist\n"
    assert ".tmp" not in result.stderr
    assert list(tmp_path.iterdir()) == []


def test_output_below_a_file_says_it_is_not_a_directory(tmp_path: Path) -> None:
    blocker = write(tmp_path, "report", "")
    result = run_cli(["check", *PINNED, "--output", str(blocker / "report.sarif"), str(TENANT)], cwd=REPO)
    assert result.code == 2
    assert result.stderr == f"entralint: error: --output {blocker / 'report.sarif'}: {blocker} is not a directory\n"


def test_output_directory_removed_during_the_run_names_the_directory_not_the_temporary_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import linter.engine.run
    from linter.model.findings import Report

    directory = tmp_path / "out"
    directory.mkdir()
    lint = linter.engine.run.lint

    def lint_then_remove_the_directory(*args: object, **kwargs: object) -> Report:
        report = lint(*args, **kwargs)  # type: ignore[arg-type]
        directory.rmdir()
        return report

    monkeypatch.setattr(linter.engine.run, "lint", lint_then_remove_the_directory)
    result = run_cli(["check", *PINNED, "--output", str(directory / "report.json"), str(TENANT)], cwd=REPO)
    assert result.code == 2
    assert result.stderr == f"entralint: error: {directory}: No such file or directory\n"


def _stdin(monkeypatch: pytest.MonkeyPatch, data: bytes) -> None:
    import io
    import sys

    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data), encoding="utf-8"))


EXAMPLES = REPO / "examples"
# One file of every input format, each with the findings a run on the file itself gives.
EVERY_FORMAT = [
    "examples/terraform/conditional_access.tf",
    "examples/powershell/New-TokenLifetimePolicy.ps1",
    "examples/yaml/guest-and-session-policies.yaml",
    "examples/mfa/mfa-service-settings.yaml",
    "examples/arm/conditional-access-deployment.json",
    "examples/terraform-json/plan.json",
]


@pytest.mark.parametrize("path", EVERY_FORMAT)
def test_check_dash_reads_stdin_and_detects_the_format_from_content(monkeypatch: pytest.MonkeyPatch, path: str) -> None:
    data = (REPO / path).read_bytes()
    from_file = run_cli(["check", "--isolated", "--format", "json", path], cwd=REPO).json()
    _stdin(monkeypatch, data)
    from_stdin = run_cli(["check", "--isolated", "--format", "json", "-"], cwd=REPO).json()
    assert from_stdin["policies"] == from_file["policies"] > 0
    assert {finding["path"] for finding in from_stdin["findings"]} <= {"-"}
    moved = [{**finding, "path": path} for finding in from_stdin["findings"]]
    for finding in moved:
        if "fix" in finding:  # a fix's edits name the file they edit, as the finding does
            edits = [{**edit, "path": path} for edit in finding["fix"]["edits"]]
            finding["fix"] = {**finding["fix"], "edits": edits}
    without_fingerprints = [{k: v for k, v in finding.items() if k != "fingerprint"} for finding in moved]
    assert without_fingerprints == [
        {k: v for k, v in finding.items() if k != "fingerprint"} for finding in from_file["findings"]
    ]


def test_stdin_filename_names_the_input_in_the_report(monkeypatch: pytest.MonkeyPatch) -> None:
    _stdin(monkeypatch, (TENANT / "report-only.json").read_bytes())
    result = run_cli(["check", *PINNED, "--stdin-filename", "policies/block.json", "-"], cwd=REPO)
    assert result.code == 1
    assert result.stdout.splitlines()[0].startswith("policies/block.json:4:12: CA001 [warning] ")


def test_stdin_filename_picks_the_format(monkeypatch: pytest.MonkeyPatch) -> None:
    # Terraform JSON configuration looks like Graph JSON to content detection: its name tells them apart.
    text = (EXAMPLES / "terraform-json" / "sign_in_risk.tf.json").read_bytes()
    _stdin(monkeypatch, text)
    named = run_cli(["inspect", "--format", "json", "--stdin-filename", "x.tf.json", "-"], cwd=REPO).json()
    assert {entry["source_format"] for entry in named} == {"terraform-json"}
    assert {entry["file"] for entry in named} == {"x.tf.json"}


def test_stdin_filename_matches_exclude_and_per_file_ignores(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write(
        tmp_path,
        ".entralint.toml",
        'select = ["CA001"]\nexclude = ["archive/**"]\n[per-file-ignores]\n"legacy/*.json" = ["CA001"]\n',
    )
    data = (TENANT / "report-only.json").read_bytes()
    _stdin(monkeypatch, data)
    linted = run_cli(["check", "--stdin-filename", "current/block.json", "-"], cwd=tmp_path)
    assert linted.code == 1
    assert linted.stdout.startswith("current/block.json:4:12: CA001 ")
    _stdin(monkeypatch, data)
    ignored = run_cli(["check", "--stdin-filename", "legacy/block.json", "-"], cwd=tmp_path)
    assert ignored.code == 0
    assert ignored.stdout.split(" in ")[0] == "Checked 1 file, 1 policy: 0 errors, 0 warnings, 0 notes"
    _stdin(monkeypatch, data)
    excluded = run_cli(["check", "--stdin-filename", "archive/block.json", "-"], cwd=tmp_path)
    assert (excluded.code, excluded.stderr) == (0, NO_POLICY_FOUND)
    assert excluded.stdout.startswith("Checked 0 files, 0 policies")


@pytest.mark.parametrize(
    ("on_disk", "other", "expected"),
    [
        # The tenant's other files are read for the tenant rules: another file's block satisfies CA001.
        ("disabled", "enabled", 0),
        # The named file's copy on disk is not: the edited text is what counts.
        ("enabled", "disabled", 1),
    ],
)
def test_stdin_stands_in_for_the_file_it_names_in_its_tenant(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, on_disk: str, other: str, expected: int
) -> None:
    write(tmp_path, ".entralint.toml", 'select = ["CA001"]\n[tenants]\ncontoso = ["policies/**"]\n')
    blocking = json.loads((TENANT / "report-only.json").read_text(encoding="utf-8"))
    write(tmp_path, "policies/other.json", json.dumps({**blocking, "state": other, "id": "other"}))
    write(tmp_path, "policies/block.json", json.dumps({**blocking, "state": on_disk}))
    _stdin(monkeypatch, json.dumps({**blocking, "state": "disabled"}).encode())
    result = run_cli(["check", "--stdin-filename", "policies/block.json", "-"], cwd=tmp_path)
    assert result.code == expected
    assert result.stdout.splitlines()[-1].startswith(f"Checked 1 file, 1 policy: 0 errors, {expected} warning")


def test_inspect_dash_reads_stdin(monkeypatch: pytest.MonkeyPatch) -> None:
    _stdin(monkeypatch, (EXAMPLES / "terraform" / "conditional_access.tf").read_bytes())
    result = run_cli(["inspect", "-"], cwd=REPO)
    lines = result.stdout.splitlines()
    assert result.code == 0
    assert lines[0].split() == ["file:line", "kind", "format", "name"]
    assert all(line.startswith("-:") and "terraform-hcl" in line for line in lines[1:-1])
    assert lines[-1].endswith(" documents")


def test_stdin_that_cannot_be_decoded_is_in001(monkeypatch: pytest.MonkeyPatch) -> None:
    _stdin(monkeypatch, b'{"displayName": "\xff"}')
    result = run_cli(["check", *PINNED, "-"], cwd=REPO)
    assert result.code == 1
    assert result.stdout.startswith("-:1:")
    assert " IN001 [error] " in result.stdout.splitlines()[0]


def test_stdin_larger_than_max_file_size_is_in001(monkeypatch: pytest.MonkeyPatch) -> None:
    _stdin(monkeypatch, (TENANT / "report-only.json").read_bytes())
    result = run_cli(["check", *PINNED, "--max-file-size", "100", "-"], cwd=REPO)
    assert result.code == 1
    assert result.stdout.startswith(
        "-:1:1: IN001 [error] standard input is over the 100-byte limit (--max-file-size)\n"
    )


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["check", "-", "examples"], "`-` (standard input) cannot be combined with other paths"),
        (["inspect", "examples", "-"], "`-` (standard input) cannot be combined with other paths"),
        (["check", "--stdin-filename", "x.json", "examples"], "--stdin-filename names standard input: give `-`"),
    ],
)
def test_stdin_usage_errors(arguments: list[str], message: str) -> None:
    result = run_cli(arguments, cwd=REPO)
    assert result.code == 2
    assert result.stderr.startswith(f"entralint: error: {message}")


def test_a_real_pipe_into_the_command() -> None:
    import subprocess
    import sys

    process = subprocess.run(
        [sys.executable, "-m", "linter", "check", *PINNED, "--stdin-filename", "policy.json", "-"],
        cwd=REPO,
        input=(TENANT / "report-only.json").read_bytes(),
        capture_output=True,
        check=False,
        timeout=120,
    )
    assert process.returncode == 1
    assert process.stdout.decode().startswith("policy.json:4:12: CA001 [warning] ")


def _actions_without_help() -> list[str]:
    import argparse

    from linter.arguments import parser_for

    missing: list[str] = []
    pending = [("entralint", parser_for())]
    while pending:
        name, parser = pending.pop()
        for action in parser._actions:
            label = f"{name} {'/'.join(action.option_strings) or action.dest}"
            if not action.help or action.help == argparse.SUPPRESS:
                missing.append(label)
            if isinstance(action, argparse._SubParsersAction):
                pending.extend((f"{name} {command}", sub) for command, sub in action.choices.items())
    return missing


def test_every_option_of_every_command_has_help_text() -> None:
    assert _actions_without_help() == []


def test_the_walk_sees_every_command() -> None:
    from linter.arguments import COMMANDS

    assert set(COMMANDS) == {"check", "rules", "explain", "benchmark", "inspect", "whatif", "diff", "init"}
    for command in COMMANDS:
        assert run_cli([command, "--help"]).code == 0, command


def test_inspect_prints_a_header_even_when_nothing_was_found(tmp_path: Path) -> None:
    result = run_cli(["inspect", "."], cwd=tmp_path)
    assert result.stdout.splitlines() == [
        "file:line  kind                           format          name",
        "0 documents",
    ]


GUID = "11111111-2222-4333-8444-555555555555"


@pytest.mark.parametrize(
    "option",
    [
        ["--app", GUID],
        ["--app", "Office365"],
        ["--app", "microsoftadminportals"],
        ["--app", "urn:user:registersecurityinfo"],
        ["--app", "c7"],
        ["--user", GUID],
        ["--user", "azuread_user.alice.object_id"],
        ["--group", "data.azuread_group.admins.object_id"],
        ["--group", "var.break_glass_group"],
        ["--group", "[parameters('admins')]"],
        ["--role", "62e90394-69f5-4237-9190-012177145e10"],
        ["--location", "azuread_named_location.office.id"],
        ["--guest-tenant", GUID],
        ["--country", "NL"],
    ],
)
def test_whatif_accepts_ids_references_and_keywords(option: list[str]) -> None:
    result = run_cli(["whatif", "examples/graph", *option], cwd=REPO)
    assert result.code == 0, result.stderr
    assert "Result: " in result.stdout


@pytest.mark.parametrize(
    ("option", "message"),
    [
        (["--app", "not-a-guid"], "argument --app: 'not-a-guid' is not an application: give an application id"),
        (["--app", "c100"], "argument --app: 'c100' is not an application"),
        (["--user", "alice"], "argument --user: 'alice' is not a user id: give a GUID or the reference"),
        (["--group", "1111-2222"], "argument --group: '1111-2222' is not a group id"),
        (["--role", "Global Administrator"], "argument --role: 'Global Administrator' is not a role template id"),
        (["--location", "office"], "argument --location: 'office' is not a named location id"),
        (["--guest-tenant", "contoso.com"], "argument --guest-tenant: 'contoso.com' is not a tenant id"),
        (["--country", "Netherlands"], "argument --country: 'Netherlands' is not a two-letter country code"),
    ],
)
def test_whatif_refuses_values_that_are_not_ids(option: list[str], message: str) -> None:
    result = run_cli(["whatif", "examples/graph", *option], cwd=REPO)
    assert (result.code, result.stdout) == (2, "")
    assert f"entralint whatif: error: {message}" in result.stderr


def _every_option() -> dict[str, list[str]]:
    """Each command's option strings, as argparse knows them."""
    import argparse

    from linter.arguments import parser_for

    [commands] = [action for action in parser_for()._actions if isinstance(action, argparse._SubParsersAction)]
    return {
        name: [option for action in sub._actions for option in action.option_strings if option not in ("-h", "--help")]
        for name, sub in commands.choices.items()
    }


def test_docs_cli_lists_every_command_and_option() -> None:
    text = (REPO / "docs" / "cli.md").read_text(encoding="utf-8")
    for command, options in _every_option().items():
        assert f"\nentralint {command} " in text, command  # in the synopsis
        for option in options:
            assert f"`{option}" in text or f"`{command} {option}" in text or f"/`{option}" in text, (command, option)


def test_docs_promise_no_release_that_does_not_exist() -> None:
    import re

    pyproject = (REPO / "pyproject.toml").read_text(encoding="utf-8")
    assert not re.search(r"^fix\s*=", pyproject, re.M), "--fix needs no extra: there is no fix extra"
    for path in [REPO / "README.md", REPO / "action.yml", *sorted((REPO / "docs").glob("*.md"))]:
        text = path.read_text(encoding="utf-8")
        assert not re.search(r"pip install entralint\b(?!\S)", text), path
        assert "entralint[fix]" not in text, path
        assert not re.search(r"rev: v\d", text) and not re.search(r"entralint/entralint@v\d", text), path
        assert "PyPI" not in text, path
