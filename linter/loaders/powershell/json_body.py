"""A JSON request body written as a PowerShell string: parsed, with every value placed in the script's text.

`Invoke-MgGraphRequest -Body $json` where `$json = @"{ … }"@`: each JSON value's span maps through the string
token's per-character offsets, so positions are exact inside here-strings and escaped strings alike. In an
expandable (double-quoted) string, a value that is exactly `$name` takes the literal the script assigned to
`$name`; any other value with a `$` expansion stays `Unresolved`.
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Callable, Mapping, Sequence
from typing import Any, NamedTuple

from linter.loaders.powershell.values import Node
from linter.model import Unresolved
from linter.model.jsonscan import json_string_offsets, scan_json
from linter.model.source import join_pointer

__all__ = ["JsonBody", "read_json_body"]

_MAX_DEPTH = 100  # as for hashtables: deeper than any request body
_WHOLE_VARIABLE = re.compile(r"\$(?:\{(?P<braced>[^}]+)\}|(?P<name>[\w:?]+))")
_EXPANSION = re.compile(r"\$[\w:?{(]")


class JsonBody(NamedTuple):
    """The parsed body, and the text offsets and string decoders of its values by JSON pointer ("" the root)."""

    data: Any
    offsets: dict[str, tuple[int, int]]
    strings: dict[str, Callable[[], tuple[str, list[int]]]]


def _at(chars: Sequence[int], index: int) -> int:
    return chars[min(max(index, 0), len(chars) - 1)]


def _decoded(json_text: str, start: int, end: int, chars: Sequence[int]) -> tuple[str, list[int]]:
    value, offsets = json_string_offsets(json_text, start, end)
    return value, [_at(chars, offset) for offset in offsets]


def _too_deep(data: Any) -> bool:
    stack = [(data, 1)]
    while stack:
        value, depth = stack.pop()
        if depth > _MAX_DEPTH:
            return True
        if isinstance(value, dict):
            stack.extend((item, depth + 1) for item in value.values())
        elif isinstance(value, list):
            stack.extend((item, depth + 1) for item in value)
    return False


def _expanded(value: str, variables: Mapping[str, Node]) -> str:
    whole = _WHOLE_VARIABLE.fullmatch(value)
    if whole is not None:
        assigned = variables.get((whole.group("braced") or whole.group("name")).lower())
        if assigned is not None and isinstance(assigned.value, str):
            return assigned.value  # a literal, or an Unresolved that says where it comes from
    return Unresolved(value) if _EXPANSION.search(value) else value


def _expand(data: Any, pointer: str, variables: Mapping[str, Node], changed: list[str]) -> Any:
    if isinstance(data, dict):
        return {key: _expand(item, join_pointer(pointer, key), variables, changed) for key, item in data.items()}
    if isinstance(data, list):
        return [_expand(item, join_pointer(pointer, number), variables, changed) for number, item in enumerate(data)]
    if isinstance(data, str) and "$" in data:
        expanded = _expanded(data, variables)
        if expanded is not data:
            changed.append(pointer)
        return expanded
    return data


def read_json_body(
    text: str, chars: Sequence[int], interpolated: bool, variables: Mapping[str, Node]
) -> JsonBody | str:
    """The JSON in a string value whose characters sit at `chars` in the script; a message when it is not JSON."""
    try:
        data = json.loads(text)
    except RecursionError:
        return "the JSON body is nested too deeply to read"
    except ValueError as error:
        return f"the JSON body is not valid JSON: {error}"
    if _too_deep(data):
        return "the JSON body is nested too deeply to read"
    offsets: dict[str, tuple[int, int]] = {}
    strings: dict[str, Callable[[], tuple[str, list[int]]]] = {}
    for pointer, start, end in scan_json(text):
        if pointer.endswith("#key") or pointer in offsets:
            continue
        # The next character's offset ends the value: its last character may be an escape (`"), two long.
        offsets[pointer] = (_at(chars, start), _at(chars, end))
        if text[start] == '"':
            # A partial, not a lambda: documents cross process boundaries under --jobs and must pickle.
            strings[pointer] = functools.partial(_decoded, text, start, end, chars)
    if interpolated:
        changed: list[str] = []
        data = _expand(data, "", variables, changed)
        for pointer in changed:  # the value is no longer the text written there, character for character
            strings.pop(pointer, None)
    return JsonBody(data, offsets, strings)
