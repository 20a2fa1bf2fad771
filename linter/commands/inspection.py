"""`entralint inspect`: what the loaders saw, normalized, without running rules."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from linter.model import to_plain

if TYPE_CHECKING:
    from linter.engine.files import StandardInput

__all__ = ["inspect_paths", "run"]


def run(args: argparse.Namespace) -> int:
    """`entralint inspect`: print the documents found under the paths (or in standard input)."""
    from linter.commands.shared import standard_input
    from linter.engine.config import DEFAULT_MAX_FILE_SIZE

    stdin = standard_input(args, DEFAULT_MAX_FILE_SIZE)
    paths = [] if stdin is not None else args.paths
    return inspect_paths(paths, args.format, args.exclude or (), sys.stdout, stdin)


def inspect_paths(
    paths: Sequence[str], format: str, exclude: Sequence[str], out: IO[str], stdin: StandardInput | None = None
) -> int:
    from linter.engine.documents import load_paths

    entries: list[dict[str, Any]] = []
    problems: list[str] = []
    for shown, result in load_paths(paths, exclude, Path.cwd(), stdin):
        problems.extend(
            f"{shown}:{problem.span.start_line}:{problem.span.start_column}: {problem.code} {problem.message}"
            for problem in result.problems
        )
        shown_documents = (*result.documents, *result.absent, *result.partial)
        for document in sorted(shown_documents, key=lambda document: document.line):
            entry = {
                "file": shown,
                "line": document.line,
                "kind": document.kind,
                "name": document.name,
                "source_format": document.source_format,
                "document": to_plain(document.data),
            }
            if document.existence:
                # false: never created (`count = 0`); {"unresolved": ...}: the plan decides.
                entry["exists"] = to_plain(document.existence) if document.may_not_exist else False
                entry["existence"] = str(document.existence)
            if document.partial:
                entry["partial"] = True
            entries.append(entry)
    if format == "json":
        json.dump(entries, out, indent=2, ensure_ascii=False)
        out.write("\n")
    else:
        header = "file:line"
        width = max([len(header), *(len(f"{entry['file']}:{entry['line']}") for entry in entries)])
        out.write(f"{header:<{width}}  {'kind':<29}  {'format':<14}  name\n")
        for entry in entries:
            where = f"{entry['file']}:{entry['line']}"
            name = f"{entry['name']}{_existence(entry)}"
            out.write(f"{where:<{width}}  {entry['kind']:<29}  {entry['source_format']:<14}  {name}\n")
        absent = sum(1 for entry in entries if entry.get("exists") is False)
        out.write(f"{len(entries)} document{'s' if len(entries) != 1 else ''}")
        out.write(f" ({absent} not created)\n" if absent else "\n")
    for problem in problems:
        sys.stderr.write(problem + "\n")
    if not entries and not problems:
        from linter.engine.files import NO_POLICY_FOUND

        sys.stderr.write(NO_POLICY_FOUND)
    return 0


def _existence(entry: dict[str, Any]) -> str:
    if entry.get("partial"):
        return "  (partial: sets some properties of an object defined elsewhere)"
    if "existence" not in entry:
        return ""
    if entry["exists"] is False:
        return f"  (not created: {entry['existence']})"
    return f"  (may not exist: {entry['existence']})"
