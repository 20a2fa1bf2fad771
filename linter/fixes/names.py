"""The names a source format writes for a Graph pointer, read from the loaders' own mappings."""

from __future__ import annotations

import re

from linter.loaders.terraform.resources import MICROSOFT365_CA, MSGRAPH, TranslatedPositions
from linter.model import Document
from linter.model.source import split_pointer

__all__ = ["dsc_property_name", "terraform_name"]

_CAMEL_HUMP = re.compile(r"(?<=[a-z0-9])([A-Z])")


def terraform_name(document: Document, pointer: str) -> str | None:
    """The attribute a Terraform resource writes for the last token of a Graph pointer, by its resource type."""
    positions = document.positions
    if not isinstance(positions, TranslatedPositions):
        return None
    resource = positions.translation.get("", "").split("/")
    resource_type = resource[2] if len(resource) > 2 else ""
    key = split_pointer(pointer)[-1]
    if resource_type == "azuread_conditional_access_policy":
        from linter.loaders.terraform.azuread import conditional_access_attribute

        return conditional_access_attribute(pointer)
    if resource_type == MICROSOFT365_CA:
        return _CAMEL_HUMP.sub(lambda match: "_" + match.group(1).lower(), key)
    if resource_type == MSGRAPH:
        return key
    return None


def dsc_property_name(document: Document, pointer: str) -> str | None:
    """The Microsoft365DSC property that sets a Graph pointer (`/conditions/users/excludeUsers` -> `ExcludeUsers`)."""
    from linter.loaders.dsc.properties import RESOURCES

    graph_path = pointer.strip("/")
    for kind, table in RESOURCES.values():
        if kind != document.kind:
            continue
        for name, path in table.items():
            if path == graph_path:
                # The table keys properties in lower case (PowerShell reads names without case); written as
                # Microsoft365DSC writes them, the Graph name's first letter made upper case.
                last = split_pointer(pointer)[-1]
                return last[0].upper() + last[1:] if last.lower() == name else name
    return None
