"""The documents under some paths, read and loaded: for commands that show what was read (`inspect`, `whatif`)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path

from linter.engine.config import DEFAULT_MAX_FILE_SIZE
from linter.engine.files import ReadError, discover, read_text
from linter.loaders import load_text
from linter.loaders.result import LoadResult, parse_problem
from linter.model.source import display_path

__all__ = ["load_paths"]


def load_paths(paths: Sequence[str], exclude: Sequence[str], cwd: Path) -> Iterator[tuple[str, LoadResult]]:
    """(shown path, result) for every file under paths that holds documents or problems, rules aside.

    For commands that show what was read (`inspect`, `whatif`); a file that cannot be read is an
    IN001 problem, as in `check`.
    """
    for path in discover(paths, exclude, cwd):
        shown = display_path(path, cwd)
        try:
            result = load_text(shown, read_text(path, DEFAULT_MAX_FILE_SIZE))
        except ReadError as error:
            result = parse_problem("", str(error), error.span)
        if result is not None:
            yield shown, result
