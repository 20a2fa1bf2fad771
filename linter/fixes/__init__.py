"""Fixes: a rule's change in model terms (`FixRequest`) turned into edits of one format's text."""

from __future__ import annotations

import importlib

from linter.model import Document
from linter.model.fixes import Fix, FixRequest

__all__ = ["build_fix"]

# The formats whose text entralint can edit, each with its edit builder: `edits(document, change)`.
EDITORS = {"graph-json": "linter.fixes.graph_json"}


def build_fix(document: Document, request: FixRequest) -> Fix | str:
    """The fix placed in the document's file, or why there is none here ("no fix: ..." without the prefix)."""
    module = EDITORS.get(document.source_format)
    if module is None:
        return f"entralint cannot edit {document.source_format or 'this format'} yet"
    editor = importlib.import_module(module)
    edits = []
    for change in request.changes:
        found = editor.edits(document, change)
        if isinstance(found, str):
            return found
        edits.extend(found)
    return Fix(request.applicability, request.description, tuple(edits))
