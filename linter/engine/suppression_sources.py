"""What a file's check collects for suppressions: its `entralint: ignore` comments and the per-policy ignores
that name its policies; the engine applies them to the findings later (suppressions.py)."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from typing import NamedTuple

from linter.model import Document
from linter.model.source import Span

__all__ = ["PolicyIgnores", "SuppressionComment", "find_comments", "has_comments", "policy_ignores"]

_COMMENT = re.compile(r"(?:#|//)\s*entralint:\s*ignore\[(?P<codes>[^\]\n]*)\][ \t]*(?P<reason>[^\r\n]*)")
# The per-policy-ignores entries ({code prefix: reason}) that name one policy, in the order they are tried.
PolicyIgnores = tuple[Mapping[str, str], ...]


def has_comments(source_format: str) -> bool:
    """Formats whose comments entralint reads; in JSON a `# entralint:` is string content, not a comment."""
    return source_format.endswith("-yaml") or source_format in ("terraform-hcl", "powershell")


class SuppressionComment(NamedTuple):
    """One `# entralint: ignore[CODES] reason` comment, where it is written."""

    line: int
    column: int
    end_column: int
    codes: tuple[str, ...]
    reason: str

    @property
    def span(self) -> Span:
        return Span(self.line, self.column, self.line, self.end_column)


def find_comments(text: str) -> Iterator[SuppressionComment]:
    """Every `# entralint: ignore[CODES] reason` comment (also `//` for HCL)."""
    line, counted = 1, 0
    for match in _COMMENT.finditer(text):
        line += text.count("\n", counted, match.start())
        counted = match.start()
        column = match.start() - (text.rfind("\n", 0, match.start()) + 1) + 1
        codes = tuple(code.strip() for code in match.group("codes").split(",") if code.strip())
        reason = match.group("reason").strip().rstrip("*/").strip()
        yield SuppressionComment(line, column, column + len(match.group()), codes, reason)


def policy_ignores(
    per_policy_ignores: Mapping[str, Mapping[str, str]], documents: Iterable[Document]
) -> dict[str, PolicyIgnores]:
    """The per-policy-ignores entries that name each document, by display name, identity or id, in that order."""
    if not per_policy_ignores:
        return {}
    found: dict[str, PolicyIgnores] = {}
    for document in documents:
        keys = (document.name, document.identity, document.data.get("id"))
        entries = tuple(per_policy_ignores[key] for key in keys if isinstance(key, str) and per_policy_ignores.get(key))
        if entries:
            found[document.identity] = entries
        else:
            found.pop(document.identity, None)
    return found
