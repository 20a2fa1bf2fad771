"""HCL string literals decoded with each character's offset, numbers, and the positions the readers record.

Both readers (linter/loaders/hcl/fast.py and the tree-sitter one, linter/loaders/hcl/tree.py) use them.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from linter.loaders.positions import PositionIndex

__all__ = [
    "IDENTITY_FUNCTIONS",
    "HclPositions",
    "decode_heredoc",
    "decode_quoted",
    "heredoc_value",
    "number",
    "quoted_value",
]

# Terraform's string escapes, plus the `$${` / `%%{` that keep a template sequence literal.
_ESCAPE = re.compile(r"\\(?:u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|.)|\$\$\{|%%\{", re.DOTALL)
_SIMPLE = {"n": "\n", "r": "\r", "t": "\t", '"': '"', "\\": "\\"}
_TEMPLATE_ESCAPE = re.compile(r"\$\$\{|%%\{")
_LINES = re.compile(r"[^\n]*\n|[^\n]+")
# The spaces and tabs that start a line holding more than white space (str.strip's white space, as `\S` is).
_INDENT = re.compile(r"^[ \t]*+(?=[^\n]*?\S)", re.MULTILINE)
# `<<-` heredocs are cut this many characters at a time, at a line end: re.sub keeps a piece per line.
_CUT_CHUNK = 65_536
# Functions whose result is their literal argument, as entralint reads values.
IDENTITY_FUNCTIONS = frozenset({"jsonencode", "tolist", "toset", "tomap"})


def _unescape(escape: str) -> str:
    if escape[0] != "\\":
        return escape[1:]
    if escape[1] in "uU":
        return chr(int(escape[2:], 16))
    return _SIMPLE.get(escape[1], escape)


def decode_quoted(text: str, start: int, end: int) -> tuple[str, list[int]]:
    """The value of the quoted-string content text[start:end], each character's offset, and the end offset."""
    chars: list[str] = []
    offsets: list[int] = []
    position = start
    for match in _ESCAPE.finditer(text, start, end):
        chars.extend(text[position : match.start()])
        offsets.extend(range(position, match.start()))
        decoded = _unescape(match.group())
        chars.append(decoded)
        offsets.extend([match.start()] * len(decoded))
        position = match.end()
    chars.extend(text[position:end])
    offsets.extend(range(position, end))
    offsets.append(end)  # just past the last character, as linter.model.jsonscan.json_string_offsets does
    return "".join(chars), offsets


# Pieces joined at a time while decoding: a list of every piece of an escape-dense string costs ~60 bytes each.
_PIECES_PER_JOIN = 4_096


def quoted_value(text: str, start: int, end: int) -> str:
    """decode_quoted's value without its offsets."""
    joined: list[str] = []
    pieces: list[str] = []
    position = start
    for match in _ESCAPE.finditer(text, start, end):
        pieces.append(text[position : match.start()])
        pieces.append(_unescape(match.group()))
        position = match.end()
        if len(pieces) >= _PIECES_PER_JOIN:
            joined.append("".join(pieces))
            pieces.clear()
    pieces.append(text[position:end])
    joined.append("".join(pieces))
    return "".join(joined)


def decode_heredoc(text: str, start: int, end: int, flush: bool) -> tuple[str, list[int]]:
    """A heredoc's content (text[start:end], whole lines); `<<-` strips the common indentation."""
    # Lines end at LF only, as tree-sitter-hcl's and Terraform's scanners end them (str.splitlines also
    # splits at CR, form feed, NEL and more).
    lines = _LINES.findall(text, start, end)
    indent = 0
    if flush:
        widths = [len(line) - len(line.lstrip(" \t")) for line in lines if line.strip()]
        indent = min(widths, default=0)
    chars: list[str] = []
    offsets: list[int] = []
    position = start
    for line in lines:
        cut = min(indent, len(line) - len(line.lstrip(" \t")))
        body_start = position + cut
        body_end = position + len(line)
        cursor = body_start
        for match in _TEMPLATE_ESCAPE.finditer(text, body_start, body_end):
            chars.extend(text[cursor : match.start()])
            offsets.extend(range(cursor, match.start()))
            chars.append(match.group()[1:])
            offsets.extend([match.start()] * 2)
            cursor = match.end()
        chars.extend(text[cursor:body_end])
        offsets.extend(range(cursor, body_end))
        position = body_end
    offsets.append(end)
    return "".join(chars), offsets


def heredoc_value(text: str, start: int, end: int, flush: bool) -> str:
    """decode_heredoc's value without its offsets: a slice of text, cut a chunk at a time when indented.

    Memory stays near the heredoc's size; a list of characters and one of offsets cost ~60 bytes a character.
    """
    indent = _flush_indent(text, start, end) if flush else 0
    if not indent:
        return _unescape_template(text[start:end])
    cut = re.compile(f"^[ \t]{{0,{indent}}}", re.MULTILINE)
    pieces: list[str] = []
    position = start
    while position < end:
        stop = text.find("\n", min(position + _CUT_CHUNK, end) - 1, end) + 1 or end
        pieces.append(_unescape_template(cut.sub("", text[position:stop])))
        position = stop
    return "".join(pieces)


def _flush_indent(text: str, start: int, end: int) -> int:
    """What `<<-` cuts from each line: the fewest spaces and tabs that start a line holding more than them."""
    return min((len(match.group()) for match in _INDENT.finditer(text, start, end)), default=0)


def _unescape_template(body: str) -> str:
    if "$${" not in body and "%%{" not in body:
        return body
    return _TEMPLATE_ESCAPE.sub(lambda escape: escape.group()[1:], body)


class HclPositions(PositionIndex):
    """Offsets recorded while reading; string values decoded again, with offsets, only when asked."""

    def __init__(
        self, text: str, offsets: dict[str, tuple[int, int]], strings: dict[str, tuple[int, int, int]]
    ) -> None:
        super().__init__(text)
        self._offsets = offsets
        self.strings = strings

    def _build(self) -> dict[str, tuple[int, int]]:
        return {}

    def string_value(self, pointer: str) -> tuple[str, Sequence[int]] | None:
        found = self.strings.get(pointer)
        if found is None:
            return None
        style, start, end = found
        text = self.text
        if style == 0:
            if _ESCAPE.search(text, start, end) is None:
                return text[start:end], range(start, end + 1)
            return decode_quoted(text, start, end)
        if _TEMPLATE_ESCAPE.search(text, start, end) is None and (style == 1 or _flush_indent(text, start, end) == 0):
            # Each character where it is written: a range, not a list of an int per character.
            return text[start:end], range(start, end + 1)
        return decode_heredoc(text, start, end, style == 2)


def number(source: str) -> int | float:
    try:
        return int(source)
    except ValueError:
        return float(source)
