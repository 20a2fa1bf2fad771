"""What a new user's machine has: the supported Pythons, a clone with nothing beside it, the README's commands."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path
from typing import Any

import pytest

from tests import conftest
from tests.conftest import REPO, REQUIRE_SHARED, shared_cases, shared_path

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
