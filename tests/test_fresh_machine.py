"""What a new user's machine has: the supported Pythons, a clone with nothing beside it, the README's commands."""

from __future__ import annotations

import re
import tomllib
from typing import Any

from tests.conftest import REPO

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
