"""The `entralint` command line: commands, options, output and exit codes, driven through the real entry point."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

import pytest

from linter.cli import main
from tests.conftest import FIXTURES, REPO, CliResult, chdir, run_cli, write

TENANT = FIXTURES / "cli" / "tenant"
CUSTOM_RULES = FIXTURES / "cli" / "custom_rules"
CRASHING_RULES = FIXTURES / "cli" / "crashing_rules"
# Rules of other families are added over time; these tests pin the ones whose findings they assert.
PINNED = ("--isolated", "--select", "CA001,IN")
CA001_LINE = (
    "tests/fixtures/cli/tenant/report-only.json:4:12: CA001 [warning] Device code flow is blocked for everyone only "
    "by report-only policy 'Block device code flow', which Entra ID does not enforce: review its report-only "
    "results in the sign-in logs, then turn it on"
)
IN001_LINE = "tests/fixtures/cli/tenant/broken.json:4:38: IN001 [error] invalid JSON: Expecting ',' delimiter"


class Terminal(io.StringIO):
    """stdout as a terminal sees it."""

    def isatty(self) -> bool:
        return True


def run_on_terminal(args: list[str], cwd: Path = REPO) -> CliResult:
    out, err = Terminal(), io.StringIO()
    with chdir(cwd), redirect_stdout(out), redirect_stderr(err):
        code = main(args)
    return CliResult(code, out.getvalue(), err.getvalue())


def entralint(*args: str, cwd: Path = REPO, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "linter", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
        check=False,
    )


@pytest.mark.parametrize("output_format", ["json", "text"])
def test_the_command_writes_all_of_a_large_report_before_it_exits(tmp_path: Path, output_format: str) -> None:
    # What `entralint` (linter.cli.run) buffered must all be out when the process ends.
    broken = (TENANT / "broken.json").read_text(encoding="utf-8")
    for index in range(400):
        write(tmp_path, f"tenant/p{index:03}.json", broken)
    arguments = ["check", *PINNED, "--format", output_format, "--jobs", "2", "tenant"]
    process = entralint(*arguments, cwd=tmp_path, env={"PYTHONUNBUFFERED": ""})  # buffered, as usual
    in_process = run_cli(arguments, cwd=tmp_path)
    assert process.returncode == in_process.code == 1
    assert process.stdout.count("IN001") == in_process.stdout.count("IN001") == 400
    if output_format == "json":
        assert process.stdout == in_process.stdout
    else:  # the summary line ends with the run's duration
        assert process.stdout.splitlines()[:-1] == in_process.stdout.splitlines()[:-1]
    assert process.stderr == in_process.stderr


def test_atexit_handlers_registered_during_a_run_fire(tmp_path: Path) -> None:
    """Coverage of subprocesses, logging and plug-ins rely on atexit: the command must not skip it."""
    write(tmp_path, "policy.json", '{"displayName": "p", "state": "enabled"}\n')
    probe = (
        "import atexit, sys\n"
        "import linter.cli\n"
        "main = linter.cli.main\n"
        "def main_registering(argv=None):\n"
        "    atexit.register(lambda: print('atexit handler ran', file=sys.stderr))\n"
        "    return main(argv)\n"
        "linter.cli.main = main_registering\n"
        "sys.argv = ['entralint', 'check', '--isolated', 'policy.json']\n"
        "linter.cli.run()\n"
    )
    result = subprocess.run([sys.executable, "-c", probe], cwd=tmp_path, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    assert result.stderr.endswith("atexit handler ran\n")


def test_text_output_lines_then_summary() -> None:
    result = run_cli(["check", *PINNED, "tests/fixtures/cli/tenant"], cwd=REPO)
    lines = result.stdout.splitlines()
    assert lines[:2] == [IN001_LINE, CA001_LINE]
    assert lines[2].startswith("Checked 3 files, 1 policy: 1 error, 1 warning, 0 notes in ")
    assert lines[2].endswith("s") and len(lines) == 3
    assert result.code == 1


def test_paths_are_relative_to_the_working_directory() -> None:
    result = run_cli(["check", *PINNED, "report-only.json"], cwd=TENANT)
    assert result.stdout.splitlines()[0] == CA001_LINE.replace("tests/fixtures/cli/tenant/", "")


def test_default_path_is_the_working_directory() -> None:
    result = run_cli(["check", *PINNED], cwd=TENANT)
    assert [line.split(":")[0] for line in result.stdout.splitlines()[:2]] == ["broken.json", "report-only.json"]


def test_no_excerpt_and_no_color_when_not_a_terminal() -> None:
    result = run_cli(["check", *PINNED, "tests/fixtures/cli/tenant/report-only.json"], cwd=REPO)
    assert "\033[" not in result.stdout
    assert " | " not in result.stdout


def test_terminal_gets_excerpt_with_caret_and_colors(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("NO_COLOR", raising=False)
    result = run_on_terminal(["check", *PINNED, "tests/fixtures/cli/tenant/report-only.json"])
    lines = result.stdout.splitlines()
    assert lines[0].startswith("tests/fixtures/cli/tenant/report-only.json:4:12: \033[1mCA001\033[0m [\033[33mwarning")
    assert lines[1] == '\033[2m    4 | \033[0m  "state": "enabledForReportingButNotEnforced",'
    # The caret sits under the 35 characters of "enabledForReportingButNotEnforced", quotes included.
    assert lines[2] == "\033[33m" + " " * (8 + 11) + "^" * 35 + "\033[0m"


def test_no_color_keeps_excerpts_on_a_terminal_without_escape_codes(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    result = run_on_terminal(["check", *PINNED, "tests/fixtures/cli/tenant/report-only.json"])
    assert "\033[" not in result.stdout
    assert result.stdout.splitlines()[:3] == [
        CA001_LINE,
        '    4 |   "state": "enabledForReportingButNotEnforced",',
        " " * (8 + 11) + "^" * 35,
    ]


def test_color_never_on_a_terminal_keeps_excerpts(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("NO_COLOR", raising=False)
    result = run_on_terminal(["check", *PINNED, "--color", "never", "tests/fixtures/cli/tenant/report-only.json"])
    assert "\033[" not in result.stdout
    assert result.stdout.splitlines()[1] == '    4 |   "state": "enabledForReportingButNotEnforced",'


def test_color_always_colors_and_excerpts_a_pipe(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    result = run_cli(["check", *PINNED, "--color", "always", "tests/fixtures/cli/tenant/report-only.json"], cwd=REPO)
    lines = result.stdout.splitlines()
    assert "\033[1mCA001\033[0m" in lines[0]
    assert lines[1] == '\033[2m    4 | \033[0m  "state": "enabledForReportingButNotEnforced",'


def test_excerpts_on_a_real_terminal() -> None:
    """End to end through a pseudo-terminal: what a person running entralint sees."""
    pty = pytest.importorskip("pty")
    primary, secondary = pty.openpty()
    env = {key: value for key, value in os.environ.items() if key != "NO_COLOR"}
    process = subprocess.run(
        [sys.executable, "-m", "linter", "check", *PINNED, "tests/fixtures/cli/tenant/report-only.json"],
        cwd=REPO,
        stdout=secondary,
        stderr=subprocess.PIPE,
        env=env,
        check=False,
    )
    os.close(secondary)
    chunks = []
    while True:
        try:
            chunk = os.read(primary, 65536)
        except OSError:  # EIO: the terminal's other end is closed
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(primary)
    screen = b"".join(chunks).decode()
    assert process.returncode == 1
    assert '    4 | \033[0m  "state": "enabledForReportingButNotEnforced",' in screen
    assert "^" * 35 in screen


def test_quiet_prints_findings_only() -> None:
    result = run_cli(["check", *PINNED, "--quiet", "tests/fixtures/cli/tenant"], cwd=REPO)
    assert result.stdout.splitlines() == [IN001_LINE, CA001_LINE]
    assert result.code == 1


def test_statistics_counts_per_rule() -> None:
    result = run_cli(["check", *PINNED, "--quiet", "--statistics", "tests/fixtures/cli/tenant"], cwd=REPO)
    assert result.stdout.splitlines()[2:] == [
        "     1  CA001  device-code-flow-not-blocked",
        "     1  IN001  parse-error",
    ]


def test_statistics_go_to_stderr_beside_machine_output() -> None:
    result = run_cli(["check", *PINNED, "--format", "json", "--statistics", "tests/fixtures/cli/tenant"], cwd=REPO)
    assert [entry["code"] for entry in result.json()["findings"]] == ["IN001", "CA001"]
    assert result.stderr.splitlines() == ["     1  CA001  device-code-flow-not-blocked", "     1  IN001  parse-error"]


@pytest.mark.parametrize(
    ("fail_on", "expected"),
    [("error", 1), ("warning", 1), ("note", 1), ("never", 0)],
)
def test_fail_on_with_an_error_present(fail_on: str, expected: int) -> None:
    result = run_cli(["check", *PINNED, "--fail-on", fail_on, "tests/fixtures/cli/tenant"], cwd=REPO)
    assert result.code == expected


@pytest.mark.parametrize(("fail_on", "expected"), [("error", 0), ("warning", 1), ("note", 1), ("never", 0)])
def test_fail_on_with_a_warning(fail_on: str, expected: int) -> None:
    result = run_cli(["check", *PINNED, "--fail-on", fail_on, "tests/fixtures/cli/tenant/report-only.json"], cwd=REPO)
    assert result.code == expected


def test_exit_codes_end_to_end(tmp_path: Path) -> None:
    clean = entralint("check", *PINNED, "tests/fixtures/cli/tenant/package.json")
    assert (clean.returncode, clean.stdout.splitlines()[-1].split(" in ")[0]) == (
        0,
        "Checked 1 file, 0 policies: 0 errors, 0 warnings, 0 notes",
    )
    assert entralint("check", *PINNED, "tests/fixtures/cli/tenant").returncode == 1
    usage = entralint("check", "--format", "xml")
    assert usage.returncode == 2
    assert "invalid choice: 'xml'" in usage.stderr
    config = write(tmp_path, ".entralint.toml", 'fail-on = "sometimes"\n')
    bad_config = entralint("check", "--config", str(config), "tests/fixtures/cli/tenant")
    assert bad_config.returncode == 2
    assert "Traceback" not in bad_config.stderr


def test_a_crashing_rule_is_reported_and_exits_2() -> None:
    result = run_cli(
        ["check", "--isolated", "--rules-dir", str(CRASHING_RULES), "--select", "CX900,CA001", str(TENANT)], cwd=REPO
    )
    assert result.code == 2
    assert (
        "report-only.json: entralint error: rule CX900 (crashes) failed on tests/fixtures/cli/tenant/report-only.json: "
        "ZeroDivisionError: integer division or modulo by zero"
    ) in result.stdout
    assert CA001_LINE in result.stdout, "the other rules still ran"


def test_help_documents_exit_codes() -> None:
    for args in (["--help"], ["check", "--help"]):
        result = run_cli(args)
        assert result.code == 0
        assert "2  usage, configuration or internal error (a rule that crashed included)" in result.stdout
        assert "1  findings at or above --fail-on" in result.stdout


def test_help_lists_every_command() -> None:
    result = run_cli(["--help"])
    for command in ("check", "rules", "explain", "inspect", "whatif"):
        assert f"\n    {command} " in result.stdout, command


@pytest.mark.parametrize(
    "arguments",
    [
        ["check", "--isolated", "--format", "sarif", "--jobs", "2", "--ignore", "ca001,IN", "a.json", "b"],
        ["check"],
        ["rules", "--format", "markdown"],
        ["explain", "CA001", "--rules-dir", "x"],
        ["inspect", "--format", "json", "p.tf"],
        [
            "whatif",
            "p.json",
            "--user",
            "11111111-2222-4333-8444-555555555555",
            "--group",
            "azuread_group.g1.object_id",
            "--group",
            "22222222-2222-4333-8444-555555555555",
            "--no-trusted",
            "--flow",
            "deviceCodeFlow",
        ],
    ],
)
def test_a_command_parser_built_alone_parses_as_the_whole_one(arguments: list[str]) -> None:
    from linter.arguments import parser_for

    alone, whole = parser_for(arguments[0]), parser_for()
    assert alone.parse_args(arguments) == whole.parse_args(arguments)
    help_alone, help_whole = io.StringIO(), io.StringIO()
    with redirect_stdout(help_alone), pytest.raises(SystemExit):
        alone.parse_args([arguments[0], "--help"])
    with redirect_stdout(help_whole), pytest.raises(SystemExit):
        whole.parse_args([arguments[0], "--help"])
    assert help_alone.getvalue() == help_whole.getvalue()


def test_an_unknown_command_is_a_usage_error_naming_the_commands() -> None:
    result = run_cli(["chek", "."])
    assert result.code == 2
    assert "invalid choice: 'chek'" in result.stderr and "'whatif'" in result.stderr


def test_check_has_every_option_of_the_issue() -> None:
    help_text = run_cli(["check", "--help"]).stdout
    for option in (
        "--format {text,json,sarif,github,rdjson}",
        "--fix",
        "--unsafe-fixes",
        "--diff",
        "--fix-only",
        "--show-fixes",
        "--output FILE",
        "--select CODES",
        "--ignore CODES",
        "--extend-select CODES",
        "--fail-on {error,warning,note,never}",
        "--config FILE",
        "--isolated",
        "--exclude GLOB",
        "--jobs N",
        "--rules-dir DIR",
        "--baseline FILE",
        "--color {auto,always,never}",
        "--quiet",
        "--statistics",
        "--category CATEGORY",
        "--max-file-size BYTES",
    ):
        assert option in help_text, option


def test_version_and_python_dash_m() -> None:
    from linter import __version__

    process = entralint("--version")
    assert (process.returncode, process.stdout) == (0, f"entralint {__version__}\n")
    assert run_cli(["--version"]).stdout == f"entralint {__version__}\n"


def test_no_command_is_a_usage_error() -> None:
    result = run_cli([])
    assert result.code == 2
    assert "usage: entralint" in result.stderr


@pytest.mark.parametrize(
    ("selection", "codes"),
    [
        (["--select", "CA001,IN"], ["IN001", "CA001"]),
        (["--select", "IN"], ["IN001"]),
        (["--select", "IN00"], ["IN001"]),
        (["--select", "CA001"], ["CA001"]),
        (["--select", "CA001,IN", "--ignore", "IN001"], ["CA001"]),
        (["--select", "IN", "--extend-select", "CA001"], ["IN001", "CA001"]),
    ],
)
def test_prefix_selection(selection: list[str], codes: list[str]) -> None:
    result = run_cli(["check", "--isolated", *selection, "--format", "json", "tests/fixtures/cli/tenant"], cwd=REPO)
    assert [entry["code"] for entry in result.json()["findings"]] == codes


def test_selector_matching_no_rule_is_a_usage_error() -> None:
    result = run_cli(["check", "--isolated", "--select", "ZZ", "tests/fixtures/cli/tenant"], cwd=REPO)
    assert result.code == 2
    assert result.stderr == "entralint: error: selector 'ZZ' matches no rule (see `entralint rules`)\n"


def test_exclude_is_repeatable() -> None:
    result = run_cli(
        [
            "check",
            *PINNED,
            "--exclude",
            "broken.json",
            "--exclude",
            "tests/**/package.json",
            "tests/fixtures/cli/tenant",
        ],
        cwd=REPO,
    )
    assert result.stdout.splitlines()[0] == CA001_LINE
    assert result.stdout.splitlines()[1].startswith("Checked 1 file, 1 policy:")


def test_jobs_gives_the_same_report() -> None:
    single = run_cli(["check", *PINNED, "--format", "json", "--jobs", "1", "tests/fixtures/cli"], cwd=REPO)
    parallel = run_cli(["check", *PINNED, "--format", "json", "--jobs", "2", "tests/fixtures/cli"], cwd=REPO)
    assert parallel.json() == single.json()
    assert run_cli(["check", "--jobs", "0"]).code == 2


def test_max_file_size_makes_bigger_files_in001() -> None:
    result = run_cli(
        ["check", *PINNED, "--max-file-size", "100", "tests/fixtures/cli/tenant/report-only.json"], cwd=REPO
    )
    size = (TENANT / "report-only.json").stat().st_size
    assert result.stdout.splitlines()[0] == (
        f"tests/fixtures/cli/tenant/report-only.json:1:1: IN001 [error] file is {size:,} bytes, "
        "over the 100-byte limit (--max-file-size)"
    )


def test_rules_dir_adds_custom_rules() -> None:
    result = run_cli(
        ["check", "--isolated", "--rules-dir", str(CUSTOM_RULES), "--select", "CX", "tests/fixtures/cli/tenant"],
        cwd=REPO,
    )
    assert result.stdout.splitlines()[0] == (
        "tests/fixtures/cli/tenant/report-only.json:2:18: CX001 [warning] "
        "displayName 'Block device code flow' does not start with 'CA'"
    )


def test_missing_rules_dir_is_a_usage_error() -> None:
    result = run_cli(["check", "--isolated", "--rules-dir", "no/such/dir", "."], cwd=REPO)
    assert (result.code, result.stderr) == (
        2,
        f"entralint: error: {REPO}/no/such/dir: rules directory does not exist\n",
    )


def test_output_file_is_written_whole(tmp_path: Path) -> None:
    target = tmp_path / "report.json"
    result = run_cli(["check", *PINNED, "--format", "json", "--output", str(target), str(TENANT)], cwd=REPO)
    assert result.stdout == ""
    assert [entry["code"] for entry in json.loads(target.read_text(encoding="utf-8"))["findings"]] == ["IN001", "CA001"]
    assert sorted(path.name for path in tmp_path.iterdir()) == ["report.json"], "no temporary file left behind"
    assert target.stat().st_mode & 0o777 == 0o666 & ~_umask()


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def test_output_keeps_the_old_file_when_writing_fails(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = write(tmp_path, "report.sarif", "previous report\n")

    def explode(*args: object, **kwargs: object) -> None:
        raise RuntimeError("reporter bug")

    monkeypatch.setattr("linter.reporters.sarif.build_log", explode)
    result = run_cli(["check", *PINNED, "--format", "sarif", "--output", str(target), str(TENANT)], cwd=REPO)
    assert result.code == 2
    assert "internal error in entralint" in result.stderr
    assert target.read_text(encoding="utf-8") == "previous report\n"
    assert sorted(path.name for path in tmp_path.iterdir()) == ["report.sarif"]


def test_json_format() -> None:
    result = run_cli(["check", *PINNED, "--format", "json", "tests/fixtures/cli/tenant/report-only.json"], cwd=REPO)
    report = result.json()
    assert (report["files"], report["policies"]) == (1, 1)
    [finding] = report["findings"]
    assert {key: finding[key] for key in ("code", "level", "path", "line", "column", "end_line", "end_column")} == {
        "code": "CA001",
        "level": "warning",
        "path": "tests/fixtures/cli/tenant/report-only.json",
        "line": 4,
        "column": 12,
        "end_line": 4,
        "end_column": 47,
    }
    assert finding["pointer"] == "/state"
    assert finding["policy"] == "0b7f1a52-2c1d-4d8e-9f3a-6e5d4c3b2a19"


def test_github_format_annotates_the_diff() -> None:
    result = run_cli(["check", *PINNED, "--format", "github", "tests/fixtures/cli/tenant"], cwd=REPO)
    assert result.stdout.splitlines() == [
        "::error file=tests/fixtures/cli/tenant/broken.json,line=4,col=38,endLine=4,endColumn=39,"
        "title=IN001 parse-error::invalid JSON: Expecting ',' delimiter",
        "::warning file=tests/fixtures/cli/tenant/report-only.json,line=4,col=12,endLine=4,endColumn=47,"
        "title=CA001 device-code-flow-not-blocked::"
        "Device code flow is blocked for everyone only by report-only policy 'Block device code flow', which Entra ID "
        "does not enforce: review its report-only results in the sign-in logs, then turn it on",
    ]


def test_baseline_hides_known_findings(tmp_path: Path) -> None:
    policies = tmp_path / "policies"
    policies.mkdir()
    text = (TENANT / "report-only.json").read_text(encoding="utf-8")
    write(policies, "report-only.json", text)
    for baseline_format in ("sarif", "json"):
        baseline = tmp_path / f"baseline.{baseline_format}"
        made = run_cli(["check", *PINNED, "--format", baseline_format, "--output", str(baseline), "policies"], tmp_path)
        assert made.code == 1
        # Lines move: the finding keeps its fingerprint and stays hidden.
        write(policies, "report-only.json", "\n\n" + text)
        gated = run_cli(["check", *PINNED, "--baseline", str(baseline), "policies"], cwd=tmp_path)
        assert gated.code == 0
        assert gated.stdout.startswith("Checked 1 file, 1 policy: 0 errors, 0 warnings, 0 notes, 1 in baseline in ")
        # A new problem is not in the baseline.
        write(policies, "broken.json", (TENANT / "broken.json").read_text(encoding="utf-8"))
        new = run_cli(["check", *PINNED, "--baseline", str(baseline), "policies"], cwd=tmp_path)
        assert (new.code, new.stdout.splitlines()[0]) == (
            1,
            "policies/broken.json:4:38: IN001 [error] invalid JSON: Expecting ',' delimiter",
        )
        (policies / "broken.json").unlink()
        write(policies, "report-only.json", text)


def test_unreadable_baseline_is_exit_2(tmp_path: Path) -> None:
    baseline = write(tmp_path, "baseline.json", '{"something": "else"}')
    result = run_cli(["check", *PINNED, "--baseline", str(baseline), str(TENANT)], cwd=REPO)
    assert (result.code, result.stderr) == (2, f"entralint: error: {baseline}: not an entralint SARIF or JSON report\n")
    result = run_cli(["check", *PINNED, "--baseline", str(tmp_path / "missing.sarif"), str(TENANT)], cwd=REPO)
    assert result.code == 2
    assert "cannot read baseline: No such file or directory" in result.stderr


def test_rules_command_formats() -> None:
    text = run_cli(["rules"]).stdout.splitlines()
    assert any(line.startswith("CA001  device-code-flow-not-blocked") for line in text)
    listing = run_cli(["rules", "--format", "json"]).json()
    ca001 = next(entry for entry in listing if entry["id"] == "CA001")
    assert ca001 == {
        "id": "CA001",
        "name": "device-code-flow-not-blocked",
        "level": "warning",
        "scope": "tenant",
        "summary": "No enabled policy blocks device code flow for all users and resources",
        "tags": ["security", "authentication-flows"],
        "benchmarks": [
            {"benchmark": "cis-m365-v5", "control": "5.2.2.12"},
            {"benchmark": "cis-m365-v6", "control": "5.2.2.12"},
            {"benchmark": "cis-m365-v7", "control": "5.2.2.12"},
            {"benchmark": "scubagear", "control": "MS.AAD.3.9v1"},
            {"benchmark": "prowler", "control": "entra_conditional_access_policy_device_code_flow_blocked"},
            {"benchmark": "zero-trust", "control": "21808"},
        ],
        "options": [],
    }
    markdown = run_cli(["rules", "--format", "markdown"]).stdout.splitlines()
    assert markdown[:2] == ["| id | name | level | scope | summary |", "|---|---|---|---|---|"]
    assert (
        "| [CA001](docs/rules/CA001.md) | device-code-flow-not-blocked | warning | tenant | "
        "No enabled policy blocks device code flow for all users and resources |"
    ) in markdown


def test_rules_lists_custom_rules_with_options() -> None:
    listing = run_cli(["rules", "--format", "json", "--rules-dir", str(CUSTOM_RULES)]).json()
    custom = next(entry for entry in listing if entry["id"] == "CX001")
    assert custom["options"] == [
        {"name": "prefix", "type": "string", "default": "CA", "description": "the text every displayName starts with"}
    ]


def test_explain_by_code_or_name() -> None:
    by_code = run_cli(["explain", "ca001"])
    assert by_code.code == 0
    assert by_code.stdout.startswith("# CA001 device-code-flow-not-blocked\n")
    assert "## How to fix" in by_code.stdout
    assert run_cli(["explain", "device-code-flow-not-blocked"]).stdout == by_code.stdout
    unknown = run_cli(["explain", "ZZ999"])
    assert (unknown.code, unknown.stderr) == (2, "entralint: error: no rule 'ZZ999'; `entralint rules` lists them\n")


def test_inspect_json_shape() -> None:
    result = run_cli(["inspect", "tests/fixtures/cli/tenant", "--format", "json"], cwd=REPO)
    assert result.code == 0
    [entry] = result.json()
    assert {key: entry[key] for key in ("file", "line", "kind", "name", "source_format")} == {
        "file": "tests/fixtures/cli/tenant/report-only.json",
        "line": 1,
        "kind": "conditionalAccessPolicy",
        "name": "Block device code flow",
        "source_format": "graph-json",
    }
    assert entry["document"]["conditions"]["authenticationFlows"] == {"transferMethods": ["deviceCodeFlow"]}
    assert result.stderr == "tests/fixtures/cli/tenant/broken.json:4:38: IN001 invalid JSON: Expecting ',' delimiter\n"


def test_inspect_text_table() -> None:
    result = run_cli(["inspect", "tests/fixtures/cli/tenant/report-only.json"], cwd=REPO)
    assert result.stdout.splitlines() == [
        "file:line                                     kind                           format          name",
        "tests/fixtures/cli/tenant/report-only.json:1  conditionalAccessPolicy        graph-json      "
        "Block device code flow",
        "1 document",
    ]
