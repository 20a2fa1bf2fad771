"""From Graph-shaped data (whatever the loader) to model documents: recognise, clean, validate."""

from __future__ import annotations

from collections.abc import Mapping
from operator import itemgetter
from typing import Any

from linter.loaders.document_limit import admit_document
from linter.loaders.normalize.graph_shape import (
    SharedShapes,
    graph_shape,
    lower_first,
    prune_empty,
    prune_shaped,
    shape_in_place,
    split_flags,
)
from linter.loaders.normalize.schema import validate_values
from linter.loaders.normalize.single_pass import clean_and_check
from linter.loaders.normalize.unlisted import Unlisted
from linter.loaders.positions import PositionIndex
from linter.model import (
    AUTHENTICATION_STRENGTH_POLICY,
    CONDITIONAL_ACCESS_POLICY,
    MFA_SERVICE_SETTINGS,
    NAMED_LOCATION,
    TOKEN_LIFETIME_POLICY,
    Document,
    LoadProblem,
    ParsedDefinition,
    Unresolved,
)
from linter.model.source import FILE_START, escape_pointer, split_pointer

__all__ = ["build_document", "classify", "find_documents"]

ODATA_TYPES = {
    "#microsoft.graph.conditionalAccessPolicy": CONDITIONAL_ACCESS_POLICY,
    "#microsoft.graph.tokenLifetimePolicy": TOKEN_LIFETIME_POLICY,
    "#microsoft.graph.namedLocation": NAMED_LOCATION,
    "#microsoft.graph.ipNamedLocation": NAMED_LOCATION,
    "#microsoft.graph.countryNamedLocation": NAMED_LOCATION,
    "#microsoft.graph.compliantNetworkNamedLocation": NAMED_LOCATION,
    "#microsoft.graph.authenticationStrengthPolicy": AUTHENTICATION_STRENGTH_POLICY,
}

# Keywords a JSON Schema of a policy has where the policy has values (Logic App Parse_JSON actions,
# OpenAPI descriptions, entralint's own schemas/): such a description is not a policy.
_SCHEMA_KEYWORDS = frozenset({"type", "properties", "items", "$ref", "anyOf", "oneOf", "allOf"})


def _describes_a_shape(value: Any) -> bool:
    return isinstance(value, Mapping) and not _SCHEMA_KEYWORDS.isdisjoint(value)


def classify(value: Mapping[str, Any]) -> str | None:
    """The model kind of a Graph-shaped object, by shape: never by file name.

    Keys count camelCase or PascalCase: they are compared lower-first.
    """
    odata = value.get("@odata.type")
    if isinstance(odata, str) and odata in ODATA_TYPES:
        return ODATA_TYPES[odata]
    keys = {lower_first(key) for key in value if isinstance(key, str)}
    if any(_describes_a_shape(value.get(key)) for key in ("conditions", "allowedCombinations", "ipRanges")):
        return None
    if "conditions" in keys and ({"grantControls", "sessionControls"} & keys):
        return CONDITIONAL_ACCESS_POLICY
    definition = value.get("definition", value.get("Definition"))
    if isinstance(definition, list) and any(
        isinstance(item, str) and "TokenLifetimePolicy" in item for item in definition
    ):
        return TOKEN_LIFETIME_POLICY
    if isinstance(definition, str) and "TokenLifetimePolicy" in definition:
        return TOKEN_LIFETIME_POLICY
    if "allowedCombinations" in keys:
        return AUTHENTICATION_STRENGTH_POLICY
    if keys & {"ipRanges", "countriesAndRegions"} and "displayName" in keys:
        return NAMED_LOCATION
    return None


_Order = tuple[tuple[int, int, str], ...]


def find_documents(value: Any, pointer: str = "") -> list[tuple[str, str, Mapping[str, Any]]]:
    """(kind, pointer, object) for every recognised object, searching lists, `value` collections and wrappers.

    In the order of their pointers, array indexes compared as numbers: `/value/2` before `/value/10`.
    Pointers whose tokens compare equal (keys "1", "01" and 1) keep the order the walk found them in.
    """
    stack: list[tuple[str, _Order, Any]] = [
        (pointer, tuple(_token_order(token) for token in split_pointer(pointer)), value)
    ]
    found: list[tuple[_Order, str, str, Mapping[str, Any]]] = []
    while stack:
        current_pointer, order, current = stack.pop()
        if isinstance(current, list):
            stack.extend(
                (f"{current_pointer}/{index}", (*order, _token_order(str(index))), item)
                for index, item in enumerate(current)
                if isinstance(item, (Mapping, list))
            )
            continue
        if not isinstance(current, Mapping):
            continue
        settings = current.get("mfaServiceSettings")
        if isinstance(settings, Mapping):
            found.append((order, MFA_SERVICE_SETTINGS, f"{current_pointer}/mfaServiceSettings", settings))
            continue
        kind = classify(current)
        if kind is not None:
            found.append((order, kind, current_pointer, current))
            continue
        stack.extend(
            (f"{current_pointer}/{escape_pointer(key)}", (*order, _token_order(str(key))), item)
            for key, item in current.items()
            if isinstance(item, (Mapping, list))
        )
    found.sort(key=itemgetter(0))
    return [(kind, found_pointer, document) for _, kind, found_pointer, document in found]


def _token_order(token: str) -> tuple[int, int, str]:
    """A pointer token's sort key: an array index or a key of digits before any other key, as a number.

    Compared by length, then digits, not by int(): a key of more digits than int() converts (4,300)
    would raise.
    """
    if token.isascii() and token.isdigit():
        digits = token.lstrip("0") or "0"
        return 0, len(digits), digits
    return 1, 0, token


def _remove(data: dict[str, Any], pointer: str) -> bool:
    """Delete the value at pointer so rules never see it; False when it is the whole document."""
    tokens = split_pointer(pointer)
    if not tokens:
        return False
    holder: Any = data
    for token in tokens[:-1]:
        if isinstance(holder, dict):
            holder = holder.get(token)
        elif isinstance(holder, list) and token.isdigit() and int(token) < len(holder):
            holder = holder[int(token)]
        else:
            return True
    last = tokens[-1]
    if isinstance(holder, dict):
        holder.pop(last, None)
    elif isinstance(holder, list) and last.isdigit() and int(last) < len(holder):
        holder[int(last)] = None
    return True


def _remove_members(data: dict[str, Any], pointer: str, members: Unlisted) -> None:
    """Delete the members of the object or array at pointer, if it is still there."""
    holder: Any = data
    for token in split_pointer(pointer):
        if isinstance(holder, dict):
            holder = holder.get(token)
        elif isinstance(holder, list) and token.isdigit() and int(token) < len(holder):
            holder = holder[int(token)]
        else:
            return
    if isinstance(holder, dict):
        for key in (*members.keys, *map(str, members.indexes)):
            holder.pop(key, None)
    elif isinstance(holder, list):
        for index in members.indexes:
            if index < len(holder):
                holder[index] = None


def _as_written(positions: PositionIndex, base: str, pointer: str) -> str:
    """The source's pointer for a normalized one: `/REF` where normalization made `/rEF` (PascalCase sources).

    Only for problems, so a full look at the source's pointers is affordable; a token the source does
    not hold (or a format whose pointers are not Graph's) is kept as it is.
    """
    written = base
    for token in split_pointer(pointer):
        candidate = f"{written}/{escape_pointer(token)}"
        if positions.span(candidate) is None:
            prefix = f"{written}/"
            for key in positions.offsets():
                rest = key[len(prefix) :] if key.startswith(prefix) else ""
                if rest and "/" not in rest and lower_first(rest.replace("~1", "/").replace("~0", "~")) == token:
                    candidate = key
                    break
        written = candidate
    return written


def _name_as_written(message: str, pointer: str, written: str) -> str:
    """The message naming the property as the source wrote it, when normalization respelled it."""
    tokens, written_tokens = split_pointer(pointer), split_pointer(written)
    if not tokens or len(written_tokens) < len(tokens) or written_tokens[-1] == tokens[-1]:
        return message
    return message.replace(f"property {tokens[-1]!r}", f"property {written_tokens[-1]!r}", 1)


def _changes_shared(data: Any, pointers: list[str], shared: set[int]) -> bool:
    """Whether a value at one of pointers sits in a container that is held at several places."""
    for pointer in pointers:
        holder: Any = data
        for token in split_pointer(pointer)[:-1]:
            if isinstance(holder, dict):
                holder = holder.get(token)
            elif isinstance(holder, list) and token.isdigit() and int(token) < len(holder):
                holder = holder[int(token)]
            else:
                break
            if id(holder) in shared:
                return True
    return False


def _replace(data: dict[str, Any], pointer: str, value: str) -> None:
    """Put value at pointer (which validation found, so it exists) in place of what is there."""
    *parents, last = split_pointer(pointer)
    holder: Any = data
    for token in parents:
        holder = holder[int(token)] if isinstance(holder, list) else holder[token]
    if isinstance(holder, list):
        holder[int(last)] = value
    else:
        holder[last] = value


def _identity(kind: str, data: Mapping[str, Any], hint: str | None, pointer: str) -> tuple[str, str]:
    name = data.get("displayName")
    name = str(name) if isinstance(name, str) and name else None
    policy_id = data.get("id")
    policy_id = (
        str(policy_id) if isinstance(policy_id, str) and policy_id and not isinstance(policy_id, Unresolved) else None
    )
    identity = hint or policy_id or name or f"{kind}@{pointer or '/'}"
    if kind == MFA_SERVICE_SETTINGS:  # one per tenant, and it has no name of its own
        return identity, "MFA service settings"
    return identity, name or hint or policy_id or f"{kind} at {pointer or '/'}"


def _parse_definitions(data: Mapping[str, Any]) -> tuple[ParsedDefinition, ...]:
    from linter.loaders.json.parse import ParseError, parse_json

    definitions = data.get("definition")
    if not isinstance(definitions, list):
        return ()
    parsed = []
    for index, text in enumerate(definitions):
        if not isinstance(text, str) or isinstance(text, Unresolved):
            continue
        try:
            value = parse_json(text)
        except ParseError as error:
            lines = text.split("\n")
            line = min(error.span.start_line, len(lines))
            offset = sum(len(part) + 1 for part in lines[: line - 1]) + error.span.start_column - 1
            parsed.append(ParsedDefinition(index, None, str(error), min(max(offset, 0), max(len(text) - 1, 0))))
            continue
        if not isinstance(value, Mapping):
            parsed.append(ParsedDefinition(index, None, "the definition is not a JSON object", 0))
            continue
        parsed.append(ParsedDefinition(index, value))
    return tuple(parsed)


def build_document(
    kind: str,
    raw: Mapping[str, Any],
    *,
    path: str,
    source_format: str,
    pointer: str,
    positions: PositionIndex | None,
    identity: str | None = None,
    clean: bool = True,
    owned: bool = False,
    partial: bool = False,
    aliased: bool = False,
) -> tuple[Document | None, list[LoadProblem]]:
    """Validate a Graph-shaped object against its schema and make it a model document.

    Values that break the schema become IN002 problems and are removed, so rules never see them;
    a document whose root is not an object is dropped. `clean` strips OData annotations first:
    in place when `owned` (raw is the caller's own parse, sharing no container with anything else).
    `partial`: raw overrides some properties of an object defined elsewhere, so what it lacks is no problem.
    `aliased`: one container of raw may sit at several places (YAML aliases); the document then holds one
    shaped container at each of them, unless a problem's value must be removed or respelled inside one.
    """
    if not admit_document(positions, pointer):
        return None, []  # past the file's document limit: counted, not built (document_limit.py)
    problems: list[LoadProblem] = []
    if clean and owned and not partial and type(raw) is dict and clean_and_check(kind, raw):
        data: Any = raw
        identity_key, name = _identity(kind, data, identity, pointer)
        return _document(kind, data, path, source_format, identity_key, name, pointer, positions), problems
    shared = SharedShapes() if aliased and clean and not owned else None
    data = (shape_in_place(raw) if owned else graph_shape(raw, shared)) if clean else raw
    if isinstance(data, dict):
        split_flags(kind, data)
    found = validate_values(kind, data)
    if shared is not None and found and _changes_shared(data, [problem[0] for problem in found], shared.again):
        # Removing or respelling a value in a container held at several places would change it at all of them.
        data = graph_shape(raw)
        if isinstance(data, dict):
            split_flags(kind, data)
        found = validate_values(kind, data)
    identity_key, name = _identity(kind, data if isinstance(data, Mapping) else {}, identity, pointer)
    keep = isinstance(data, dict)
    for error_pointer, message, canonical, missing, unlisted in found:
        if partial and missing:
            continue
        span = None
        if positions is not None:
            written = _as_written(positions, pointer, error_pointer)
            span = positions.nearest_span(written)
            message = _name_as_written(message, error_pointer, written)
        code = "IN002" if canonical is None else "IN005"
        problem = LoadProblem(code, f"{name}: {message}", span or FILE_START, error_pointer, identity_key, canonical)
        problems.append(problem)
        if canonical is not None:
            _replace(data, error_pointer, canonical)  # rules read the member Graph reads
        elif unlisted and keep:
            _remove_members(data, error_pointer, unlisted)
        elif keep and not _remove(data, error_pointer):
            keep = False
    if not keep:
        return None, problems
    if clean:
        prune_shaped(data)
    else:
        data = prune_empty(data)
    document = _document(kind, data, path, source_format, identity_key, name, pointer, positions)
    return (document._replace(partial=True) if partial else document), problems


def _document(
    kind: str,
    data: dict[str, Any],
    path: str,
    source_format: str,
    identity: str,
    name: str,
    pointer: str,
    positions: PositionIndex | None,
) -> Document:
    definitions = _parse_definitions(data) if kind == TOKEN_LIFETIME_POLICY else ()
    # Positional: Document's constructor called with nine keywords costs twice as much, per document.
    return Document(kind, data, path, source_format, identity, name, pointer, positions, definitions)
