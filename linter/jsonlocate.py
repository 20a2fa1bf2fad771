"""Offsets of single JSON pointers in valid JSON text, found by reading only what lies before them.

A finding needs the span of one value; scanning every token of the file in Python to get it costs
~100x a json.loads of the same text. Here the members of each container on the pointer's path are
read only up to the one the path goes through, skipping each with the json module's C scanner; the
member on the path is entered, not skipped, and a container's reading resumes where it stopped for
the next pointer in the same file. A file's findings thus cost about one C scan of the text before
the last of them.
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


class _Reading:
    """How far a container's members have been read: the next member's offset and index.

    `entered` is the last member found, whose end is not known yet: it is scanned only when the
    reading has to go past it.
    """

    __slots__ = ("entered", "index", "position")

    def __init__(self, position: int, index: int, entered: str | None) -> None:
        self.position = position
        self.index = index
        self.entered = entered


class JsonLocator:
    """Pointer -> (start, end) text offsets, as scan_json gives them; keys answer pointer + '#key'."""

    def __init__(self, text: str) -> None:
        self.text = text
        self._starts: dict[str, int] = {}
        self._ends: dict[str, int] = {}
        self._keys: dict[str, tuple[int, int]] = {}
        self._readings: dict[str, _Reading | None] = {}  # None: every member has been read

    def locate(self, pointer: str) -> tuple[int, int] | None:
        """Offsets of the value (or `#key`) at pointer, None when absent; InvalidJson if the text is not JSON."""
        if "" not in self._starts:
            start = _WHITESPACE.match(self.text).end()  # type: ignore[union-attr]
            if start >= len(self.text.rstrip(" \t\n\r")):
                return None
            self._starts[""] = start
        key = pointer.endswith("#key")
        value_pointer = pointer[:-4] if key else pointer
        slash = value_pointer.find("/")
        while slash >= 0:
            following = value_pointer.find("/", slash + 1)
            if not self._find(value_pointer[:slash], value_pointer[: following if following >= 0 else None]):
                return None
            slash = following
        if key:
            return self._keys.get(pointer)
        return self._offsets(value_pointer)

    def _offsets(self, pointer: str) -> tuple[int, int]:
        start = self._starts[pointer]
        end = self._ends.get(pointer)
        if end is None:
            end = self._skip(start)
            self._ends[pointer] = end
        return start, end

    def _skip(self, position: int) -> int:
        try:
            return _SCAN(self.text, position)[1]
        except (StopIteration, ValueError, IndexError, RecursionError) as error:
            raise InvalidJson(str(error)) from None

    def _find(self, container: str, child: str) -> bool:
        """Read the container's members until child is among them; False when it is not."""
        if child in self._starts:
            return True
        text = self.text
        try:
            if container not in self._readings:
                self._readings[container] = self._open(container)
            reading = self._readings[container]
            while reading is not None:
                if reading.entered is not None:
                    end = self._offsets(reading.entered)[1]
                    separator = _SEPARATOR.match(text, end)
                    if separator is None or separator.group(1) is None:
                        self._readings[container] = reading = None
                        break
                    reading.position, reading.entered = separator.end(), None
                found = self._next_member(container, reading)
                if found == child:
                    return True
        except IndexError as error:
            raise InvalidJson(str(error)) from None
        return child in self._starts

    def _open(self, container: str) -> _Reading | None:
        text = self.text
        position = self._starts[container]
        if text[position] not in "{[":
            return None
        position = _WHITESPACE.match(text, position + 1).end()  # type: ignore[union-attr]
        if text[position] in "}]":
            return None
        return _Reading(position, 0, None)

    def _next_member(self, container: str, reading: _Reading) -> str:
        text = self.text
        position = reading.position
        if text[self._starts[container]] == "{":
            member = _MEMBER.match(text, position)
            if member is None:
                raise InvalidJson(position)
            key = member.group(1)
            if "\\" in key:
                key = _SCANSTRING(text, position + 1)[0]
            if "~" in key or "/" in key:
                key = key.replace("~", "~0").replace("/", "~1")
            child = f"{container}/{key}"
            self._keys.setdefault(child + "#key", (position, member.end(1) + 1))
            position = member.end()
        else:
            child = f"{container}/{reading.index}"
        reading.index += 1
        if child in self._starts:  # a duplicate key: the first one is located, as scan_json's first
            child = f"{child}\x00{reading.index}"
        self._starts[child] = position
        reading.entered = child
        return child
