"""JsonLocator, which finds one pointer's offsets, agrees with scan_json, which scans every token."""

from __future__ import annotations

import itertools
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from linter.loaders.json.locate import InvalidJson, JsonLocator
from linter.loaders.json.parse import ParseError, parse_json
from linter.model.jsonscan import scan_json
from linter.model.source import decode_text
from tests.conftest import CORPUS, FIXTURES, REPO, shared_cases


def assert_agrees(text: str) -> None:
    expected = {pointer: (start, end) for pointer, start, end in scan_json(text)}
    # Deepest first (each container is first read on the way to a member), in text order, and
    # backwards (each reading resumes past members entered before).
    orders = [
        sorted(expected, key=lambda pointer: -pointer.count("/")),
        sorted(expected, key=lambda pointer: expected[pointer][0]),
        sorted(expected, key=lambda pointer: -expected[pointer][0]),
    ]
    for order in orders:
        locator = JsonLocator(text)
        for pointer in order:
            assert locator.locate(pointer) == expected[pointer], pointer
        assert locator.locate("/no such member") is None
        assert locator.locate("/no such member/0") is None


def json_files() -> list[Path]:
    roots = (FIXTURES, REPO / "examples", CORPUS)
    files = sorted(path for root in roots if root.is_dir() for path in root.rglob("*.json"))
    readable = []
    for path in files:
        try:
            parse_json(decode_text(path.read_bytes()))  # duplicate keys are IN001: never located
        except (ParseError, ValueError):
            continue
        readable.append(path)
    return readable


@pytest.mark.parametrize("path", shared_cases("corpus", json_files()), ids=lambda path: path.name)
def test_locator_agrees_on_every_pointer_of_real_files(path: Path) -> None:
    assert_agrees(decode_text(path.read_bytes()))


# Structural characters in keys make key texts that a quote closing a string starts.
KEYS = st.text(
    alphabet=st.sampled_from(["a", "~", "/", '"', "\\", "é", "\u2028", " ", "0", ",", ":", "}", "["]), max_size=4
)
VALUES: Any = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | KEYS,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(KEYS, inner, max_size=4),
    max_leaves=20,
)


@settings(max_examples=300, deadline=None)
@given(VALUES, st.sampled_from([None, 0, 2]), st.booleans())
def test_locator_agrees_on_generated_json(value: Any, indent: int | None, ascii_only: bool) -> None:
    assert_agrees(json.dumps(value, indent=indent, ensure_ascii=ascii_only))


WHITESPACE = ["", " ", "\n", "\t", "\r\n  ", "\n    "]


def spaced(value: Any, whitespace: Iterator[str], ascii_only: bool = True) -> str:
    """JSON text of value with the next whitespace around every token."""

    def gap() -> str:
        return next(whitespace)

    def dumps(value: Any) -> str:
        return json.dumps(value, ensure_ascii=ascii_only)

    if isinstance(value, dict):
        members = [
            gap() + dumps(key) + gap() + ":" + gap() + spaced(item, whitespace, ascii_only) + gap()
            for key, item in value.items()
        ]
        return "{" + (",".join(members) if members else gap()) + "}"
    if isinstance(value, list):
        elements = [gap() + spaced(item, whitespace, ascii_only) + gap() for item in value]
        return "[" + (",".join(elements) if elements else gap()) + "]"
    return dumps(value)


@settings(max_examples=300, deadline=None)
@given(VALUES, st.lists(st.sampled_from(WHITESPACE), min_size=1), st.booleans())
def test_locator_agrees_on_json_with_any_whitespace(value: Any, whitespace: list[str], ascii_only: bool) -> None:
    assert_agrees(spaced(value, itertools.cycle(whitespace), ascii_only))


@pytest.mark.parametrize("text", ["[ ]", "{ }", '{"a": [\n], "b": { }}', "[ [ ] , { } ]", " [1] "])
def test_locator_on_empty_containers_and_spaces(text: str) -> None:
    assert_agrees(text)


@settings(max_examples=300, deadline=None)
@given(VALUES, st.integers(min_value=0), st.sampled_from(["", "x", ",", "]", "}", "{", '"', ":", "1", "\\"]))
def test_locator_on_broken_text_answers_or_raises_invalid_json(value: Any, where: int, replacement: str) -> None:
    text = json.dumps(value, indent=1)
    where %= len(text) + 1
    broken = text[:where] + replacement + text[where + 1 :]
    pointers = [pointer for pointer, _, _ in scan_json(text)]
    locator = JsonLocator(broken)
    for pointer in pointers:
        try:
            found = locator.locate(pointer)
        except InvalidJson:
            locator = JsonLocator(broken)
            continue
        assert found is None or 0 <= found[0] < found[1] <= len(broken)


PADDING = '"padding": "' + "x" * 40 + '"'


@pytest.mark.parametrize(
    ("text", "pointer", "expected"),
    [
        # The member is found by its key's text: the object's end is known once the root was located.
        ("{" + PADDING + ', "c": [1, 2]}', "/c", "[1, 2]"),
        ("{" + PADDING + ', "c": 1, "d": {"c": 2}}', "/c", "1"),
        # A key of that text in a deeper object, in an escaped key, or a string value: not this member.
        ("{" + PADDING + ', "b": {"c": 2}}', "/c", None),
        ("{" + PADDING + ', "b": [{"c": 2}], "e": 3}', "/c", None),
        ("{" + PADDING + ', "x\\"c": 2}', "/c", None),
        ("{" + PADDING + ', "k": "c", "c": 5}', "/c", "5"),
        ("{" + PADDING + ', "k": "\\"c\\": 4", "c": 5}', "/c", "5"),
        ("{" + PADDING + ', "st\\u0061te": 6}', "/state", "6"),
    ],
)
def test_locator_finds_late_members_by_their_key(text: str, pointer: str, expected: str | None) -> None:
    locator = JsonLocator(text)
    assert locator.locate("") == (0, len(text))
    found = locator.locate(pointer)
    assert (None if found is None else text[found[0] : found[1]]) == expected
    assert_agrees(text)


@pytest.mark.parametrize(
    ("text", "pointer", "expected"),
    [
        # No bracket before the key text: it is a member, found without a scan.
        ('{"a": "x", "b": 1, "c": 2}', "/c", "2"),
        ('{"a": "x", "": 3}', "/", "3"),
        # Brackets before it: the members before it scan as a whole object, also with brackets in strings.
        ('{"a": [1], "c": 2}', "/c", "2"),
        ('{"a": "{[", "c": 1}', "/c", "1"),
        # A key of that text in a deeper object, in a later object, or after an escaped quote: not the member.
        ('{"a": {"c": 1}, "c": 2}', "/c", "2"),
        ('{"a": {"b": 1, "c": 3}, "c": 2}', "/c", "2"),
        ('{"a": {"x": 1}, "b": {"y": 0, "c": 2}}', "/a/c", None),
        ('{"a\\"": 1, "": 2}', "/", "2"),
        ('{"k": "\\"c\\": 4", "c": 5}', "/c", "5"),
        # A key text that a string's closing quote starts: `", "` after "b" is not the key ", ".
        ('{"a": "b", ":": 1}', "/, ", None),
        ('{"a": "b", ":": 1, ", ": 2}', "/, ", "2"),
        ('{"a": ["b", ": x"], ", ": 5}', "/, ", "5"),
        ('{"x": 0, " k": 1, ",": 2, "]": 3}', "/]", "3"),
        # Containers that are not objects, and tokens that are not indexes.
        ('{"a": "c", "b": [1, {"c": 2}]}', "/a/c", None),
        ('{"a": "c", "b": [1, {"c": 2}]}', "/b/c", None),
        ('{"a": "c", "b": [1, {"c": 2}]}', "/b/01", None),
        ('{"a": "c", "b": [1, {"c": 2}]}', "/b/1/c", "2"),
    ],
)
def test_locator_checks_a_key_text_before_taking_it(text: str, pointer: str, expected: str | None) -> None:
    # Fresh, the object's end is unknown; once the root is located, a key text nearer the end is checked from it.
    for locate_root_first in (False, True):
        locator = JsonLocator(text)
        if locate_root_first:
            assert locator.locate("") == (0, len(text))
        found = locator.locate(pointer)
        assert (None if found is None else text[found[0] : found[1]]) == expected
    assert_agrees(text)
