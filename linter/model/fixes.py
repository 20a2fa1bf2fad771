"""What a fix is: edits to a file's text that make a finding go away, and how safe applying them is."""

from __future__ import annotations

from enum import StrEnum
from typing import Any, NamedTuple

from linter.model.source import Span


class Applicability(StrEnum):
    """How safe a fix is to apply unasked, in ruff's terms."""

    SAFE = "safe"  # applied by `--fix`
    UNSAFE = "unsafe"  # applied only with `--unsafe-fixes`: it changes who must do what
    DISPLAY_ONLY = "display-only"  # shown, never applied: the design choice is the user's


class Edit(NamedTuple):
    """Replace the text a span covers (positions counted as `Span` counts them) with new text.

    An insertion is an edit whose span is empty (end equals start)."""

    path: str
    span: Span
    text: str


class Fix(NamedTuple):
    """A fix placed in its file: what reporters show and `--fix` applies."""

    applicability: Applicability
    description: str  # one line: what applying it does
    edits: tuple[Edit, ...]


class Change(NamedTuple):
    """One change a rule asks for in model terms: the engine, not the rule, turns it into edits of the text."""

    # APPEND: value (a string) to the list at pointer, creating the list; REPLACE: the scalar at pointer by
    # value; REMOVE: from the JSON text the string at pointer holds, the members value (JSON pointers) names.
    operation: str
    pointer: str  # a document pointer, as findings carry
    value: Any = None


APPEND, REPLACE, REMOVE = "append", "replace", "remove"


class FixRequest(NamedTuple):
    """What a rule attaches to a violation: the fix it means, whatever format the document came from."""

    applicability: Applicability
    description: str
    changes: tuple[Change, ...]
