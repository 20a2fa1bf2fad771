"""JSON Schema validation of normalized documents and of the configuration."""

from __future__ import annotations

import functools
import json
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
from linter.source import join_pointer

__all__ = ["SCHEMA_FILES", "load_schema", "schemas_dir", "validate"]

SCHEMA_FILES = {
    CONDITIONAL_ACCESS_POLICY: "conditional-access-policy.schema.json",
    NAMED_LOCATION: "named-location.schema.json",
    AUTHENTICATION_STRENGTH_POLICY: "authentication-strength-policy.schema.json",
    TOKEN_LIFETIME_POLICY: "token-lifetime-policy.schema.json",
    MFA_SERVICE_SETTINGS: "mfa-service-settings.schema.json",
    "config": "config.schema.json",
}


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
    # jsonschema costs ~60 ms to import: only runs that validate something pay for it.
    from jsonschema import Draft202012Validator

    return Draft202012Validator(load_schema(kind))


def _is_unresolved(value: Any) -> bool:
    return isinstance(value, Unresolved)


def validate(kind: str, data: Any) -> list[tuple[str, str]]:
    """(pointer, message) for every value that breaks the kind's schema, deepest first.

    Unresolved references (`var.x`) are never schema errors: their value is unknown.
    """
    problems = []
    for error in _validator(kind).iter_errors(data):
        if _is_unresolved(error.instance):
            continue
        pointer = join_pointer("", *error.absolute_path)
        problems.append((pointer, _message(error, pointer)))
    problems.sort(key=lambda problem: (-problem[0].count("/"), problem[0]))
    return problems


def _message(error: Any, pointer: str) -> str:
    where = pointer or "the document"
    validator = error.validator
    if validator == "additionalProperties":
        extra = sorted(set(error.instance) - set(error.schema.get("properties", {})))
        return f"unknown property {', '.join(repr(name) for name in extra)} at {where}"
    if validator == "enum":
        allowed = ", ".join(repr(value) for value in error.validator_value)
        return f"{error.instance!r} at {where} is not one of {allowed}"
    if validator == "type":
        expected = error.validator_value
        expected = " or ".join(expected) if isinstance(expected, list) else expected
        return f"{where} must be {_article(expected)} {expected}, not {_json_type(error.instance)}"
    if validator == "required":
        return f"{where} is missing required property {error.message.split(' ')[0]}"
    return f"{where}: {error.message}"


def _article(word: str) -> str:
    return "an" if word[:1] in "aeiou" else "a"


def _json_type(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "an array"
    return "an object"
