"""The bound on documents read from one file, shared by every loader through `build_document`."""

from __future__ import annotations

from contextvars import ContextVar, Token
from typing import TYPE_CHECKING

from linter.model import LoadProblem
from linter.model.source import FILE_START, Span

if TYPE_CHECKING:
    from linter.loaders.positions import PositionIndex

__all__ = ["MAX_DOCUMENTS_PER_FILE", "DocumentLimit", "admit_document", "begin_file", "current_limit", "end_file"]

# A tenant holds at most 195 Conditional Access policies (Microsoft Entra service limits,
# https://learn.microsoft.com/entra/identity/users/directory-service-limits-restrictions; the limit
# linter.engine.run.MAX_TENANT_POLICIES keeps) and as many named locations, so an export of a whole tenant is a
# few hundred documents (the largest file of ../shared/corpus holds 46). Past this many a file is not one
# tenant's policies, and each document more costs memory (its values, record, problems and findings: about
# 30x the text of a 90-byte policy) for nothing a tenant can hold.
MAX_DOCUMENTS_PER_FILE = 2_000


class DocumentLimit:
    """Counts the documents of one file as they are built; past the limit, only counts them."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.built = 0
        self.refused = 0
        self.not_built = 0
        self.first_refused: Span | None = None

    def admit(self, positions: PositionIndex | None, pointer: str) -> bool:
        if self.built < self.limit:
            self.built += 1
            return True
        if not self.not_built:
            self._refused_at(positions.nearest_span(pointer) if positions is not None else FILE_START)
        self.not_built += 1
        self.refused += 1
        return False

    def refuse_unread(self, count: int, span: Span) -> None:
        """Count documents a reader stopped before reading (the rest of a YAML stream), the first at span."""
        if count > 0:
            self._refused_at(span)
            self.refused += count

    def _refused_at(self, span: Span) -> None:
        # A reader's unread rest is counted before the documents of what it read are built: keep the earliest.
        first = self.first_refused
        if first is None or (span.start_line, span.start_column) < (first.start_line, first.start_column):
            self.first_refused = span

    def problem(self) -> LoadProblem | None:
        """The IN001 that says how many documents were not read, and where the first of them is."""
        if not self.refused:
            return None
        return LoadProblem(
            "IN001",
            f"more than {self.limit:,} documents in one file, more than a tenant holds (at most 195 Conditional "
            f"Access policies and as many named locations): the {self.refused:,} from here on were not read",
            self.first_refused or FILE_START,
        )


# The limit of the file being loaded, set by `linter.loaders.load_text` around one loader's call: every
# loader builds its documents through `build_document`, which asks it, so no loader carries a counter.
_CURRENT: ContextVar[DocumentLimit | None] = ContextVar("entralint_document_limit", default=None)


def begin_file() -> tuple[DocumentLimit, Token[DocumentLimit | None]]:
    """Bound the documents built until `end_file(token)`, at `MAX_DOCUMENTS_PER_FILE` (read at each call)."""
    counter = DocumentLimit(MAX_DOCUMENTS_PER_FILE)
    return counter, _CURRENT.set(counter)


def end_file(token: Token[DocumentLimit | None]) -> None:
    _CURRENT.reset(token)


def admit_document(positions: PositionIndex | None, pointer: str) -> bool:
    """Whether one more document may be built (always, outside `begin_file`/`end_file`)."""
    counter = _CURRENT.get()
    return counter is None or counter.admit(positions, pointer)


def current_limit() -> DocumentLimit | None:
    return _CURRENT.get()
