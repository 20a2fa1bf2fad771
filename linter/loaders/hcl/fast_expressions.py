"""The fast HCL reader's expressions: literals, tuples, objects, references and function calls.

Blocks are read in linter/loaders/hcl/fast.py, which says what this reader reads and why.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from linter.loaders.hcl.values import IDENTITY_FUNCTIONS, heredoc_value, number, quoted_value
from linter.loaders.hcl.variables import ModuleVariables
from linter.model import Unresolved
from linter.model.source import escape_pointer

__all__ = ["BLANK", "BLANK_PART", "IDENTIFIER", "SPACE", "SPACE_PART", "STRING", "Decline", "ExpressionReader"]

# Blanks and comments within a line (SPACE), and across lines (BLANK). Every repeated group in these
# patterns is possessive (`*+`): a plain `*` over a group keeps a backtracking entry per repetition (a file of
# 125,000 comment lines held 100 times its size), and nothing after any of them could use one given back.
SPACE_PART = r"(?:[ \t\r]+|#[^\n]*|//[^\n]*|/\*.*?\*/)"
BLANK_PART = r"(?:[ \t\r\n]+|#[^\n]*|//[^\n]*|/\*.*?\*/)"
SPACE = re.compile(SPACE_PART + "*+", re.DOTALL)
BLANK = re.compile(BLANK_PART + "*+", re.DOTALL)
IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_-]*")
# A quoted string without template sequences, and with only the escapes HCL defines.
STRING = re.compile(r'"((?:[^"\\\n$%]|\\(?:[nrt"\\]|u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8})|[$%](?!\{))*+)"')
# BLANK, then a comma and BLANK again when there is one: a collection item's separator in one match.
_SEPARATOR = re.compile(BLANK_PART + "*+(," + BLANK_PART + "*+)?", re.DOTALL)
# tree-sitter-hcl takes an exponent only after a fraction (`1.5e3`, not `1e3`): so does this reader.
_NUMBER = re.compile(r"[0-9]+(?:\.[0-9]+(?:[eE][+-]?[0-9]+)?)?")
_ACCESSOR = re.compile(r"\.[A-Za-z_][A-Za-z0-9_-]*|\.[0-9]+|\[[0-9]+\]|\[\"[^\"\\\n$%]*\"\]|\.\*|\[\*\]")
_KEYWORDS = {"true": True, "false": False, "null": None}
# A heredoc's opening, `<<NAME` or `<<-NAME`, ending its line: the only opening this reader reads.
_HEREDOC_OPENING = re.compile(r"<<(-?)([A-Za-z_][A-Za-z0-9_-]*)\n")


class Decline(Exception):
    """The file holds something this reader does not read exactly: use tree-sitter."""


class ExpressionReader:
    """Reads expressions of one file's text, recording offsets and string spans keyed by JSON pointer."""

    def __init__(self, text: str, module: Callable[[], ModuleVariables] | None = None) -> None:
        self.text = text
        self._module = module
        self._variables: ModuleVariables | None = None
        self.defaults: dict[str, Any] = {}
        self.offsets: dict[str, tuple[int, int]] = {}
        # pointer -> (0 quoted, content start, content end), as HclReader records them
        self.strings: dict[str, tuple[int, int, int]] = {}
        # (start, end) of the text of each heredoc read: where a form feed or a vertical tab is plain text
        self.heredoc_bodies: list[tuple[int, int]] = []

    def _value(self, position: int, pointer: str | None) -> tuple[Any, int]:
        """The value of the expression starting at position, and the offset just past it."""
        text = self.text
        first = text[position : position + 1]
        if first == '"':
            match = STRING.match(text, position)
            if match is None:
                raise Decline
            end = match.end()
            raw = match.group(1)
            value: Any = raw if "\\" not in raw else quoted_value(text, position + 1, end - 1)
            if pointer is not None:
                self.strings[pointer] = (0, position + 1, end - 1)
        elif first == "<":
            value, end = self._heredoc(position, pointer)
        elif first == "[":
            value, end = self._tuple(position, pointer)
        elif first == "{":
            value, end = self._object(position, pointer)
        elif first == "-" or first.isdigit():
            match = _NUMBER.match(text, position + (first == "-"))
            if match is None:
                raise Decline
            end = match.end()
            value = -number(match.group()) if first == "-" else number(match.group())
        else:
            match = IDENTIFIER.match(text, position)
            if match is None:
                raise Decline
            end = match.end()
            name = match.group()
            if text.startswith("(", end):
                return self._call(position, name, end + 1, pointer)
            if name in _KEYWORDS and not text.startswith((".", "["), end):
                value = _KEYWORDS[name]
            else:
                value, end = self._reference(position, name, end)
        if pointer is not None:
            self.offsets[pointer] = (position, end)
        return value, end

    def _heredoc(self, start: int, pointer: str | None) -> tuple[str, int]:
        """A heredoc of plain text: no interpolation or directive (not even an escaped one), and a closing
        line that nothing before it could be taken for."""
        text = self.text
        opening = _HEREDOC_OPENING.match(text, start)
        if opening is None:
            raise Decline
        flush, name = opening.group(1) == "-", opening.group(2)
        body_start = opening.end()
        # The first line that starts, after any white space (a form feed too), with the name: it must be the
        # closing line as Terraform's scanner reads it, spaces or tabs, the name and the line's end.
        closing = re.compile(r"^[^\S\n]*" + re.escape(name), re.MULTILINE).search(text, body_start)
        if closing is None or closing.group().lstrip(" \t") != name or not text.startswith("\n", closing.end()):
            raise Decline
        body_end = closing.start()
        if text.find("${", body_start, body_end) != -1 or text.find("%{", body_start, body_end) != -1:
            raise Decline
        self.heredoc_bodies.append((body_start, body_end))
        if pointer is not None:
            self.strings[pointer] = (2 if flush else 1, body_start, body_end)
        return heredoc_value(text, body_start, body_end, flush), closing.end()

    def _reference(self, start: int, name: str, end: int) -> tuple[Any, int]:
        """`var.x` is its value when the module directory declares it; other references stay unresolved."""
        text = self.text
        accessors = []
        while (match := _ACCESSOR.match(text, end)) is not None:
            accessors.append(match.group())
            end = match.end()
        if name == "var" and len(accessors) == 1 and accessors[0][1:2].isidentifier():
            declared, default = self._default(accessors[0][1:])
            if declared:
                return default, end
        return Unresolved(text[start:end]), end

    def _default(self, name: str) -> tuple[bool, Any]:
        """(known, value) of `var.name`: what the variable files assign, else this file's default, else the
        module directory's."""
        if self._module is None:
            return name in self.defaults, self.defaults.get(name)
        if self._variables is None:
            self._variables = self._module()
        return self._variables.value(name, self.defaults)

    def _tuple(self, start: int, pointer: str | None) -> tuple[list[Any], int]:
        text = self.text
        items: list[Any] = []
        position = BLANK.match(text, start + 1).end()  # type: ignore[union-attr]
        while not text.startswith("]", position):
            item_pointer = None if pointer is None else f"{pointer}/{len(items)}"
            item, position = self._value(position, item_pointer)
            items.append(item)
            position = self._separator(position, "]")
        return items, position + 1

    def _separator(self, position: int, closing: str) -> int:
        """Past the comma after a collection item; at the closing bracket when there is none."""
        match = _SEPARATOR.match(self.text, position)
        if match.group(1) is None and not self.text.startswith(closing, match.end()):  # type: ignore[union-attr]
            raise Decline
        return match.end()  # type: ignore[union-attr]

    def _object(self, start: int, pointer: str | None) -> tuple[dict[str, Any], int]:
        text = self.text
        result: dict[str, Any] = {}
        position = BLANK.match(text, start + 1).end()  # type: ignore[union-attr]
        while not text.startswith("}", position):
            match = STRING.match(text, position)
            if match is not None:
                raw = match.group(1)
                key = raw if "\\" not in raw else quoted_value(text, position + 1, match.end() - 1)
            else:
                match = IDENTIFIER.match(text, position)
                if match is None:
                    raise Decline
                key = match.group()
            position = SPACE.match(text, match.end()).end()  # type: ignore[union-attr]
            if not text.startswith(("=", ":"), position) or text.startswith("==", position):
                raise Decline
            position = SPACE.match(text, position + 1).end()  # type: ignore[union-attr]
            value_pointer = None if pointer is None else f"{pointer}/{escape_pointer(key)}"
            result[key], position = self._value(position, value_pointer)
            position = SPACE.match(text, position).end()  # type: ignore[union-attr]
            if text.startswith(",", position):
                position += 1
            elif not text.startswith(("\n", "}"), position):
                raise Decline
            position = BLANK.match(text, position).end()  # type: ignore[union-attr]
        return result, position + 1

    def _call(self, start: int, name: str, position: int, pointer: str | None) -> tuple[Any, int]:
        """A function call: `jsonencode(x)` and its kind are x, any other call stays unresolved."""
        text = self.text
        identity = name in IDENTITY_FUNCTIONS
        arguments: list[Any] = []
        position = BLANK.match(text, position).end()  # type: ignore[union-attr]
        while not text.startswith(")", position):
            argument, position = self._value(position, pointer if identity and not arguments else None)
            arguments.append(argument)
            position = self._separator(position, ")")
        end = position + 1
        if identity and len(arguments) != 1:
            raise Decline
        if pointer is not None:
            self.offsets[pointer] = (start, end)
        return (arguments[0] if identity else Unresolved(text[start:end])), end
