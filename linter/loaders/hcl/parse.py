"""tree-sitter-hcl, guarded for hostile text, and the syntax Terraform refuses that tree-sitter-hcl accepts.

Every HCL file entralint parses with tree-sitter (`.tf` and `.tofu` files, variable files) goes through
`parse` after `too_deep`: the guards below keep tree-sitter-hcl linear in time and memory.
"""

from __future__ import annotations

import bisect
import functools
import itertools
import re
from typing import Any

__all__ = ["MAX_NESTING", "parse", "refused_character", "too_deep"]


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


# Where a character lies, from the nearest of these around it.
_CONTEXTS = frozenset(
    {"comment", "string_lit", "quoted_template", "heredoc_template", "template_interpolation", "template_directive"}
)
_STRINGS = frozenset({"string_lit", "quoted_template", "heredoc_template"})
_SEQUENCES = ("template_interpolation", "template_directive")
# What tree-sitter-hcl reads as white space and Terraform's scanner does not: a lone CR (CRLF is LF by now),
# a vertical tab and a form feed.
_SUSPECT = re.compile(rb"[\r\x0b\x0c]")
_NAMES = {0x0D: "a carriage return without a line feed", 0x0B: "a vertical tab", 0x0C: "a form feed"}
_INVALID_CHARACTER = '(Terraform: "Invalid character")'


def refused_character(data: bytes, root: Any) -> tuple[int, str] | None:
    """The byte offset of the first character of data (its CRLFs made LF) that Terraform's scanner refuses
    where tree-sitter-hcl reads white space, and what Terraform says of it.

    Terraform's scanner (hashicorp/hcl, hclsyntax/scan_tokens.rl) ends a line only at LF or CRLF, and its
    white space between tokens is space and tab. A lone CR is taken only inside a comment: in a quoted
    string it is "Invalid multi-line string", in a heredoc and between tokens "Invalid character". A form
    feed or a vertical tab is taken inside a comment, a string or a heredoc, and "Invalid character"
    between tokens. tree-sitter-hcl reads all three as white space (dropping them from a string's edges),
    so this is asked of every file it reads.
    """
    if b"\r" not in data and b"\x0b" not in data and b"\x0c" not in data:  # far faster than the search
        return None
    sequences: dict[int, list[int]] = {}  # a template's interpolations and directives: where each starts
    match = _SUSPECT.search(data)
    while match is not None:
        position = match.start()
        node = root.descendant_for_byte_range(position, position + 1)
        while node is not None and node.type not in _CONTEXTS:
            node = node.parent
        kind = node.type if node is not None else ""
        name = _NAMES[data[position]]
        if kind in _STRINGS and data[position] == 0x0D:
            if kind == "heredoc_template":
                return position, f"{name} in a heredoc {_INVALID_CHARACTER}"
            return position, 'a carriage return inside a quoted string (Terraform: "Invalid multi-line string")'
        if kind not in _STRINGS and kind != "comment":
            return position, f"{name} between tokens {_INVALID_CHARACTER}"
        # Comments, and a string's text up to its next interpolation or directive, hold no tokens: look past
        # them (any number of these characters may be inside), stopping at a CR in a string.
        if node is not None and kind == "comment":
            resume = node.end_byte
        elif node is not None and kind in _STRINGS:
            starts = sequences.get(node.id)
            if starts is None:
                starts = sequences[node.id] = [child.start_byte for child in node.children if child.type in _SEQUENCES]
            index = bisect.bisect_right(starts, position)
            stop = starts[index] if index < len(starts) else node.end_byte
            carriage_return = data.find(b"\r", position, stop)
            resume = stop if carriage_return == -1 else carriage_return
        else:
            resume = position + 1
        match = _SUSPECT.search(data, max(resume, position + 1))
    return None
