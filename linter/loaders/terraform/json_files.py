"""Terraform JSON: `*.tf.json` configuration and `terraform show -json` plans and state."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any

from linter.loaders.positions import JsonPositions
from linter.loaders.result import LoadResult
from linter.loaders.terraform.resources import RESOURCE_TYPES, documents_for
from linter.model import Document, LoadProblem, Unresolved
from linter.model.source import escape_pointer

__all__ = ["load_config", "load_plan"]

Resource = tuple[str, str, Mapping[str, Any], str]

# A template with no `${` / `%{` sequence is a literal string; `$${` and `%%{` escape one.
_TEMPLATE = re.compile(r"[$%]\{")
# `"${var.x}"` alone is the expression `var.x`, as HCL writes it: keep the same text for both.
_SINGLE_INTERPOLATION = re.compile(r"^\$\{([^{}]*)\}$")
KNOWN_AFTER_APPLY = "(known after apply)"


def _config_value(value: Any) -> Any:
    """Strings that are templates become Unresolved; `//` comment keys are dropped."""
    if isinstance(value, str):
        if "{" not in value:
            return value
        if _TEMPLATE.search(value.replace("$${", "").replace("%%{", "")):
            single = _SINGLE_INTERPOLATION.match(value)
            return Unresolved(single.group(1).strip() if single else value)
        return value.replace("$${", "${").replace("%%{", "%{")
    if isinstance(value, Mapping):
        return {key: _config_value(item) for key, item in value.items() if key != "//"}
    if isinstance(value, list):
        return [_config_value(item) for item in value]
    return value


def _config_resources(data: Any) -> Iterator[Resource]:
    # `resource` may be an object or a list of objects (each type -> name -> body or list of bodies).
    sections = data.get("resource") if isinstance(data, Mapping) else None
    groups = (
        [("/resource", sections)]
        if isinstance(sections, Mapping)
        else [(f"/resource/{index}", item) for index, item in enumerate(sections)]
        if isinstance(sections, list)
        else []
    )
    for base, group in groups:
        if not isinstance(group, Mapping):
            continue
        for resource_type, named in group.items():
            if resource_type not in RESOURCE_TYPES or not isinstance(named, Mapping):
                continue
            for name, body in named.items():
                pointer = f"{base}/{escape_pointer(resource_type)}/{escape_pointer(name)}"
                if isinstance(body, list) and body:
                    body, pointer = body[0], pointer + "/0"
                if isinstance(body, Mapping):
                    yield resource_type, f"{resource_type}.{name}", _config_value(body), pointer


def _result(
    source_format: str, documents: list[Document], problems: list[LoadProblem], absent: list[Document] | None = None
) -> LoadResult | None:
    if not documents and not problems and not absent:
        return None
    return LoadResult(source_format, tuple(documents), tuple(problems), tuple(absent or ()))


def load_config(path: str, text: str, data: Any) -> LoadResult | None:
    """Policy resources of a `*.tf.json` file."""
    problems: list[LoadProblem] = []
    absent: list[Document] = []
    documents = documents_for(
        _config_resources(data),
        path=path,
        source_format="terraform-json",
        positions=JsonPositions(text),
        problems=problems,
        absent=absent,
    )
    return _result("terraform-json", documents, problems, absent)


def _with_unknowns(value: Any, unknown: Any) -> Any:
    """Plan values that are known only after apply become Unresolved instead of missing or null."""
    if unknown is True:
        return Unresolved(KNOWN_AFTER_APPLY)
    if isinstance(value, Mapping) and isinstance(unknown, Mapping):
        merged = dict(value)
        for key, item in unknown.items():
            merged[key] = _with_unknowns(value.get(key), item)
        return merged
    if isinstance(value, list) and isinstance(unknown, list):
        return [
            _with_unknowns(item, unknown[index] if index < len(unknown) else None) for index, item in enumerate(value)
        ]
    return value


def _module_resources(module: Any, pointer: str) -> Iterator[Resource]:
    stack = [(module, pointer)]
    while stack:
        current, current_pointer = stack.pop()
        if not isinstance(current, Mapping):
            continue
        resources = current.get("resources")
        for index, resource in enumerate(resources if isinstance(resources, list) else []):
            if not isinstance(resource, Mapping) or resource.get("mode", "managed") != "managed":
                continue
            values = resource.get("values")
            resource_type = resource.get("type")
            if isinstance(values, Mapping) and resource_type in RESOURCE_TYPES:
                address = str(resource.get("address") or f"{resource_type}.{resource.get('name')}")
                yield str(resource_type), address, values, f"{current_pointer}/resources/{index}/values"
        children = current.get("child_modules")
        for index in reversed(range(len(children) if isinstance(children, list) else 0)):
            stack.append((children[index], f"{current_pointer}/child_modules/{index}"))  # type: ignore[index]


def _change_resources(changes: list[Any]) -> Iterator[Resource]:
    for index, change in enumerate(changes):
        if not isinstance(change, Mapping) or change.get("mode", "managed") != "managed":
            continue
        resource_type = change.get("type")
        detail = change.get("change")
        after = detail.get("after") if isinstance(detail, Mapping) else None
        # A delete plans `after: null`: the policy will not exist, so there is nothing to check.
        if resource_type not in RESOURCE_TYPES or not isinstance(after, Mapping):
            continue
        assert isinstance(detail, Mapping)
        address = str(change.get("address") or f"{resource_type}.{change.get('name')}")
        body = _with_unknowns(after, detail.get("after_unknown"))
        yield str(resource_type), address, body, f"/resource_changes/{index}/change/after"


def _plan_resources(data: Mapping[str, Any]) -> Iterator[Resource]:
    changes = data.get("resource_changes")
    if isinstance(changes, list) and changes:
        yield from _change_resources(changes)
        return
    for section in ("planned_values", "values"):
        values = data.get(section)
        if isinstance(values, Mapping) and "root_module" in values:
            yield from _module_resources(values["root_module"], f"/{section}/root_module")
            return


def load_plan(path: str, text: str, data: Any) -> LoadResult | None:
    """Policy resources of `terraform show -json` output (a plan, or state)."""
    if not isinstance(data, Mapping):
        return None
    problems: list[LoadProblem] = []
    documents = documents_for(
        _plan_resources(data),
        path=path,
        source_format="terraform-plan",
        positions=JsonPositions(text),
        problems=problems,
    )
    return _result("terraform-plan", documents, problems)
