"""The documents under some paths, read and loaded: for commands that show what was read (`inspect`, `whatif`)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path

from linter.engine.config import DEFAULT_MAX_FILE_SIZE
from linter.engine.files import ReadError, StandardInput, decode_limited, discover, place_standard_input, read_text
from linter.loaders import forget_directories, load_text
from linter.loaders.result import LoadResult, parse_problem
from linter.model.source import display_path

__all__ = ["load_paths"]


def load_paths(
    paths: Sequence[str], exclude: Sequence[str], cwd: Path, stdin: StandardInput | None = None
) -> Iterator[tuple[str, LoadResult]]:
    """(shown path, result) for every file under paths, then standard input, that holds documents or problems.

    Rules aside; a file that cannot be read is an IN001 problem, as in `check`.
    """
    forget_directories()
    for path in discover(paths, exclude, cwd):
        shown = display_path(path, cwd)
        try:
            result = load_text(shown, read_text(path, DEFAULT_MAX_FILE_SIZE))
        except ReadError as error:
            result = parse_problem("", str(error), error.span)
        if result is not None:
            yield shown, result
    placed = place_standard_input(stdin, exclude, cwd) if stdin is not None else None
    if stdin is not None and placed is not None:
        shown = placed[1]
        try:
            result = load_text(shown, decode_limited(stdin.data, DEFAULT_MAX_FILE_SIZE))
        except ReadError as error:
            result = parse_problem("", str(error), error.span)
        if result is not None:
            yield shown, result
