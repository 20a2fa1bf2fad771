"""Mutations of real policy files that introduce fixable findings, written through the spans the loaders record.

A mutation is a list of text edits (character offsets into the file's text, from `Source.offsets`, so the
same code serves Graph JSON, YAML, Terraform HCL, PowerShell and Microsoft365DSC) and says, in model terms,
what the file must read as once entralint has fixed what the mutation broke (`Mutation.repaired`).
"""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Callable, Iterator
from typing import Any, NamedTuple

from linter.fixes.source import Source, source_of
from linter.model import CONDITIONAL_ACCESS_POLICY, TOKEN_LIFETIME_POLICY, Document
from linter.model.source import split_pointer

DEVICE_REGISTRATION = "01cb2876-7ebd-4aa4-9cc9-d28bd4d359a9"
RETIRED = ("MaxInactiveTime", "MaxAgeSingleFactor", "MaxAgeMultiFactor", "MaxAgeSessionSingleFactor")
QUOTES = "\"'"

# Pointers whose words Graph spells one way (IN005 reads them); a list's items end in /N.
SPELLED = re.compile(
    r"/state|/grantControls/operator|/grantControls/builtInControls/\d+|/conditions/clientAppTypes/\d+"
    r"|/conditions/platforms/(include|exclude)Platforms/\d+|/conditions/(signIn|user)RiskLevels/\d+"
    r"|/conditions/devices/deviceFilter/mode|/sessionControls/signInFrequency/(type|frequencyInterval)"
    r"|/sessionControls/persistentBrowser/mode|/conditions/users/includeUsers/\d+"
    r"|/conditions/applications/includeApplications/\d+"
)
# includeUsers and includeApplications hold ids too: only their keywords are respelled.
KEYWORDS = {"All", "None", "GuestsOrExternalUsers", "Office365", "MicrosoftAdminPortals"}

Plain = dict[str, Any]
Repair = Callable[[Plain], Plain]  # the document a fix is meant to leave, from the document before mutation


class Mutation(NamedTuple):
    """Text edits to one document of a file and the document its fix is meant to give back."""

    kind: str  # what it breaks: respell, approved-application, drop-device-registration, drop-exclusion, retired
    document: int  # index of the document in the file's load result
    edits: tuple[tuple[int, int, str], ...]  # (start, end, new text) in the file's text
    repaired: Repair
    pointer: str


def apply(text: str, edits: tuple[tuple[int, int, str], ...]) -> str:
    for start, end, new in sorted(edits, reverse=True):
        text = text[:start] + new + text[end:]
    return text


def _leaves(value: Any, pointer: str = "") -> Iterator[tuple[str, Any]]:
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _leaves(item, f"{pointer}/{key}")
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _leaves(item, f"{pointer}/{index}")
    else:
        yield pointer, value


def _at(data: Any, pointer: str) -> tuple[Any, Any]:
    """The container holding pointer's value and the key (or index) in it."""
    *parents, last = split_pointer(pointer)
    holder = data
    for token in parents:
        holder = holder[int(token)] if isinstance(holder, list) else holder[token]
    return holder, int(last) if isinstance(holder, list) else last


def _written_word(source: Source, pointer: str, value: str) -> tuple[int, int, str] | None:
    """Where the word is written and the quote around it ("" when bare), if the file writes it as is."""
    offsets = source.offsets(pointer)
    if offsets is None:
        return None
    start, end = offsets
    written = source.text[start:end]
    if len(written) >= 2 and written[0] in QUOTES and written[-1] == written[0] and written[1:-1] == value:
        return start, end, written[0]
    return (start, end, "") if written == value else None


def _respellings(source: Source, index: int, data: Plain) -> Iterator[Mutation]:
    for pointer, value in _leaves(data):
        if not (isinstance(value, str) and value.isalpha() and SPELLED.fullmatch(pointer)):
            continue
        if pointer.startswith(("/conditions/users/", "/conditions/applications/")) and value not in KEYWORDS:
            continue
        found = _written_word(source, pointer, value)
        if found is None:
            continue
        start, end, quote = found
        for variant in sorted({value.upper(), value.lower(), value[0].swapcase() + value[1:]} - {value}):
            yield Mutation("respell", index, ((start, end, f"{quote}{variant}{quote}"),), _unchanged, pointer)


def _unchanged(data: Plain) -> Plain:
    """IN005's fix writes a spelling that means the same member: the document reads as before."""
    return data


def _grant_replaced(pointer: str) -> Repair:
    """CA023's fix: every approvedApplication of the grant (the one the mutation wrote and any the file had
    already, beside compliantApplication) becomes compliantApplication."""

    def repaired(data: Plain) -> Plain:
        data = copy.deepcopy(data)
        holder, key = _at(data, pointer)
        holder[key] = "approvedApplication"
        holder[:] = ["compliantApplication" if item == "approvedApplication" else item for item in holder]
        return data

    return repaired


def _moved_last(pointer: str) -> Repair:
    """An appended value: the list as before with the dropped item written at its end."""

    def repaired(data: Plain) -> Plain:
        data = copy.deepcopy(data)
        holder, index = _at(data, pointer)
        holder.append(holder.pop(index))
        return data

    return repaired


def _drop_item(source: Source, pointer: str, length: int) -> tuple[int, int] | None:
    """The text to delete to remove a list's item with one separator, keeping the list's own brackets."""
    *parent, last = split_pointer(pointer)
    list_pointer = "".join(f"/{token}" for token in parent)
    index = int(last)
    here = source.offsets(pointer)
    whole = source.offsets(list_pointer)
    if here is None or whole is None:
        return None
    if length == 1:
        # Only a bracketed list stays a list when emptied (a YAML block list would become null).
        return here if source.text.startswith(("[", "@("), whole[0]) else None
    if index > 0:
        before = source.offsets(f"{list_pointer}/{index - 1}")
        return None if before is None else (before[1], here[1])
    after = source.offsets(f"{list_pointer}/1")
    return None if after is None else (here[0], after[0])


def _drops(
    source: Source, index: int, data: Plain, key: str, wanted: Callable[[str], bool], kind: str
) -> Iterator[Mutation]:
    for pointer, value in _leaves(data):
        *parent, last = split_pointer(pointer)
        if not (parent and parent[-1] == key and last.isdigit() and isinstance(value, str) and wanted(value)):
            continue
        holder, _ = _at(data, pointer)
        span = _drop_item(source, pointer, len(holder))
        if span is not None:
            yield Mutation(kind, index, ((span[0], span[1], ""),), _moved_last(pointer), pointer)


def _retired_insertions(source: Source, index: int, data: Plain) -> Iterator[Mutation]:
    for number, definition in enumerate(data.get("definition") or ()):
        pointer = f"/definition/{number}"
        offsets = source.offsets(pointer)
        if not isinstance(definition, str) or offsets is None:
            continue
        written = source.text[offsets[0] : offsets[1]]
        # The quote as this file writes it inside the string: \" in JSON and HCL, `" or "" in PowerShell.
        match = re.search(r'\{(\\"|`"|""|")Version\1:(\d+)', written)
        if match is None:
            continue
        quote, at = match.group(1), offsets[0] + match.end()
        for name in RETIRED:
            value = "1.00:00:00" if name != "MaxInactiveTime" else "2.00:00:00"
            text = f",{quote}{name}{quote}:{quote}{value}{quote}"
            yield Mutation("retired", index, ((at, at, text),), _unchanged, pointer)


def mutations(documents: tuple[Document, ...]) -> Iterator[Mutation]:
    """Every mutation the documents allow."""
    for index, document in enumerate(documents):
        source = source_of(document)
        if not isinstance(source, Source):
            continue
        data: Plain = json.loads(json.dumps(document.data, default=str))
        if document.kind == CONDITIONAL_ACCESS_POLICY:
            yield from _respellings(source, index, data)
            yield from _approved_applications(source, index, data)
            yield from _drops(source, index, data, "excludeApplications", DEVICE_REGISTRATION.__eq__, "drop-drs")
            for key in ("excludeUsers", "excludeGroups"):
                yield from _drops(source, index, data, key, lambda value: True, "drop-exclusion")
        elif document.kind == TOKEN_LIFETIME_POLICY:
            yield from _retired_insertions(source, index, data)


def _approved_applications(source: Source, index: int, data: Plain) -> Iterator[Mutation]:
    for pointer, value in _leaves(data):
        if "/builtInControls/" in pointer and SPELLED.fullmatch(pointer) and isinstance(value, str):
            found = _written_word(source, pointer, value)
            if found is not None:
                start, end, quote = found
                edit = (start, end, f"{quote}approvedApplication{quote}")
                yield Mutation("approved-application", index, (edit,), _grant_replaced(pointer), pointer)
