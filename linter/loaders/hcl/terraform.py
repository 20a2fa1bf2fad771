"""Terraform HCL (`*.tf`): resource bodies in Terraform JSON form, with positions.

Only literals are read: any other expression becomes `Unresolved(<source text>)`, except
`var.x`, which is the variable's `default` when this file or its directory declares one.
Plain files are read by `hcl_fast` (several times faster); tree-sitter reads the rest.
"""

from __future__ import annotations

import functools
import os
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from linter.loaders.hcl.tree import HclReader
from linter.loaders.hcl.values import HclPositions
from linter.loaders.result import LoadResult, parse_problem
from linter.loaders.terraform.resources import RESOURCE_TYPES, documents_for
from linter.model import LoadProblem
from linter.model.source import Span, line_column

__all__ = ["ReadResources", "load", "read_fast", "read_with_tree_sitter"]

SOURCE_FORMAT = "terraform-hcl"
_RELEVANT = re.compile("|".join(sorted(RESOURCE_TYPES)))


@functools.cache
def _parser() -> Any:
    import tree_sitter_hcl
    from tree_sitter import Language, Parser

    return Parser(Language(tree_sitter_hcl.language()))


def _label(reader: HclReader, node: Any) -> str | None:
    value = reader.literal_label(node)
    return value if isinstance(value, str) else None


def _first_error(root: Any) -> Any:
    stack = [root]
    while stack:
        node = stack.pop()
        if node.type == "ERROR" or node.is_missing:
            return node
        stack.extend(reversed([child for child in node.children if child.has_error or child.is_missing]))
    return root


def _error_problem(reader: HclReader, node: Any) -> tuple[str, Span]:
    start = reader.char(node.start_byte)
    line, column = line_column(reader.text, start)
    if node.is_missing:
        return f"syntax error: missing {node.type!r}", Span.point(line, column)
    snippet = reader.text[start : reader.char(node.end_byte)].strip().split("\n", 1)[0][:40]
    if not snippet:
        return "syntax error: unexpected end of file", Span.point(line, column)
    return f"syntax error: unexpected {snippet!r}", Span.point(line, column)


# As the engine's default --max-file-size: a variables file is read whole, so it is bounded like any other.
MAX_SIBLING_SIZE = 10 * 1024 * 1024
Siblings = tuple[tuple[str, int, int], ...]


def _sibling_files(path: str) -> tuple[Siblings, tuple[tuple[str, str], ...]]:
    """The other .tf files of path's directory (name, mtime, size), and (shown path, why) of each one left out.

    A symbolic link whose target is not in the module's own directory is never read: it may point out of
    the repository (a pull request's `variables.tf -> /home/runner/secrets.tf`), and what it says would
    reach the report.
    """
    accepted, refused = [], []
    try:
        here = Path(path).resolve()
        for entry in here.parent.glob("*.tf"):
            if entry == here:
                continue
            shown = os.path.join(os.path.dirname(path), entry.name)
            if entry.is_symlink() and entry.resolve().parent != here.parent:
                refused.append((shown, "symbolic link leaves the module directory; not read for variable defaults"))
                continue
            if not entry.is_file():
                continue
            status = entry.stat()
            if status.st_size > MAX_SIBLING_SIZE:
                refused.append((shown, f"over {MAX_SIBLING_SIZE:,} bytes; not read for variable defaults"))
                continue
            accepted.append((str(entry), status.st_mtime_ns, status.st_size))
    except (OSError, RuntimeError):  # RuntimeError: a symlink loop on older Pythons
        return (), tuple(refused)
    return tuple(sorted(accepted)), tuple(sorted(refused))


class _ModuleDirectory:
    """The variable defaults of a .tf file's siblings, listed only when a `var.x` asks, and what was not read."""

    __slots__ = ("path", "refused")

    def __init__(self, path: str) -> None:
        self.path = path
        self.refused: tuple[tuple[str, str], ...] = ()

    def defaults(self) -> Mapping[str, Any]:
        files, self.refused = _sibling_files(self.path)
        return _directory_defaults(files)


@functools.lru_cache(maxsize=64)
def _directory_defaults(files: Siblings) -> Mapping[str, Any]:
    """`variable` defaults declared in the other .tf files of a module directory."""
    defaults: dict[str, Any] = {}
    for name, _, _ in files:
        try:
            text = Path(name).read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError):
            continue
        if "variable" not in text:
            continue
        reader = HclReader(text, _parser().parse(text.encode("utf-8")).root_node, {})
        try:
            defaults.update(reader.variable_defaults())
        except RecursionError:
            continue
    return defaults


def load(path: str, text: str) -> LoadResult | None:
    """Documents for the policy resources of one .tf file; None when it declares none."""
    if _RELEVANT.search(text) is None:
        return None
    try:
        return _load(path, text)
    except RecursionError:
        return parse_problem(SOURCE_FORMAT, "syntax error: expressions nested too deeply to read", Span.point(1, 1))


Resource = tuple[str, str, dict[str, Any], str]  # type, `type.name`, body, pointer of the body


class ReadResources:
    """What a reader found in a file: policy resources, where each value is, syntax problems."""

    __slots__ = ("positions", "problems", "resources")

    def __init__(self, resources: list[Resource], positions: HclPositions, problems: list[LoadProblem]) -> None:
        self.resources = resources
        self.positions = positions
        self.problems = problems  # `_load` adds the schema problems


def _load(path: str, text: str) -> LoadResult | None:
    directory = _ModuleDirectory(path)
    found = read_fast(path, text, directory) or read_with_tree_sitter(path, text, directory)
    problems = found.problems
    documents = documents_for(
        found.resources, path=path, source_format=SOURCE_FORMAT, positions=found.positions, problems=problems
    )
    if not documents and not problems:
        return None
    return LoadResult(SOURCE_FORMAT, tuple(documents), tuple(problems), directory.refused)


def read_fast(path: str, text: str, directory: _ModuleDirectory | None = None) -> ReadResources | None:
    """The resources, read with regular expressions; None when the file needs tree-sitter."""
    from linter.loaders.hcl.fast import Decline, FastHclReader

    directory = directory or _ModuleDirectory(path)
    try:
        reader = FastHclReader(text, directory.defaults)
        resources = list(reader.resources(RESOURCE_TYPES))
    except Decline:
        return None
    return ReadResources(resources, HclPositions(text, reader.offsets, reader.strings), [])


def read_with_tree_sitter(path: str, text: str, directory: _ModuleDirectory | None = None) -> ReadResources:
    directory = directory or _ModuleDirectory(path)
    tree = _parser().parse(text.encode("utf-8"))
    root = tree.root_node
    reader = HclReader(text, root, {}, directory.defaults)
    problems: list[LoadProblem] = []
    if root.has_error:
        message, span = _error_problem(reader, _first_error(root))
        problems.append(LoadProblem("IN001", message, span))
    reader.defaults.update(reader.variable_defaults())
    resources: list[Resource] = []
    for node in reader.top_blocks("resource"):
        labels = reader.labels(node)
        if len(labels) != 2 or node.has_error:
            continue
        resource_type, name = (_label(reader, label) for label in labels)
        if resource_type not in RESOURCE_TYPES or name is None:
            continue
        pointer = f"/resource/{resource_type}/{name}"
        body = reader.block_body(node, pointer)
        resources.append((resource_type, f"{resource_type}.{name}", body, pointer))
    return ReadResources(resources, HclPositions(text, reader.offsets, reader.strings), problems)
