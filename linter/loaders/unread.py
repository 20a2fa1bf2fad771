"""Policies written in a format entralint does not read: named, so that no file is skipped in silence.

Asked only of a file that was read and yielded nothing, so its cost (a few regular expressions over
the text) is paid by files that hold no policy entralint could check anyway.
"""

from __future__ import annotations

import re
from typing import NamedTuple

__all__ = ["UnreadFormat", "unread_format"]


class UnreadFormat(NamedTuple):
    """Where a file first declares a policy in a format entralint cannot read, and what that format is."""

    name: str  # the format, as its users call it
    what: str  # what the file holds in it
    line: int
    column: int


# (suffixes, format name, what it holds, pattern of the declaration, patterns the text must hold too).
# Compiled on first use (re's cache).
_FORMATS: tuple[tuple[tuple[str, ...], str, str, str, tuple[str, ...]], ...] = (
    (
        (".ps1",),
        "Microsoft365DSC",
        "{0} resource blocks",
        # A DSC resource block: `AADConditionalAccessPolicy "Name"` (or `'Name'`, `$name`, a bare word) then `{`.
        r"^[ \t]*(AAD(?:ConditionalAccess|TokenLifetime)Policy)[ \t]+[\"'$\w][^\n{]*\{?",
        (),
    ),
    (
        (".ps1",),
        "Microsoft Graph PowerShell",
        "{0} calls",
        r"\b((?:New|Update|Set)-Mg(?:Beta)?IdentityConditionalAccessPolicy)\b",
        (),
    ),
    (
        (".ps1",),
        "AzureAD PowerShell",
        "{0} calls",
        r"\b((?:New|Set)-AzureADMSConditionalAccessPolicy)\b",
        (),
    ),
    (
        (".ps1",),
        "Microsoft Graph requests from PowerShell",
        "requests to {0}",
        r"(?i)(identity/conditionalAccess/policies|policies/tokenLifetimePolicies)\b",
        # A script that only reads policies (an export) holds none: it must send one.
        (r"(?i)-Method\s+[\"']?(?:POST|PATCH|PUT)\b", r"grantControls|sessionControls|TokenLifetimePolicy"),
    ),
    (
        (".json", ".yaml", ".yml"),
        "Unified Tenant Configuration Management",
        "{0} resources",
        r"(?i)\b(microsoft\.entra\.(?:conditionalaccess|tokenlifetime)policy)\b",
        (),
    ),
)


def unread_format(path: str, text: str) -> UnreadFormat | None:
    """The first format in `_FORMATS` whose policy declaration `text` holds; None when it holds none."""
    lower = path.lower()
    for suffixes, name, what, pattern, also in _FORMATS:
        if not lower.endswith(suffixes):
            continue
        match = re.search(pattern, text, re.MULTILINE)
        if match is not None and all(re.search(other, text) is not None for other in also):
            start = match.start(1)
            line = text.count("\n", 0, start) + 1
            column = start - (text.rfind("\n", 0, start) + 1) + 1
            return UnreadFormat(name, what.format(match.group(1)), line, column)
    return None
