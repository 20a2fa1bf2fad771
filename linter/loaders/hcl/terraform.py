"""Terraform HCL (`*.tf`): resource bodies in Terraform JSON form, with positions.

Only literals are read: any other expression becomes `Unresolved(<source text>)`, except
`var.x`, which is the value Terraform gives the variable its module directory declares
(`linter.loaders.hcl.variables`: its default, or what the variable files assign).
Plain files are read by `linter/loaders/hcl/fast.py` (the fast path: regular expressions, which decline
anything they do not read exactly); tree-sitter (`linter/loaders/hcl/tree.py`) reads the rest, and is the
plain reading both are held to (tests/test_hcl_fast.py).
"""

from __future__ import annotations

import functools
import itertools
import re
from typing import Any

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


@functools.cache
def _parser() -> Any:
    import tree_sitter_hcl
    from tree_sitter import Language, Parser

    return Parser(Language(tree_sitter_hcl.language()))


# tree-sitter-hcl's error recovery costs the square of a run of white space that follows a syntax error
# (`a` and 20,000 spaces: 10 s). Such runs are parsed without their middle (see _parse).
_LONG_BLANK_RUN = re.compile(rb"[ \t\r\n]{128,}")


# tree-sitter-hcl spends about a kilobyte and more than linear time per level of an unclosed `${` or
# bracket (5 MB of `${`: 74 s and 5.4 GB): deeper files are refused before it reads them.
MAX_NESTING = 1_000
_BRACKET = re.compile(r"[\[\](){}]")


def too_deep(text: str) -> int | None:
    """The offset where brackets (counted anywhere, strings and comments too) open MAX_NESTING deep, if they do."""
    if text.count("{") + text.count("[") + text.count("(") <= MAX_NESTING:
        return None
    depth = 0
    for bracket in _BRACKET.finditer(text):
        if bracket.group() in "[({":
            depth += 1
            if depth > MAX_NESTING:
                return bracket.start()
        elif depth:
            depth -= 1
    return None


def _parse(data: bytes) -> Any:
    """tree-sitter's tree of data; long runs of white space keep only their first and last character and
    their first line end, left out with included ranges so that every node keeps its offsets in data."""
    if _LONG_BLANK_RUN.search(data) is None:
        return _parser().parse(data)
    from tree_sitter import Parser, Point, Range

    ranges: list[Any] = []
    row, row_start, counted = 0, 0, 0

    def point(offset: int) -> Any:
        nonlocal row, row_start, counted
        lines = data.count(b"\n", counted, offset)
        if lines:
            row += lines
            row_start = data.rfind(b"\n", counted, offset) + 1
        counted = offset
        return Point(row, offset - row_start)

    start = 0
    for run in _LONG_BLANK_RUN.finditer(data):
        line_end = data.find(b"\n", run.start(), run.end())
        kept = sorted({run.start(), run.end() - 1, line_end} - {-1})
        for left, right in itertools.pairwise(kept):
            if right > left + 1:  # left out: (left, right)
                ranges.append(Range(point(start), point(left + 1), start, left + 1))
                start = right
    ranges.append(Range(point(start), point(len(data)), start, len(data)))
    parser = Parser(_parser().language)
    parser.included_ranges = ranges
    return parser.parse(data)


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

    try:
        reader = FastHclReader(text, lambda: module_variables(path, var_files))
        resources = list(reader.resources(RESOURCE_TYPES))
    except Decline:
        return None
    return ReadResources(resources, HclPositions(text, reader.offsets, reader.strings), [])


def read_with_tree_sitter(path: str, text: str, var_files: tuple[str, ...] = ()) -> ReadResources:
    deep = too_deep(text)
    if deep is not None:
        message = f"brackets nested more than {MAX_NESTING} levels deep: entralint stops reading here"
        return ReadResources(
            [], HclPositions(text, {}, {}), [LoadProblem("IN001", message, Span.point(*line_column(text, deep)))]
        )
    tree = _parse(text.encode("utf-8"))
    root = tree.root_node
    reader = HclReader(text, root, {}, lambda: module_variables(path, var_files))
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
