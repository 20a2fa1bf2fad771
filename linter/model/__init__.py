"""The normalized model: Graph-shaped documents, whatever format they came from."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from typing import Any, NamedTuple

from linter.model.source import FILE_START, Positions, Span, split_pointer

__all__ = [
    "AUTHENTICATION_STRENGTH_POLICY",
    "CONDITIONAL_ACCESS_POLICY",
    "KINDS",
    "MFA_SERVICE_SETTINGS",
    "NAMED_LOCATION",
    "SOURCE_FILE",
    "TOKEN_LIFETIME_POLICY",
    "Document",
    "LoadProblem",
    "ParsedDefinition",
    "SourceFile",
    "Tenant",
    "Unresolved",
    "to_plain",
    "value_at",
]

CONDITIONAL_ACCESS_POLICY = "conditionalAccessPolicy"
NAMED_LOCATION = "namedLocation"
AUTHENTICATION_STRENGTH_POLICY = "authenticationStrengthPolicy"
TOKEN_LIFETIME_POLICY = "tokenLifetimePolicy"
MFA_SERVICE_SETTINGS = "mfaServiceSettings"
KINDS = (
    CONDITIONAL_ACCESS_POLICY,
    NAMED_LOCATION,
    AUTHENTICATION_STRENGTH_POLICY,
    TOKEN_LIFETIME_POLICY,
    MFA_SERVICE_SETTINGS,
)
# Not a policy: the file itself, which the IN rules check for load problems.
SOURCE_FILE = "sourceFile"


class Unresolved(str):
    """A value the source computes (`var.x`, `[parameters('x')]`): kept as its source text, never guessed."""

    __slots__ = ()

    def __repr__(self) -> str:
        return f"Unresolved({str.__repr__(self)})"


class ParsedDefinition(NamedTuple):
    """One token lifetime `definition` string, parsed; `error` says why it could not be."""

    array_index: int  # its place in the `definition` list
    value: Mapping[str, Any] | None
    error: str | None = None
    error_offset: int = 0  # the character of the definition string the error points at


class Document(NamedTuple):
    """One policy or settings object in Graph vocabulary, with where it came from.

    `data` is plain JSON-like data (plus `Unresolved` strings). `pointer` says where the
    document sits in its file; `positions` turns document pointers into spans on demand.
    `existence` is "" when the source always creates the object, an `Unresolved` holding what
    decides it (`count = var.enabled ? 1 : 0`) when it may not exist, and the literal that
    rules it out (`count = 0`) for one the source never creates; loaders keep those apart
    (`LoadResult.absent`), so no rule ever sees them. A `partial` document overrides a few
    properties of an object defined elsewhere (a DSC configuration data layer setting only
    `DisplayName` and `State`): it is no whole policy, so loaders keep it apart too
    (`LoadResult.partial`) and no rule counts it as one.
    """

    kind: str
    data: Mapping[str, Any]
    path: str
    source_format: str
    identity: str
    name: str
    pointer: str = ""
    positions: Positions | None = None
    definitions: tuple[ParsedDefinition, ...] = ()
    existence: str = ""
    partial: bool = False

    @property
    def may_not_exist(self) -> bool:
        """Whether the source decides at plan time if the object exists (a computed `count` or `for_each`)."""
        return isinstance(self.existence, Unresolved)

    def span(self, pointer: str = "") -> Span:
        """Where the value at a document pointer is written, or its nearest written ancestor."""
        if self.positions is None:
            return FILE_START
        return self.positions.nearest_span(self.pointer + pointer)

    def span_in_string(self, pointer: str, offset: int) -> Span:
        """The span of one character inside the string at pointer (a token lifetime definition)."""
        if self.positions is not None:
            found = self.positions.span_in_string(self.pointer + pointer, offset)
            if found is not None:
                return found
        return self.span(pointer)

    @property
    def line(self) -> int:
        return self.span().start_line

    def get(self, pointer: str, default: Any = None) -> Any:
        return value_at(self.data, pointer, default)


class LoadProblem(NamedTuple):
    """A file or value a loader could not use: IN001 (cannot parse) or IN002 (breaks the schema)."""

    code: str
    message: str
    span: Span
    pointer: str = ""
    identity: str = ""


class SourceFile(NamedTuple):
    """A file that was read, with the problems its loader met."""

    path: str
    source_format: str
    problems: tuple[LoadProblem, ...] = ()


class Tenant(NamedTuple):
    """Every document of one tenant; tenant-scope rules see all of it, even on a partial run."""

    name: str
    documents: tuple[Document, ...]
    files: tuple[str, ...]
    anchor_file: str = ""  # the first file in path order holding a Conditional Access policy (else any policy)
    emergency_access_setting: tuple[str, ...] | None = None  # `emergency-access` in configuration; None: not set
    several: str = ""  # why this "tenant" is several tenants linted as one (IN006); "" when it is one
    privileged_roles_setting: tuple[str, ...] | None = None  # `privileged-roles` in configuration; None: not set
    extend_privileged_roles: tuple[str, ...] = ()  # `extend-privileged-roles` in configuration

    def of_kind(self, kind: str) -> Iterator[Document]:
        return (document for document in self.documents if document.kind == kind)

    @property
    def conditional_access_policies(self) -> tuple[Document, ...]:
        return tuple(self.of_kind(CONDITIONAL_ACCESS_POLICY))

    @property
    def token_lifetime_policies(self) -> tuple[Document, ...]:
        return tuple(self.of_kind(TOKEN_LIFETIME_POLICY))

    @property
    def anchor(self) -> str:
        """The file a tenant finding goes to when no policy carries its fix: the tenant's first file holding a
        Conditional Access policy (else any policy) in path order, never an MFA settings or named location file,
        so that adding such a file does not move the finding."""
        return self.anchor_file or (self.files[0] if self.files else "")


def value_at(data: Any, pointer: str, default: Any = None) -> Any:
    """The value at a JSON pointer in plain data, or default."""
    current = data
    for token in split_pointer(pointer):
        if type(current) is dict or isinstance(current, Mapping):
            if token not in current:
                return default
            current = current[token]
        elif isinstance(current, Sequence) and not isinstance(current, str):
            if not token.isdigit() or int(token) >= len(current):
                return default
            current = current[int(token)]
        else:
            return default
    return current


def to_plain(value: Any) -> Any:
    """The document as JSON-serialisable data; unresolved values become {"unresolved": source}."""
    if isinstance(value, Unresolved):
        return {"unresolved": str(value)}
    if isinstance(value, Mapping):
        return {key: to_plain(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [to_plain(item) for item in value]
    return value
