"""Rule documentation generated from rule metadata: `entralint rules`, `explain`, and docs/rules/."""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from linter.rule import Rule

if TYPE_CHECKING:
    from linter.benchmarks import Benchmark, Control

__all__ = ["benchmark_listing", "rule_page", "rules_listing", "rules_table", "write_rule_docs"]


def _options_section(rule: type[Rule]) -> str:
    if not rule.options:
        return ""
    rows = "\n".join(
        f"| `{option.name}` | {option.type} | `{json.dumps(option.default)}` | {option.description} |"
        for option in rule.options
    )
    return (
        "\n## Options\n"
        f"Set under `[tool.entralint.rules.{rule.code}]`.\n\n"
        "| option | type | default | description |\n|---|---|---|---|\n"
        f"{rows}\n"
    )


def _benchmarks_section(rule: type[Rule]) -> str:
    if not rule.benchmarks:
        return ""
    from linter.benchmarks import control_title

    rows = "\n".join(
        f"| `{reference.benchmark}` | `{reference.control}` | {control_title(reference)} |"
        for reference in rule.benchmarks
    )
    return (
        "\n## Benchmark controls\n"
        "The rule decides these controls from the policy files (`entralint benchmark NAME` lists a whole "
        "benchmark; see docs/benchmarks.md).\n\n"
        "| benchmark | control | title |\n|---|---|---|\n"
        f"{rows}\n"
    )


def rule_page(rule: type[Rule]) -> str:
    """One rule's Markdown page: metadata, then its help, options and the benchmark controls it decides."""
    tags = ", ".join(rule.tags) or "-"
    return (
        f"# {rule.code} {rule.name}\n\n"
        f"{rule.summary}.\n\n"
        f"- Level: `{rule.level.value}`\n"
        f"- Scope: `{rule.scope.value}`\n"
        f"- Tags: {tags}\n\n"
        f"{rule.help()}\n"
        f"{_options_section(rule)}"
        f"{_benchmarks_section(rule)}"
    )


def rules_table(rules: Mapping[str, type[Rule]]) -> str:
    rows = "\n".join(
        f"| [{code}](docs/rules/{code}.md) | {rule.name} | {rule.level.value} | {rule.scope.value} | {rule.summary} |"
        for code, rule in rules.items()
    )
    return "| id | name | level | scope | summary |\n|---|---|---|---|---|\n" + rows + "\n"


def rules_listing(rules: Mapping[str, type[Rule]], format: str) -> str:
    if format == "json":
        entries = [
            {
                "id": code,
                "name": rule.name,
                "level": rule.level.value,
                "scope": rule.scope.value,
                "summary": rule.summary,
                "tags": list(rule.tags),
                "benchmarks": [
                    {"benchmark": reference.benchmark, "control": reference.control} for reference in rule.benchmarks
                ],
                "options": [
                    {
                        "name": option.name,
                        "type": option.type,
                        "default": option.default,
                        "description": option.description,
                    }
                    for option in rule.options
                ],
            }
            for code, rule in rules.items()
        ]
        return json.dumps(entries, indent=2) + "\n"
    if format == "markdown":
        return rules_table(rules)
    width = max((len(rule.name) for rule in rules.values()), default=0)
    return "".join(
        f"{code}  {rule.name:<{width}}  {rule.level.value:<7}  {rule.scope.value:<8}  {rule.summary}\n"
        for code, rule in rules.items()
    )


def benchmark_listing(benchmark: Benchmark, rules: Mapping[str, type[Rule]], format: str) -> str:
    """`entralint rules --benchmark NAME`: each control of the benchmark and the rules that decide it."""
    deciders = {
        control.id: [
            code
            for code, rule in rules.items()
            if any(ref.benchmark == benchmark.name and ref.control == control.id for ref in rule.benchmarks)
        ]
        for control in benchmark.controls
    }
    if format == "json":
        entries = [
            {
                "control": control.id,
                "title": control.title,
                "rules": deciders[control.id],
                "needs": control.needs,
                "offline": control.offline,
            }
            for control in benchmark.controls
        ]
        return (
            json.dumps({"benchmark": benchmark.name, "version": benchmark.version, "controls": entries}, indent=2)
            + "\n"
        )
    if format == "markdown":
        rows = "".join(
            f"| `{control.id}` | {control.title} | {', '.join(deciders[control.id]) or _undecided(control)} |\n"
            for control in benchmark.controls
        )
        return f"| control | title | decided by |\n|---|---|---|\n{rows}"
    width = max((len(control.id) for control in benchmark.controls), default=0)
    return "".join(
        f"{control.id:<{width}}  {','.join(deciders[control.id]) or '-':<11}  {control.title}"
        f"{'' if deciders[control.id] else f' ({_undecided(control)})'}\n"
        for control in benchmark.controls
    )


def _undecided(control: Control) -> str:
    if control.offline:
        return "no rule yet"
    return f"needs the live tenant: {control.needs}"


def write_rule_docs(rules: Mapping[str, type[Rule]], directory: Path) -> None:
    """Regenerate docs/rules/: one page per rule and an index."""
    directory.mkdir(parents=True, exist_ok=True)
    for code, rule in rules.items():
        (directory / f"{code}.md").write_text(rule_page(rule), encoding="utf-8")
    index = "# Rules\n\nGenerated by `python -m linter.docs`; do not edit.\n\n" + rules_table(rules).replace(
        "(docs/rules/", "("
    )
    (directory / "README.md").write_text(index, encoding="utf-8")


if __name__ == "__main__":
    from linter.engine.registry import load_rules

    write_rule_docs(load_rules(entry_points=False), Path(__file__).resolve().parent.parent / "docs" / "rules")
