"""linter.fixes: the exact bytes each operation writes in each format (golden files), re-read to the intended document.

A case is three files in tests/fixes/: the input, `<input>.fix.json` (the operation: append, replace or
remove) and `<input>.fixed` (the text after the edits). `ENTRALINT_UPDATE_FIXES=1 pytest tests/test_fix_edits.py`
rewrites the `.fixed` files; review their diff.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from linter import fixes
from linter.model.source import decode_text
from tests.fix_edits import apply_edits, comparable, documents, intended, run

CASES = Path(__file__).resolve().parent / "fixes"
INPUTS = sorted(path for path in CASES.iterdir() if not path.name.endswith((".fix.json", ".fixed")))


def test_every_case_has_an_operation_and_a_golden_file() -> None:
    assert INPUTS
    for path in INPUTS:
        assert path.with_name(path.name + ".fix.json").is_file(), path.name
        assert path.with_name(path.name + ".fixed").is_file() or os.environ.get("ENTRALINT_UPDATE_FIXES"), path.name


@pytest.mark.parametrize("path", INPUTS, ids=[path.name for path in INPUTS])
def test_edits_write_the_golden_text_and_the_intended_document(path: Path) -> None:
    operation = json.loads(path.with_name(path.name + ".fix.json").read_text(encoding="utf-8"))
    text = decode_text(path.read_bytes())
    before = documents(path.name, text)
    edits = []
    for document in before:
        result = run(document, operation)
        assert not isinstance(result, fixes.NoFix), result
        assert result, f"{document.identity}: no edit"
        edits.extend(result)
    fixed = apply_edits(text, edits)
    golden = path.with_name(path.name + ".fixed")
    if os.environ.get("ENTRALINT_UPDATE_FIXES"):
        golden.write_text(fixed, encoding="utf-8")
    assert fixed == golden.read_text(encoding="utf-8")
    after = documents(path.name, fixed)
    assert [document.identity for document in after] == [document.identity for document in before]
    for old, new in zip(before, after, strict=True):
        assert comparable(new, operation) == intended(old, operation)
        # Idempotent: the operation asked again of the fixed file offers no edit.
        assert run(new, operation) == ()


def _only(path: str, text: str) -> fixes.Edits | fixes.NoFix:
    (document,) = documents(path, text)
    return fixes.append_to_list(document, "/conditions/applications/excludeApplications", "x")


def test_computed_values_get_no_fix() -> None:
    text = (
        'resource "azuread_conditional_access_policy" "p" {\n  display_name = "p"\n  state = "enabled"\n'
        '  conditions {\n    client_app_types = ["all"]\n    applications {\n'
        '      included_applications = ["All"]\n      excluded_applications = var.excluded\n    }\n'
        '    users {\n      included_users = ["All"]\n    }\n  }\n'
        '  grant_controls {\n    operator = "OR"\n    built_in_controls = ["block"]\n  }\n}\n'
    )
    assert _only("main.tf", text) == fixes.NoFix("no fix: computed value")
    concatenated = text.replace("var.excluded", 'concat(var.excluded, ["a"])')
    assert _only("main.tf", concatenated) == fixes.NoFix("no fix: computed value")


def test_terraform_plans_get_no_fix() -> None:
    plan = (Path(__file__).resolve().parent.parent / "examples" / "terraform-json" / "plan.json").read_text("utf-8")
    loaded = documents("plan.json", plan)
    found = [fixes.append_to_list(document, "/conditions/users/excludeUsers", "x") for document in loaded]
    assert found and all(isinstance(result, fixes.NoFix) and "plan" in result.reason for result in found)


FLOW_MAPPING = (
    "displayName: Block device code flow\n"
    "state: enabled\n"
    "conditions:\n"
    "  users: {includeUsers: [All]}\n"
    "  applications: {includeApplications: [All]}  # all resources\n"
    "  authenticationFlows: {transferMethods: deviceCodeFlow}\n"
    "grantControls:\n"
    "    operator: OR\n"
    "    builtInControls: [block]\n"
)
EXCLUDED = "/conditions/applications/excludeApplications"


def test_a_key_in_a_yaml_flow_mapping_is_added_by_a_proven_round_trip() -> None:
    text = FLOW_MAPPING.replace(
        "grantControls:\n    operator: OR\n    builtInControls: [block]\n", "grantControls: {}\n"
    )
    (document,) = documents("policy.yaml", text)
    edits = fixes.append_to_list(document, EXCLUDED, "x-1")
    assert not isinstance(edits, fixes.NoFix), edits
    fixed = apply_edits(text, edits)
    assert fixed == text.replace("[All]}  #", "[All], excludeApplications: [x-1]} #")
    assert fixes.append_to_list(documents("policy.yaml", fixed)[0], EXCLUDED, "x-1") == ()


def test_a_round_trip_that_would_rewrite_other_lines_is_refused() -> None:
    # ruamel.yaml writes one indentation: the grant's four spaces would become two, outside the change.
    (document,) = documents("policy.yaml", FLOW_MAPPING)
    refused = fixes.NoFix("no fix: rewriting the YAML would change lines outside the mapping")
    assert fixes.append_to_list(document, EXCLUDED, "x-1") == refused
    (crlf,) = documents("policy.yaml", FLOW_MAPPING.replace("\n", "\r\n"))
    assert isinstance(fixes.append_to_list(crlf, EXCLUDED, "x-1"), fixes.NoFix)
