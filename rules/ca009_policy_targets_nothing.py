"""CA009: a policy that can never apply, because it includes no one or nothing."""

from __future__ import annotations

from collections.abc import Iterator

from linter.model import CONDITIONAL_ACCESS_POLICY, Document
from linter.policy.questions import includes_no_resources, includes_no_users
from linter.policy.values import present
from linter.rule import DocumentRule, Level, Violation


class PolicyTargetsNothing(DocumentRule):
    """
    ## What it checks
    A Conditional Access policy that can never apply: it includes no users, groups, directory roles,
    guests or workload identities (or only `None`), or it includes no resources, user actions or
    authentication contexts (or only `None`). Values computed by the source (`var.x`) are never
    guessed: the rule then stays silent.

    ## Why it matters
    Such a policy looks like protection in reviews and reports while it enforces nothing: sign-ins
    it was meant to block or challenge succeed instead of failing with `AADSTS53003` (access blocked
    by Conditional Access) or `AADSTS50076` (MFA required). It often comes from a template whose
    placeholder (`"includeUsers": ["None"]`) was never replaced, or from a test policy left behind.

    ## Example
    ```json
    {"displayName": "Require MFA for admins", "state": "enabled",
     "conditions": {"users": {"includeUsers": ["None"]},
                    "applications": {"includeApplications": ["All"]}},
     "grantControls": {"operator": "OR", "builtInControls": ["mfa"]}}
    ```

    ## How to fix
    Include who and what the policy is for: Graph JSON `"users": {"includeUsers": ["All"]}` or
    `"includeRoles": [...]`, `"applications": {"includeApplications": ["All"]}`; Terraform
    `users { included_users = ["All"] }` and `applications { included_applications = ["All"] }`.
    Delete the policy if it is no longer needed.

    ## References
    - https://learn.microsoft.com/entra/identity/conditional-access/concept-conditional-access-users-groups
    - https://learn.microsoft.com/entra/identity/conditional-access/concept-conditional-access-cloud-apps
    """

    code = "CA009"
    name = "policy-targets-nothing"
    summary = "A policy includes no users or no resources, so it never applies"
    level = Level.WARNING
    kinds = frozenset({CONDITIONAL_ACCESS_POLICY})
    tags = ("correctness",)

    def check(self, document: Document) -> Iterator[Violation]:
        if includes_no_users(document) is True:
            yield self.violation(
                document,
                f"Policy {document.name!r} never applies. It includes no users, groups, roles or guests (or only None)",
                present(document, "/conditions/users/includeUsers", "/conditions/users", "/conditions"),
            )
        if includes_no_resources(document) is True:
            yield self.violation(
                document,
                f"Policy {document.name!r} never applies. It includes no resources, user actions or authentication "
                "contexts (or only None)",
                present(
                    document, "/conditions/applications/includeApplications", "/conditions/applications", "/conditions"
                ),
            )
