"""Spans of JSON-pointer values in a file's text, computed on demand: from JSON text or from a parser's marks."""

from __future__ import annotations

import bisect
import json
import re
from array import array
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from linter.loaders.json.locate import InvalidJson, JsonLocator
from linter.model.jsonscan import json_string_offsets, scan_json
from linter.model.source import FILE_START, Span, parent_pointer, split_pointer

__all__ = ["JsonPositions", "PositionIndex", "TextPositions", "line_end_offsets"]

_SPANS_BEFORE_AN_INDEX = 64
_LINE_END = re.compile("\n")


def line_end_offsets(text: str) -> array[int]:
    """The offset of every LF in text, in order: 4 bytes each (8 past 2 GB), where a list of ints costs 36."""
    return array("i" if len(text) < 2**31 - 1 else "q", map(re.Match.start, _LINE_END.finditer(text)))


class PositionIndex:
    """Maps JSON pointers to spans. Subclasses fill `_offsets`, lazily, from their parser."""

    def __init__(self, text: str) -> None:
        self.text = text
        self._offsets: dict[str, tuple[int, int]] | None = None
        self._inner: dict[str, PositionIndex | None] = {}
        # An offset whose line is known, that line and its start: the last span's start, which the next is
        # often near.
        self._line_mark = (0, 1, 0)
        # Counting from the last span is cheapest for a file's few findings, in about text order; past
        # this many, findings in another order (sorted keys) would count across the file each time.
        self._spans_made = 0
        self._line_ends: array[int] | None = None

    def offsets(self) -> Mapping[str, tuple[int, int]]:
        if self._offsets is None:
            self._offsets = self._build()
        return self._offsets

    def _build(self) -> dict[str, tuple[int, int]]:
        raise NotImplementedError

    def compact(self) -> None:
        """Drop what the parser left for a first span lookup; spans are still answered, maybe slower."""

    def _offsets_of(self, pointer: str) -> tuple[int, int] | None:
        return self.offsets().get(pointer)

    def span_of_offsets(self, start: int, end: int) -> Span:
        # Counted in C for each span, from the previous span's start (a file's findings come in about
        # the order of the text): a table of line starts built in Python costs more than a file's
        # few findings ever ask of it.
        text = self.text
        self._spans_made += 1
        if self._spans_made > _SPANS_BEFORE_AN_INDEX:
            return self._span_from_index(start, end)
        mark, mark_line, mark_line_start = self._line_mark
        if start >= mark:
            newlines = text.count("\n", mark, start)
            start_line = mark_line + newlines
            # Searched back only to the mark: on one long line (minified JSON) a search back to the
            # line's start for every finding made the findings quadratic.
            line_start = text.rfind("\n", mark, start) + 1 if newlines else mark_line_start
        else:
            start_line = mark_line - text.count("\n", start, mark)
            line_start = mark_line_start if start >= mark_line_start else text.rfind("\n", 0, start) + 1
        self._line_mark = (start, start_line, line_start)
        last = max(end - 1, start)
        end_newlines = text.count("\n", start, last)
        end_line_start = text.rfind("\n", start, last) + 1 if end_newlines else line_start
        return Span(start_line, start - line_start + 1, start_line + end_newlines, end - end_line_start + 1)

    def _span_from_index(self, start: int, end: int) -> Span:
        """A span found by bisecting the file's line ends, listed once: for files with many findings in any order."""
        if self._line_ends is None:
            self._line_ends = line_end_offsets(self.text)
        line_ends = self._line_ends
        before = bisect.bisect_left(line_ends, start)
        last_character = max(end - 1, start)
        # Most spans end on the line they start on: one look at its end, not a second search (each look
        # into an array makes an int).
        if before == len(line_ends) or last_character <= line_ends[before]:
            last = before
        else:
            last = bisect.bisect_left(line_ends, last_character, before)
        line_start = line_ends[before - 1] + 1 if before else 0
        last_line_start = line_ends[last - 1] + 1 if last else 0
        return Span(before + 1, start - line_start + 1, last + 1, end - last_line_start + 1)

    def span(self, pointer: str) -> Span | None:
        """The span of the value at pointer, descending into comma-joined flag strings and JSON strings."""
        found = self._offsets_of(pointer)
        if found is not None:
            return self.span_of_offsets(*found)
        parent = pointer
        while parent:
            parent = parent_pointer(parent)
            if self._offsets_of(parent) is not None:
                return self._span_inside_string(parent, pointer[len(parent) :])
        return None

    def nearest_span(self, pointer: str) -> Span:
        """The span of pointer, else of its closest ancestor that has one, else the file start."""
        while True:
            found = self.span(pointer)
            if found is not None:
                return found
            if not pointer:
                return FILE_START
            pointer = parent_pointer(pointer)

    def string_value(self, pointer: str) -> tuple[str, Sequence[int]] | None:
        """The decoded string at pointer and the text offset of each of its characters, if it is a string."""
        return None

    def span_in_string(self, pointer: str, offset: int) -> Span | None:
        decoded = self.string_value(pointer)
        if decoded is None or not decoded[1]:
            return None
        char_offsets = decoded[1]
        start = char_offsets[min(max(offset, 0), len(char_offsets) - 1)]
        return self.span_of_offsets(start, start + 1)

    def _span_inside_string(self, string_pointer: str, rest: str) -> Span | None:
        decoded = self.string_value(string_pointer)
        if decoded is None:
            return None
        value, char_offsets = decoded
        tokens = split_pointer(rest)
        if len(tokens) == 1 and tokens[0].isdigit() and not value.lstrip().startswith(("{", "[")):
            piece = _comma_piece(value, int(tokens[0]))
            if piece is None:
                return None
            return self.span_of_offsets(char_offsets[piece[0]], char_offsets[piece[1] - 1] + 1)
        if string_pointer not in self._inner:
            # JSON in a string (a token lifetime definition) is located as a file is; other text is scanned.
            self._inner[string_pointer] = JsonPositions(value, tolerant=not _is_json_without_repeated_keys(value))
        inner = self._inner[string_pointer]
        if inner is None:
            return None
        found = inner._offsets_of(rest)
        if found is None:
            return None
        start, end = found
        # Decoders append the offset just past the string: an escaped last character (`\"`) ends there.
        stop = char_offsets[end] if end < len(char_offsets) else char_offsets[max(end - 1, start)] + 1
        return self.span_of_offsets(char_offsets[start], stop)


def _refuse_repeated_keys(pairs: list[tuple[str, Any]]) -> None:
    if len({key for key, _ in pairs}) != len(pairs):
        raise ValueError("a repeated key")


_UNIQUE_KEYS_DECODER = json.JSONDecoder(object_pairs_hook=_refuse_repeated_keys)


def _is_json_without_repeated_keys(text: str) -> bool:
    """Whether json.loads reads text with no object repeating a key: there a locator answers as scan_json does."""
    try:
        _UNIQUE_KEYS_DECODER.decode(text)
    except (ValueError, RecursionError):
        return False
    return True


def _comma_piece(value: str, index: int) -> tuple[int, int] | None:
    position = 0
    for number, piece in enumerate(value.split(",")):
        if number == index:
            stripped = piece.strip()
            start = position + piece.index(stripped) if stripped else position
            return start, start + max(len(stripped), 1)
        position += len(piece) + 1
    return None


class JsonPositions(PositionIndex):
    """Positions in JSON text, found by a small iterative scanner only when a span is asked for.

    json.loads gives no positions; re-scanning only the files that have findings keeps the
    no-finding path at json.loads speed. `tolerant` scans as far as the text is valid JSON.
    Valid JSON is not scanned whole: a JsonLocator walks only the containers a pointer passes.
    """

    def __init__(self, text: str, *, tolerant: bool = False, locator: JsonLocator | None = None) -> None:
        super().__init__(text)
        self.tolerant = tolerant
        # Subclasses that add offsets in _build need the whole scan.
        whole_scan = tolerant or type(self)._build is not JsonPositions._build
        if locator is not None and locator.text is not text:
            raise ValueError("the locator reads another text")
        self._locator = None if whole_scan else locator if locator is not None else JsonLocator(text)
        self._strings: dict[str, tuple[str, list[int]] | None] = {}

    def _offsets_of(self, pointer: str) -> tuple[int, int] | None:
        if self._locator is not None:
            try:
                return self._locator.locate(pointer)
            except InvalidJson:
                self._locator = None
        return self.offsets().get(pointer)

    def string_value(self, pointer: str) -> tuple[str, list[int]] | None:
        # Kept: each finding inside a string (a token lifetime definition) asks for it again.
        if pointer not in self._strings:
            found = self._offsets_of(pointer)
            if found is None or self.text[found[0]] != '"':
                self._strings[pointer] = None
            else:
                self._strings[pointer] = json_string_offsets(self.text, *found)
        return self._strings[pointer]

    def compact(self) -> None:
        self._strings.clear()

    def _build(self) -> dict[str, tuple[int, int]]:
        offsets: dict[str, tuple[int, int]] = {}
        for pointer, start, end in scan_json(self.text):
            offsets.setdefault(pointer, (start, end))
        return offsets


class TextPositions(PositionIndex):
    """Positions recorded by a parser that gives them for free (tree-sitter, YAML marks)."""

    def __init__(
        self,
        text: str,
        offsets: dict[str, tuple[int, int]],
        strings: Mapping[str, Callable[[], tuple[str, list[int]] | None]] | None = None,
    ) -> None:
        super().__init__(text)
        self._offsets = offsets
        self._strings = strings if strings is not None else {}

    def _build(self) -> dict[str, tuple[int, int]]:
        return {}

    def string_value(self, pointer: str) -> tuple[str, list[int]] | None:
        decoder = self._strings.get(pointer)
        return decoder() if decoder is not None else None
