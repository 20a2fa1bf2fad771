"""Safe YAML: libyaml's C composer for speed, our own iterative constructor for safety.

Nodes come from `yaml.compose_all` with the C loader; values are built here so that tags
are never executed, aliases cannot expand without bound, duplicate keys are errors, and
scalars keep their text (timestamps stay strings, as in JSON).
"""

from __future__ import annotations

import sys
from typing import Any

import yaml

from linter.loaders.document_limit import current_limit
from linter.loaders.json.parse import ParseError
from linter.loaders.yaml.compose import UnreadDocuments, compose_each
from linter.loaders.yaml.node_index import NodeIndex
from linter.loaders.yaml.positions import YamlPositions
from linter.model.source import Span, yaml_line_ends

__all__ = ["parse_yaml", "parse_yaml_with_positions"]

_SAFE = yaml.constructor.SafeConstructor()
# libyaml makes a string per scalar: a stream of small policies repeats the same keys and values thousands of
# times. Interned, each is held once (the node index interns the same texts).
intern = sys.intern
_TAG = "tag:yaml.org,2002:"
_TYPED_SCALARS = {_TAG + name for name in ("null", "bool", "int", "float")}
# `merge` is the `<<` key of a merge (`<<: *defaults`): read as its text, merged by _mapping.
_TEXT_SCALARS = {_TAG + name for name in ("str", "timestamp", "binary", "value", "merge")}
_STR = _TAG + "str"
_COLLECTION_TAGS = (_TAG + "seq", _TAG + "map", _TAG + "omap")
# Each value built counts; aliases make a document cost more than its text, billion-laughs style.
MAX_VALUES_PER_CHARACTER = 4
MIN_VALUE_BUDGET = 100_000


def _span(node: yaml.Node) -> Span:
    start, end = node.start_mark, node.end_mark
    return Span(start.line + 1, start.column + 1, end.line + 1, end.column + 1)


def _scalar(node: yaml.ScalarNode) -> Any:
    if node.tag in _TYPED_SCALARS:
        try:
            return _SAFE.yaml_constructors[node.tag](_SAFE, node)
        except ValueError as error:  # an int past Python's digit limit
            raise ParseError(f"invalid YAML number: {error}", _span(node)) from None
    if node.tag in _TEXT_SCALARS:
        return intern(node.value)
    raise ParseError(f"unsupported YAML tag {node.tag!r}: entralint never constructs tagged objects", _span(node))


def _construct(root: yaml.Node, budget: list[int], *, anchors: bool = True) -> Any:
    """Build plain data from a node tree; cycles and alias bombs are errors.

    Without anchors in the text every node is met once, so a recursive build is safe and faster; it
    spends the same budget in bulk. If it meets any error or overspends, the stack below (the plain
    reading, and the only one for texts with anchors) builds the document again, node by node, to
    report the error it meets first. The recursive build saves 16.1% of a YAML fleet's instructions
    (docs/performance.md, "Fast paths").
    """
    if isinstance(root, yaml.ScalarNode):
        return _scalar(root)
    if not anchors:
        left = budget[0]
        try:
            budget[0] -= 1  # the root's first visit; _build_tree spends for its children
            value = _build_tree(root, budget)
            if budget[0] >= 0:
                return value
        except (ParseError, RecursionError):
            pass
        budget[0] = left
    left = budget[0]
    try:
        return _construct_stack(root, budget, shared=True)
    except _Overspent:
        budget[0] = left
        return _construct_stack(root, budget, shared=False)


class _Overspent(Exception):
    """An alias met again would pass the budget: build node by node to find the node where it runs out."""


def _construct_stack(root: yaml.Node, budget: list[int], *, shared: bool) -> Any:
    """Build node by node; `shared`: a collection met again is the value already built for it, and spends in
    one go what building it again would (so a text's aliases hold one value, not a copy per alias)."""
    result: dict[int, Any] = {}
    costs: dict[int, int] = {}  # a built collection's id -> what building it spent
    # (node, children expanded?) — a node's value is built after its children's.
    stack: list[tuple[yaml.Node, bool]] = [(root, False)]
    in_progress: dict[int, int] = {}  # a collection being built -> the budget before it
    while stack:
        node, expanded = stack.pop()
        if shared and not expanded and id(node) in costs and id(node) not in in_progress:
            if budget[0] < costs[id(node)]:
                raise _Overspent
            budget[0] -= costs[id(node)]
            continue
        before = budget[0]
        _spend(budget, node)
        if isinstance(node, yaml.ScalarNode):
            result[id(node)] = _scalar(node)
            continue
        if not expanded:
            if id(node) in in_progress:
                raise ParseError("recursive YAML alias: a value contains itself", _span(node))
            _check_collection_tag(node)
            in_progress[id(node)] = before
            stack.append((node, True))
            children = (
                node.value if isinstance(node, yaml.SequenceNode) else [part for pair in node.value for part in pair]
            )
            stack.extend((child, False) for child in reversed(children))
            continue
        costs[id(node)] = in_progress.pop(id(node)) - budget[0]
        if isinstance(node, yaml.SequenceNode):
            result[id(node)] = [result[id(child)] for child in node.value]
        else:
            result[id(node)] = _mapping(node, [(result[id(key)], result[id(value)]) for key, value in node.value])
    return result[id(root)]


def _build_tree(node: yaml.Node, budget: list[int]) -> Any:
    """A collection's value; spends what the stack would: one per child, and one more per collection."""
    _check_collection_tag(node)
    if isinstance(node, yaml.SequenceNode):
        budget[0] -= len(node.value) + 1
        return [
            intern(child.value) if type(child) is yaml.ScalarNode and child.tag == _STR else _build_child(child, budget)
            for child in node.value
        ]
    budget[0] -= 2 * len(node.value) + 1
    parts = [
        intern(part.value) if type(part) is yaml.ScalarNode and part.tag == _STR else _build_child(part, budget)
        for pair in node.value
        for part in pair
    ]
    keys, values = parts[::2], parts[1::2]
    try:
        mapping = dict(zip(keys, values, strict=True))
    except TypeError:  # a key that is a list or a mapping
        mapping = {}
    if len(mapping) == len(keys) and "<<" not in mapping:  # no duplicate key, no merge
        return mapping
    return _mapping(node, list(zip(keys, values, strict=True)))


def _build_child(node: yaml.Node, budget: list[int]) -> Any:
    return _scalar(node) if isinstance(node, yaml.ScalarNode) else _build_tree(node, budget)


def _spend(budget: list[int], node: yaml.Node) -> None:
    budget[0] -= 1
    if budget[0] < 0:
        raise ParseError("YAML aliases expand to too many values (a billion-laughs document?)", _span(node))


def _check_collection_tag(node: yaml.Node) -> None:
    if node.tag not in _COLLECTION_TAGS:
        raise ParseError(f"unsupported YAML tag {node.tag!r}: entralint never constructs tagged objects", _span(node))


def _mapping(node: yaml.Node, pairs: list[tuple[Any, Any]]) -> dict[Any, Any]:
    """The mapping of a node whose keys and values are built (`pairs`, in the node's order)."""
    mapping: dict[Any, Any] = {}
    merged: dict[Any, Any] | None = None
    for (key_node, _), (key, value) in zip(node.value, pairs, strict=True):
        if key_node.tag == _TAG + "merge":
            if merged is not None:
                raise ParseError("duplicate merge key '<<': which merge wins is ambiguous", _span(key_node))
            merged = {}
            for source in value if isinstance(value, list) else [value]:
                if isinstance(source, dict):
                    merged.update({k: v for k, v in source.items() if k not in merged})
            continue
        if isinstance(key, (list, dict)):
            raise ParseError("a YAML mapping key must be a scalar", _span(key_node))
        if key in mapping:
            raise ParseError(f"duplicate key {key!r}: which value wins is ambiguous", _span(key_node))
        mapping[key] = value
    for key, value in (merged or {}).items():
        mapping.setdefault(key, value)
    return mapping


def parse_yaml(text: str) -> list[Any]:
    """Every document of a YAML stream as plain data."""
    return parse_yaml_with_positions(text)[0]


def parse_yaml_with_positions(text: str) -> tuple[list[Any], YamlPositions]:
    """Every document as plain data, and positions from an index of the nodes composed for it.

    Each document's nodes are built and indexed as libyaml composes them, then let go: a stream of many
    small documents never holds its whole node tree.
    """
    text = yaml_line_ends(text)
    budget = [max(MIN_VALUE_BUDGET, len(text) * MAX_VALUES_PER_CHARACTER)]
    anchors = "&" in text  # without an anchor there is no alias: no node is met twice
    values = []
    index = NodeIndex(len(text))
    # Under a document limit (linter.loaders.load_text), documents past it are not composed: none of them
    # could be built, and composing them would spend what the limit saves.
    limit = current_limit()
    unread = UnreadDocuments()
    for root in compose_each(text, limit.limit if limit is not None else None, unread):
        values.append(_construct(root, budget, anchors=anchors))
        index.add(root, aliases=anchors)
    if limit is not None:
        limit.refuse_unread(unread.count, unread.first)
    return values, YamlPositions(text, index)
