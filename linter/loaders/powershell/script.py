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
from linter.loaders.powershell.tokens import Token, tokenize
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
_END = {"newline", ";", "|", ")", "}", "eof"}
_OPENERS = frozenset(("(", "@(", "$(", "@{", "{", "["))
_CLOSERS = frozenset((")", "}", "]"))
_MAX_NESTING = 100  # arrays in hashtables in arrays...: deeper than any script, shallow enough for the stack


class _Node:
    """A parsed value: plain data in `value` (lists and dicts of nodes), with where it is written."""

    __slots__ = ("chars", "end", "start", "value")

    def __init__(self, value: Any, start: int, end: int, chars: tuple[int, ...] = ()) -> None:
        self.value = value
        self.start = start
        self.end = end
        self.chars = chars  # per-character offsets of a literal string, plus its end

    def plain(self) -> Any:
        if isinstance(self.value, list):
            return [item.plain() for item in self.value]
        if isinstance(self.value, dict):
            return {key: item.plain() for key, item in self.value.items()}
        return self.value


class _Parser:
    """Reads values and cmdlet calls out of a token list; assignments are remembered for `$var` lookups."""

    __slots__ = ("_closers", "depth", "errors", "text", "tokens", "variables")

    def __init__(self, text: str, tokens: list[Token]) -> None:
        self.text = text
        self.tokens = tokens
        self.variables: dict[str, _Node] = {}
        self.errors: list[Token] = []
        self.depth = 0
        self._closers: dict[int, int] | None = None

    def kind(self, index: int) -> str:
        return self.tokens[index].kind if index < len(self.tokens) else "eof"

    def skip_newlines(self, index: int) -> int:
        while self.kind(index) in ("newline", ";"):
            index += 1
        return index

    def unresolved_until(self, start: int, index: int) -> tuple[_Node, int]:
        """An opaque expression: skip to its closing bracket and keep its source text."""
        while index < len(self.tokens):
            kind = self.kind(index)
            if kind in _OPENERS:
                # Jump over the bracketed part: counting depth token by token made every line with an
                # unclosed bracket scan to the end of the file (quadratic).
                index = min(self.matching(index) + 1, len(self.tokens))
                continue
            if kind in _CLOSERS or kind in _END or kind in (",", "parameter"):
                break
            index += 1
        last = self.tokens[max(index - 1, start)]
        first = self.tokens[start].start
        return _Node(Unresolved(self.text[first : last.end].strip()), first, last.end), max(index, start + 1)

    def expression(self, index: int, argument: bool) -> tuple[_Node, int]:
        """A value, or a comma list of values (an array)."""
        node, index = self.primary(index, argument)
        if self.kind(index) != ",":
            return node, index
        items = [node]
        while self.kind(index) == ",":
            item, index = self.primary(self.skip_newlines(index + 1), argument)
            items.append(item)
        return _Node(items, items[0].start, items[-1].end), index

    def primary(self, index: int, argument: bool) -> tuple[_Node, int]:
        if self.depth >= _MAX_NESTING and index < len(self.tokens):
            token = self.tokens[index]
            self.errors.append(Token("error", token.text, token.start, token.end, "values nested too deeply to read"))
            return _Node(None, token.start, token.end), len(self.tokens)
        self.depth += 1
        try:
            return self._primary(index, argument)
        finally:
            self.depth -= 1

    def _primary(self, index: int, argument: bool) -> tuple[_Node, int]:
        token = self.tokens[index] if index < len(self.tokens) else None
        if token is None:
            return _Node(None, len(self.text), len(self.text)), index
        if token.kind == "error":
            self.errors.append(token)
            return _Node(None, token.start, token.end), index + 1
        if token.kind == "string":
            value = Unresolved(token.text) if token.interpolated else token.value
            return _Node(value, token.start, token.end, () if token.interpolated else token.chars), index + 1
        if token.kind == "variable":
            return self.variable(token), index + 1
        if token.kind == "@(":
            return self.array(index)
        if token.kind == "@{":
            return self.hashtable(index)
        if token.kind == "[":  # a cast such as [string[]] or [bool]: the value follows it
            close = self.matching(index)
            if close + 1 < len(self.tokens) and self.kind(close + 1) not in _END:
                return self.primary(close + 1, argument)
        if token.kind == "(":
            inner, after = self.expression(self.skip_newlines(index + 1), argument=False)
            after = self.skip_newlines(after)
            if self.kind(after) == ")":
                return inner, after + 1
        if token.kind == "word" and argument:
            return _Node(token.value, token.start, token.end, token.chars), index + 1
        return self.unresolved_until(index, index + 1)

    def variable(self, token: Token) -> _Node:
        name = token.value.lower()
        if name in ("true", "false"):
            return _Node(name == "true", token.start, token.end)
        if name == "null":
            return _Node(None, token.start, token.end)
        return self.variables.get(name) or _Node(Unresolved(token.text), token.start, token.end)

    def matching(self, index: int) -> int:
        """The index of the bracket closing the opener at index (of any kind), or len(tokens) when none does."""
        if self._closers is None:
            # Found for every opener in one pass: a search per opener is quadratic over unclosed brackets.
            closers: dict[int, int] = {}
            open_at: list[int] = []
            for position, token in enumerate(self.tokens):
                if token.kind in _OPENERS:
                    open_at.append(position)
                elif token.kind in _CLOSERS and open_at:
                    closers[open_at.pop()] = position
            self._closers = closers
        return self._closers.get(index, len(self.tokens))

    def array(self, index: int) -> tuple[_Node, int]:
        start = self.tokens[index].start
        items: list[_Node] = []
        index = self.skip_newlines(index + 1)
        while self.kind(index) not in (")", "eof"):
            item, after = self.expression(index, argument=False)
            items.extend(item.value if isinstance(item.value, list) else [item])
            index = self.skip_newlines(after if after > index else index + 1)
        if self.kind(index) == "eof":
            self.errors.append(Token("error", "@(", start, start + 2, "unclosed array @( ... )"))
            return _Node(items, start, len(self.text)), index
        return _Node(items, start, self.tokens[index].end), index + 1

    def hashtable(self, index: int) -> tuple[_Node, int]:
        start = self.tokens[index].start
        entries: dict[str, _Node] = {}
        index = self.skip_newlines(index + 1)
        while self.kind(index) not in ("}", "eof"):
            key = self.tokens[index]
            if key.kind in ("word", "string") and self.kind(index + 1) == "=":
                value, index = self.expression(self.skip_newlines(index + 2), argument=False)
                entries[key.value] = value
            else:
                index += 1
            index = self.skip_newlines(index)
        if self.kind(index) == "eof":
            self.errors.append(Token("error", "@{", start, start + 2, "unclosed hashtable @{ ... }"))
            return _Node(entries, start, len(self.text)), index
        return _Node(entries, start, self.tokens[index].end), index + 1

    def arguments(self, index: int) -> tuple[dict[str, _Node], int]:
        """Named arguments of a command up to the end of its statement; splatted hashtables merged in."""
        found: dict[str, _Node] = {}
        while self.kind(index) not in _END:
            token = self.tokens[index]
            if token.kind == "splat":
                splatted = self.variables.get(token.value.lower())
                if splatted is not None and isinstance(splatted.value, dict):
                    found.update((key.lower(), value) for key, value in splatted.value.items())
                index += 1
            elif token.kind == "parameter":
                name = token.value.lower()
                if token.colon or self.kind(index + 1) not in _END | {"parameter"}:
                    found[name], index = self.expression(index + 1, argument=True)
                else:  # a switch: -IsOrganizationDefault alone means $true
                    found[name], index = _Node(True, token.start, token.end), index + 1
            else:
                _, index = self.expression(index, argument=True)
        return found, index


def _decoded(value: str, chars: tuple[int, ...]) -> tuple[str, list[int]]:
    return value, list(chars)


def _positions(
    text: str, node: _Node, pointer: str, offsets: dict[str, tuple[int, int]], strings: dict[str, Any]
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


def _policy_node(cmdlet: str, arguments: Mapping[str, _Node], start: int, end: int) -> _Node | None:
    """The Graph-shaped body of a call, or None when it is not a token lifetime policy."""
    body = arguments.get("bodyparameter")
    if body is not None and isinstance(body.value, dict):
        entries = {key[:1].lower() + key[1:]: value for key, value in body.value.items()}
    else:
        entries = {_PROPERTIES[name]: value for name, value in arguments.items() if name in _PROPERTIES}
        definition = entries.get("definition")
        if definition is not None and not isinstance(definition.value, list):  # -Definition is string[]
            entries["definition"] = _Node([definition], definition.start, definition.end)
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
    return _Node(entries, start, end)


def load(path: str, text: str) -> LoadResult | None:
    """Token lifetime policies that the script's cmdlet calls would create or update."""
    parser = _Parser(text, tokenize(text))
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
