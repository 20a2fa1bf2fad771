"""Text from input made safe to print: control characters shown as escapes, no workflow command formed.

Every reporter and the command line's stderr writer pass input-derived text (paths, names, values,
excerpts, messages that embed them) through `neutral` at the moment they print it; rules build
messages from raw values and never escape anything themselves. docs/security.md states the promise.
"""

from __future__ import annotations

import re

__all__ = ["neutral", "neutral_line_start", "sarif_text"]

# C0 controls, DEL and C1 (U+009B is a one-character CSI to some terminals), the Unicode Bidi_Control
# characters (overrides, embeddings, isolates and marks: "Trojan Source", CVE-2021-42574), and the line
# and paragraph separators some viewers break lines at. `##[` is the GitHub runner's older
# workflow-command syntax, which it looks for anywhere in a line, not only at its start:
# https://github.com/actions/runner/blob/main/src/Runner.Common/ActionCommand.cs (TryParse)
_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]|##\\[")
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t", "##[": "##\\["}
_SARIF_MARKUP = re.compile(r"[\\\[\]]")


def _visible(match: re.Match[str]) -> str:
    found = match.group()
    named = _NAMED.get(found)
    if named is not None:
        return named
    code = ord(found)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def neutral(text: str) -> str:
    """text with every unsafe character written as a Python-style escape (`\\n`, `\\x1b`, `\\u202e`)
    and `##[` as `##\\[`; text without any is returned as it is (the usual case, one regex search)."""
    if _UNSAFE.search(text) is None:
        return text
    return _UNSAFE.sub(_visible, text)


def neutral_line_start(text: str) -> str:
    """`neutral(text)` for the start of an output line, where a leading `::` (after any whitespace,
    which the runner trims) would be a workflow command: its first colon is written `\\x3a`."""
    shown = neutral(text)
    stripped = shown.lstrip()
    if stripped.startswith(":"):
        at = len(shown) - len(stripped)
        return shown[:at] + "\\x3a" + shown[at + 1 :]
    return shown


def sarif_text(text: str) -> str:
    """`neutral(text)` for a SARIF message string, with `\\`, `[` and `]` escaped by a backslash so
    input never forms an embedded link (`[text](url)`, `[text](1)`; SARIF 2.1.0 §3.11.6)."""
    shown = neutral(text)
    if _SARIF_MARKUP.search(shown) is None:
        return shown
    return _SARIF_MARKUP.sub(lambda match: "\\" + match.group(), shown)
