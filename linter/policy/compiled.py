"""A Conditional Access policy read once into the sets the evaluator asks about."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, NamedTuple

from linter.model import Document, Unresolved
from linter.policy.applicability import state

__all__ = ["CompiledPolicy", "NamedLocation", "Values", "compile_policy", "named_locations"]

Tri = bool | None


class Values(NamedTuple):
    """A list condition: its literal values (casefolded) and the references it holds unresolved."""

    known: frozenset[str] = frozenset()
    unresolved: tuple[str, ...] = ()

    @classmethod
    def of(cls, value: Any) -> Values:
        if isinstance(value, Unresolved):
            return cls(unresolved=(str(value),))
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, (list, tuple)):
            return cls()
        known = frozenset([item.casefold() for item in value if isinstance(item, str)])
        unresolved = tuple([str(item) for item in value if isinstance(item, Unresolved)])
        if unresolved:
            known -= {item.casefold() for item in unresolved}
        return cls(known, unresolved)

    def __bool__(self) -> bool:
        return bool(self.known or self.unresolved)

    def has(self, special: str) -> bool:
        return special.casefold() in self.known

    def match(self, tokens: Iterable[str]) -> tuple[Tri, str | None]:
        """True and the token when one is listed; None when only an unresolved entry could be it."""
        unresolved = {item.casefold() for item in self.unresolved}
        for token in tokens:
            key = token.casefold()
            # The same reference on both sides (`azuread_group.x.object_id`) is the same object.
            if key in self.known or key in unresolved:
                return True, token
        return (None, None) if self.unresolved else (False, None)


class NamedLocation(NamedTuple):
    """What the evaluator needs of a named location: is it trusted, which countries it holds."""

    id: str
    name: str
    trusted: Tri
    countries: frozenset[str]
    unknown_countries: bool


class CompiledPolicy:
    """A Conditional Access policy with its state and conditions read once, for the evaluator."""

    __slots__ = ("_values", "conditions", "document", "index", "memo", "name", "state", "state_source")

    def __init__(
        self,
        document: Document,
        index: int,
        name: str,
        state: str | None,  # None: a computed value
        state_source: str,
        conditions: Mapping[str, Any],
    ) -> None:
        self.document = document
        self.index = index
        self.name = name
        self.state = state
        self.state_source = state_source
        self.conditions = conditions
        self._values: dict[str, Values] = {}
        self.memo: dict[str, Any] = {}  # derived answers, once

    def values(self, pointer: str) -> Values:
        """The list at pointer, read once: the evaluator asks for it once per distinct sign-in part."""
        found = self._values.get(pointer)
        if found is None:
            found = self._values[pointer] = Values.of(self.document.get(pointer))
        return found


def compile_policy(document: Document, index: int) -> CompiledPolicy:
    raw_state = document.get("/state")
    return CompiledPolicy(
        document=document,
        index=index,
        name=document.name,
        state=state(document) if not isinstance(raw_state, Unresolved) else None,
        state_source=str(raw_state) if raw_state is not None else "enabled",
        conditions=document.get("/conditions", {}) or {},
    )


def named_locations(documents: Iterable[Document]) -> dict[str, NamedLocation]:
    """Named locations by casefolded id (and by Terraform identity, so references resolve)."""
    found: dict[str, NamedLocation] = {}
    for document in documents:
        trusted_value = document.get("/isTrusted")
        # Graph's default is false, and country locations cannot be marked trusted.
        trusted: Tri = None if isinstance(trusted_value, Unresolved) else trusted_value is True
        countries = Values.of(document.get("/countriesAndRegions"))
        location = NamedLocation(
            id=str(document.get("/id") or document.identity),
            name=document.name,
            trusted=trusted,
            countries=countries.known,
            unknown_countries=document.get("/includeUnknownCountriesAndRegions") is True,
        )
        # A Terraform policy names the location by reference: `azuread_named_location.office.id`.
        for key in {str(document.get("/id") or ""), document.identity, f"{document.identity}.id"}:
            if key:
                found[key.casefold()] = location
    return found
