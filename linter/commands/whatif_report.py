"""The what-if answer as a portal-style table or as JSON."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import IO, Any

from linter.model import Document
from linter.policy.apps import app_label
from linter.policy.combine import Outcome, outcome, requirement, session_of
from linter.policy.context import SignInContext
from linter.policy.evaluate import Evaluator, PolicyResult

__all__ = ["write_json", "write_table"]

APPLIES = {True: "yes", False: "no", None: "depends"}


def _row(result: PolicyResult) -> dict[str, Any]:
    grant = requirement(result.policy)
    session = session_of([result.policy]).describe()
    decided = f"{result.condition}: {result.reason}" if result.condition else result.reason
    if result.depends:
        decided += "; depends on " + ", ".join(result.depends)
    return {
        "policy": result.policy.name,
        "file": result.policy.document.path,
        "line": result.policy.document.line,
        "state": result.state,
        "applies": APPLIES[result.applies],
        "condition": result.condition,
        "reason": decided,
        "depends": list(result.depends),
        "grant": grant.describe() if (grant.controls or grant.blocks) else "",
        "session": session,
    }


def _combined(result: Outcome) -> dict[str, Any]:
    return {
        "verdict": result.verdict,
        "blockedBy": [policy.name for policy in result.blocked_by],
        "grantControls": [
            {"policy": r.policy.name, "operator": r.operator, "controls": list(r.controls)}
            for r in result.requirements
            if r.controls
        ],
        "sessionControls": result.session.describe(),
        "dependsOn": [policy.name for policy in result.maybe],
        "reportOnly": [policy.name for policy in result.report_only],
    }


def _answer(documents: Sequence[Document], context: SignInContext) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    evaluator = Evaluator(documents)
    rows = [_row(result) for result in evaluator.evaluate(context)]
    return rows, _combined(outcome(evaluator, context))


def write_json(documents: Sequence[Document], context: SignInContext, out: IO[str]) -> None:
    rows, combined = _answer(documents, context)
    json.dump({"policies": rows, "result": combined}, out, indent=2, ensure_ascii=False)
    out.write("\n")


def write_table(documents: Sequence[Document], context: SignInContext, out: IO[str]) -> None:
    rows, combined = _answer(documents, context)
    out.write(f"What if: {app_label(context.target)}, {context.client_app}, {context.platform or 'any platform'}\n\n")
    headers = ("policy", "state", "applies", "deciding condition", "grant", "session")
    keys = ("policy", "state", "applies", "reason", "grant", "session")
    enforced = [row for row in rows if row["state"] != "enabledForReportingButNotEnforced"]
    report_only = [row for row in rows if row["state"] == "enabledForReportingButNotEnforced"]
    for title, group in (("Policies", enforced), ("Report-only policies (evaluated, not enforced)", report_only)):
        if not group:
            continue
        out.write(f"{title}\n")
        widths = [
            min(60, max(len(header), *(len(str(row[key])) for row in group)))
            for header, key in zip(headers, keys, strict=True)
        ]
        out.write("  ".join(header.ljust(width) for header, width in zip(headers, widths, strict=True)).rstrip() + "\n")
        for row in group:
            cells = [_cut(str(row[key]), width).ljust(width) for key, width in zip(keys, widths, strict=True)]
            out.write("  ".join(cells).rstrip() + "\n")
        out.write("\n")
    out.write(f"Result: {combined['verdict']}\n")
    if combined["blockedBy"]:
        out.write(f"  blocked by: {', '.join(combined['blockedBy'])}\n")
    for grant in combined["grantControls"]:
        joined = f" {grant['operator']} ".join(grant["controls"])
        out.write(f"  {grant['policy']}: {joined}\n")
    if combined["sessionControls"]:
        out.write(f"  session: {combined['sessionControls']}\n")
    if combined["dependsOn"]:
        out.write(f"  depends on unresolved values: {', '.join(combined['dependsOn'])}\n")
    if combined["reportOnly"]:
        out.write(f"  report-only, would apply: {', '.join(combined['reportOnly'])}\n")


def _cut(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"
