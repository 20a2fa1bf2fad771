"""Where a file's comments are, as its format's own tokenizer reads them: libyaml's scanner for YAML,
tree-sitter-hcl for Terraform, entralint's PowerShell tokenizer. Text inside strings, heredocs and block
scalars is never a comment, however much it looks like one (`displayName: "Block DCF # entralint: ..."`)."""

from __future__ import annotations

import bisect
from collections.abc import Sequence

__all__ = ["in_comments"]


def in_comments(text: str, source_format: str, offsets: Sequence[int]) -> list[bool]:
    """For each character offset of text (ascending), whether the format's tokenizer reads it as comment text.

    Formats without comments (JSON), and text past a point the tokenizer could not read, answer False.
    """
    if not offsets:
        return []
    if source_format.endswith("-yaml"):
        covered, readable = _yaml_tokens(text)
        return _outside([start for start, _ in covered], [end for _, end in covered], readable, offsets)
    if source_format == "powershell":
        from linter.loaders.powershell.tokens import tokenize

        tokens = tokenize(text)
        # An unterminated string or comment runs to the end as an error token: nothing after it is a comment.
        return _outside(*tokens.spans(), len(text), offsets)
    if source_format == "terraform-hcl":
        return _hcl_comments(text, offsets)
    return [False] * len(offsets)


def _outside(starts: Sequence[int], ends: Sequence[int], readable: int, offsets: Sequence[int]) -> list[bool]:
    """Offsets before `readable` and inside no token: in these formats, only comment text lies between tokens.

    `starts` and `ends`: the tokens' spans, in order."""
    answers = []
    for offset in offsets:
        index = bisect.bisect_right(starts, offset) - 1
        inside = index >= 0 and starts[index] <= offset < ends[index]
        answers.append(offset < readable and not inside)
    return answers


def _yaml_tokens(text: str) -> tuple[list[tuple[int, int]], int]:
    """Every token's character span (scalars of every style included), and how far the scanner read."""
    import yaml

    from linter.loaders.positions import line_end_offsets

    loader_class = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    line_ends = line_end_offsets(text)

    def offset(mark: yaml.Mark) -> int:
        # Line and column, not index: libyaml's index counts what it was fed, these count characters.
        line = min(mark.line, len(line_ends))
        return (line_ends[line - 1] + 1 if line else 0) + mark.column

    covered: list[tuple[int, int]] = []
    loader = loader_class(text)
    try:
        while loader.check_token():
            token = loader.get_token()
            start, end = offset(token.start_mark), offset(token.end_mark)
            if end > start:
                covered.append((start, end))
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        return covered, offset(mark) if mark is not None else 0
    finally:
        loader.dispose()
    return covered, len(text)


def _hcl_comments(text: str, offsets: Sequence[int]) -> list[bool]:
    """Whether each offset lies in a tree-sitter-hcl `comment` node (`#`, `//` or `/* */`).

    Parsed under the reader's guards (linter.loaders.hcl.parse); a file too deep to read has no comments.
    """
    from tree_sitter import Query, QueryCursor

    from linter.loaders.hcl.parse import parse, too_deep

    if too_deep(text) is not None:
        return [False] * len(offsets)
    tree = parse(text.encode("utf-8"))
    root = tree.root_node
    captures = QueryCursor(Query(tree.language, "(comment) @comment")).captures(root)
    spans = sorted((node.start_byte, node.end_byte) for node in captures.get("comment", []))
    starts = [start for start, _ in spans]
    # Character offsets to UTF-8 byte offsets, counted once along the text: offsets come in order.
    answers, counted, byte_offset = [], 0, 0
    for offset in offsets:
        byte_offset += len(text[counted:offset].encode("utf-8"))
        counted = offset
        index = bisect.bisect_right(starts, byte_offset) - 1
        answers.append(index >= 0 and spans[index][0] <= byte_offset < spans[index][1])
    return answers
