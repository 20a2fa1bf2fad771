"""Where and how a report is written: standard output or a file replaced whole, colors and excerpts."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import IO

__all__ = ["output_problem", "use_color", "use_excerpts", "write_output"]


def _is_terminal(stream: IO[str]) -> bool:
    return hasattr(stream, "isatty") and stream.isatty()


def use_color(choice: str, stream: IO[str]) -> bool:
    """ANSI colors: `always`, or `auto` on a terminal unless NO_COLOR is set (https://no-color.org)."""
    if choice != "auto":
        return choice == "always"
    if os.environ.get("NO_COLOR"):
        return False
    return _is_terminal(stream)


def use_excerpts(choice: str, stream: IO[str]) -> bool:
    """Source lines with a caret: for people, so on a terminal (colored or not) or when colors are forced."""
    return choice == "always" or _is_terminal(stream)


def output_problem(path: Path) -> str | None:
    """Why a report cannot be written to path, said before any work is done; None when it can."""
    directory = path.resolve().parent
    if not directory.exists():
        return f"--output {path}: directory {directory} does not exist"
    if not directory.is_dir():
        return f"--output {path}: {directory} is not a directory"
    return None


def write_output(path: Path | None, writer: Callable[[IO[str]], None]) -> None:
    """Write to stdout, or to a temporary file renamed over path so no reader sees half a report."""
    if path is None:
        writer(sys.stdout)
        return
    if path.exists() and not path.is_file():
        # /dev/null, /dev/stdout or a FIFO: renaming over it would replace the device itself.
        with path.open("w", encoding="utf-8") as stream:
            writer(stream)
        return
    import tempfile

    directory = path.resolve().parent
    try:
        temporary = tempfile.NamedTemporaryFile(  # noqa: SIM115 - entered just below, once it exists
            "w", encoding="utf-8", dir=directory, prefix=f".{path.name}.", suffix=".tmp", delete=False
        )
    except OSError as error:
        # The temporary file's name means nothing to the person who asked for path: name its directory.
        raise OSError(error.errno, error.strerror, str(directory)) from None
    with temporary as handle:
        try:
            writer(handle)
        except BaseException:
            handle.close()
            os.unlink(handle.name)
            raise
    # mkstemp creates the file 0600; give the report the permissions any new file would get.
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(handle.name, 0o666 & ~umask)
    os.replace(handle.name, path)
