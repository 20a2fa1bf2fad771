"""The command line's edges: paths that do not exist, runs that find nothing, reports that cannot be written."""

from __future__ import annotations

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


def test_a_dangling_symbolic_link_exists_and_is_reported_as_before(tmp_path: Path) -> None:
    (tmp_path / "dangling.json").symlink_to(tmp_path / "gone.json")
    result = run_cli(["check", *PINNED, "dangling.json"], cwd=tmp_path)
    assert result.code == 0
    assert "dangling.json: entralint warning: cannot be read" in result.stdout


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
    import linter.engine

    directory = tmp_path / "out"
    directory.mkdir()
    lint = linter.engine.lint

    def lint_then_remove_the_directory(*args: object, **kwargs: object) -> linter.engine.Report:
        report = lint(*args, **kwargs)  # type: ignore[arg-type]
        directory.rmdir()
        return report

    monkeypatch.setattr(linter.engine, "lint", lint_then_remove_the_directory)
    result = run_cli(["check", *PINNED, "--output", str(directory / "report.json"), str(TENANT)], cwd=REPO)
    assert result.code == 2
    assert result.stderr == f"entralint: error: {directory}: No such file or directory\n"
