"""Terraform resources of any syntax (HCL, .tf.json, plan JSON) -> model documents.

Each syntax turns a resource body into Terraform JSON form and keeps a PositionIndex keyed by
its own pointers; this module maps the body onto Graph and answers Graph pointers by
translating them back to the body's pointers.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Any

from linter.loaders.normalize.documents import build_document
from linter.loaders.normalize.schema import did_you_mean
from linter.loaders.positions import PositionIndex
from linter.loaders.terraform.azuread import (
    META_ARGUMENTS,
    Translation,
    UnknownAttribute,
    map_authentication_strength,
    map_conditional_access,
    map_named_location,
)
from linter.loaders.terraform.microsoft365 import resolve_aliases
from linter.model import (
    AUTHENTICATION_STRENGTH_POLICY,
    CONDITIONAL_ACCESS_POLICY,
    NAMED_LOCATION,
    TOKEN_LIFETIME_POLICY,
    Document,
    LoadProblem,
    Unresolved,
)
from linter.model.source import Span, join_pointer

__all__ = ["RESOURCE_TYPES", "TranslatedPositions", "documents_for", "existence"]

MICROSOFT365_CA = "microsoft365_graph_beta_identity_and_access_conditional_access_policy"
MICROSOFT365_TOKEN_LIFETIME = "microsoft365_graph_beta_applications_token_lifetime_policy"
MICROSOFT365_AUTHENTICATION_STRENGTH = "microsoft365_graph_beta_identity_and_access_authentication_strength_policy"
MSGRAPH = "msgraph_resource"

# msgraph_resource `url` (no leading slash, no version) -> the kind its body is.
MSGRAPH_URLS = {
    "identity/conditionalaccess/policies": CONDITIONAL_ACCESS_POLICY,
    "policies/tokenlifetimepolicies": TOKEN_LIFETIME_POLICY,
    "identity/conditionalaccess/namedlocations": NAMED_LOCATION,
    "policies/authenticationstrengthpolicies": AUTHENTICATION_STRENGTH_POLICY,
}
_SNAKE = re.compile(r"_([a-z0-9])")

Mapped = tuple[str, dict[str, Any], Translation, bool]


class TranslatedPositions(PositionIndex):
    """Answers Graph pointers by translating them to the pointers of the resource body they came from."""

    def __init__(self, source: PositionIndex, translation: Translation) -> None:
        super().__init__(source.text)
        self.source = source
        self.translation = translation

    def _translate(self, pointer: str) -> str:
        rest = ""
        while True:
            found = self.translation.get(pointer)
            if found is not None:
                return found + rest
            if not pointer:
                return self.translation.get("", "") + rest
            cut = pointer.rfind("/")
            pointer, rest = pointer[:cut], pointer[cut:] + rest

    def _build(self) -> dict[str, tuple[int, int]]:
        return {}

    def span(self, pointer: str) -> Span | None:
        return self.source.span(self._translate(pointer))

    def span_of_offsets(self, start: int, end: int) -> Span:
        return self.source.span_of_offsets(start, end)

    def string_value(self, pointer: str) -> tuple[str, Sequence[int]] | None:
        return self.source.string_value(self._translate(pointer))

    def nearest_span(self, pointer: str) -> Span:
        found = self.span(pointer)
        if found is not None:
            return found
        return self.source.nearest_span(self._translate(pointer))


def _camel(key: str) -> str:
    return _SNAKE.sub(lambda match: match.group(1).upper(), key)


def _camel_tree(value: Any, graph: str, source: str, translation: Translation) -> Any:
    """The microsoft365 provider's snake_case attribute objects -> Graph camelCase, recording pointers."""
    translation[graph] = source
    if isinstance(value, Mapping) and not isinstance(value, Unresolved):
        result = {}
        for key, item in value.items():
            name = _camel(key)
            result[name] = _camel_tree(item, f"{graph}/{name}", f"{source}/{key}", translation)
        return result
    if isinstance(value, list):
        return list(value)
    return value


def _map_microsoft365(body: Mapping[str, Any], pointer: str) -> tuple[dict[str, Any], Translation]:
    translation: Translation = {"": pointer}
    graph = {
        _camel(key): _camel_tree(value, "/" + _camel(key), f"{pointer}/{key}", translation)
        for key, value in body.items()
        if key not in META_ARGUMENTS
    }
    return graph, translation


def _definition_string(value: Any) -> Any:
    """A definition written as jsonencode({...}) is read as an object: send it as Terraform would."""
    if isinstance(value, (Mapping, list)) and not isinstance(value, Unresolved):
        text = json.dumps(value, separators=(",", ":"), ensure_ascii=False)
        return Unresolved(text) if _has_unresolved(value) else text
    return value


def _has_unresolved(value: Any) -> bool:
    stack = [value]
    while stack:
        current = stack.pop()
        if isinstance(current, Unresolved):
            return True
        if isinstance(current, Mapping):
            stack.extend(current.values())
        elif isinstance(current, list):
            stack.extend(current)
    return False


def _with_definitions(graph: dict[str, Any]) -> dict[str, Any]:
    definitions = graph.get("definition")
    if isinstance(definitions, list):
        graph["definition"] = [_definition_string(item) for item in definitions]
    elif isinstance(definitions, Mapping):
        graph["definition"] = [_definition_string(definitions)]
    return graph


def _msgraph(body: Mapping[str, Any], pointer: str) -> Mapped | None:
    url = body.get("url")
    if not isinstance(url, str) or isinstance(url, Unresolved):
        return None
    kind = MSGRAPH_URLS.get(url.strip("/").lower().removeprefix("v1.0/").removeprefix("beta/"))
    payload = body.get("body")
    if kind is None or not isinstance(payload, Mapping) or isinstance(payload, Unresolved):
        return None
    graph = dict(payload)
    if kind == TOKEN_LIFETIME_POLICY:
        graph = _with_definitions(graph)
    return kind, graph, {"": f"{pointer}/body"}, True


def map_resource(
    resource_type: str, body: Mapping[str, Any], pointer: str, unknown: list[UnknownAttribute] | None = None
) -> Mapped | None:
    """(kind, Graph dict, translation, clean) for a resource entralint reads; None for any other.

    With `unknown`, the azuread attributes the provider does not have are added to it (the other providers'
    attributes are checked as Graph properties by the schema).
    """
    if resource_type == "azuread_conditional_access_policy":
        return (CONDITIONAL_ACCESS_POLICY, *map_conditional_access(body, pointer, unknown), False)
    if resource_type == "azuread_named_location":
        return (NAMED_LOCATION, *map_named_location(body, pointer, unknown), False)
    if resource_type == "azuread_authentication_strength_policy":
        return (AUTHENTICATION_STRENGTH_POLICY, *map_authentication_strength(body, pointer, unknown), False)
    if resource_type == MICROSOFT365_AUTHENTICATION_STRENGTH:
        # Its attributes beyond azuread's (timeouts, ...) are the provider's own: only Graph's names are checked.
        return (AUTHENTICATION_STRENGTH_POLICY, *map_authentication_strength(body, pointer), False)
    if resource_type == MICROSOFT365_CA:
        graph, translation = _map_microsoft365(body, pointer)
        resolve_aliases(graph)
        return CONDITIONAL_ACCESS_POLICY, graph, translation, False
    if resource_type == MICROSOFT365_TOKEN_LIFETIME:
        graph, translation = _map_microsoft365(body, pointer)
        return TOKEN_LIFETIME_POLICY, _with_definitions(graph), translation, False
    if resource_type == MSGRAPH:
        return _msgraph(body, pointer)
    return None


RESOURCE_TYPES = frozenset(
    {
        "azuread_conditional_access_policy",
        "azuread_named_location",
        "azuread_authentication_strength_policy",
        MICROSOFT365_CA,
        MICROSOFT365_TOKEN_LIFETIME,
        MICROSOFT365_AUTHENTICATION_STRENGTH,
        MSGRAPH,
    }
)


def _written(value: Any) -> str:
    return str(value) if isinstance(value, Unresolved) else json.dumps(value, ensure_ascii=False)


def _count(value: Any) -> int | None:
    """A literal whole number, as Terraform converts it for `count` (a string of digits too); None otherwise."""
    if isinstance(value, str) and not isinstance(value, Unresolved) and value.strip().isdigit():
        return int(value.strip())
    if isinstance(value, (int, float)) and not isinstance(value, bool) and value >= 0 and value == int(value):
        return int(value)
    return None


def existence(body: Mapping[str, Any]) -> str:
    """Whether a resource block creates its object: "" when it does, the literal `count = 0` or empty
    `for_each` when it never does, an `Unresolved` of the meta-argument when the plan decides.

    A value Terraform refuses (a negative or fractional count, a for_each of a string) is left
    undecided rather than guessed. Terraform takes an empty tuple for for_each (no instances):
    https://developer.hashicorp.com/terraform/language/meta-arguments/count
    https://developer.hashicorp.com/terraform/language/meta-arguments/for_each
    """
    if "count" in body:
        value = body["count"]
        count = _count(value)
        if count is None:
            return Unresolved(f"count = {_written(value)}")
        return "" if count else f"count = {_written(value)}"
    if "for_each" in body:
        value = body["for_each"]
        if isinstance(value, (Mapping, list)) and not isinstance(value, Unresolved):
            return "" if value else f"for_each = {_written(value)}"
        return Unresolved(f"for_each = {_written(value)}")
    return ""


def _unknown_problems(
    unknown: Iterable[UnknownAttribute], resource_type: str, document: Document, positions: PositionIndex
) -> Iterator[LoadProblem]:
    """IN002 for each attribute the provider does not have, named as written, with a close spelling if any."""
    for attribute in unknown:
        where = f"{attribute.block} block of {resource_type}" if attribute.block else resource_type
        message = (
            f"{document.name}: unknown attribute {attribute.name!r} in {where}"
            f"{did_you_mean(attribute.name, attribute.known)}"
        )
        pointer = join_pointer(attribute.graph, attribute.name)
        yield LoadProblem("IN002", message, positions.nearest_span(attribute.pointer), pointer, document.identity)


def documents_for(
    resources: Iterable[tuple[str, str, Mapping[str, Any], str]],
    *,
    path: str,
    source_format: str,
    positions: PositionIndex,
    problems: list[LoadProblem],
    absent: list[Document] | None = None,
) -> list[Document]:
    """Documents for (resource type, identity, body, body pointer) entries; schema problems go to `problems`.

    With `absent` (configuration, not plans: a plan has expanded `count` already), `count` and
    `for_each` decide whether each object exists, and those never created go to `absent`; and attributes
    the provider does not have are IN002 (a plan's come from the provider's own schema, whatever its version).
    """
    documents = []
    for resource_type, identity, body, pointer in resources:
        unknown: list[UnknownAttribute] | None = [] if absent is not None else None
        mapped = map_resource(resource_type, body, pointer, unknown)
        if mapped is None:
            continue
        kind, graph, translation, clean = mapped
        document, found = build_document(
            kind,
            graph,
            path=path,
            source_format=source_format,
            pointer="",
            positions=TranslatedPositions(positions, translation),
            identity=identity,
            clean=clean,
        )
        problems.extend(found)
        if document is None:
            continue
        problems.extend(_unknown_problems(unknown or (), resource_type, document, positions))
        exists = existence(body) if absent is not None else ""
        if isinstance(exists, Unresolved):
            document = document._replace(existence=exists)
        elif exists and absent is not None:
            absent.append(document._replace(existence=exists))
            continue
        documents.append(document)
    return documents
