"""Positions in YAML text from libyaml's node marks."""

from __future__ import annotations

from linter.loaders.positions import PositionIndex
from linter.loaders.yaml.compose import compose
from linter.loaders.yaml.node_index import NodeIndex
from linter.model.source import yaml_line_ends

__all__ = ["YamlPositions", "align"]


class YamlPositions(PositionIndex):
    """Positions from libyaml's node marks; pointers start with the document's index in the stream.

    A pointer's node is found by walking a flat index of the composed nodes along it, so a file's
    findings cost a few steps each. The index is kept until `compact()`; later lookups compose the text
    again. With anchors in the text a node may sit at several pointers: an alias occurrence has its
    anchor's positions, and the anchor's children are found under the anchor's own place.
    """

    def __init__(self, text: str, index: NodeIndex | None = None) -> None:
        super().__init__(yaml_line_ends(text))
        self._index = index

    def compact(self) -> None:
        self._index = None

    def _nodes(self) -> NodeIndex:
        if self._index is None:
            self._index = NodeIndex.of(len(self.text), compose(self.text), aliases="&" in self.text)
        return self._index

    def _offsets_of(self, pointer: str) -> tuple[int, int] | None:
        index = self._nodes()
        entry = index.entry_at(pointer)
        return None if entry is None else (index.starts[entry], index.ends[entry])

    def _build(self) -> dict[str, tuple[int, int]]:
        return self._nodes().offsets()

    def string_value(self, pointer: str) -> tuple[str, list[int]] | None:
        index = self._nodes()
        entry = index.entry_at(pointer)
        found = None if entry is None else index.string(entry)
        if found is None:
            return None
        value, start, end = found
        return value, align(value, self.text, start, end)


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
