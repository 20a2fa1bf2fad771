"""YAML text: scalars quoted as their neighbours are, block lists kept block, flow lists flow, comments kept."""

from __future__ import annotations

import json
import re
from typing import Any

from linter.fixes.source import NoFix, Source
from linter.model.fixes import Edit

__all__ = ["add_member", "append_block", "render"]

# A plain scalar YAML 1.1 would read as something else than this string: quoted.
_NOT_PLAIN = re.compile(
    r"""^(?:|~|null|true|false|yes|no|on|off|y|n|[-+]?[\d._]+(?:[eE][-+]?\d+)?|0x[\da-fA-F]+|\.inf|\.nan|[-+]?\d[\d_]*(?::[0-5]?\d)+(?:\.\d*)?|\d{4}-\d\d?-\d\d?.*)$|^[\s\-?:,\[\]{}#&*!|>'"%@`]|[:#]\s|\s$""",
    re.IGNORECASE,
)


def render(value: Any, like: str | None = None) -> str:
    """A YAML scalar, quoted as the neighbour `like` is, plain only where YAML reads it back as the same string."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if not isinstance(value, str):
        return json.dumps(value)
    if like is not None and like.startswith("'"):
        return "'" + value.replace("'", "''") + "'"
    if (like is not None and like.startswith('"')) or _NOT_PLAIN.search(value) or not value.isprintable():
        return json.dumps(value, ensure_ascii=False)
    return value


def append_block(source: Source, elements: list[tuple[int, int]], rendered: str) -> Edit | NoFix:
    """Add `- rendered` after the last item of a block list, at its items' indentation."""
    text = source.text
    last_start, last_end = elements[-1]
    dash = text.rfind("-", source.line_start(last_start), last_start)
    if dash < 0 or text[source.line_start(last_start) : dash].strip():
        return NoFix("no fix: the list's items are not one to a line")
    # After the last item's line, before its comment ends there: the new item is the next line.
    line_end = source.line_end(max(last_end - 1, last_start))
    return source.edit(line_end, line_end, "\n" + text[source.line_start(last_start) : dash] + "- " + rendered)


def add_member(source: Source, parent: tuple[int, int], key: str, value: str) -> Edit | NoFix:
    """Add `key: value` under a block mapping, at its keys' indentation, after its last member's lines."""
    text = source.text
    start, end = parent
    if text[start] in "{[":
        return NoFix("no fix: a flow mapping")
    indentation = text[source.line_start(start) : start]
    if indentation.strip():
        # The mapping starts after a `- ` on its first line: its keys are at that column.
        indentation = " " * len(indentation)
    # The mapping's span runs to the next key's indentation: its last member ends at its last written character.
    last_line = source.line_end(len(text[:end].rstrip()) - 1)
    return source.edit(last_line, last_line, f"\n{indentation}{key}: {value}")
