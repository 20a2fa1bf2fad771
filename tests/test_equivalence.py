"""One policy in every format and form, one normalized document: rules never know where a policy came from."""

from __future__ import annotations

from pathlib import Path

import pytest

from linter.loaders import load_text
from linter.model import CONDITIONAL_ACCESS_POLICY
from linter.model.source import decode_text

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "equivalence"
FORMATS = {
    "policy.json": "graph-json",
    "policy.yaml": "graph-yaml",
    "policy.tf": "terraform-hcl",
    "policy.tf.json": "terraform-json",
    "plan.json": "terraform-plan",
    "azuredeploy.json": "arm",
    "policy.ps1": "microsoft365dsc",
    "policy.m365dsc-report.json": "microsoft365dsc-json",
    "policy.snapshot.json": "configuration-snapshot",
    "policy.dsc.yaml": "dsc-yaml",
    "graph-sdk-inline.ps1": "powershell",
    "graph-sdk-variable.ps1": "powershell",
    "graph-request-json.ps1": "powershell",
}


def load(name: str) -> tuple[str, dict[str, object]]:
    path = FIXTURES / name
    result = load_text(name, decode_text(path.read_bytes()))
    assert result is not None, name
    assert result.problems == (), result.problems
    [document] = result.documents
    assert document.kind == CONDITIONAL_ACCESS_POLICY
    return document.source_format, dict(document.data)


@pytest.mark.parametrize("name", sorted(FORMATS))
def test_every_format_normalizes_to_the_graph_document(name: str) -> None:
    source_format, data = load(name)
    _, expected = load("policy.json")
    assert source_format == FORMATS[name]
    assert data == expected


def test_the_graph_document_is_the_canonical_form() -> None:
    _, data = load("policy.json")
    assert data["conditions"]["authenticationFlows"] == {
        "transferMethods": ["deviceCodeFlow", "authenticationTransfer"]
    }
    assert data["sessionControls"]["signInFrequency"]["value"] == 8
