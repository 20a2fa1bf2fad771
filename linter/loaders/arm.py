"""ARM templates and `bicep build` output: Graph-shaped policies held in variables, parameters and scripts.

Microsoft Graph Bicep has no Conditional Access or token lifetime resource type, so policies sit in
`variables`, parameter `defaultValue`s, `Microsoft.Resources/deploymentScripts` (objects, or JSON text
in `arguments`, `scriptContent` and environment variables) or Graph extension resources. Other resource
types (Logic Apps that POST policies, with a Parse_JSON schema of the policy shape) are not searched.
https://learn.microsoft.com/azure/azure-resource-manager/templates/syntax
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any, NamedTuple

from linter.loaders.normalize.documents import build_document, find_documents
from linter.loaders.positions import JsonPositions
from linter.loaders.result import LoadResult
from linter.model import Document, LoadProblem, Unresolved
from linter.model.jsonscan import json_string_offsets
from linter.model.source import Span, join_pointer

__all__ = ["ArmPositions", "load"]

SOURCE_FORMAT = "arm"
_REFERENCE = re.compile(r"\[\s*(parameters|variables)\(\s*'([^']*)'\s*\)\s*\]")
_MAX_REFERENCE_DEPTH = 32
_SCRIPT_TYPE = "microsoft.resources/deploymentscripts"
_DEPLOYMENT_TYPE = "microsoft.resources/deployments"
_GRAPH_TYPE_PREFIX = "microsoft.graph/"


class ArmPositions(JsonPositions):
    """Template positions that follow resolved references to where their value is written, and into JSON text.

    `aliases` maps the pointer of a `[parameters('x')]`/`[variables('x')]` string to the pointer of the
    value it resolved to; `regions` maps the pointer of a string holding JSON to the slice of its decoded
    value that the JSON occupies, so pointers below it land on the characters inside the string.
    """

    def __init__(self, text: str) -> None:
        super().__init__(text)
        self.aliases: dict[str, str] = {}
        self.regions: dict[str, tuple[int, int]] = {}
        self._region_positions: dict[str, JsonPositions] = {}

    def translate(self, pointer: str) -> str:
        best = None
        for target in self.aliases:
            if (pointer == target or pointer.startswith(target + "/")) and (best is None or len(target) > len(best)):
                best = target
        return pointer if best is None else self.aliases[best] + pointer[len(best) :]

    def span(self, pointer: str) -> Span | None:
        return super().span(self.translate(pointer))

    def string_value(self, pointer: str) -> tuple[str, list[int]] | None:
        pointer = self.translate(pointer)
        for string_pointer, (start, _) in self.regions.items():
            if pointer.startswith(string_pointer + "/"):
                outer = super().string_value(string_pointer)
                inner = self._region(string_pointer, outer[0] if outer else "")
                found = inner.offsets().get(pointer[len(string_pointer) :])
                if outer is None or found is None or inner.text[found[0]] != '"':
                    return None
                value, offsets = json_string_offsets(inner.text, *found)
                return value, [outer[1][start + offset] for offset in offsets]
        return super().string_value(pointer)

    def _region(self, string_pointer: str, decoded: str) -> JsonPositions:
        if string_pointer not in self._region_positions:
            start, end = self.regions[string_pointer]
            self._region_positions[string_pointer] = JsonPositions(decoded[start:end], tolerant=True)
        return self._region_positions[string_pointer]

    def _build(self) -> dict[str, tuple[int, int]]:
        offsets = super()._build()
        for string_pointer, (start, _) in self.regions.items():
            found = offsets.get(string_pointer)
            if found is None or self.text[found[0]] != '"':
                continue
            decoded, char_offsets = json_string_offsets(self.text, *found)
            for inner_pointer, (inner_start, inner_end) in self._region(string_pointer, decoded).offsets().items():
                if inner_pointer:
                    # The next character's offset, so a closing escape (`\\"`) is inside the span.
                    offsets[string_pointer + inner_pointer] = (
                        char_offsets[start + inner_start],
                        char_offsets[start + inner_end],
                    )
        return offsets


class _Scope(NamedTuple):
    """One template (the file's, or a nested deployment's): what its references resolve against."""

    template: Mapping[str, Any]
    pointer: str
    label: str


class _Candidate(NamedTuple):
    """A value that may hold policies, already resolved, and how documents found in it are named."""

    pointer: str
    value: Any
    label: str


def is_expression(value: str) -> bool:
    return value.startswith("[") and value.endswith("]") and not value.startswith("[[")


class _Resolver:
    """Resolves `[parameters('x')]` to its defaultValue and `[variables('x')]`; other expressions stay Unresolved."""

    def __init__(self, positions: ArmPositions) -> None:
        self.positions = positions

    def resolve(self, value: Any, target: str, scope: _Scope, depth: int = 0) -> Any:
        if isinstance(value, str):
            return self._string(value, target, scope, depth)
        if isinstance(value, Mapping):
            return {key: self.resolve(item, join_pointer(target, key), scope, depth) for key, item in value.items()}
        if isinstance(value, list):
            return [self.resolve(item, join_pointer(target, index), scope, depth) for index, item in enumerate(value)]
        return value

    def _string(self, value: str, target: str, scope: _Scope, depth: int) -> Any:
        if value.startswith("[["):
            return value[1:]
        if not is_expression(value):
            return value
        match = _REFERENCE.fullmatch(value)
        if match is None or depth >= _MAX_REFERENCE_DEPTH:
            return Unresolved(value)
        section, name = match.groups()
        declared = scope.template.get(section)
        entry = declared.get(name) if isinstance(declared, Mapping) else None
        if section == "parameters":
            if not isinstance(entry, Mapping) or "defaultValue" not in entry:
                return Unresolved(value)
            origin, source = join_pointer(scope.pointer, "parameters", name, "defaultValue"), entry["defaultValue"]
        else:
            if not isinstance(declared, Mapping) or name not in declared:
                return Unresolved(value)
            origin, source = join_pointer(scope.pointer, "variables", name), entry
        resolved = self.resolve(source, target, scope, depth + 1)
        if isinstance(resolved, Unresolved):
            return Unresolved(value)
        # The innermost reference wins: it names where the literal is actually written.
        self.positions.aliases.setdefault(target, origin)
        return resolved


def _resources(template: Mapping[str, Any], pointer: str) -> Iterator[tuple[str, str, Mapping[str, Any]]]:
    """(pointer, label, resource) for `resources` as an array (classic) or keyed by symbolic name (2.x)."""
    resources = template.get("resources")
    if isinstance(resources, list):
        for index, resource in enumerate(resources):
            if isinstance(resource, Mapping):
                name = resource.get("name")
                label = name if isinstance(name, str) and name else f"resources[{index}]"
                yield join_pointer(pointer, "resources", index), label, resource
    elif isinstance(resources, Mapping):
        for symbolic, resource in resources.items():
            if isinstance(resource, Mapping):
                yield join_pointer(pointer, "resources", symbolic), symbolic, resource


def _json_slice(value: str) -> tuple[int, int] | None:
    """Where JSON text sits in a script string: the whole (trimmed) string, else its outermost braces."""
    if value.startswith("[["):
        start = 1
    elif is_expression(value):
        return None
    else:
        start = 0
    stripped = value[start:].strip()
    if stripped.startswith(("{", "[")):
        first = value.index(stripped[0], start)
        return first, first + len(stripped)
    first, last = value.find("{", start), value.rfind("}")
    return (first, last + 1) if 0 <= first < last else None


class _TemplateWalker:
    """Collects every place of a template that may hold a policy, resolving references as it goes."""

    def __init__(self, positions: ArmPositions) -> None:
        self.positions = positions
        self.resolver = _Resolver(positions)
        self.candidates: list[_Candidate] = []

    def walk(self, scope: _Scope) -> None:
        template = scope.template
        for section in ("variables", "parameters"):
            declared = template.get(section)
            if not isinstance(declared, Mapping):
                continue
            for name, entry in declared.items():
                if section == "parameters":
                    if not isinstance(entry, Mapping) or "defaultValue" not in entry:
                        continue
                    pointer, entry = join_pointer(scope.pointer, section, name, "defaultValue"), entry["defaultValue"]
                else:
                    pointer = join_pointer(scope.pointer, section, name)
                self._add(pointer, entry, f"{scope.label}{section}.{name}", scope)
        for pointer, label, resource in _resources(template, scope.pointer):
            self._resource(pointer, scope.label + label, resource, scope)

    def _add(self, pointer: str, value: Any, label: str, scope: _Scope) -> None:
        self.candidates.append(_Candidate(pointer, self.resolver.resolve(value, pointer, scope), label))

    def _resource(self, pointer: str, label: str, resource: Mapping[str, Any], scope: _Scope) -> None:
        resource_type = resource.get("type")
        base_type = resource_type.split("@", 1)[0].lower() if isinstance(resource_type, str) else ""
        properties = resource.get("properties")
        if not isinstance(properties, Mapping):
            return
        properties_pointer = join_pointer(pointer, "properties")
        if base_type == _DEPLOYMENT_TYPE and isinstance(properties.get("template"), Mapping):
            nested = _Scope(properties["template"], join_pointer(properties_pointer, "template"), label + "/")
            self.walk(nested)
        elif base_type == _SCRIPT_TYPE:
            self._add(properties_pointer, properties, label, scope)
            self._script_strings(properties, properties_pointer, label)
        elif base_type.startswith(_GRAPH_TYPE_PREFIX) or "import" in resource or "extension" in resource:
            self._add(properties_pointer, properties, label, scope)

    def _script_strings(self, properties: Mapping[str, Any], pointer: str, label: str) -> None:
        strings: list[tuple[tuple[str | int, ...], Any, str]] = [
            ((key,), properties.get(key), f"{label}.{key}") for key in ("arguments", "scriptContent")
        ]
        variables = properties.get("environmentVariables")
        for index, variable in enumerate(variables if isinstance(variables, list) else []):
            if isinstance(variable, Mapping):
                name = variable.get("name", index)
                strings.append((("environmentVariables", index, "value"), variable.get("value"), f"{label}.env.{name}"))
        for tokens, text, string_label in strings:
            if isinstance(text, str):
                self._embedded_json(join_pointer(pointer, *tokens), text, string_label, tokens == ("scriptContent",))

    def _embedded_json(self, pointer: str, text: str, label: str, whole_only: bool) -> None:
        from linter.loaders.json.parse import ParseError, parse_json

        found = _json_slice(text)
        if found is None or (whole_only and text[found[0] : found[1]] != text.strip()):
            return
        try:
            value = parse_json(text[found[0] : found[1]])
        except ParseError:
            return  # script arguments are usually not JSON; only JSON that parses is read
        self.positions.regions[pointer] = found
        self.candidates.append(_Candidate(pointer, value, label))


def load(path: str, text: str, data: Mapping[str, Any]) -> LoadResult | None:
    """Every Graph-shaped policy in an ARM template, with spans in the template text."""
    positions = ArmPositions(text)
    walker = _TemplateWalker(positions)
    walker.walk(_Scope(data, "", ""))
    documents: list[Document] = []
    problems: list[LoadProblem] = []
    seen: set[str] = set()
    for candidate in walker.candidates:
        for kind, pointer, raw in find_documents(candidate.value, candidate.pointer):
            # A policy reached through `[variables('x')]` is already found where it is written.
            if positions.translate(pointer) != pointer or pointer in seen:
                continue
            seen.add(pointer)
            document, found = build_document(
                kind,
                raw,
                path=path,
                source_format=SOURCE_FORMAT,
                pointer=pointer,
                positions=positions,
                identity=candidate.label + pointer[len(candidate.pointer) :],
            )
            problems.extend(found)
            if document is not None:
                documents.append(document)
    if not documents and not problems:
        return None
    return LoadResult(SOURCE_FORMAT, tuple(documents), tuple(problems))
