"""Shape, schema pre-check and pruning of a parsed Graph document in one walk.

`build_document` cleans a loader's own parse in three walks over the same values: drop OData
annotations (graph_shape.py), ask the compiled schema pre-check whether the document is certainly
valid (schema_check.py), then drop nulls and empty lists and objects. For the common
document (camelCase keys, every value certainly valid) this module does all three in one walk
guided by a plan compiled from the schema. It gives up, touching nothing, on anything else:
PascalCase keys, a value the pre-check cannot vouch for, a shape the plan does not describe. The
three-walk path then handles the document exactly as before, so this is a shortcut, never a
second opinion (tests/test_single_pass.py holds the two to the same documents). It saves 13.7% of
a JSON fleet's instructions and 6.5% of a YAML fleet's (docs/performance.md, "Fast paths").
"""

from __future__ import annotations

import functools
from typing import Any

from linter.loaders.normalize.graph_shape import FLAG_POINTERS, split_flag
from linter.loaders.normalize.schema import load_schema
from linter.loaders.normalize.schema_check import Check, compile_check, null_or
from linter.model.source import split_pointer

__all__ = ["clean_and_check"]

_SCALAR_TYPES = frozenset({str, int, float, bool})
_JOIN_STRINGS = "".join
_ANY_STRING, _ANY_STRINGS = "any string", "any list of strings"
# Keywords of an object schema the plan describes completely; any other keyword means no plan.
_OBJECT_KEYWORDS = frozenset(
    {"type", "properties", "additionalProperties", "required", "$schema", "$id", "$defs", "$comment"}
    | {"title", "description", "examples", "default"}
)
_ARRAY_KEYWORDS = frozenset({"type", "items", "minItems", "maxItems", "title", "description", "$comment"})

# A property's plan: its check, the plan of its value as an object and as a list of objects, whether it is
# a flags string, a shortcut (any string / any list of strings: no call to the check), and check(None).
_Property = tuple[Check, Any, Any, bool, str | None, bool]
# An object plan: properties, the check of other keys' values (None when additionalProperties is false),
# required names. An array plan: (minItems, maxItems or None, the object plan of its items).
_ObjectPlan = tuple[dict[str, _Property], Check | None, frozenset[str]]
_ArrayPlan = tuple[int, int | None, _ObjectPlan]


def clean_and_check(kind: str, data: dict[str, Any]) -> bool:
    """Shape and prune `data` in place and return True, when it is certainly valid; else leave it as it was.

    `data` must be the caller's own: a tree of plain dicts and lists that nothing else holds. Graph's
    comma-separated flags strings are split on the way (the one change made even when it gives up,
    and one the three walks make too).
    """
    plan = _plan(kind)
    if plan is None:
        return False
    deletions: list[tuple[dict[str, Any], str]] = []
    if _walk(data, plan, deletions) < 0:
        return False
    for holder, key in deletions:  # a holder's own deletions come before its removal from its parent
        del holder[key]
    return True


def _walk(value: dict[Any, Any], plan: _ObjectPlan, deletions: list[tuple[dict[str, Any], str]]) -> int:
    """How many keys value keeps once cleaned, with what to delete added to deletions; -1 to give up."""
    properties, extra, required = plan
    kept = len(value)
    for key, item in value.items():
        entry = properties.get(key)
        kind = type(item)
        if entry is None:
            if type(key) is not str:
                return -1
            if "@" in key or key.startswith("#"):  # an OData annotation
                deletions.append((value, key))
                kept -= 1
                continue
            # Another key: PascalCase and containers are left to the three walks.
            if extra is None or key[:1].isupper() or kind is dict or kind is list or not extra(item):
                return -1
            if item is None:
                deletions.append((value, key))
                kept -= 1
            continue
        check, object_plan, array_plan, flags, shortcut, accepts_null = entry
        if kind is str:
            if not flags:
                if shortcut is not _ANY_STRING and not check(item):
                    return -1
                continue
            item = value[key] = split_flag(item)
            kind = list
        if kind is list:
            if not item:  # pruned; a bare list of strings needs no check
                if shortcut is not _ANY_STRINGS and not check(item):
                    return -1
                deletions.append((value, key))
                kept -= 1
            elif shortcut is _ANY_STRINGS:
                try:
                    _JOIN_STRINGS(item)  # in C, and raises for any item that is not a str
                except TypeError:
                    return -1
            elif array_plan is not None and not _SCALAR_TYPES.issuperset(map(type, item)):
                if not _walk_members(item, array_plan, deletions):
                    return -1
            elif not check(item) or None in item:  # a null member is pruned: left to the three walks
                return -1
        elif kind is dict:
            if object_plan is None:
                return -1
            inner = _walk(item, object_plan, deletions)
            if inner < 0:
                return -1
            if inner == 0:
                deletions.append((value, key))
                kept -= 1
        elif item is None:
            if not accepts_null:
                return -1
            deletions.append((value, key))
            kept -= 1
        elif not (kind in _SCALAR_TYPES or isinstance(item, str)) or not check(item):
            return -1
    if required and not required <= value.keys():
        return -1
    return kept


def _walk_members(value: list[Any], plan: _ArrayPlan, deletions: list[tuple[dict[str, Any], str]]) -> bool:
    """A list of objects: each member is cleaned and kept, even when it is left empty (as pruning does)."""
    low, high, member_plan = plan
    if len(value) < low or (high is not None and len(value) > high):
        return False
    return all(type(member) is dict and _walk(member, member_plan, deletions) >= 0 for member in value)


@functools.cache
def _plan(kind: str) -> _ObjectPlan | None:
    root = load_schema(kind)
    return _Planner(root, FLAG_POINTERS.get(kind, ())).object_plan(root, ())


class _Planner:
    def __init__(self, root: dict[str, Any], flag_pointers: tuple[str, ...]) -> None:
        self.root = root
        self.flags = {tuple(split_pointer(pointer)) for pointer in flag_pointers}
        self.in_progress: set[int] = set()

    def resolve(self, schema: Any) -> Any:
        """The schema behind a nullable wrapper (`anyOf: [X, null]`) and local `$ref`s."""
        for _ in range(16):
            inner = null_or(schema) if isinstance(schema, dict) else None
            if inner is not None:
                schema = inner
            elif isinstance(schema, dict) and schema.keys() == {"$ref"} and str(schema["$ref"]).startswith("#"):
                target: Any = self.root
                for token in split_pointer(schema["$ref"][1:]):
                    target = target.get(token) if isinstance(target, dict) else None
                schema = target
            else:
                return schema
        return None

    def object_plan(self, schema: Any, path: tuple[str, ...]) -> _ObjectPlan | None:
        schema = self.resolve(schema)
        if (
            not isinstance(schema, dict)
            or schema.get("type") != "object"
            or not schema.keys() <= _OBJECT_KEYWORDS
            or id(schema) in self.in_progress
        ):
            return None
        self.in_progress.add(id(schema))
        try:
            properties = {
                name: self.property_plan(sub, (*path, name)) for name, sub in schema.get("properties", {}).items()
            }
        finally:
            self.in_progress.discard(id(schema))
        additional = schema.get("additionalProperties", True)
        extra = None if additional is False else compile_check(additional, self.root)
        return properties, extra, frozenset(schema.get("required", ()))

    def property_plan(self, schema: Any, path: tuple[str, ...]) -> _Property:
        resolved = self.resolve(schema)
        check = compile_check(schema, self.root)
        shortcut = None
        if resolved == {"type": "string"}:
            shortcut = _ANY_STRING
        elif (
            isinstance(resolved, dict)
            and resolved.get("type") == "array"
            and resolved.get("items") == {"type": "string"}
            and resolved.keys() <= _ARRAY_KEYWORDS - {"minItems", "maxItems"}
        ):
            shortcut = _ANY_STRINGS
        flags = path in self.flags
        return check, self.object_plan(schema, path), self.array_plan(schema, path), flags, shortcut, check(None)

    def array_plan(self, schema: Any, path: tuple[str, ...]) -> _ArrayPlan | None:
        schema = self.resolve(schema)
        if not isinstance(schema, dict) or schema.get("type") != "array" or not schema.keys() <= _ARRAY_KEYWORDS:
            return None
        member_plan = self.object_plan(schema.get("items"), path)
        if member_plan is None:
            return None
        return schema.get("minItems", 0), schema.get("maxItems"), member_plan
