"""Reading a policy document's values: lists of strings, Graph's special values, three-valued answers.

A value a source computes (`var.x`, a Terraform `dynamic` block) is an `Unresolved` string: a list
that is one, or holds one, cannot be read, and questions about it answer None ("depends").
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from collections.abc import Set as AbstractSet
from typing import Any

from linter.model import Document, Unresolved
from linter.model.source import split_pointer

__all__ = [
    "ALL",
    "MISSING",
    "NONE",
    "Tri",
    "all_of",
    "any_special",
    "listed",
    "literals_of",
    "lookup",
    "only_none",
    "present",
    "references",
    "strings_of",
    "value",
]

Tri = bool | None

MISSING: Any = object()
# Graph's special values `All` and `None`, casefolded.
ALL = frozenset({"all"})
NONE = frozenset({"none"})


def lookup(data: Any, tokens: tuple[str, ...]) -> Any:
    """The value at a split pointer, or MISSING; when an enclosing block is computed, that Unresolved."""
    current = data
    for token in tokens:
        kind = type(current)
        if kind is dict or (kind is not Unresolved and isinstance(current, Mapping)):
            if token not in current:
                return MISSING
            current = current[token]
        elif kind is Unresolved:
            return current
        elif kind is list and token.isdigit() and int(token) < len(current):
            current = current[int(token)]
        else:
            return MISSING
    return current


def value(policy: Document, pointer: str, default: Any = None) -> Any:
    """The value at pointer; when an enclosing block is computed (a Terraform `dynamic` block), that Unresolved."""
    found = lookup(policy.data, split_pointer(pointer))
    return default if found is MISSING else found


def all_of(*answers: Tri) -> Tri:
    """Three-valued AND: False wins, then unknown, then True."""
    if False in answers:
        return False
    return True if all(answers) else None


def present(policy: Document, *pointers: str) -> str:
    """The first pointer with a value in the policy, else the last one (its nearest ancestor is shown)."""
    for pointer in pointers:
        if value(policy, pointer) is not None:
            return pointer
    return pointers[-1]


def strings_of(found: Any) -> tuple[str, ...] | None:
    """`references` of a value already looked up (MISSING when absent)."""
    if type(found) is list:
        return tuple([item for item in found if isinstance(item, str)])
    if found is MISSING:
        return ()
    if isinstance(found, Unresolved):
        return None
    if isinstance(found, str):
        return (found,)
    if isinstance(found, (list, tuple)):
        return tuple(item for item in found if isinstance(item, str))
    return ()


def literals_of(found: Any) -> tuple[str, ...] | None:
    """`listed` of a value already looked up (MISSING when absent)."""
    items = strings_of(found)
    if items is None or any(isinstance(item, Unresolved) for item in items):
        return None
    return items


def listed(policy: Document, pointer: str) -> tuple[str, ...] | None:
    """The strings of a list value; None when the list (or an item) is an unresolved reference."""
    return literals_of(lookup(policy.data, split_pointer(pointer)))


def references(policy: Document, pointer: str) -> tuple[str, ...] | None:
    """The strings of a list value, unresolved items kept as their source text; None when the list is computed."""
    return strings_of(lookup(policy.data, split_pointer(pointer)))


def any_special(values: Iterable[str], folded: AbstractSet[str]) -> bool:
    """Is any value, trimmed and casefolded, one of the casefolded specials? (Graph compares them so.)"""
    return not folded.isdisjoint(map(str.casefold, map(str.strip, values)))


def only_none(values: Iterable[str]) -> bool:
    """Is every value, trimmed and casefolded, Graph's `None`?"""
    return NONE.issuperset(map(str.casefold, map(str.strip, values)))
