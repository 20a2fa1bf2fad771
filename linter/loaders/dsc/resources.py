"""Microsoft365DSC resources held as data (JSON reports, configuration snapshots, YAML configuration data).

The properties are the resources' own (`IncludeUsers`, `BuiltInControls`, ...) and map to Graph through
the one table of `linter.loaders.dsc.properties`, as the PowerShell configurations' do; here the values are
plain data, so each document's positions translate its Graph pointers back to the property as written.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any, Literal

from linter.loaders.dsc.positions import MappedPositions
from linter.loaders.dsc.properties import (
    ALWAYS_LISTS,
    GATES,
    PLUMBING,
    RESOURCES,
    Resource,
    graph_spellings,
    is_not_set,
)
from linter.loaders.normalize.documents import build_document
from linter.loaders.result import LoadResult
from linter.model import (
    AUTHENTICATION_STRENGTH_POLICY,
    CONDITIONAL_ACCESS_POLICY,
    NAMED_LOCATION,
    TOKEN_LIFETIME_POLICY,
    Document,
    LoadProblem,
    Unresolved,
)
from linter.model.source import escape_pointer

__all__ = ["PlacedResources", "Placement", "build_resource", "guess_resource", "resource_named"]

Placement = Literal["documents", "absent", "partial"]


class PlacedResources:
    """What a file's items became, each where `build_resource` placed it, and the problems met: one LoadResult."""

    __slots__ = ("placed", "problems")

    def __init__(self) -> None:
        self.placed: dict[Placement, list[Document]] = {"documents": [], "absent": [], "partial": []}
        self.problems: list[LoadProblem] = []

    def add(self, built: tuple[Document | None, list[LoadProblem], Placement]) -> None:
        document, problems, placement = built
        self.problems.extend(problems)
        if document is not None:
            self.placed[placement].append(document)

    def result(self, source_format: str) -> LoadResult | None:
        """The file's result; None when no item was ours."""
        if not self.problems and not any(self.placed.values()):
            return None
        return LoadResult(
            source_format,
            tuple(self.placed["documents"]),
            tuple(self.problems),
            absent=tuple(self.placed["absent"]),
            partial=tuple(self.placed["partial"]),
        )


# What a whole object of each kind sets; an item setting none of it only overrides others' properties
# (an environment layer's `DisplayName` and `State`), as a configuration monitor's baseline lists only
# the properties it watches.
_SUBSTANCE = {
    CONDITIONAL_ACCESS_POLICY: ("conditions", "grantControls", "sessionControls"),
    TOKEN_LIFETIME_POLICY: ("definition",),
    NAMED_LOCATION: ("ipRanges", "countriesAndRegions"),
    AUTHENTICATION_STRENGTH_POLICY: ("allowedCombinations",),
}
# Properties only one resource has, to tell an item's resource when nothing names it.
_TELLING = (
    (("state", "includeusers", "includeapplications", "builtincontrols"), "aadconditionalaccesspolicy"),
    (("definition", "isorganizationdefault"), "aadtokenlifetimepolicy"),
    (("ipranges", "countriesandregions", "istrusted"), "aadnamedlocationpolicy"),
    (("allowedcombinations",), "aadauthenticationstrengthpolicy"),
)
# A configuration's `$variable` (kept as text by `New-M365DSCReportFromConfiguration`) and a Datum
# handler (`[x={ $Node.Domain }=]`, `[ENC=...]`) are values computed elsewhere.
_COMPUTED = re.compile(r"\s*(?:\$[\w:]|\[[A-Za-z]+=)")


def resource_named(name: str) -> Resource | None:
    """The resource a name designates: `AADConditionalAccessPolicy`, `microsoft.entra.conditionalaccesspolicy`,
    or a Datum composite resource's `cAADConditionalAccessPolicy`; None for any other."""
    lowered = name.lower()
    if lowered.startswith("microsoft.entra."):
        lowered = "aad" + lowered[len("microsoft.entra.") :]
    elif lowered.startswith("caad"):
        lowered = lowered[1:]
    return RESOURCES.get(lowered)


def guess_resource(properties: Mapping[Any, Any]) -> Resource | None:
    """The resource whose own properties an item sets, when neither the file nor its keys name one."""
    names = {key.lower() for key in properties if isinstance(key, str)}
    for telling, resource in _TELLING:
        if not names.isdisjoint(telling):
            return RESOURCES[resource]
    return None


def _scalar(value: Any) -> Any:
    if isinstance(value, str) and _COMPUTED.match(value):
        return Unresolved(value.strip())
    return value


def _value(value: Any) -> Any:
    """The value with computed strings unresolved; properties hold scalars or arrays of them, nothing deeper."""
    if isinstance(value, list):
        return [_scalar(item) for item in value]
    return _scalar(value)


def _spelled_as_graph(value: Any, spellings: Mapping[str, str]) -> Any:
    if isinstance(value, str):
        return spellings.get(value.lower(), value)
    if isinstance(value, list):
        return [spellings.get(item.lower(), item) if isinstance(item, str) else item for item in value]
    return value


def _shaped(kind: str, path: str, value: Any) -> Any:
    """The value as Graph holds it at path: enumeration members in Graph's spelling, lists where Graph has lists,
    ip ranges as objects."""
    value = _value(value)
    if spellings := graph_spellings(kind, path):
        value = _spelled_as_graph(value, spellings)
    if path in ALWAYS_LISTS and not isinstance(value, (list, Unresolved)):
        return [value]
    if path == "ipRanges" and isinstance(value, list):
        return [{"cidrAddress": item} if isinstance(item, str) else item for item in value]
    return value


def _place(root: dict[str, Any], path: str, value: Any) -> None:
    *groups, last = path.split("/")
    current = root
    for name in groups:
        group = current.get(name)
        if not isinstance(group, dict):
            group = current[name] = {}
        current = group
    current[last] = value


def _remove_switched_off(root: dict[str, Any]) -> None:
    for path in GATES:
        *groups, last = path.split("/")
        parent: Any = root
        for name in groups:
            parent = parent.get(name) if isinstance(parent, dict) else None
        control = parent.get(last) if isinstance(parent, dict) else None
        if isinstance(control, dict) and control.get("isEnabled") is False:
            del parent[last]


def _graph_data(
    kind: str, properties: Mapping[Any, Any], table: Mapping[str, str]
) -> tuple[dict[str, Any], dict[str, str], bool]:
    """(the Graph-shaped object, Graph path -> the key as written, whether the item says `Ensure = Absent`)."""
    root: dict[str, Any] = {}
    written: dict[str, str] = {}
    absent = False
    for key, value in properties.items():
        if not isinstance(key, str):
            continue
        name = key.lower()
        if name == "ensure":
            absent = isinstance(value, str) and value.strip().lower() == "absent"
        path = table.get(name)
        if path is None or name in PLUMBING or is_not_set(path, value):
            continue
        _place(root, path, _shaped(kind, path, value))
        written[path] = key
    _remove_switched_off(root)
    return root, written, absent


def build_resource(
    resource: Resource,
    properties: Mapping[Any, Any],
    *,
    path: str,
    source_format: str,
    item: str,
    properties_at: str,
    positions: MappedPositions,
    label: str | None,
) -> tuple[Document | None, list[LoadProblem], Placement]:
    """One item as a document, and where it belongs: with the tenant, deleted (`Ensure = Absent`) or partial.

    `item` and `properties_at` are the source pointers of the item and of the object holding its properties;
    the document's pointer is `item`. `label` names the item when it has no `DisplayName` or `Id`.
    """
    kind, table = resource
    data, written, absent = _graph_data(kind, properties, table)
    positions.add_item(item, item)
    for graph_path, key in written.items():
        positions.add_property(f"{item}/{graph_path}", f"{properties_at}/{escape_pointer(key)}")
    partial = not any(part in data for part in _SUBSTANCE[kind])
    named = "id" in data or "displayName" in data
    document, found = build_document(
        kind,
        data,
        path=path,
        source_format=source_format,
        pointer=item,
        positions=positions,
        identity=None if named else label,
        owned=True,
        partial=partial,
    )
    if absent:
        # A deleted object needs only its key: what it lacks is no problem of the tenant's, nor is it partial.
        return (document._replace(partial=False) if document is not None else None), [], "absent"
    # Microsoft365DSC accepts enumeration members in any letter case and sends Graph's spelling.
    problems = [problem for problem in found if problem.code != "IN005"]
    return document, problems, "partial" if partial else "documents"
