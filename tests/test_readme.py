"""The README's promises: its rule table is the generated one, and CI runs its set-up commands."""

from __future__ import annotations

import re

from linter.docs import rules_table
from linter.engine.registry import load_rules
from tests.conftest import REPO
from tests.test_fresh_machine import fresh_clone

README = (REPO / "README.md").read_text(encoding="utf-8")


def test_rule_table_is_generated_from_the_rules() -> None:
    match = re.search(r"<!-- rules-table:[^\n]*-->\n(.*?)<!-- rules-table: end -->", README, re.DOTALL)
    assert match is not None
    assert match.group(1) == rules_table(load_rules(entry_points=False)), "paste `entralint rules --format markdown`"


def test_ci_runs_the_readme_set_up_commands_verbatim_with_the_exit_codes_it_states() -> None:
    commands = re.findall(r"```sh\n(.*?)\n```", README, re.DOTALL)[:2]
    assert [(step.command, step.exit_code) for step in fresh_clone.setup_commands(README)] == [
        (commands[0], 1),  # the sample tenant has findings on purpose
        (commands[1], 0),
    ]
    assert commands[0].endswith("entralint check examples/")
    assert commands[1].endswith("pytest")
    assert "python .ci/fresh_clone.py" in (REPO / ".ci" / "run").read_text(encoding="utf-8")
