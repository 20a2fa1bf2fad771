"""Parse-only floors: read every file of a fleet with the fastest standard parser, and nothing else.

Run as a whole process, like entralint, so that both pay for interpreter start and file reading:

    python bench/floors.py json|yaml|hcl DIR
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterator
from typing import Any

SUFFIXES = {"json": (".json",), "yaml": (".yaml", ".yml"), "hcl": (".tf",)}


def _files(root: str, suffixes: tuple[str, ...]) -> Iterator[str]:
    for directory, names, files in os.walk(root):
        names.sort()
        for name in sorted(files):
            if name.endswith(suffixes):
                yield os.path.join(directory, name)


def _json_parser() -> Callable[[str], Any]:
    import json

    return json.loads


def _yaml_parser() -> Callable[[str], Any]:
    import yaml

    def parse(text: str) -> Any:
        return list(yaml.load_all(text, Loader=yaml.CSafeLoader))

    return parse


def _hcl_parser() -> Callable[[str], Any]:
    import tree_sitter
    import tree_sitter_hcl

    parser = tree_sitter.Parser(tree_sitter.Language(tree_sitter_hcl.language()))

    def parse(text: str) -> Any:
        return parser.parse(text.encode("utf-8"))

    return parse


PARSERS = {"json": _json_parser, "yaml": _yaml_parser, "hcl": _hcl_parser}


def main(argv: list[str]) -> int:
    source_format, root = argv
    parse = PARSERS[source_format]()
    count = 0
    for path in _files(root, SUFFIXES[source_format]):
        with open(path, encoding="utf-8") as handle:
            parse(handle.read())
        count += 1
    return 0 if count else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
