"""The text a document was read from, and the conversions between its spans and character offsets."""

from __future__ import annotations

import bisect
from typing import Any, NamedTuple

from linter.loaders.positions import PositionIndex
from linter.model import Document, Unresolved
from linter.model.fixes import Edit
from linter.model.source import Span, split_pointer

__all__ = ["NoFix", "Source", "has_computed", "source_of"]

# Graph JSON, ARM and Microsoft365DSC reports and snapshots in JSON; .tf.json: JSON text.
JSON_FORMATS = frozenset(
    {"graph-json", "arm", "terraform-json", "microsoft365dsc-json", "entralint-json", "entralint-jsonc"}
)
YAML_FORMATS = frozenset({"graph-yaml", "dsc-yaml", "entralint-yaml"})
HCL_FORMATS = frozenset({"terraform-hcl"})
POWERSHELL_FORMATS = frozenset({"powershell", "microsoft365dsc"})


class NoFix(NamedTuple):
    """Why no edit is offered (`no fix: computed value`, ...)."""

    reason: str


class Source:
    """A document's text with its line starts: spans to offsets and back, and edits built from offsets."""

    def __init__(self, document: Document, positions: PositionIndex, family: str) -> None:
        self.document = document
        self.positions = positions
        self.text = positions.text
        self.family = family
        self._line_starts = [0]
        self._line_starts.extend(index + 1 for index, char in enumerate(self.text) if char == "\n")

    def offset(self, line: int, column: int) -> int:
        return self._line_starts[line - 1] + column - 1

    def offsets(self, pointer: str) -> tuple[int, int] | None:
        """Offsets of the value a document pointer names, if it is written in the file."""
        span = self.positions.span(self.document.pointer + pointer)
        if span is None:
            return None
        return self.offset(span.start_line, span.start_column), self.offset(span.end_line, span.end_column)

    def span(self, start: int, end: int) -> Span:
        start_line = bisect.bisect_right(self._line_starts, start)
        end_line = bisect.bisect_right(self._line_starts, end)
        return Span(
            start_line,
            start - self._line_starts[start_line - 1] + 1,
            end_line,
            end - self._line_starts[end_line - 1] + 1,
        )

    def edit(self, start: int, end: int, text: str) -> Edit:
        return Edit(self.document.path, self.span(start, end), text)

    def line_start(self, offset: int) -> int:
        return self.text.rfind("\n", 0, offset) + 1

    def line_end(self, offset: int) -> int:
        end = self.text.find("\n", offset)
        return len(self.text) if end < 0 else end

    def indentation(self, offset: int) -> str:
        """The white space that starts the line of offset."""
        start = self.line_start(offset)
        line = self.text[start : self.line_end(start)]
        return line[: len(line) - len(line.lstrip(" \t"))]


def family_of(source_format: str) -> str | None:
    for family, formats in (
        ("json", JSON_FORMATS),
        ("yaml", YAML_FORMATS),
        ("hcl", HCL_FORMATS),
        ("powershell", POWERSHELL_FORMATS),
    ):
        if source_format in formats:
            return family
    return None


def source_of(document: Document) -> Source | NoFix:
    """The document's text and family, or why no edit of it is offered."""
    if document.source_format == "terraform-plan":
        return NoFix("no fix: a Terraform plan or state is written by Terraform, not by hand")
    family = family_of(document.source_format)
    if family is None:
        return NoFix(f"no fix: entralint does not edit {document.source_format} files")
    if not isinstance(document.positions, PositionIndex):
        return NoFix("no fix: the document's positions are not known")
    return Source(document, document.positions, family)


def has_computed(document: Document, pointer: str) -> bool:
    """Whether the value at pointer, or a container on the way to it, is computed (`var.x`, a `dynamic` block)."""
    value: Any = document.data
    for token in split_pointer(pointer):
        if isinstance(value, Unresolved):
            return True
        if isinstance(value, dict):
            if token not in value:
                return False
            value = value[token]
        elif isinstance(value, list) and token.isdigit() and int(token) < len(value):
            value = value[int(token)]
        else:
            return False
    return isinstance(value, Unresolved)
