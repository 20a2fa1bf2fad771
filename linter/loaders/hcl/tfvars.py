"""Reading a module directory's variables: the files that declare them (`variable` blocks) and assign them
(`*.tfvars`), in the order `linter.loaders.hcl.variables` describes."""

from __future__ import annotations

import functools
import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from linter.loaders.hcl.parse import parse, refused_character, too_deep
from linter.loaders.hcl.tree import HclReader
from linter.loaders.hcl.variables import NO_VARIABLES, ModuleVariables
from linter.model import Unresolved
from linter.model.source import escape_pointer

if TYPE_CHECKING:
    from linter.loaders.hcl.fast import FastHclReader

__all__ = [
    "MAX_VARIABLE_FILE_SIZE",
    "declared_variables",
    "forget",
    "module_variables",
    "read_assignments",
    "variable_files",
]

_CONFIGURATION_SUFFIXES = (".tf", ".tofu")
_DEFINITION_FILES = ("terraform.tfvars", "terraform.tfvars.json")
_AUTO_SUFFIXES = (".auto.tfvars", ".auto.tfvars.json")

T = TypeVar("T")

# Variable files are read beside the policy files, not as files of their own: the same bound as a file.
MAX_VARIABLE_FILE_SIZE = 10 * 1024 * 1024


def _read(path: str) -> str | None:
    try:
        with open(path, "rb") as file:
            data = file.read(MAX_VARIABLE_FILE_SIZE + 1)
        if len(data) > MAX_VARIABLE_FILE_SIZE:
            return None
        # CRLF is one line end, as for the files entralint checks (linter.model.source.decode_text).
        return data.decode("utf-8-sig").replace("\r\n", "\n")
    except (OSError, UnicodeDecodeError):
        return None


def _read_fast(text: str, read: Callable[[FastHclReader], T]) -> T | None:
    """What read(the fast reader) gives, when that reader reads text as tree-sitter would; else None.

    tree-sitter's tree holds 80 to 180 times the text it reads: a plain variable file is read without one.
    A text holding `var.` is left to tree-sitter: the fast reader resolves a `var.x` from the defaults it has
    read so far, where `HclReader` here knows none (Terraform allows no variable there anyway).
    """
    from linter.loaders.hcl.fast import Decline, FastHclReader

    if "\r" in text or "var." in text:
        return None
    try:
        reader = FastHclReader(text)
        found = read(reader)
    except (Decline, RecursionError):
        return None
    return found if reader.read_as_tree_sitter_would() else None


def _declared_fast(reader: FastHclReader) -> tuple[dict[str, Any], set[str]]:
    reader.read_variables()
    return reader.defaults, reader.variable_names | set(reader.defaults)


def _reader(text: str) -> HclReader | None:
    """The file's tree under the same guards as a checked file's; None when Terraform would refuse it."""
    if too_deep(text) is not None:
        return None
    data = text.encode("utf-8")
    root = parse(data).root_node
    if refused_character(data, root) is not None:
        return None
    return HclReader(text, root, {})


def declared_variables(path: str) -> tuple[dict[str, Any], set[str]]:
    """(defaults, names) of the `variable` blocks of one .tf or .tofu file; nothing when it cannot be read."""
    text = _read(path)
    if text is None or "variable" not in text:
        return {}, set()
    fast = _read_fast(text, _declared_fast)
    if fast is not None:
        return fast
    reader = _reader(text)
    if reader is None:
        return {}, set()
    try:
        defaults = reader.variable_defaults()
        names = {
            name
            for node in reader.top_blocks("variable")
            if len(labels := reader.labels(node)) == 1 and isinstance(name := reader.literal_label(labels[0]), str)
        }
    except RecursionError:
        return {}, set()
    return defaults, names | set(defaults)


def read_assignments(path: str) -> dict[str, Any] | None:
    """`name = value` of a variable definitions file (HCL, or JSON for `*.json`); None when it cannot be read."""
    text = _read(path)
    if text is None:
        return None
    if path.endswith(".json"):
        from linter.loaders.json.parse import ParseError, parse_json

        try:
            data = parse_json(text)
        except ParseError:
            return None
        return dict(data) if isinstance(data, dict) else None
    fast = _read_fast(text, lambda fast_reader: fast_reader.assignments())
    if fast is not None:
        return fast
    reader = _reader(text)
    if reader is None or reader.root.has_error:
        return None
    assigned: dict[str, Any] = {}
    try:
        for body in reader.root.children:
            for node in body.children if body.type == "body" else ():
                if node.type == "attribute":
                    name = reader.source(node.children[0])
                    assigned[name] = reader.value(node.children[-1], f"/{escape_pointer(name)}")
    except RecursionError:
        return None
    return assigned


def _configuration_files(names: set[str]) -> Iterator[str]:
    """The module's HCL files as OpenTofu reads them: `x.tofu` replaces `x.tf`."""
    for name in sorted(names):
        if name.endswith(_CONFIGURATION_SUFFIXES):
            if name.endswith(".tf") and name[: -len(".tf")] + ".tofu" in names:
                continue
            yield name


def variable_files(names: set[str]) -> list[str]:
    """The variable definition files Terraform reads from a module directory, lowest precedence first."""
    found = [name for name in _DEFINITION_FILES if name in names]
    found.extend(sorted(name for name in names if name.endswith(_AUTO_SUFFIXES)))
    return found


def _listing(directory: str) -> tuple[set[str], set[str]]:
    """(every file name, the names that may be read): a link is never read, wherever it points."""
    try:
        with os.scandir(directory) as listing:
            entries = [entry for entry in listing if entry.is_file()]
    except OSError:
        return set(), set()
    every = {entry.name for entry in entries}
    return every, {entry.name for entry in entries if not entry.is_symlink()}


def module_variables(path: str, var_files: tuple[str, ...] = ()) -> ModuleVariables:
    """The variables of the module directory holding `path` (whose own text the reader reads itself)."""
    try:
        directory = str(Path(path).resolve().parent)
    except (OSError, RuntimeError):
        return NO_VARIABLES
    return _module_variables(directory, var_files)


def forget() -> None:
    """Forget the directories read: files do not change during a run, but may between two in one process."""
    _module_variables.cache_clear()


# Once per directory and run: each file of a directory asks, and listing it per file made 800 files 640,000 stats.
@functools.lru_cache(maxsize=256)
def _module_variables(directory: str, var_files: tuple[str, ...]) -> ModuleVariables:
    every, readable = _listing(directory)
    defaults: dict[str, Any] = {}
    declared: set[str] = set()
    for name in _configuration_files(every):
        if name not in readable:
            continue
        found_defaults, found_declared = declared_variables(os.path.join(directory, name))
        defaults.update(found_defaults)
        declared.update(found_declared)
    declared.update(defaults)
    files = [os.path.join(directory, name) if name in readable else None for name in variable_files(every)]
    assigned: dict[str, Any] = {}
    for file in [*files, *var_files]:
        found = read_assignments(file) if file is not None else None
        if found is None:
            # Terraform stops at a variable file it cannot read; what it would have assigned is unknown.
            found = dict.fromkeys(declared)
        for variable, value in found.items():
            assigned[variable] = Unresolved(f"var.{variable}") if value is None else value
    return ModuleVariables(defaults, frozenset(declared), assigned)
