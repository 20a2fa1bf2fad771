"""JSON Schema validation of normalized documents: a compiled pre-check, jsonschema only for the errors.

jsonschema needs ~60 ms to import and is slow per document, and almost every document is valid.
So each schema is compiled once (linter/loaders/normalize/schema_check.py) into plain closures that answer
"certainly valid" for the subset of JSON Schema our schemas use; anything the compiler does not
understand answers "maybe invalid", and only then does jsonschema run to say exactly what is
wrong. The pre-check must never call valid what jsonschema rejects (tests/test_schema.py proves
it with hypothesis).
"""

from __future__ import annotations

import functools
import itertools
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any, NamedTuple

from linter.loaders.normalize.schema_check import Check, compile_check
from linter.loaders.normalize.unlisted import UNLISTED, Unlisted
from linter.model import (
    AUTHENTICATION_STRENGTH_POLICY,
    CONDITIONAL_ACCESS_POLICY,
    MFA_SERVICE_SETTINGS,
    NAMED_LOCATION,
    TOKEN_LIFETIME_POLICY,
    Unresolved,
)
from linter.model.source import join_pointer

__all__ = [
    "SCHEMA_FILES",
    "TOKEN_LIFETIME_DEFINITION",
    "SchemaProblem",
    "compile_check",
    "did_you_mean",
    "enumeration_spellings",
    "explain",
    "load_schema",
    "schemas_dir",
    "validate",
    "validate_definition",
    "validate_values",
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


def schemas_dir() -> Path:
    """`linter/schemas` in an installed wheel, `schemas/` beside `linter/` in a source checkout."""
    package_dir = Path(__file__).resolve().parents[2]  # linter/, from linter/loaders/normalize/
    installed = package_dir / "schemas"
    return installed if installed.is_dir() else package_dir.parent / "schemas"


@functools.cache
def load_schema(kind: str) -> dict[str, Any]:
    with (schemas_dir() / SCHEMA_FILES[kind]).open(encoding="utf-8") as handle:
        schema: dict[str, Any] = json.load(handle)
    return schema


@functools.cache
def enumeration_spellings(kind: str) -> dict[str, dict[str, str]]:
    """Graph path (names joined by `/`; a list's items at the list's path) -> {member in lower case: member},
    for every enumeration of the kind's schema."""
    schema = load_schema(kind)
    spellings: dict[str, dict[str, str]] = {}
    pending: list[tuple[Any, str]] = [(schema, "")]
    seen: set[tuple[int, str]] = set()
    while pending:
        node, path = pending.pop()
        if not isinstance(node, dict) or (id(node), path) in seen:
            continue
        seen.add((id(node), path))
        reference = node.get("$ref")
        if isinstance(reference, str) and reference.startswith("#/$defs/"):
            pending.append((schema["$defs"].get(reference.removeprefix("#/$defs/")), path))
        for member in node.get("enum", ()):
            if isinstance(member, str):
                spellings.setdefault(path, {})[member.lower()] = member
        pending.extend((branch, path) for branch in node.get("anyOf", ()))
        pending.append((node.get("items"), path))
        for name, child in node.get("properties", {}).items():
            pending.append((child, f"{path}/{name}" if path else name))
    return spellings


@functools.cache
def _validator(kind: str) -> Any:
    # jsonschema costs ~60 ms to import: only runs that meet an invalid document pay for it.
    from linter.loaders.normalize.schema_any_of import validator_for

    return validator_for(load_schema(kind))


@functools.cache
def _fast_check(kind: str) -> Check:
    return compile_check(load_schema(kind))


class SchemaProblem(NamedTuple):
    """A value the schema rejects; `canonical` is the enumeration member it spells with other letter case."""

    pointer: str
    message: str
    canonical: str | None = None
    missing: bool = False  # a required property is not there: a partial document's expected state
    # The members of the object or array at `pointer` whose values break the schema past the first MAX_LISTED
    # of it: one problem says how many, and each is removed like a listed one.
    unlisted: Unlisted | None = None


# A Graph object has a few dozen properties. Past this many problems in one object or array, a finding (and
# its position) for each made memory follow the findings, ~1 KB each, not the input: 70,000 unknown keys per
# MB, or 500,000 per MB in `[7,7,...]`.
MAX_LISTED = 100


def validate(kind: str, data: Any) -> list[tuple[str, str]]:
    """(pointer, message) for every value that breaks the kind's schema, deepest first.

    Unresolved references (`var.x`) are never schema errors: their value is unknown.
    """
    return [(problem.pointer, problem.message) for problem in validate_values(kind, data)]


def validate_values(kind: str, data: Any) -> list[SchemaProblem]:
    """`validate`'s problems, telling a member spelled in another letter case (IN005) from the rest (IN002)."""
    return [] if _fast_check(kind)(data) else _explain(kind, data)


def explain(kind: str, data: Any) -> list[tuple[str, str]]:
    """What `validate` reports, always computed with jsonschema (the slow, exact path)."""
    return [(problem.pointer, problem.message) for problem in _explain(kind, data)]


def _explain(kind: str, data: Any) -> list[SchemaProblem]:
    problems: set[SchemaProblem] = set()
    listed: dict[str, set[str]] = {}  # container pointer -> the pointers of its members' problems kept
    unlisted: dict[str, Unlisted] = {}  # container pointer -> the members past MAX_LISTED
    for error in _validator(kind).iter_errors(data):
        for problem in _problems(error, nullable=False):
            if problem.unlisted is not None:  # counted already (schema_any_of)
                unlisted.setdefault(problem.pointer, Unlisted()).extend(problem.unlisted)
                continue
            if problem.canonical is not None or problem.missing or not problem.pointer:
                problems.add(problem)  # not removed from the document: corrected, or a property to add
                continue
            container, _, token = problem.pointer.rpartition("/")
            kept = listed.setdefault(container, set())
            if problem.pointer in kept or len(kept) < MAX_LISTED:
                kept.add(problem.pointer)
                problems.add(problem)
            else:
                member = token.replace("~1", "/").replace("~0", "~")
                # A token of digits is an index, or a key _remove_members finds as str(index).
                index = int(member) if member.isdigit() and member == str(int(member)) else None
                unlisted.setdefault(container, Unlisted()).add(member if index is None else index)
    summaries = []  # one per container, nothing to merge
    for container, members in unlisted.items():
        where = container or "the document"
        message = (
            f"{members.count():,} more members of {where} break the schema, not listed one by one "
            f"(entralint lists the first {MAX_LISTED} of an object or array)"
        )
        summaries.append(SchemaProblem(container, message, unlisted=members))
    return sorted(
        [*problems, *summaries], key=lambda problem: (-problem.pointer.count("/"), problem.pointer, problem.message)
    )


def validate_definition(value: Any) -> list[tuple[str, str]]:
    """Problems of one parsed token lifetime `definition` value; pointers are relative to it."""
    return validate(TOKEN_LIFETIME_DEFINITION, value)


# ---- plain-language messages (IN002) ------------------------------------------------------


def _problems(error: Any, *, nullable: bool) -> Iterator[SchemaProblem]:
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
                if sub.validator == UNLISTED and sub.relative_schema_path[0] in meant:
                    yield SchemaProblem(join_pointer("", *sub.absolute_path), "", unlisted=sub.instance)
                elif sub.relative_schema_path[0] in meant:
                    at_same_value = list(sub.absolute_path) == list(error.absolute_path)
                    yield from _problems(sub, nullable=allows_null and at_same_value)
            return
    where = pointer or "the document"
    if error.validator == "additionalProperties" and isinstance(error.instance, dict):
        known = error.schema.get("properties", {})
        unknown = (name for name in error.instance if name not in known)
        for name in itertools.islice(unknown, MAX_LISTED):
            yield SchemaProblem(
                join_pointer(pointer, str(name)), f"unknown property {name!r} at {where}{did_you_mean(name, known)}"
            )
        # _explain only counts what comes past MAX_LISTED in one object: no message (difflib's is slow).
        for name in unknown:
            yield SchemaProblem(join_pointer(pointer, str(name)), "")
        return
    canonical = _same_but_case(error.instance, error.validator_value) if error.validator == "enum" else None
    if canonical is not None:
        # Graph reads enumeration members without regard to case; the repository should still say it Graph's way.
        message = f"{error.instance!r} at {where} is Graph's {canonical!r} written in other letter case"
        yield SchemaProblem(pointer, message, canonical)
        return
    yield SchemaProblem(pointer, _message(error, where, nullable=nullable), missing=error.validator == "required")


def _same_but_case(value: Any, members: Any) -> str | None:
    """The one member that `value` spells with other letter case (`Enabled`, `MFA`), else None."""
    if not isinstance(value, str) or isinstance(value, Unresolved) or not isinstance(members, list):
        return None
    folded = value.casefold()
    matches = [member for member in members if isinstance(member, str) and member.casefold() == folded]
    return matches[0] if len(matches) == 1 else None


def _message(error: Any, where: str, *, nullable: bool = False) -> str:
    validator, expected, instance = error.validator, error.validator_value, error.instance
    if validator == "enum":
        allowed = ", ".join(repr(value) for value in expected)
        return f"{instance!r} at {where} is not one of {allowed}{did_you_mean(instance, expected)}"
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


def did_you_mean(value: Any, allowed: Any) -> str:
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
