"""The GitHub Action's shell steps, run as a runner would run them: the venv layout of each OS, and exit code 2."""

from __future__ import annotations

import json
import os
import shutil
import stat
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.conftest import REPO

ACTION = yaml.safe_load((REPO / "action.yml").read_text(encoding="utf-8"))
STEPS = ACTION["runs"]["steps"]
BASH = shutil.which("bash")
pytestmark = pytest.mark.skipif(BASH is None, reason="bash is not installed")


def _step(key: str, value: str) -> dict[str, Any]:
    return next(step for step in STEPS if step.get(key) == value)


def _executable(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("#!/bin/sh\n" + text, encoding="utf-8")
    path.chmod(path.stat().st_mode | stat.S_IXUSR)
    return path


def _outputs(path: Path) -> dict[str, str]:
    if not path.exists():
        return {}
    return dict(line.split("=", 1) for line in path.read_text(encoding="utf-8").splitlines())


def _run_step(
    step: dict[str, Any], tmp_path: Path, env: dict[str, str], cwd: Path | None = None
) -> tuple[subprocess.CompletedProcess[str], dict[str, str]]:
    output = tmp_path / "github_output"
    output.unlink(missing_ok=True)
    process = subprocess.run(
        [str(BASH), "-e", "-c", step["run"]],  # GitHub runs `shell: bash` as bash --noprofile --norc -eo pipefail
        env={**os.environ, "RUNNER_TEMP": str(tmp_path), "GITHUB_OUTPUT": str(output), **env},
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
        cwd=cwd,
    )
    return process, _outputs(output)


@pytest.mark.parametrize(
    ("runner_os", "python", "program"),
    [
        ("Linux", "python3", "entralint-venv/bin/entralint"),
        ("macOS", "python3", "entralint-venv/bin/entralint"),
        ("Windows", "python", "entralint-venv/Scripts/entralint.exe"),
    ],
)
def test_install_uses_the_venv_layout_of_each_runner(tmp_path: Path, runner_os: str, python: str, program: str) -> None:
    # Stand-ins for the runner's Python and the venv's: they record how they were called.
    shims = tmp_path / "shims"
    venv_bin, venv_python = ("Scripts", "Scripts/python.exe") if runner_os == "Windows" else ("bin", "bin/python")
    _executable(
        shims / python,
        f'echo "{python} $*" >> "$RUNNER_TEMP/calls"\n'
        f'mkdir -p "$3/{venv_bin}"\n'
        f'printf \'#!/bin/sh\\necho "venv-python $*" >> "$RUNNER_TEMP/calls"\\n\' > "$3/{venv_python}"\n'
        f'chmod +x "$3/{venv_python}"\n',
    )
    env = {"RUNNER_OS": runner_os, "PATH": f"{shims}{os.pathsep}{os.environ['PATH']}", "ACTION_PATH": "/action"}
    process, outputs = _run_step(_step("id", "install"), tmp_path, {**env, "INSTALL": ""})
    assert process.returncode == 0, process.stderr
    assert outputs == {"entralint": f"{tmp_path}/{program}"}
    assert (tmp_path / "calls").read_text(encoding="utf-8").splitlines() == [
        f"{python} -m venv {tmp_path}/entralint-venv",
        "venv-python -m pip install --quiet /action",
    ]
    pinned = "entralint @ git+https://github.com/entralint/entralint@0123456789abcdef0123456789abcdef01234567"
    (tmp_path / "calls").unlink()
    shutil.rmtree(tmp_path / "entralint-venv")
    process, _ = _run_step(_step("id", "install"), tmp_path, {**env, "INSTALL": pinned})
    assert process.returncode == 0, process.stderr
    assert (tmp_path / "calls").read_text(encoding="utf-8").splitlines()[
        -1
    ] == f"venv-python -m pip install --quiet {pinned}"


def _run_entralint(tmp_path: Path, paths: str) -> tuple[subprocess.CompletedProcess[str], dict[str, str]]:
    entralint = _executable(tmp_path / "bin" / "entralint", f'cd "{REPO}" && exec "{sys.executable}" -m linter "$@"\n')
    env = {"ENTRALINT": str(entralint), "PATHS": paths, "CONFIG": "", "CATEGORY": "entralint", "FAIL_ON": "warning"}
    return _run_step(_step("id", "run"), tmp_path, env)


@pytest.mark.parametrize(("paths", "code"), [("tests/fixtures/cli/tenant/package.json", "0"), ("examples", "1")])
def test_a_run_that_worked_hands_its_log_to_the_upload(tmp_path: Path, paths: str, code: str) -> None:
    process, outputs = _run_entralint(tmp_path, paths)
    assert process.returncode == 0, process.stderr
    assert outputs == {"exit-code": code, "sarif-file": f"{tmp_path}/entralint.sarif"}
    assert (tmp_path / "entralint.sarif").stat().st_size > 0
    assert "::error" not in process.stdout


def test_exit_2_fails_the_step_with_one_message_and_no_log_to_upload(tmp_path: Path) -> None:
    process, outputs = _run_entralint(tmp_path, "polices")
    assert process.returncode == 2
    assert outputs == {"exit-code": "2"}
    assert process.stderr == "entralint: error: polices: no such file or directory\n"
    assert process.stdout.count("::error") == 1
    assert "no SARIF was uploaded" in process.stdout


def test_the_steps_after_a_failed_run_are_skipped() -> None:
    # A step without always() or failure() in its condition is skipped once a step before it failed.
    upload = next(step for step in STEPS if step.get("uses", "").startswith("github/codeql-action/upload-sarif"))
    fail_on_findings = _step("name", "Fail on findings")
    for step in (upload, fail_on_findings):
        assert not any(word in step["if"] for word in ("always()", "failure()", "cancelled()")), step["name"]
    assert fail_on_findings["if"] == "${{ steps.run.outputs.exit-code == '1' }}"


def test_every_shell_step_uses_bash_which_every_hosted_runner_has() -> None:
    assert {step["shell"] for step in STEPS if "run" in step} == {"bash"}


@pytest.mark.parametrize(("allow", "passed"), [(None, False), ("false", False), ("True", False), ("true", True)])
def test_custom_rules_are_allowed_only_by_the_input_set_to_true(
    tmp_path: Path, allow: str | None, passed: bool
) -> None:
    """Issue 19 case 1: the checkout's configuration cannot run code unless the workflow says so."""
    assert ACTION["inputs"]["allow-custom-rules"]["default"] == "false"
    entralint = _executable(tmp_path / "bin" / "entralint", 'printf "%s\\n" "$@" > "$RUNNER_TEMP/args"\n')
    env = {"ENTRALINT": str(entralint), "PATHS": ".", "CONFIG": "", "CATEGORY": "entralint", "FAIL_ON": "warning"}
    if allow is not None:
        env["ALLOW_CUSTOM_RULES"] = allow
    process, _ = _run_step(_step("id", "run"), tmp_path, env)
    assert process.returncode == 0, process.stderr
    arguments = (tmp_path / "args").read_text(encoding="utf-8").splitlines()
    assert ("--allow-custom-rules" in arguments) is passed
    assert "ALLOW_CUSTOM_RULES" in _step("id", "run")["env"]


@pytest.mark.parametrize(("reviewdog", "written"), [(None, False), ("false", False), ("true", True)])
def test_reviewdog_suggestions_are_opt_in(tmp_path: Path, reviewdog: str | None, written: bool) -> None:
    """Issue 22: the rdjson log (fixes as suggestions) is written, and reviewdog run, only when asked for."""
    assert ACTION["inputs"]["reviewdog"]["default"] == "false"
    entralint = _executable(tmp_path / "bin" / "entralint", f'cd "{REPO}" && exec "{sys.executable}" -m linter "$@"\n')
    env = {"ENTRALINT": str(entralint), "PATHS": "examples", "CONFIG": "", "CATEGORY": "c", "FAIL_ON": "warning"}
    if reviewdog is not None:
        env["REVIEWDOG"] = reviewdog
    process, outputs = _run_step(_step("id", "run"), tmp_path, env)
    assert process.returncode == 0, process.stderr
    assert ("rdjson-file" in outputs) is written
    if written:
        log = json.loads((tmp_path / "entralint.rdjson").read_text(encoding="utf-8"))
        assert log["source"]["name"] == "entralint"
        assert log["diagnostics"]
    suggest = _step("name", "Suggest fixes on the pull request")
    assert "inputs.reviewdog == 'true'" in suggest["if"]
    assert "-f=rdjson" in suggest["run"]


def _git(cwd: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True, timeout=60)


def _pull_request(tmp_path: Path) -> Path:
    """A clone whose base branch `main` (on origin, not fetched) has an MFA policy the pull request disables."""
    policy = {
        "displayName": "MFA for everyone",
        "state": "enabled",
        "conditions": {
            "users": {"includeUsers": ["All"]},
            "applications": {"includeApplications": ["All"]},
            "clientAppTypes": ["all"],
        },
        "grantControls": {"operator": "OR", "builtInControls": ["mfa"]},
    }
    origin = tmp_path / "origin"
    origin.mkdir()
    _git(origin, "init", "-q", "-b", "main")
    (origin / "mfa.json").write_text(json.dumps(policy), encoding="utf-8")
    _git(origin, "add", "mfa.json")
    _git(origin, "-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "-q", "-m", "base")
    clone = tmp_path / "clone"
    _git(tmp_path, "init", "-q", "-b", "pr", str(clone))
    _git(clone, "remote", "add", "origin", origin.as_uri())
    (clone / "mfa.json").write_text(json.dumps({**policy, "state": "disabled"}), encoding="utf-8")
    return clone


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
@pytest.mark.parametrize(("fail_on", "code"), [("never", "0"), ("weaker", "1")])
def test_the_diff_step_fetches_the_base_branch_and_writes_the_summary(tmp_path: Path, fail_on: str, code: str) -> None:
    clone = _pull_request(tmp_path)
    entralint = _executable(tmp_path / "bin" / "entralint", f'exec "{sys.executable}" -m linter "$@"\n')
    summary = tmp_path / "summary.md"
    env = {
        "ENTRALINT": str(entralint),
        "BASE_REF": "main",
        "CONFIG": "",
        "DIFF_FAIL_ON": fail_on,
        "GITHUB_STEP_SUMMARY": str(summary),
        "PYTHONPATH": str(REPO),
    }
    process, outputs = _run_step(_step("id", "diff"), tmp_path, env, cwd=clone)
    assert process.returncode == 0, process.stderr
    assert outputs == {"exit-code": code}
    text = summary.read_text(encoding="utf-8")
    assert text.startswith("### entralint diff: git:origin/main")
    assert "| **weaker** | all users signing in to all resources | mfa | nothing required |" in text


def test_the_diff_is_opt_in_on_pull_requests_and_fails_the_job_only_as_asked() -> None:
    assert ACTION["inputs"]["diff"]["default"] == "false"
    assert ACTION["inputs"]["diff-fail-on"]["default"] == "never"
    assert _step("id", "diff")["if"] == "${{ inputs.diff == 'true' && github.base_ref != '' }}"
    assert _step("name", "Fail on the diff")["if"] == "${{ steps.diff.outputs.exit-code == '1' }}"
    names = [step.get("name") for step in STEPS]
    # The summary is written before any step may fail the job, and a failing diff never stops the upload.
    assert names.index("Diff against the base branch") < names.index("Upload SARIF to code scanning")
    assert names.index("Fail on the diff") == len(names) - 1
