"""The two sides of `entralint diff`: a directory, or `git:REV` read from git's objects without a checkout.

git runs with a list argv (no shell), only `rev-parse`, `ls-tree` and `cat-file`, none of which runs
hooks or filters; symbolic links and submodules in the tree are skipped, as discovery skips links.
Each file goes through the loaders by its path suffix, as in `check`.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import NamedTuple

from linter.engine.config import Config
from linter.engine.files import SKIPPED_DIRECTORIES, ReadError, decode_limited, discover, glob_matches, read_text
from linter.loaders import is_candidate

__all__ = ["GIT_PREFIX", "SideError", "SourceText", "directory_texts", "git_texts", "git_toplevel"]

GIT_PREFIX = "git:"
_REGULAR_MODES = ("100644", "100755")  # 120000 is a symbolic link, 160000 a submodule


class SideError(Exception):
    """A side that cannot be read (no such revision, not a repository); the message says which."""


class SourceText(NamedTuple):
    """One file of a side: its path relative to the side's root, the path it is shown (and loaded) as, its text."""

    relative: str
    shown: str
    text: str | None
    error: str = ""


def _git(top: Path, *arguments: str, stdin: bytes | None = None) -> bytes:
    # core.fsmonitor names a program git may run for some commands: never one the repository configures.
    argv = ["git", "-c", "core.fsmonitor=false", "-C", str(top), *arguments]
    try:
        completed = subprocess.run(argv, input=stdin, capture_output=True, check=False)
    except OSError as error:
        raise SideError(f"cannot run git: {error}") from error
    if completed.returncode != 0:
        message = completed.stderr.decode("utf-8", "replace").strip().splitlines()
        raise SideError(f"git {arguments[0]}: {message[-1] if message else 'failed'}")
    return completed.stdout


def git_toplevel(cwd: Path) -> Path | None:
    """The work tree's top directory holding cwd, or None outside a repository."""
    try:
        return Path(_git(cwd, "rev-parse", "--show-toplevel").decode("utf-8", "surrogateescape").strip())
    except SideError:
        return None


def _wanted(relative: str, config: Config) -> bool:
    parts = relative.split("/")
    if any(part in SKIPPED_DIRECTORIES for part in parts[:-1]):
        return False
    return is_candidate(relative) and not any(glob_matches(glob, relative) for glob in config.exclude)


def git_texts(top: Path, revision: str, prefix: str, config: Config) -> list[SourceText]:
    """The candidate files of the tree at revision, under prefix (a directory relative to top, "" for all)."""
    if not revision or revision.startswith("-"):
        raise SideError(f"{GIT_PREFIX}{revision}: not a revision")
    try:
        commit = _git(top, "rev-parse", "--verify", "--quiet", "--end-of-options", f"{revision}^{{commit}}").strip()
    except SideError as error:
        raise SideError(f"{GIT_PREFIX}{revision}: no such revision") from error
    listing = _git(top, "ls-tree", "-r", "-z", "--full-tree", commit.decode("ascii"))
    entries: list[tuple[str, str]] = []
    start = f"{prefix}/" if prefix else ""
    for entry in listing.split(b"\0"):
        if not entry:
            continue
        header, _, raw_path = entry.partition(b"\t")
        mode, kind, object_id = header.decode("ascii").split(" ")
        path = raw_path.decode("utf-8", "surrogateescape")
        if kind != "blob" or mode not in _REGULAR_MODES or not path.startswith(start):
            continue
        relative = path[len(start) :]
        if _wanted(relative, config):
            entries.append((relative, object_id))
    if not entries:
        return []
    output = _git(top, "cat-file", "--batch", stdin="".join(f"{oid}\n" for _, oid in entries).encode("ascii"))
    found: list[SourceText] = []
    offset = 0
    for relative, _ in entries:
        end = output.index(b"\n", offset)
        size = int(output[offset:end].split(b" ")[2])
        data = output[end + 1 : end + 1 + size]
        offset = end + 1 + size + 1
        shown = f"{GIT_PREFIX}{revision}:{start}{relative}"
        try:
            found.append(SourceText(relative, shown, decode_limited(data, config.max_file_size)))
        except ReadError as error:
            found.append(SourceText(relative, shown, None, str(error)))
    return found


def directory_texts(directory: Path, config: Config, cwd: Path) -> Iterator[SourceText]:
    """The candidate files under directory, as `check` discovers them (no links out, configuration's excludes)."""
    for path in discover([str(directory)], config.exclude, cwd):
        relative = Path(os.path.relpath(path, directory)).as_posix()
        shown = os.path.relpath(path, cwd) if not os.path.isabs(str(directory)) else path
        try:
            yield SourceText(relative, shown, read_text(path, config.max_file_size))
        except ReadError as error:
            yield SourceText(relative, shown, None, str(error))
