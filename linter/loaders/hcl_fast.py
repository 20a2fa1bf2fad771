"""A fast reader for the plain HCL policy files are written in: blocks, literals and references.

tree-sitter-hcl parses at 2-4 MB/s (its JSON grammar does 28 MB/s on the same machine), slower than
everything else entralint does to a .tf file together. Most policy files hold nothing but blocks,
quoted strings, numbers, lists, objects, references and function calls, which regular expressions
read several times faster. This reader reads exactly those, giving the same values, offsets and
string spans as `HclReader` over a tree-sitter tree; on anything else (heredocs, templates,
operators, `for` expressions, syntax errors) it raises `Decline` and the loader
reads the file with tree-sitter. tests/test_hcl_fast.py holds the two readers to the same answers.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping
from typing import Any

from linter.loaders.hcl_values import IDENTITY_FUNCTIONS, decode_quoted, number
from linter.model import Unresolved
from linter.source import escape_pointer

__all__ = ["Decline", "FastHclReader"]

# Blanks and comments within a line (_SPACE), and across lines (_BLANK).
_SPACE_PART = r"(?:[ \t\r]+|#[^\n]*|//[^\n]*|/\*.*?\*/)"
_BLANK_PART = r"(?:[ \t\r\n]+|#[^\n]*|//[^\n]*|/\*.*?\*/)"
_SPACE = re.compile(_SPACE_PART + "*", re.DOTALL)
_BLANK = re.compile(_BLANK_PART + "*", re.DOTALL)
# _SPACE, then a line end (or the end of the text), then _BLANK: one match where _line_end made three steps.
# Possessive, so each part matches as far as the step-by-step version did.
_LINE_END = re.compile(_SPACE_PART + r"*+(?:\n|\Z)" + _BLANK_PART + "*", re.DOTALL)
# _BLANK, then a comma and _BLANK again when there is one: a collection item's separator in one match.
_SEPARATOR = re.compile(_BLANK_PART + "*+(," + _BLANK_PART + "*)?", re.DOTALL)
_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_-]*")
# A name, then `=` (not `==`) and the blanks after it (an attribute), or `{` (a block without labels):
# one match where _header made three steps. Possessive, so each part matches as far as the step it
# replaces did, and no further.
_SIMPLE_HEADER = re.compile(
    r"([A-Za-z_][A-Za-z0-9_-]*+)" + _SPACE_PART + r"*+(?:(=)(?!=)" + _SPACE_PART + r"*+|\{)", re.DOTALL
)
# The commonest attributes, each read in one match: `name = "text"` or `name = ["text", ...]`, with plain
# strings (no escapes, `$` or `%`) and nothing but white space around them, then the line's end and the
# blanks after it. Anything else (comments, escapes, other values) takes the step-by-step way.
_PLAIN_STRING = r'"[^"\\\n$%]*+"'
_PLAIN_ITEM = re.compile(r'"([^"\\\n$%]*+)"')
_PLAIN_ATTRIBUTE = re.compile(
    r'([A-Za-z_][A-Za-z0-9_-]*+)[ \t]*+=[ \t]*+(?:"([^"\\\n$%]*+)"'
    rf"|(\[[ \t\r\n]*+(?:{_PLAIN_STRING}[ \t\r\n]*+,[ \t\r\n]*+)*+(?:{_PLAIN_STRING}[ \t\r\n]*+)?\]))"
    rf"[ \t\r]*+(?:\n|\Z){_BLANK_PART}*",
    re.DOTALL,
)
# A block's type and quoted plain labels, up to its `{`: `resource "type" "name" {`.
_LABELLED_HEADER = re.compile(rf"([A-Za-z_][A-Za-z0-9_-]*+)((?:[ \t]*+{_PLAIN_STRING})++)[ \t]*+\{{")
# A quoted string without template sequences, and with only the escapes HCL defines.
_STRING = re.compile(r'"((?:[^"\\\n$%]|\\(?:[nrt"\\]|u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8})|[$%](?!\{))*)"')
# tree-sitter-hcl takes an exponent only after a fraction (`1.5e3`, not `1e3`): so does this reader.
_NUMBER = re.compile(r"[0-9]+(?:\.[0-9]+(?:[eE][+-]?[0-9]+)?)?")
_ACCESSOR = re.compile(r"\.[A-Za-z_][A-Za-z0-9_-]*|\.[0-9]+|\[[0-9]+\]|\[\"[^\"\\\n$%]*\"\]|\.\*|\[\*\]")
_KEYWORDS = {"true": True, "false": False, "null": None}
_VARIABLE_BLOCK = re.compile(r"^[ \t]*variable\b", re.MULTILINE)
_RESOURCE_LABELS = 2
Resource = tuple[str, str, dict[str, Any], str]  # type, `type.name`, body, pointer of the body


class Decline(Exception):
    """The file holds something this reader does not read exactly: use tree-sitter."""


class FastHclReader:
    """Reads one file's resource blocks, recording offsets and string spans keyed by JSON pointer."""

    def __init__(self, text: str, more_defaults: Callable[[], Mapping[str, Any]] | None = None) -> None:
        self.text = text
        self._more_defaults = more_defaults
        self.defaults: dict[str, Any] = {}
        self.offsets: dict[str, tuple[int, int]] = {}
        # pointer -> (0 quoted, content start, content end), as HclReader records them
        self.strings: dict[str, tuple[int, int, int]] = {}
        if "variable" in text and _VARIABLE_BLOCK.search(text):
            # A default may be declared after the resource that reads it: read the variables first.
            for _ in self._top_blocks(self._variable):
                pass

    def resources(self, wanted: frozenset[str]) -> Iterator[Resource]:
        """(resource type, `type.name`, body, pointer) of each top-level resource of a wanted type, in file order."""
        found: list[Resource] = []

        def resource(keyword: str, labels: list[str], start: int, position: int) -> int:
            if keyword != "resource" or len(labels) != _RESOURCE_LABELS or labels[0] not in wanted:
                return self._body(position, None)[1]
            resource_type, name = labels
            pointer = f"/resource/{resource_type}/{name}"
            body, end = self._body(position, pointer)
            self.offsets[pointer] = (start, end)
            found.append((resource_type, f"{resource_type}.{name}", body, pointer))
            return end

        for _ in self._top_blocks(resource):
            yield from found
            found.clear()

    def _variable(self, keyword: str, labels: list[str], start: int, position: int) -> int:
        if keyword != "variable" or len(labels) != 1:
            return self._body(position, None)[1]
        extents: dict[str, tuple[int, int]] = {}
        _, end = self._body(position, None, extents)
        if "default" in extents:
            # Read again, now recording where the default's values are.
            pointer = f"/variable/{escape_pointer(labels[0])}/default"
            self.defaults[labels[0]] = self._value(extents["default"][0], pointer)[0]
        return end

    def _top_blocks(self, visit: Callable[[str, list[str], int, int], int]) -> Iterator[None]:
        """Calls visit(type, labels, block start, offset past `{`) -> offset past `}` for each top-level block."""
        text = self.text
        position = _BLANK.match(text, 0).end()  # type: ignore[union-attr]
        while position < len(text):
            start = position
            keyword, labels, position = self._header(position)
            if keyword is None:  # a top-level attribute
                _, position = self._value(position, None)
            else:
                position = visit(keyword, labels, start, position)
            position = self._line_end(position)
            yield

    def _header(self, position: int) -> tuple[str | None, list[str], int]:
        """A block's type and labels up to just past its `{`; no type for an attribute (then past its `=`)."""
        text = self.text
        match = _SIMPLE_HEADER.match(text, position)
        if match is not None:
            if match.group(2) is None:
                return match.group(1), [], match.end()
            return None, [match.group(1)], match.end()
        match = _LABELLED_HEADER.match(text, position)
        if match is not None:
            return match.group(1), _PLAIN_ITEM.findall(match.group(2)), match.end()
        match = _IDENTIFIER.match(text, position)
        if match is None:
            raise Decline
        labels: list[str] = [match.group()]
        position = _SPACE.match(text, match.end()).end()  # type: ignore[union-attr]
        while not text.startswith("{", position):
            match = _STRING.match(text, position)
            if match is not None:
                raw = match.group(1)
                labels.append(raw if "\\" not in raw else decode_quoted(text, position + 1, match.end() - 1)[0])
            else:
                match = _IDENTIFIER.match(text, position)
                if match is None:
                    raise Decline
                labels.append(match.group())
            position = _SPACE.match(text, match.end()).end()  # type: ignore[union-attr]
        return labels[0], labels[1:], position + 1

    def _line_end(self, position: int) -> int:
        """Past the blanks after an attribute or a block, which must end its line."""
        match = _LINE_END.match(self.text, position)
        if match is None:
            raise Decline
        return match.end()

    def _body(
        self, position: int, pointer: str | None, extents: dict[str, tuple[int, int]] | None = None
    ) -> tuple[dict[str, Any], int]:
        """A block's attributes and nested blocks, from just past its `{` to just past its `}`.

        `extents` receives where each attribute's expression starts and ends.
        """
        text = self.text
        result: dict[str, Any] = {}
        position = _BLANK.match(text, position).end()  # type: ignore[union-attr]
        while not text.startswith("}", position):
            if position >= len(text):
                raise Decline
            line = _PLAIN_ATTRIBUTE.match(text, position)
            if line is not None:
                self._plain_attribute(line, pointer, result, extents)
                position = line.end()
                continue
            start = position
            keyword, labels, position = self._header(position)
            if keyword is None:
                name, value_start = labels[0], position
                result[name], position = self._value(position, None if pointer is None else f"{pointer}/{name}")
                if extents is not None:
                    extents[name] = (value_start, position)
            elif keyword == "dynamic":
                position = self._dynamic(start, labels, position, pointer, result)
            else:
                position = self._nested(start, keyword, labels, position, pointer, result)
            position = self._line_end(position)
        return result, position + 1

    def _plain_attribute(
        self,
        line: re.Match[str],
        pointer: str | None,
        result: dict[str, Any],
        extents: dict[str, tuple[int, int]] | None,
    ) -> None:
        """Records what `_value` and `_line_end` would have for a line `_PLAIN_ATTRIBUTE` matched."""
        name, text, items = line.group(1, 2, 3)
        if items is None:
            start, end = line.span(2)
            start, end = start - 1, end + 1
            result[name] = text
        else:
            start, end = line.span(3)
            values = result[name] = _PLAIN_ITEM.findall(self.text, start, end)
            if pointer is not None and values:
                # Each item's place from the text between items: only blanks and commas are there.
                strings, offsets = self.strings, self.offsets
                item_end = start + 1
                for index, value in enumerate(values):
                    item_start = self.text.index('"', item_end)
                    item_end = item_start + len(value) + 2
                    item_pointer = f"{pointer}/{name}/{index}"
                    strings[item_pointer] = (0, item_start + 1, item_end - 1)
                    offsets[item_pointer] = (item_start, item_end)
        if pointer is not None:
            if items is None:
                self.strings[f"{pointer}/{name}"] = (0, start + 1, end - 1)
            self.offsets[f"{pointer}/{name}"] = (start, end)
        if extents is not None:
            extents[name] = (start, end)

    def _nested(
        self, start: int, name: str, labels: list[str], position: int, pointer: str | None, result: dict[str, Any]
    ) -> int:
        if labels:
            raise Decline
        blocks = result.setdefault(name, [])
        if pointer is None or not isinstance(blocks, list):
            body, position = self._body(position, None)
            if isinstance(blocks, list):
                blocks.append(body)
            return position
        index = len(blocks)
        body, position = self._body(position, f"{pointer}/{name}/{index}")
        blocks.append(body)
        self.offsets[f"{pointer}/{name}/{index}"] = (start, position)
        if index == 0:
            self.offsets[f"{pointer}/{name}"] = (start, position)
        return position

    def _dynamic(
        self, start: int, labels: list[str], position: int, pointer: str | None, result: dict[str, Any]
    ) -> int:
        if len(labels) != 1:
            raise Decline
        name = labels[0]
        extents: dict[str, tuple[int, int]] = {}
        _, position = self._body(position, None, extents)
        if pointer is not None:
            self.offsets[f"{pointer}/{name}"] = (start, position)
        for_each = extents.get("for_each")
        source = f" for_each = {self.text[for_each[0] : for_each[1]]}" if for_each else ""
        # How many blocks there are, and what they hold, is decided at plan time.
        result[name] = Unresolved(f'dynamic "{name}" {{{source} }}')
        return position

    def _value(self, position: int, pointer: str | None) -> tuple[Any, int]:
        """The value of the expression starting at position, and the offset just past it."""
        text = self.text
        first = text[position : position + 1]
        if first == '"':
            match = _STRING.match(text, position)
            if match is None:
                raise Decline
            end = match.end()
            raw = match.group(1)
            value: Any = raw if "\\" not in raw else decode_quoted(text, position + 1, end - 1)[0]
            if pointer is not None:
                self.strings[pointer] = (0, position + 1, end - 1)
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
            match = _IDENTIFIER.match(text, position)
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

    def _reference(self, start: int, name: str, end: int) -> tuple[Any, int]:
        """`var.x` is its default when the module directory declares one; other references stay unresolved."""
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
        """(declared, default) of `var.name`: this file's variables first, then the module directory's."""
        if name not in self.defaults and self._more_defaults is not None:
            for key, value in self._more_defaults().items():
                self.defaults.setdefault(key, value)
            self._more_defaults = None
        return name in self.defaults, self.defaults.get(name)

    def _tuple(self, start: int, pointer: str | None) -> tuple[list[Any], int]:
        text = self.text
        items: list[Any] = []
        position = _BLANK.match(text, start + 1).end()  # type: ignore[union-attr]
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
        position = _BLANK.match(text, start + 1).end()  # type: ignore[union-attr]
        while not text.startswith("}", position):
            match = _STRING.match(text, position)
            if match is not None:
                raw = match.group(1)
                key = raw if "\\" not in raw else decode_quoted(text, position + 1, match.end() - 1)[0]
            else:
                match = _IDENTIFIER.match(text, position)
                if match is None:
                    raise Decline
                key = match.group()
            position = _SPACE.match(text, match.end()).end()  # type: ignore[union-attr]
            if not text.startswith(("=", ":"), position) or text.startswith("==", position):
                raise Decline
            position = _SPACE.match(text, position + 1).end()  # type: ignore[union-attr]
            value_pointer = None if pointer is None else f"{pointer}/{escape_pointer(key)}"
            result[key], position = self._value(position, value_pointer)
            position = _SPACE.match(text, position).end()  # type: ignore[union-attr]
            if text.startswith(",", position):
                position += 1
            elif not text.startswith(("\n", "}"), position):
                raise Decline
            position = _BLANK.match(text, position).end()  # type: ignore[union-attr]
        return result, position + 1

    def _call(self, start: int, name: str, position: int, pointer: str | None) -> tuple[Any, int]:
        """A function call: `jsonencode(x)` and its kind are x, any other call stays unresolved."""
        text = self.text
        identity = name in IDENTITY_FUNCTIONS
        arguments: list[Any] = []
        position = _BLANK.match(text, position).end()  # type: ignore[union-attr]
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
