"""PowerShell values read from tokens: literals, arrays, hashtables, casts; anything computed stays `Unresolved`."""

from __future__ import annotations

import functools
import re
from array import array
from collections.abc import Sequence
from typing import Any

from linter.loaders.powershell.tokens import KINDS, Token, TokenList
from linter.model import Unresolved
from linter.model.source import join_pointer

__all__ = ["END", "Node", "Parser", "Unreadable", "record_positions"]

END = {"newline", ";", "|", ")", "}", "eof"}
# Integer literals in expression mode (`Value = 8`, `-Value 0x10` is rare enough to stay unresolved).
_INTEGER = re.compile(r"[+-]?[0-9]+")
_OPENERS = frozenset(("(", "@(", "$(", "@{", "{", "["))
_CLOSERS = frozenset((")", "}", "]"))
_MAX_NESTING = 100  # arrays in hashtables in arrays...: deeper than any script, shallow enough for the stack
# Kinds as the token list stores them (their index in KINDS): the parser reads the list's columns.
_STRING, _WORD, _NEWLINE = KINDS.index("string"), KINDS.index("word"), KINDS.index("newline")
_COMMA, _EQUALS, _CLOSE_PAREN, _CLOSE_BRACE = (KINDS.index(kind) for kind in ",=)}")
_ARRAY, _HASHTABLE = KINDS.index("@("), KINDS.index("@{")
_STATEMENT_BREAKS = frozenset((_NEWLINE, KINDS.index(";")))
_KEYS = frozenset((_WORD, _STRING))


class Node:
    """A parsed value: plain data in `value` (lists and dicts of nodes), with where it is written."""

    __slots__ = ("chars", "end", "start", "value")

    def __init__(self, value: Any, start: int, end: int, chars: Sequence[int] = ()) -> None:
        self.value = value
        self.start = start
        self.end = end
        self.chars = chars  # per-character offsets of a literal string, plus its end


class Unreadable(Exception):
    """Why a value cannot be read out as a tree; the message is the reason."""


class Parser:
    """Reads values and cmdlet calls out of a token list; assignments are remembered for `$var` lookups."""

    __slots__ = (
        "_closers",
        "_codes",
        "_count",
        "_ends",
        "_starts",
        "depth",
        "errors",
        "expansion_budget",
        "text",
        "tokens",
        "variables",
    )

    def __init__(self, text: str, tokens: TokenList) -> None:
        self.text = text
        self.tokens = tokens
        self._codes = tokens.kind_codes()
        self._count = len(tokens)
        self._starts, self._ends = tokens.spans()
        self.variables: dict[str, Node] = {}
        self.errors: list[Token] = []
        self.depth = 0
        self._closers: dict[int, int] | None = None
        # Values read out as trees, for the whole file: a variable is one node wherever it is used, and
        # `$a2 = @($a1, $a1)`, `$a3 = @($a2, $a2)`, ... doubles the tree per line (as YAML aliases do).
        self.expansion_budget = 4 * len(text) + 100_000

    def kind(self, index: int) -> str:
        return KINDS[self._codes[index]] if index < self._count else "eof"

    def skip_newlines(self, index: int) -> int:
        codes, count = self._codes, self._count
        while index < count and codes[index] in _STATEMENT_BREAKS:
            index += 1
        return index

    def _word(self, index: int) -> str:
        return self.text[self._starts[index] : self._ends[index]]

    def _string(self, index: int) -> Node:
        """The string token at index as a value, read from the token list's columns (no `Token` built)."""
        start, end = self._starts[index], self._ends[index]
        value, chars, interpolated = self.tokens.string(index)
        if interpolated:
            return Node(Unresolved(self.text[start:end]), start, end)
        return Node(value, start, end, chars)

    def unresolved_until(self, start: int, index: int) -> tuple[Node, int]:
        """An opaque expression: skip to its closing bracket and keep its source text."""
        while index < len(self.tokens):
            kind = self.kind(index)
            if kind in _OPENERS:
                # Jump over the bracketed part: counting depth token by token made every line with an
                # unclosed bracket scan to the end of the file (quadratic).
                index = min(self.matching(index) + 1, len(self.tokens))
                continue
            if kind in _CLOSERS or kind in END or kind in (",", "parameter"):
                break
            index += 1
        last = self.tokens[max(index - 1, start)]
        first = self.tokens[start].start
        return Node(Unresolved(self.text[first : last.end].strip()), first, last.end), max(index, start + 1)

    def expression(self, index: int, argument: bool) -> tuple[Node, int]:
        """A value, or a comma list of values (an array)."""
        node, index = self.primary(index, argument)
        if index >= self._count or self._codes[index] != _COMMA:
            return node, index
        items = [node]
        while self.kind(index) == ",":
            item, index = self.primary(self.skip_newlines(index + 1), argument)
            items.append(item)
        return Node(items, items[0].start, items[-1].end), index

    def primary(self, index: int, argument: bool) -> tuple[Node, int]:
        if self.depth >= _MAX_NESTING and index < len(self.tokens):
            token = self.tokens[index]
            self.errors.append(Token("error", token.text, token.start, token.end, "values nested too deeply to read"))
            return Node(None, token.start, token.end), len(self.tokens)
        if index < self._count and self._codes[index] == _STRING:  # most values: one token, nothing nested
            return self._string(index), index + 1
        self.depth += 1
        try:
            return self._primary(index, argument)
        finally:
            self.depth -= 1

    def _primary(self, index: int, argument: bool) -> tuple[Node, int]:
        if index >= self._count:
            return Node(None, len(self.text), len(self.text)), index
        code = self._codes[index]
        if code == _ARRAY:
            return self.array(index)
        if code == _HASHTABLE:
            return self.hashtable(index)
        token = self.tokens[index]
        if token.kind == "error":
            self.errors.append(token)
            return Node(None, token.start, token.end), index + 1
        if token.kind == "variable":
            following = self.tokens[index + 1] if index + 1 < len(self.tokens) else None
            if following is not None and following.kind == "word" and following.start == token.end:
                # Member access (`$group.Id`, `$ConfigurationData.NonNodeData.X`): computed at run time.
                text = self.text[token.start : following.end]
                return Node(Unresolved(text), token.start, following.end), index + 2
            if following is not None and following.kind == "[" and following.start == token.end:
                # An index (`$groups['Admins']`): computed at run time.
                close = min(self.matching(index + 1), len(self.tokens) - 1)
                end = self.tokens[close].end
                return Node(Unresolved(self.text[token.start : end]), token.start, end), close + 1
            return self.variable(token), index + 1
        if token.kind == "[":  # a cast such as [string[]] or [bool]: the value follows it
            close = self.matching(index)
            if close + 1 < len(self.tokens) and self.kind(close + 1) not in END:
                return self.primary(close + 1, argument)
        if token.kind == "(":
            inner, after = self.expression(self.skip_newlines(index + 1), argument=False)
            after = self.skip_newlines(after)
            if self.kind(after) == ")":
                return inner, after + 1
        if token.kind == "word" and _INTEGER.fullmatch(token.value):
            return Node(int(token.value), token.start, token.end), index + 1
        if token.kind == "word" and argument:
            return Node(token.value, token.start, token.end, token.chars), index + 1
        return self.unresolved_until(index, index + 1)

    def variable(self, token: Token) -> Node:
        name = token.value.lower()
        if name in ("true", "false"):
            return Node(name == "true", token.start, token.end)
        if name == "null":
            return Node(None, token.start, token.end)
        return self.variables.get(name) or Node(Unresolved(token.text), token.start, token.end)

    def read_out(self, node: Node) -> tuple[Any, int]:
        """The plain data of `node` (new containers) and how many values it holds, in one walk.

        Raises `Unreadable` when it holds itself (`$p.Conditions.X = $p`), nests deeper than a script can
        write, or its variables expand past the file's budget, which it spends a value at a time.
        """
        budget_before = self.expansion_budget
        plain = self._read_out(node, 1, set())
        return plain, budget_before - self.expansion_budget

    def _read_out(self, node: Node, depth: int, on_path: set[int]) -> Any:
        # Children are visited last first, so that the first problem met and the budget spent before it
        # are those of a depth-first walk with a stack.
        if id(node) in on_path:
            raise Unreadable("a value contains itself")
        if depth > _MAX_NESTING:
            raise Unreadable("values nested too deeply to read")
        self.expansion_budget -= 1
        if self.expansion_budget < 0:
            raise Unreadable("variables expand to too many values")
        value = node.value
        if isinstance(value, list):
            if not value:
                return []
            on_path.add(id(node))
            items = [self._read_out(item, depth + 1, on_path) for item in reversed(value)]
            on_path.discard(id(node))
            items.reverse()
            return items
        if isinstance(value, dict):
            if not value:
                return {}
            on_path.add(id(node))
            keys = list(value)
            read = [self._read_out(value[key], depth + 1, on_path) for key in reversed(keys)]
            on_path.discard(id(node))
            read.reverse()
            return dict(zip(keys, read, strict=True))
        return value

    def matching(self, index: int) -> int:
        """The index of the bracket closing the opener at index (of any kind), or len(tokens) when none does."""
        if self._closers is None:
            # Found for every opener in one pass: a search per opener is quadratic over unclosed brackets.
            closers: dict[int, int] = {}
            open_at = array("I" if len(self.tokens) < 1 << 32 else "q")  # `((((` is an opener per byte
            tokens = self.tokens
            for position in range(len(tokens)):
                kind = tokens.kind(position)
                if kind in _OPENERS:
                    open_at.append(position)
                elif kind in _CLOSERS and open_at:
                    closers[open_at.pop()] = position
            self._closers = closers
        return self._closers.get(index, len(self.tokens))

    def array(self, index: int) -> tuple[Node, int]:
        start = self._starts[index]
        items: list[Node] = []
        codes, count = self._codes, self._count
        index = self.skip_newlines(index + 1)
        while index < count and codes[index] != _CLOSE_PAREN:
            item, after = self.expression(index, argument=False)
            items.extend(item.value if isinstance(item.value, list) else [item])
            index = self.skip_newlines(after if after > index else index + 1)
        if index >= count:
            self.errors.append(Token("error", "@(", start, start + 2, "unclosed array @( ... )"))
            return Node(items, start, len(self.text)), index
        return Node(items, start, self._ends[index]), index + 1

    def hashtable(self, index: int) -> tuple[Node, int]:
        start = self._starts[index]
        entries: dict[str, Node] = {}
        codes, count = self._codes, self._count
        index = self.skip_newlines(index + 1)
        while index < count and codes[index] != _CLOSE_BRACE:
            code = codes[index]
            if code in _KEYS and index + 1 < count and codes[index + 1] == _EQUALS:
                key = self.tokens.string(index)[0] if code == _STRING else self._word(index)
                value, index = self.expression(self.skip_newlines(index + 2), argument=False)
                entries[key] = value
            else:
                index += 1
            index = self.skip_newlines(index)
        if index >= count:
            self.errors.append(Token("error", "@{", start, start + 2, "unclosed hashtable @{ ... }"))
            return Node(entries, start, len(self.text)), index
        return Node(entries, start, self._ends[index]), index + 1

    def arguments(self, index: int) -> tuple[dict[str, Node], int]:
        """Named arguments of a command up to the end of its statement; splatted hashtables merged in."""
        found: dict[str, Node] = {}
        while self.kind(index) not in END:
            token = self.tokens[index]
            if token.kind == "splat":
                splatted = self.variables.get(token.value.lower())
                if splatted is not None and isinstance(splatted.value, dict):
                    found.update((key.lower(), value) for key, value in splatted.value.items())
                index += 1
            elif token.kind == "parameter":
                name = token.value.lower()
                if token.colon or self.kind(index + 1) not in END | {"parameter"}:
                    found[name], index = self.expression(index + 1, argument=True)
                else:  # a switch: -IsOrganizationDefault alone means $true
                    found[name], index = Node(True, token.start, token.end), index + 1
            else:
                _, index = self.expression(index, argument=True)
        return found, index


def _decoded(value: str, chars: Sequence[int]) -> tuple[str, list[int]]:
    return value, list(chars)


def record_positions(
    text: str, node: Node, pointer: str, offsets: dict[str, tuple[int, int]], strings: dict[str, Any]
) -> None:
    offsets[pointer] = (node.start, node.end)
    if node.chars and isinstance(node.value, str):
        # A partial, not a lambda: documents cross process boundaries under --jobs and must pickle.
        strings[pointer] = functools.partial(_decoded, node.value, node.chars)
    if isinstance(node.value, list):
        for number, item in enumerate(node.value):
            record_positions(text, item, join_pointer(pointer, number), offsets, strings)
    elif isinstance(node.value, dict):
        for key, item in node.value.items():
            record_positions(text, item, join_pointer(pointer, key), offsets, strings)
