"""PowerShell scripts that create or update token lifetime policies, read without running anything.

`New-AzureADPolicy -Type TokenLifetimePolicy`, `Set-AzureADPolicy` (no -Type: a definition whose first
key is `TokenLifetimePolicy`), `New-MgPolicyTokenLifetimePolicy` and `Update-MgPolicyTokenLifetimePolicy`
(named parameters, `-BodyParameter @{...}`, or a splatted hashtable). Only literal values are read:
variables, subexpressions and interpolated strings stay `Unresolved`.
https://learn.microsoft.com/powershell/module/microsoft.graph.identity.signins/new-mgpolicytokenlifetimepolicy
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from linter.loaders.normalize.documents import build_document
from linter.loaders.positions import TextPositions
from linter.loaders.powershell.graph_sdk import (
    CMDLETS,
    REQUEST_CMDLET,
    assign_member,
    cmdlet_call,
    request_call,
    typed_object,
)
from linter.loaders.powershell.json_body import JsonBody, read_json_body
from linter.loaders.powershell.tokens import Token, tokenize
from linter.loaders.powershell.values import Node, Parser, Unreadable, record_positions
from linter.loaders.result import LoadResult
from linter.model import TOKEN_LIFETIME_POLICY, Document, LoadProblem, Unresolved
from linter.model.source import powershell_line_ends

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
_MISSING_REQUIRED = re.compile(r"^[^:]*: the document is missing the required propert")
_TOKEN_LIFETIME_DEFINITION = re.compile(r'\s*\{\s*"TokenLifetimePolicy"\s*:')


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


def _first_command(parser: Parser, index: int) -> int | None:
    """Where a cmdlet this loader reads starts the value of an assignment (`$p = (New-Mg… …).Id`), if one does."""
    while parser.kind(index) == "(":
        index += 1
    token = parser.tokens[index] if index < len(parser.tokens) else None
    if token is None or token.kind != "word":
        return None
    name = token.value.lower()
    return index if name in _CMDLETS or name in CMDLETS or name == REQUEST_CMDLET else None


class _Script:
    """One script's reading: the parser, the position index shared by its documents, what it found."""

    def __init__(self, path: str, text: str) -> None:
        self.path = path
        self.text = text
        self.parser = Parser(text, tokenize(text))
        # One index for the file, each document under its own pointer: line starts are computed once.
        self.offsets: dict[str, tuple[int, int]] = {}
        self.strings: dict[str, Any] = {}
        self.positions = TextPositions(powershell_line_ends(text), self.offsets, self.strings)
        self.documents: list[Document] = []
        self.problems: list[LoadProblem] = []
        self.typed: set[str] = set()  # variables holding an SDK model object (`[…]::new()`)
        self._string_tokens: dict[int, Token] | None = None

    def string_token(self, node: Node) -> Token | None:
        if self._string_tokens is None:
            self._string_tokens = {token.start: token for token in self.parser.tokens if token.kind == "string"}
        return self._string_tokens.get(node.start)

    def add(self, kind: str, node: Node | JsonBody, identity: str | None, update: bool = False) -> None:
        pointer = f"/{len(self.offsets)}"  # unique: every policy adds at least its own entry
        if isinstance(node, Node):
            try:
                raw, _ = self.parser.read_out(node)
            except Unreadable as why:
                span = self.positions.span_of_offsets(node.start, node.end)
                self.problems.append(LoadProblem("IN001", f"{identity or kind}: {why}", span, "", identity or ""))
                return
            # Recorded now: a later `$p.X = ...` changes the hashtable, not the policy this call sent.
            record_positions(self.text, node, pointer, self.offsets, self.strings)
        else:
            self.offsets.update((pointer + relative, span) for relative, span in node.offsets.items())
            self.strings.update((pointer + relative, decoder) for relative, decoder in node.strings.items())
            raw = node.data
        if not isinstance(raw, dict):
            return
        document, found = build_document(
            kind,
            raw,
            path=self.path,
            source_format=SOURCE_FORMAT,
            pointer=pointer,
            positions=self.positions,
            identity=identity,
        )
        if update:
            # An update sends only what it changes (PATCH): a property it leaves out is not missing from the policy.
            found = [problem for problem in found if not _MISSING_REQUIRED.search(problem.message)]
        self.problems.extend(found)
        if document is not None:
            self.documents.append(document)

    def problem(self, what: str, error: Token, call: str) -> None:
        span = self.positions.span_of_offsets(error.start, error.end)
        self.problems.append(LoadProblem("IN001", f"{what}: {error.value}", span, "", call))

    def body(self, node: Node, call: str) -> Node | JsonBody | None:
        """A request body: a hashtable as it is, a string read as JSON."""
        if isinstance(node.value, dict):
            return node
        token = self.string_token(node)
        if token is None or not isinstance(node.value, str):
            return None
        found = read_json_body(token.value, token.chars, token.interpolated, self.parser.variables)
        if isinstance(found, str):
            self.problem(call, Token("error", token.text, token.start, token.end, found), call)
            return None
        return found

    def assignment(self, index: int) -> int:
        """`$x = value`, `$x = […]::new()`, `$x.A.B = value`: remembered; returns where reading goes on."""
        parser = self.parser
        token = parser.tokens[index]
        member = parser.tokens[index + 1] if parser.kind(index + 1) == "word" else None
        if member is not None and member.start == token.end and member.value.startswith("."):
            target = parser.variables.get(token.value.lower())
            value, after = parser.expression(parser.skip_newlines(index + 3), argument=False)
            names = [name for name in member.value.split(".") if name]
            if target is not None and isinstance(target.value, dict) and names:
                statement = (token.start, parser.tokens[after - 1].end)
                assign_member(target, names, value, token.value.lower() in self.typed, statement)
            return after
        name = token.value.lower()
        after = parser.skip_newlines(index + 2)
        created = typed_object(parser, after)
        if created is not None:
            parser.variables[name], after = created
            self.typed.add(name)
            return after
        self.typed.discard(name)
        command = _first_command(parser, after)
        if command is not None:  # the call is read next; what it returns is the tenant's
            parser.variables[name] = Node(Unresolved(token.text), token.start, token.end)
            return command
        parser.variables[name], after = parser.expression(after, argument=False)
        return after

    def call(self, index: int) -> int:
        parser = self.parser
        token = parser.tokens[index]
        name = token.value.lower()
        errors_before = len(parser.errors)
        arguments, after = parser.arguments(index + 1)
        cmdlet = _CMDLETS.get(name, token.value)
        call = f"{cmdlet}@{self.positions.span_of_offsets(token.start, token.end).start_line}"
        if len(parser.errors) > errors_before:
            self.problem(cmdlet, parser.errors[errors_before], call)
            return after
        end = parser.tokens[after - 1].end
        if name in _CMDLETS:
            policy = _policy_node(cmdlet, arguments, token.start, end)
            if policy is not None:
                policy_id = next((arguments[key].value for key in _ID_PARAMETERS if key in arguments), None)
                self.add(TOKEN_LIFETIME_POLICY, policy, _literal(policy_id) or call)
            return after
        if name in CMDLETS:
            found = cmdlet_call(name, arguments, token.start, end)
            if found is not None:
                identity = _literal(found.policy_id) or _named(found.body, call)
                self.add(found.kind, found.body, identity, update=name.startswith("update-"))
            return after
        request = request_call(arguments)
        if request is not None:
            kind, node, policy_id, method = request
            body = self.body(node, call)
            if body is not None:
                if kind == TOKEN_LIFETIME_POLICY and isinstance(body, Node):
                    body = _policy_node("", {"bodyparameter": body}, body.start, body.end) or body
                self.add(kind, body, _literal(policy_id) or _named(body, call), update=method == "patch")
        return after


def _literal(value: Any) -> str | None:
    return value if isinstance(value, str) and not isinstance(value, Unresolved) else None


def _named(body: Node | JsonBody, call: str) -> str | None:
    """No identity of the loader's own when the body names the policy: the document's name is its identity."""
    data = body.value if isinstance(body, Node) else body.data
    if isinstance(data, dict):
        name = data.get("displayName") or data.get("DisplayName")
        name = name.value if isinstance(name, Node) else name
        if _literal(name):
            return None
    return call


def load(path: str, text: str) -> LoadResult | None:
    """Policies that the script's cmdlet calls and Graph requests would create or update."""
    script = _Script(path, text)
    parser = script.parser
    index = 0
    while index < len(parser.tokens):
        token = parser.tokens[index]
        if token.kind == "variable" and (
            parser.kind(index + 1) == "=" or (parser.kind(index + 1) == "word" and parser.kind(index + 2) == "=")
        ):
            index = script.assignment(index)
            continue
        name = token.value.lower() if token.kind == "word" else ""
        if name in _CMDLETS or name in CMDLETS or name == REQUEST_CMDLET:
            index = script.call(index)
            continue
        index += 1
    if not script.documents and not script.problems:
        return None
    return LoadResult(SOURCE_FORMAT, tuple(script.documents), tuple(script.problems))
