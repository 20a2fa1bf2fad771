"""Microsoft365DSC resources in JSON: reports and Microsoft's configuration snapshots, baselines and monitors.

- `New-M365DSCReportFromConfiguration -Type JSON` writes an array of objects, each with `ResourceName`,
  `ResourceInstanceName` and the resource's properties beside them
  (https://microsoft365dsc.com/user-guide/get-started/generating-reports/).
- Unified Tenant Configuration Management (Graph beta `configurationBaseline`, snapshots and
  `configurationMonitor`) writes `resources: [{resourceType: "microsoft.entra.conditionalaccesspolicy",
  displayName, properties: {...}}]` with the same property names, at the top or under `baseline`; some tools
  store one resource per file (https://learn.microsoft.com/graph/api/resources/configurationbaseline).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from linter.loaders.dsc.positions import MappedPositions
from linter.loaders.dsc.resources import PlacedResources, build_resource, resource_named
from linter.loaders.json.locate import JsonLocator
from linter.loaders.positions import JsonPositions
from linter.loaders.result import LoadResult

__all__ = ["REPORT_FORMAT", "SNAPSHOT_FORMAT", "is_resource_data", "load"]

REPORT_FORMAT = "microsoft365dsc-json"
SNAPSHOT_FORMAT = "configuration-snapshot"
_REPORT_KEYS = ("ResourceName", "ResourceInstanceName")


def _resources_of(data: Mapping[str, Any]) -> tuple[str, list[Any]] | None:
    """(pointer, list) of a snapshot's or monitor's resources."""
    for pointer, holder in (("", data), ("/baseline", data.get("baseline"))):
        if isinstance(holder, Mapping):
            resources = holder.get("resources")
            if isinstance(resources, list) and any(
                isinstance(item, Mapping) and "resourceType" in item for item in resources
            ):
                return f"{pointer}/resources", resources
    return None


def is_resource_data(data: Any) -> bool:
    """Whether parsed JSON is a report or snapshot: a look at the top level and one item, cheap for Graph JSON."""
    if type(data) is list:
        first = data[0] if data else None
        return isinstance(first, Mapping) and all(key in first for key in _REPORT_KEYS)
    if type(data) is not dict:
        return False
    if "resourceType" in data:
        return isinstance(data.get("properties"), Mapping)
    return ("resources" in data or "baseline" in data) and _resources_of(data) is not None


def _items(data: Any) -> list[tuple[str, str, str, Mapping[str, Any], str | None]]:
    """(item pointer, properties pointer, resource name, properties, label) of every item."""
    found: list[tuple[str, str, str, Mapping[str, Any], str | None]] = []
    if isinstance(data, list):
        for index, item in enumerate(data):
            if isinstance(item, Mapping) and isinstance(item.get("ResourceName"), str):
                label = item.get("ResourceInstanceName")
                found.append((f"/{index}", f"/{index}", item["ResourceName"], item, _text(label)))
        return found
    if "resourceType" in data:
        listed: tuple[str, list[Any]] = ("", [data])
    else:
        listed = _resources_of(data) or ("", [])
    base, resources = listed
    for index, item in enumerate(resources):
        pointer = base if base == "" and item is data else f"{base}/{index}"
        if isinstance(item, Mapping) and isinstance(item.get("resourceType"), str):
            properties = item.get("properties")
            if isinstance(properties, Mapping):
                found.append(
                    (pointer, f"{pointer}/properties", item["resourceType"], properties, _text(item.get("displayName")))
                )
    return found


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) and value else None


def load(path: str, text: str, data: Any, locator: JsonLocator | None = None) -> LoadResult | None:
    """The Entra policies among a report's or snapshot's resources; other resources are not ours."""
    source_format = REPORT_FORMAT if isinstance(data, list) else SNAPSHOT_FORMAT
    positions = MappedPositions(JsonPositions(text, locator=locator))
    found = PlacedResources()
    for item, properties_at, name, properties, label in _items(data):
        resource = resource_named(name)
        if resource is None:
            continue
        found.add(
            build_resource(
                resource,
                properties,
                path=path,
                source_format=source_format,
                item=item,
                properties_at=properties_at,
                positions=positions,
                label=f"{name} {label}" if label else name,
            )
        )
    return found.result(source_format)
