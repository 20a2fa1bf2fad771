"""IN006: a "tenant" that is clearly several tenants linted as one, so the tenant rules could not run."""

from __future__ import annotations

from collections.abc import Iterator
from typing import ClassVar

from linter.model import Tenant
from linter.rule import Level, TenantRule, Violation


class TenantRulesSkipped(TenantRule):
    """
    ## What it checks
    Whether the files linted as one tenant can be one Entra tenant. Without `tenants` or
    `tenant-directories` in configuration, entralint takes the repository for the tenant: the
    directories given on the command line, or, for files given one by one (as pre-commit gives
    them), every policy file under the project root (the configuration file's directory, else the
    git work tree, else the files' directory). When that "tenant" is clearly several, the tenant
    rules (CA001, CA003, CA007, CA008, CA010, CA011, PA001, TL005, ...) cannot answer for it, and
    this rule reports it once per tenant:

    - two Conditional Access policies have the same `id` (one tenant cannot hold two);
    - it holds more than 195 Conditional Access policies, the most one Entra tenant can hold.

    It also reports a tenant rule that could not finish: the walk over the classes of sign-in the
    tenant's policies tell apart (CA010, CA011, PA001 and the coverage rules) stops past 200,000
    classes, and what it found by then is not the tenant's answer, so none is given.

    Only the policies' ids and count are kept for this, never a fleet's documents. The finding is
    an error, so the run does not pass: a run that could not check what it was asked to check must
    not look like a clean one.

    ## Why it matters
    Tenant rules answer questions about a whole tenant: does any policy block device code flow, is
    this exclusion covered by another policy. Over several tenants' files the answers are wrong
    both ways: one tenant's block hides another's open door, and 196 harmless policies added to a
    pull request would switch every tenant rule off if skipping them passed silently.

    ## Example
    ```text
    tenants/contoso/block-dcf.json     {"id": "5f3c...", "displayName": "Block device code flow", ...}
    tenants/fabrikam/block-dcf.json    {"id": "5f3c...", "displayName": "Block device code flow", ...}
    ```

    ## How to fix
    Say which files form each tenant, in `pyproject.toml` (`[tool.entralint]`) or `.entralint.toml`:
    ```toml
    tenant-directories = ["tenants/*"]          # each directory below tenants/ is one tenant
    # or
    [tenants]
    contoso = ["tenants/contoso/**"]
    fabrikam = ["tenants/fabrikam/**"]
    ```
    A copy of a policy kept for reference (a backup, an export) belongs in `exclude`.

    ## References
    - https://learn.microsoft.com/entra/identity/users/directory-service-limits-restrictions
    - https://learn.microsoft.com/graph/api/resources/conditionalaccesspolicy
    """

    code = "IN006"
    name = "tenant-rules-skipped"
    summary = "The files linted as one tenant are several tenants: the tenant rules were skipped"
    level = Level.ERROR
    tags = ("configuration", "tenants")
    needs_documents: ClassVar[bool] = False

    def check(self, tenant: Tenant) -> Iterator[Violation]:
        if not tenant.several:
            return
        yield self.violation(
            tenant.anchor_file or (tenant.files[0] if tenant.files else ""),
            f"Tenant rules were skipped for tenant {tenant.name!r}: {tenant.several}, so it is several tenants "
            "linted as one. Configure `tenants` or `tenant-directories` so that each tenant's files are linted "
            "as one",
            key="several tenants",
        )
