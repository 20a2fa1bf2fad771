"""Terraform HCL (`*.tf`): resource bodies in Terraform JSON form, with positions.

Only literals are read: any other expression becomes `Unresolved(<source text>)`, except
`var.x`, which is the value Terraform gives the variable its module directory declares
(`linter.loaders.hcl.variables`: its default, or what the variable files assign).
Plain files are read by `linter/loaders/hcl/fast.py` (the fast path: regular expressions, which decline
anything they do not read exactly); tree-sitter (`linter/loaders/hcl/tree.py`) reads the rest, and is the
plain reading both are held to (tests/test_hcl_fast.py).
"""

from __future__ import annotations

import re
from typing import Any

from linter.loaders.hcl.parse import MAX_NESTING, parse, refused_character, too_deep
from linter.loaders.hcl.tfvars import module_variables
from linter.loaders.hcl.tree import HclReader
from linter.loaders.hcl.values import HclPositions
from linter.loaders.result import LoadResult, parse_problem
from linter.loaders.terraform.resources import RESOURCE_TYPES, documents_for
from linter.model import Document, LoadProblem
from linter.model.source import Span, line_column

__all__ = ["ReadResources", "load", "read_fast", "read_with_tree_sitter"]

SOURCE_FORMAT = "terraform-hcl"
_RELEVANT = re.compile("|".join(sorted(RESOURCE_TYPES)))


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


def load(path: str, text: str, var_files: tuple[str, ...] = ()) -> LoadResult | None:
    """Documents for the policy resources of one .tf or .tofu file; None when it declares none.

    `var_files` are the `--var-file`s given, which set variables after the module's own variable files.
    """
    if _RELEVANT.search(text) is None:
        return None
    try:
        return _load(path, text, var_files)
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


def _load(path: str, text: str, var_files: tuple[str, ...]) -> LoadResult | None:
    found = read_fast(path, text, var_files) or read_with_tree_sitter(path, text, var_files)
    problems = found.problems
    absent: list[Document] = []
    documents = documents_for(
        found.resources,
        path=path,
        source_format=SOURCE_FORMAT,
        positions=found.positions,
        problems=problems,
        absent=absent,
    )
    if not documents and not problems and not absent:
        return None
    return LoadResult(SOURCE_FORMAT, tuple(documents), tuple(problems), tuple(absent))


def read_fast(path: str, text: str, var_files: tuple[str, ...] = ()) -> ReadResources | None:
    """The resources, read with regular expressions; None when the file needs tree-sitter."""
    from linter.loaders.hcl.fast import Decline, FastHclReader

    if "\r" in text:  # declined before reading: see FastHclReader.read_as_tree_sitter_would
        return None
    try:
        reader = FastHclReader(text, lambda: module_variables(path, var_files))
        resources = list(reader.resources(RESOURCE_TYPES))
    except Decline:
        return None
    if not reader.read_as_tree_sitter_would():
        return None
    return ReadResources(resources, HclPositions(text, reader.offsets, reader.strings), [])


def read_with_tree_sitter(path: str, text: str, var_files: tuple[str, ...] = ()) -> ReadResources:
    deep = too_deep(text)
    if deep is not None:
        message = f"brackets nested more than {MAX_NESTING} levels deep: entralint stops reading here"
        return ReadResources(
            [], HclPositions(text, {}, {}), [LoadProblem("IN001", message, Span.point(*line_column(text, deep)))]
        )
    data = text.encode("utf-8")
    root = parse(data).root_node
    reader = HclReader(text, root, {}, lambda: module_variables(path, var_files))
    problems: list[LoadProblem] = []
    refused = refused_character(data, root)
    if root.has_error:
        error = _first_error(root)
        if refused is None or error.start_byte <= refused[0]:
            message, span = _error_problem(reader, error)
            problems.append(LoadProblem("IN001", message, span))
    if refused is not None and not problems:
        line, column = line_column(text, reader.char(refused[0]))
        problems.append(LoadProblem("IN001", f"syntax error: {refused[1]}", Span.point(line, column)))
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
