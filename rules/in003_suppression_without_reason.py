"""IN003: inline suppressions that give no reason."""

from __future__ import annotations

from linter.rule import DocumentRule, Level


class SuppressionWithoutReason(DocumentRule):
    """
    ## What it checks
    An inline suppression comment, `# entralint: ignore[CA002]`, with nothing after the bracket.
    The suppression pass of the engine reports it, after every other rule has run.

    ## Why it matters
    A suppression is a decision someone made about a tenant's security. Without the reason, the
    next reviewer cannot tell a deliberate exception (a kiosk that needs device code flow) from a
    finding someone wanted to go away, and nobody knows when it may be removed.

    ## Example
    ```hcl
    resource "azuread_conditional_access_policy" "block_dcf" { # entralint: ignore[CA002]
    ```

    ## How to fix
    Write the reason after the bracket:
    `# entralint: ignore[CA002] DRS uses device code on the lobby kiosks; see ticket 1234`.
    In JSON, which has no comments, use `per-policy-ignores` in the configuration instead.

    ## References
    - https://docs.astral.sh/ruff/linter/#error-suppression
    """

    code = "IN003"
    name = "suppression-without-reason"
    summary = "An inline suppression gives no reason"
    level = Level.NOTE
    tags = ("suppression",)
