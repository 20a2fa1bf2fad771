"""Strict JSON: json.loads speed, with the errors a linter must not let through."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

from linter.loaders.json.locate import InvalidJson, JsonLocator, Scanner, parse_with_offsets
from linter.loaders.positions import JsonPositions
from linter.model.jsonscan import scan_json
from linter.model.source import Span, line_column

__all__ = ["ParseError", "parse_json", "parse_json_located"]

_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F][0-9a-fA-F]{2}")
_BACKSLASHES_TRIED = 32
_STRUCTURE = re.compile(r'"(?:[^"\\]|\\.)*"|[\[{]|[\]}]')
# json.loads stops at Python's recursion limit; we name the place it gave up.
MAX_JSON_DEPTH = 900


class ParseError(Exception):
    """Text that is not valid input; the span says where."""

    def __init__(self, message: str, span: Span) -> None:
        super().__init__(message)
        self.span = span


class _DuplicateKey(Exception):
    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key


def _pairs(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result = dict(pairs)
    if len(result) != len(pairs):
        seen: set[str] = set()
        for key, _ in pairs:
            if key in seen:
                raise _DuplicateKey(key)
            seen.add(key)
    return result


def _constant(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON value")


# json.loads's own scanner with parse_json's hooks; typeshed does not declare scan_once.
_DECODER = json.JSONDecoder(object_pairs_hook=_pairs, parse_constant=_constant)
_STRICT_SCAN: Scanner = _DECODER.scan_once  # type: ignore[attr-defined]


def parse_json_located(text: str) -> tuple[Any, JsonLocator | None]:
    """parse_json's value, with a locator that knows where the top-level values lie (None if it cannot).

    Whatever the member-by-member parse does not take as it is (errors, NaN, duplicate keys, escaped
    root keys, surrogate escapes) is parsed again by parse_json, which reports it as it always has.
    """
    if not _has_surrogate_escape(text):
        try:
            return parse_with_offsets(text, _STRICT_SCAN, _pairs)
        except (InvalidJson, _DuplicateKey, StopIteration, ValueError, IndexError, RecursionError):
            pass
    return parse_json(text), None


def parse_json(text: str) -> Any:
    """Parse JSON, rejecting duplicate keys, NaN/Infinity, lone surrogates, and reporting positions."""
    try:
        value = json.loads(text, object_pairs_hook=_pairs, parse_constant=_constant)
    except json.JSONDecodeError as error:
        trailing = _trailing_comma(text, error.pos)
        if trailing is not None:
            comma, bracket = trailing
            span = Span.point(*line_column(text, comma))
            raise ParseError(f"invalid JSON: trailing comma before {bracket!r}", span) from None
        raise ParseError(f"invalid JSON: {error.msg}", Span.point(error.lineno, error.colno)) from None
    except _DuplicateKey as error:
        raise ParseError(
            f"duplicate key {error.key!r}: which value wins is ambiguous", _duplicate_span(text, error.key)
        ) from None
    except RecursionError:
        raise ParseError(
            f"JSON nested more than {MAX_JSON_DEPTH} levels deep: entralint stops reading here", _too_deep(text)
        ) from None
    except ValueError as error:
        # parse_constant and int() past sys.get_int_max_str_digits() land here, without a position.
        raise ParseError(f"invalid JSON: {error}", _first_offending_span(text, str(error))) from None
    if _has_surrogate_escape(text):
        _reject_lone_surrogates(text, value)
    return value


def _trailing_comma(text: str, position: int) -> tuple[int, str] | None:
    """(the comma's index, the bracket after it) when the JSON error at position is a trailing comma.

    Python 3.13's json reports one at the comma in words of its own, earlier versions at the bracket as
    "Expecting property name" or "Expecting value": entralint says it one way, at the comma to delete.
    """
    comma = position
    if text[position : position + 1] != ",":
        before = text[:position].rstrip(" \t\n\r")
        if not before.endswith(","):
            return None
        comma = len(before) - 1
    after = text[comma + 1 :].lstrip(" \t\n\r")[:1]
    return (comma, after) if after in ("}", "]") and after else None


def _has_surrogate_escape(text: str) -> bool:
    """Whether _SURROGATE_ESCAPE occurs in text."""
    # Tried at the first backslashes only, which str.find finds with memchr: a regular expression
    # search steps through every character, and most policy files hold no backslash or a few.
    backslash = str.find(text, "\\")  # a TypeError for what is not text, as the regex search raised
    for _ in range(_BACKSLASHES_TRIED):
        if backslash < 0:
            return False
        if _SURROGATE_ESCAPE.match(text, backslash):
            return True
        backslash = text.find("\\", backslash + 1)
    return backslash >= 0 and _SURROGATE_ESCAPE.search(text, backslash) is not None


def _duplicate_span(text: str, key: str) -> Span:
    seen: set[str] = set()
    positions = JsonPositions(text)
    for pointer, start, end in scan_json(text):
        if pointer.endswith("#key"):
            if pointer in seen and pointer.rsplit("/", 1)[-1][:-4].replace("~1", "/").replace("~0", "~") == key:
                return positions.span_of_offsets(start, end)
            seen.add(pointer)
    return Span.point(1, 1)


def _too_deep(text: str) -> Span:
    depth = 0
    for match in _STRUCTURE.finditer(text):
        token = match.group()
        if token in "[{":
            depth += 1
            if depth > MAX_JSON_DEPTH:
                return Span.point(*line_column(text, match.start()))
        elif token in "]}":
            depth -= 1
    return Span.point(1, 1)


def _first_offending_span(text: str, message: str) -> Span:
    for pattern in (r"-?\bNaN\b|-?\bInfinity\b", r"-?\d{4300,}"):
        match = re.search(pattern, text)
        if match:
            return Span.point(*line_column(text, match.start()))
    return Span.point(1, 1)


def _strings(value: Any) -> Iterator[str]:
    stack = [value]
    while stack:
        current = stack.pop()
        if isinstance(current, str):
            yield current
        elif isinstance(current, dict):
            stack.extend(current.keys())
            stack.extend(current.values())
        elif isinstance(current, list):
            stack.extend(current)


def _reject_lone_surrogates(text: str, value: Any) -> None:
    for string in _strings(value):
        try:
            string.encode("utf-8")
        except UnicodeEncodeError:
            match = _SURROGATE_ESCAPE.search(text)
            assert match is not None
            span = Span.point(*line_column(text, match.start()))
            raise ParseError("lone UTF-16 surrogate escape: the string is not valid Unicode", span) from None
