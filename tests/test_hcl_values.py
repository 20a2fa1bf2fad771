"""HCL string values decoded without offsets, or with a range for offsets, are what the per-character decoders give."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from linter.loaders.hcl import values
from linter.loaders.hcl.values import HclPositions, decode_heredoc, decode_quoted, heredoc_value, quoted_value

HEREDOC_TEXT = st.text(alphabet=[" ", "\t", "\n", "a", "$", "%", "{", "\x0c", "\x0b", "\u00a0", "é"], max_size=40)
# Escapes as the readers let them through (an invalid `\u` is a syntax error before any decoding).
QUOTED_TEXT = st.lists(
    st.sampled_from(["a", "é", "$", "%", "{", "$${", "%%{", "\\n", "\\\\", '\\"', "\\u00e9", "\\U0001F600", " "]),
    max_size=20,
).map("".join)


def _line_start(text: str, index: int) -> int:
    return text.rfind("\n", 0, index) + 1 if index else 0


@settings(max_examples=500, deadline=None)
@given(text=HEREDOC_TEXT, where=st.tuples(st.integers(0, 40), st.integers(0, 40)), flush=st.booleans())
def test_a_heredoc_value_and_its_offsets_are_the_decoders(text: str, where: tuple[int, int], flush: bool) -> None:
    start = _line_start(text, min(where[0], len(text)))  # a heredoc's text starts a line
    end = max(start, min(where[1], len(text)))
    decoded = decode_heredoc(text, start, end, flush)
    assert heredoc_value(text, start, end, flush) == decoded[0]
    positions = HclPositions(text, {}, {"/s": (2 if flush else 1, start, end)})
    found = positions.string_value("/s")
    assert found is not None
    assert (found[0], list(found[1])) == decoded


@settings(max_examples=500, deadline=None)
@given(content=QUOTED_TEXT, prefix=st.text(alphabet="a\n", max_size=3))
def test_a_quoted_value_and_its_offsets_are_the_decoders(content: str, prefix: str) -> None:
    text = f'{prefix}"{content}"'
    start, end = len(prefix) + 1, len(text) - 1
    decoded = decode_quoted(text, start, end)
    assert quoted_value(text, start, end) == decoded[0]
    found = HclPositions(text, {}, {"/s": (0, start, end)}).string_value("/s")
    assert found is not None
    assert (found[0], list(found[1])) == decoded


@pytest.mark.parametrize("chunk", [1, 2, 3])
def test_an_indented_heredoc_is_cut_alike_a_few_lines_at_a_time(monkeypatch: pytest.MonkeyPatch, chunk: int) -> None:
    monkeypatch.setattr(values, "_CUT_CHUNK", chunk)
    monkeypatch.setattr(values, "_PIECES_PER_JOIN", chunk)
    text = "    a\n  \tb\n\n      c $${x}\n\x0c\n  d\n"
    assert heredoc_value(text, 0, len(text), True) == decode_heredoc(text, 0, len(text), True)[0]
    assert heredoc_value(text, 0, len(text), True) == "  a\n\tb\n\n    c ${x}\n\x0c\nd\n"
    quoted = "a\\nb\\u00e9c$${d}\\\\"
    assert quoted_value(quoted, 0, len(quoted)) == "a\nbéc${d}\\"
