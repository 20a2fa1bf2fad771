"""The YAML constructor's fast path (texts without anchors) builds what the alias-safe path builds."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from linter.loaders.json.parse import ParseError
from linter.loaders.yaml import compose as yamlcompose
from linter.loaders.yaml.compose import MAX_DEPTH, compose
from linter.loaders.yaml.node_index import NodeIndex
from linter.loaders.yaml.parse import _construct, parse_yaml
from linter.loaders.yaml.positions import YamlPositions
from linter.model.source import Span, decode_text, escape_pointer, yaml_line_ends
from tests.conftest import CORPUS, FIXTURES, REPO, shared_cases

POLICY = """\
displayName: p
state: enabled
conditions:
  users: {includeUsers: [All], excludeUsers: []}
  applications:
    includeApplications:
    - All
  clientAppTypes: [all]
  n: [1, 1.5, true, null, ~, 0x1F, 2001-12-14]
grantControls: {operator: OR, builtInControls: [mfa]}
"""
POLICY_DATA = {
    "displayName": "p",
    "state": "enabled",
    "conditions": {
        "users": {"includeUsers": ["All"], "excludeUsers": []},
        "applications": {"includeApplications": ["All"]},
        "clientAppTypes": ["all"],
        "n": [1, 1.5, True, None, None, 31, "2001-12-14"],
    },
    "grantControls": {"operator": "OR", "builtInControls": ["mfa"]},
}


def error(text: str) -> tuple[str, Span]:
    with pytest.raises(ParseError) as raised:
        parse_yaml(text)
    return str(raised.value), raised.value.span


def test_a_text_without_anchors_and_one_with_an_anchor_build_the_same_values() -> None:
    assert parse_yaml(POLICY) == [POLICY_DATA]
    assert parse_yaml(POLICY.replace("state: enabled", "state: &s enabled")) == [POLICY_DATA]


def test_nesting_past_the_recursion_limit_is_built_without_recursion() -> None:
    depth = MAX_DEPTH  # over what Python's recursion limit lets a recursive walk reach
    (value,) = parse_yaml("[" * depth + "x" + "]" * depth)
    for _ in range(depth):
        assert isinstance(value, list)
        (value,) = value
    assert value == "x"


@pytest.mark.parametrize("anchor", ["", "&a "])
def test_errors_come_in_the_order_the_nodes_are_read(anchor: str) -> None:
    # The duplicate key is found when the mapping is complete, after its values were read.
    assert error(f"a: {anchor}1\na: 2\nb: !!python/name:os.system x\n") == (
        "unsupported YAML tag 'tag:yaml.org,2002:python/name:os.system': entralint never constructs tagged objects",
        Span(3, 4, 3, 29),
    )
    assert error(f"a: {anchor}1\nb: [2]\na: 3\n") == (
        "duplicate key 'a': which value wins is ambiguous",
        Span(3, 1, 3, 2),
    )
    assert error(f"a: {anchor}1\n? [b]\n: 2\n") == ("a YAML mapping key must be a scalar", Span(2, 3, 2, 6))


@pytest.mark.parametrize("anchor", ["", "&x "])
def test_merge_keys_merge_and_explicit_keys_win(anchor: str) -> None:
    # YAML 1.1 merge keys, as PyYAML's SafeLoader reads them: explicit keys override merged ones.
    text = f"base: {anchor}{{a: 1, c: 4}}\nchild:\n  <<: [{{a: 2, d: 5}}, {{d: 6}}]\n  b: 3\n  c: 7\n"
    assert parse_yaml(text) == [{"base": {"a": 1, "c": 4}, "child": {"a": 2, "d": 5, "b": 3, "c": 7}}]
    assert parse_yaml("defaults: &d {state: enabled}\np:\n  <<: *d\n  name: x\n") == [
        {"defaults": {"state": "enabled"}, "p": {"state": "enabled", "name": "x"}}
    ]
    assert parse_yaml(f"k: {anchor}1\n'<<': quoted\n") == [{"k": 1, "<<": "quoted"}]
    assert error(f"a: {anchor}{{k: 1}}\nb:\n  <<: {{k: 1}}\n  <<: {{k: 2}}\n") == (
        "duplicate merge key '<<': which merge wins is ambiguous",
        Span(4, 3, 4, 5),
    )


def test_many_shallow_list_items_are_read_without_a_depth_scan(monkeypatch: pytest.MonkeyPatch) -> None:
    def scan(*args: object, **kwargs: object) -> None:
        raise AssertionError("the depth scan ran")

    monkeypatch.setattr(yaml, "parse", scan)
    items = "".join(f"- id: '{number}'\n  includeUsers:\n  - All\n  excludeUsers: []\n" for number in range(600))
    values: list[Any] = parse_yaml("value:\n" + items)
    assert len(values[0]["value"]) == 600
    assert values[0]["value"][599] == {"id": "599", "includeUsers": ["All"], "excludeUsers": []}


def test_texts_over_the_bound_are_still_scanned_for_depth() -> None:
    assert error("value:\n" + "- " * 1200 + "x\n") == (
        "YAML nested more than 900 levels deep: entralint stops reading here",
        Span(2, 1799, 2, 1800),
    )
    assert error("value: " + "[" * 600 + "{a: " * 600 + "\n") == (
        "YAML nested more than 900 levels deep: entralint stops reading here",
        Span(1, 1804, 1, 1805),
    )


class ShallowLibyaml(yaml.CSafeLoader):  # type: ignore[misc]
    """A PyYAML whose parser stops at a nesting limit of its own, under entralint's, in words of its own."""

    depth = 0

    def get_event(self) -> yaml.Event:
        event: yaml.Event = super().get_event()
        if isinstance(event, (yaml.SequenceStartEvent, yaml.MappingStartEvent)):
            self.depth += 1
            if self.depth > 50:
                raise yaml.scanner.ScannerError("while nesting", event.start_mark, "too deep for me", event.start_mark)
        elif isinstance(event, (yaml.SequenceEndEvent, yaml.MappingEndEvent)):
            self.depth -= 1
        return event


def test_entralint_reports_its_own_depth_limit_whatever_limit_pyyaml_has(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(yamlcompose, "_Loader", ShallowLibyaml)
    assert error("value:\n" + "- " * 1200 + "x\n") == (
        "YAML nested more than 900 levels deep: entralint stops reading here",
        Span(2, 1799, 2, 1800),
    )
    # Under entralint's limit, a text that PyYAML alone refuses is invalid YAML where PyYAML stops: at the
    # 51st level, the 50th `[` after the outer one and 900 mappings of 8 characters each.
    many_then_deep = "[" + "{a: 1}, " * 900 + "[" * 99 + "x" + "]" * 100
    assert error(many_then_deep) == ("invalid YAML: too deep for me", Span(1, 7251, 1, 7252))
    # A syntax error keeps libyaml's words and position, not the pure-Python parser's.
    broken = "[" + "{a: 1}, " * 900 + "}"
    with pytest.raises(yaml.MarkedYAMLError) as libyaml:
        list(yaml.parse(broken, Loader=yaml.CSafeLoader))
    mark = libyaml.value.problem_mark
    assert mark is not None
    assert error(broken) == (f"invalid YAML: {libyaml.value.problem}", Span.point(mark.line + 1, mark.column + 1))


@pytest.mark.parametrize(
    "text",
    [
        "- " * MAX_DEPTH + "x\n",
        "value: " + "[" * (MAX_DEPTH - 1) + "x" + "]" * (MAX_DEPTH - 1) + "\n",
        "".join(" " * level + "a:\n" for level in range(MAX_DEPTH)),
    ],
    ids=["compact", "flow", "block"],
)
def test_the_installed_pyyaml_reads_every_depth_entralint_reads(text: str) -> None:
    # PyYAML 6.0.4's libyaml refuses 999 block levels: entralint's limit must stay under any PyYAML's.
    (value,) = parse_yaml(text)
    depth = 0
    while isinstance(value, (list, dict)):
        (value,) = value.values() if isinstance(value, dict) else value
        depth += 1
    assert depth == MAX_DEPTH


@pytest.mark.parametrize("budget", [1, 4, 7, 8])
def test_an_overspent_budget_fails_at_the_same_node_on_both_paths(budget: int) -> None:
    (root,) = compose("a: [1, 2]\nb: {c: d}\n")
    for anchors in (False, True):
        with pytest.raises(ParseError) as raised:
            _construct(root, [budget], anchors=anchors)
        assert str(raised.value) == "YAML aliases expand to too many values (a billion-laughs document?)"
        assert (
            raised.value.span
            == {1: Span(1, 1, 1, 2), 4: Span(1, 8, 1, 9), 7: Span(2, 4, 2, 10), 8: Span(2, 5, 2, 6)}[budget]
        )


def test_a_budget_that_suffices_is_spent_as_the_stack_spends_it() -> None:
    (root,) = compose("a: [1, 2]\nb: {c: d}\n")
    spent = {}
    for anchors in (False, True):
        budget = [100]
        assert _construct(root, budget, anchors=anchors) == {"a": [1, 2], "b": {"c": "d"}}
        spent[anchors] = 100 - budget[0]
    assert spent == {False: 12, True: 12}


def yaml_files() -> list[Path]:
    roots = (FIXTURES, REPO / "examples", CORPUS)
    found = sorted(
        path for root in roots if root.is_dir() for suffix in ("*.yaml", "*.yml") for path in root.rglob(suffix)
    )
    readable = []
    for path in found:
        text = decode_text(path.read_bytes())
        try:
            parse_yaml(text)
        except ParseError:
            continue
        if "&" not in text:
            readable.append(path)
    return readable


def walk_every_node(text: str) -> dict[str, tuple[int, int]]:
    """The offsets a walk over every composed node in document order records (the reference the index is held
    to): a key's first pair, a value's last; an alias occurrence has its anchor's offsets, and the anchor's
    children are under its own place, the first in the document."""
    offsets: dict[str, tuple[int, int]] = {}
    for number, root in enumerate(compose(yaml_line_ends(text))):
        stack: list[tuple[str, yaml.Node]] = [(f"/{number}", root)]
        seen: set[int] = set()
        while stack:
            pointer, node = stack.pop()
            offsets[pointer] = (node.start_mark.index, node.end_mark.index)
            if isinstance(node, yaml.ScalarNode) or id(node) in seen:
                continue
            seen.add(id(node))
            if isinstance(node, yaml.SequenceNode):
                stack.extend(reversed([(f"{pointer}/{index}", child) for index, child in enumerate(node.value)]))
                continue
            pairs = []
            for key_node, value_node in node.value:
                if isinstance(key_node, yaml.ScalarNode):
                    child = f"{pointer}/{escape_pointer(key_node.value)}"
                    offsets.setdefault(child + "#key", (key_node.start_mark.index, key_node.end_mark.index))
                    pairs.append((child, value_node))
            stack.extend(reversed(pairs))
    return offsets


def assert_walk_agrees(text: str) -> None:
    walked = YamlPositions(text, NodeIndex.of(len(text), compose(yaml_line_ends(text)), aliases="&" in text))
    every = walk_every_node(text)
    assert YamlPositions(text)._build() == every
    for pointer, offsets in every.items():
        assert walked._offsets_of(pointer) == offsets, pointer
    for pointer in ("/9", "/0/no such key", "/0/0/0/0", "/00", "/0#key", ""):
        assert walked._offsets_of(pointer) == every.get(pointer), pointer


ANCHORED = """\
base: &b {users: [All], "a/b": x}
list:
  - *b
  - *b
  - {k: *b, <<: *b}
other: &s text
again: [*s, *s]
---
- &l [1, 2]
- *l
"""


def test_walking_with_aliases_agrees_with_every_node() -> None:
    assert_walk_agrees(ANCHORED)
    positions = YamlPositions(ANCHORED)
    # Each occurrence of an alias points at its anchor; only the anchor's own place has children.
    anchor = positions.span("/0/base")
    assert positions.span("/0/list/0") == positions.span("/0/list/1") == anchor
    # Below an alias occurrence, a pointer continues from the anchor's own place.
    assert positions.span("/0/list/1/users") == positions.span("/0/base/users") != anchor
    assert positions.span("/0/list/2/k/a~1b") == positions.span("/0/base/a~1b")
    assert positions.span("/0/list/1/nothing") is None
    assert positions.string_value("/0/again/1") == (
        "text",
        list(range(ANCHORED.index("text"), ANCHORED.index("text") + 5)),
    )


@pytest.mark.parametrize("path", shared_cases("corpus", yaml_files()), ids=lambda path: path.name)
def test_walking_to_a_pointer_finds_what_the_whole_walk_records(path: Path) -> None:
    assert_walk_agrees(decode_text(path.read_bytes()))


@settings(max_examples=300, deadline=None)
@given(
    st.recursive(
        st.none() | st.booleans() | st.integers() | st.text(alphabet="a~/ :#-é'\"", max_size=4),
        lambda inner: (
            st.lists(inner, max_size=3) | st.dictionaries(st.text(alphabet="a~/ 0é", max_size=3), inner, max_size=3)
        ),
        max_leaves=15,
    ),
    st.booleans(),
)
def test_walking_agrees_on_generated_yaml(value: Any, flow: bool) -> None:
    assert_walk_agrees(yaml.safe_dump(value, default_flow_style=flow, allow_unicode=True))
