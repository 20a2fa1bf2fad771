"""PowerShell script text -> tokens: strings, here-strings, escapes, variables, parameters, words, punctuation."""

from __future__ import annotations

import re
from array import array
from collections.abc import Iterator, Sequence
from typing import NamedTuple

__all__ = ["KINDS", "Token", "TokenList", "tokenize"]

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
# Runs read by the regular-expression engine rather than a character at a time: a configuration is mostly
# alignment spaces, names and quoted strings. `\w` is `str.isalnum()` or `_`, as `_is_name` reads.
_BLANK_CHARS = " \t\ufeff\u00a0"
_BLANKS = re.compile(f"[{_BLANK_CHARS}]+")
_NAME = re.compile(r"[\w:?]*")
_PARAMETER_NAME = re.compile(r"\w*")
_WORD_RUN = re.compile("(?:[^`" + re.escape("".join(sorted(_WORD_END))) + "]|`[\\s\\S]?)*")
# The characters some token other than a word can start with: any other starts a word.
_STARTS_OTHER_THAN_WORD = (
    frozenset(_BLANK_CHARS + "`\r\n<#@$" + _SINGLE_QUOTES + _DOUBLE_QUOTES + _DASHES) | _PUNCTUATION
)
_QUOTES = _SINGLE_QUOTES + _DOUBLE_QUOTES
_SINGLE_QUOTE = re.compile("[" + _SINGLE_QUOTES + "]")
_DOUBLE_QUOTED_SPECIAL = re.compile("[`$" + _DOUBLE_QUOTES + "]")
# PowerShell's tokenizer ends a line at CR, LF or CRLF (its line map, line comments, new-line tokens and
# here-strings alike: PowerShell/PowerShell, engine/parser/tokenizer.cs; the language specification's
# new-line-character, §2.2.2). A lone CR inside a quoted string is a character of the string.
_LINE_END = re.compile("\r\n?|\n")
_HERE_STRING_CLOSE = {quote: re.compile("[\r\n]" + quote + "@") for quote in "'\""}


class Token(NamedTuple):
    """A token with its source offsets; strings carry their decoded value and per-character offsets."""

    kind: str  # string, variable, splat, parameter, word, newline, error, or the punctuation itself
    text: str
    start: int
    end: int
    value: str = ""
    chars: Sequence[int] = ()
    interpolated: bool = False
    colon: bool = False


KINDS: tuple[str, ...] = (
    "string",
    "variable",
    "splat",
    "parameter",
    "word",
    "newline",
    "error",
    *"(){}[],;|=",
    "@(",
    "@{",
    "$(",
    "${",
)
_KIND_CODES = {kind: code for code, kind in enumerate(KINDS)}
_STRING, _VARIABLE, _SPLAT, _PARAMETER, _WORD, _NEWLINE, _ERROR = range(7)


class TokenList:
    """The tokens of a script, stored as a kind byte and two offsets each: a `Token` is built when asked for.

    A list of `Token` tuples held ~180 bytes per token, and a line of `((((` is a token per byte; here a token
    costs 9 bytes. Only strings and errors keep more (their decoded value); a word, variable or parameter
    is rebuilt from the text.
    """

    __slots__ = ("_ends", "_extras", "_kinds", "_starts", "text")

    def __init__(self, text: str) -> None:
        self.text = text
        self._kinds = bytearray()
        offset = "I" if len(text) < 1 << 32 else "q"  # 4 bytes an offset for any text a linter meets
        self._starts = array(offset)
        self._ends = array(offset)
        self._extras: dict[int, tuple[str, Sequence[int], bool]] = {}  # strings and errors: value, chars, $

    def append(self, kind: str, start: int, end: int) -> None:
        self._kinds.append(_KIND_CODES[kind])
        self._starts.append(start)
        self._ends.append(end)

    def append_token(self, token: Token) -> None:
        """A string or error token, whose value is not its text."""
        self._extras[len(self._kinds)] = (token.value, token.chars, token.interpolated)
        self.append(token.kind, token.start, token.end)

    def __len__(self) -> int:
        return len(self._kinds)

    def __iter__(self) -> Iterator[Token]:
        return (self[index] for index in range(len(self._kinds)))

    def kind(self, index: int) -> str:
        return KINDS[self._kinds[index]]

    def kind_codes(self) -> Sequence[int]:
        """Every token's kind, as its index in KINDS."""
        return self._kinds

    def string(self, index: int) -> tuple[str, Sequence[int], bool]:
        """The decoded value, per-character offsets and interpolation of the string token at index."""
        return self._extras[index]

    def spans(self) -> tuple[Sequence[int], Sequence[int]]:
        """(starts, ends) of every token, in order."""
        return self._starts, self._ends

    def __getitem__(self, index: int) -> Token:
        code = self._kinds[index]
        start, end = self._starts[index], self._ends[index]
        text = self.text
        if code in (_STRING, _ERROR):
            value, chars, interpolated = self._extras[index if index >= 0 else len(self._kinds) + index]
            source = text[start:] if code == _ERROR else text[start:end]
            return Token(KINDS[code], source, start, end, value, chars, interpolated)
        if code == _WORD:
            word = text[start:end]
            return Token("word", word, start, end, word, range(start, end + 1))
        if code in (_VARIABLE, _SPLAT):
            name = text[start + 2 : end - 1] if text.startswith("{", start + 1) else text[start + 1 : end]
            return Token(KINDS[code], text[start:end], start, end, name)
        if code == _PARAMETER:
            colon = text[end - 1] == ":"
            return Token("parameter", text[start:end], start, end, text[start + 1 : end - colon], colon=colon)
        return Token(KINDS[code], text[start:end], start, end)


def _compact(offsets: list[int]) -> Sequence[int]:
    """Per-character offsets as a range when they run without a gap (no escape), else 8 bytes each."""
    if not offsets or offsets[-1] - offsets[0] == len(offsets) - 1:
        return range(offsets[0], offsets[-1] + 1) if offsets else ()
    return array("q", offsets)


def _is_name(char: str) -> bool:
    return char.isalnum() or char in "_:?"


def _single_quoted(text: str, start: int) -> Token:
    pieces: list[str] = []
    offsets: list[int] = []  # where each piece starts, and where its characters run (without gaps)
    position = start + 1
    escaped = False
    while (quote := _SINGLE_QUOTE.search(text, position)) is not None:
        close = quote.start()
        if close + 1 < len(text) and text[close + 1] in _SINGLE_QUOTES:  # '' is one quote
            pieces.append(text[position : close + 1])
            offsets.extend(range(position, close + 1))
            position = close + 2
            escaped = True
            continue
        pieces.append(text[position:close])
        end = close + 1
        if not escaped:
            return Token("string", text[start:end], start, end, pieces[0], range(start + 1, end))
        offsets.extend(range(position, end))
        return Token("string", text[start:end], start, end, "".join(pieces), array("q", offsets))
    return Token("error", text[start:], start, start + 1, "unterminated single-quoted string")


def _double_quoted(text: str, start: int) -> Token:
    chars: list[str] = []
    offsets: list[int] = []
    interpolated = False
    position = start + 1
    length = len(text)
    while (special := _DOUBLE_QUOTED_SPECIAL.search(text, position)) is not None:
        stop = special.start()
        chars.append(text[position:stop])
        offsets.extend(range(position, stop))
        position = stop
        char = text[position]
        if char == "`" and position + 1 < length:
            following = text[position + 1]
            chars.append(_BACKTICK_ESCAPES.get(following, following))
            offsets.append(position)
            position += 2
            continue
        if char in _DOUBLE_QUOTES:
            if position + 1 < length and text[position + 1] in _DOUBLE_QUOTES:  # "" is one quote
                chars.append(char)
                offsets.append(position)
                position += 2
                continue
            offsets.append(position)
            value = "".join(chars)
            end = position + 1
            return Token("string", text[start:end], start, end, value, _compact(offsets), interpolated)
        if char == "$" and position + 1 < length and (_is_name(text[position + 1]) or text[position + 1] in "{("):
            interpolated = True
        chars.append(char)
        offsets.append(position)
        position += 1
    return Token("error", text[start:], start, start + 1, "unterminated double-quoted string")


def _here_string(text: str, start: int) -> Token:
    """@'...'@ or @"..."@: the text between the line after the opener and the line that starts with the closer."""
    quote = "'" if text[start + 1] in _SINGLE_QUOTES else '"'
    header_end = _LINE_END.search(text, start)
    footer = _HERE_STRING_CLOSE[quote].search(text, header_end.start()) if header_end is not None else None
    if header_end is None or footer is None or text[start + 2 : header_end.start()].strip():
        return Token("error", text[start:], start, start + 2, "unterminated here-string")
    line_end, close = header_end.end() - 1, footer.start()
    body_end = close - 1 if text.startswith("\r\n", close - 1) and close - 1 > line_end else close
    body = range(line_end + 1, max(body_end, line_end + 1))
    interpolated = quote == '"' and any(
        text[offset] == "$" and offset + 1 < body_end and (_is_name(text[offset + 1]) or text[offset + 1] in "{(")
        for offset in body
    )
    offsets = _compact([*body, body_end])
    end = close + 3
    return Token("string", text[start:end], start, end, text[body.start : body.stop], offsets, interpolated)


def tokenize(text: str) -> TokenList:
    """Tokens of a PowerShell script; comments and backtick line continuations are dropped."""
    tokens = TokenList(text)
    # The columns appended to directly, kinds as codes: a method call and a lookup per token was a fifth
    # of reading a configuration.
    add_kind, add_start, add_end = tokens._kinds.append, tokens._starts.append, tokens._ends.append
    word_run, blanks = _WORD_RUN.match, _BLANKS.match
    position = 0
    length = len(text)
    while position < length:
        char = text[position]
        start = position
        if char not in _STARTS_OTHER_THAN_WORD:  # no branch below but the last can take it
            position = word_run(text, position).end()  # type: ignore[union-attr]  # char starts a run
            add_kind(_WORD)
        # The branches up to the quotes take characters no later branch tests: their order does not matter.
        elif char in _BLANK_CHARS:
            position = blanks(text, position).end()  # type: ignore[union-attr]  # char is one
            continue
        elif char in "\r\n":  # char is one character
            position += 2 if text.startswith("\r\n", position) else 1
            add_kind(_NEWLINE)
        elif char in _PUNCTUATION:
            position += 1
            add_kind(_KIND_CODES[char])
        elif char in _QUOTES:
            tokens.append_token(token := (_single_quoted if char in _SINGLE_QUOTES else _double_quoted)(text, start))
            position = length if token.kind == "error" else token.end
            continue
        else:
            following = text[position + 1] if position + 1 < length else ""
            if char == "`" and following in "\r\n":
                position += 3 if text.startswith("\r\n", position + 1) else 2
                continue
            if char == "<" and following == "#":
                close = text.find("#>", position + 2)
                position = length if close < 0 else close + 2
                continue
            if char == "#":
                comment_end = _LINE_END.search(text, position)
                position = length if comment_end is None else comment_end.start()
                continue
            if char == "@" and following and following in _QUOTES:
                tokens.append_token(token := _here_string(text, start))
                position = length if token.kind == "error" else token.end
                continue
            if char in "@$" and following and following in "({":
                position += 2
                add_kind(_KIND_CODES[char + following])
            elif char in "$@" and (_is_name(following) or following == "{"):
                if following == "{":
                    close = text.find("}", position)
                    position = length if close < 0 else close + 1
                else:
                    position = _NAME.match(text, position + 1).end()  # type: ignore[union-attr]  # matches empty
                add_kind(_VARIABLE if char == "$" else _SPLAT)
            elif char in _DASHES and following.isalpha():
                position = _PARAMETER_NAME.match(text, position + 1).end()  # type: ignore[union-attr]  # matches empty
                position += position < length and text[position] == ":"
                add_kind(_PARAMETER)
            else:
                position = max(word_run(text, position).end(), start + 1)  # type: ignore[union-attr]
                add_kind(_WORD)
        add_start(start)
        add_end(position)
    return tokens
