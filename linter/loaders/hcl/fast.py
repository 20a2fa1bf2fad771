"""A fast reader for the plain HCL policy files are written in: blocks, literals and references.

tree-sitter-hcl parses at 2-4 MB/s (its JSON grammar does 28 MB/s on the same machine), slower than
everything else entralint does to a .tf file together. Most policy files hold nothing but blocks,
quoted strings, numbers, lists, objects, references and function calls, which regular expressions
read several times faster. This reader reads exactly those, giving the same values, offsets and
string spans as `HclReader` over a tree-sitter tree; on anything else (templates, heredocs holding a
template sequence, operators, `for` expressions, syntax errors) it raises `Decline` and the loader
reads the file with tree-sitter. Plain heredocs are read here because tree-sitter-hcl makes a token of
every character of a template's text: a 1 MB heredoc held 257 MB.
tests/test_hcl_fast.py holds the two readers to the same answers.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import Any

from linter.loaders.hcl.fast_expressions import (
    BLANK,
    BLANK_PART,
    IDENTIFIER,
    SPACE,
    SPACE_PART,
    STRING,
    Decline,
    ExpressionReader,
)
from linter.loaders.hcl.values import quoted_value
from linter.loaders.hcl.variables import ModuleVariables
from linter.model import Unresolved
from linter.model.source import escape_pointer

__all__ = ["Decline", "FastHclReader"]

# A block's or an attribute's name, captured (possessive: as far as IDENTIFIER matches).
_NAME = r"([A-Za-z_][A-Za-z0-9_-]*+)"
# SPACE, then a line end (or the end of the text), then BLANK: one match where _line_end made three steps.
# Possessive, so each part matches as far as the step-by-step version did.
_LINE_END = re.compile(SPACE_PART + r"*+(?:\n|\Z)" + BLANK_PART + "*+", re.DOTALL)
# A name, then `=` (not `==`) and the blanks after it (an attribute), or `{` (a block without labels):
# one match where _header made three steps. Possessive, so each part matches as far as the step it
# replaces did, and no further.
_SIMPLE_HEADER = re.compile(_NAME + SPACE_PART + r"*+(?:(=)(?!=)" + SPACE_PART + r"*+|\{)", re.DOTALL)
# The commonest attributes, each read in one match: `name = "text"` or `name = ["text", ...]`, with plain
# strings (no escapes, `$` or `%`) and nothing but white space around them, then the line's end and the
# blanks after it. Anything else (comments, escapes, other values) takes the step-by-step way.
_PLAIN_TEXT = r'[^"\\\n$%]*+'
_PLAIN_STRING = f'"{_PLAIN_TEXT}"'
_PLAIN_ITEM = re.compile(f'"({_PLAIN_TEXT})"')
_PLAIN_ATTRIBUTE = re.compile(
    rf'{_NAME}[ \t]*+=[ \t]*+(?:"({_PLAIN_TEXT})"'
    rf"|(\[[ \t\r\n]*+(?:{_PLAIN_STRING}[ \t\r\n]*+,[ \t\r\n]*+)*+(?:{_PLAIN_STRING}[ \t\r\n]*+)?\]))"
    rf"[ \t\r]*+(?:\n|\Z){BLANK_PART}*+",
    re.DOTALL,
)
# A block's type and quoted plain labels, up to its `{`: `resource "type" "name" {`.
_LABELLED_HEADER = re.compile(rf"{_NAME}((?:[ \t]*+{_PLAIN_STRING})++)[ \t]*+\{{")
_VARIABLE_BLOCK = re.compile(r"^[ \t]*variable\b", re.MULTILINE)
_RESOURCE_LABELS = 2
Resource = tuple[str, str, dict[str, Any], str]  # type, `type.name`, body, pointer of the body


class FastHclReader(ExpressionReader):
    """Reads one file's resource blocks, recording offsets and string spans keyed by JSON pointer."""

    def __init__(self, text: str, module: Callable[[], ModuleVariables] | None = None) -> None:
        super().__init__(text, module)
        self.variable_names: set[str] = set()
        self._variables_read = False
        if "variable" in text and _VARIABLE_BLOCK.search(text):
            # A default may be declared after the resource that reads it: read the variables first.
            self.read_variables()

    def read_as_tree_sitter_would(self) -> bool:
        """Whether the text, read, holds nothing tree-sitter reads otherwise or Terraform refuses (parse.py).

        A lone CR (the caller declines a text holding any CR before reading, since CRLF is LF by then), and a
        form feed or a vertical tab outside the text of a heredoc this reader read. Scans for one character
        are ~1,000 times faster than one for a class.
        """
        text = self.text
        if "\r" in text:
            return False
        if "\x0c" not in text and "\x0b" not in text:
            return True
        bodies = set(self.heredoc_bodies)
        inside = sum(text.count(character, start, end) for start, end in bodies for character in "\x0b\x0c")
        return inside == text.count("\x0b") + text.count("\x0c")

    def read_variables(self) -> None:
        """Reads the file's `variable` blocks (once): their names, and into `defaults` their defaults."""
        if self._variables_read:
            return
        self._variables_read = True
        for _ in self._top_blocks(self._variable):
            pass

    def assignments(self) -> dict[str, Any]:
        """`name = value` of each top-level attribute, as in a variable definitions file (`.tfvars`)."""
        assigned: dict[str, Any] = {}

        def assign(name: str, value: Any) -> None:
            assigned[name] = value

        for _ in self._top_blocks(lambda _keyword, _labels, _start, position: self._body(position, None)[1], assign):
            pass
        return assigned

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
        self.variable_names.add(labels[0])
        extents: dict[str, tuple[int, int]] = {}
        _, end = self._body(position, None, extents)
        if "default" in extents:
            # Read again, now recording where the default's values are.
            pointer = f"/variable/{escape_pointer(labels[0])}/default"
            self.defaults[labels[0]] = self._value(extents["default"][0], pointer)[0]
        return end

    def _top_blocks(
        self,
        visit: Callable[[str, list[str], int, int], int],
        attribute: Callable[[str, Any], None] | None = None,
    ) -> Iterator[None]:
        """Calls visit(type, labels, block start, offset past `{`) -> offset past `}` for each top-level block,
        and attribute(name, value) for each top-level attribute."""
        text = self.text
        position = BLANK.match(text, 0).end()  # type: ignore[union-attr]
        while position < len(text):
            start = position
            keyword, labels, position = self._header(position)
            if keyword is None:  # a top-level attribute
                value, position = self._value(position, None)
                if attribute is not None:
                    attribute(labels[0], value)
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
        match = IDENTIFIER.match(text, position)
        if match is None:
            raise Decline
        labels: list[str] = [match.group()]
        position = SPACE.match(text, match.end()).end()  # type: ignore[union-attr]
        while not text.startswith("{", position):
            match = STRING.match(text, position)
            if match is not None:
                raw = match.group(1)
                labels.append(raw if "\\" not in raw else quoted_value(text, position + 1, match.end() - 1))
            else:
                match = IDENTIFIER.match(text, position)
                if match is None:
                    raise Decline
                labels.append(match.group())
            position = SPACE.match(text, match.end()).end()  # type: ignore[union-attr]
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
        position = BLANK.match(text, position).end()  # type: ignore[union-attr]
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
        name, string, items = line.group(1, 2, 3)
        if items is None:
            start, end = line.span(2)
            start, end = start - 1, end + 1
            result[name] = string
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
