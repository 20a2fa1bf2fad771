"""tree-sitter-hcl, guarded for hostile text, and the syntax Terraform refuses that tree-sitter-hcl accepts.

Every HCL file entralint parses with tree-sitter (`.tf` and `.tofu` files, variable files) goes through
`parse` after `too_deep`: the guards below keep tree-sitter-hcl linear in time and memory.
"""

from __future__ import annotations

import functools
import itertools
import re
from typing import Any

__all__ = ["MAX_NESTING", "lone_carriage_return", "parse", "too_deep"]


@functools.cache
def _parser() -> Any:
    import tree_sitter_hcl
    from tree_sitter import Language, Parser

    return Parser(Language(tree_sitter_hcl.language()))


# tree-sitter-hcl's error recovery costs the square of a run of white space that follows a syntax error
# (`a` and 20,000 spaces: 10 s). Such runs are parsed without their middle (see parse).
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


def parse(data: bytes) -> Any:
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


_QUOTED = ("string_lit", "quoted_template")
_INVALID_CHARACTER = '(Terraform: "Invalid character")'


def lone_carriage_return(data: bytes, root: Any) -> tuple[int, str] | None:
    """The byte offset of the first CR outside a comment in data (its CRLFs made LF), and what Terraform says of it.

    Terraform's scanner (hashicorp/hcl, hclsyntax/scan_tokens.rl) ends a line only at LF or CRLF, and takes
    a lone CR only inside a comment: in a quoted string it is "Invalid multi-line string", between tokens
    "Invalid character" (white space is only space and tab), and in a heredoc it stops the scanner.
    tree-sitter-hcl reads it as white space everywhere (and drops it from a string's edges), so this is
    asked of every file it reads without a syntax error.
    """
    position = data.find(b"\r")
    while position != -1:
        node = root.descendant_for_byte_range(position, position + 1)
        if node is None or node.type != "comment":
            while node is not None and node.type not in (*_QUOTED, "heredoc_template"):
                node = node.parent
            if node is None:
                return position, f"a carriage return without a line feed outside a comment {_INVALID_CHARACTER}"
            if node.type == "heredoc_template":
                return position, f"a carriage return without a line feed in a heredoc {_INVALID_CHARACTER}"
            return position, 'a carriage return inside a quoted string (Terraform: "Invalid multi-line string")'
        # The rest of this comment may hold any number of CRs: look past it.
        position = data.find(b"\r", max(node.end_byte, position + 1))
    return None
