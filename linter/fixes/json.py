"""JSON text (Graph JSON, ARM literals, `.tf.json`, Microsoft365DSC reports): values and new object members."""

from __future__ import annotations

import json
from typing import Any, NamedTuple

from linter.fixes.source import NoFix, Source
from linter.model.fixes import Edit
from linter.model.jsonscan import scan_json

__all__ = ["add_member", "render"]


def render(value: Any, like: str | None = None) -> str:
    """A JSON literal (every JSON string is double-quoted: no neighbour's quoting to copy)."""
    return json.dumps(value, ensure_ascii=False)


class Member(NamedTuple):
    key_start: int
    key_end: int
    value_start: int
    value_end: int


def members(text: str, start: int, end: int) -> list[Member]:
    """Where each member of the object text[start:end] is written, in text order."""
    found: list[Member] = []
    key = (0, 0)
    for pointer, token_start, token_end in scan_json(text[start:end]):
        if pointer.count("/") != 1:
            continue
        if pointer.endswith("#key"):
            key = (start + token_start, start + token_end)
        else:
            found.append(Member(*key, start + token_start, start + token_end))
    return found


def add_member(source: Source, parent: tuple[int, int], key: str, value_text: str) -> Edit | NoFix:
    """Insert `"key": value` as the last member of the object at parent, spaced as its members are."""
    start, end = parent
    text = source.text
    if text[start] != "{":
        return NoFix("no fix: the parent is not an object literal")
    found = members(text, start, end)
    if not found:
        return source.edit(start + 1, end - 1, f"{json.dumps(key)}: {value_text}")
    last = found[-1]
    first_gap = "," + text[start + 1 : last.key_start]
    separator = text[found[-2].value_end : last.key_start] if len(found) > 1 else first_gap
    # The colon and its spacing as the last member writes them: `"key": value`, `"key" : value`, `"key":value`.
    entry = json.dumps(key) + text[last.key_end : last.value_start] + value_text
    return source.edit(last.value_end, last.value_end, separator + entry)
