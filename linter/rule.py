"""What a rule is, what it yields, and what the engine makes of that."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from types import MappingProxyType
from typing import Any, ClassVar, NamedTuple

from linter.model import SOURCE_FILE, Document, SourceFile, Tenant
from linter.model.findings import BenchmarkControl, Finding, Level, Scope, Suppression, Violation
from linter.model.fixes import APPEND, CREATE, REMOVE, REPLACE, Applicability, Change, FixRequest, NewPolicy
from linter.model.source import Span

__all__ = [
    "APPEND",
    "CREATE",
    "REMOVE",
    "REPLACE",
    "Applicability",
    "BenchmarkControl",
    "Change",
    "DocumentRule",
    "Finding",
    "FixRequest",
    "Level",
    "LoadProblemRule",
    "NewPolicy",
    "Rule",
    "RuleOption",
    "Scope",
    "Suppression",
    "TenantRule",
    "Violation",
]


class RuleOption(NamedTuple):
    """A setting a user may give a rule under `[tool.entralint.rules.<ID>]`."""

    name: str
    type: str  # "string", "integer", "boolean", "string-list" or "timespan"
    default: Any
    description: str


class Rule:
    """A check. Metadata lives on the class, help in the docstring (Markdown)."""

    code: ClassVar[str]
    name: ClassVar[str]
    summary: ClassVar[str]
    level: ClassVar[Level]
    scope: ClassVar[Scope]
    kinds: ClassVar[frozenset[str]] = frozenset()
    tags: ClassVar[tuple[str, ...]] = ()
    benchmarks: ClassVar[tuple[BenchmarkControl, ...]] = ()
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
        *,
        span: Span | None = None,
        identity: str = "",
        string_offset: int | None = None,
        key: str = "",
        level: Level | None = None,
        fix: FixRequest | None = None,
    ) -> Violation:
        """The one way a rule reports: `key` names what a tenant finding is about (its fingerprint with the
        tenant), `string_offset` a character inside the string at pointer, `level` a finding milder than the
        rule's level, `span` a position only the loader knows, `identity` the policy a file-level finding
        concerns; `fix` the change that makes the finding go away (the engine turns it into edits)."""
        return Violation(self.code, message, subject, pointer, related, span, identity, string_offset, key, level, fix)


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
                yield self.violation(
                    source.path,
                    problem.message,
                    problem.pointer,
                    span=problem.span,
                    identity=problem.identity,
                )


class TenantRule(Rule):
    """A rule that looks at everything one tenant holds.

    The engine skips tenant rules for a "tenant" that is clearly several linted as one (two policies
    with one `id`, more Conditional Access policies than Entra allows one tenant); IN006 says so.
    Rules with `needs_documents = False` run on such a tenant too, given its name and files only.
    """

    scope: ClassVar[Scope] = Scope.TENANT
    needs_documents: ClassVar[bool] = True

    def check(self, tenant: Tenant) -> Iterator[Violation]:
        raise NotImplementedError
