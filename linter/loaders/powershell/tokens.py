"""PowerShell script text -> tokens: strings, here-strings, escapes, variables, parameters, words, punctuation."""

from __future__ import annotations

from typing import NamedTuple

__all__ = ["Token", "tokenize"]

_SINGLE_QUOTES = "'\u2018\u2019\u201a\u201b"  # PowerShell reads typographic quotes pasted from docs as quotes
_DOUBLE_QUOTES = '"\u201c\u201d\u201e'
_DASHES = "-\u2013\u2014\u2015"
_BACKTICK_ESCAPES = {
    "n": "\n",
    "t": "\t",
    "r": "\r",
    "0": "\0",
    "a": "\a",
    "b": "\b",
    "f": "\f",
    "v": "\v",
    "e": "\x1b",
}
_WORD_END = set(" \t\r\n(){}[],;|=") | set(_SINGLE_QUOTES) | set(_DOUBLE_QUOTES)
_PUNCTUATION = set("(){}[],;|=")


class Token(NamedTuple):
    """A token with its source offsets; strings carry their decoded value and per-character offsets."""

    kind: str  # string, variable, splat, parameter, word, newline, error, or the punctuation itself
    text: str
    start: int
    end: int
    value: str = ""
    chars: tuple[int, ...] = ()
    interpolated: bool = False
    colon: bool = False


def _is_name(char: str) -> bool:
    return char.isalnum() or char in "_:?"


def _single_quoted(text: str, start: int) -> Token:
    chars: list[str] = []
    offsets: list[int] = []
    position = start + 1
    while position < len(text):
        char = text[position]
        if char in _SINGLE_QUOTES:
            if position + 1 < len(text) and text[position + 1] in _SINGLE_QUOTES:  # '' is one quote
                chars.append(char)
                offsets.append(position)
                position += 2
                continue
            offsets.append(position)
            return Token("string", text[start : position + 1], start, position + 1, "".join(chars), tuple(offsets))
        chars.append(char)
        offsets.append(position)
        position += 1
    return Token("error", text[start:], start, start + 1, "unterminated single-quoted string")


def _double_quoted(text: str, start: int) -> Token:
    chars: list[str] = []
    offsets: list[int] = []
    interpolated = False
    position = start + 1
    while position < len(text):
        char = text[position]
        if char == "`" and position + 1 < len(text):
            following = text[position + 1]
            chars.append(_BACKTICK_ESCAPES.get(following, following))
            offsets.append(position)
            position += 2
            continue
        if char in _DOUBLE_QUOTES:
            if position + 1 < len(text) and text[position + 1] in _DOUBLE_QUOTES:  # "" is one quote
                chars.append(char)
                offsets.append(position)
                position += 2
                continue
            offsets.append(position)
            value = "".join(chars)
            return Token("string", text[start : position + 1], start, position + 1, value, tuple(offsets), interpolated)
        if char == "$" and position + 1 < len(text) and (_is_name(text[position + 1]) or text[position + 1] in "{("):
            interpolated = True
        chars.append(char)
        offsets.append(position)
        position += 1
    return Token("error", text[start:], start, start + 1, "unterminated double-quoted string")


def _here_string(text: str, start: int) -> Token:
    """@'...'@ or @"..."@: the text between the line after the opener and the line that starts with the closer."""
    quote = "'" if text[start + 1] in _SINGLE_QUOTES else '"'
    line_end = text.find("\n", start)
    close = text.find("\n" + quote + "@", line_end)
    if line_end < 0 or text[start + 2 : line_end].strip() or close < 0:
        return Token("error", text[start:], start, start + 2, "unterminated here-string")
    body_end = close - 1 if text[close - 1] == "\r" else close
    body = range(line_end + 1, max(body_end, line_end + 1))
    interpolated = quote == '"' and any(
        text[offset] == "$" and offset + 1 < body_end and (_is_name(text[offset + 1]) or text[offset + 1] in "{(")
        for offset in body
    )
    offsets = (*body, body_end)
    end = close + 3
    return Token("string", text[start:end], start, end, text[body.start : body.stop], offsets, interpolated)


def tokenize(text: str) -> list[Token]:
    """Tokens of a PowerShell script; comments and backtick line continuations are dropped."""
    tokens: list[Token] = []
    position = 0
    length = len(text)
    while position < length:
        char = text[position]
        following = text[position + 1] if position + 1 < length else ""
        start = position
        if char in " \t\r\ufeff\u00a0":
            position += 1
        elif char == "`" and following in "\r\n":
            position += 3 if text.startswith("\r\n", position + 1) else 2
        elif char == "\n":
            tokens.append(Token("newline", char, start, start + 1))
            position += 1
        elif char == "<" and following == "#":
            close = text.find("#>", position + 2)
            position = length if close < 0 else close + 2
        elif char == "#":
            close = text.find("\n", position)
            position = length if close < 0 else close
        elif char == "@" and following and following in _SINGLE_QUOTES + _DOUBLE_QUOTES:
            tokens.append(token := _here_string(text, start))
            position = length if token.kind == "error" else token.end
        elif char in "@$" and following in "({":
            tokens.append(Token(char + following, char + following, start, start + 2))
            position += 2
        elif char in _SINGLE_QUOTES or char in _DOUBLE_QUOTES:
            tokens.append(token := (_single_quoted if char in _SINGLE_QUOTES else _double_quoted)(text, start))
            position = length if token.kind == "error" else token.end
        elif char in _PUNCTUATION:
            tokens.append(Token(char, char, start, start + 1))
            position += 1
        elif char in "$@" and (_is_name(following) or following == "{"):
            if following == "{":
                close = text.find("}", position)
                position = length if close < 0 else close + 1
                name = text[start + 2 : position - 1]
            else:
                position += 1
                while position < length and _is_name(text[position]):
                    position += 1
                name = text[start + 1 : position]
            kind = "variable" if char == "$" else "splat"
            tokens.append(Token(kind, text[start:position], start, position, name))
        elif char in _DASHES and following.isalpha():
            position += 1
            while position < length and (text[position].isalnum() or text[position] == "_"):
                position += 1
            colon = position < length and text[position] == ":"
            name = text[start + 1 : position]
            position += colon
            tokens.append(Token("parameter", text[start:position], start, position, name, colon=colon))
        else:
            while position < length and text[position] not in _WORD_END:
                position += 2 if text[position] == "`" else 1
            position = max(min(position, length), start + 1)
            word = text[start:position]
            tokens.append(Token("word", word, start, position, word, tuple(range(start, position + 1))))
    return tokens
