"""Graph shape: OData annotations out, PascalCase keys camelCased, no nulls and no empty lists or objects.

Loaders give Graph data with whatever a source adds around it (`@odata.*` annotations, the Graph
PowerShell SDK's PascalCase keys and `AdditionalProperties` bags, Graph exports' nulls and empties);
rules see one canonical form.
"""

from __future__ import annotations

import operator
from collections.abc import Mapping
from typing import Any

from linter.model import CONDITIONAL_ACCESS_POLICY, Unresolved
from linter.model.source import split_pointer

__all__ = [
    "FLAG_POINTERS",
    "SharedShapes",
    "graph_shape",
    "lower_first",
    "prune_empty",
    "prune_shaped",
    "shape_in_place",
    "split_flag",
    "split_flags",
]

# Types whose values graph_shape and pruning keep as they are (Unresolved is not among them: it is tested apart).
_SCALAR_TYPES = frozenset({str, int, float, bool, type(None)})
_FIRST_CHARACTER = operator.itemgetter(slice(0, 1))

# Graph sends these flags enums as ONE comma-separated string; hand-written files use arrays.
FLAG_POINTERS = {
    CONDITIONAL_ACCESS_POLICY: (
        "/conditions/authenticationFlows/transferMethods",
        "/conditions/users/includeGuestsOrExternalUsers/guestOrExternalUserTypes",
        "/conditions/users/excludeGuestsOrExternalUsers/guestOrExternalUserTypes",
        "/conditions/insiderRiskLevels",
        "/conditions/agentIdRiskLevels",
    ),
}
_FLAG_PATHS = {
    kind: tuple((tuple(split_pointer(pointer)[:-1]), split_pointer(pointer)[-1]) for pointer in pointers)
    for kind, pointers in FLAG_POINTERS.items()
}


def lower_first(key: str) -> str:
    return key[:1].lower() + key[1:]


class SharedShapes:
    """What graph_shape met of data in which one container sits at several places (YAML aliases).

    Each container is shaped once and every place holds the shaped one, as every place held the same
    container before: the copies a tree would need cost up to fifty times the text that names them.
    """

    __slots__ = ("again", "shaped")

    def __init__(self) -> None:
        self.shaped: dict[int, Any] = {}  # id of a container met -> its shaped container (the data is alive)
        self.again: set[int] = set()  # ids of shaped containers met more than once: held at several places

    def get(self, value: Any) -> Any:
        found = self.shaped.get(id(value))
        if found is not None:
            self.again.add(id(found))
        return found


def graph_shape(value: Any, shared: SharedShapes | None = None) -> Any:
    """Drop OData annotations (`@odata.*`, `x@odata.type`, `#action`) and camelCase PascalCase keys.

    Graph PowerShell SDK objects serialise with PascalCase keys and an `AdditionalProperties` bag.
    The result is a new tree of plain dicts and lists that shares no container with `value`; with
    `shared`, a container met twice in `value` is one shaped container met twice in the result.
    """
    kind = type(value)
    if kind is dict:
        return _shape_mapping(value, shared)
    if kind is list:
        return _shape_list(value, shared)
    if kind in _SCALAR_TYPES or isinstance(value, Unresolved):
        return value
    if isinstance(value, Mapping):
        return _shape_mapping(value, shared)
    if isinstance(value, list):
        return _shape_list(value, shared)
    return value


def _camel_keys(value: Mapping[Any, Any]) -> bool:
    """True when every key is a string that does not start with an upper-case letter.

    Then no key is camelCased and there is no `AdditionalProperties` bag: only annotations go.
    """
    try:
        if min(value) >= "a" and max(value) < "\x80":  # the common case: a..DEL start every key
            return True
        return not any(map(str.isupper, map(_FIRST_CHARACTER, value)))
    except (TypeError, ValueError):  # a key that is not a string, or no key at all
        return False


def _shape_mapping(value: Mapping[Any, Any], shared: SharedShapes | None) -> dict[Any, Any]:
    if shared is not None:
        found = shared.get(value)
        if found is not None:
            return found  # type: ignore[no-any-return]
    if not _camel_keys(value):
        result = _shape_any_keys(value, shared)
    else:
        result = {}
        for key, item in value.items():
            if ("@" in key or "#" in key) and ("@" in key or key.startswith("#")):
                continue
            kind = type(item)
            if kind is dict:
                result[key] = _shape_mapping(item, shared)
            elif kind is list:
                result[key] = _shape_list(item, shared)
            elif kind in _SCALAR_TYPES:
                result[key] = item
            else:
                result[key] = graph_shape(item, shared)
    if shared is not None:
        shared.shaped[id(value)] = result
    return result


def _shape_any_keys(value: Mapping[Any, Any], shared: SharedShapes | None) -> dict[str, Any]:
    pascal = any(isinstance(key, str) and key[:1].isupper() for key in value if key != "AdditionalProperties")
    result: dict[str, Any] = {}
    for key, item in value.items():
        if not isinstance(key, str) or "@" in key or key.startswith("#"):
            continue
        if key == "AdditionalProperties" and isinstance(item, Mapping):
            # Its members are copied into the mapping that holds it: read apart, never shared with another.
            for extra_key, extra in graph_shape(item).items():
                result.setdefault(extra_key, extra)
            continue
        result[lower_first(key) if pascal else key] = graph_shape(item, shared)
    return result


def shape_in_place(value: Any) -> Any:
    """graph_shape for a tree its caller owns and shares with nobody: plain dicts and lists are reused."""
    kind = type(value)
    if kind is dict:
        if not _camel_keys(value):
            return _shape_any_keys(value, None)
        annotations = []
        for key, item in value.items():
            if ("@" in key or "#" in key) and ("@" in key or key.startswith("#")):
                annotations.append(key)
                continue
            kind = type(item)
            if kind is list:
                if not _SCALAR_TYPES.issuperset(map(type, item)):
                    item[:] = [shape_in_place(member) for member in item]
            elif kind not in _SCALAR_TYPES:
                shaped = shape_in_place(item)
                if shaped is not item:
                    value[key] = shaped
        for key in annotations:
            del value[key]
        return value
    if kind is list:
        if not _SCALAR_TYPES.issuperset(map(type, value)):
            value[:] = [shape_in_place(item) for item in value]
        return value
    return graph_shape(value)


def _shape_list(value: list[Any], shared: SharedShapes | None = None) -> list[Any]:
    if shared is not None:
        found = shared.get(value)
        if found is not None:
            return found  # type: ignore[no-any-return]
    if _SCALAR_TYPES.issuperset(map(type, value)):
        result = list(value)
    else:
        result = [graph_shape(item, shared) for item in value]
    if shared is not None:
        shared.shaped[id(value)] = result
    return result


def prune_empty(value: Any) -> Any:
    """Canonical form: no nulls, no empty lists or objects (Graph exports are full of them)."""
    if isinstance(value, dict):
        result = {}
        for key, item in value.items():
            kind = type(item)
            if kind is dict or kind is list or (kind not in _SCALAR_TYPES and isinstance(item, (dict, list))):
                item = prune_empty(item)
                if not item:
                    continue
            elif item is None:
                continue
            result[key] = item
        return result
    if isinstance(value, list):
        # A None item is one the schema check removed: Graph lists never hold null.
        if _SCALAR_TYPES.issuperset(map(type, value)):
            return [item for item in value if item is not None] if None in value else list(value)
        return [prune_empty(item) for item in value if item is not None]
    return value


def prune_shaped(value: dict[Any, Any] | list[Any]) -> bool:
    """_prune_empty in place, for graph_shape's output (plain dicts and lists nobody else holds).

    True when `value` is left empty, so its holder drops it.
    """
    if isinstance(value, list):
        if None in value:
            value[:] = [item for item in value if item is not None]
        for item in value:
            if type(item) is dict or type(item) is list:
                prune_shaped(item)
        return not value
    empty = []
    for key, item in value.items():
        kind = type(item)
        if kind is list and _SCALAR_TYPES.issuperset(map(type, item)):  # most lists: strings, no call
            if None in item:
                item[:] = [member for member in item if member is not None]
            if not item:
                empty.append(key)
        elif item is None or ((kind is dict or kind is list) and prune_shaped(item)):
            empty.append(key)
    for key in empty:
        del value[key]
    return not value


def split_flag(value: str) -> list[str]:
    return [piece.strip() for piece in value.split(",") if piece.strip()]


def split_flags(kind: str, data: dict[str, Any]) -> None:
    """Graph's comma-separated flags strings made the arrays hand-written files have (Unresolved ones stay)."""
    for parents, last in _FLAG_PATHS.get(kind, ()):
        holder: Any = data
        for token in parents:
            holder = holder.get(token) if isinstance(holder, dict) else None
        if isinstance(holder, dict) and isinstance(holder.get(last), str) and not isinstance(holder[last], Unresolved):
            holder[last] = split_flag(holder[last])
