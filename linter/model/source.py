"""Source text: decoding, spans, locations, JSON pointers and how a path is shown."""

from __future__ import annotations

import codecs
import functools
import os
from pathlib import Path
from typing import NamedTuple, Protocol

__all__ = [
    "FILE_START",
    "DecodeError",
    "Location",
    "Positions",
    "Span",
    "as_posix",
    "decode_text",
    "display_path",
    "escape_pointer",
    "join_pointer",
    "line_column",
    "parent_pointer",
    "powershell_line_ends",
    "source_lines",
    "split_pointer",
    "yaml_line_ends",
]


class Span(NamedTuple):
    """A region of a file; lines and columns are 1-based, end column exclusive (as SARIF counts)."""

    start_line: int
    start_column: int
    end_line: int
    end_column: int

    @classmethod
    def point(cls, line: int, column: int) -> Span:
        return cls(line, column, line, column + 1)


FILE_START = Span(1, 1, 1, 1)


class Location(NamedTuple):
    """A span in a file, plus the JSON pointer of the model value it shows."""

    path: str
    span: Span
    pointer: str = ""


class Positions(Protocol):
    """What a document asks of its file's position index; the loaders' PositionIndex implements it."""

    def nearest_span(self, pointer: str) -> Span:
        """The span of pointer, else of its closest ancestor that has one, else the file start."""
        ...

    def span_in_string(self, pointer: str, offset: int) -> Span | None:
        """The span of one character inside the string at pointer, if it is a string."""
        ...

    def compact(self) -> None:
        """Drop what the parser left for a first span lookup."""
        ...


class DecodeError(Exception):
    """The bytes of a file are not text in an encoding entralint reads."""

    def __init__(self, message: str, line: int = 1, column: int = 1) -> None:
        super().__init__(message)
        self.line = line
        self.column = column


def decode_text(data: bytes) -> str:
    """Decode UTF-8 (with or without BOM) or UTF-16 LE/BE with BOM, with CRLF line ends made LF.

    CRLF is one line end in every format entralint reads, and dropping its CR moves no column. A lone
    CR is left as it is: HCL takes it only in a comment (Terraform's scanner; elsewhere a syntax error),
    PowerShell ends a line at it but keeps it in a string (`powershell_line_ends` counts its lines), JSON
    reads it as white space, YAML as a line end (`yaml_line_ends`, which the YAML loader applies).
    """
    if data.startswith(codecs.BOM_UTF8):
        encoding, body = "utf-8", data[3:]
    elif data.startswith(codecs.BOM_UTF16_LE):
        encoding, body = "utf-16-le", data[2:]
    elif data.startswith(codecs.BOM_UTF16_BE):
        encoding, body = "utf-16-be", data[2:]
    else:
        encoding, body = "utf-8", data
    try:
        text = body.decode(encoding)
    except UnicodeDecodeError as error:
        prefix = body[: error.start].decode(encoding, errors="replace")
        line = prefix.count("\n") + 1
        column = len(prefix) - (prefix.rfind("\n") + 1) + 1
        reason = "truncated" if error.reason.startswith("truncated") else "invalid"
        raise DecodeError(
            f"{reason} {encoding.upper()} byte sequence at byte {error.start + (len(data) - len(body))}",
            line,
            column,
        ) from None
    if "\x00" in text:
        offset = text.index("\x00")
        line, column = line_column(text, offset)
        raise DecodeError("NUL character: this is a binary file, not text", line, column)
    if "\r\n" in text:
        text = text.replace("\r\n", "\n")
    return text


# YAML 1.1 (libyaml) ends a line at LF, CR, CRLF, NEL, LS and PS; decode_text already made CRLF LF.
_YAML_BREAKS = str.maketrans({"\r": "\n", "\x85": "\n", "\u2028": "\n", "\u2029": "\n"})


def yaml_line_ends(text: str) -> str:
    """YAML text with every line end libyaml counts made LF, so that counting LF counts YAML's lines."""
    if "\r" in text or "\x85" in text or "\u2028" in text or "\u2029" in text:
        return text.translate(_YAML_BREAKS)
    return text


def powershell_line_ends(text: str) -> str:
    """PowerShell text with every line end its tokenizer counts made LF: a lone CR is one (CRLF is LF already).

    Only for counting lines: the same length, so offsets hold; a CR inside a string stays in its value.
    """
    return text.replace("\r", "\n") if "\r" in text else text


def source_lines(path: str, text: str) -> list[str]:
    """The lines of a decoded file as its format counts them: LF (CRLF) everywhere, YAML's and PowerShell's own."""
    lower = path.lower()
    if lower.endswith((".yaml", ".yml")):
        text = yaml_line_ends(text)
    elif lower.endswith(".ps1"):
        text = powershell_line_ends(text)
    return text.split("\n")


def line_column(text: str, offset: int) -> tuple[int, int]:
    """1-based line and column of a character offset (slow path for one-off errors)."""
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1


def escape_pointer(token: str | int) -> str:
    return str(token).replace("~", "~0").replace("/", "~1")


def join_pointer(base: str, *tokens: str | int) -> str:
    return base + "".join("/" + escape_pointer(token) for token in tokens)


@functools.lru_cache(maxsize=8192)
def split_pointer(pointer: str) -> tuple[str, ...]:
    """The unescaped tokens of a JSON pointer; cached, since rules ask for the same few pointers."""
    if not pointer:
        return ()
    return tuple(part.replace("~1", "/").replace("~0", "~") for part in pointer[1:].split("/"))


def parent_pointer(pointer: str) -> str:
    return pointer[: pointer.rfind("/")] if pointer else ""


def display_path(path: str, cwd: Path) -> str:
    """Forward-slash path relative to cwd when below it, else absolute; path normalized as str(Path) gives it."""
    base = str(cwd)
    if os.sep == "/" and path[:1] == base[:1] == "/" and base[-1] != "/":
        # Normalized absolute paths compared as strings: relative_to parses both again, for every file of a fleet.
        if path.startswith(base + "/"):
            return path[len(base) + 1 :]
        return "." if path == base else path
    try:
        return Path(path).relative_to(cwd).as_posix()
    except ValueError:
        return as_posix(path)


def as_posix(text: str) -> str:
    """Path(text).as_posix() of a normalized path."""
    return text if os.sep == "/" else text.replace(os.sep, "/")
