"""Removing members from the JSON held inside a string (a token lifetime `definition`), in any format.

The string's decoded characters map to their offsets in the file (the loaders record them); a removal
deletes whole decoded characters, so the characters left keep the escaping the file gave them.
"""

from __future__ import annotations

from collections.abc import Sequence

from linter.fixes.source import NoFix, Source
from linter.model.fixes import Edit
from linter.model.jsonscan import scan_json
from linter.model.source import parent_pointer

__all__ = ["remove_json_members"]


def _member_ranges(decoded: str, inner_pointers: Sequence[str]) -> list[tuple[int, int]] | NoFix:
    """Decoded-character ranges to delete: each member with the comma that separates it from a neighbour."""
    values: dict[str, tuple[int, int]] = {}
    keys: dict[str, int] = {}
    order: dict[str, list[str]] = {}
    for pointer, start, end in scan_json(decoded):
        if pointer.endswith("#key"):
            keys.setdefault(pointer[: -len("#key")], start)
            continue
        if pointer in values:
            return NoFix("no fix: the definition repeats a key")
        values[pointer] = (start, end)
        if pointer:
            order.setdefault(parent_pointer(pointer), []).append(pointer)
    if "" not in values or values[""][1] != len(decoded.rstrip()):
        return NoFix("no fix: the definition is not valid JSON")
    removed = {pointer for pointer in inner_pointers if pointer in keys}
    ranges: list[tuple[int, int]] = []
    for parent, members in order.items():
        gone = [member in removed for member in members]
        if not any(gone):
            continue
        parent_start, parent_end = values[parent]
        if all(gone):
            # Every member goes: the object is left empty, `{}`.
            ranges.append((parent_start + 1, parent_end - 1))
            continue
        for index, member in enumerate(members):
            if not gone[index]:
                continue
            kept_before = [other for other in members[:index] if other not in removed]
            if kept_before:
                # From the end of the last member kept before it: its comma goes with it.
                ranges.append((values[kept_before[-1]][1], values[member][1]))
            else:
                following = next(other for other in members[index + 1 :] if other not in removed)
                ranges.append((keys[member], keys[following]))
    return _merged(ranges)


def _merged(ranges: list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for start, end in sorted(ranges):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def remove_json_members(source: Source, pointer: str, inner_pointers: Sequence[str]) -> tuple[Edit, ...] | NoFix:
    decoded = source.positions.string_value(source.document.pointer + pointer)
    if decoded is None:
        if source.family == "hcl":
            from linter.fixes.hcl import remove_object_members

            return remove_object_members(source, pointer, inner_pointers)
        return NoFix("no fix: the value is not a string written in the file")
    value, offsets = decoded
    ranges = _member_ranges(value, inner_pointers)
    if isinstance(ranges, NoFix):
        return ranges
    edits = []
    for start, end in ranges:
        stop = offsets[end] if end < len(offsets) else offsets[-1]
        edits.append(source.edit(offsets[start], stop, ""))
    return tuple(edits)
