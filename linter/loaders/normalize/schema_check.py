"""The schema pre-check compiler: a JSON Schema compiled into closures that answer "certainly valid"."""

from __future__ import annotations

import functools
import itertools
import re
from collections.abc import Callable
from typing import Any

from linter.model import Unresolved
from linter.model.source import split_pointer

__all__ = ["Check", "compile_check", "null_or"]

Check = Callable[[Any], bool]

# Invariant: every compiled check is True for an Unresolved value (a str), except `_never`.

_ANNOTATIONS = frozenset({"$schema", "$id", "$comment", "$defs", "title", "description", "examples", "default"})
_PYTHON_TYPES: dict[str, tuple[type, ...]] = {
    "object": (dict,),
    "array": (list,),
    "string": (str,),
    "boolean": (bool,),
    # 1.0 is a JSON Schema integer too, and bools are not numbers: those go to jsonschema.
    "integer": (int,),
    "number": (int, float),
}
_SCALARS = (str, int, float, bool, type(None))


def _always(value: Any) -> bool:
    return True


def _never(value: Any) -> bool:
    return False


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def compile_check(schema: Any, root: Any = None) -> Check:
    """A function that is True only for values the schema certainly accepts (False means "ask jsonschema").

    `root` is the document that local `$ref`s in schema point into, when schema is a part of it.
    """
    return _Compiler(schema if root is None else root).compile(schema)


class _Compiler:
    def __init__(self, root: Any) -> None:
        self.root = root
        self.refs: dict[str, Check] = {}

    def compile(self, schema: Any, nullable: bool = False) -> Check:
        """The check for schema; `nullable` also accepts null (only for schemas whose type or enum rejects it)."""
        if schema is True:
            return _always
        if not isinstance(schema, dict):
            return _never
        inner = null_or(schema)
        if inner is not None:
            if isinstance(inner, dict) and inner.keys() & {"type", "enum"} and not inner.keys() & {"$ref", "anyOf"}:
                return self.compile(inner, nullable=True)  # one call per value instead of two
            inner_check = self.compile(inner)
            return lambda value: value is None or inner_check(value)
        builders: list[_Builder] = []
        for keyword in schema:
            builder = _KEYWORDS.get(keyword)
            if builder is None and keyword not in _ANNOTATIONS:
                return _never  # a keyword we do not compile: always ask jsonschema
            if builder is not None and builder not in builders:
                builders.append(builder)
        if schema.get("type") in ("object", "array") and len(builders) > 1:
            builders.remove(_Compiler.type)  # the object/array check tests the type itself
        checks = [builder(self, schema, nullable) for builder in builders]
        if not checks:
            return _always
        if len(checks) == 1:
            return checks[0]
        first, second, *rest = checks
        if not rest:
            return lambda value: first(value) and second(value)
        return lambda value: all(check(value) for check in checks)

    def ref(self, schema: dict[str, Any], nullable: bool) -> Check:
        reference = schema["$ref"]
        if reference in self.refs:
            return self.refs[reference]
        target: Any = self.root if isinstance(reference, str) and reference.startswith("#") else None
        for token in split_pointer(reference[1:]) if target is not None else ():
            target = target.get(token) if isinstance(target, dict) else None
        compiled: list[Check] = []

        def forward(value: Any) -> bool:  # a recursive schema refers to itself before it is compiled
            return compiled[0](value)

        self.refs[reference] = forward
        compiled.append(self.compile(target) if target is not None else _never)
        self.refs[reference] = compiled[0]
        return compiled[0]

    def any_of(self, schema: dict[str, Any], nullable: bool) -> Check:
        branches = [self.compile(branch) for branch in schema["anyOf"]] if isinstance(schema["anyOf"], list) else []
        return lambda value: any(branch(value) for branch in branches)

    def object(self, schema: dict[str, Any], nullable: bool) -> Check:
        get = {name: self.compile(sub) for name, sub in schema.get("properties", {}).items()}.get
        extra = self.compile(schema["additionalProperties"]) if "additionalProperties" in schema else _always
        names = self.compile(schema["propertyNames"]) if "propertyNames" in schema else None
        required = frozenset(schema.get("required", ()))
        other = _other_types(schema.get("type") == "object", nullable)

        def check(value: Any) -> bool:
            if not isinstance(value, dict):
                return other(value)
            for key, item in value.items():
                if not get(key, extra)(item):
                    return False
            return required <= value.keys() and (names is None or all(map(names, value)))

        return check

    def array(self, schema: dict[str, Any], nullable: bool) -> Check:
        item_schema = schema.get("items", True)
        items = self.compile(item_schema)
        # The common shapes, checked at C speed: string lists and lists of enum members.
        shortcut: Callable[[list[Any]], bool] | None = None
        if item_schema == {"type": "string"}:
            shortcut = _all_strings
        elif isinstance(item_schema, dict) and item_schema.keys() == {"enum"}:
            members = frozenset(item for item in item_schema["enum"] if isinstance(item, str))
            shortcut = functools.partial(_all_members, members)
        low, high = schema.get("minItems", 0), schema.get("maxItems")
        other = _other_types(schema.get("type") == "array", nullable)

        def check(value: Any) -> bool:
            if not isinstance(value, list):
                return other(value)
            if len(value) < low or (high is not None and len(value) > high):
                return False
            return (shortcut is not None and shortcut(value)) or all(map(items, value))

        if item_schema == {"type": "string"} and low == 0 and high is None:
            # Most Graph arrays: string lists without bounds, one call per list instead of three.
            def strings(value: Any) -> bool:
                if type(value) is list and all(map(isinstance, value, itertools.repeat(str))):
                    return True
                return check(value)

            return strings
        return check

    def string(self, schema: dict[str, Any], nullable: bool) -> Check:
        pattern = re.compile(schema["pattern"]) if "pattern" in schema else None
        low, high = schema.get("minLength", 0), schema.get("maxLength")

        def check(value: Any) -> bool:
            if not isinstance(value, str) or isinstance(value, Unresolved):
                return True
            # JSON Schema counts code points, as len() does.
            if len(value) < low or (high is not None and len(value) > high):
                return False
            return pattern is None or pattern.search(value) is not None

        return check

    def number(self, schema: dict[str, Any], nullable: bool) -> Check:
        low, high = schema.get("minimum"), schema.get("maximum")
        return lambda value: (
            not _is_number(value) or ((low is None or value >= low) and (high is None or value <= high))
        )

    def type(self, schema: dict[str, Any], nullable: bool) -> Check:
        names = schema["type"] if isinstance(schema["type"], list) else [schema["type"]]
        accepted = (Unresolved, *(kind for name in names for kind in _PYTHON_TYPES.get(name, ())))
        null = nullable or "null" in names
        if any(name in ("integer", "number") for name in names) and "boolean" not in names:
            return lambda value: (
                (isinstance(value, accepted) and not isinstance(value, bool)) or (null and value is None)
            )
        return lambda value: isinstance(value, accepted) or (null and value is None)

    def enum(self, schema: dict[str, Any], nullable: bool) -> Check:
        # (type, value) pairs keep True apart from 1, as JSON Schema does; containers go to jsonschema.
        members = [*schema["enum"], *([None] if nullable else [])]
        allowed = {(type(item), item) for item in members if isinstance(item, _SCALARS)}
        strings = frozenset(item for item in members if type(item) is str)

        def check(value: Any) -> bool:
            if type(value) is str:  # most enum values: one set lookup, no pair built
                return value in strings
            return isinstance(value, Unresolved) or (isinstance(value, _SCALARS) and (type(value), value) in allowed)

        return check

    def const(self, schema: dict[str, Any], nullable: bool) -> Check:
        return self.enum({"enum": [schema["const"]]}, nullable)


def _other_types(strict: bool, nullable: bool) -> Check:
    """What an object or array check answers for a value of another type."""
    if not strict:
        return _always  # without `type`, object and array keywords ignore other values
    return lambda value: (nullable and value is None) or isinstance(value, Unresolved)


def _all_strings(value: list[Any]) -> bool:
    return all(map(isinstance, value, itertools.repeat(str)))


def _all_members(allowed: frozenset[str], value: list[Any]) -> bool:
    try:
        return allowed.issuperset(value)  # only strings are members, so 1 and True never match
    except TypeError:  # an unhashable item
        return False


def null_or(schema: dict[str, Any]) -> Any:
    """X for a schema that is only `{"anyOf": [X, {"type": "null"}]}`: Graph's nullable properties."""
    branches = schema.get("anyOf")
    if not isinstance(branches, list) or len(branches) != 2 or branches[1] != {"type": "null"}:
        return None
    return branches[0] if all(keyword in _ANNOTATIONS for keyword in schema if keyword != "anyOf") else None


_Builder = Callable[[_Compiler, dict[str, Any], bool], Check]
# Keywords of one group are compiled together, once per schema object.
_KEYWORDS: dict[str, _Builder] = {
    "$ref": _Compiler.ref,
    "anyOf": _Compiler.any_of,
    "type": _Compiler.type,
    "enum": _Compiler.enum,
    "const": _Compiler.const,
    **dict.fromkeys(("properties", "additionalProperties", "required", "propertyNames"), _Compiler.object),
    **dict.fromkeys(("items", "minItems", "maxItems"), _Compiler.array),
    **dict.fromkeys(("pattern", "minLength", "maxLength"), _Compiler.string),
    **dict.fromkeys(("minimum", "maximum"), _Compiler.number),
}
