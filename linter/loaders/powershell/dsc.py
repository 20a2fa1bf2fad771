"""Microsoft365DSC configurations: the policies their resource blocks declare, read without running anything.

`AADConditionalAccessPolicy 'Name' { Property = value ... }` inside `Configuration ... { Node ... { ... } }`,
as written by hand and as `Export-M365DSCConfiguration` writes them (every property present, `""`, `@()`,
`$False` and `0` for "not set", credentials as `$ConfigurationData.NonNodeData.*`). Variables stay
`Unresolved`: a configuration's values come from outside it. https://microsoft365dsc.com/
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from typing import Any

from linter.loaders.dsc.properties import ALWAYS_LISTS, GATES, PLUMBING, RESOURCES, graph_spellings, is_not_set
from linter.loaders.normalize.documents import build_document
from linter.loaders.powershell.node_positions import NodePositions
from linter.loaders.powershell.tokens import tokenize
from linter.loaders.powershell.values import Node, Parser, Unreadable
from linter.loaders.result import LoadResult
from linter.model import Document, LoadProblem, Unresolved
from linter.model.source import powershell_line_ends

__all__ = ["SOURCE_FORMAT", "load"]

SOURCE_FORMAT = "microsoft365dsc"


def _spell_as_graph(node: Node, spellings: Mapping[str, str]) -> None:
    if isinstance(node.value, str):
        node.value = spellings.get(node.value.lower(), node.value)
    elif isinstance(node.value, list):
        for item in node.value:
            if isinstance(item.value, str):
                item.value = spellings.get(item.value.lower(), item.value)


def _shaped(kind: str, path: str, node: Node) -> Node:
    """The value as Graph holds it at path: enumeration members in Graph's spelling, lists where Graph has lists,
    ip ranges as objects."""
    if spellings := graph_spellings(kind, path):
        _spell_as_graph(node, spellings)
    if path in ALWAYS_LISTS and not isinstance(node.value, (list, Unresolved)):  # a variable may hold a list
        return Node([node], node.start, node.end)
    if path == "ipRanges" and isinstance(node.value, list):
        ranges = [Node({"cidrAddress": item}, item.start, item.end) for item in node.value]
        return Node(ranges, node.start, node.end)
    return node


@functools.cache
def _steps(path: str) -> tuple[tuple[str, ...], str]:
    """The groups a Graph path passes through, and its last name: a table has a few dozen paths."""
    *groups, last = path.split("/")
    return tuple(groups), last


def _place(root: dict[str, Node], path: str, node: Node) -> None:
    groups, last = _steps(path)
    current = root
    for name in groups:
        group = current.get(name)
        if group is None or not isinstance(group.value, dict):
            group = current[name] = Node({}, node.start, node.end)
        group.start, group.end = min(group.start, node.start), max(group.end, node.end)
        current = group.value
    current[last] = node


def _remove_switched_off(root: dict[str, Node]) -> None:
    for path in GATES:
        *groups, last = path.split("/")
        parent: Any = root
        for name in groups:
            parent = parent[name].value if name in parent and isinstance(parent[name].value, dict) else None
            if parent is None:
                break
        group = parent.get(last) if parent is not None else None
        if group is None or not isinstance(group.value, dict):
            continue
        switch = group.value.get("isEnabled")
        if switch is not None and switch.value is False:
            del parent[last]


def _graph_node(
    kind: str, properties: dict[str, Node], table: dict[str, str], start: int, end: int
) -> tuple[Node, bool]:
    """The Graph-shaped policy of one resource block, and whether the block says `Ensure = "Absent"`."""
    root: dict[str, Node] = {}
    absent = False
    for key, node in properties.items():
        name = key.lower()
        if name == "ensure":
            absent = isinstance(node.value, str) and node.value.strip().lower() == "absent"
        path = table.get(name)
        if path is None or name in PLUMBING or is_not_set(path, node.value):
            continue
        _place(root, path, _shaped(kind, path, node))
    _remove_switched_off(root)
    return Node(root, start, end), absent


def load(path: str, text: str) -> LoadResult | None:
    """The policies a configuration's resource blocks declare; `Ensure = "Absent"` ones go to `absent`."""
    parser = Parser(text, tokenize(text))
    positions = NodePositions(powershell_line_ends(text))  # lines as PowerShell counts them; offsets hold
    values_before = 0  # the values of the documents before: pointers are numbered as they always were
    documents: list[Document] = []
    absent: list[Document] = []
    problems: list[LoadProblem] = []
    blocks = 0
    tokens = parser.tokens
    index = 0
    while index < len(tokens):
        if parser.kind(index) != "word":
            index += 1
            continue
        token = tokens[index]
        resource = RESOURCES.get(token.value.lower())
        label = tokens[index + 1] if resource is not None and index + 1 < len(tokens) else None
        if resource is None or label is None or label.kind not in ("string", "word"):
            index += 1
            continue
        brace = parser.skip_newlines(index + 2)
        if parser.kind(brace) != "{":
            index += 1
            continue
        errors_before = len(parser.errors)
        blocks += 1
        body, index = parser.hashtable(brace)
        block = f"{token.value} {label.text}"
        if len(parser.errors) > errors_before:
            error = parser.errors[errors_before]
            span = positions.span_of_offsets(error.start, error.end)
            problems.append(LoadProblem("IN001", f"{block}: {error.value}", span, "", block))
            continue
        kind, table = resource
        policy, is_absent = _graph_node(kind, body.value, table, token.start, body.end)
        try:
            plain, values = parser.read_out(policy)
        except Unreadable as why:
            span = positions.span_of_offsets(policy.start, policy.end)
            problems.append(LoadProblem("IN001", f"{block}: {why}", span, "", block))
            continue
        pointer = f"/{values_before}"  # unique: every block holds at least itself
        values_before += values
        positions.add(pointer, policy)
        named = any(key in policy.value for key in ("id", "displayName"))
        document, found = build_document(
            kind,
            plain,
            path=path,
            source_format=SOURCE_FORMAT,
            pointer=pointer,
            positions=positions,
            identity=None if named else block,
            owned=True,  # read_out builds new containers
        )
        # Microsoft365DSC accepts enumeration members in any letter case and sends Graph's spelling: `_shaped`
        # spells them so, and what the normalizer still finds (a member inside `TransferMethods`' comma string)
        # is no problem either.
        # A block being deleted needs only its key (`DisplayName`): what it lacks is no problem of the tenant's.
        if not is_absent:
            problems.extend(problem for problem in found if problem.code != "IN005")
        if document is not None:
            (absent if is_absent else documents).append(document)
    # A file of blocks being deleted was read: it declares no policy, which is no format entralint cannot read.
    if not blocks:
        return None
    return LoadResult(SOURCE_FORMAT, tuple(documents), tuple(problems), tuple(absent))
