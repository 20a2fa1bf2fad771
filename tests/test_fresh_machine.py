"""What a new user's machine has: the supported Pythons, a clone with nothing beside it, the README's commands."""

from __future__ import annotations

import importlib.util
import re
import subprocess
import tomllib
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from tests import conftest
from tests.conftest import REPO, REQUIRE_SHARED, shared_cases, shared_path


def _ci_module(name: str) -> ModuleType:
    """A script of .ci/ (not a package: CI runs it by path), imported for its functions."""
    spec = importlib.util.spec_from_file_location(f"ci_{name}", REPO / ".ci" / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


fresh_clone = _ci_module("fresh_clone")
PYPROJECT: dict[str, Any] = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
VERSION_CLASSIFIER = re.compile(r"Programming Language :: Python :: (3)\.(\d+)")


def classified_versions() -> list[tuple[int, int]]:
    matches = (VERSION_CLASSIFIER.fullmatch(classifier) for classifier in PYPROJECT["project"]["classifiers"])
    return sorted((int(match[1]), int(match[2])) for match in matches if match)


def test_requires_python_and_the_classifiers_name_3_11_as_the_oldest() -> None:
    assert PYPROJECT["project"]["requires-python"] == ">=3.11"
    versions = classified_versions()
    assert versions[0] == (3, 11)
    assert versions == [(3, minor) for minor in range(11, versions[-1][1] + 1)], "one classifier per minor version"
    assert versions[-1] >= (3, 13)


def test_the_tools_target_the_oldest_supported_python() -> None:
    assert PYPROJECT["tool"]["ruff"]["target-version"] == "py311"
    assert PYPROJECT["tool"]["mypy"]["python_version"] == "3.11"
    # tomllib is in the standard library from 3.11: the backport is no dependency any more.
    assert not [requirement for requirement in PYPROJECT["project"]["dependencies"] if "tomli" in requirement]


@pytest.fixture
def no_shared(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A clone with nothing beside it: ../shared points at a folder that does not exist."""
    monkeypatch.setattr(conftest, "SHARED", tmp_path / "shared")
    monkeypatch.delenv(REQUIRE_SHARED, raising=False)
    return tmp_path / "shared"


def test_a_missing_shared_path_skips_naming_what_is_missing(no_shared: Path) -> None:
    with pytest.raises(pytest.skip.Exception, match=r"^needs \.\./shared/corpus \(not beside this clone\)$"):
        shared_path("corpus")


@pytest.mark.parametrize("value", ["", "0"])
def test_require_shared_off_still_skips(no_shared: Path, monkeypatch: pytest.MonkeyPatch, value: str) -> None:
    monkeypatch.setenv(REQUIRE_SHARED, value)
    with pytest.raises(pytest.skip.Exception):
        shared_path("sarif/sarif-schema-2.1.0.json")


def test_require_shared_turns_the_skip_into_a_failure(no_shared: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(REQUIRE_SHARED, "1")
    with pytest.raises(pytest.fail.Exception, match=r"^needs \.\./shared/tools/sarif-validate .*REQUIRE_SHARED=1"):
        shared_path("tools/sarif-validate")


def test_require_shared_takes_only_0_or_1(no_shared: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(REQUIRE_SHARED, "yes")
    with pytest.raises(pytest.fail.Exception, match="set it to 1"):
        shared_path("corpus")


def test_a_present_shared_path_is_returned(no_shared: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (no_shared / "corpus").mkdir(parents=True)
    monkeypatch.setenv(REQUIRE_SHARED, "1")
    assert shared_path("corpus") == no_shared / "corpus"


def test_shared_cases_add_one_case_that_needs_the_missing_folder(no_shared: Path) -> None:
    local = Path("examples/a.tf")
    [kept, missing] = shared_cases("corpus", [local])
    assert kept == local
    assert missing.id == "needs-shared-corpus"
    assert missing.values == (no_shared / "corpus",)
    assert [(mark.name, mark.args) for mark in missing.marks] == [("needs_shared", ("corpus",))]
    [*_, three] = shared_cases("corpus", [], arity=3)
    assert len(three.values) == 3


def test_shared_cases_are_the_cases_when_the_folder_is_there(no_shared: Path) -> None:
    (no_shared / "corpus").mkdir(parents=True)
    assert shared_cases("corpus", [Path("a.json"), Path("b.json")]) == [Path("a.json"), Path("b.json")]


# ---- .ci/pythons: the oldest and the newest supported interpreter on the machine -------------------------


def pythons(tmp_path: Path, present: dict[str, int]) -> subprocess.CompletedProcess[str]:
    """Run .ci/pythons with a PATH of stand-ins: python3.N exiting with the given code (127: a pyenv shim of an
    inactive version), printing its own path as sys.executable."""
    bin_folder = tmp_path / "bin"
    bin_folder.mkdir()
    for name, code in present.items():
        (bin_folder / name).write_text(f'#!/bin/sh\necho "$0"\nexit {code}\n', encoding="utf-8")
        (bin_folder / name).chmod(0o755)
    return subprocess.run(
        ["/bin/bash", str(REPO / ".ci" / "pythons")],
        env={"PATH": str(bin_folder)},
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )


def test_ci_tests_on_the_oldest_and_the_newest_supported_python(tmp_path: Path) -> None:
    newest = f"python3.{classified_versions()[-1][1]}"
    found = pythons(tmp_path, {"python3.10": 0, "python3.11": 0, "python3.12": 0, newest: 0, "python3.99": 0})
    assert (found.returncode, found.stderr) == (0, "")
    assert found.stdout.splitlines() == [
        f"3.11 {tmp_path}/bin/python3.11",
        f"{newest.removeprefix('python')} {tmp_path}/bin/{newest}",
    ]


def test_an_interpreter_that_does_not_run_is_not_there(tmp_path: Path) -> None:
    found = pythons(tmp_path, {"python3.11": 0, "python3.12": 0, "python3.13": 127})
    assert found.stdout.splitlines() == [f"3.11 {tmp_path}/bin/python3.11", f"3.12 {tmp_path}/bin/python3.12"]


def test_the_oldest_alone_is_tested_once(tmp_path: Path) -> None:
    assert pythons(tmp_path, {"python3.11": 0}).stdout.splitlines() == [f"3.11 {tmp_path}/bin/python3.11"]


def test_ci_fails_without_the_oldest_supported_python(tmp_path: Path) -> None:
    found = pythons(tmp_path, {"python3.10": 0, "python3.12": 0, "python3.13": 0})
    assert found.returncode == 1
    assert found.stdout == ""
    assert "Python 3.11, the oldest supported (requires-python in pyproject.toml), is not on this" in found.stderr


# ---- .ci/fresh_clone.py: the README's set-up commands, verbatim ---------------------------------------

README = """# tool

## Set-up

```sh
make && tool check examples/
```

It exits with code 1, as it should.

```sh
make test
```

Then read on.

## Usage

```sh
tool --help
```
"""


def test_the_set_up_commands_are_the_sh_blocks_of_the_set_up_section() -> None:
    assert fresh_clone.setup_commands(README) == [
        fresh_clone.SetupCommand("make && tool check examples/", 1),
        fresh_clone.SetupCommand("make test", 0),
    ]


@pytest.mark.parametrize(
    ("readme", "words"),
    [
        (README.replace("## Set-up", "## Install"), "no '## Set-up' section"),
        (README.replace("make test", "make\nmake test"), "must be one line, not 2"),
        ("## Set-up\n\nRun `make`.\n", "has no ```sh block"),
    ],
)
def test_a_readme_the_check_cannot_follow_is_an_error(readme: str, words: str) -> None:
    with pytest.raises(ValueError, match=re.escape(words)):
        fresh_clone.setup_commands(readme)


def test_the_fresh_clone_runs_without_what_ci_adds(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("VIRTUAL_ENV", "/ci/.venv-3.11")
    monkeypatch.setenv("PATH", "/ci/.venv-3.11/bin:/usr/local/bin:/usr/bin")
    monkeypatch.setenv(REQUIRE_SHARED, "1")
    monkeypatch.setenv("PYTHONPATH", "/ci")
    environment = fresh_clone.new_user_environment()
    assert environment["PATH"] == "/usr/local/bin:/usr/bin"
    assert not {"VIRTUAL_ENV", REQUIRE_SHARED, "PYTHONPATH"} & set(environment)
