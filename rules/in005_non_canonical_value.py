"""IN005: an enumeration value written in other letter case than Graph's member."""

from __future__ import annotations

from collections.abc import Iterator

from linter.model import SourceFile
from linter.rule import REPLACE, Applicability, Change, FixRequest, Level, LoadProblemRule, Violation


class NonCanonicalValue(LoadProblemRule):
    """
    ## What it checks
    A value that is a member of a Graph enumeration only when letter case is ignored:
    `"state": "Enabled"`, `"builtInControls": ["MFA"]`, `"clientAppTypes": ["All"]`. The message
    names the member as Graph writes it. Values that are free text in Graph, such as `All` in
    `includeUsers` or `includeApplications`, are not enumerations and are never reported.

    ## Why it matters
    Graph accepts the value, and entralint reads it as the member it stands for, so the policy
    works. But the repository no longer reads like what Graph returns: every export shows
    `enabled` where the file says `Enabled`, so a drift check or a review that compares the two
    sees a change that is not one, and tools that compare values exactly (scripts, other linters,
    the Terraform provider's plan) may treat the two spellings as different.

    ## Example
    ```json
    {"displayName": "Block legacy authentication", "state": "Enabled",
     "conditions": {"clientAppTypes": ["exchangeActiveSync", "Other"]},
     "grantControls": {"operator": "OR", "builtInControls": ["Block"]}}
    ```

    ## How to fix
    Write the member the message names: `"state": "enabled"`, `"clientAppTypes": ["other"]`,
    `"builtInControls": ["block"]` (in Terraform, `state = "enabled"`).

    ## References
    - https://learn.microsoft.com/graph/api/resources/conditionalaccesspolicy
    - https://learn.microsoft.com/graph/api/resources/conditionalaccessconditionset
    """

    code = "IN005"
    name = "non-canonical-value"
    summary = "An enumeration value differs from Graph's member only in letter case"
    level = Level.WARNING
    tags = ("input",)

    def check_file(self, source: SourceFile) -> Iterator[Violation]:
        for problem in source.problems:
            if problem.code != self.code:
                continue
            fix = None
            if problem.canonical is not None:
                fix = FixRequest(
                    Applicability.SAFE,
                    f"Write {problem.canonical!r} as Graph spells it",
                    (Change(REPLACE, problem.pointer, problem.canonical),),
                )
            yield self.violation(
                source.path, problem.message, problem.pointer, span=problem.span, identity=problem.identity, fix=fix
            )
