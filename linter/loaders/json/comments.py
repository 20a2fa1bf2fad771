"""JSON with comments (`.jsonc`, as VS Code writes it): comments blanked so offsets, lines and columns stay put."""

from __future__ import annotations

import re

__all__ = ["blank_comments"]

# The next place a string or a comment may start; each step below moves past it, so the scan is linear.
_NEXT = re.compile(r'["/]')
# No nested quantifier: the alternatives cannot both match one character, so a failed match backtracks linearly.
_STRING = re.compile(r'"(?:[^"\\\n]|\\.)*"')


def _blank(text: str) -> str:
    """Spaces for every character but line ends: positions after a comment stay where they were."""
    return re.sub(r"[^\n]", " ", text)


def blank_comments(text: str) -> str:
    """text with `// …` and `/* … */` comments outside strings turned into spaces (line ends kept).

    What is not a comment or a string is left for the JSON parser to judge: an unterminated string or
    comment, a lone `/`, stays (or becomes blanks to the end) and the parser reports the file.
    """
    parts: list[str] = []
    done = 0
    position = 0
    while (found := _NEXT.search(text, position)) is not None:
        start = found.start()
        if text[start] == '"':
            string = _STRING.match(text, start)
            if string is None:
                break  # an unterminated string: the parser says where
            position = string.end()
            continue
        if text.startswith("//", start):
            end = text.find("\n", start)
            end = len(text) if end < 0 else end
        elif text.startswith("/*", start):
            close = text.find("*/", start + 2)
            end = len(text) if close < 0 else close + 2
        else:
            position = start + 1
            continue
        parts.extend((text[done:start], _blank(text[start:end])))
        done = position = end
    parts.append(text[done:])
    return "".join(parts)
