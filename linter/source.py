"""Source text: decoding, spans, and JSON-pointer positions computed on demand."""

from __future__ import annotations

import codecs
import functools
import json
import re
from collections.abc import Callable, Iterator, Mapping
from typing import Any, NamedTuple

from linter.jsonlocate import InvalidJson, JsonLocator

__all__ = [
    "DecodeError",
    "Location",
    "PositionIndex",
    "Span",
    "TextPositions",
    "decode_text",
    "escape_pointer",
    "join_pointer",
    "split_pointer",
]


class Span(NamedTuple):
    """A region of a file; lines and columns are 1-based, end column exclusive (as SARIF counts)."""

    start_line: int
    start_column: int
    end_line: int
    end_column: int

    @classmethod
    def point(cls, line: int, column: int) -> Span:
        return cls(line, column, line, column + 1)


FILE_START = Span(1, 1, 1, 1)


class Location(NamedTuple):
    """A span in a file, plus the JSON pointer of the model value it shows."""

    path: str
    span: Span
    pointer: str = ""


class DecodeError(Exception):
    """The bytes of a file are not text in an encoding entralint reads."""

    def __init__(self, message: str, line: int = 1, column: int = 1) -> None:
        super().__init__(message)
        self.line = line
        self.column = column


def decode_text(data: bytes) -> str:
    """Decode UTF-8 (with or without BOM) or UTF-16 LE/BE with BOM, with CRLF and CR line ends made LF.

    Every line count then agrees: ours, the parsers' and SARIF viewers' (which count a lone CR as a
    line end). Columns do not move: only the CR of CRLF is dropped.
    """
    if data.startswith(codecs.BOM_UTF8):
        encoding, body = "utf-8", data[3:]
    elif data.startswith(codecs.BOM_UTF16_LE):
        encoding, body = "utf-16-le", data[2:]
    elif data.startswith(codecs.BOM_UTF16_BE):
        encoding, body = "utf-16-be", data[2:]
    else:
        encoding, body = "utf-8", data
    try:
        text = body.decode(encoding)
    except UnicodeDecodeError as error:
        prefix = body[: error.start].decode(encoding, errors="replace")
        line = prefix.count("\n") + 1
        column = len(prefix) - (prefix.rfind("\n") + 1) + 1
        reason = "truncated" if error.reason.startswith("truncated") else "invalid"
        raise DecodeError(
            f"{reason} {encoding.upper()} byte sequence at byte {error.start + (len(data) - len(body))}",
            line,
            column,
        ) from None
    if "\x00" in text:
        offset = text.index("\x00")
        line, column = line_column(text, offset)
        raise DecodeError("NUL character: this is a binary file, not text", line, column)
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text


def line_column(text: str, offset: int) -> tuple[int, int]:
    """1-based line and column of a character offset (slow path for one-off errors)."""
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1


def escape_pointer(token: str | int) -> str:
    return str(token).replace("~", "~0").replace("/", "~1")


def join_pointer(base: str, *tokens: str | int) -> str:
    return base + "".join("/" + escape_pointer(token) for token in tokens)


@functools.lru_cache(maxsize=8192)
def split_pointer(pointer: str) -> tuple[str, ...]:
    """The unescaped tokens of a JSON pointer; cached, since rules ask for the same few pointers."""
    if not pointer:
        return ()
    return tuple(part.replace("~1", "/").replace("~0", "~") for part in pointer[1:].split("/"))


def parent_pointer(pointer: str) -> str:
    return pointer[: pointer.rfind("/")] if pointer else ""


class PositionIndex:
    """Maps JSON pointers to spans. Subclasses fill `_offsets`, lazily, from their parser."""

    def __init__(self, text: str) -> None:
        self.text = text
        self._offsets: dict[str, tuple[int, int]] | None = None
        self._inner: dict[str, PositionIndex | None] = {}
        # An offset whose line is known, and that line: the last span's start, which the next is often near.
        self._line_mark = (0, 1)

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
        mark, mark_line = self._line_mark
        if start >= mark:
            start_line = mark_line + text.count("\n", mark, start)
        else:
            start_line = mark_line - text.count("\n", start, mark)
        self._line_mark = (start, start_line)
        last = max(end - 1, start)
        end_line = start_line + text.count("\n", start, last)
        start_column = start - text.rfind("\n", 0, start)
        return Span(start_line, start_column, end_line, end - text.rfind("\n", 0, last))

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

    def string_value(self, pointer: str) -> tuple[str, list[int]] | None:
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


_TOKEN = re.compile(
    r"""(?P<ws>[ \t\r\n\ufeff]+)
      | (?P<string>"(?:[^"\\\n]|\\.)*")
      | (?P<punct>[{}\[\]:,])
      | (?P<scalar>[^\s{}\[\]:,"]+)
      | (?P<bad>.)""",
    re.VERBOSE | re.DOTALL,
)

_ESCAPE = re.compile(r"\\u[0-9a-fA-F]{4}|\\.", re.DOTALL)
_UNESCAPED = {"n": "\n", "t": "\t", "r": "\r", "b": "\b", "f": "\f"}


def json_string_offsets(text: str, start: int, end: int) -> tuple[str, list[int]]:
    """Decode the JSON string literal text[start:end] (quotes included), keeping each char's offset."""
    # Runs of plain characters are copied and numbered whole, in C: only escapes are taken one by one.
    pieces: list[str] = []
    offsets: list[int] = []
    position = start + 1
    stop = end - 1
    for match in _ESCAPE.finditer(text, position, stop):
        escape_start = match.start()
        pieces.append(text[position:escape_start])
        offsets.extend(range(position, escape_start))
        escape = match.group()
        pieces.append(chr(int(escape[2:], 16)) if escape.startswith("\\u") else _UNESCAPED.get(escape[1], escape[1]))
        offsets.append(escape_start)
        position = match.end()
    pieces.append(text[position:stop])
    offsets.extend(range(position, stop))
    offsets.append(stop)
    return "".join(pieces), offsets


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


def scan_json(text: str) -> Iterator[tuple[str, int, int]]:
    """Yield (pointer, start, end) for every value in JSON text; keys yield pointer + '#key'.

    Iterative, so nesting depth is bounded by memory, not by Python's recursion limit.
    Stops quietly at the first token that is not valid JSON.
    """
    # Each frame: [container char, pointer, start offset, next index, pending key, expecting]
    stack: list[list[object]] = []

    def value_pointer() -> str:
        if not stack:
            return ""
        frame = stack[-1]
        if frame[0] == "[":
            return f"{frame[1]}/{frame[3]}"
        return f"{frame[1]}/{escape_pointer(str(frame[4]))}"

    for match in _TOKEN.finditer(text):
        kind = match.lastgroup
        if kind == "ws":
            continue
        token = match.group()
        start, end = match.span()
        frame = stack[-1] if stack else None
        if frame is not None and frame[0] == "{" and frame[5] == "key":
            if kind == "string":
                key, _ = json_string_offsets(text, start, end)
                frame[4] = key
                frame[5] = "colon"
                yield f"{frame[1]}/{escape_pointer(key)}#key", start, end
                continue
            if token == "}":
                pass
            else:
                return
        elif frame is not None and frame[5] == "colon":
            if token != ":":
                return
            frame[5] = "value"
            continue
        elif frame is not None and frame[5] == "comma":
            if token == ",":
                frame[5] = "key" if frame[0] == "{" else "value"
                continue
            if token not in "]}":
                return
        if token in "]}":
            if frame is None or (frame[0] == "{") != (token == "}"):
                return
            stack.pop()
            container_start = frame[2]
            assert isinstance(container_start, int)
            yield str(frame[1]), container_start, end
            if stack:
                _advance(stack[-1])
            continue
        if kind == "punct" and token in "{[":
            stack.append([token, value_pointer(), start, 0, None, "key" if token == "{" else "value"])
            continue
        if kind in ("string", "scalar"):
            yield value_pointer(), start, end
            if stack:
                _advance(stack[-1])
            continue
        return


def _advance(frame: list[object]) -> None:
    if frame[0] == "[":
        index = frame[3]
        assert isinstance(index, int)
        frame[3] = index + 1
    frame[5] = "comma"


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
