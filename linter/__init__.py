"""entralint: lint Microsoft Entra ID Conditional Access, token lifetime and MFA settings kept as code."""

from __future__ import annotations

__version__ = "0.1.0"

HOMEPAGE = "https://github.com/entralint/entralint"


def rule_doc_url(code: str) -> str:
    """Where a rule's generated documentation page lives."""
    return f"{HOMEPAGE}/blob/main/docs/rules/{code}.md"
