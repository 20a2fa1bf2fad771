"""TL005: more than one token lifetime policy claims to be the organization default."""

from __future__ import annotations

from collections.abc import Iterator

from linter.model import TOKEN_LIFETIME_POLICY, Tenant
from linter.rule import Level, TenantRule, Violation


class MultipleOrganizationDefaultPolicies(TenantRule):
    """
    ## What it checks
    Whether more than one token lifetime policy of a tenant has `isOrganizationDefault: true`.
    Each policy after the first is reported, with the first as a related location.

    ## Why it matters
    Entra ID applies the organization default policy to every application that has no policy of
    its own, and its evaluation rules assume there is exactly one. With two policies marked
    default, which lifetimes users get is not documented, and the repository no longer says what
    the tenant enforces: a deployment may keep either one, so access tokens may last the other
    policy's `AccessTokenLifetime`. No sign-in error (`AADSTS...`) tells anyone; the difference
    shows only in token lifetimes.

    ## Example
    Two files of one tenant, each with:
    ```json
    {"displayName": "Default", "isOrganizationDefault": true,
     "definition": ["{\\"TokenLifetimePolicy\\":{\\"Version\\":1,\\"AccessTokenLifetime\\":\\"02:00:00\\"}}"]}
    ```

    ## How to fix
    Keep one policy with `"isOrganizationDefault": true` and set `"isOrganizationDefault": false`
    on the others, assigning them to the applications or service principals that need them. In
    Terraform, `is_organization_default = false` on all but one
    `microsoft365_graph_beta_applications_token_lifetime_policy` resource; in PowerShell,
    `-IsOrganizationDefault:$false` on all but one `New-MgPolicyTokenLifetimePolicy`.

    ## References
    - https://learn.microsoft.com/entra/identity-platform/configurable-token-lifetimes
    - https://learn.microsoft.com/graph/api/resources/tokenlifetimepolicy
    - https://learn.microsoft.com/graph/api/tokenlifetimepolicy-post-tokenlifetimepolicies
    """

    code = "TL005"
    name = "multiple-organization-default-policies"
    summary = "More than one token lifetime policy has isOrganizationDefault: true"
    level = Level.ERROR
    kinds = frozenset({TOKEN_LIFETIME_POLICY})
    tags = ("token-lifetime",)

    def check(self, tenant: Tenant) -> Iterator[Violation]:
        defaults = [policy for policy in tenant.token_lifetime_policies if policy.get("/isOrganizationDefault") is True]
        if len(defaults) < 2:
            return
        first = defaults[0]
        for policy in defaults[1:]:
            yield self.violation(
                policy,
                f"Token lifetime policy {policy.name!r} is a second organization default. {first.name!r} in "
                f"{first.path} already is one, and a tenant can have only one: set isOrganizationDefault to false "
                "on all but one",
                "/isOrganizationDefault",
                related=((first, "/isOrganizationDefault"),),
            )
