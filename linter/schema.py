"""JSON Schema validation of normalized documents: a compiled pre-check, jsonschema only for the errors.

jsonschema needs ~60 ms to import and is slow per document, and almost every document is valid.
So each schema is compiled once into plain closures that answer "certainly valid" for the subset
of JSON Schema our schemas use; anything the compiler does not understand answers "maybe
invalid", and only then does jsonschema run to say exactly what is wrong. The pre-check must
never call valid what jsonschema rejects (tests/test_schema.py proves it with hypothesis).
"""

from __future__ import annotations

import functools
import itertools
import json
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from linter.model import (
    AUTHENTICATION_STRENGTH_POLICY,
    CONDITIONAL_ACCESS_POLICY,
    MFA_SERVICE_SETTINGS,
    NAMED_LOCATION,
    TOKEN_LIFETIME_POLICY,
    Unresolved,
)
from linter.source import join_pointer, split_pointer

__all__ = [
    "SCHEMA_FILES",
    "TOKEN_LIFETIME_DEFINITION",
    "compile_check",
    "explain",
    "load_schema",
    "schemas_dir",
    "validate",
    "validate_definition",
]

TOKEN_LIFETIME_DEFINITION = "tokenLifetimeDefinition"
SCHEMA_FILES = {
    CONDITIONAL_ACCESS_POLICY: "conditional-access-policy.schema.json",
    NAMED_LOCATION: "named-location.schema.json",
    AUTHENTICATION_STRENGTH_POLICY: "authentication-strength-policy.schema.json",
    TOKEN_LIFETIME_POLICY: "token-lifetime-policy.schema.json",
    TOKEN_LIFETIME_DEFINITION: "token-lifetime-definition.schema.json",
    MFA_SERVICE_SETTINGS: "mfa-service-settings.schema.json",
    "config": "config.schema.json",
}

Check = Callable[[Any], bool]


def schemas_dir() -> Path:
    """`linter/schemas` in an installed wheel, `schemas/` beside `linter/` in a source checkout."""
    package_dir = Path(__file__).resolve().parent
    installed = package_dir / "schemas"
    return installed if installed.is_dir() else package_dir.parent / "schemas"


@functools.cache
def load_schema(kind: str) -> dict[str, Any]:
    with (schemas_dir() / SCHEMA_FILES[kind]).open(encoding="utf-8") as handle:
        schema: dict[str, Any] = json.load(handle)
    return schema


@functools.cache
def _validator(kind: str) -> Any:
    # jsonschema costs ~60 ms to import: only runs that meet an invalid document pay for it.
    from jsonschema import Draft202012Validator

    return Draft202012Validator(load_schema(kind))


@functools.cache
def _fast_check(kind: str) -> Check:
    return compile_check(load_schema(kind))


def validate(kind: str, data: Any) -> list[tuple[str, str]]:
    """(pointer, message) for every value that breaks the kind's schema, deepest first.

    Unresolved references (`var.x`) are never schema errors: their value is unknown.
    """
    return [] if _fast_check(kind)(data) else explain(kind, data)


def explain(kind: str, data: Any) -> list[tuple[str, str]]:
    """What `validate` reports, always computed with jsonschema (the slow, exact path)."""
    problems: set[tuple[str, str]] = set()
    for error in _validator(kind).iter_errors(data):
        problems.update(_problems(error, nullable=False))
    return sorted(problems, key=lambda problem: (-problem[0].count("/"), problem[0], problem[1]))


def validate_definition(value: Any) -> list[tuple[str, str]]:
    """Problems of one parsed token lifetime `definition` value; pointers are relative to it."""
    return validate(TOKEN_LIFETIME_DEFINITION, value)


# ---- the pre-check compiler -------------------------------------------------------------
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


def compile_check(schema: Any) -> Check:
    """A function that is True only for values the schema certainly accepts (False means "ask jsonschema")."""
    return _Compiler(schema).compile(schema)


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
        inner = _null_or(schema)
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
        return lambda value: (
            isinstance(value, Unresolved) or (isinstance(value, _SCALARS) and (type(value), value) in allowed)
        )

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


def _null_or(schema: dict[str, Any]) -> Any:
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


# ---- plain-language messages (IN002) ------------------------------------------------------


def _problems(error: Any, *, nullable: bool) -> Iterator[tuple[str, str]]:
    """(pointer, message) for one jsonschema error, looking inside `anyOf` for the branch that was meant."""
    if isinstance(error.instance, Unresolved):
        return
    pointer = join_pointer("", *error.absolute_path)
    if error.validator == "anyOf" and error.context:
        branches = error.validator_value
        meant = {
            sub.relative_schema_path[0]
            for sub in error.context
            if branches[sub.relative_schema_path[0]] != {"type": "null"}
        }
        if len(meant) == 1:
            allows_null = {"type": "null"} in branches
            for sub in error.context:
                if sub.relative_schema_path[0] in meant:
                    at_same_value = list(sub.absolute_path) == list(error.absolute_path)
                    yield from _problems(sub, nullable=allows_null and at_same_value)
            return
    where = pointer or "the document"
    if error.validator == "additionalProperties" and isinstance(error.instance, dict):
        known = error.schema.get("properties", {})
        for name in error.instance:
            if name not in known:
                yield join_pointer(pointer, str(name)), f"unknown property {name!r} at {where}{_suggest(name, known)}"
        return
    yield pointer, _message(error, where, nullable=nullable)


def _message(error: Any, where: str, *, nullable: bool = False) -> str:
    validator, expected, instance = error.validator, error.validator_value, error.instance
    if validator == "enum":
        allowed = ", ".join(repr(value) for value in expected)
        return f"{instance!r} at {where} is not one of {allowed}{_suggest(instance, expected)}"
    if validator == "type":
        names = [*(expected if isinstance(expected, list) else [expected]), *(["null"] if nullable else [])]
        return f"{where} must be {' or '.join(_with_article(name) for name in names)}, not {_json_type(instance)}"
    if validator == "required":
        missing = [name for name in expected if name not in instance]
        return f"{where} is missing the required property {', '.join(repr(name) for name in missing)}"
    if validator == "minimum":
        return f"{where} must be at least {expected}, not {instance!r}"
    if validator == "maximum":
        return f"{where} must be at most {expected}, not {instance!r}"
    if validator == "minItems":
        return f"{where} must not be empty" if expected == 1 else f"{where} must have at least {expected} items"
    if validator == "minLength":
        return f"{where} must not be empty"
    if validator == "pattern":
        described = error.schema.get("description")
        shape = described[:1].lower() + described[1:].rstrip(".") if described else f"the pattern {expected}"
        return f"{instance!r} at {where} does not match {shape}"
    return f"{where}: {error.message}"


def _suggest(value: Any, allowed: Any) -> str:
    """' (did you mean 'enabled'?)' when a close spelling exists: `enable`, `All`, `stat`."""
    if not isinstance(value, str):
        return ""
    import difflib  # only a run that reports a problem pays for it

    candidates = [item for item in allowed if isinstance(item, str)]
    same_case = [item for item in candidates if item.lower() == value.lower()]
    close = same_case or difflib.get_close_matches(value, candidates, n=1, cutoff=0.7)
    return f" (did you mean {close[0]!r}?)" if close else ""


def _with_article(name: str) -> str:
    return name if name == "null" else f"{'an' if name[:1] in 'aeiou' else 'a'} {name}"


def _json_type(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int):
        return "an integer"
    if isinstance(value, float):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "an array"
    return "an object"
