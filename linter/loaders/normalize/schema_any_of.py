"""jsonschema's `anyOf`, holding a bounded number of each branch's errors (imported with jsonschema, lazily).

jsonschema keeps every error of every branch of a failed `anyOf` as its context, ~1.8 KB each: a nullable
array of 500,000 wrong items per MB (`"clientAppTypes": [7,7,...]`) held ~1,600x its input until the one
error was read. Past MAX_HELD errors of a branch about its members, only the member is kept.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from jsonschema import Draft202012Validator, ValidationError, validators

from linter.loaders.normalize.unlisted import UNLISTED, Unlisted

__all__ = ["validator_for"]

MAX_HELD = 100  # as schema.MAX_LISTED: what a branch's listed problems may need


def _any_of(validator: Any, any_of: list[Any], instance: Any, schema: Any) -> Iterator[ValidationError]:
    context: list[ValidationError] = []
    for index, subschema in enumerate(any_of):
        held: list[ValidationError] = []
        unlisted = Unlisted()
        for error in validator.descend(instance, subschema, schema_path=index):
            if len(held) < MAX_HELD or not error.relative_path:
                held.append(error)
            else:
                unlisted.add(error.relative_path[0])
        if not held:
            return  # this branch is valid: so is the instance
        context.extend(held)
        if unlisted.count():
            context.append(ValidationError("", validator=UNLISTED, instance=unlisted, schema_path=[index]))
    yield ValidationError(f"{instance!r} is not valid under any of the given schemas", context=context)


def validator_for(schema: Any) -> Any:
    """A Draft 2020-12 validator of schema whose `anyOf` is `_any_of`."""
    return validators.extend(Draft202012Validator, {"anyOf": _any_of})(schema)  # type: ignore[no-untyped-call]
