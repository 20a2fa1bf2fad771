"""The benchmark catalog: each security baseline's Conditional Access, token lifetime and MFA controls.

One module per benchmark holds its controls as data, with the source and version they were read
from; titles are entralint's own words. A control is either decided by rules (those whose
`benchmarks` name it) or says what deciding it needs: the live tenant (`needs`), or a rule entralint
does not have yet (`offline`).
"""

from __future__ import annotations

import importlib
from collections.abc import Iterator, Mapping
from typing import NamedTuple

from linter.model.findings import BenchmarkControl

__all__ = ["NAMES", "Benchmark", "Control", "all_benchmarks", "benchmark", "control_title"]


class Control(NamedTuple):
    """One control of a benchmark."""

    id: str
    title: str
    # What a check needs beyond the policy files (role members, sign-in logs, tenant settings...);
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

    def control(self, control_id: str) -> Control | None:
        return next((control for control in self.controls if control.id == control_id), None)


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
