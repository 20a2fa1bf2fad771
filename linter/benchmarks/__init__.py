"""The benchmark catalog: each security baseline's Conditional Access, token lifetime and MFA controls.

One module per benchmark holds its controls as data, with the source and version they were read
from; titles are entralint's own words. A control is either decided by rules (those whose
`benchmarks` name it) or says what deciding it needs (`needs`): something only the live tenant
knows, or (`offline`) a rule entralint does not have yet. A rule decides a control only when its
finding means the control fails and its silence means the control is met.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterator, Mapping
from typing import NamedTuple

from linter.model.findings import BenchmarkControl

__all__ = [
    "ADMINISTRATOR_ROLES",
    "NAMES",
    "Benchmark",
    "Control",
    "all_benchmarks",
    "benchmark",
    "control_title",
    "role_ids",
]


class Control(NamedTuple):
    """One control of a benchmark."""

    id: str
    title: str
    # What deciding the control needs: what only the live tenant knows (role members, sign-in logs,
    # tenant settings), or for an offline control the question no entralint rule asks exactly yet;
    # empty when entralint rules decide the control.
    needs: str = ""
    # Decidable from the policy files, but no entralint rule decides it yet.
    offline: bool = False


class Benchmark(NamedTuple):
    """A benchmark: its catalog name, what it is, the version and source its controls were read from."""

    name: str
    title: str
    version: str
    source: str
    controls: tuple[Control, ...]
    # The directory roles (template ids) the benchmark's administrator controls name; empty when they
    # mean Microsoft's built-in roles marked privileged (entralint's table).
    privileged_roles: tuple[str, ...] = ()

    def control(self, control_id: str) -> Control | None:
        return next((control for control in self.controls if control.id == control_id), None)


# Role template ids of the administrator roles the benchmarks list by name (Microsoft's permissions reference,
# learn.microsoft.com/entra/identity/role-based-access-control/permissions-reference). Exchange, SharePoint and
# Billing Administrator are not marked privileged by Microsoft, so entralint's table lacks them.
ADMINISTRATOR_ROLES: Mapping[str, str] = {
    "Application Administrator": "9b895d92-2cd3-44c7-9d02-a6ac2d5ea5c3",
    "Authentication Administrator": "c4e39bd9-1100-46d3-8c65-fb160da0071f",
    "Billing Administrator": "b0f54661-2d74-4c50-afa3-1ec803f12efe",
    "Cloud Application Administrator": "158c047a-c907-4556-b7ef-446551a6b5f7",
    "Conditional Access Administrator": "b1be1c3e-b65d-4f19-8427-f6fa0d97feb9",
    "Exchange Administrator": "29232cdf-9323-42fd-ade2-1d097af3e4de",
    "Global Administrator": "62e90394-69f5-4237-9190-012177145e10",
    "Global Reader": "f2ef992c-3afb-46b9-b7cf-a126ee74c451",
    "Helpdesk Administrator": "729827e3-9c14-49f7-bb1b-9608f156bbb8",
    "Hybrid Identity Administrator": "8ac3fc64-6eca-42ea-9e69-59f4c7b60eb2",
    "Password Administrator": "966707d0-3269-4727-9be2-8c3a10f19b9d",
    "Privileged Authentication Administrator": "7be44c8a-adaf-4e2a-84d6-ab2649e08a13",
    "Privileged Role Administrator": "e8611ab8-c189-46e8-94e1-60213ab1f814",
    "Security Administrator": "194ae4cb-b126-40b2-bd5b-6091b380977d",
    "SharePoint Administrator": "f28a1f50-f6e7-4571-818b-6a12f2af6b6c",
    "User Administrator": "fe930be7-5e62-47db-91af-98c3a49a38b1",
}


def role_ids(*names: str) -> tuple[str, ...]:
    return tuple(ADMINISTRATOR_ROLES[name] for name in names)


# Catalog name -> the module (in this package) that defines it as BENCHMARK.
_MODULES: Mapping[str, str] = {
    "cis-m365-v4": "cis_m365",
    "cis-m365-v5": "cis_m365",
    "cis-m365-v6": "cis_m365",
    "cis-m365-v7": "cis_m365",
    "scubagear": "scubagear",
    "maester": "maester",
    "prowler": "prowler",
    "zero-trust": "zero_trust",
}
NAMES: tuple[str, ...] = tuple(_MODULES)


def benchmark(name: str) -> Benchmark | None:
    """The benchmark by its catalog name; None for a name the catalog does not hold."""
    module_name = _MODULES.get(name)
    if module_name is None:
        return None
    module = importlib.import_module(f"{__name__}.{module_name}")
    found: Benchmark = module.BENCHMARKS[name]
    return found


def all_benchmarks() -> Iterator[Benchmark]:
    for name in NAMES:
        found = benchmark(name)
        if found is not None:
            yield found


def control_title(reference: BenchmarkControl) -> str:
    """The control's title from the catalog, or "" when the catalog does not hold it."""
    found = benchmark(reference.benchmark)
    control = found.control(reference.control) if found is not None else None
    return control.title if control is not None else ""
