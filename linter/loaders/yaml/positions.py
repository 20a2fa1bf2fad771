"""Positions in YAML text from libyaml's node marks."""

from __future__ import annotations

import yaml

from linter.loaders.positions import PositionIndex
from linter.loaders.yaml.compose import compose
from linter.model.source import escape_pointer, yaml_line_ends

__all__ = ["YamlPositions", "align"]

_STR = "tag:yaml.org,2002:str"


class YamlPositions(PositionIndex):
    """Positions from libyaml's node marks; pointers start with the document's index in the stream.

    A pointer's node is found by walking the composed nodes along it, so a file's findings cost a few
    steps each. The nodes are kept until `compact()`; later lookups compose the text again. With
    anchors in the text, a node may sit at several pointers: positions then come from one walk of
    every node, in which an alias points at its anchor.
    """

    def __init__(self, text: str, roots: list[yaml.Node] | None = None) -> None:
        super().__init__(yaml_line_ends(text))
        self._roots = roots
        self._anchors = "&" in self.text

    def compact(self) -> None:
        self._roots = None

    def _offsets_of(self, pointer: str) -> tuple[int, int] | None:
        if self._anchors:
            return super()._offsets_of(pointer)
        node = self._node_at(pointer)
        return None if node is None else (node.start_mark.index, node.end_mark.index)

    def _node_at(self, pointer: str) -> yaml.Node | None:
        """The node at pointer (its key node for `#key`), as _build would have recorded it."""
        key = pointer.endswith("#key")
        tokens = (pointer[:-4] if key else pointer)[1:].split("/")
        if not pointer or not tokens[0].isdigit() or (key and len(tokens) < 2):
            return None
        if self._roots is None:
            self._roots = compose(self.text)
        if int(tokens[0]) >= len(self._roots) or tokens[0] != str(int(tokens[0])):
            return None
        node: yaml.Node = self._roots[int(tokens[0])]
        for depth, token in enumerate(tokens[1:], start=2):
            if isinstance(node, yaml.SequenceNode):
                if not token.isdigit() or token != str(int(token)) or int(token) >= len(node.value):
                    return None
                node = node.value[int(token)]
            elif isinstance(node, yaml.MappingNode):
                want_key = key and depth == len(tokens)
                # _build records a key's offsets at its first occurrence, a value's at its last.
                pairs = node.value if want_key else reversed(node.value)
                for key_node, value_node in pairs:
                    if isinstance(key_node, yaml.ScalarNode) and escape_pointer(key_node.value) == token:
                        node = key_node if want_key else value_node
                        break
                else:
                    return None
            else:
                return None
        return node

    def _build(self) -> dict[str, tuple[int, int]]:
        offsets: dict[str, tuple[int, int]] = {}
        self._raw: dict[str, yaml.ScalarNode] = {}
        roots, self._roots = self._roots if self._roots is not None else compose(self.text), None
        for number, root in enumerate(roots):
            stack: list[tuple[str, yaml.Node]] = [(f"/{number}", root)]
            seen: set[int] = set()
            while stack:
                pointer, node = stack.pop()
                offsets.setdefault(pointer, (node.start_mark.index, node.end_mark.index))
                if isinstance(node, yaml.ScalarNode):
                    self._raw.setdefault(pointer, node)
                    continue
                if id(node) in seen:  # an alias: its positions are those of its anchor
                    continue
                seen.add(id(node))
                if isinstance(node, yaml.SequenceNode):
                    stack.extend((f"{pointer}/{index}", child) for index, child in enumerate(node.value))
                else:
                    for key_node, value_node in node.value:
                        if isinstance(key_node, yaml.ScalarNode):
                            child = f"{pointer}/{escape_pointer(key_node.value)}"
                            offsets.setdefault(child + "#key", (key_node.start_mark.index, key_node.end_mark.index))
                            stack.append((child, value_node))
        return offsets

    def string_value(self, pointer: str) -> tuple[str, list[int]] | None:
        if self._anchors:
            self.offsets()
            node: yaml.Node | None = self._raw.get(pointer)
        else:
            node = self._node_at(pointer)
        if not isinstance(node, yaml.ScalarNode) or node.tag != _STR:
            return None
        return node.value, align(node.value, self.text, node.start_mark.index, node.end_mark.index)


def align(decoded: str, text: str, start: int, end: int) -> list[int]:
    """Offsets in text[start:end] of each character of a scalar's decoded value (best effort).

    Quotes, escapes, indentation and folded line breaks are skipped by matching each decoded
    character to the next equal character of the source within a short window.
    """
    offsets: list[int] = []
    position = start
    for char in decoded:
        found = text.find(char, position, min(end, position + 16))
        if found < 0 and char == "\n":
            found = position
        if found >= 0:
            position = found
        offsets.append(min(position, max(end - 1, start)))
        if found >= 0:
            position += 1
    offsets.append(min(position, end))
    return offsets
