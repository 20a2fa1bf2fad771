"""Terraform HCL: literals, and new attributes in a block (`applications { … }`) or an object (`{ … }`)."""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from typing import Any

from linter.fixes.source import NoFix, Source
from linter.model.fixes import Edit

__all__ = ["add_attribute", "render"]

_ATTRIBUTE = re.compile(r"^([ \t]*)([\w-]+|\"[^\"]*\")([ \t]*)(=|:)", re.M)


def render(value: Any, like: str | None = None) -> str:
    """An HCL literal: strings double-quoted, `${` and `%{` escaped so that no template starts."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False).replace("${", "$${").replace("%{", "%%{")
    return json.dumps(value)


def add_attribute(source: Source, parent: tuple[int, int], name: str, value: str) -> Edit | NoFix:
    """Add `name = value` as the last line of the block or object at parent, aligned as its attributes are."""
    text = source.text
    start, end = parent
    opening = text.find("{", start, end)
    if opening < 0 or text[end - 1] != "}":
        return NoFix("no fix: the block is not written as a block or object literal")
    close = end - 1
    body = text[opening + 1 : close]
    if "\n" not in body:
        return NoFix("no fix: a one-line block")
    attributes = list(_ATTRIBUTE.finditer(body))
    if attributes:
        last = attributes[-1]
        indentation, equals = last.group(1), last.group(4)
        # `terraform fmt` aligns the equals signs of consecutive attributes: the new one joins them when it fits.
        width = len(last.group(2)) + len(last.group(3))
        padding = " " * max(width - len(name), 1) if len(name) < width else " "
    else:
        indentation, equals, padding = source.indentation(close) + "  ", "=", " "
    line_end = len(text[:close].rstrip())
    return source.edit(line_end, line_end, f"\n{indentation}{name}{padding}{equals} {value}")


_KEY_BEFORE = re.compile(r"([\w-]+|\"[^\"\n]*\")[ \t]*[=:][ \t]*$")


def remove_object_members(source: Source, pointer: str, inner_pointers: Sequence[str]) -> tuple[Edit, ...] | NoFix:
    """Remove attributes of an HCL object (`jsonencode({ … })`): with their comma, or their whole line."""
    text = source.text
    edits = []
    for inner in inner_pointers:
        found = source.offsets(pointer + inner)
        if found is None:
            continue
        value_start, value_end = found
        line_start = source.line_start(value_start)
        key = _KEY_BEFORE.search(text, line_start, value_start)
        if key is None or source.line_end(value_start) < value_end:
            return NoFix("no fix: the attribute's text is not understood")
        before = text[line_start : key.start()]
        after_end = source.line_end(value_end)
        after = text[value_end:after_end]
        if before.rstrip().endswith(","):
            start = line_start + len(before.rstrip()) - 1
            edits.append(source.edit(start, value_end, ""))
        elif after.lstrip().startswith(","):
            comma = value_end + after.index(",") + 1
            stop = comma + len(text[comma:after_end]) - len(text[comma:after_end].lstrip(" \t"))
            edits.append(source.edit(key.start(), stop, ""))
        elif not before.strip() and not after.strip():
            edits.append(source.edit(line_start, min(after_end + 1, len(text)), ""))
        else:
            return NoFix("no fix: the attribute's text is not understood")
    return tuple(edits)
