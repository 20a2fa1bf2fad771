"""Scaffold a built-in rule: `python scripts/new_rule.py ID NAME`, e.g. `... CA012 risky-sign-ins`.

Writes three things and runs nothing:
- `rules/<id>_<name>.py`: the rule's metadata, a docstring with every section the docs generator and the
  meta-tests require, and a small working `check` (it reports disabled Conditional Access policies) that
  you replace with the rule's own;
- `tests/rules/<ID>/fail_disabled.json` and `pass_enabled.json`, each with its `.expected.json`.

The registry discovers every `rules/*.py` module, so the rule runs at once; its help says it was
scaffolded, and tests/test_meta.py fails on such help, so it cannot ship before you rewrite it.
Then: rewrite the check, help and fixtures, `pytest tests/test_rules.py -k ID --update-expected`
(review the diff), and `python -m linter.docs`. See CONTRIBUTING.md, "Adding a rule".
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
# The forms the registry enforces (linter/engine/registry.py); kept here so scaffolding imports nothing of entralint.
CODE = re.compile(r"^[A-Z]{2}[0-9]{3}$")
NAME = re.compile(r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$")
# tests/test_meta.py rejects a built-in rule whose help still carries this.
SCAFFOLD_MARK = "Scaffolded by scripts/new_rule.py"

RULE_TEMPLATE = '''"""{code}: {summary_lower}."""

from __future__ import annotations

from collections.abc import Iterator

from linter.model import CONDITIONAL_ACCESS_POLICY, Document
from linter.rule import DocumentRule, Level, Violation


class {class_name}(DocumentRule):
    """
    ## What it checks
    {mark}: this rule reports Conditional Access policies whose `state` is `disabled`.
    Replace this text, the summary and `check` with what {code} is for.

    ## Why it matters
    {mark}: a disabled policy neither enforces nor logs anything, so the tenant is not
    protected the way the policy's name suggests.

    ## Example
    ```json
    {{"displayName": "Require MFA for admins", "state": "disabled"}}
    ```

    ## How to fix
    {mark}: set `"state": "enabledForReportingButNotEnforced"`, read the sign-in logs, then
    `"enabled"`; in Terraform, `state = "enabled"`.

    ## References
    - https://learn.microsoft.com/entra/identity/conditional-access/concept-conditional-access-policies
    """

    code = "{code}"
    name = "{name}"
    summary = "{summary}"
    level = Level.WARNING
    kinds = frozenset({{CONDITIONAL_ACCESS_POLICY}})

    def check(self, document: Document) -> Iterator[Violation]:
        if document.get("/state") == "disabled":
            yield self.violation(document, f"policy {{document.get('/displayName')!r}} is disabled", "/state")
'''

FAILING_INPUT = """{
  "displayName": "Require MFA for admins",
  "state": "disabled",
  "conditions": {
    "users": {"includeRoles": ["62e90394-69f5-4237-9190-012177145e10"]},
    "applications": {"includeApplications": ["All"]}
  },
  "grantControls": {"operator": "OR", "builtInControls": ["mfa"]}
}
"""
PASSING_INPUT = FAILING_INPUT.replace('"state": "disabled"', '"state": "enabled"')


def failing_expectation(code: str) -> list[dict[str, object]]:
    """What the starter check reports on FAILING_INPUT, as tests/test_rules.py compares it."""
    line = FAILING_INPUT.splitlines().index('  "state": "disabled",') + 1
    return [
        {
            "code": code,
            "level": "warning",
            "message": "policy 'Require MFA for admins' is disabled",
            "path": "fail_disabled.json",
            "line": line,
            "column": 12,
            "end_line": line,
            "end_column": 22,
            "pointer": "/state",
            "policy": "Require MFA for admins",
        }
    ]


def module_name(code: str, name: str) -> str:
    return f"{code.lower()}_{name.replace('-', '_')}"


def scaffold(code: str, name: str, root: Path = REPO) -> list[Path]:
    """Write the rule module and its fixture folder under root; the paths written, in order."""
    if not CODE.match(code):
        raise ValueError(f"{code!r} is not a rule code: two capitals and three digits, e.g. CA012")
    if not NAME.match(name):
        raise ValueError(f"{name!r} is not a rule name: kebab-case, e.g. risky-sign-ins")
    rules_dir, fixtures = root / "rules", root / "tests" / "rules" / code
    taken = sorted(rules_dir.glob(f"{code.lower()}_*.py"))
    if taken or fixtures.exists():
        raise ValueError(f"{code} is taken: {', '.join(str(path) for path in [*taken, fixtures] if path.exists())}")
    words = name.split("-")
    summary = " ".join(words).capitalize()
    module = rules_dir / f"{module_name(code, name)}.py"
    module.write_text(
        RULE_TEMPLATE.format(
            code=code,
            name=name,
            summary=summary,
            summary_lower=summary[0].lower() + summary[1:],
            class_name="".join(word.capitalize() for word in words),
            mark=SCAFFOLD_MARK,
        ),
        encoding="utf-8",
    )
    fixtures.mkdir(parents=True)
    written = [module]
    for input_name, text, expected in (
        ("fail_disabled.json", FAILING_INPUT, failing_expectation(code)),
        ("pass_enabled.json", PASSING_INPUT, []),
    ):
        (fixtures / input_name).write_text(text, encoding="utf-8")
        expectation = fixtures / f"{input_name}.expected.json"
        expectation.write_text(json.dumps(expected, indent=2) + "\n", encoding="utf-8")
        written += [fixtures / input_name, expectation]
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Scaffold a built-in rule module and its fixture folder.")
    parser.add_argument("code", metavar="ID", help="the rule code, e.g. CA012")
    parser.add_argument("name", metavar="NAME", help="the rule name in kebab-case, e.g. risky-sign-ins")
    parser.add_argument("--root", type=Path, default=REPO, help="the repository to write into (default: this one)")
    arguments = parser.parse_args(argv)
    try:
        written = scaffold(arguments.code, arguments.name, arguments.root)
    except ValueError as error:
        print(f"new_rule.py: {error}", file=sys.stderr)
        return 2
    for path in written:
        print(f"wrote {path}")
    print(
        f"next: rewrite the check, help and fixtures; pytest tests/test_rules.py -k {arguments.code} "
        "--update-expected (review the diff); python -m linter.docs"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
