"""Which fixes a run offers and applies: configuration's `fixable`, `unfixable` and `extend-*-fixes`, and `--fix`'s
safe-or-unsafe choice. Apart from applying them (`apply_fixes.py`) so that a plain `check` never imports that.
"""

from __future__ import annotations

from collections.abc import Iterable

from linter.engine.config import Config
from linter.model.findings import Finding, Report
from linter.model.fixes import Applicability, Fix

__all__ = ["effective_fixes", "wanted_fix"]


def _matches(code: str, prefixes: Iterable[str]) -> bool:
    return any(prefix == "ALL" or code.startswith(prefix) for prefix in prefixes)


def effective_fixes(report: Report, config: Config) -> Report:
    """The report with each fix as configuration makes it: none for unfixable codes, safety as extended."""

    def adjusted(finding: Finding) -> Finding:
        fix = finding.fix
        if fix is None:
            return finding
        if not _matches(finding.code, config.fixable) or _matches(finding.code, config.unfixable):
            return finding._replace(fix=None)
        if fix.applicability is Applicability.UNSAFE and _matches(finding.code, config.extend_safe_fixes):
            return finding._replace(fix=fix._replace(applicability=Applicability.SAFE))
        if fix.applicability is Applicability.SAFE and _matches(finding.code, config.extend_unsafe_fixes):
            return finding._replace(fix=fix._replace(applicability=Applicability.UNSAFE))
        return finding

    if not any(finding.fix is not None for finding in report.findings):
        return report
    return report._replace(findings=tuple(adjusted(finding) for finding in report.findings))


def wanted_fix(fix: Fix, unsafe: bool) -> bool:
    """Whether `--fix` applies it: a safe fix, or with `--unsafe-fixes` an unsafe one."""
    return fix.applicability is Applicability.SAFE or (unsafe and fix.applicability is Applicability.UNSAFE)
