"""How `entralint diff` writes its answer: text for a terminal, markdown for a job summary, JSON (docs/diff.md)."""

from __future__ import annotations

import html
import json
import re
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, NamedTuple, TextIO

from linter.model.display import neutral, neutral_line_start

if TYPE_CHECKING:
    from linter.policy.outcomes import ClassOutcome
    from linter.policy.safety import SafetyCheck
    from linter.policy.semantic_diff import Change

__all__ = ["WRITERS", "TenantDiff", "to_json"]

JSON_VERSION = 1
_SHOWN_CLASSES = 3
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+!|~-])")


class TenantDiff(NamedTuple):
    """One tenant's changes of outcome and safety checks."""

    tenant: str
    changes: tuple[Change, ...]
    checks: tuple[SafetyCheck, ...]
    policies: tuple[int, int]  # Conditional Access policies before and after


def _policies(names: Sequence[str]) -> str:
    return ", ".join(repr(name) for name in names) if names else "none"


def _outcome_json(outcome: ClassOutcome) -> dict[str, Any]:
    return {
        "outcome": outcome.describe(),
        "blocked": outcome.blocked,
        "grant": [sorted(way) for way in outcome.ways],
        "session": outcome.session.describe(),
        "depends": list(outcome.depends),
        "policies": list(outcome.policies),
    }


def to_json(results: Sequence[TenantDiff], base: str, head: str) -> dict[str, Any]:
    """The stable JSON document docs/diff.md describes."""
    return {
        "version": JSON_VERSION,
        "base": base,
        "head": head,
        "tenants": [
            {
                "tenant": result.tenant,
                "policies": {"base": result.policies[0], "head": result.policies[1]},
                "safety": [check._asdict() | {"policies": list(check.policies)} for check in result.checks],
                "changes": [
                    {
                        "kind": change.kind,
                        "before": _outcome_json(change.before),
                        "after": _outcome_json(change.after),
                        "classes": [
                            {"description": sign_in.describe(), "conditions": {k: list(v) for k, v in sign_in.parts}}
                            for sign_in in change.classes
                        ],
                    }
                    for change in result.changes
                ],
            }
            for result in results
        ],
    }


def write_json(results: Sequence[TenantDiff], base: str, head: str, out: TextIO) -> None:
    json.dump(to_json(results, base, head), out, indent=2)
    out.write("\n")


def write_text(results: Sequence[TenantDiff], base: str, head: str, out: TextIO) -> None:
    out.write(f"entralint diff {neutral(base)} -> {neutral(head)}\n")
    for result in results:
        before, after = result.policies
        out.write(f"\ntenant {neutral(result.tenant)}: {before} -> {after} Conditional Access policies\n")
        for check in result.checks:
            status = "FAILED" if check.failed else "note"
            out.write(f"  safety {status}: {check.check}: {neutral(check.message)}\n")
        if not result.changes:
            out.write("  no change in what any sign-in must do\n")
        for change in result.changes:
            out.write(f"  {change.kind}: {neutral(change.before.describe())} -> {neutral(change.after.describe())}\n")
            for sign_in in change.classes:
                out.write(f"    {neutral_line_start(sign_in.describe())}\n")
            out.write(f"    policies before: {neutral(_policies(change.before.policies))}\n")
            out.write(f"    policies after: {neutral(_policies(change.after.policies))}\n")


def _md(text: str) -> str:
    """Input-derived text inert in markdown: no HTML, no link, no table cell break, no workflow command."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", html.escape(neutral(text), quote=False))


def _row(tenant: str, change: Change) -> str:
    shown = "<br>".join(_md(sign_in.describe()) for sign_in in change.classes[:_SHOWN_CLASSES])
    more = len(change.classes) - _SHOWN_CLASSES
    if more > 0:
        shown += f"<br>and {more} more"
    cells = [_md(tenant), f"**{change.kind}**", shown, _md(change.before.describe()), _md(change.after.describe())]
    return "| " + " | ".join(cells) + " |\n"


def write_markdown(results: Sequence[TenantDiff], base: str, head: str, out: TextIO) -> None:
    out.write(f"### entralint diff: {_md(base)} → {_md(head)}\n\n")
    checks = [(result.tenant, check) for result in results for check in result.checks]
    for tenant, check in checks:
        status = "❌ **safety check failed**" if check.failed else "ℹ️ note"
        out.write(f"- {status} ({_md(tenant)}, {check.check}): {_md(check.message)}\n")
    if checks:
        out.write("\n")
    changes = [(result.tenant, change) for result in results for change in result.changes]
    if not changes:
        out.write("No change in what any sign-in must do.\n")
        return
    out.write("| tenant | change | sign-ins | before | after |\n|---|---|---|---|---|\n")
    for tenant, change in changes:
        out.write(_row(tenant, change))
    out.write("\n<details><summary>Every class of sign-in, and the policies responsible</summary>\n\n")
    for tenant, change in changes:
        out.write(f"#### {_md(tenant)}: {change.kind}\n\n")
        out.write(f"Before: {_md(change.before.describe())} (policies: {_md(_policies(change.before.policies))})  \n")
        out.write(f"After: {_md(change.after.describe())} (policies: {_md(_policies(change.after.policies))})\n\n")
        for sign_in in change.classes:
            out.write(f"- {_md(sign_in.describe())}\n")
        out.write("\n")
    out.write("</details>\n")


WRITERS: dict[str, Callable[[Sequence[TenantDiff], str, str, TextIO], None]] = {
    "text": write_text,
    "markdown": write_markdown,
    "json": write_json,
}
