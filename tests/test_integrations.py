"""Where entralint plugs in: pre-commit, the GitHub Action, code scanning's validator, and the wheel."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest
import yaml

from tests.conftest import FIXTURES, REPO, shared_path

BAD_POLICY = (FIXTURES / "cli" / "tenant" / "report-only.json").read_text(encoding="utf-8")
# Enabled, all users and all resources, the Device Registration Service excluded: what CA001 and CA002 ask for.
CLEAN_POLICY = BAD_POLICY.replace("enabledForReportingButNotEnforced", "enabled").replace(
    '"applications": {"includeApplications": ["All"]}',
    '"applications": {"includeApplications": ["All"], "excludeApplications": ["01cb2876-7ebd-4aa4-9cc9-d28bd4d359a9"]}',
)


def test_pre_commit_hook_definition() -> None:
    hook, fix_hook, diff_hook = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    # The diff hook runs only by hand: a commit's files alone say nothing of the tenant before and after.
    assert diff_hook["id"] == "entralint-diff" and diff_hook["entry"] == "entralint diff"
    assert diff_hook["stages"] == ["manual"] and diff_hook["args"] == ["git:HEAD"]
    assert diff_hook["pass_filenames"] is False and diff_hook["always_run"] is True
    assert hook["id"] == "entralint"
    assert hook["entry"] == "entralint check"
    assert fix_hook["id"] == "entralint-fix"
    assert fix_hook["entry"] == "entralint check --fix"
    for defined in (hook, fix_hook):
        assert defined["language"] == "python"
        assert defined["require_serial"] is True
        assert set(defined["types_or"]) == {"json", "yaml", "terraform", "powershell"}


@pytest.mark.parametrize(
    ("name", "tag"),
    [
        ("policy.json", "json"),
        ("plan.tf.json", "json"),
        ("p.yaml", "yaml"),
        ("main.tf", "terraform"),
        ("tl.ps1", "powershell"),
    ],
)
def test_hook_types_cover_every_input_format(name: str, tag: str) -> None:
    identify = pytest.importorskip("identify.identify")
    assert tag in identify.tags_from_filename(name)


def test_action_definition() -> None:
    action = yaml.safe_load((REPO / "action.yml").read_text(encoding="utf-8"))
    assert action["runs"]["using"] == "composite"
    assert set(action["inputs"]) >= {"paths", "config", "category", "fail-on"}
    steps = action["runs"]["steps"]
    upload = next(step for step in steps if step.get("uses", "").startswith("github/codeql-action/upload-sarif"))
    assert upload["uses"] == "github/codeql-action/upload-sarif@v4"
    run = next(step for step in steps if step.get("id") == "run")["run"]
    assert "--format sarif" in run and '--category "$CATEGORY"' in run and '--fail-on "$FAIL_ON"' in run
    # Inputs reach the shell through the environment, never pasted into the script.
    assert "${{" not in "".join(step.get("run", "") for step in steps)


def test_integration_docs_show_a_complete_workflow() -> None:
    text = (REPO / "docs" / "integrations.md").read_text(encoding="utf-8")
    workflow = yaml.safe_load(text.split("```yaml\n# .github/workflows/entralint.yml\n", 1)[1].split("```", 1)[0])
    assert workflow["permissions"]["security-events"] == "write"
    steps = workflow["jobs"]["entralint"]["steps"]
    assert any(step.get("uses", "").startswith("actions/checkout@") for step in steps)
    assert any(step.get("uses", "").startswith("entralint/entralint@") for step in steps)


def _git(repository: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=repository, check=True, capture_output=True)


@pytest.mark.slow
def test_pre_commit_try_repo_blocks_a_bad_policy_and_passes_a_clean_one(tmp_path: Path) -> None:
    pre_commit = shutil.which("pre-commit") or str(Path(sys.executable).with_name("pre-commit"))
    if not Path(pre_commit).exists():
        pytest.skip("pre-commit is not installed (pip install -e '.[dev]')")
    repository = tmp_path / "tenant-config"
    repository.mkdir()
    _git(repository, "init", "-q")
    # A team's configuration: the hook reads it like `entralint check` does.
    (repository / "pyproject.toml").write_text('[tool.entralint]\nselect = ["CA001", "CA002", "IN"]\n')
    (repository / "block-device-code.json").write_text(BAD_POLICY)
    _git(repository, "add", ".")
    env = {**os.environ, "PRE_COMMIT_HOME": str(tmp_path / "pre-commit-home"), "NO_COLOR": "1"}

    def try_repo() -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [pre_commit, "try-repo", str(REPO), "entralint", "--files", "block-device-code.json", "pyproject.toml"],
            cwd=repository,
            capture_output=True,
            text=True,
            env=env,
            check=False,
            timeout=600,
        )

    blocked = try_repo()
    assert blocked.returncode == 1, blocked.stdout + blocked.stderr
    assert "entralint....." in blocked.stdout and "Failed" in blocked.stdout
    blocked_line = "block-device-code.json:4:12: CA001 [warning] Device code flow is blocked for everyone only"
    assert blocked_line in blocked.stdout
    assert "block-device-code.json:7:45: CA002 [*] [warning]" in blocked.stdout

    (repository / "block-device-code.json").write_text(CLEAN_POLICY)
    _git(repository, "add", ".")
    passed = try_repo()
    assert passed.returncode == 0, passed.stdout + passed.stderr
    assert "Passed" in passed.stdout


@pytest.mark.slow
def test_pre_commit_runs_the_diff_by_hand(tmp_path: Path) -> None:
    pre_commit = shutil.which("pre-commit") or str(Path(sys.executable).with_name("pre-commit"))
    if not Path(pre_commit).exists():
        pytest.skip("pre-commit is not installed (pip install -e '.[dev]')")
    repository = tmp_path / "tenant-config"
    repository.mkdir()
    _git(repository, "init", "-q")
    (repository / "block-device-code.json").write_text(CLEAN_POLICY)
    _git(repository, "add", ".")
    _git(repository, "-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "-q", "-m", "base")
    (repository / "block-device-code.json").write_text(CLEAN_POLICY.replace('"enabled"', '"disabled"'))
    _git(repository, "add", ".")
    env = {**os.environ, "PRE_COMMIT_HOME": str(tmp_path / "pre-commit-home"), "NO_COLOR": "1"}
    process = subprocess.run(
        [pre_commit, "try-repo", str(REPO), "entralint-diff", "--hook-stage", "manual", "--verbose"],
        cwd=repository,
        capture_output=True,
        text=True,
        env=env,
        check=False,
        timeout=600,
    )
    assert process.returncode == 1, process.stdout + process.stderr
    assert "entralint diff git:HEAD -> the working tree" in process.stdout
    assert "weaker: blocked -> nothing required" in process.stdout


@pytest.mark.slow
def test_examples_sarif_passes_github_ingestion_rules(tmp_path: Path) -> None:
    if shutil.which("npm") is None and not (Path.home() / ".cache" / "sarif-multitool" / "node_modules").is_dir():
        pytest.skip("npm is not available to install Microsoft's SARIF Multitool")
    sarif_validate = shared_path("tools/sarif-validate")
    sarif = tmp_path / "examples.sarif"
    run = subprocess.run(
        [sys.executable, "-m", "linter", "check", "examples", "--format", "sarif", "--output", str(sarif)],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode in (0, 1), run.stderr
    validated = subprocess.run(
        [str(sarif_validate), str(sarif)], capture_output=True, text=True, check=False, timeout=900
    )
    assert validated.returncode == 0, validated.stdout + validated.stderr
    assert validated.stdout.strip().endswith(": 0 errors, 0 warnings (GitHub ingestion + SARIF rules)")


def _copy_project(destination: Path) -> Path:
    """The files a wheel is built from, so building never writes into the shared checkout."""
    destination.mkdir()
    for name in ("pyproject.toml", "README.md", "LICENSE"):
        if (REPO / name).exists():
            shutil.copy2(REPO / name, destination / name)
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
    for folder in ("linter", "rules", "schemas"):
        shutil.copytree(REPO / folder, destination / folder, ignore=ignore)
    return destination


@pytest.mark.slow
def test_wheel_installs_and_runs_on_examples(tmp_path: Path) -> None:
    source = _copy_project(tmp_path / "source")
    wheels = tmp_path / "wheels"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--quiet",
            "--no-deps",
            "-w",
            str(wheels),
            str(source),
        ],
        check=True,
        capture_output=True,
    )
    [wheel] = wheels.glob("entralint-*.whl")
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    python = venv / "bin" / "python"
    purelib = Path(
        subprocess.run(
            [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    )
    # Dependencies come from the test's own environment (a plain path entry: its editable
    # entralint finder is a .pth hook there and does not run), entralint only from the wheel.
    (purelib / "dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "--python",
            str(python),
            "install",
            "--quiet",
            "--no-deps",
            "--no-index",
            str(wheel),
        ],
        check=True,
        capture_output=True,
    )
    installed = purelib / "linter"
    assert (installed / "py.typed").is_file()
    assert (installed / "rules" / "ca001_device_code_flow_not_blocked.py").is_file()
    assert (installed / "schemas" / "config.schema.json").is_file()
    assert (installed / "schemas" / "conditional-access-policy.schema.json").is_file()
    assert not (purelib / "rules").exists(), "rules/ must ship inside linter/, not as a top-level package"
    entralint = venv / "bin" / "entralint"
    where = subprocess.run(
        [
            str(python),
            "-c",
            "import linter.cli, linter.engine.registry as r; print(linter.cli.__file__, r.builtin_rules_dir())",
        ],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    assert all(path.startswith(str(purelib)) for path in where), where
    run = subprocess.run(
        [str(entralint), "check", "--format", "json", "examples"],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode in (0, 1), run.stderr
    report = json.loads(run.stdout)
    assert report["files"] > 1 and report["policies"] > 1
    rules = subprocess.run([str(entralint), "rules", "--format", "json"], capture_output=True, text=True, check=True)
    shipped = {rule["id"] for rule in json.loads(rules.stdout)}
    assert {"CA001", "IN001", "IN002", "IN003", "IN004"} <= shipped
    assert report["findings"] and {finding["code"] for finding in report["findings"]} <= shipped
