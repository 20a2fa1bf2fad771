"""Shared test helpers: run the real CLI in-process and load fixtures."""

from __future__ import annotations

import io
import json
import os
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager, redirect_stderr, redirect_stdout
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from linter.cli import main

REPO = Path(__file__).resolve().parent.parent
# Third-party files kept beside the clone, never in it: a clone with nothing beside it skips what needs them.
SHARED = REPO.parent / "shared"
CORPUS = SHARED / "corpus"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
REQUIRE_SHARED = "ENTRALINT_REQUIRE_SHARED"


@dataclass(frozen=True)
class CliResult:
    code: int
    stdout: str
    stderr: str

    def json(self) -> Any:
        return json.loads(self.stdout)


@contextmanager
def chdir(path: Path) -> Iterator[None]:
    previous = Path.cwd()
    os.chdir(path)
    try:
        yield
    finally:
        os.chdir(previous)


def run_cli(args: Sequence[str], cwd: Path | None = None) -> CliResult:
    """Run `entralint ARGS` in-process (through the console entry point) and capture its output."""
    out, err = io.StringIO(), io.StringIO()
    with chdir(cwd or Path.cwd()), redirect_stdout(out), redirect_stderr(err):
        code = main(list(args))
    return CliResult(code, out.getvalue(), err.getvalue())


def shared_path(relative: str) -> Path:
    """../shared/RELATIVE; when it is missing the test skips, or fails when ENTRALINT_REQUIRE_SHARED=1 (as in CI)."""
    path = SHARED / relative
    if path.exists():
        return path
    reason = f"needs ../shared/{relative} (not beside this clone)"
    required = os.environ.get(REQUIRE_SHARED, "")
    if required not in ("", "0", "1"):
        pytest.fail(f"{REQUIRE_SHARED}={required!r}: set it to 1 (or 0, or leave it unset)", pytrace=False)
    if required == "1":
        pytest.fail(f"{reason}; {REQUIRE_SHARED}=1 makes that a failure", pytrace=False)
    pytest.skip(reason)


def needs_shared(relative: str) -> pytest.MarkDecorator:
    """Mark a test that reads ../shared/RELATIVE: checked by shared_path before the test runs."""
    return pytest.mark.needs_shared(relative)


def shared_cases(relative: str, cases: Iterable[Any], arity: int = 1) -> list[Any]:
    """Parameters for a test that reads ../shared/RELATIVE: CASES, plus one that skips (or fails) when it is missing.

    Without that case a parametrization over the missing folder's files would be empty, and pass.
    """
    found = list(cases)
    if (SHARED / relative).exists():
        return found
    placeholder = (SHARED / relative,) * arity
    return [*found, pytest.param(*placeholder, id=f"needs-shared-{relative}", marks=needs_shared(relative))]


def pytest_runtest_setup(item: pytest.Item) -> None:
    for marker in item.iter_markers("needs_shared"):
        shared_path(*marker.args)


@pytest.fixture
def cli() -> Any:
    return run_cli


def write(directory: Path, name: str, text: str, encoding: str = "utf-8") -> Path:
    path = directory / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text.encode(encoding))
    return path


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-expected",
        action="store_true",
        help="rewrite tests/rules/**/*.expected.json from what entralint prints now (review the diff)",
    )
