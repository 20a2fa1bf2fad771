"""Test-only helpers for linter.fixes: apply edits to text, run one operation on every document of a file."""

from __future__ import annotations

import copy
import itertools
import json
from collections.abc import Mapping, Sequence
from typing import Any

from linter import fixes
from linter.loaders import load_text
from linter.model import Document, to_plain
from linter.model.fixes import Edit
from linter.model.source import split_pointer


def apply_edits(text: str, edits: Sequence[Edit]) -> str:
    """Text with edits applied, last first so that earlier spans still count in the original text."""
    starts = [0]
    for line in text.split("\n"):
        starts.append(starts[-1] + len(line) + 1)
    located = []
    for edit in edits:
        span = edit.span
        start = starts[span.start_line - 1] + span.start_column - 1
        located.append((start, starts[span.end_line - 1] + span.end_column - 1, edit.text))
    located.sort()
    for (_, end, _), (start, _, _) in itertools.pairwise(located):
        assert end <= start, "overlapping edits"
    for start, end, new in reversed(located):
        text = text[:start] + new + text[end:]
    return text


def run(document: Document, operation: Mapping[str, Any]) -> tuple[Edit, ...] | fixes.NoFix:
    kind = operation["operation"]
    if kind == "append":
        return fixes.append_to_list(document, operation["pointer"], operation["value"])
    if kind == "replace":
        return fixes.replace_value(document, operation["pointer"], operation["value"])
    return fixes.remove_from_string(document, operation["pointer"], operation["inner"])


def _remove(data: Any, pointer: str) -> None:
    *parents, last = split_pointer(pointer)
    for token in parents:
        data = data[int(token)] if isinstance(data, list) else data.get(token, {})
    if isinstance(data, dict):
        data.pop(last, None)


def intended(document: Document, operation: Mapping[str, Any]) -> Any:
    """The document's data as the operation means it to be; definition strings compared parsed."""
    data = copy.deepcopy(to_plain(document.data))
    *parents, last = split_pointer(operation["pointer"])
    holder = data
    for token in parents:
        holder = holder[int(token)] if isinstance(holder, list) else holder.setdefault(token, {})
    key: Any = int(last) if isinstance(holder, list) else last
    if operation["operation"] == "append":
        holder[key] = [*holder.get(key, []), operation["value"]] if isinstance(holder, dict) else None
    elif operation["operation"] == "replace":
        holder[key] = operation["value"]
    else:
        inner = json.loads(holder[key])
        for pointer in operation["inner"]:
            _remove(inner, pointer)
        holder[key] = inner
    return data


def comparable(document: Document, operation: Mapping[str, Any]) -> Any:
    data = copy.deepcopy(to_plain(document.data))
    if operation["operation"] == "remove":
        *parents, last = split_pointer(operation["pointer"])
        holder = data
        for token in parents:
            holder = holder[int(token)] if isinstance(holder, list) else holder[token]
        key: Any = int(last) if isinstance(holder, list) else last
        holder[key] = json.loads(holder[key])
    return data


def documents(path: str, text: str) -> tuple[Document, ...]:
    result = load_text(path, text)
    # IN005 (a non-canonical spelling) is a finding about the text, not a failure to read it.
    assert result is not None and all(problem.code == "IN005" for problem in result.problems), result
    return result.documents
