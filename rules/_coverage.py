"""What the baseline coverage rules (CA014, CA015, CA017, CA018, CA020, CA024) share: one question, one message.

Not a rule module (the registry skips names starting with `_`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from linter.model import Tenant
from linter.policy.emergency import emergency_access

from .ca001_device_code_flow_not_blocked import open_classes

if TYPE_CHECKING:
    from linter.policy.compiled import CompiledPolicy
    from linter.policy.conditions import Tri
    from linter.policy.coverage import Coverage

__all__ = ["MODERN_CLIENT_APPS", "still_open", "tenant_coverage"]

# A user action (registering security info or a device) is never done by a legacy client.
MODERN_CLIENT_APPS = ("browser", "mobileAppsAndDesktopClients")


def tenant_coverage(
    tenant: Tenant,
    meets: Callable[[CompiledPolicy], Tri],
    fixed: Mapping[str, Sequence[Any]],
    *,
    exempt_users: Iterable[str] = (),
    trusted_locations_exempt: bool = False,
    emergency_override: Sequence[str] = (),
) -> Coverage | None:
    """The sign-ins of the question no enforced policy meeting `meets` covers; None for a tenant without policies.

    Only the emergency access accounts (and `exempt_users`) may be left out: what the covering
    policies exclude is a gap like any other.
    """
    # Imported here: runs that skip or ignore the tenant rules (a fleet linted as one "tenant") never need them.
    from linter.policy.coverage import trusted_locations, uncovered
    from linter.policy.evaluate import Evaluator

    evaluator = Evaluator(tenant.documents)
    if not evaluator.policies:
        return None
    exempt = {"users": (*emergency_access(tenant, emergency_override).accounts(), *exempt_users)}
    if trusted_locations_exempt:
        exempt["location"] = trusted_locations(evaluator)
    return uncovered(evaluator, meets, fixed=fixed, exempt=exempt)


def still_open(coverage: Coverage) -> str:
    """The message's tail naming the uncovered classes, when some sign-ins of the question are covered."""
    return "" if coverage.gaps_are_whole else f". Still open: {open_classes(coverage)}"
