"""Positions of parsed PowerShell values, found in the parsed nodes when a span is asked for."""

from __future__ import annotations

from linter.loaders.positions import PositionIndex
from linter.loaders.powershell.values import Node, record_positions
from linter.model.source import escape_pointer

__all__ = ["NodePositions"]


class NodePositions(PositionIndex):
    """Each document's nodes under its pointer (`/N`); a pointer's node is found by walking along it.

    Answers as `record_positions` over every document would (`_build` is that walk, for the few who
    ask for every pointer), without a pointer string and an entry per value for the many values no
    finding points at. The nodes must not change once added.
    """

    def __init__(self, text: str) -> None:
        super().__init__(text)
        self._roots: dict[str, Node] = {}

    def add(self, pointer: str, node: Node) -> None:
        self._roots[pointer] = node

    def _node_at(self, pointer: str) -> Node | None:
        slash = pointer.find("/", 1)
        node = self._roots.get(pointer if slash < 0 else pointer[:slash])
        if node is None or slash < 0:
            return node
        for token in pointer[slash + 1 :].split("/"):
            value = node.value
            if isinstance(value, dict):
                key = token.replace("~1", "/").replace("~0", "~")
                found = value.get(key) if escape_pointer(key) == token else None
            elif isinstance(value, list):
                number = int(token) if token.isdecimal() and token.isascii() else -1
                found = value[number] if 0 <= number < len(value) and str(number) == token else None
            else:
                return None
            if found is None:
                return None
            node = found
        return node

    def _offsets_of(self, pointer: str) -> tuple[int, int] | None:
        node = self._node_at(pointer)
        return None if node is None else (node.start, node.end)

    def string_value(self, pointer: str) -> tuple[str, list[int]] | None:
        node = self._node_at(pointer)
        if node is None or not node.chars or not isinstance(node.value, str):
            return None
        return node.value, list(node.chars)

    def _build(self) -> dict[str, tuple[int, int]]:
        offsets: dict[str, tuple[int, int]] = {}
        for pointer, node in self._roots.items():
            record_positions(self.text, node, pointer, offsets, {})
        return offsets
