"""Safe YAML: libyaml's C composer for speed, our own iterative constructor for safety.

Nodes come from `yaml.compose_all` with the C loader; values are built here so that tags
are never executed, aliases cannot expand without bound, duplicate keys are errors, and
scalars keep their text (timestamps stay strings, as in JSON).
"""

from __future__ import annotations

import re
from typing import Any

import yaml

from linter.loaders.jsontext import ParseError
from linter.positions import PositionIndex
from linter.source import Span, escape_pointer, line_column

__all__ = ["YamlPositions", "parse_yaml"]

_Loader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_SAFE = yaml.constructor.SafeConstructor()
_TAG = "tag:yaml.org,2002:"
_TYPED_SCALARS = {_TAG + name for name in ("null", "bool", "int", "float")}
# `merge` is the `<<` key of a merge (`<<: *defaults`): read as its text, merged by _mapping.
_TEXT_SCALARS = {_TAG + name for name in ("str", "timestamp", "binary", "value", "merge")}
_STR = _TAG + "str"
_COLLECTION_TAGS = (_TAG + "seq", _TAG + "map", _TAG + "omap")
# Each value built counts; aliases make a document cost more than its text, billion-laughs style.
MAX_VALUES_PER_CHARACTER = 4
MIN_VALUE_BUDGET = 100_000
MAX_DEPTH = 1_000


def _span(node: yaml.Node) -> Span:
    start, end = node.start_mark, node.end_mark
    return Span(start.line + 1, start.column + 1, end.line + 1, end.column + 1)


def _check_depth(text: str) -> None:
    """libyaml's composer recurses in C and crashes the process past ~50,000 levels: measure first.

    Only flow collections and compact `- - -` sequences nest cheaply (block mappings need ever more
    indentation), so a text with fewer openers than MAX_DEPTH cannot be too deep and skips the scan.
    """
    if text.count("[") + text.count("{") + text.count("- ") <= MAX_DEPTH:
        return
    if _nesting_bound(text) <= MAX_DEPTH:  # the scan would pass: skip it (it costs as much as the parse)
        return
    depth = 0
    for event in yaml.parse(text, Loader=_Loader):
        if isinstance(event, (yaml.SequenceStartEvent, yaml.MappingStartEvent)):
            depth += 1
            if depth > MAX_DEPTH:
                mark = event.start_mark
                where = Span.point(mark.line + 1, mark.column + 1) if mark is not None else Span.point(1, 1)
                raise ParseError(f"YAML nested more than {MAX_DEPTH} levels deep: entralint stops reading here", where)
        elif isinstance(event, (yaml.SequenceEndEvent, yaml.MappingEndEvent)):
            depth -= 1


# What may precede a block collection's start on its line: indentation and `-`, `?`, `:` indicators.
_BLOCK_PREFIX = re.compile(r"^[ \t?:-]*", re.MULTILINE)


def _nesting_bound(text: str) -> int:
    """An upper bound of how deep the text's collections nest.

    A block collection starts within its line's prefix of indentation and indicators, and a child
    starts right of its parent except a sequence under a mapping key, so block nesting is at most twice
    the longest prefix. Flow collections hold no block ones, and each but the innermost is not empty:
    one level per bracket that is not `[]` or `{}`, plus one. Anchors, aliases and tags keep the scan
    (properties may precede a collection on its line; an undefined alias fails before a later syntax
    error would): the bound is then over the scan's threshold.
    """
    if "&" in text or "*" in text or "!" in text:
        return MAX_DEPTH + 1
    flow = text.count("[") + text.count("{") - text.count("[]") - text.count("{}")
    return 2 * (max(map(len, _BLOCK_PREFIX.findall(text))) + 1) + flow + 1


def _compose(text: str) -> list[yaml.Node]:
    try:
        _check_depth(text)
        return [node for node in yaml.compose_all(text, Loader=_Loader) if node is not None]
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        # libyaml places an error at the end of the stream on the line after a last line that has
        # no line end; point at the end of the text, which is inside the file.
        index = min(mark.index, max(len(text) - 1, 0)) if mark else 0
        raise ParseError(
            f"invalid YAML: {error.problem or error.context}", Span.point(*line_column(text, index))
        ) from None
    except yaml.YAMLError as error:
        raise ParseError(f"invalid YAML: {error}", Span.point(1, 1)) from None
    except RecursionError:
        raise ParseError("YAML nested too deeply to read", Span.point(1, 1)) from None


def _scalar(node: yaml.ScalarNode) -> Any:
    if node.tag in _TYPED_SCALARS:
        try:
            return _SAFE.yaml_constructors[node.tag](_SAFE, node)
        except ValueError as error:  # an int past Python's digit limit
            raise ParseError(f"invalid YAML number: {error}", _span(node)) from None
    if node.tag in _TEXT_SCALARS:
        return node.value
    raise ParseError(f"unsupported YAML tag {node.tag!r}: entralint never constructs tagged objects", _span(node))


def _construct(root: yaml.Node, budget: list[int], *, anchors: bool = True) -> Any:
    """Build plain data from a node tree; cycles and alias bombs are errors.

    Without anchors in the text every node is met once, so a recursive build is safe and faster; it
    spends the same budget in bulk. If it meets any error or overspends, the stack below builds the
    document again, node by node, to report the error it meets first.
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
    result: dict[int, Any] = {}
    # (node, children expanded?) — a node's value is built after its children's.
    stack: list[tuple[yaml.Node, bool]] = [(root, False)]
    in_progress: set[int] = set()
    while stack:
        node, expanded = stack.pop()
        _spend(budget, node)
        if isinstance(node, yaml.ScalarNode):
            result[id(node)] = _scalar(node)
            continue
        if not expanded:
            if id(node) in in_progress:
                raise ParseError("recursive YAML alias: a value contains itself", _span(node))
            _check_collection_tag(node)
            in_progress.add(id(node))
            stack.append((node, True))
            children = (
                node.value if isinstance(node, yaml.SequenceNode) else [part for pair in node.value for part in pair]
            )
            stack.extend((child, False) for child in reversed(children))
            continue
        in_progress.discard(id(node))
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
            child.value if type(child) is yaml.ScalarNode and child.tag == _STR else _build_child(child, budget)
            for child in node.value
        ]
    budget[0] -= 2 * len(node.value) + 1
    parts = [
        part.value if type(part) is yaml.ScalarNode and part.tag == _STR else _build_child(part, budget)
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


def yaml_lines(text: str) -> str:
    """YAML 1.1 also ends lines at NEL, LS and PS; libyaml's marks count them, so make them LF."""
    if "\x85" in text or "\u2028" in text or "\u2029" in text:
        return text.replace("\x85", "\n").replace("\u2028", "\n").replace("\u2029", "\n")
    return text


def parse_yaml(text: str) -> list[Any]:
    """Every document of a YAML stream as plain data."""
    return parse_yaml_with_positions(text)[0]


def parse_yaml_with_positions(text: str) -> tuple[list[Any], YamlPositions]:
    """Every document as plain data, and positions that reuse the nodes composed for it."""
    text = yaml_lines(text)
    budget = [max(MIN_VALUE_BUDGET, len(text) * MAX_VALUES_PER_CHARACTER)]
    roots = _compose(text)
    anchors = "&" in text  # without an anchor there is no alias: no node is met twice
    return [_construct(node, budget, anchors=anchors) for node in roots], YamlPositions(text, roots)


class YamlPositions(PositionIndex):
    """Positions from libyaml's node marks; pointers start with the document's index in the stream.

    A pointer's node is found by walking the composed nodes along it, so a file's findings cost a few
    steps each. The nodes are kept until `compact()`; later lookups compose the text again. With
    anchors in the text, a node may sit at several pointers: positions then come from one walk of
    every node, in which an alias points at its anchor.
    """

    def __init__(self, text: str, roots: list[yaml.Node] | None = None) -> None:
        super().__init__(yaml_lines(text))
        self._roots = roots
        self._anchors = "&" in self.text

    def compact(self) -> None:
        self._roots = None

    def _offsets_of(self, pointer: str) -> tuple[int, int] | None:
        if self._anchors:
            return super()._offsets_of(pointer)
        node = self._node_at(pointer)
        return None if node is None else (node.start_mark.index, node.end_mark.index)

    def _node_at(self, pointer: str) -> yaml.Node | None:
        """The node at pointer (its key node for `#key`), as _build would have recorded it."""
        key = pointer.endswith("#key")
        tokens = (pointer[:-4] if key else pointer)[1:].split("/")
        if not pointer or not tokens[0].isdigit() or (key and len(tokens) < 2):
            return None
        if self._roots is None:
            self._roots = _compose(self.text)
        if int(tokens[0]) >= len(self._roots) or tokens[0] != str(int(tokens[0])):
            return None
        node: yaml.Node = self._roots[int(tokens[0])]
        for depth, token in enumerate(tokens[1:], start=2):
            if isinstance(node, yaml.SequenceNode):
                if not token.isdigit() or token != str(int(token)) or int(token) >= len(node.value):
                    return None
                node = node.value[int(token)]
            elif isinstance(node, yaml.MappingNode):
                want_key = key and depth == len(tokens)
                # _build records a key's offsets at its first occurrence, a value's at its last.
                pairs = node.value if want_key else reversed(node.value)
                for key_node, value_node in pairs:
                    if isinstance(key_node, yaml.ScalarNode) and escape_pointer(key_node.value) == token:
                        node = key_node if want_key else value_node
                        break
                else:
                    return None
            else:
                return None
        return node

    def _build(self) -> dict[str, tuple[int, int]]:
        offsets: dict[str, tuple[int, int]] = {}
        self._raw: dict[str, yaml.ScalarNode] = {}
        roots, self._roots = self._roots if self._roots is not None else _compose(self.text), None
        for number, root in enumerate(roots):
            stack: list[tuple[str, yaml.Node]] = [(f"/{number}", root)]
            seen: set[int] = set()
            while stack:
                pointer, node = stack.pop()
                offsets.setdefault(pointer, (node.start_mark.index, node.end_mark.index))
                if isinstance(node, yaml.ScalarNode):
                    self._raw.setdefault(pointer, node)
                    continue
                if id(node) in seen:  # an alias: its positions are those of its anchor
                    continue
                seen.add(id(node))
                if isinstance(node, yaml.SequenceNode):
                    stack.extend((f"{pointer}/{index}", child) for index, child in enumerate(node.value))
                else:
                    for key_node, value_node in node.value:
                        if isinstance(key_node, yaml.ScalarNode):
                            child = f"{pointer}/{escape_pointer(key_node.value)}"
                            offsets.setdefault(child + "#key", (key_node.start_mark.index, key_node.end_mark.index))
                            stack.append((child, value_node))
        return offsets

    def string_value(self, pointer: str) -> tuple[str, list[int]] | None:
        if self._anchors:
            self.offsets()
            node: yaml.Node | None = self._raw.get(pointer)
        else:
            node = self._node_at(pointer)
        if not isinstance(node, yaml.ScalarNode) or node.tag != _TAG + "str":
            return None
        return node.value, align(node.value, self.text, node.start_mark.index, node.end_mark.index)


def align(decoded: str, text: str, start: int, end: int) -> list[int]:
    """Offsets in text[start:end] of each character of a scalar's decoded value (best effort).

    Quotes, escapes, indentation and folded line breaks are skipped by matching each decoded
    character to the next equal character of the source within a short window.
    """
    offsets: list[int] = []
    position = start
    for char in decoded:
        found = text.find(char, position, min(end, position + 16))
        if found < 0 and char == "\n":
            found = position
        if found >= 0:
            position = found
        offsets.append(min(position, max(end - 1, start)))
        if found >= 0:
            position += 1
    offsets.append(min(position, end))
    return offsets
