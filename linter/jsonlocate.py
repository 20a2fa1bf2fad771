"""Offsets of single JSON pointers in valid JSON text, found by walking only the containers on the way.

A finding needs the span of one value; scanning every token of the file in Python to get it costs
~100x a json.loads of the same text. Here each container on the pointer's path is expanded once,
skipping its members with the json module's C scanner, and every member's offsets are remembered
for the next finding in the same file.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any

__all__ = ["InvalidJson", "JsonLocator"]

_WHITESPACE = re.compile(r"[ \t\n\r]*")
# A member's key and the colon after it; the comma after a value, when there is one.
_MEMBER = re.compile(r'"((?:[^"\\]|\\.)*)"[ \t\n\r]*:[ \t\n\r]*', re.DOTALL)
_SEPARATOR = re.compile(r"[ \t\n\r]*(,)?[ \t\n\r]*")
# The C scanner and string decoder json.loads itself uses; typeshed does not declare them.
_SCAN: Callable[[str, int], tuple[Any, int]] = json.JSONDecoder().scan_once  # type: ignore[attr-defined]
_SCANSTRING: Callable[[str, int], tuple[str, int]] = json.decoder.scanstring  # type: ignore[attr-defined]


class InvalidJson(Exception):
    """The text is not valid JSON where the locator had to read it (or nests past the C scanner's limit)."""


class JsonLocator:
    """Pointer -> (start, end) text offsets, as scan_json gives them; keys answer pointer + '#key'."""

    def __init__(self, text: str) -> None:
        self.text = text
        self._located: dict[str, tuple[int, int]] = {}
        self._expanded: set[str] = set()

    def locate(self, pointer: str) -> tuple[int, int] | None:
        """Offsets of the value (or `#key`) at pointer, None when absent; InvalidJson if the text is not JSON."""
        located = self._located
        if not located:
            start = _WHITESPACE.match(self.text).end()  # type: ignore[union-attr]
            end = len(self.text.rstrip(" \t\n\r"))
            if start >= end:
                return None
            located[""] = (start, end)
        slash = pointer.find("/")
        while slash >= 0:
            container = pointer[:slash]
            if container not in self._expanded:
                if container not in located:
                    return None
                self._expand(container)
            slash = pointer.find("/", slash + 1)
        return located.get(pointer)

    def _expand(self, container: str) -> None:
        self._expanded.add(container)
        text, located = self.text, self._located
        position = located[container][0]
        opener = text[position]
        if opener not in "{[":
            return
        try:
            position = _WHITESPACE.match(text, position + 1).end()  # type: ignore[union-attr]
            if text[position] in "}]":
                return
            index = 0
            while True:
                if opener == "{":
                    member = _MEMBER.match(text, position)
                    if member is None:
                        raise InvalidJson(position)
                    key = member.group(1)
                    if "\\" in key:
                        key = _SCANSTRING(text, position + 1)[0]
                    if "~" in key or "/" in key:
                        key = key.replace("~", "~0").replace("/", "~1")
                    child = f"{container}/{key}"
                    located.setdefault(child + "#key", (position, member.end(1) + 1))
                    position = member.end()
                else:
                    child = f"{container}/{index}"
                    index += 1
                _, end = _SCAN(text, position)
                located.setdefault(child, (position, end))
                separator = _SEPARATOR.match(text, end)
                if separator is None or separator.group(1) is None:
                    return
                position = separator.end()
        except (StopIteration, ValueError, IndexError, RecursionError) as error:
            raise InvalidJson(str(error)) from None
