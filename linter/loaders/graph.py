"""Microsoft Graph JSON and YAML: single objects, arrays, `value` collections, wrappers, YAML streams.

The entralint MFA settings document (`mfaServiceSettings: {...}`) is read here too: it is
Graph-like JSON or YAML that Graph itself has no API for.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from linter.loaders.json.locate import JsonLocator
from linter.loaders.normalize.documents import build_document, find_documents
from linter.loaders.positions import JsonPositions, PositionIndex
from linter.loaders.result import LoadResult, looks_like_policy, parse_problem
from linter.model import MFA_SERVICE_SETTINGS, Document, LoadProblem

__all__ = ["documents_in", "load_json", "load_yaml"]


def documents_in(
    data: Any,
    *,
    path: str,
    source_format: str,
    positions: PositionIndex,
    root: str = "",
    owned: bool = False,
    aliased: bool = False,
) -> tuple[list[Document], list[LoadProblem]]:
    """Model documents for every Graph-shaped object in parsed data.

    `owned`: data is this loader's own parse and a tree (no value held twice), so documents are
    cleaned in place instead of copied. `aliased`: a container of data may sit at several places (YAML
    aliases), and each document holds one shaped container where data held one.
    """
    documents: list[Document] = []
    problems: list[LoadProblem] = []
    for kind, pointer, raw in find_documents(data, root):
        document, found = build_document(
            kind,
            raw,
            path=path,
            source_format="entralint-" + source_format.rsplit("-", maxsplit=1)[-1]
            if kind == MFA_SERVICE_SETTINGS
            else source_format,
            pointer=pointer,
            positions=positions,
            clean=kind != MFA_SERVICE_SETTINGS,
            owned=owned,
            aliased=aliased,
        )
        problems.extend(found)
        if document is not None:
            documents.append(document)
    return documents, problems


def load_json(path: str, text: str, data: Any, locator: JsonLocator | None = None) -> LoadResult | None:
    """Documents of parsed Graph JSON; `data` is the caller's fresh `parse_json(text)`, changed here.

    `locator`: the one `parse_json_located(text)` gave with data, which already knows some offsets.
    """
    positions = JsonPositions(text, locator=locator)
    documents, problems = documents_in(data, path=path, source_format="graph-json", positions=positions, owned=True)
    if not documents and not problems:
        return None
    return LoadResult("graph-json", tuple(documents), tuple(problems))


def _may_be_configuration_data(streams: list[Any]) -> bool:
    """Could a stream be DSC configuration data (`Items:` or a resource name at the top)? Asked of every YAML
    file, so it reads key names only: the DSC reader and its tables load only for files that may need them."""
    return any(
        isinstance(root, Mapping)
        and any(
            isinstance(key, str) and (key == "Items" or key.lower().startswith(_RESOURCE_NAME_STARTS)) for key in root
        )
        for root in streams
    )


# How resource names start (linter.loaders.dsc.resources.resource_named): AAD…, Datum's cAAD…, UTCM's microsoft.entra.…
_RESOURCE_NAME_STARTS = ("aad", "caad", "microsoft.entra.")


def load_yaml(path: str, text: str) -> LoadResult | None:
    from linter.loaders.json.parse import ParseError
    from linter.loaders.yaml.parse import parse_yaml_with_positions

    try:
        streams, positions = parse_yaml_with_positions(text)
    except ParseError as error:
        return parse_problem("graph-yaml", str(error), error.span) if looks_like_policy(text) else None
    if _may_be_configuration_data(streams):
        from linter.loaders.dsc.yaml_data import is_configuration_data
        from linter.loaders.dsc.yaml_data import load as load_configuration_data

        if is_configuration_data(streams):
            return load_configuration_data(path, streams, positions)
    documents: list[Document] = []
    problems: list[LoadProblem] = []
    tree = "&" not in text  # without anchors no alias: no value is held twice
    for number, data in enumerate(streams):
        found_documents, found_problems = documents_in(
            data,
            path=path,
            source_format="graph-yaml",
            positions=positions,
            root=f"/{number}",
            owned=tree,
            aliased=not tree,
        )
        documents.extend(found_documents)
        problems.extend(found_problems)
    if not documents and not problems:
        return None
    return LoadResult("graph-yaml", tuple(documents), tuple(problems))
