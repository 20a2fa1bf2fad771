"""HCL values from a tree-sitter tree: literals read exactly, everything else kept as its source text."""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable, Iterator
from typing import Any

from linter.loaders.hcl.values import IDENTITY_FUNCTIONS, heredoc_value, number, quoted_value
from linter.loaders.hcl.variables import ModuleVariables
from linter.model import Unresolved
from linter.model.source import escape_pointer

__all__ = ["HclReader"]

_NON_ASCII = re.compile(r"[^\x00-\x7f]")


class HclReader:
    """Reads values out of one parsed file, recording character offsets keyed by JSON pointer."""

    def __init__(
        self,
        text: str,
        root: Any,
        defaults: dict[str, Any],
        module: Callable[[], ModuleVariables] | None = None,
    ) -> None:
        self.text = text
        self.root = root
        self.defaults = defaults
        self._module = module
        self._variables: ModuleVariables | None = None
        self.offsets: dict[str, tuple[int, int]] = {}
        # pointer -> (0 quoted | 1 heredoc | 2 indented heredoc, content start, content end)
        self.strings: dict[str, tuple[int, int, int]] = {}
        # tree-sitter counts UTF-8 bytes; spans count characters. Only non-ASCII characters shift them.
        self._wide_starts: list[int] = []
        self._extra_before: list[int] = [0]
        if not text.isascii():
            extra = 0
            for match in _NON_ASCII.finditer(text):
                self._wide_starts.append(match.start() + extra)
                extra += len(match.group().encode("utf-8")) - 1
                self._extra_before.append(extra)

    def char(self, byte: int) -> int:
        if not self._wide_starts:
            return byte
        return byte - self._extra_before[bisect.bisect_left(self._wide_starts, byte)]

    def source(self, node: Any) -> str:
        return self.text[self.char(node.start_byte) : self.char(node.end_byte)]

    def top_blocks(self, kind: str) -> Iterator[Any]:
        for body in self.root.children:
            if body.type != "body":
                continue
            for node in body.children:
                if (
                    node.type == "block"
                    and node.children[0].type == "identifier"
                    and self.source(node.children[0]) == kind
                ):
                    yield node

    def labels(self, block: Any) -> list[Any]:
        return [child for child in block.children[1:] if child.type in ("string_lit", "identifier")]

    def literal_label(self, node: Any) -> str:
        if node.type == "identifier":
            return self.source(node)
        return self._string_lit(node)

    def variable_defaults(self) -> dict[str, Any]:
        defaults = {}
        for node in self.top_blocks("variable"):
            labels = self.labels(node)
            if len(labels) != 1 or node.has_error:
                continue
            name = self.literal_label(labels[0])
            for attribute in self._children(node, "body"):
                for child in attribute.children:
                    if child.type == "attribute" and self.source(child.children[0]) == "default":
                        defaults[name] = self.value(child.children[-1], f"/variable/{escape_pointer(name)}/default")
        return defaults

    @staticmethod
    def _children(node: Any, kind: str) -> list[Any]:
        return [child for child in node.children if child.type == kind]

    def _record(self, pointer: str, node: Any) -> None:
        self.offsets[pointer] = (self.char(node.start_byte), self.char(node.end_byte))

    def block_body(self, block: Any, pointer: str) -> dict[str, Any]:
        """A block's attributes and nested blocks; nested blocks become lists, `dynamic` ones Unresolved."""
        self._record(pointer, block)
        result: dict[str, Any] = {}
        for body in block.children:
            if body.type != "body":
                continue
            for node in body.children:
                kind = node.type
                if kind == "attribute":
                    name = self.source(node.children[0])
                    result[name] = self.value(node.children[-1], f"{pointer}/{name}")
                elif kind == "block":
                    self._nested_block(node, pointer, result)
        return result

    def _nested_block(self, node: Any, pointer: str, result: dict[str, Any]) -> None:
        name = self.source(node.children[0])
        if name == "dynamic":
            labels = self.labels(node)
            if not labels:
                return
            name = self.literal_label(labels[0])
            self._record(f"{pointer}/{name}", node)
            for_each = ""
            for body in self._children(node, "body"):
                for attribute in self._children(body, "attribute"):
                    if self.source(attribute.children[0]) == "for_each":
                        for_each = f" for_each = {self.source(attribute.children[-1])}"
            # How many blocks there are, and what they hold, is decided at plan time.
            result[name] = Unresolved(f'dynamic "{name}" {{{for_each} }}')
            return
        blocks = result.setdefault(name, [])
        if not isinstance(blocks, list):
            return
        if not blocks:
            self._record(f"{pointer}/{name}", node)
        blocks.append(self.block_body(node, f"{pointer}/{name}/{len(blocks)}"))

    def _string_lit(self, node: Any, pointer: str | None = None) -> str:
        children = node.children
        start = self.char(children[0].end_byte)
        end = self.char(children[-1].start_byte)
        if pointer is not None:
            self.strings[pointer] = (0, start, end)
        raw = self.text[start:end]
        if "\\" not in raw and "$${" not in raw and "%%{" not in raw:
            return raw
        return quoted_value(self.text, start, end)

    def value(self, node: Any, pointer: str) -> Any:
        """The value of an expression node; records its offsets (and those of everything inside) at pointer."""
        self._record(pointer, node)
        while node.type == "expression":
            named = [child for child in node.children if child.is_named and child.type != "comment"]
            if len(named) != 1:
                return self._reference(node, named)
            node = named[0]
        kind = node.type
        if kind == "literal_value":
            return self._literal(node.children[0], pointer)
        if kind == "collection_value":
            collection = node.children[0]
            if collection.type == "tuple":
                return [
                    self.value(item, f"{pointer}/{index}")
                    for index, item in enumerate(self._children(collection, "expression"))
                ]
            if collection.type == "object":
                return self._object(collection, pointer)
        elif kind == "template_expr":
            return self._template(node.children[0], pointer)
        elif kind == "function_call":
            return self._function(node, pointer)
        elif kind == "operation":
            return self._negative(node)
        return Unresolved(self.source(node))

    def _literal(self, node: Any, pointer: str) -> Any:
        kind = node.type
        if kind == "string_lit":
            return self._string_lit(node, pointer)
        source = self.source(node)
        if kind == "numeric_lit":
            return number(source)
        if kind == "bool_lit":
            return source == "true"
        return None

    def _object(self, node: Any, pointer: str) -> dict[str, Any]:
        result: dict[str, Any] = {}
        for element in self._children(node, "object_elem"):
            key_node, value_node = self._children(element, "expression")
            key = self._key(key_node)
            result[key] = self.value(value_node, f"{pointer}/{escape_pointer(key)}")
        return result

    def _key(self, node: Any) -> str:
        named = [child for child in node.children if child.is_named and child.type != "comment"]
        if len(named) == 1 and named[0].type == "variable_expr":
            return self.source(named[0])
        if len(named) == 1 and named[0].type == "literal_value" and named[0].children[0].type == "string_lit":
            return self._string_lit(named[0].children[0])
        return Unresolved(self.source(node))

    def _template(self, node: Any, pointer: str) -> Any:
        if any(child.type in ("template_interpolation", "template_directive") for child in node.children):
            return Unresolved(self.source(node))
        if node.type == "quoted_template":
            return self._string_lit(node, pointer)
        children = node.children
        flush = self.source(children[0]) == "<<-"
        opening, closing = children[1], children[-1]
        start = self.text.find("\n", self.char(opening.end_byte)) + 1
        end = self.text.rfind("\n", 0, self.char(closing.start_byte)) + 1
        end = max(end, start)
        self.strings[pointer] = (2 if flush else 1, start, end)
        return heredoc_value(self.text, start, end, flush)

    def _function(self, node: Any, pointer: str) -> Any:
        name = self.source(node.children[0])
        arguments = [
            argument
            for child in node.children
            if child.type == "function_arguments"
            for argument in child.children
            if argument.type == "expression"
        ]
        if name in IDENTITY_FUNCTIONS and len(arguments) == 1 and not any(c.type == "..." for c in node.children):
            value = self.value(arguments[0], pointer)
            self._record(pointer, node)
            return value
        return Unresolved(self.source(node))

    def _negative(self, node: Any) -> Any:
        source = self.source(node)
        unary = node.children[0]
        if unary.type == "unary_operation" and source.startswith("-"):
            operand = unary.children[-1]
            if operand.type == "literal_value" and operand.children[0].type == "numeric_lit":
                return -number(self.source(operand))
        return Unresolved(source)

    def _reference(self, node: Any, named: list[Any]) -> Any:
        """`var.x` is its value when the module declares it (`ModuleVariables`); other references stay unresolved."""
        source = self.source(node)
        if (
            len(named) == 2
            and named[0].type == "variable_expr"
            and named[1].type == "get_attr"
            and self.source(named[0]) == "var"
        ):
            name = self.source(named[1].children[-1])
            if self._module is None:
                known, value = name in self.defaults, self.defaults.get(name)
            else:
                if self._variables is None:
                    self._variables = self._module()
                known, value = self._variables.value(name, self.defaults)
            if known:
                return value
        return Unresolved(source)
