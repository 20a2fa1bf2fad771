"""Finding and reading files safely: stable order, no FIFOs or devices, no links out of the root."""

from __future__ import annotations

import functools
import os
import re
import stat
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import NamedTuple

from linter.loaders import is_candidate, opentofu_override
from linter.model.source import DecodeError, Span, as_posix, decode_text, display_path

__all__ = [
    "NO_POLICY_FOUND",
    "STDIN",
    "FileSkip",
    "ReadError",
    "StandardInput",
    "decode_limited",
    "discover",
    "display_path",
    "excluded",
    "glob_matches",
    "place_standard_input",
    "read_standard_input",
    "read_text",
]

# `-` among the paths: the file comes from standard input, and without --stdin-filename this is its name.
STDIN = "-"

# On stderr when a run read no policy at all, as ruff's "No Python files found": the exit code stays 0.
NO_POLICY_FOUND = "entralint warning: no policy file found under the given paths\n"

SKIPPED_DIRECTORIES = frozenset({".git", ".hg", ".svn", "node_modules", ".terraform", "__pycache__", ".venv"})


class FileSkip(NamedTuple):
    """A path that was named or found but not read, and why."""

    path: str
    reason: str
    # The run was asked to check it and could not read it (IN001, so the run fails); otherwise a
    # path entralint declines by design (a link leaving the tree), which is only a notification.
    unreadable: bool = False


class StandardInput(NamedTuple):
    """A file read from standard input, and the name --stdin-filename gives it (display, format, configuration)."""

    data: bytes
    name: str | None = None


class ReadError(Exception):
    """A file that exists but cannot be read as text."""

    def __init__(self, message: str, span: Span | None = None) -> None:
        super().__init__(message)
        self.span = span or Span.point(1, 1)


@functools.lru_cache(maxsize=256)
def _glob_regex(pattern: str) -> re.Pattern[str]:
    parts = []
    index = 0
    while index < len(pattern):
        char = pattern[index]
        if pattern.startswith("**/", index):
            parts.append("(?:.*/)?")
            index += 3
            continue
        if pattern.startswith("**", index):
            parts.append(".*")
            index += 2
            continue
        parts.append("[^/]*" if char == "*" else "[^/]" if char == "?" else re.escape(char))
        index += 1
    body = "".join(parts).rstrip("/")
    # A pattern without a slash matches a name at any depth, as in .gitignore.
    prefix = "" if "/" in pattern.strip("/") else "(?:.*/)?"
    return re.compile(f"^{prefix}{body}(?:/.*)?$", re.DOTALL)


def glob_matches(pattern: str, relative_path: str) -> bool:
    """gitignore-style matching of a forward-slash relative path (a directory matches what it holds)."""
    return _glob_regex(pattern.removeprefix("./")).match(relative_path) is not None


def _inside(path: Path, root: Path) -> bool:
    try:
        path.relative_to(root)
    except ValueError:
        return False
    return True


def discover(
    paths: Sequence[str], exclude: Sequence[str], cwd: Path, *, skips: list[FileSkip] | None = None
) -> list[str]:
    """Candidate files under the given paths, sorted, each once; skipped paths are added to skips."""
    skips = skips if skips is not None else []
    # Normalized absolute paths as str(Path) gives them, kept as strings: a Path per file cost more than the walk.
    found: set[str] = set()
    for given in paths:
        start = os.path.normpath(Path(given) if Path(given).is_absolute() else cwd / given)
        if not os.path.lexists(start):
            skips.append(FileSkip(given, "no such file or directory"))
            continue
        if os.path.isdir(start) and not os.path.islink(start):
            found.update(_walk(start, exclude, cwd, skips))
            continue
        if excluded(start, exclude, cwd):
            continue
        override = opentofu_override(os.path.basename(start))
        if override is not None and os.path.lexists(os.path.join(os.path.dirname(start), override)):
            skips.append(FileSkip(as_posix(start), f"OpenTofu reads {override} beside it instead; not read"))
            continue
        if _regular(start, os.path.dirname(start), skips):
            found.add(start)
    return sorted(found, key=as_posix)


def excluded(path: str, exclude: Sequence[str], cwd: Path) -> bool:
    if not exclude:
        return False
    relative = display_path(path, cwd)
    return any(glob_matches(pattern, relative) for pattern in exclude)


def _regular(path: str, root: str, skips: list[FileSkip]) -> bool:
    try:
        if os.path.islink(path):
            target = Path(path).resolve(strict=True)
            if not _inside(target, Path(root).resolve()):
                skips.append(FileSkip(as_posix(path), "symbolic link leaves the scanned directory; not followed"))
                return False
        mode = os.stat(path).st_mode
    except (OSError, RuntimeError) as error:  # RuntimeError: a symlink loop on older Pythons
        reason = f"cannot be read: {getattr(error, 'strerror', None) or error}"
        skips.append(FileSkip(as_posix(path), reason, unreadable=True))
        return False
    if not stat.S_ISREG(mode):
        skips.append(FileSkip(as_posix(path), "not a regular file (FIFO, socket or device); never opened", True))
        return False
    return True


def _walk(root: str, exclude: Sequence[str], cwd: Path, skips: list[FileSkip]) -> Iterator[str]:
    """As os.walk top-down, without following links: each directory's files by name, then its subdirectories.

    On directory entries, whose types come with the listing: one stat per file was most of the time
    discovery took.
    """
    pending = [root]
    while pending:
        directory = pending.pop()
        try:
            with os.scandir(directory) as listing:
                entries = list(listing)
        except OSError as error:  # its files cannot be checked: the run must not pass as if they were
            reason = f"directory cannot be listed: {error.strerror or error}"
            skips.append(FileSkip(as_posix(directory), reason, unreadable=True))
            continue
        subdirectories = []
        files = []
        for entry in entries:
            if not _is_directory(entry):
                files.append(entry)
            elif (
                entry.name not in SKIPPED_DIRECTORIES
                and not entry.is_symlink()
                and not (exclude and excluded(entry.path, exclude, cwd))
            ):
                subdirectories.append(entry.path)
        files.sort(key=lambda entry: entry.name)
        names = {entry.name for entry in files}
        for entry in files:
            if not is_candidate(entry.name) or opentofu_override(entry.name) in names:
                continue
            if not excluded(entry.path, exclude, cwd) and (_plain_file(entry) or _regular(entry.path, root, skips)):
                yield entry.path
        subdirectories.sort(reverse=True)  # popped from the end: in name order
        pending.extend(subdirectories)


def _is_directory(entry: os.DirEntry[str]) -> bool:
    """What os.walk counts as a directory: links to directories included, unreadable entries not."""
    try:
        return entry.is_dir()
    except OSError:
        return False


def _plain_file(entry: os.DirEntry[str]) -> bool:
    """A regular file, not a link, as the listing says: nothing that _regular would skip or report."""
    try:
        return entry.is_file(follow_symlinks=False)
    except OSError:
        return False


def read_standard_input(name: str | None, max_size: int) -> StandardInput:
    """Standard input's bytes, at most one past max_size: enough to report it too large without holding more."""
    import sys

    stream = getattr(sys.stdin, "buffer", None)
    if stream is not None:
        data: bytes = stream.read(max_size + 1)
    else:  # a text stream without bytes underneath (a test's StringIO)
        data = sys.stdin.read(max_size + 1).encode("utf-8")
    return StandardInput(data, name)


def place_standard_input(stdin: StandardInput, exclude: Sequence[str], cwd: Path) -> tuple[str, str] | None:
    """(path, shown path) of standard input: `-` without a name; None when its name is excluded, as ruff does."""
    if stdin.name is None:
        return STDIN, STDIN
    path = os.path.normpath(Path(stdin.name) if Path(stdin.name).is_absolute() else cwd / stdin.name)
    if excluded(path, exclude, cwd):
        return None
    return path, display_path(path, cwd)


def decode_limited(data: bytes, max_size: int) -> str:
    """The decoded text of a file's bytes read whole (standard input), under the same limit as a file's."""
    if len(data) > max_size:
        raise ReadError(f"standard input is over the {max_size:,}-byte limit (--max-file-size)")
    try:
        return decode_text(data)
    except DecodeError as error:
        raise ReadError(str(error), Span.point(error.line, error.column)) from None


def read_text(path: str, max_size: int) -> str:
    """The decoded text of a regular file, refusing anything that could block or exhaust memory."""
    try:
        descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except OSError as error:
        raise ReadError(f"cannot open file: {error.strerror}") from None
    try:
        info = os.fstat(descriptor)
        if not stat.S_ISREG(info.st_mode):
            raise ReadError("not a regular file; never read")
        if info.st_size > max_size:
            raise ReadError(f"file is {info.st_size:,} bytes, over the {max_size:,}-byte limit (--max-file-size)")
        # Reads sized by fstat: a buffered read(max_size + 1) allocates the whole limit for every file.
        chunks = [os.read(descriptor, info.st_size + 1)]
        size = len(chunks[0])
        while chunks[-1] and size <= max_size:
            chunks.append(os.read(descriptor, max_size + 1 - size))
            size += len(chunks[-1])
    except OSError as error:
        raise ReadError(f"cannot read file: {error.strerror}") from None
    finally:
        os.close(descriptor)
    if size > max_size:
        raise ReadError(f"file grew past the {max_size:,}-byte limit (--max-file-size) while being read")
    try:
        return decode_text(b"".join(chunks))
    except DecodeError as error:
        raise ReadError(str(error), Span.point(error.line, error.column)) from None
