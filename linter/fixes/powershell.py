"""PowerShell and Microsoft365DSC: `'…'`/`"…"` strings with backtick escapes, `@( … )` arrays, `Name = value` lines."""

from __future__ import annotations

import re
from typing import Any

from linter.fixes.source import NoFix, Source
from linter.model.fixes import Edit

__all__ = ["add_property", "dsc_property", "render"]


def render(value: Any, like: str | None = None) -> str:
    """A PowerShell literal, quoted as the neighbour `like` is (single quotes when there is none)."""
    if isinstance(value, bool):
        return "$true" if value else "$false"
    if not isinstance(value, str):
        return str(value)
    if like is not None and like.startswith('"'):
        # In a double-quoted string the backtick escapes `"`, `$` and itself.
        return '"' + re.sub(r'([`"$])', r"`\1", value) + '"'
    return "'" + value.replace("'", "''") + "'"


def add_property(source: Source, parent: tuple[int, int], name: str, value: str) -> Edit | NoFix:
    """Add `name = value` as the last line of the hashtable `@{ … }` at parent, aligned as its entries are."""
    text = source.text
    start, end = parent
    if not text.startswith("@{", start) or text[end - 1] != "}":
        return NoFix("no fix: the object is not written as a hashtable literal")
    body = text[start + 2 : end - 1]
    if "\n" not in body:
        return NoFix("no fix: a one-line hashtable")
    return _line_after_entries(source, start + 2, end - 1, name, value)


_ENTRY = re.compile(r"^([ \t]*)([\w'\"-]+)([ \t]*)=[ \t]*[^\n]*?(;?)[ \t]*(?:#[^\n]*)?$", re.M)


def _line_after_entries(source: Source, start: int, close: int, name: str, value: str) -> Edit | NoFix:
    entries = list(_ENTRY.finditer(source.text, start, close))
    if not entries:
        return NoFix("no fix: no entry to copy the layout of")
    outer = min(len(entry.group(1)) for entry in entries)
    last = [entry for entry in entries if len(entry.group(1)) == outer][-1]
    width = len(last.group(2)) + len(last.group(3))
    padding = " " * (width - len(name)) if len(name) < width else " "
    line_end = len(source.text[:close].rstrip())
    return source.edit(line_end, line_end, f"\n{last.group(1)}{name}{padding}= {value}{last.group(4)}")


def dsc_property(source: Source, block: tuple[int, int], name: str, value: str) -> Edit | NoFix:
    """Set a Microsoft365DSC resource property: an empty `Name = @()` gets the value, an absent one a new line."""
    text = source.text
    start, end = block
    found = re.compile(rf"^[ \t]*{re.escape(name)}[ \t]*=[ \t]*", re.I | re.M).search(text, start, end)
    if found is not None:
        empty = re.compile(r"@\([ \t]*\)|\$null\b").match(text, found.end())
        if empty is None:
            return NoFix(f"no fix: {name} is written in a form entralint does not edit")
        return source.edit(empty.start(), empty.end(), value)
    opening = text.find("{", start, end)
    if opening < 0:
        return NoFix("no fix: the resource block is not found")
    return _line_after_entries(source, opening + 1, end - 1, name, value)
