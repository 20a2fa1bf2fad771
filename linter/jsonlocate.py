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
# An object's first or next member up to its value (its key's escapes, if any, decoded apart), and
# an array's first or next element.
_KEY = r'"([^"\\]*(?:\\.[^"\\]*)*)"[ \t\n\r]*:[ \t\n\r]*'
_FIRST_MEMBER = re.compile(r"\{[ \t\n\r]*" + _KEY, re.DOTALL)
_NEXT_MEMBER = re.compile(r"[ \t\n\r]*,[ \t\n\r]*" + _KEY, re.DOTALL)
_FIRST_ELEMENT = re.compile(r"\[[ \t\n\r]*(?![ \t\n\r\]])")
_NEXT_ELEMENT = re.compile(r"[ \t\n\r]*,[ \t\n\r]*")
# The C scanner and string decoder json.loads itself uses; typeshed does not declare them.
_SCAN: Callable[[str, int], tuple[Any, int]] = json.JSONDecoder().scan_once  # type: ignore[attr-defined]
_SCANSTRING: Callable[[str, int], tuple[str, int]] = json.decoder.scanstring  # type: ignore[attr-defined]


class InvalidJson(Exception):
    """The text is not valid JSON where the locator had to read it (or nests past the C scanner's limit)."""


class _Reading:
    """How far a container's members have been read: the last member found, and how many were.

    The last member's end is not known yet: it is scanned only when the reading has to go past it.
    """

    __slots__ = ("entered", "index")

    def __init__(self, entered: str | None, index: int) -> None:
        self.entered = entered
        self.index = index


_UNOPENED = _Reading(None, -1)


class JsonLocator:
    """Pointer -> (start, end) text offsets, as scan_json gives them; keys answer pointer + '#key'."""

    def __init__(self, text: str) -> None:
        self.text = text
        self._starts: dict[str, int] = {}
        self._ends: dict[str, int] = {}
        self._key_starts: dict[str, int] = {}
        self._readings: dict[str, _Reading | None] = {}  # None: every member has been read

    def locate(self, pointer: str) -> tuple[int, int] | None:
        """Offsets of the value (or `#key`) at pointer, None when absent; InvalidJson if the text is not JSON."""
        key = pointer.endswith("#key")
        value_pointer = pointer[:-4] if key else pointer
        starts = self._starts
        if value_pointer not in starts:
            if "" not in starts:
                start = _WHITESPACE.match(self.text).end()  # type: ignore[union-attr]
                if start == len(self.text):
                    return None
                starts[""] = start
            slash = value_pointer.find("/")
            while slash >= 0:
                following = value_pointer.find("/", slash + 1)
                if not self._find(value_pointer[:slash], value_pointer[: following if following >= 0 else None]):
                    return None
                slash = following
        if key:
            key_start = self._key_starts.get(value_pointer)
            if key_start is None:
                return None
            return key_start, self._end(_SCANSTRING, key_start + 1)
        start = starts[value_pointer]
        end = self._ends.get(value_pointer)
        if end is None:
            end = self._ends[value_pointer] = self._end(_SCAN, start)
        return start, end

    def _end(self, scan: Callable[[str, int], tuple[Any, int]], start: int) -> int:
        try:
            return scan(self.text, start)[1]
        except (StopIteration, ValueError, IndexError, RecursionError) as error:
            raise InvalidJson(str(error)) from None

    def _find(self, container: str, child: str) -> bool:
        """Read the container's members until child is among them; False when it is not."""
        starts = self._starts
        if child in starts:
            return True
        reading = self._readings.get(container, _UNOPENED)
        try:
            opener = self.text[starts[container]]
            if reading is _UNOPENED:
                reading = self._readings[container] = _Reading(None, 0) if opener in "{[" else None
            if reading is None:
                return False
            if opener == "{":
                return self._read_object_until(container, child, reading)
            return self._read_array_until(container, child, reading)
        except (StopIteration, ValueError, IndexError, RecursionError) as error:
            raise InvalidJson(str(error)) from None

    # Two loops with the state in locals: they run once per member before every located value.

    def _read_object_until(self, container: str, child: str, reading: _Reading) -> bool:
        text, starts, ends, key_starts = self.text, self._starts, self._ends, self._key_starts
        entered, index = reading.entered, reading.index
        while True:
            if entered is None:
                member = _FIRST_MEMBER.match(text, starts[container])
            else:
                end = ends.get(entered)
                if end is None:
                    end = ends[entered] = _SCAN(text, starts[entered])[1]
                member = _NEXT_MEMBER.match(text, end)
            if member is None:
                self._readings[container] = None
                return False
            key = member.group(1)
            key_start = member.start(1) - 1
            if "\\" in key:
                key = _SCANSTRING(text, key_start + 1)[0]
            if "~" in key or "/" in key:
                key = key.replace("~", "~0").replace("/", "~1")
            entered = f"{container}/{key}"
            index += 1
            if entered in starts:  # a duplicate key: the first one is located, as scan_json's first
                entered = f"{entered}\x00{index}"
            else:
                key_starts[entered] = key_start
            starts[entered] = member.end()
            if entered == child:
                reading.entered, reading.index = entered, index
                return True

    def _read_array_until(self, container: str, child: str, reading: _Reading) -> bool:
        text, starts, ends = self.text, self._starts, self._ends
        entered, index = reading.entered, reading.index
        while True:
            if entered is None:
                element = _FIRST_ELEMENT.match(text, starts[container])
            else:
                end = ends.get(entered)
                if end is None:
                    end = ends[entered] = _SCAN(text, starts[entered])[1]
                element = _NEXT_ELEMENT.match(text, end)
            if element is None:
                self._readings[container] = None
                return False
            entered = f"{container}/{index}"
            index += 1
            starts[entered] = element.end()
            if entered == child:
                reading.entered, reading.index = entered, index
                return True
