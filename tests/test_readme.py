"""The README's promises: its rule table is the generated one, and CI runs its test command."""

from __future__ import annotations

import re

from linter.docs import rules_table
from linter.engine.registry import load_rules
from tests.conftest import REPO

README = (REPO / "README.md").read_text(encoding="utf-8")


def test_rule_table_is_generated_from_the_rules() -> None:
    match = re.search(r"<!-- rules-table:[^\n]*-->\n(.*?)<!-- rules-table: end -->", README, re.DOTALL)
    assert match is not None
    assert match.group(1) == rules_table(load_rules(entry_points=False)), "paste `entralint rules --format markdown`"


def test_ci_runs_the_readme_test_command() -> None:
    commands = re.findall(r"```sh\n(.*?)\n```", README, re.DOTALL)
    assert len(commands) >= 2
    install_and_run, install_and_test = commands[0], commands[1]
    assert "entralint check examples/" in install_and_run
    assert install_and_test.endswith("pytest")
    ci = (REPO / ".ci" / "run").read_text(encoding="utf-8")
    for step in install_and_test.split(" && "):
        if step.startswith(". .venv"):
            continue
        assert step in ci, step
