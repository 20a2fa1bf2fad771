"""Finding rules: the built-in directory, `--rules-dir` directories and `entralint.rules` entry points.

All three go through one path: import the modules, take the `Rule` subclasses they define.
Nothing loads from the scanned content; a directory is read only when the user names it.
"""

from __future__ import annotations

import importlib
import importlib.machinery
import importlib.util
import os
import re
import sys
from collections.abc import Iterable, Sequence
from pathlib import Path
from types import ModuleType

from linter.rule import DocumentRule, LoadProblemRule, Rule, TenantRule

__all__ = [
    "RuleLoadError",
    "builtin_rules_dir",
    "declared_entry_points",
    "group_may_be_declared",
    "load_rules",
    "select_codes",
]

CODE = re.compile(r"^[A-Z]{2}[0-9]{3}$")
NAME = re.compile(r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$")
ENTRY_POINT_GROUP = "entralint.rules"


class RuleLoadError(Exception):
    """A rule module or rule class that cannot be used; the message names it."""


def builtin_rules_dir() -> Path:
    """`linter/rules` in an installed wheel, `rules/` beside `linter/` in a source checkout."""
    package_dir = Path(__file__).resolve().parents[1]  # linter/, from linter/engine/
    installed = package_dir / "rules"
    return installed if installed.is_dir() else package_dir.parent / "rules"


def _import_directory(directory: Path, package: str) -> list[ModuleType]:
    if package not in sys.modules:
        init = directory / "__init__.py"
        spec = (
            importlib.util.spec_from_file_location(package, init, submodule_search_locations=[str(directory)])
            if init.exists()
            else importlib.machinery.ModuleSpec(package, None, is_package=True)
        )
        if spec is None:
            raise RuleLoadError(f"{directory}: not a directory of rule modules")
        if spec.submodule_search_locations is not None and not init.exists():
            spec.submodule_search_locations.append(str(directory))
        module = importlib.util.module_from_spec(spec)
        sys.modules[package] = module
        if spec.loader is not None:
            spec.loader.exec_module(module)
    modules = []
    for path in sorted(directory.glob("*.py")):
        if path.name.startswith("_"):
            continue
        try:
            modules.append(importlib.import_module(f"{package}.{path.stem}"))
        except Exception as error:  # a user's module may fail in any way; say which
            raise RuleLoadError(f"{path}: cannot import rule module: {error}") from error
    return modules


def _rules_in(module: ModuleType) -> list[type[Rule]]:
    found = []
    for value in vars(module).values():
        if (
            isinstance(value, type)
            and issubclass(value, Rule)
            and value not in (Rule, DocumentRule, LoadProblemRule, TenantRule)
            and value.__module__ == module.__name__
        ):
            found.append(value)
    return found


def _check_metadata(rule: type[Rule], origin: str) -> None:
    for attribute in ("code", "name", "summary", "level", "scope"):
        if not hasattr(rule, attribute):
            raise RuleLoadError(f"{origin}: rule {rule.__name__} has no `{attribute}`")
    if not CODE.match(rule.code):
        raise RuleLoadError(f"{origin}: rule code {rule.code!r} is not two capitals and three digits")
    if not NAME.match(rule.name):
        raise RuleLoadError(f"{origin}: rule name {rule.name!r} is not kebab-case")


def load_rules(rules_dirs: Sequence[Path] = (), *, entry_points: bool = True) -> dict[str, type[Rule]]:
    """Every rule class by code, built-ins first; a duplicate code is an error."""
    sources: list[tuple[str, Iterable[ModuleType]]] = [
        ("built-in rules", _import_directory(builtin_rules_dir(), "linter.rules"))
    ]
    for directory in rules_dirs:
        if not directory.is_dir():
            raise RuleLoadError(f"{directory}: rules directory does not exist")
        import hashlib

        # Named after the directory: a second run in the same process may name other directories.
        package = f"entralint_user_rules_{hashlib.sha256(str(directory.resolve()).encode()).hexdigest()[:16]}"
        sources.append((str(directory), _import_directory(directory, package)))
    if entry_points:
        sources.extend(_entry_point_modules())
    rules: dict[str, type[Rule]] = {}
    for origin, modules in sources:
        for module in modules:
            for rule in _rules_in(module):
                _check_metadata(rule, origin)
                if rule.code in rules:
                    raise RuleLoadError(
                        f"{origin}: rule code {rule.code} is already used by {rules[rule.code].__module__}"
                    )
                rules[rule.code] = rule
    return dict(sorted(rules.items()))


def declared_entry_points() -> list[str]:
    """`name = value` of each installed `entralint.rules` entry point, read from metadata without importing it."""
    if not group_may_be_declared(ENTRY_POINT_GROUP):
        return []
    from importlib.metadata import entry_points

    return sorted(f"{entry.name} = {entry.value}" for entry in entry_points(group=ENTRY_POINT_GROUP))


def _entry_point_modules() -> list[tuple[str, list[ModuleType]]]:
    if not group_may_be_declared(ENTRY_POINT_GROUP):
        return []
    from importlib.metadata import entry_points

    found = []
    for entry in entry_points(group=ENTRY_POINT_GROUP):
        try:
            loaded = entry.load()
        except Exception as error:  # a broken plug-in names itself, and stops nothing silently
            raise RuleLoadError(f"entry point {entry.name} ({entry.value}): {error}") from error
        if isinstance(loaded, ModuleType):
            found.append((f"entry point {entry.name}", [loaded]))
        elif isinstance(loaded, type) and issubclass(loaded, Rule):
            module = sys.modules[loaded.__module__]
            found.append((f"entry point {entry.name}", [module]))
        else:
            raise RuleLoadError(f"entry point {entry.name} ({entry.value}) is neither a module nor a Rule")
    return found


# Importing importlib.metadata (email, zipfile, csv...) costs ~20 ms, a fifth of a one-file run, and
# almost no environment declares an entralint plug-in: the entry_points.txt files say so for far less.
def group_may_be_declared(group: str) -> bool:
    """False only when no distribution importlib.metadata can find declares `group` in its entry points.

    Looks where importlib.metadata's path finder looks: the `*.dist-info` and `*.egg-info` directories
    of each sys.path directory, and `EGG-INFO` in `*.egg` directories. Whatever it cannot judge as
    importlib.metadata would (another finder of distributions, a zip file on sys.path, a file it could
    not read or decode) answers True, and importlib.metadata decides.
    """
    if any(
        getattr(finder, "find_distributions", None) is not None and finder is not importlib.machinery.PathFinder
        for finder in sys.meta_path
    ):
        return True
    for entry in sys.path:
        directories = _metadata_directories(entry) if isinstance(entry, str) else None
        if directories is None or any(_may_declare(directory, group) for directory in directories):
            return True
    return False


def _metadata_directories(entry: str) -> list[str] | None:
    """The metadata directories importlib.metadata finds in one sys.path entry; None if it may be a zip."""
    root = entry or "."
    try:
        children = os.listdir(root)
    except (OSError, ValueError):
        # importlib.metadata then reads root as a zip file: nothing there when root does not exist.
        return [] if not os.path.lexists(root) else None
    in_egg = os.path.basename(entry).lower().endswith(".egg")
    return [
        os.path.join(root, child)
        for child in children
        if child.lower().endswith((".dist-info", ".egg-info")) or (in_egg and child.lower() == "egg-info")
    ]


def _may_declare(directory: str, group: str) -> bool:
    """Whether entry_points.txt in directory may name group; the errors importlib.metadata ignores mean no."""
    try:
        with open(os.path.join(directory, "entry_points.txt"), "rb") as handle:
            content = handle.read()
    except (FileNotFoundError, IsADirectoryError, NotADirectoryError, PermissionError):
        return False
    except OSError:
        return True
    try:
        return group in content.decode("utf-8")
    except UnicodeDecodeError:
        return True


def select_codes(
    codes: Iterable[str],
    select: Sequence[str] | None,
    extend_select: Sequence[str] = (),
    ignore: Sequence[str] = (),
) -> list[str]:
    """Codes enabled by prefix selection: the longest matching prefix decides, as in ruff."""
    chosen = []
    selectors = [(prefix, True) for prefix in (select if select is not None else ["ALL"])]
    selectors += [(prefix, True) for prefix in extend_select]
    selectors += [(prefix, False) for prefix in ignore]
    for code in codes:
        verdict, length = False, -1
        for prefix, enabled in selectors:
            matched = 0 if prefix == "ALL" else len(prefix) if code.startswith(prefix) else -1
            if matched > length or (matched == length and matched >= 0 and not enabled):
                verdict, length = enabled, matched
        if verdict:
            chosen.append(code)
    return chosen
