"""The walls between entralint's packages, and no import cycle: read from the source with ast, every import counted.

Imports inside functions and under `if TYPE_CHECKING:` count as much as those at the top: a lazy import
is still a dependency, and a cycle through one is still a cycle the next refactoring trips over.
"""

from __future__ import annotations

import ast
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

REPOSITORY = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures" / "architecture"

# Which layer a module belongs to: the longest matching prefix wins.
LAYERS = {
    "linter": "package metadata",  # __version__, HOMEPAGE, rule_doc_url: standard library only
    "linter.model": "model",
    "linter.benchmarks": "benchmarks",
    "linter.rule": "rule API",
    "linter.policy": "policy",
    "linter.loaders": "loaders",
    "linter.engine": "engine",
    "linter.reporters": "reporters",
    "linter.rules": "rules",
    "linter.commands": "commands",
    "linter.cli": "commands",
    "linter.arguments": "commands",
    "linter.docs": "commands",
    "linter.__main__": "commands",
}

# The walls: what each layer may import besides its own modules. The model and the package metadata
# import only the standard library; every other layer may also use third-party packages.
MAY_IMPORT = {
    "package metadata": set(),
    "model": set(),
    "benchmarks": {"model"},
    "rule API": {"model"},
    "policy": {"model"},
    "loaders": {"model"},
    "reporters": {"model", "package metadata"},
    "rules": {"model", "policy", "rule API", "package metadata"},
    # The baseline reads SARIF files: it shares the SARIF reporter's fingerprint key.
    "engine": {"model", "rule API", "policy", "loaders", "reporters", "package metadata"},
    "commands": {
        "model",
        "benchmarks",
        "rule API",
        "policy",
        "loaders",
        "engine",
        "reporters",
        "rules",
        "package metadata",
    },
}
STANDARD_LIBRARY_ONLY = {"model", "benchmarks", "package metadata"}


def layer_of(module: str) -> str:
    parts = module.split(".")
    for length in range(len(parts), 0, -1):
        layer = LAYERS.get(".".join(parts[:length]))
        if layer is not None:
            return layer
    return "third party"


def module_files(root: Path) -> dict[str, Path]:
    """Module name -> file, for linter/ and rules/ (shipped as linter.rules) under root."""
    modules: dict[str, Path] = {}
    for folder, package in (("linter", "linter"), ("rules", "linter.rules")):
        for path in sorted((root / folder).rglob("*.py")):
            parts = [package, *path.relative_to(root / folder).with_suffix("").parts]
            if parts[-1] == "__init__":
                parts.pop()
            modules[".".join(parts)] = path
    return modules


def _imports(tree: ast.Module, module: str, is_package: bool, modules: dict[str, Path]) -> Iterator[tuple[str, int]]:
    """(imported module, line) for every import statement anywhere in the tree.

    `import a.b.c` depends on a.b.c, not on a or a.b (whose `__init__` Python runs, but whose content
    the importer does not use); `from a import b` depends on the module a.b if there is one, else on a.
    Outside linter/ only the top-level name matters: standard library or not.
    """
    package = module if is_package else module.rpartition(".")[0]
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.rsplit(".", node.level - 1)[0]
                source = f"{base}.{node.module}" if node.module else base
            else:
                source = node.module or ""
            targets = [
                f"{source}.{alias.name}" if f"{source}.{alias.name}" in modules else source for alias in node.names
            ]
        else:
            continue
        for target in targets:
            yield (target if layer_of(target) != "third party" else target.split(".")[0]), node.lineno


def import_graph(root: Path) -> dict[str, dict[str, int]]:
    """Module -> {imported module: line of its first import}, for every module in linter/ and rules/."""
    modules = module_files(root)
    graph: dict[str, dict[str, int]] = {}
    for module, path in modules.items():
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        edges: dict[str, int] = {}
        for target, line in _imports(tree, module, path.name == "__init__.py", modules):
            if target != module:
                edges.setdefault(target, line)
        graph[module] = edges
    return graph


def wall_breaks(graph: dict[str, dict[str, int]], modules: dict[str, Path]) -> list[str]:
    """One message per import that crosses a wall, each ending with where the import is written."""
    problems = []
    for module, edges in sorted(graph.items()):
        layer = layer_of(module)
        for target, line in sorted(edges.items()):
            target_layer = layer_of(target)
            if target_layer == "third party":
                standard = target in sys.stdlib_module_names or target == "__future__"
                if layer not in STANDARD_LIBRARY_ONLY or standard:
                    continue
                message = f"{module} ({layer}) imports {target}: the {layer} is standard library only"
            elif target_layer == layer or target_layer in MAY_IMPORT[layer]:
                continue
            else:
                allowed = ", ".join(sorted(MAY_IMPORT[layer])) or "nothing outside itself"
                message = f"{module} ({layer}) imports {target} ({target_layer}); the {layer} may import {allowed}"
            problems.append(f"{message} [at {modules[module].as_posix()}:{line}]")
    return problems


def cycles(graph: dict[str, dict[str, int]]) -> list[list[str]]:
    """Every strongly connected set of two or more modules (Tarjan), each as one cycle through it."""
    internal = {module: sorted(target for target in edges if target in graph) for module, edges in graph.items()}
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(module: str) -> None:
        index[module] = low[module] = len(index)
        stack.append(module)
        on_stack.add(module)
        for target in internal[module]:
            if target not in index:
                visit(target)
                low[module] = min(low[module], low[target])
            elif target in on_stack:
                low[module] = min(low[module], index[target])
        if low[module] == index[module]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == module:
                    break
            if len(component) > 1:
                found.append(_cycle_through(sorted(component), internal))

    for module in sorted(internal):
        if module not in index:
            visit(module)
    return found


def _cycle_through(component: list[str], internal: dict[str, list[str]]) -> list[str]:
    """A shortest path from the component's first module back to itself, for the message."""
    members = set(component)
    start = component[0]
    paths = {start: [start]}
    queue = [start]
    while queue:
        module = queue.pop(0)
        for target in internal[module]:
            if target == start:
                return [*paths[module], start]
            if target in members and target not in paths:
                paths[target] = [*paths[module], target]
                queue.append(target)
    return component


def architecture_problems(root: Path) -> list[str]:
    modules = module_files(root)
    graph = import_graph(root)
    return wall_breaks(graph, modules) + [f"import cycle: {' -> '.join(cycle)}" for cycle in cycles(graph)]


def test_the_source_tree_keeps_the_walls_and_has_no_import_cycle() -> None:
    problems = architecture_problems(REPOSITORY)
    assert problems == [], "\n".join(problems)


def test_every_module_belongs_to_a_layer() -> None:
    unplaced = [module for module in module_files(REPOSITORY) if layer_of(module) == "third party"]
    assert unplaced == []


# One small fake tree per problem issue 17 lists, and the message each must give.
CASES = {
    "reporters_import_engine": [
        "linter.reporters.json (reporters) imports linter.engine.run (engine); "
        "the reporters may import model, package metadata",
    ],
    "reporters_import_engine_files": [
        "linter.reporters.text (reporters) imports linter.engine.files (engine); "
        "the reporters may import model, package metadata",
    ],
    "model_imports_positions": [
        "linter.model (model) imports linter.loaders.positions (loaders); the model may import nothing outside itself",
    ],
    "model_imports_third_party": ["linter.model (model) imports yaml: the model is standard library only"],
    "files_loaders_function_cycle": [
        "linter.loaders (loaders) imports linter.engine.files (engine); the loaders may import model",
        "import cycle: linter.engine.files -> linter.loaders -> linter.engine.files",
    ],
    "loaders_config_function_cycle": [
        "linter.loaders (loaders) imports linter.engine.config (engine); the loaders may import model",
        "import cycle: linter.engine.config -> linter.loaders.json.parse -> linter.loaders -> linter.engine.config",
    ],
    "normalize_graph_function_cycle": [
        "import cycle: linter.loaders.graph -> linter.loaders.normalize.documents -> linter.loaders.graph",
    ],
    "type_checking_cycle": [
        "import cycle: linter.engine.file_check -> linter.engine.suppressions -> linter.engine.file_check",
    ],
    "policy_imports_loaders": [
        "linter.policy.evaluate (policy) imports linter.loaders (loaders); the policy may import model",
    ],
    "policy_imports_rules": [
        "linter.policy.compiled (policy) imports linter.rules.helpers (rules); the policy may import model",
    ],
    "rules_import_loaders": [
        "linter.rules.tl004_definition (rules) imports linter.loaders.json.scan (loaders); "
        "the rules may import model, package metadata, policy, rule API",
    ],
    "rules_import_engine": [
        "linter.rules.ca001_example (rules) imports linter.engine.files (engine); "
        "the rules may import model, package metadata, policy, rule API",
    ],
    "loaders_import_rules": [
        "linter.loaders.graph (loaders) imports linter.rules.ca001_example (rules); the loaders may import model",
    ],
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_each_listed_problem_fails_with_its_message(case: str) -> None:
    problems = architecture_problems(FIXTURES / case)
    assert [problem.partition(" [at ")[0] for problem in problems] == CASES[case]


def test_every_fixture_case_is_listed() -> None:
    assert sorted(path.name for path in FIXTURES.iterdir() if path.is_dir()) == sorted(CASES)
