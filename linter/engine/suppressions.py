"""Suppressions: inline comments with reasons, per-file and per-policy ignores from the config."""

from __future__ import annotations

import os
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from linter.engine.files import display_path, glob_matches
from linter.engine.suppression_sources import PolicyIgnores, SuppressionComment, has_comments
from linter.rule import Finding, Suppression, TenantRule

if TYPE_CHECKING:
    from linter.engine.config import Config
    from linter.engine.file_check import FileOutcome
    from linter.engine.ruleset import RuleSet

__all__ = ["apply_suppressions"]

UNUSED = "IN004"
NO_REASON = "IN003"


def _covers(comment: SuppressionComment, code: str) -> bool:
    return any(code.startswith(prefix) for prefix in comment.codes)


def _comment_for(
    finding: Finding, comments: Sequence[SuppressionComment], policy_lines: Sequence[int]
) -> SuppressionComment | None:
    if finding.tenant_subject is not None:
        # A tenant finding is about every file of the tenant: a comment in one of them (a new file sorting
        # first, say) must not silence it. Only the configuration's tenant-ignores can, with a reason.
        return None
    lines = {finding.span.start_line, finding.span.start_line - 1}
    for policy_line in policy_lines:
        lines |= {policy_line, policy_line - 1}
    for comment in comments:
        if comment.line in lines and _covers(comment, finding.code):
            return comment
    return None


def _file_ignored(finding: Finding, config: Config, cwd: Path) -> bool:
    """per-file-ignores: globs relative to the config file's directory, as the config's author wrote them."""
    if not config.per_file_ignores:
        return False
    relative = display_path(os.path.normpath(cwd / finding.path), config.root)
    return any(
        glob_matches(glob, relative) and any(finding.code.startswith(code) for code in codes)
        for glob, codes in config.per_file_ignores.items()
    )


def _tenant_only(prefix: str, ruleset: RuleSet) -> bool:
    """Whether every rule the prefix names is tenant-wide (and it names one)."""
    named = [rule for code, rule in ruleset.available.items() if code.startswith(prefix)]
    return bool(named) and all(issubclass(rule, TenantRule) for rule in named)


def _comment_findings(
    comments: Mapping[str, Sequence[SuppressionComment]], used: set[tuple[str, int]], ruleset: RuleSet
) -> Iterator[Finding]:
    """IN003 for a comment without a reason, IN004 for one that matched nothing it could have matched
    or that names tenant-wide rules only."""
    for path, file_comments in comments.items():
        for comment in file_comments:
            codes = ", ".join(comment.codes) or "nothing"
            tenant_codes = [prefix for prefix in comment.codes if _tenant_only(prefix, ruleset)]
            if UNUSED in ruleset.rules and tenant_codes:
                message = (
                    f"suppression names tenant-wide rules ({', '.join(tenant_codes)}), which a comment cannot "
                    "suppress: a tenant finding concerns every file of the tenant; use tenant-ignores in the "
                    "configuration, with a reason"
                )
                yield Finding(UNUSED, ruleset.levels[UNUSED], message, path, comment.span)
                if len(tenant_codes) == len(comment.codes):
                    continue
            if NO_REASON in ruleset.rules and not comment.reason:
                message = f"suppression of {codes} gives no reason; write one after the bracket"
                yield Finding(NO_REASON, ruleset.levels[NO_REASON], message, path, comment.span)
            # A code that is known but not selected in this run could not have matched: not unused.
            checkable = not comment.codes or any(
                any(code.startswith(prefix) for code in ruleset.rules)
                or not any(code.startswith(prefix) for code in ruleset.available)
                for prefix in comment.codes
            )
            if UNUSED in ruleset.rules and (path, comment.line) not in used and checkable:
                message = f"suppression of {codes} matches no finding; remove it"
                yield Finding(UNUSED, ruleset.levels[UNUSED], message, path, comment.span)


def apply_suppressions(
    findings: list[Finding],
    outcomes: Sequence[FileOutcome],
    config: Config,
    ruleset: RuleSet,
    *,
    cwd: Path | None = None,
) -> list[Finding]:
    """Drop per-file ignores, mark inline and per-policy suppressions, and report bad comments."""
    cwd = cwd or Path.cwd()
    comments = {
        outcome.path: outcome.comments
        for outcome in outcomes
        if outcome.comments and has_comments(outcome.source_format)
    }
    by_path = {outcome.path: outcome for outcome in outcomes if outcome.given}
    used: set[tuple[str, int]] = set()
    result: list[Finding] = []
    for finding in findings:
        outcome = by_path.get(finding.path)
        comment = _comment_for(
            finding,
            comments.get(finding.path, ()),
            outcome.policy_lines.get(finding.identity, ()) if outcome is not None else (),
        )
        if comment is not None:
            used.add((finding.path, comment.line))
            finding = finding._replace(suppression=Suppression("inSource", comment.reason or "(no reason given)"))
        elif outcome is not None and finding.identity in outcome.ignores:
            reason = _policy_ignore(outcome.ignores[finding.identity], finding.code)
            if reason is not None:
                finding = finding._replace(suppression=Suppression("external", reason))
        if finding.tenant_subject is not None and finding.suppression is None:
            reason = _policy_ignore((config.tenant_ignores,), finding.code)
            if reason is not None:
                finding = finding._replace(suppression=Suppression("external", reason))
        result.append(finding)
    result.extend(_comment_findings(comments, used, ruleset))
    return [finding for finding in result if not _file_ignored(finding, config, cwd)]


def _policy_ignore(entries: PolicyIgnores, code: str) -> str | None:
    for entry in entries:
        for prefix, reason in entry.items():
            if code.startswith(prefix):
                return str(reason)
    return None
