"""JsonLocator, which finds one pointer's offsets, agrees with scan_json, which scans every token."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from linter.jsonlocate import JsonLocator
from linter.loaders.jsontext import ParseError, parse_json
from linter.source import decode_text, scan_json
from tests.conftest import CORPUS, FIXTURES, REPO


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


@pytest.mark.parametrize("path", json_files(), ids=lambda path: path.name)
def test_locator_agrees_on_every_pointer_of_real_files(path: Path) -> None:
    assert_agrees(decode_text(path.read_bytes()))


KEYS = st.text(alphabet=st.sampled_from(["a", "~", "/", '"', "\\", "é", "\u2028", " ", "0"]), max_size=4)
VALUES: Any = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | KEYS,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(KEYS, inner, max_size=4),
    max_leaves=20,
)


@settings(max_examples=300, deadline=None)
@given(VALUES, st.sampled_from([None, 0, 2]), st.booleans())
def test_locator_agrees_on_generated_json(value: Any, indent: int | None, ascii_only: bool) -> None:
    assert_agrees(json.dumps(value, indent=indent, ensure_ascii=ascii_only))
