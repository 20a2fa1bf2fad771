"""What a rule is, what it yields, and what the engine makes of that."""

from __future__ import annotations

import importlib
from collections.abc import Iterable, Iterator, Mapping
from enum import StrEnum
from types import MappingProxyType
from typing import Any, ClassVar, NamedTuple

from linter.model import SOURCE_FILE, Document, SourceFile, Tenant
from linter.source import Location, Span

__all__ = [
    "DocumentRule",
    "Finding",
    "Level",
    "LoadProblemRule",
    "Rule",
    "RuleOption",
    "Scope",
    "Suppression",
    "TenantRule",
    "Violation",
]


def _sha256_constructor() -> Any:
    """The interpreter's built-in SHA-256: hashlib would load OpenSSL first, ~4 ms of every run's start."""
    for module in ("_sha256", "_sha2"):  # Python 3.11; 3.12 and later
        try:
            return importlib.import_module(module).sha256
        except (ImportError, AttributeError):
            pass
    import hashlib  # a build without the built-in modules

    return hashlib.sha256


_SHA256 = _sha256_constructor()


class Level(StrEnum):
    ERROR = "error"
    WARNING = "warning"
    NOTE = "note"

    @property
    def rank(self) -> int:
        return {"error": 3, "warning": 2, "note": 1}[self.value]


class Scope(StrEnum):
    DOCUMENT = "document"
    TENANT = "tenant"


class RuleOption(NamedTuple):
    """A setting a user may give a rule under `[tool.entralint.rules.<ID>]`."""

    name: str
    type: str  # "string", "integer", "boolean", "string-list" or "timespan"
    default: Any
    description: str


class Violation(NamedTuple):
    """What a rule yields: a message about a document (or a file) at a model pointer."""

    code: str
    message: str
    subject: Document | str
    pointer: str = ""
    related: tuple[tuple[Document, str], ...] = ()
    span: Span | None = None  # for load problems, whose position the loader knows
    identity: str = ""  # the policy a file-level violation concerns
    string_offset: int | None = None  # a character inside the string at pointer


class Suppression(NamedTuple):
    """Why a finding is not counted: a comment in the source, or an entry in the configuration."""

    kind: str  # "inSource" or "external"
    justification: str


class Finding(NamedTuple):
    """A violation placed in a file: what reporters print."""

    code: str
    level: Level
    message: str
    path: str
    span: Span
    pointer: str = ""
    identity: str = ""
    related: tuple[Location, ...] = ()
    suppression: Suppression | None = None

    @property
    def fingerprint(self) -> str:
        """Stable across line moves: rule, file, policy identity and property path only."""
        key = "\x1f".join((self.code, self.path, self.identity, self.pointer))
        return str(_SHA256(key.encode("utf-8")).hexdigest()[:32])

    def sort_key(self) -> tuple[str, int, int, str, str]:
        return (self.path, self.span.start_line, self.span.start_column, self.code, self.message)


class Rule:
    """A check. Metadata lives on the class, help in the docstring (Markdown)."""

    code: ClassVar[str]
    name: ClassVar[str]
    summary: ClassVar[str]
    level: ClassVar[Level]
    scope: ClassVar[Scope]
    kinds: ClassVar[frozenset[str]] = frozenset()
    tags: ClassVar[tuple[str, ...]] = ()
    options: ClassVar[tuple[RuleOption, ...]] = ()
    # SARIF `security-severity` (0, 10] for rules GitHub should rank as security findings.
    security_severity: ClassVar[float | None] = None
    precision: ClassVar[str] = "high"

    def __init__(self, settings: Mapping[str, Any] | None = None) -> None:
        merged = {option.name: option.default for option in self.options}
        merged.update(settings or {})
        self.settings: Mapping[str, Any] = MappingProxyType(merged)

    @classmethod
    def help(cls) -> str:
        import inspect

        return inspect.cleandoc(cls.__doc__ or "")

    def violation(
        self,
        subject: Document | str,
        message: str,
        pointer: str = "",
        related: tuple[tuple[Document, str], ...] = (),
    ) -> Violation:
        return Violation(self.code, message, subject, pointer, related)


class DocumentRule(Rule):
    """A rule that looks at one document (or one file) at a time."""

    scope: ClassVar[Scope] = Scope.DOCUMENT

    def check(self, document: Document) -> Iterable[Violation]:
        """A generator, or any iterable: rules asked of every policy return `()` and spare a generator."""
        raise NotImplementedError

    def check_file(self, source: SourceFile) -> Iterator[Violation]:
        """Rules about files rather than documents (the IN family) override this."""
        return iter(())


class LoadProblemRule(DocumentRule):
    """A rule whose findings the loaders make (IN001, IN002): it reports the file's problems of its code."""

    kinds: ClassVar[frozenset[str]] = frozenset({SOURCE_FILE})

    def check_file(self, source: SourceFile) -> Iterator[Violation]:
        for problem in source.problems:
            if problem.code == self.code:
                yield Violation(
                    self.code,
                    problem.message,
                    source.path,
                    problem.pointer,
                    span=problem.span,
                    identity=problem.identity,
                )


class TenantRule(Rule):
    """A rule that looks at everything one tenant holds.

    The engine skips tenant rules, with a notification, for a "tenant" holding more Conditional Access
    policies than Entra allows one tenant: that is several tenants linted as one.
    """

    scope: ClassVar[Scope] = Scope.TENANT

    def check(self, tenant: Tenant) -> Iterator[Violation]:
        raise NotImplementedError
