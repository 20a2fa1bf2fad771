"""PowerShell scripts that create or update token lifetime policies, read without running anything.

`New-AzureADPolicy -Type TokenLifetimePolicy`, `Set-AzureADPolicy` (no -Type: a definition whose first
key is `TokenLifetimePolicy`), `New-MgPolicyTokenLifetimePolicy` and `Update-MgPolicyTokenLifetimePolicy`
(named parameters, `-BodyParameter @{...}`, or a splatted hashtable). Only literal values are read:
variables, subexpressions and interpolated strings stay `Unresolved`.
https://learn.microsoft.com/powershell/module/microsoft.graph.identity.signins/new-mgpolicytokenlifetimepolicy
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping
from typing import Any

from linter.loaders.normalize.documents import build_document
from linter.loaders.positions import TextPositions
from linter.loaders.powershell.parser import Node, Parser
from linter.loaders.powershell.tokens import tokenize
from linter.loaders.result import LoadResult
from linter.model import TOKEN_LIFETIME_POLICY, Document, LoadProblem, Unresolved
from linter.model.source import join_pointer

__all__ = ["load"]

SOURCE_FORMAT = "powershell"
_CMDLETS = {
    name.lower(): name
    for name in (
        "New-AzureADPolicy",
        "Set-AzureADPolicy",
        "New-MgPolicyTokenLifetimePolicy",
        "Update-MgPolicyTokenLifetimePolicy",
        "New-MgBetaPolicyTokenLifetimePolicy",
        "Update-MgBetaPolicyTokenLifetimePolicy",
    )
}
_TYPED_CMDLETS = {"New-AzureADPolicy", "Set-AzureADPolicy"}  # AzureAD policies of every type share them
_PROPERTIES = {
    "definition": "definition",
    "displayname": "displayName",
    "isorganizationdefault": "isOrganizationDefault",
}
_ID_PARAMETERS = ("id", "tokenlifetimepolicyid")
_TOKEN_LIFETIME_DEFINITION = re.compile(r'\s*\{\s*"TokenLifetimePolicy"\s*:')


def _decoded(value: str, chars: tuple[int, ...]) -> tuple[str, list[int]]:
    return value, list(chars)


def _positions(
    text: str, node: Node, pointer: str, offsets: dict[str, tuple[int, int]], strings: dict[str, Any]
) -> None:
    offsets[pointer] = (node.start, node.end)
    if node.chars and isinstance(node.value, str):
        # A partial, not a lambda: documents cross process boundaries under --jobs and must pickle.
        strings[pointer] = functools.partial(_decoded, node.value, tuple(node.chars))
    if isinstance(node.value, list):
        for number, item in enumerate(node.value):
            _positions(text, item, join_pointer(pointer, number), offsets, strings)
    elif isinstance(node.value, dict):
        for key, item in node.value.items():
            _positions(text, item, join_pointer(pointer, key), offsets, strings)


def _policy_node(cmdlet: str, arguments: Mapping[str, Node], start: int, end: int) -> Node | None:
    """The Graph-shaped body of a call, or None when it is not a token lifetime policy."""
    body = arguments.get("bodyparameter")
    if body is not None and isinstance(body.value, dict):
        entries = {key[:1].lower() + key[1:]: value for key, value in body.value.items()}
    else:
        entries = {_PROPERTIES[name]: value for name, value in arguments.items() if name in _PROPERTIES}
        definition = entries.get("definition")
        if definition is not None and not isinstance(definition.value, list):  # -Definition is string[]
            entries["definition"] = Node([definition], definition.start, definition.end)
    if cmdlet in _TYPED_CMDLETS:
        policy_type = arguments.get("type")
        if policy_type is not None and isinstance(policy_type.value, str):
            if policy_type.value.lower() != "tokenlifetimepolicy":
                return None
        else:
            definition = entries.get("definition")
            first = (
                definition.value[0].value
                if definition and isinstance(definition.value, list) and definition.value
                else None
            )
            if not isinstance(first, str) or not _TOKEN_LIFETIME_DEFINITION.match(first):
                return None
    return Node(entries, start, end)


def load(path: str, text: str) -> LoadResult | None:
    """Token lifetime policies that the script's cmdlet calls would create or update."""
    parser = Parser(text, tokenize(text))
    # One index for the file, each document under its own pointer: line starts are computed once.
    offsets: dict[str, tuple[int, int]] = {}
    strings: dict[str, Any] = {}
    positions = TextPositions(text, offsets, strings)
    documents: list[Document] = []
    problems: list[LoadProblem] = []
    index = 0
    while index < len(parser.tokens):
        token = parser.tokens[index]
        if token.kind == "variable" and parser.kind(index + 1) == "=":
            value, index = parser.expression(parser.skip_newlines(index + 2), argument=False)
            parser.variables[token.value.lower()] = value
            continue
        cmdlet = _CMDLETS.get(token.value.lower()) if token.kind == "word" else None
        if cmdlet is None:
            index += 1
            continue
        errors_before = len(parser.errors)
        arguments, index = parser.arguments(index + 1)
        call = f"{cmdlet}@{positions.span_of_offsets(token.start, token.end).start_line}"
        if len(parser.errors) > errors_before:
            error = parser.errors[errors_before]
            span = positions.span_of_offsets(error.start, error.end)
            problems.append(LoadProblem("IN001", f"{cmdlet}: {error.value}", span, "", call))
            continue
        policy = _policy_node(cmdlet, arguments, token.start, parser.tokens[index - 1].end)
        if policy is None:
            continue
        pointer = f"/{len(offsets)}"  # unique: every policy adds at least its own entry
        _positions(text, policy, pointer, offsets, strings)
        policy_id = next((arguments[name].value for name in _ID_PARAMETERS if name in arguments), None)
        identity = policy_id if isinstance(policy_id, str) and not isinstance(policy_id, Unresolved) else None
        document, found = build_document(
            TOKEN_LIFETIME_POLICY,
            policy.plain(),
            path=path,
            source_format=SOURCE_FORMAT,
            pointer=pointer,
            positions=positions,
            identity=identity or call,
        )
        problems.extend(found)
        if document is not None:
            documents.append(document)
    if not documents and not problems:
        return None
    return LoadResult(SOURCE_FORMAT, tuple(documents), tuple(problems))
