"""PA001: signing in to Power Automate asks less than a service its flows connect to."""

from __future__ import annotations

from collections.abc import Iterator
from functools import reduce
from operator import or_

from linter.model import Document, Tenant
from linter.policy.apps import (
    DATAVERSE,
    EXCHANGE_ONLINE,
    OFFICE_365,
    POWER_AUTOMATE_APPS,
    SHAREPOINT_ONLINE,
    app_label,
)
from linter.policy.combine import implies, requirement
from linter.rule import Level, TenantRule, Violation

SERVICES = (EXCHANGE_ONLINE, SHAREPOINT_ONLINE, DATAVERSE, OFFICE_365, None)
CLASS_DIMENSIONS = ("users", "clientApp", "platform", "location", "signInRisk", "userRisk", "authenticationFlow")
FAILURES = (
    "Flows that use them fail on their next run (AADSTS50076); automatic connection creation, one-click templates "
    "and new connections fail; people and email pickers return incomplete results"
)


class PowerAutomateWeakerThanConnectedServices(TenantRule):
    """
    ## What it checks
    For every class of users and sign-in conditions the tenant's policies tell apart, whether a
    service flows connect to (Exchange Online, SharePoint Online, Dataverse, the `Office365` apps,
    any other resource) requires a control — MFA, an authentication strength, a compliant or
    hybrid-joined device, an approved or compliant app, terms of use, a block — that signing in to
    Power Automate (Microsoft Flow Service `7df0a125-d3be-4c96-aa54-591f83ff541c` and the Flow portal
    `6204c1d1-4712-4c46-a7d9-3ed63d992682`) does not require. One finding per service policy and
    control, naming the user classes and services; the Power Automate policies involved are related
    locations.

    ## Why it matters
    Microsoft's guidance: users who sign in to Power Automate must meet the same Conditional Access
    criteria as the services their flows connect to. Otherwise flows fail on their next run with
    AADSTS50076, automatic connection creation and one-click templates fail, connections cannot be
    created, and people and email pickers return incomplete results.

    ## Example
    MFA for Exchange and SharePoint only, while Power Automate asks for nothing:
    ```json
    {"displayName": "MFA for mail and files", "state": "enabled",
     "conditions": {"users": {"includeUsers": ["All"]},
                    "applications": {"includeApplications": ["00000002-0000-0ff1-ce00-000000000000",
                                                             "00000003-0000-0ff1-ce00-000000000000"]}},
     "grantControls": {"operator": "OR", "builtInControls": ["mfa"]}}
    ```

    ## How to fix
    Target `Office365` or all resources instead of single services, or add Microsoft Flow Service and
    the Flow portal to the policy (`includeApplications` in Graph, `included_applications` in
    Terraform) so the same users meet the same controls when they sign in to Power Automate.

    ## References
    - https://learn.microsoft.com/troubleshoot/power-platform/power-automate/administration/conditional-access-and-multi-factor-authentication-in-flow
    - https://learn.microsoft.com/entra/identity/conditional-access/reference-office-365-application-contents
    """

    code = "PA001"
    name = "power-automate-weaker-than-connected-services"
    summary = "A service flows connect to requires a control that signing in to Power Automate does not"
    level = Level.WARNING
    tags = ("power-automate", "consistency")
    precision = "medium"

    def check(self, tenant: Tenant) -> Iterator[Violation]:
        # Imported here: runs that skip or ignore the tenant rules (a fleet linted as one "tenant") never need them.
        from linter.policy.context import SignInContext
        from linter.policy.evaluate import Evaluator, bits_of
        from linter.policy.sign_in_classes import LIMIT, LimitReached, atoms
        from linter.policy.strength import enforced_bits

        evaluator = Evaluator(tenant.documents)
        if not evaluator.policies:
            return
        enforced = enforced_bits(evaluator)
        app_bits = {
            app: evaluator.dimension("application", SignInContext()._replace(target=app))
            for app in (*SERVICES, *POWER_AUTOMATE_APPS)
        }
        flow_maybe = 0
        for app in POWER_AUTOMATE_APPS:
            flow_maybe |= app_bits[app].maybe_bits
        service_bits = enforced & reduce(or_, (app_bits[app].true_bits for app in SERVICES), 0)
        relevant = service_bits | (enforced & flow_maybe)
        dimensions = [atoms(evaluator, name, relevant) for name in CLASS_DIMENSIONS]
        requirements = {policy.index: requirement(policy) for policy in evaluator.policies}
        demanding = bits_of(index for index, wanted in requirements.items() if wanted.blocks or wanted.controls)
        implied: dict[int, int] = {}
        covered_by: dict[int, int] = {}
        gaps_of: dict[tuple[int, int], list[tuple[int, str, int]]] = {}

        def covered(flow_bits: int) -> int:
            """The policies whose controls a sign-in meeting the `flow_bits` policies already satisfies."""
            if flow_bits not in covered_by:
                result = 0
                for have in evaluator.results(flow_bits):
                    if have.index not in implied:
                        implied[have.index] = bits_of(
                            index for index, wanted in requirements.items() if implies(requirements[have.index], wanted)
                        )
                    result |= implied[have.index]
                covered_by[flow_bits] = result
            return covered_by[flow_bits]

        def gaps(true_bits: int, maybe_bits: int) -> list[tuple[int, str, int]]:
            """(policy, service, Power Automate policies) a class with these applying policies misses."""
            key = (true_bits & service_bits, maybe_bits & flow_maybe)
            if key not in gaps_of:
                unmet = key[0] & demanding & ~covered(key[1])
                gaps_of[key] = [
                    (policy.index, app_label(service), key[1])
                    for service in SERVICES
                    for policy in evaluator.results(unmet & app_bits[service].true_bits)
                ]
            return gaps_of[key]

        missing: dict[int, tuple[list[str], list[str], int]] = {}
        # Depth-first over the classes, intersecting as we go: a branch where no service policy can
        # apply any more holds no gap, and classes with the same applying policies share one answer.
        stack: list[tuple[int, int, int, str]] = [(0, enforced, enforced, "")]
        visited = 0
        while stack and visited < LIMIT:
            depth, true_bits, maybe_bits, users = stack.pop()
            visited += 1
            if not true_bits & service_bits:
                continue
            if depth == len(dimensions):
                for index, service, related in gaps(true_bits, maybe_bits):
                    found_users, services, policies = missing.setdefault(index, ([], [], 0))
                    if users not in found_users:
                        found_users.append(users)
                    if service not in services:
                        services.append(service)
                    missing[index] = (found_users, services, policies | related)
                continue
            for atom in reversed(dimensions[depth]):
                label = atom.label if depth == 0 else users
                stack.append((depth + 1, true_bits & atom.true_bits, maybe_bits & atom.maybe_bits, label))
        if stack:
            raise LimitReached(f"more than {LIMIT:,} classes of sign-in to compare")
        for index, (user_classes, services, related) in sorted(missing.items()):
            policy = evaluator.policies[index]
            wanted = requirements[index]
            yield self.violation(
                policy.document,
                f"Power Automate asks less than the services its flows connect to. Policy {policy.name!r} requires "
                f"{wanted.describe()} for {', '.join(services)}, but {', '.join(user_classes)} signing in to Power "
                f"Automate are not asked for it. {FAILURES}",
                "/grantControls",
                related=tuple(_related(other.document) for other in evaluator.results(related | (1 << index))),
            )


def _related(document: Document) -> tuple[Document, str]:
    return (document, "/conditions/applications")
