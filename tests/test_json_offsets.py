"""parse_json_located, which parses the top levels member by member, agrees with parse_json and scan_json."""

from __future__ import annotations

import itertools
import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from linter.loaders import load_text
from linter.loaders.json.locate import JsonLocator
from linter.loaders.json.parse import ParseError, parse_json, parse_json_located
from linter.loaders.positions import JsonPositions
from linter.model.jsonscan import scan_json
from linter.model.source import decode_text
from tests.conftest import CORPUS, FIXTURES, REPO, shared_cases
from tests.test_jsonlocate import VALUES, WHITESPACE, spaced


def outcome(parse: Any, text: str) -> tuple[str, Any]:
    """What a parse gives: its value as ordered JSON, or its error's message and span."""
    try:
        return "value", json.dumps(parse(text))
    except ParseError as error:
        return "error", (str(error), error.span)


def assert_agrees(text: str) -> None:
    """Same value (key order included) or same error as parse_json; the locator agrees with scan_json."""
    expected = outcome(parse_json, text)
    assert outcome(lambda text: parse_json_located(text)[0], text) == expected
    if expected[0] == "error":
        return
    offsets = {pointer: (start, end) for pointer, start, end in scan_json(text)}
    located = parse_json_located(text)[1]
    if located is None:
        return
    assert located.text is text
    for order in (
        sorted(offsets, key=lambda pointer: offsets[pointer][0]),
        sorted(offsets, key=lambda p: -offsets[p][0]),
    ):
        locator = parse_json_located(text)[1]
        assert locator is not None
        for pointer in order:
            assert locator.locate(pointer) == offsets[pointer], pointer
        assert locator.locate("/no such member") is None
        assert locator.locate("/value/99999") is None


def json_files() -> list[Path]:
    roots = (FIXTURES, REPO / "examples", CORPUS)
    return sorted(path for root in roots if root.is_dir() for path in root.rglob("*.json"))


@pytest.mark.parametrize("path", shared_cases("corpus", json_files()), ids=lambda path: path.name)
def test_agrees_on_real_files(path: Path) -> None:
    try:
        text = decode_text(path.read_bytes())
    except ValueError:
        pytest.skip("not text")
    assert_agrees(text)


# Graph collections: the shape the member-by-member parse is for.
COLLECTIONS = st.fixed_dictionaries(
    {"@odata.context": st.just("https://graph.microsoft.com/v1.0/$metadata#policies"), "value": st.lists(VALUES)}
)


@settings(max_examples=300, deadline=None)
@given(VALUES | COLLECTIONS, st.lists(st.sampled_from(WHITESPACE), min_size=1), st.booleans())
def test_agrees_on_generated_json(value: Any, whitespace: list[str], ascii_only: bool) -> None:
    assert_agrees(spaced(value, itertools.cycle(whitespace), ascii_only))


@settings(max_examples=300, deadline=None)
@given(COLLECTIONS, st.integers(min_value=0), st.sampled_from(["", "x", ",", "]", "}", "{", '"', ":", "1", "\\", " "]))
def test_agrees_on_broken_collections(value: Any, where: int, inserted: str) -> None:
    text = json.dumps(value, indent=4)
    where %= len(text) + 1
    assert_agrees(text[:where] + inserted + text[where + 1 :])


IRREGULAR = [
    "",
    "   ",
    "\ufeff{}",
    "1",
    '"value"',
    "null",
    "{}",
    "[]",
    "{ }",
    "[ \n ]",
    '{"value": [ ]}',
    '{"value": []} x',
    '{"value": []}{}',
    '{"value": [1,]}',
    '{"value": [1 2]}',
    '{"value": [1],}',
    '{"a": 1 "b": 2}',
    '{"a": 1, "a": 2}',
    '{"value": [{"a": 1, "a": 2}]}',
    '{"value": [NaN]}',
    '{"value": [-Infinity]}',
    '{"value": [' + "1" * 5000 + "]}",
    '{"value": ["\\ud800"]}',
    '{"value": ["\\ud83d\\ude00"]}',
    '{"va\\u006cue": [1, 2]}',
    '{"a\tb": 1}',
    '{"a/b~c": [1, {"d": 2}]}',
    '{"value": "\\u0000"}',
    '{"value": ["a\nb"]}',
    '{"value": [' + "[" * 5000 + "]" * 5000 + "]}",
    "[" * 5000 + "]" * 5000,
    '{"value": [{"x": 1}, {"y": 2}',
    '{"value": [{"x": 1}, {"y": 2}]',
    '{"value"',
    "[1, 2, [3, [4]]]",
]


@pytest.mark.parametrize("text", IRREGULAR)
def test_irregular_text_parses_or_fails_as_parse_json_does(text: str) -> None:
    assert_agrees(text)


def test_only_a_root_container_with_plain_keys_gets_a_locator() -> None:
    assert parse_json_located('{"value": [1]}')[1] is not None
    assert parse_json_located("[1]")[1] is not None
    assert parse_json_located("1")[1] is None
    assert parse_json_located('{"va\\u006cue": [1]}')[1] is None
    assert parse_json_located('{"value": ["\\ud83d\\ude00"]}')[1] is None


@pytest.mark.parametrize("wrong", [None, 1, ["{}"], {"value": []}])
def test_wrong_types_are_refused(wrong: Any) -> None:
    with pytest.raises(TypeError):
        parse_json_located(wrong)


def test_positions_refuse_a_locator_of_another_text() -> None:
    text = '{"value": [1]}'
    with pytest.raises(ValueError, match="another text"):
        JsonPositions(text + " ", locator=JsonLocator(text))


def graph_files() -> list[Path]:
    """Graph JSON files that hold policies (the others have no document to span)."""
    graph = [path for path in json_files() if "graph" in path.parts or "graph-json" in path.parts]
    results = {path: load_text(str(path), decode_text(path.read_bytes())) for path in graph}
    return [path for path, result in results.items() if result is not None and result.documents]


@pytest.mark.parametrize("path", graph_files(), ids=lambda path: path.name)
def test_loaded_documents_span_as_a_fresh_scan_does(path: Path) -> None:
    text = decode_text(path.read_bytes())
    result = load_text(str(path), text)
    assert result is not None and result.documents
    fresh = JsonPositions(text)
    for document in result.documents:
        assert document.positions is not None
        for pointer, _, _ in scan_json(text):
            if pointer.startswith(document.pointer + "/"):
                relative = pointer[len(document.pointer) :]
                assert document.span(relative) == fresh.nearest_span(pointer), pointer


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.sampled_from(["\\", "\\\\", "u", "d", "D", "8", "b", "f", "c", "0", '"', "x", "\\ud8", "\\uD"]), max_size=120
    )
)
def test_surrogate_escapes_are_found_as_a_regex_search_finds_them(pieces: list[str]) -> None:
    from linter.loaders.json.parse import _SURROGATE_ESCAPE, _has_surrogate_escape

    text = "".join(pieces)
    assert _has_surrogate_escape(text) == (_SURROGATE_ESCAPE.search(text) is not None)


@pytest.mark.parametrize("backslashes", [0, 1, 31, 32, 33, 100])
def test_a_surrogate_escape_after_many_backslashes_is_found(backslashes: int) -> None:
    from linter.loaders.json.parse import _has_surrogate_escape

    assert _has_surrogate_escape('"' + '\\"' * backslashes + '\\ud800"')
    assert not _has_surrogate_escape('"' + '\\"' * backslashes + '\\u0041"')
    with pytest.raises(ParseError, match="lone UTF-16 surrogate"):
        parse_json('["' + '\\"' * backslashes + '\\ud800"]')
