"""File discovery on directory entries agrees with the os.walk and pathlib walk it replaced."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any
from unittest import mock

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from linter.engine import files
from linter.engine.files import SKIPPED_DIRECTORIES, FileSkip, discover, display_path
from linter.loaders import is_candidate


def reference_display_path(path: str, cwd: Path) -> str:
    try:
        return Path(path).relative_to(cwd).as_posix()
    except ValueError:
        return Path(path).as_posix()


def reference_walk(root: str, exclude: Sequence[str], cwd: Path, skips: list[FileSkip]) -> Iterator[str]:
    """The walk discovery used before: os.walk, a Path per entry, a stat per file."""
    for directory, names, file_names in os.walk(root, followlinks=False, onerror=None):
        here = Path(directory)
        names[:] = sorted(
            name
            for name in names
            if name not in SKIPPED_DIRECTORIES
            and not (here / name).is_symlink()
            and not files.excluded(str(here / name), exclude, cwd)
        )
        for name in sorted(file_names):
            path = str(here / name)
            if is_candidate(name) and not files.excluded(path, exclude, cwd) and files._regular(path, root, skips):
                yield path


def both_ways(paths: Sequence[str], exclude: Sequence[str], cwd: Path) -> tuple[Any, Any]:
    skips: list[FileSkip] = []
    fast = (discover(paths, exclude, cwd, skips=skips), skips)
    reference_skips: list[FileSkip] = []
    with (
        mock.patch.object(files, "_walk", reference_walk),
        mock.patch.object(files, "display_path", reference_display_path),
    ):
        reference = (discover(paths, exclude, cwd, skips=reference_skips), reference_skips)
    return fast, reference


SEGMENTS = st.sampled_from(["a", "b", "A", "a0", "a-b", "a.b", "_x", "..", ".", "", "c d", "é"])
PATHS = st.lists(SEGMENTS, max_size=5).map("/".join)


@settings(max_examples=400)
@given(path=PATHS, cwd=PATHS, absolute_path=st.booleans(), absolute_cwd=st.booleans())
def test_display_path_agrees_with_relative_to(path: str, cwd: str, absolute_path: bool, absolute_cwd: bool) -> None:
    left = str(Path(("/" if absolute_path else "") + path))
    right = Path(("/" if absolute_cwd else "") + cwd)
    assert display_path(left, right) == reference_display_path(left, right)


@pytest.mark.parametrize(
    ("path", "cwd", "shown"),
    [
        ("/work/repo/a/b.json", "/work/repo", "a/b.json"),
        ("/work/repo", "/work/repo", "."),
        ("/work/repository/a.json", "/work/repo", "/work/repository/a.json"),
        ("/work", "/work/repo", "/work"),
        ("/tmp/fleet/a.json", "/work/repo", "/tmp/fleet/a.json"),
        ("/a.json", "/", "a.json"),
        ("//a.json", "/", "//a.json"),
        ("//host/a.json", "//host", "a.json"),
        ("a/b.json", ".", "a/b.json"),
        ("a/b.json", "a", "b.json"),
    ],
)
def test_display_path_edges(path: str, cwd: str, shown: str) -> None:
    assert display_path(path, Path(cwd)) == reference_display_path(path, Path(cwd)) == shown


NAMES = st.sampled_from(
    [
        *("a.json", "b.yaml", "c.tf", "D.JSON", "e.ps1", "f.txt", "a0.json", "a-b.yml", "a.b.json", "z", "a", "a0"),
        *(".git", "node_modules", "sub", "Sub", "sub.json"),
    ]
)
KINDS = st.sampled_from(
    [
        *("file", "file", "file", "directory", "directory", "fifo", "link-file", "link-directory", "link-out"),
        *("broken", "loop", "link-self"),
    ]
)
LAYOUT = st.lists(st.tuples(st.lists(NAMES, min_size=1, max_size=3), KINDS), max_size=14)
EXCLUDES = st.lists(st.sampled_from(["sub", "*.yaml", "**/a.json", "sub/", "tree/a0", "./c.tf", "none"]), max_size=2)


def build(root: Path, outside: Path, layout: list[tuple[list[str], str]]) -> None:
    """Entries at generated places under root; a place whose parent is not a directory is left out."""
    root.mkdir()
    target = outside / "secret.json"
    target.write_text("{}", encoding="utf-8")
    for parts, kind in layout:
        path = root.joinpath(*parts)
        if os.path.lexists(path) or not path.parent.is_dir() or path.parent.is_symlink():
            continue
        if kind == "file":
            path.write_text("{}", encoding="utf-8")
        elif kind == "directory":
            path.mkdir()
        elif kind == "fifo":
            os.mkfifo(path)
        elif kind == "link-file":
            path.symlink_to(target if parts[0] == "z" else root / "a.json")
        elif kind == "link-directory":
            path.symlink_to(root)
        elif kind == "link-out":
            path.symlink_to(target)
        elif kind == "broken":
            path.symlink_to(root / "missing.json")
        elif kind == "loop":
            path.symlink_to(path.with_name(path.name + ".loop"))
            path.with_name(path.name + ".loop").symlink_to(path)
        else:
            path.symlink_to(path.name)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs and symbolic links")
@settings(max_examples=150, deadline=None)
@given(layout=LAYOUT, exclude=EXCLUDES, where=st.sampled_from(["root", "parent", "elsewhere"]))
def test_discovery_agrees_with_the_os_walk_reference(
    layout: list[tuple[list[str], str]], exclude: list[str], where: str
) -> None:
    with tempfile.TemporaryDirectory() as temporary:
        base = Path(temporary)
        (base / "outside").mkdir()
        root = base / "tree"
        build(root, base / "outside", layout)
        cwd = {"root": root, "parent": base, "elsewhere": base / "outside"}[where]
        given_paths = [str(root), "tree/sub", "tree/a.json", "tree/z", "tree/missing.json", str(root / "sub.json")]
        fast, reference = both_ways(given_paths, exclude, cwd)
    assert fast == reference


def test_a_directory_that_cannot_be_listed_is_passed_over(tmp_path: Path) -> None:
    (tmp_path / "locked").mkdir()
    (tmp_path / "locked" / "a.json").write_text("{}", encoding="utf-8")
    (tmp_path / "b.json").write_text("{}", encoding="utf-8")
    real_scandir = os.scandir

    def refusing(path: Any) -> Any:
        if str(path).endswith("locked"):
            raise PermissionError(13, "Permission denied", str(path))
        return real_scandir(path)

    with mock.patch.object(os, "scandir", refusing):
        assert discover([str(tmp_path)], (), tmp_path) == [str(tmp_path / "b.json")]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_skips_come_in_walk_order(tmp_path: Path) -> None:
    for place in ("b/y.json", "a/c/z.json", "a/x.json", "a0.json"):
        (tmp_path / place).parent.mkdir(parents=True, exist_ok=True)
        os.mkfifo(tmp_path / place)
    fast, reference = both_ways([str(tmp_path)], (), tmp_path)
    assert fast == reference
    assert [Path(skip.path).relative_to(tmp_path).as_posix() for skip in fast[1]] == [
        "a0.json",
        "a/x.json",
        "a/c/z.json",
        "b/y.json",
    ]
