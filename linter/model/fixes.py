"""What a fix is: edits to a file's text that make a finding go away, and how safe applying them is."""

from __future__ import annotations

from collections.abc import Mapping
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
    new_file: bool = False  # the edit creates the file at path with text (never overwriting one)


class Fix(NamedTuple):
    """A fix placed in its file: what reporters show and `--fix` applies."""

    applicability: Applicability
    description: str  # one line: what applying it does
    edits: tuple[Edit, ...]
    # The findings that replace this one once it is applied ("the new policy is only report-only"), the only new
    # findings the fix may leave: (rule, a tenant finding's key, or the pointer of a finding in the file it creates).
    follow_ups: tuple[tuple[str, str], ...] = ()


class Change(NamedTuple):
    """One change a rule asks for in model terms: the engine, not the rule, turns it into edits of the text."""

    # APPEND: value (a string) to the list at pointer, creating the list; REPLACE: the scalar at pointer by
    # value; REMOVE: from the JSON text the string at pointer holds, the members value (JSON pointers) names;
    # CREATE: a new policy file holding value (a `NewPolicy`), in the format and naming of the tenant's.
    operation: str
    pointer: str  # a document pointer, as findings carry
    value: Any = None


APPEND, REPLACE, REMOVE, CREATE = "append", "replace", "remove", "create"


class NewPolicy(NamedTuple):
    """CREATE's value: a Graph-shaped policy to write as a new file of the tenant."""

    policy: Mapping[str, Any]
    # Its place among the new policies one run may write (1, 2, ...): where the tenant numbers its display names
    # (`CA014 - ...`), each gets the last number plus its place, so that two written in one run never share one.
    place: int = 1


class FixRequest(NamedTuple):
    """What a rule attaches to a violation: the fix it means, whatever format the document came from."""

    applicability: Applicability
    description: str
    changes: tuple[Change, ...]
    follow_ups: tuple[tuple[str, str], ...] = ()  # as `Fix.follow_ups`
    unavailable: str = ""  # why the rule cannot offer the fix here ("no fix: <reason>")
