"""Offsets of single JSON pointers in valid JSON text, found by reading only what lies before them.

A finding needs the span of one value; scanning every token of the file in Python to get it costs
~100x a json.loads of the same text. Here the members of each container on the pointer's path are
read only up to the one the path goes through, skipping each with the json module's C scanner; the
member on the path is entered, not skipped, and a container's reading resumes where it stopped for
the next pointer in the same file. A file's findings thus cost about one C scan of the text before
the last of them. A member whose key is written as its pointer token is found by its key's text
instead, and taken when no bracket lies before it in its object or when one C scan of the members
before it (or after it, to the object's known end) shows it is the object's own.

`parse_with_offsets` goes further for a file parsed anyway: it parses the top levels member by
member with the same C scanner and hands over a locator that already knows where the root's members
and the elements of arrays directly under the root (a Graph collection's policies) lie, so that a
finding in the eighth policy no longer re-scans the seven before it.
"""

from __future__ import annotations

import json
import re
from array import array
from collections.abc import Callable
from typing import Any

__all__ = ["InvalidJson", "JsonLocator", "Scanner", "parse_with_offsets"]

_WHITESPACE = re.compile(r"[ \t\n\r]*")
# An object's first or next member up to its value (its key's escapes, if any, decoded apart), and
# an array's first or next element.
_KEY = r'"([^"\\]*(?:\\.[^"\\]*)*)"[ \t\n\r]*:[ \t\n\r]*'
_FIRST_MEMBER = re.compile(r"\{[ \t\n\r]*" + _KEY, re.DOTALL)
_NEXT_MEMBER = re.compile(r"[ \t\n\r]*,[ \t\n\r]*" + _KEY, re.DOTALL)
_FIRST_ELEMENT = re.compile(r"\[[ \t\n\r]*(?![ \t\n\r\]])")
_NEXT_ELEMENT = re.compile(r"[ \t\n\r]*,[ \t\n\r]*")
_COLON = re.compile(r"[ \t\n\r]*:[ \t\n\r]*")
# A key json.loads reads as it is written (no escape, no control character).
_PLAIN_KEY = r'"([^"\\\x00-\x1f]*)"[ \t\n\r]*:[ \t\n\r]*'
_FIRST_PLAIN_MEMBER = re.compile(r"\{[ \t\n\r]*" + _PLAIN_KEY)
_NEXT_PLAIN_MEMBER = re.compile(r"[ \t\n\r]*,[ \t\n\r]*" + _PLAIN_KEY)
# What may follow a string's closing quote in valid JSON (the empty string: a key text `""`, which
# no closing quote starts).
_AFTER_A_STRING = frozenset(" \t\n\r,:]}")
# The C scanner and string decoder json.loads itself uses; typeshed does not declare them.
Scanner = Callable[[str, int], tuple[Any, int]]
_SCAN: Scanner = json.JSONDecoder().scan_once  # type: ignore[attr-defined]
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
# Offsets kept in arrays: 4 bytes each where a C unsigned int has 32 bits (8 bytes past its range).
_OFFSET_TYPE = "I" if array("I").itemsize >= 4 else "q"
_OFFSET_MAX = (1 << 8 * array(_OFFSET_TYPE).itemsize - 1) - 1
_MAX_TEXT_SEARCHES = 32


class JsonLocator:
    """Pointer -> (start, end) text offsets, as scan_json gives them; keys answer pointer + '#key'."""

    def __init__(self, text: str) -> None:
        self.text = text
        self._starts: dict[str, int] = {}
        self._ends: dict[str, int] = {}
        self._key_starts: dict[str, int] = {}
        self._readings: dict[str, _Reading | None] = {}  # None: every member has been read
        # Arrays whose elements' offsets a parse recorded, each element's start and end in turn: an element's
        # pointer is made when it is asked for. An array of offsets, not a list of pairs: `[1,1,...]` under the
        # root is an element per 2 bytes, and a pair of ints ~130 bytes (64x the input), 8 bytes here.
        self._elements: dict[str, array[int]] = {}
        # Members found by their key's text, per object: each search starts at the object's `{`, so an
        # object asked for many keys (thousands of unknown keys, one finding each) is read member by member.
        self._text_searches: dict[str, int] = {}

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
            # Where the deepest container on the path whose end is known ends: no member lies past it.
            ends = self._ends
            bound = ends.get("", len(self.text))
            container = ""
            slash = value_pointer.find("/")
            while slash >= 0:
                following = value_pointer.find("/", slash + 1)
                child = value_pointer[:following] if following >= 0 else value_pointer
                if child not in starts and not self._find(container, child, bound):
                    return None
                bound = ends.get(child, bound)
                container = child
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

    def _find(self, container: str, child: str, bound: int) -> bool:
        """Find child by its key's text, else read the container's members until it is among them; False when absent."""
        starts = self._starts
        token = child[len(container) + 1 :]
        elements = self._elements.get(container)
        if elements is not None:
            try:
                index = int(token)
            except ValueError:
                return False
            if not 0 <= index < len(elements) // 2 or str(index) != token:
                return False
            starts[child], self._ends[child] = elements[2 * index], elements[2 * index + 1]
            return True
        reading = self._readings.get(container, _UNOPENED)
        if reading is None:
            return False
        try:
            start = starts[container]
            opener = self.text[start]
            if opener == "{":
                searches = self._text_searches[container] = self._text_searches.get(container, 0) + 1
                if searches <= _MAX_TEXT_SEARCHES and self._found_by_key_text(container, start, child, token, bound):
                    return True
            if reading is _UNOPENED:
                reading = self._readings[container] = _Reading(None, 0) if opener in "{[" else None
                if reading is None:
                    return False
            if opener == "{":
                return self._read_object_until(container, child, reading)
            return self._read_array_until(container, child, reading)
        except (StopIteration, ValueError, IndexError, RecursionError) as error:
            raise InvalidJson(str(error)) from None

    def _found_by_key_text(self, container: str, start: int, child: str, token: str, bound: int) -> bool:
        """Find a member by the first `"key":` text in its object, checked without reading every member.

        A quote not after a backslash opens or closes a string, and only `,:]}` or whitespace follows
        a closing one: a key text that starts otherwise opens a string, a key, at the object's own
        level when no bracket lies between the object's `{` and it. Otherwise one C scan checks it:
        the object's members before it, closed with a `}`, must scan as a whole object (the scan
        starts where the object does, so it reads strings and nesting as the whole text does), or,
        the object's end being known and nearer, a `{` and the text from the key to that end must
        (read from a quote that closes a string, a scan would end inside one). A key of that text
        in a deeper container or in a later one fails the checks; no earlier member has that key.
        """
        # Such a token is its key's text as written, or no key's (a control character is escaped).
        if '"' in token or "\\" in token or "~" in token:
            return False
        text = self.text
        key_start = text.find(f'"{token}"', start, bound)
        if key_start < 0 or text[key_start - 1] == "\\":
            return False
        colon = _COLON.match(text, key_start + len(token) + 2)
        if colon is None:
            return False
        between = text[start + 1 : key_start]
        if token[:1] in _AFTER_A_STRING or "{" in between or "[" in between or "}" in between or "]" in between:
            end = self._ends.get(container)
            if end is not None and end - key_start < key_start - start:
                members = "{" + text[key_start:end]
            else:
                before = between.rstrip(" \t\n\r")
                if not before.endswith(","):
                    return False
                members = "{" + before[:-1] + "}"
            try:
                if _SCAN(members, 0)[1] != len(members):
                    return False
            except (StopIteration, ValueError, RecursionError):
                return False
        self._starts[child], self._key_starts[child] = colon.end(), key_start
        return True

    # Two loops with the state in locals: they run once per member when no key text is taken.

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
            found = starts.get(entered)
            if found is None:
                key_starts[entered] = key_start
                starts[entered] = member.end()
            elif found != member.end():  # a duplicate key: the first one is located, as scan_json's first
                entered = f"{entered}\x00{index}"
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

    def _read_root_object(
        self, start: int, scan: Scanner, object_pairs_hook: Callable[[list[tuple[str, Any]]], Any]
    ) -> tuple[Any, int]:
        text, starts, ends, key_starts = self.text, self._starts, self._ends, self._key_starts
        pairs: list[tuple[str, Any]] = []
        end = _WHITESPACE.match(text, start + 1).end()  # type: ignore[union-attr]
        member = None if text[end] == "}" else _FIRST_PLAIN_MEMBER.match(text, start)
        while member is not None:
            key = member.group(1)
            child = "/" + (key.replace("~", "~0").replace("/", "~1") if "~" in key or "/" in key else key)
            key_starts[child] = member.start(1) - 1
            position = starts[child] = member.end()
            if text[position] == "[":
                value, end = self._read_array(child, position, scan)
            else:
                value, end = scan(text, position)
            ends[child] = end
            pairs.append((key, value))
            member = _NEXT_PLAIN_MEMBER.match(text, end)
            end = _WHITESPACE.match(text, end).end()  # type: ignore[union-attr]
        if text[end] != "}":
            raise InvalidJson(f"no }} at {end}")
        self._readings[""] = None
        return object_pairs_hook(pairs), end + 1

    def _read_array(self, container: str, start: int, scan: Scanner) -> tuple[list[Any], int]:
        text = self.text
        values: list[Any] = []
        end = _WHITESPACE.match(text, start + 1).end()  # type: ignore[union-attr]
        if text[end] != "]":
            elements = array(_OFFSET_TYPE if len(text) <= _OFFSET_MAX else "q")
            position = end
            while True:
                value, end = scan(text, position)
                values.append(value)
                elements.append(position)
                elements.append(end)
                comma = _NEXT_ELEMENT.match(text, end)
                if comma is None:
                    break
                position = comma.end()
            end = _WHITESPACE.match(text, end).end()  # type: ignore[union-attr]
            if text[end] != "]":
                raise InvalidJson(f"no ] at {end}")
            self._elements[container] = elements
        return values, end + 1


def parse_with_offsets(
    text: str, scan: Scanner, object_pairs_hook: Callable[[list[tuple[str, Any]]], Any]
) -> tuple[Any, JsonLocator]:
    """Text parsed as a json.JSONDecoder with this scan_once and object_pairs_hook parses it, and its locator.

    Raises what the scanner and the hook raise, IndexError at an early end, and InvalidJson for text
    json.loads would reject or that is not read here (a root that is not a container, escaped keys
    in the root object): the caller then parses the usual way.
    """
    locator = JsonLocator(text)
    start = _WHITESPACE.match(text).end()  # type: ignore[union-attr]
    locator._starts[""] = start
    if text[start] == "{":
        value, end = locator._read_root_object(start, scan, object_pairs_hook)
    elif text[start] == "[":
        value, end = locator._read_array("", start, scan)
    else:
        raise InvalidJson("not a container")
    locator._ends[""] = end
    if _WHITESPACE.match(text, end).end() != len(text):  # type: ignore[union-attr]
        raise InvalidJson(f"extra data at {end}")
    return value, locator
