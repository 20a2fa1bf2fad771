"""Edits that fix a finding, computed from a loaded document, a Graph pointer and the spans its loader recorded.

Format-neutral: each operation finds the value through `Document.positions` (Graph pointers, translated
by the loaders to their own), then writes it in the file's own syntax (`json`, `yaml`, `hcl`,
`powershell`). An operation returns the edits (none when the document already says it) or a `NoFix`
saying why it offers none: plans and state, computed values, text it does not understand.
`build_fix` turns a rule's `FixRequest` (changes in model terms) into a `Fix` placed in the file.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from linter.fixes.source import NoFix, Source, has_computed, source_of
from linter.model import Document
from linter.model.fixes import APPEND, REMOVE, REPLACE, Change, Edit, Fix, FixRequest
from linter.model.source import parent_pointer, split_pointer

__all__ = ["Edits", "NoFix", "append_to_list", "build_fix", "remove_from_string", "replace_value"]

Edits = tuple[Edit, ...]
COMPUTED = NoFix("no fix: computed value")


def _renderer(family: str) -> Callable[[Any, str | None], str]:
    if family == "yaml":
        from linter.fixes.yaml import render
    elif family == "hcl":
        from linter.fixes.hcl import render
    elif family == "powershell":
        from linter.fixes.powershell import render
    else:
        from linter.fixes.json import render
    return render


def _same(item: Any, value: str) -> bool:
    return isinstance(item, str) and item.strip().lower() == value.strip().lower()


def append_to_list(document: Document, pointer: str, value: str) -> Edits | NoFix:
    """Edits that add the string value to the list at pointer, creating the list when it is absent."""
    source = source_of(document)
    if isinstance(source, NoFix):
        return source
    if has_computed(document, pointer) or has_computed(document, parent_pointer(pointer)):
        return COMPUTED
    current = document.get(pointer)
    if isinstance(current, list):
        if any(_same(item, value) for item in current):
            return ()
        return _as_edits(_append(source, pointer, current, value))
    if current is not None:
        return NoFix("no fix: the value is not a list")
    written = source.offsets(pointer)
    if written is not None:
        # Normalizing drops an empty list and a null: the file still writes the key, so the value goes there.
        return _as_edits(_round_trip(source, pointer, value, written, _fill_empty(source, pointer, written, value)))
    return _as_edits(_create_list(source, pointer, value))


def _fill_empty(source: Source, pointer: str, written: tuple[int, int], value: str) -> Edit | NoFix:
    start, end = written
    text = source.text[start:end]
    if text.startswith(("[", "@(")):
        return _append(source, pointer, [], value)
    if text.strip().lower() in ("null", "~", "$null"):
        rendered = _renderer(source.family)(value, _neighbour_quote(source.text[: source.line_end(start)]))
        return source.edit(start, end, f"@({rendered})" if source.family == "powershell" else f"[{rendered}]")
    return NoFix("no fix: the value written in the file is not a list")


def _as_edits(result: Edit | NoFix) -> Edits | NoFix:
    return result if isinstance(result, NoFix) else (result,)


def _append(source: Source, pointer: str, current: list[Any], value: str) -> Edit | NoFix:
    from linter.fixes.lists import append_bracketed

    span = source.offsets(pointer)
    if source.offsets(f"{pointer}/{len(current)}") is not None:
        # The file writes more items than the model holds (nulls, empty strings dropped by normalizing).
        return NoFix("no fix: the list holds values that are not ids (null or empty)")
    elements = [source.offsets(f"{pointer}/{index}") for index in range(len(current))]
    if span is None or any(element is None for element in elements):
        return NoFix("no fix: the list is not written in the file as one list")
    located = [element for element in elements if element is not None]
    like = source.text[located[-1][0] : located[-1][1]] if located else None
    rendered = _renderer(source.family)(value, like)
    if source.family == "yaml" and source.text[span[0]] != "[":
        from linter.fixes.yaml import append_block

        if not located:
            return _round_trip(source, pointer, value, span, NoFix("no fix: an empty list not written in brackets"))
        return _round_trip(source, pointer, value, span, append_block(source, located, rendered))
    return append_bracketed(source, span, located, rendered, ", ")


def _round_trip(source: Source, pointer: str, value: str, within: tuple[int, int], edit: Edit | NoFix) -> Edit | NoFix:
    """A YAML change the span edit declined, made by ruamel.yaml's round trip if that is proven to change only it."""
    if not isinstance(edit, NoFix) or source.family != "yaml":
        return edit
    from linter.fixes.yaml_roundtrip import append_round_trip

    return append_round_trip(source, pointer, value, within)


def _neighbour_quote(text: str) -> str | None:
    """The quote the first quoted string near the new value opens with: the new string is quoted alike."""
    quotes = [index for index in (text.find('"'), text.find("'")) if index >= 0]
    return text[min(quotes)] if quotes else None


def _create_list(source: Source, pointer: str, value: str) -> Edit | NoFix:
    document = source.document
    around = source.offsets(parent_pointer(pointer)) or source.offsets("")
    rendered = _renderer(source.family)(value, _neighbour_quote(source.text[around[0] : around[1]]) if around else None)
    if document.source_format in ("microsoft365dsc",):
        from linter.fixes.names import dsc_property_name
        from linter.fixes.powershell import dsc_property

        name = dsc_property_name(document, pointer)
        block = source.offsets("")
        if name is None or block is None:
            return NoFix("no fix: no Microsoft365DSC property sets this value")
        return dsc_property(source, block, name, f"@({rendered})")
    if document.source_format in ("microsoft365dsc-json", "dsc-yaml"):
        return NoFix("no fix: entralint does not add properties to Microsoft365DSC data files")
    parent = parent_pointer(pointer)
    if not isinstance(document.get(parent), dict):
        return NoFix("no fix: the object that would hold the list is absent")
    parent_span = source.offsets(parent)
    if parent_span is None:
        return NoFix("no fix: the object that would hold the list is not written in the file")
    key = split_pointer(pointer)[-1]
    if source.family == "json":
        from linter.fixes.json import add_member
        from linter.fixes.names import terraform_name

        name = terraform_name(document, pointer) if document.source_format == "terraform-json" else key
        if name is None:
            return NoFix("no fix: no Terraform attribute sets this value")
        return add_member(source, parent_span, name, f"[{rendered}]")
    if source.family == "hcl":
        from linter.fixes.hcl import add_attribute
        from linter.fixes.names import terraform_name

        name = terraform_name(document, pointer)
        if name is None:
            return NoFix("no fix: no Terraform attribute sets this value")
        return add_attribute(source, parent_span, name, f"[{rendered}]")
    if source.family == "powershell":
        from linter.fixes.powershell import add_property

        return add_property(source, parent_span, key, f"@({rendered})")
    from linter.fixes.yaml import add_member as add_yaml_member

    return _round_trip(source, pointer, value, parent_span, add_yaml_member(source, parent_span, key, f"[{rendered}]"))


def replace_value(document: Document, pointer: str, value: str | bool | int) -> Edits | NoFix:
    """Edits that write value in place of the scalar (or list element) at pointer, quoted as it was."""
    source = source_of(document)
    if isinstance(source, NoFix):
        return source
    if has_computed(document, pointer):
        return COMPUTED
    current = document.get(pointer)
    if current is None or isinstance(current, (dict, list)):
        return NoFix("no fix: the value is not a literal written in the file")
    span = source.offsets(pointer)
    if span is None:
        return NoFix("no fix: the value is not written in the file")
    start, end = span
    written = source.text[start:end]
    if isinstance(value, str) and written[:1] not in "\"'" and source.family != "yaml":
        # A piece of a comma-joined string (`clientAppTypes = "browser,other"`): the bare word is replaced.
        if not value.replace("-", "").replace("_", "").isalnum() or not isinstance(current, str):
            return NoFix("no fix: the value is written inside a string entralint does not rewrite")
        if written.strip().lower() != current.strip().lower():
            return NoFix("no fix: the value's text is not understood")
        return () if written == value else (source.edit(start, end, value),)
    # Compared as written, not as normalized: IN005's non-canonical spelling normalizes to the canonical one.
    rendered = _renderer(source.family)(value, written)
    return () if written == rendered else (source.edit(start, end, rendered),)


def remove_from_string(document: Document, pointer: str, inner_pointers: Sequence[str]) -> Edits | NoFix:
    """Edits that remove properties (JSON pointers into the JSON text held by the string at pointer) from it."""
    from linter.fixes.strings import remove_json_members

    source = source_of(document)
    if isinstance(source, NoFix):
        return source
    if has_computed(document, pointer):
        return COMPUTED
    return remove_json_members(source, pointer, inner_pointers)


def build_fix(document: Document, request: FixRequest) -> Fix | str:
    """The fix placed in the document's file, or why there is none here (the reason after "no fix: ")."""
    edits: list[Edit] = []
    for change in request.changes:
        found = edits_for(document, change)
        if isinstance(found, NoFix):
            return found.reason.removeprefix("no fix: ")
        edits.extend(found)
    if not edits:
        return "the file already says what the fix would write"
    return Fix(request.applicability, request.description, tuple(edits))


def edits_for(document: Document, change: Change) -> Edits | NoFix:
    """The edits that make one change in the document's own syntax."""
    if change.operation == APPEND:
        return append_to_list(document, change.pointer, change.value)
    if change.operation == REPLACE:
        return replace_value(document, change.pointer, change.value)
    if change.operation == REMOVE:
        return remove_from_string(document, change.pointer, change.value)
    return NoFix(f"no fix: entralint does not {change.operation} values")
