"""Appending to a list written with brackets: JSON, YAML flow, HCL `[ … ]`, PowerShell `@( … )`."""

from __future__ import annotations

from linter.fixes.source import NoFix, Source
from linter.model.fixes import Edit

__all__ = ["append_bracketed", "closing_bracket"]


def closing_bracket(source: Source, start: int, end: int) -> int | None:
    """Offset of the closing bracket of the list written at text[start:end]; None if it is not bracketed."""
    text = source.text
    opening = text[start : start + 2]
    if not (opening.startswith("[") or opening == "@(") or text[end - 1] not in "])":
        return None
    return end - 1


def append_bracketed(
    source: Source, span: tuple[int, int], elements: list[tuple[int, int]], rendered: str, default_separator: str
) -> Edit | NoFix:
    """Add rendered as the last element, with the separator and line breaks the elements already use."""
    start, end = span
    close = closing_bracket(source, start, end)
    if close is None:
        return NoFix("no fix: the list is not written as a list literal")
    text = source.text
    if not elements:
        inside = start + (2 if text.startswith("@(", start) else 1)
        if text[inside:close].strip():
            return NoFix("no fix: the list's text is not understood")
        return source.edit(inside, close, rendered)
    last_start, last_end = elements[-1]
    if len(elements) > 1 and not any(mark in text[elements[-2][1] : last_start] for mark in ("#", "//", "/*", "<#")):
        separator = text[elements[-2][1] : last_start]
    elif "\n" in text[start:last_start]:
        # One element on its own line: the next goes on a line of its own, as indented.
        comma = "," if default_separator.startswith(",") else ""
        separator = comma + "\n" + source.indentation(last_start)
    else:
        separator = default_separator
    after = text[last_end:close]
    if after.lstrip().startswith(","):
        # A trailing comma (HCL, PowerShell): the new element goes after it, followed by one too.
        after_comma = last_end + after.index(",") + 1
        return source.edit(after_comma, after_comma, separator.replace(",", "", 1) + rendered + ",")
    if after.strip():
        return NoFix("no fix: the list's text is not understood")
    return source.edit(last_end, last_end, separator + rendered)
