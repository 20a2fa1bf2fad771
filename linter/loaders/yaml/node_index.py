"""What position lookups need of libyaml's node tree, in flat arrays.

A composed node costs about 290 bytes (the node and its two marks, each with a `__dict__`): 55 times the
text of a file of small policies. Kept for a file's findings, that tree was most of a YAML check's memory.
An entry here costs 13 bytes and a reference: its offsets, where its subtree ends, its kind, and a
scalar's text (the same string object the built value holds).
"""

from __future__ import annotations

import sys
from array import array
from collections.abc import Iterable
from typing import Any

import yaml

from linter.model.source import escape_pointer

__all__ = ["NodeIndex"]

intern = sys.intern

_STR = "tag:yaml.org,2002:str"
# Entry kinds. An alias occurrence of a collection keeps its anchor's offsets and no children of its own: a
# pointer below it continues from the anchor's own place (the first in the document), whose children they are.
TEXT, SCALAR, SEQUENCE, MAPPING, ALIAS = range(5)


class NodeIndex:
    """Every document's nodes in document order, each collection's entry followed by its children's subtrees.

    A mapping's child is its key's entry followed by its value's subtree (pairs whose key is not a scalar are
    left out). Scalar texts are interned, as the built values' are, so both hold one string.
    """

    def __init__(self, text_length: int) -> None:
        code = "i" if text_length < 2**31 - 1 else "q"
        self.starts = array(code)
        self.ends = array(code)
        self.afters = array(code)  # the entry after this entry's subtree
        self.kinds = bytearray()
        self.texts: list[str | None] = []
        self.roots = array("q")
        self._sequences: dict[int, list[int]] = {}  # children, for sequences looked into
        self._anchors: dict[int, int] = {}  # an aliased collection's start offset -> the entry of its own place

    @classmethod
    def of(cls, text_length: int, roots: Iterable[yaml.Node], *, aliases: bool = True) -> NodeIndex:
        index = cls(text_length)
        for root in roots:
            index.add(root, aliases=aliases)
        return index

    def add(self, root: yaml.Node, *, aliases: bool = True) -> None:
        """Add one document's node tree; without `aliases` (no anchor in the text) no node is met twice."""
        start, end, after, kind, text = (
            self.starts.append,
            self.ends.append,
            self.afters.append,
            self.kinds.append,
            self.texts.append,
        )
        afters = self.afters
        count = len(self.kinds)
        self.roots.append(count)
        seen: dict[int, int] = {}  # a collection's id -> its entry
        scalar_node, sequence_node = yaml.ScalarNode, yaml.SequenceNode
        # Nodes to enter, next on top; an int closes that entry's subtree.
        stack: list[yaml.Node | int] = [root]
        push = stack.append
        while stack:
            node: Any = stack.pop()
            node_type = type(node)
            if node_type is int:
                afters[node] = count
                continue
            start(node.start_mark.index)
            end(node.end_mark.index)
            after(count + 1)
            if node_type is scalar_node:
                kind(TEXT if node.tag == _STR else SCALAR)
                text(intern(node.value))
            elif aliases and id(node) in seen:
                kind(ALIAS)
                text(None)
                self._anchors.setdefault(node.start_mark.index, seen[id(node)])
            else:
                if aliases:
                    seen[id(node)] = count
                text(None)
                push(count)
                if node_type is sequence_node:
                    kind(SEQUENCE)
                    stack.extend(reversed(node.value))
                else:
                    kind(MAPPING)
                    for key_node, value_node in reversed(node.value):
                        if type(key_node) is scalar_node:
                            push(value_node)
                            push(key_node)
            count += 1

    def _children(self, entry: int) -> list[int]:
        """A collection's child entries in document order (a mapping's: its keys' entries)."""
        children = []
        child, end = entry + 1, self.afters[entry]
        step = 1 if self.kinds[entry] == MAPPING else 0
        afters = self.afters
        while child < end:
            children.append(child)
            child = afters[child + step]
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
                if want_key:
                    return child
                found = child + 1
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
            if kind == ALIAS:
                entry = self._anchors[self.starts[entry]]
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
        """Every pointer's offsets, as entry_at answers them: a key's first pair, a value's last. Not below an
        alias occurrence: aliases may expand to many times the text (entry_at answers those one by one)."""
        offsets: dict[str, tuple[int, int]] = {}
        starts, ends, kinds, texts = self.starts, self.ends, self.kinds, self.texts
        for number, root in enumerate(self.roots):
            stack = [(f"/{number}", root)]
            while stack:
                pointer, entry = stack.pop()
                offsets[pointer] = (starts[entry], ends[entry])
                if kinds[entry] == SEQUENCE:
                    stack.extend((f"{pointer}/{index}", child) for index, child in enumerate(self._children(entry)))
                elif kinds[entry] == MAPPING:
                    pairs = []
                    for child in self._children(entry):
                        member = f"{pointer}/{escape_pointer(texts[child] or '')}"
                        offsets.setdefault(member + "#key", (starts[child], ends[child]))
                        pairs.append((member, child + 1))
                    stack.extend(reversed(pairs))  # popped in document order: a later pair's value wins
        return offsets

    def string(self, entry: int) -> tuple[str, int, int] | None:
        """A string scalar's text and offsets."""
        text = self.texts[entry]
        if self.kinds[entry] != TEXT or text is None:
            return None
        return text, self.starts[entry], self.ends[entry]
