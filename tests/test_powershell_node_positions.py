"""Microsoft365DSC positions found in the parsed nodes answer as positions recorded for every value would."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from linter.loaders import load_text
from linter.loaders.powershell.node_positions import NodePositions
from linter.loaders.powershell.tokens import tokenize
from linter.loaders.powershell.values import Node, Parser, Unreadable, record_positions
from linter.model.source import decode_text
from tests.conftest import CORPUS, FIXTURES

REPOSITORY = Path(__file__).resolve().parent.parent


def _configurations() -> list[Path]:
    """Every Microsoft365DSC configuration of the tests and the corpus that declares a policy."""
    found = sorted((FIXTURES / "m365dsc").glob("*.ps1")) + sorted((REPOSITORY / "tests" / "rules").glob("*/*.ps1"))
    found += sorted((CORPUS / "m365dsc").glob("**/*.ps1")) if CORPUS.is_dir() else []
    configurations = []
    for path in found:
        result = load_text(str(path), decode_text(path.read_bytes()))
        if result is not None and result.source_format == "microsoft365dsc" and result.documents + result.absent:
            configurations.append(path)
    return configurations


CONFIGURATIONS = _configurations()


@pytest.mark.parametrize("path", CONFIGURATIONS, ids=lambda path: f"{path.parent.name}/{path.name}")
def test_every_recorded_pointer_is_found_by_walking_the_nodes(path: Path) -> None:
    result = load_text(str(path), decode_text(path.read_bytes()))
    assert result is not None
    indexes = {id(document.positions): document.positions for document in result.documents + result.absent}
    for positions in indexes.values():
        assert isinstance(positions, NodePositions)
        recorded: dict[str, tuple[int, int]] = {}
        strings: dict[str, Any] = {}
        for pointer, node in positions._roots.items():
            record_positions(positions.text, node, pointer, recorded, strings)
        assert positions.offsets() == recorded
        for pointer, offsets in recorded.items():
            assert positions._offsets_of(pointer) == offsets
            decoder = strings.get(pointer)
            assert positions.string_value(pointer) == (decoder() if decoder is not None else None)
            for missing in (pointer + "/x", pointer + "/00", pointer + "/-1", pointer + "/~2", pointer + "/"):
                if missing not in recorded:
                    assert positions._offsets_of(missing) is None


def test_keys_with_slashes_and_tildes_are_found_by_their_escaped_pointer() -> None:
    text = "@{ 'a/b' = 'x'; '~c' = @('y', 'z'); '' = 1 }"
    parser = Parser(text, tokenize(text))
    node, _ = parser.hashtable(0)
    positions = NodePositions(text)
    positions.add("/0", node)
    recorded: dict[str, tuple[int, int]] = {}
    record_positions(text, node, "/0", recorded, {})
    assert set(recorded) == {"/0", "/0/a~1b", "/0/~0c", "/0/~0c/0", "/0/~0c/1", "/0/"}
    for pointer, offsets in recorded.items():
        assert positions._offsets_of(pointer) == offsets
    assert positions._offsets_of("/0/a/b") is None
    assert positions._offsets_of("/0/~c") is None
    assert positions._offsets_of("/1") is None


def test_reading_out_counts_every_value_and_stops_at_a_value_holding_itself() -> None:
    text = "@{ A = @('x', 'y'); B = @{ C = 1 } }"
    parser = Parser(text, tokenize(text))
    node, _ = parser.hashtable(0)
    plain, values = parser.read_out(node)
    assert plain == {"A": ["x", "y"], "B": {"C": 1}}
    assert values == 6  # the hashtable, A, its two items, B and C
    looped = Node({}, 0, 1)
    looped.value["self"] = looped
    with pytest.raises(Unreadable, match="a value contains itself"):
        parser.read_out(looped)
