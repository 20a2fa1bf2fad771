"""JSON text scanned token by token: string literals decoded with each character's offset, and every value's span."""

from __future__ import annotations

import re
from collections.abc import Iterator

from linter.model.source import escape_pointer

__all__ = ["json_string_offsets", "scan_json"]

# Compiled on first use (through re's cache): a whole scan is for the rare text a locator cannot answer
# (repeated keys) and for positions inside a token lifetime definition.
_TOKEN = r"""(?P<ws>[ \t\r\n\ufeff]+)
      | (?P<string>"(?:[^"\\\n]|\\.)*")
      | (?P<punct>[{}\[\]:,])
      | (?P<scalar>[^\s{}\[\]:,"]+)
      | (?P<bad>.)"""
_TOKEN_FLAGS = re.VERBOSE | re.DOTALL

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

    for match in re.finditer(_TOKEN, text, _TOKEN_FLAGS):
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
