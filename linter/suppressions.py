"""Suppressions: inline comments with reasons, per-file and per-policy ignores from the config."""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from linter.files import glob_matches
from linter.model import Document
from linter.rule import Finding, Suppression
from linter.source import Span

if TYPE_CHECKING:
    from linter.config import Config
    from linter.engine import FileOutcome
    from linter.ruleset import RuleSet

__all__ = ["SuppressionComment", "apply_suppressions", "find_comments"]

_COMMENT = re.compile(r"(?:#|//)\s*entralint:\s*ignore\[(?P<codes>[^\]]*)\][ \t]*(?P<reason>[^\r\n]*)")
UNUSED = "IN004"
NO_REASON = "IN003"


@dataclass(frozen=True, slots=True)
class SuppressionComment:
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


def _covers(comment: SuppressionComment, code: str) -> bool:
    return any(code.startswith(prefix) for prefix in comment.codes)


def _comment_for(
    finding: Finding, comments: Sequence[SuppressionComment], policy_lines: Sequence[int]
) -> SuppressionComment | None:
    lines = {finding.span.start_line, finding.span.start_line - 1}
    for policy_line in policy_lines:
        lines |= {policy_line, policy_line - 1}
    for comment in comments:
        if comment.line in lines and _covers(comment, finding.code):
            return comment
    return None


def apply_suppressions(
    findings: list[Finding],
    outcomes: Sequence[FileOutcome],
    documents: Sequence[Document],
    config: Config,
    ruleset: RuleSet,
) -> list[Finding]:
    """Drop per-file ignores, mark inline and per-policy suppressions, and report bad comments."""
    comments = {outcome.path: outcome.comments for outcome in outcomes if outcome.comments}
    policy_lines: dict[tuple[str, str], list[int]] = {}
    by_identity: dict[tuple[str, str], Document] = {}
    for document in documents:
        policy_lines.setdefault((document.path, document.identity), []).append(document.line)
        by_identity[(document.path, document.identity)] = document
    used: set[tuple[str, int]] = set()
    result: list[Finding] = []
    for finding in findings:
        if any(
            glob_matches(glob, finding.path) and any(finding.code.startswith(code) for code in codes)
            for glob, codes in config.per_file_ignores.items()
        ):
            continue
        comment = _comment_for(
            finding, comments.get(finding.path, ()), policy_lines.get((finding.path, finding.identity), ())
        )
        if comment is not None:
            used.add((finding.path, comment.line))
            finding = replace(finding, suppression=Suppression("inSource", comment.reason or "(no reason given)"))
        else:
            reason = _policy_ignore(config, by_identity.get((finding.path, finding.identity)), finding.code)
            if reason is not None:
                finding = replace(finding, suppression=Suppression("external", reason))
        result.append(finding)
    for path, file_comments in comments.items():
        for comment in file_comments:
            if NO_REASON in ruleset.rules and not comment.reason:
                result.append(
                    Finding(
                        NO_REASON,
                        ruleset.levels[NO_REASON],
                        f"suppression of {', '.join(comment.codes)} gives no reason; write one after the bracket",
                        path,
                        comment.span,
                    )
                )
            if UNUSED in ruleset.rules and (path, comment.line) not in used:
                result.append(
                    Finding(
                        UNUSED,
                        ruleset.levels[UNUSED],
                        f"suppression of {', '.join(comment.codes) or 'nothing'} matches no finding; remove it",
                        path,
                        comment.span,
                    )
                )
    return result


def _policy_ignore(config: Config, document: Document | None, code: str) -> str | None:
    if document is None or not config.per_policy_ignores:
        return None
    for key in (document.name, document.identity, document.data.get("id")):
        entry = config.per_policy_ignores.get(key) if isinstance(key, str) else None
        if entry:
            for prefix, reason in entry.items():
                if code.startswith(prefix):
                    return str(reason)
    return None
