"""Which tenant a file belongs to, and which files a tenant holds beyond those given on the command line.

With `tenants` or `tenant-directories` configured, configuration says. Without: the repository is the
tenant. Directories given on the command line are linted as one tenant, as they are; files given one
by one (as pre-commit gives them) belong to the tenant of their project: every policy file under the
project root, less what configuration excludes. The project root is the configuration file's
directory, else the git work tree (the nearest directory above the files holding `.git`, found
without running git), else the files' own directory (its files only: without a repository nothing
says that the directories below belong to the same tenant).
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Sequence
from pathlib import Path

from linter.engine.config import Config
from linter.engine.files import discover, display_path, glob_matches

__all__ = ["DEFAULT_TENANT", "context_files", "project_root", "tenant_of"]

DEFAULT_TENANT = "default"


def tenant_of(path: str, config: Config, cwd: Path) -> str:
    """The tenant configuration assigns a file (its shown path) to; `default` without configured tenants."""
    if not (config.tenants or config.tenant_directories):
        return DEFAULT_TENANT
    relative = display_path(os.path.realpath(os.path.join(cwd, path)), config.root)
    for name, globs in config.tenants.items():
        if any(glob_matches(glob, relative) for glob in globs):
            return name
    if config.tenant_directories:
        # The shallowest directory a pattern names is the tenant, named by its path.
        parts = relative.split("/")
        for depth in range(1, len(parts)):
            directory = "/".join(parts[:depth])
            if any(glob_matches(pattern, directory) for pattern in config.tenant_directories):
                return directory
    return DEFAULT_TENANT


def project_root(files: Sequence[str], config: Config) -> tuple[str, bool]:
    """(the project root of files given one by one, whether the directories below it belong to it).

    The configuration file's directory when the files are below it (a configuration found from the
    working directory says nothing about files elsewhere).
    """
    start = os.path.commonpath([os.path.dirname(path) for path in files])
    if config.source is not None and _inside(start, str(config.root)):
        return str(config.root), True
    directory = start
    while True:
        if os.path.lexists(os.path.join(directory, ".git")):  # a directory, or a worktree's file
            return directory, True
        parent = os.path.dirname(directory)
        if parent == directory:
            return start, False
        directory = parent


def _inside(path: str, directory: str) -> bool:
    return path == directory or path.startswith(directory.rstrip(os.sep) + os.sep)


def _directory_files(directory: str, config: Config, cwd: Path) -> list[str]:
    """The candidate files directly in directory, as discovery finds them."""
    try:
        names = sorted(entry.name for entry in os.scandir(directory) if entry.is_file(follow_symlinks=False))
    except OSError:
        return []
    return discover([os.path.join(directory, name) for name in names], config.exclude, cwd)


def context_files(
    config: Config, paths: Sequence[str], given: Sequence[str], tenants: set[str], cwd: Path
) -> Iterator[tuple[str, str, str]]:
    """(path, shown path, tenant) of the files that were not given but belong to a given file's tenant."""
    given_set = set(given)
    if config.tenants or config.tenant_directories:
        if tenants == {DEFAULT_TENANT}:
            return
        candidates = discover([str(config.root)], config.exclude, cwd)
    else:
        # Directories given are the tenant as they are; only files given one by one bring their project.
        starts = [os.path.normpath(cwd / path) for path in paths]
        if config.isolated or not given or all(os.path.isdir(start) for start in starts):
            return
        root, recursive = project_root(given, config)
        candidates = discover([root], config.exclude, cwd) if recursive else _directory_files(root, config, cwd)
    for path in candidates:
        if path not in given_set:
            shown = display_path(path, cwd)
            tenant = tenant_of(shown, config, cwd)
            if tenant in tenants:
                yield path, shown, tenant
