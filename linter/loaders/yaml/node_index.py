"""What position lookups need of libyaml's node tree, in flat arrays.

A composed node costs about 290 bytes (the node and its two marks, each with a `__dict__`): 55 times the
text of a file of small policies. Kept for a file's findings, that tree was most of a YAML check's memory.
An entry here costs 13 bytes and a reference: its offsets, where its subtree ends, its kind, and a
scalar's text (the same string object the built value holds).
"""

from __future__ import annotations

from array import array
from collections.abc import Iterable

import yaml

from linter.model.source import escape_pointer

__all__ = ["NodeIndex"]

_STR = "tag:yaml.org,2002:str"
# Entry kinds. An alias occurrence of a collection keeps its anchor's offsets and no children, as the
# walk over every node always recorded it: the anchor's children are under the pointer met first.
TEXT, SCALAR, SEQUENCE, MAPPING, ALIAS = range(5)
_CLOSE = None  # a stack item that ends the subtree of the entry it names


class NodeIndex:
    """Every document's nodes in the order of a depth-first walk that takes a collection's last child first.

    A collection's entry is followed by its children's subtrees, last child first; a mapping's child is
    its key's entry followed by its value's subtree (pairs whose key is not a scalar are left out).
    """

    def __init__(self, text_length: int) -> None:
        code = "i" if text_length < 2**31 - 1 else "q"
        self.starts = array(code)
        self.ends = array(code)
        self.afters = array(code)  # the entry after this entry's subtree
        self.kinds = bytearray()
        self.texts: list[str | None] = []
        self.roots: list[int] = []
        self._sequences: dict[int, list[int]] = {}  # children in document order, for sequences looked into

    @classmethod
    def of(cls, text_length: int, roots: Iterable[yaml.Node]) -> NodeIndex:
        index = cls(text_length)
        for root in roots:
            index.add(root)
        return index

    def _entry(self, node: yaml.Node, kind: int, text: str | None) -> int:
        entry = len(self.kinds)
        self.starts.append(node.start_mark.index)
        self.ends.append(node.end_mark.index)
        self.afters.append(entry + 1)
        self.kinds.append(kind)
        self.texts.append(text)
        return entry

    def add(self, root: yaml.Node) -> None:
        """Add one document's node tree."""
        self.roots.append(len(self.kinds))
        seen: set[int] = set()
        # (key node or None, node) to enter; (_CLOSE, entry) once the entry's children are done.
        stack: list[tuple[yaml.Node | None, yaml.Node | int]] = [(None, root)]
        while stack:
            key, node = stack.pop()
            if isinstance(node, int):
                self.afters[node] = len(self.kinds)
                continue
            if key is not None:
                self._entry(key, TEXT if key.tag == _STR else SCALAR, key.value)
            if isinstance(node, yaml.ScalarNode):
                self._entry(node, TEXT if node.tag == _STR else SCALAR, node.value)
                continue
            if id(node) in seen:
                self._entry(node, ALIAS, None)
                continue
            seen.add(id(node))
            if isinstance(node, yaml.SequenceNode):
                entry = self._entry(node, SEQUENCE, None)
                stack.append((_CLOSE, entry))
                stack.extend((None, child) for child in node.value)
            else:
                entry = self._entry(node, MAPPING, None)
                stack.append((_CLOSE, entry))
                stack.extend(
                    (key_node, value_node)
                    for key_node, value_node in node.value
                    if isinstance(key_node, yaml.ScalarNode)
                )

    def _children(self, entry: int) -> list[int]:
        """A collection's child entries in document order (a mapping's: its keys' entries)."""
        children = []
        child, end = entry + 1, self.afters[entry]
        mapping = self.kinds[entry] == MAPPING
        while child < end:
            children.append(child)
            child = self.afters[child + 1] if mapping else self.afters[child]
        children.reverse()
        return children

    def _item(self, entry: int, index: int) -> int | None:
        children = self._sequences.get(entry)
        if children is None:
            children = self._sequences[entry] = self._children(entry)
        return children[index] if index < len(children) else None

    def _member(self, entry: int, token: str, *, want_key: bool) -> int | None:
        """A mapping's value for the key written as token (its last such pair), or its key (the first)."""
        found = None
        texts, afters = self.texts, self.afters
        child, end = entry + 1, afters[entry]
        while child < end:
            text = texts[child]
            if text is not None and escape_pointer(text) == token:
                if not want_key:
                    return child + 1
                found = child
            child = afters[child + 1]
        return found

    def entry_at(self, pointer: str) -> int | None:
        """The entry at a pointer whose first token is the document's number (its key's for `#key`)."""
        key = pointer.endswith("#key")
        tokens = (pointer[:-4] if key else pointer)[1:].split("/")
        if not pointer or not tokens[0].isdigit() or (key and len(tokens) < 2):
            return None
        if int(tokens[0]) >= len(self.roots) or tokens[0] != str(int(tokens[0])):
            return None
        entry: int | None = self.roots[int(tokens[0])]
        for depth, token in enumerate(tokens[1:], start=2):
            assert entry is not None
            kind = self.kinds[entry]
            if kind == SEQUENCE:
                if not token.isdigit() or token != str(int(token)):
                    return None
                entry = self._item(entry, int(token))
            elif kind == MAPPING:
                entry = self._member(entry, token, want_key=key and depth == len(tokens))
            else:
                return None
            if entry is None:
                return None
        return entry

    def offsets(self) -> dict[str, tuple[int, int]]:
        """Every pointer's offsets, as one walk over every node records them."""
        offsets: dict[str, tuple[int, int]] = {}
        starts, ends, kinds, texts = self.starts, self.ends, self.kinds, self.texts
        for number, root in enumerate(self.roots):
            stack = [(f"/{number}", root)]
            while stack:
                pointer, entry = stack.pop()
                offsets.setdefault(pointer, (starts[entry], ends[entry]))
                if kinds[entry] == SEQUENCE:
                    stack.extend((f"{pointer}/{index}", child) for index, child in enumerate(self._children(entry)))
                elif kinds[entry] == MAPPING:
                    pairs = []
                    for child in self._children(entry):
                        member = f"{pointer}/{escape_pointer(texts[child] or '')}"
                        offsets.setdefault(member + "#key", (starts[child], ends[child]))
                        pairs.append((member, child + 1))
                    stack.extend(pairs)
        return offsets

    def string(self, entry: int) -> tuple[str, int, int] | None:
        """A string scalar's text and offsets."""
        text = self.texts[entry]
        if self.kinds[entry] != TEXT or text is None:
            return None
        return text, self.starts[entry], self.ends[entry]
