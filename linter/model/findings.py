"""The records every layer shares: what a rule yields, what a run found, what the tool could not do."""

from __future__ import annotations

import importlib
from collections.abc import Mapping
from enum import StrEnum
from typing import Any, NamedTuple, Protocol

from linter.model import Document
from linter.model.source import Location, Span

__all__ = [
    "BenchmarkControl",
    "Finding",
    "Level",
    "Notification",
    "Report",
    "RuleMetadata",
    "Scope",
    "Suppression",
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
    # What a tenant finding is about (`deviceCodeFlow`, a user class): with the tenant, its fingerprint.
    key: str = ""
    level: Level | None = None  # a finding less severe than the rule's level (CA010 on a block's carve-out)


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
    # A tenant rule's finding: (tenant, what it is about). Its fingerprint is those and the rule, so a
    # file added, renamed or moving the anchor never makes it look new.
    tenant_subject: tuple[str, str] | None = None
    # Among the document findings of one file with the same rule, policy identity and pointer (two policies
    # sharing a displayName), this one's place in file order: a second copy must not share the first's fingerprint.
    occurrence: int = 0

    @property
    def fingerprint(self) -> str:
        """Stable across line moves: rule, file, policy identity, property path and occurrence; for a tenant
        finding, rule, tenant and subject only."""
        if self.tenant_subject is not None:
            key = "\x1f".join((self.code, "tenant", *self.tenant_subject))
        else:
            key = "\x1f".join((self.code, self.path, self.identity, self.pointer))
            if self.occurrence:  # the first occurrence keeps the fingerprint it had before occurrences counted
                key += f"\x1f{self.occurrence}"
        return str(_SHA256(key.encode("utf-8")).hexdigest()[:32])

    def sort_key(self) -> tuple[str, int, int, str, str]:
        return (self.path, self.span.start_line, self.span.start_column, self.code, self.message)


class Notification(NamedTuple):
    """Something the tool itself could not do: a path it skipped, a rule that crashed."""

    message: str
    path: str = ""
    line: int = 0
    column: int = 0
    level: str = "warning"
    rule: str = ""


class BenchmarkControl(NamedTuple):
    """A control of a security benchmark that a rule decides from the policy definitions alone."""

    benchmark: str  # a catalog name: "cis-m365-v5", "scubagear", "maester", "prowler", "zero-trust"
    control: str  # the control's id in that benchmark: "5.2.2.3", "MS.AAD.3.1v1", "MT.1001"


class RuleMetadata(Protocol):
    """What reporters read of a rule: a rule class (linter.rule.Rule) itself, its metadata and its help."""

    code: str
    name: str
    summary: str
    level: Level
    tags: tuple[str, ...]
    benchmarks: tuple[BenchmarkControl, ...]
    security_severity: float | None
    precision: str

    def help(self) -> str: ...


class Report(NamedTuple):
    """Everything reporters need about one run."""

    findings: tuple[Finding, ...]
    files: tuple[str, ...]
    policies: int  # documents read from the files given
    notifications: tuple[Notification, ...]
    rules: Mapping[str, RuleMetadata]
    elapsed: float = 0.0
    baseline_hidden: int = 0
    tool_failed: bool = False  # a rule or a loader crashed: the report may be incomplete
