"""Spans from the lazy JSON scanner, including inside comma-joined flags and JSON-in-strings."""

from __future__ import annotations

import json
import re
from collections.abc import Callable

import pytest
from hypothesis import given
from hypothesis import strategies as st

from linter.loaders.positions import JsonPositions
from linter.model.jsonscan import json_string_offsets, scan_json
from linter.model.source import DecodeError, Span, decode_text, line_column
from tests.test_jsonlocate import VALUES

TEXT = '{\n  "a": [1, "x,y", {"b": "{\\"T\\": {\\"M\\": \\"1\\"}}"}],\n "c": null}'


def test_value_spans() -> None:
    positions = JsonPositions(TEXT)
    assert positions.span("/a/0") == Span(2, 9, 2, 10)
    assert positions.span("/c") == Span(3, 7, 3, 11)
    assert positions.span("") == Span(1, 1, 3, 12)


def test_comma_joined_flag_piece() -> None:
    assert JsonPositions(TEXT).span("/a/1/1") == Span(2, 15, 2, 16)


def test_json_inside_a_string_maps_through_escapes() -> None:
    span = JsonPositions(TEXT).span("/a/2/b/T/M")
    assert span is not None
    assert (span.start_line, span.start_column) == (2, 42)


def test_nearest_span_falls_back_to_ancestor() -> None:
    assert JsonPositions(TEXT).nearest_span("/a/0/missing") == Span(2, 9, 2, 10)


def test_deep_nesting_does_not_recurse() -> None:
    depth = 50_000
    text = "[" * depth + "]" * depth
    assert JsonPositions(text).span("/0/0") is not None


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b'\xef\xbb\xbf{"a": 1}', '{"a": 1}'),
        ('{"a": 1}'.encode("utf-16"), '{"a": 1}'),
        (b"\xfe\xff" + '{"a": 1}'.encode("utf-16-be"), '{"a": 1}'),
    ],
)
def test_decode_boms(data: bytes, expected: str) -> None:
    assert decode_text(data) == expected


def test_decode_invalid_utf8_reports_position() -> None:
    with pytest.raises(DecodeError) as error:
        decode_text(b'{\n "a": "\xff"}')
    assert (error.value.line, error.value.column) == (2, 8)


def test_decode_nul_is_binary() -> None:
    with pytest.raises(DecodeError, match="binary"):
        decode_text(b"ab\x00cd")


@given(st.text(alphabet="ab\n", max_size=60), st.lists(st.tuples(st.integers(0, 60), st.integers(0, 60)), max_size=8))
def test_spans_counted_from_the_previous_one_agree_with_counting_from_the_start(
    text: str, offsets: list[tuple[int, int]]
) -> None:
    positions = JsonPositions(text)
    for first, second in offsets:
        start, end = sorted((min(first, len(text)), min(second, len(text))))
        last = max(end - 1, start)
        expected = Span(*line_column(text, start), line_column(text, last)[0], end - text.rfind("\n", 0, last))
        assert positions.span_of_offsets(start, end) == expected


@given(st.text(alphabet="ab\n", max_size=60), st.lists(st.tuples(st.integers(0, 60), st.integers(0, 60)), max_size=8))
def test_spans_found_in_the_index_of_line_ends_agree_with_counting_from_the_start(
    text: str, offsets: list[tuple[int, int]]
) -> None:
    positions = JsonPositions(text)  # a file past its first 64 spans answers from the index
    for first, second in offsets:
        start, end = sorted((min(first, len(text)), min(second, len(text))))
        last = max(end - 1, start)
        expected = Span(*line_column(text, start), line_column(text, last)[0], end - text.rfind("\n", 0, last))
        assert positions._span_from_index(start, end) == expected


def char_by_char_string_offsets(text: str, start: int, end: int) -> tuple[str, list[int]]:
    """The reference: every character of the literal decoded and numbered one at a time."""
    chars: list[str] = []
    offsets: list[int] = []
    position, stop = start + 1, end - 1
    while position < stop:
        escape = re.compile(r"\\u[0-9a-fA-F]{4}|\\.", re.DOTALL).match(text, position, stop)
        if escape is None:
            chars.append(text[position])
            offsets.append(position)
            position += 1
            continue
        code = escape.group()
        unescaped = {"n": "\n", "t": "\t", "r": "\r", "b": "\b", "f": "\f"}.get(code[1], code[1])
        chars.append(chr(int(code[2:], 16)) if code.startswith("\\u") else unescaped)
        offsets.append(position)
        position = escape.end()
    offsets.append(stop)
    return "".join(chars), offsets


@given(st.text(), st.booleans(), st.text(alphabet='ab"\\u0', max_size=3))
def test_string_offsets_agree_with_decoding_char_by_char(value: str, ascii_only: bool, around: str) -> None:
    literal = json.dumps(value, ensure_ascii=ascii_only)
    text = around + literal + around
    start, end = len(around), len(around) + len(literal)
    decoded = json_string_offsets(text, start, end)
    assert decoded == char_by_char_string_offsets(text, start, end)
    if not ascii_only:  # escaped, a character past U+FFFF comes back as its two surrogates
        assert decoded[0] == value


@given(st.text(alphabet='ab"\\un0{}', max_size=12), st.integers(0, 12), st.integers(2, 12))
def test_string_offsets_of_any_slice_agree_with_decoding_char_by_char(text: str, start: int, length: int) -> None:
    end = min(start + length, len(text))

    def outcome(decode: Callable[[str, int, int], tuple[str, list[int]]]) -> object:
        try:
            return decode(text, start, end)
        except ValueError:  # a `\u` cut short: not a JSON string, never decoded in a run
            return ValueError

    assert outcome(json_string_offsets) == outcome(char_by_char_string_offsets)


def test_strings_decoded_once_answer_as_a_fresh_index_does() -> None:
    positions = JsonPositions(TEXT)
    pointers = ["/a/2/b/T/M", "/a/2/b/T", "/a/1/0", "/a/1/1", "/a/2/b/T/M", "/c", "/a/1/9"]
    for pointer in pointers:
        assert positions.span(pointer) == JsonPositions(TEXT).span(pointer), pointer
    assert positions.string_value("/a/1") == positions.string_value("/a/1") == ("x,y", [14, 15, 16, 17])
    assert positions.string_value("/c") is None
    positions.compact()
    for pointer in pointers:
        assert positions.span(pointer) == JsonPositions(TEXT).span(pointer), pointer


def assert_json_in_a_string_spans_as_scanned(inner: str) -> None:
    text = json.dumps({"definition": [inner]})
    pointers = ["/definition/0" + pointer for pointer, _, _ in scan_json(inner)]
    pointers += ["/definition/0/no such member", "/definition/0/no such member#key"]
    scanned = JsonPositions(text)
    scanned._inner["/definition/0"] = JsonPositions(inner, tolerant=True)  # every token scanned, as before
    assert [JsonPositions(text).span(pointer) for pointer in pointers] == [scanned.span(p) for p in pointers]


@given(VALUES, st.sampled_from([None, 0, 2]), st.integers(0, 40))
def test_json_in_a_string_is_located_as_it_is_scanned(value: object, indent: int | None, cut: int) -> None:
    inner = json.dumps(value, indent=indent)
    assert_json_in_a_string_spans_as_scanned(inner)
    assert_json_in_a_string_spans_as_scanned(inner[: len(inner) - cut])  # JSON cut short: scanned as far as it goes


@pytest.mark.parametrize(
    "inner",
    [
        '{"T": {"M": 1, "M": 2}, "T": {"N": 3}}',  # repeated keys: scanned, as the first of each is answered
        '{"T": {"M": NaN}}',
        '\ufeff{"T": 1}',
        '{"T": 1} x',
        "",
    ],
)
def test_json_in_a_string_that_a_locator_may_answer_otherwise_is_scanned(inner: str) -> None:
    assert_json_in_a_string_spans_as_scanned(inner)
