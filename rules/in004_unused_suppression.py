"""IN004: inline suppressions that suppress nothing."""

from __future__ import annotations

from linter.rule import DocumentRule, Level


class UnusedSuppression(DocumentRule):
    """
    ## What it checks
    An inline suppression comment, `# entralint: ignore[CODE] reason`, that matches no finding on
    its line, the line below it, or the policy it opens. The suppression pass of the engine reports
    it, after every other rule has run.

    ## Why it matters
    Stale suppressions hide the next real finding: once the policy changes back, the old comment
    silences a problem nobody reviewed. They also tell readers that a problem exists where none does.

    ## Example
    ```yaml
    state: enabled  # entralint: ignore[CA004] rolled out in report-only first
    ```

    ## How to fix
    Delete the comment, or correct the rule code in the brackets.

    ## References
    - https://docs.astral.sh/ruff/rules/unused-noqa/
    """

    code = "IN004"
    name = "unused-suppression"
    summary = "An inline suppression matches no finding"
    level = Level.NOTE
    tags = ("suppression",)
