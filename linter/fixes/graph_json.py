"""Minimal edits of Graph JSON text: a value appended to a list, copying the neighbours' separators."""

from __future__ import annotations

import json
import re
from typing import Any

from linter.loaders.positions import PositionIndex
from linter.model import Document
from linter.model.fixes import APPEND, Change, Edit
from linter.model.source import escape_pointer, parent_pointer, split_pointer

__all__ = ["edits"]

_SEPARATOR = re.compile(r"\s*,\s*")
_SPACE = re.compile(r"\s*")


def edits(document: Document, change: Change) -> list[Edit] | str:
    """The edits that make one change, or why none can."""
    positions = document.positions
    if not isinstance(positions, PositionIndex):
        return "the file's positions are unknown"
    if change.operation != APPEND:
        return f"entralint cannot {change.operation} a value in Graph JSON yet"
    if not isinstance(change.value, str):
        return "only strings are appended"
    return _append(document, positions, document.pointer + change.pointer, change.value)


def _append(document: Document, positions: PositionIndex, pointer: str, value: str) -> list[Edit] | str:
    text = positions.text
    literal = json.dumps(value)
    found = positions._offsets_of(pointer)
    if found is None:
        return _add_member(document, positions, pointer, f"[{literal}]")
    start, end = found
    if text.startswith("null", start):  # `"excludeApplications": null` reads as no list
        return [_edit(document, positions, start, end, f"[{literal}]")]
    if text[start] != "[":
        return "the value to add to is not a list"
    try:
        count = len(json.loads(text[start:end]))
    except ValueError:
        return "the list holds comments or is not plain JSON"
    if count == 0:
        return [_edit(document, positions, start + 1, start + 1, literal)]
    first = positions._offsets_of(f"{pointer}/0")
    last = positions._offsets_of(f"{pointer}/{count - 1}")
    if first is None or last is None:
        return "the list's items cannot be located"
    if count > 1:
        second = positions._offsets_of(f"{pointer}/1")
        if second is None or not _SEPARATOR.fullmatch(text, first[1], second[0]):
            return "the list's separators hold comments"
        separator = text[first[1] : second[0]]
    else:
        opening = text[start + 1 : first[0]]
        separator = "," + opening if "\n" in opening else ", "
    return [_edit(document, positions, last[1], last[1], separator + literal)]


def _add_member(document: Document, positions: PositionIndex, pointer: str, value: str) -> list[Edit] | str:
    """A new key in the object holding pointer, after its last member, written as its members are."""
    text = positions.text
    owner = parent_pointer(pointer)
    found = positions._offsets_of(owner)
    if found is None or text[found[0]] != "{":
        return "the object to add the list to is not written as JSON here"
    start, end = found
    try:
        members: list[tuple[str, Any]] = json.loads(text[start:end], object_pairs_hook=list)
    except ValueError:
        return "the object holds comments or is not plain JSON"
    key = json.dumps(split_pointer(pointer)[-1])
    if not members:
        return [_edit(document, positions, start + 1, start + 1, f"{key}: {value}")]
    last_key = members[-1][0]
    last = positions._offsets_of(f"{owner}/{escape_pointer(last_key)}")
    if last is None:
        return "the object's members cannot be located"
    colon = text.rfind(":", start, last[0])
    key_start = text.rfind('"', start, text.rfind('"', start, colon))  # the last key's opening quote
    if len(members) > 1:
        before = positions._offsets_of(f"{owner}/{escape_pointer(members[-2][0])}")
        if before is None or not _SEPARATOR.fullmatch(text, before[1], key_start):
            return "the object's separators hold comments"
        separator = text[before[1] : key_start]
    else:
        opening = text[start + 1 : key_start]
        if not _SPACE.fullmatch(opening):
            return "the object holds comments"
        separator = "," + opening if "\n" in opening else ", "
    after_key = text[text.rfind('"', start, colon) + 1 : last[0]]  # `": ` as the last member writes it
    return [_edit(document, positions, last[1], last[1], f"{separator}{key}{after_key}{value}")]


def _edit(document: Document, positions: PositionIndex, start: int, end: int, new_text: str) -> Edit:
    return Edit(document.path, positions.span_of_offsets(start, end), new_text)
