"""DSC configuration data in YAML, as Datum-based repositories (Microsoft365DscWorkshop, M365DSC_CICD) keep it.

A file's top level is `Items:` or a resource name (`AADConditionalAccessPolicy:`, or a composite resource's
`cAADConditionalAccessPolicy:`), holding a list of Microsoft365DSC-shaped items, directly or under `Items:`
(https://github.com/gaelcolas/Datum). The resource comes from that key, else from the file's name
(`AADConditionalAccessPolicy.yml`), else from the properties only one resource has. An item setting only
`DisplayName` and `State` overrides an item another layer defines: a partial document.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import PurePath
from typing import Any

from linter.loaders.dsc.positions import MappedPositions
from linter.loaders.dsc.properties import Resource
from linter.loaders.dsc.resources import PlacedResources, build_resource, guess_resource, resource_named
from linter.loaders.positions import PositionIndex
from linter.loaders.result import LoadResult
from linter.model.source import escape_pointer

__all__ = ["SOURCE_FORMAT", "is_configuration_data", "load"]

SOURCE_FORMAT = "dsc-yaml"
_ITEMS = "Items"


def _lists(root: Mapping[Any, Any]) -> list[tuple[str, str | None, list[Any]]]:
    """(pointer, resource name if a key gives one, items) of each list of items at the top of a document."""
    found: list[tuple[str, str | None, list[Any]]] = []
    for key, value in root.items():
        if not isinstance(key, str):
            continue
        named = resource_named(key) is not None
        if key == _ITEMS and isinstance(value, list):
            found.append((f"/{_ITEMS}", None, value))
        elif named and isinstance(value, list):
            found.append((f"/{escape_pointer(key)}", key, value))
        elif named and isinstance(value, Mapping) and isinstance(value.get(_ITEMS), list):
            found.append((f"/{escape_pointer(key)}/{_ITEMS}", key, value[_ITEMS]))
    return found


def is_configuration_data(streams: list[Any]) -> bool:
    """Whether a parsed YAML stream holds DSC configuration data: a top-level `Items:` or resource name."""
    return any(isinstance(root, Mapping) and _lists(root) for root in streams)


def _file_resource(path: str) -> Resource | None:
    stem = PurePath(path.replace("\\", "/")).stem
    return resource_named(stem) or resource_named(stem.removesuffix("s"))


def load(path: str, streams: list[Any], source: PositionIndex) -> LoadResult | None:
    """The Entra policies the file's items declare; items of other resources are not ours."""
    positions = MappedPositions(source)
    found = PlacedResources()
    from_file = _file_resource(path)
    for number, root in enumerate(streams):
        if not isinstance(root, Mapping):
            continue
        for pointer, key, items in _lists(root):
            named = resource_named(key) if key is not None else None
            for index, item in enumerate(items):
                if not isinstance(item, Mapping):
                    continue
                resource = named or from_file or guess_resource(item)
                if resource is None:
                    continue
                at = f"/{number}{pointer}/{index}"
                found.add(
                    build_resource(
                        resource,
                        item,
                        path=path,
                        source_format=SOURCE_FORMAT,
                        item=at,
                        properties_at=at,
                        positions=positions,
                        label=f"{key or _ITEMS}[{index}]",
                    )
                )
    return found.result(SOURCE_FORMAT)
