"""Positions of Graph pointers in a file that writes Microsoft365DSC properties: translated to the file's own pointers.

A report or configuration snapshot writes `IncludeUsers` where the document holds
`conditions/users/includeUsers`: each document pointer is translated through the property it came from,
then answered by the index of the file's own format (JSON or YAML), lazily as before.
"""

from __future__ import annotations

from collections.abc import Sequence

from linter.loaders.positions import PositionIndex
from linter.model.source import parent_pointer

__all__ = ["MappedPositions"]


class MappedPositions(PositionIndex):
    """Answers document pointers with the spans the underlying index gives the source pointers they came from."""

    def __init__(self, source: PositionIndex) -> None:
        super().__init__(source.text)
        self._source = source
        # document pointer of a property's Graph path -> the source pointer of the property's value
        self._properties: dict[str, str] = {}
        # document pointer -> the source pointer of the whole item
        self._items: dict[str, str] = {}

    def add_item(self, pointer: str, source: str) -> None:
        self._items[pointer] = source

    def add_property(self, pointer: str, source: str) -> None:
        self._properties[pointer] = source

    def translate(self, pointer: str) -> str | None:
        """The source pointer of a document pointer; None for one no property of the source was read into."""
        item = self._items.get(pointer)
        if item is not None:
            return item
        probe = pointer
        while probe:
            source = self._properties.get(probe)
            if source is not None:
                return source + pointer[len(probe) :]
            if probe in self._items:  # a group the item's properties make (`/conditions/users`): not written
                return None
            probe = parent_pointer(probe)
        return None

    def _build(self) -> dict[str, tuple[int, int]]:
        return {}

    def _offsets_of(self, pointer: str) -> tuple[int, int] | None:
        source = self.translate(pointer)
        return None if source is None else self._source._offsets_of(source)

    def string_value(self, pointer: str) -> tuple[str, Sequence[int]] | None:
        source = self.translate(pointer)
        return None if source is None else self._source.string_value(source)

    def compact(self) -> None:
        self._source.compact()
