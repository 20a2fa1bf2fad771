"""YAML changes a span edit cannot make (a key in a flow mapping, an item in a list written oddly): ruamel.yaml.

ruamel.yaml's round-trip mode rewrites the whole stream keeping comments, quoting and flow or block style.
What it writes is used only if it is proven: re-read, the stream equals the old one with the one change
made, and every byte it changed lies within the lines of the mapping or list that was meant. The edit
offered is that changed region alone. Imported only when a fix needs it: never on the read path.
"""

from __future__ import annotations

import io
from typing import Any

from linter.fixes.source import NoFix, Source
from linter.model.fixes import Edit
from linter.model.source import split_pointer

__all__ = ["append_round_trip"]


def _round_trip() -> Any:
    from ruamel.yaml import YAML

    yaml = YAML(typ="rt", pure=True)
    yaml.preserve_quotes = True
    yaml.width = 1 << 16  # never fold a long line: that would change bytes outside the change
    return yaml


def _plain(text: str) -> list[Any]:
    from ruamel.yaml import YAML

    return list(YAML(typ="safe", pure=True).load_all(text))


def _walk(node: Any, tokens: list[str]) -> Any:
    for token in tokens:
        if isinstance(node, list) and token.isdigit() and int(token) < len(node):
            node = node[int(token)]
        elif isinstance(node, dict) and token in node:
            node = node[token]
        else:
            return None
    return node


def _append(streams: list[Any], tokens: list[str], value: str, flow: bool) -> bool:
    """Add value to the list at tokens in the loaded streams, creating it in its mapping; whether it could."""
    *parents, key = tokens
    holder = _walk(streams, parents)
    if not isinstance(holder, dict):
        return False
    current = holder.get(key)
    if isinstance(current, list):
        current.append(value)
        return True
    if current is not None:
        return False
    from ruamel.yaml.comments import CommentedSeq

    created = CommentedSeq([value])
    if flow:
        created.fa.set_flow_style()
    holder[key] = created
    return True


def append_round_trip(source: Source, pointer: str, value: str, within: tuple[int, int]) -> Edit | NoFix:
    """The edit adding value to the list at the document pointer, found by rewriting the YAML stream.

    `within`: offsets of the mapping or list meant; a rewrite that changes a byte outside its lines is refused.
    """
    from ruamel.yaml.error import YAMLError

    text = source.text
    if "\r" in text:
        return NoFix("no fix: entralint rewrites YAML with other line breaks than \\n only by span edits")
    tokens = list(split_pointer(source.document.pointer + pointer))
    yaml = _round_trip()
    try:
        streams = list(yaml.load_all(text))
        intended = _plain(text)
    except YAMLError:
        return NoFix("no fix: the YAML cannot be read back as written")
    if not (_append(streams, tokens, value, flow=True) and _append(intended, tokens, value, flow=False)):
        return NoFix("no fix: the YAML's structure is not understood")
    out = io.StringIO()
    if len(streams) > 1:
        yaml.dump_all(streams, out)
    else:
        yaml.dump(streams[0], out)
    written = out.getvalue()
    if _plain(written) != intended:
        return NoFix("no fix: rewriting the YAML would change more than the list")
    start, old_end, new_end = _changed(text, written)
    first_line = source.line_start(within[0])
    last_line = source.line_end(max(within[1] - 1, within[0]))
    if start < first_line or old_end > last_line + 1:
        return NoFix("no fix: rewriting the YAML would change lines outside the mapping")
    return source.edit(start, old_end, written[start:new_end])


def _changed(old: str, new: str) -> tuple[int, int, int]:
    """(start, end in old, end in new) of the one region where the two texts differ."""
    start = 0
    limit = min(len(old), len(new))
    while start < limit and old[start] == new[start]:
        start += 1
    old_end, new_end = len(old), len(new)
    while old_end > start and new_end > start and old[old_end - 1] == new[new_end - 1]:
        old_end -= 1
        new_end -= 1
    return start, old_end, new_end
