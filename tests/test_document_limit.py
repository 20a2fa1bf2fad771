"""The limit on documents read from one file (linter/loaders/document_limit.py; docs/reliability.md, Bounds)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from linter.loaders import document_limit, load_text
from linter.loaders.result import LoadResult
from tests.conftest import run_cli

YAML_POLICY = "---\ndisplayName: P\nstate: enabled\nconditions: {users: {includeUsers: [All]}}\ngrantControls: {}\n"
JSON_POLICY = (
    '{"displayName": "P", "state": "enabled", "conditions": {"users": {"includeUsers": ["All"]}}, "grantControls": {}}'
)
HCL_POLICY = """resource "azuread_conditional_access_policy" "p{number}" {{
  display_name = "P{number}"
  state        = "enabled"
  conditions {{
    client_app_types = ["all"]
    users {{
      included_users = ["All"]
    }}
    applications {{
      included_applications = ["All"]
    }}
  }}
  grant_controls {{
    operator          = "OR"
    built_in_controls = ["mfa"]
  }}
}}
"""
HCL_POLICY_LINES = HCL_POLICY.count("\n")


def loaded(path: str, text: str) -> LoadResult:
    result = load_text(path, text)
    assert result is not None
    return result


def limit_problems(result: LoadResult) -> list[tuple[int, int, str]]:
    return [
        (problem.span.start_line, problem.span.start_column, problem.message)
        for problem in result.problems
        if problem.code == "IN001"
    ]


def test_a_yaml_stream_one_past_the_limit_reads_the_limit_and_says_where_the_rest_starts() -> None:
    limit = document_limit.MAX_DOCUMENTS_PER_FILE
    result = loaded("p.yaml", YAML_POLICY * (limit + 1))
    assert len(result.documents) == limit
    [(line, column, message)] = limit_problems(result)
    assert (line, column) == (limit * YAML_POLICY.count("\n") + 1, 1)  # the `---` of the first one not read
    assert message == (
        "more than 2,000 documents in one file, more than a tenant holds (at most 195 Conditional Access "
        "policies and as many named locations): the 1 from here on were not read"
    )


def test_a_yaml_stream_at_the_limit_is_read_whole() -> None:
    limit = document_limit.MAX_DOCUMENTS_PER_FILE
    result = loaded("p.yaml", YAML_POLICY * limit)
    assert len(result.documents) == limit
    assert limit_problems(result) == []


def test_a_json_collection_past_the_limit_points_at_the_first_policy_not_read() -> None:
    limit = document_limit.MAX_DOCUMENTS_PER_FILE
    text = '{"value": [\n' + ",\n".join([JSON_POLICY] * (limit + 5)) + "\n]}\n"
    result = loaded("p.json", text)
    assert len(result.documents) == limit
    [(line, column, message)] = limit_problems(result)
    assert (line, column) == (limit + 2, 1)
    assert message.endswith("the 5 from here on were not read")


def test_policies_inside_one_yaml_document_count_too(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(document_limit, "MAX_DOCUMENTS_PER_FILE", 2)
    item = "  - displayName: P{number}\n    conditions: {{}}\n    grantControls: {{}}\n"
    items = "".join(item.format(number=number) for number in range(5))
    result = loaded("p.yaml", "value:\n" + items)
    assert [document.name for document in result.documents] == ["P0", "P1"]
    [(line, column, message)] = limit_problems(result)
    assert (line, column) == (8, 5)  # the third item's mapping
    assert message.endswith("the 3 from here on were not read")


def test_terraform_resources_past_the_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    text = "".join(HCL_POLICY.format(number=number) for number in range(3))
    assert len(loaded("main.tf", text).documents) == 3
    monkeypatch.setattr(document_limit, "MAX_DOCUMENTS_PER_FILE", 2)
    result = loaded("main.tf", text)
    assert [document.name for document in result.documents] == ["P0", "P1"]
    [(line, _, message)] = limit_problems(result)
    assert 2 * HCL_POLICY_LINES < line <= 3 * HCL_POLICY_LINES  # inside the third resource
    assert message.endswith("the 1 from here on were not read")


def test_a_file_past_the_limit_fails_the_run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(document_limit, "MAX_DOCUMENTS_PER_FILE", 1)
    (tmp_path / "p.yaml").write_text(YAML_POLICY * 3, encoding="utf-8")
    result = run_cli(["check", "--isolated", "--select", "IN", "--format", "json", "--jobs", "1", "."], cwd=tmp_path)
    assert result.code == 1
    findings = [
        (finding["code"], finding["level"], finding["line"]) for finding in json.loads(result.stdout)["findings"]
    ]
    assert ("IN001", "error", 6) in findings


def comparable(result: LoadResult) -> LoadResult:
    """The result with each document's position index left out (a fresh object per load)."""
    return result._replace(documents=tuple(document._replace(positions=None) for document in result.documents))


def test_the_limit_changes_nothing_below_it(monkeypatch: pytest.MonkeyPatch) -> None:
    text = YAML_POLICY * 3 + "---\nvalue:\n  - displayName: Q\n    conditions: {}\n    grantControls: {}\n"
    unbounded = comparable(loaded("p.yaml", text))
    assert len(unbounded.documents) == 4
    monkeypatch.setattr(document_limit, "MAX_DOCUMENTS_PER_FILE", 4)
    assert comparable(loaded("p.yaml", text)) == unbounded
    monkeypatch.setattr(document_limit, "MAX_DOCUMENTS_PER_FILE", 3)
    assert comparable(loaded("p.yaml", text)).documents == unbounded.documents[:3]


def test_a_long_stream_without_policies_is_still_no_policy_file(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(document_limit, "MAX_DOCUMENTS_PER_FILE", 2)
    assert load_text("manifests.yaml", "---\nkind: ConfigMap\n" * 5) is None
    result = loaded("mixed.yaml", "---\nkind: ConfigMap\n" * 3 + YAML_POLICY)
    assert result.documents == ()
    [(line, _, message)] = limit_problems(result)
    assert line == 5
    assert message.endswith("the 2 from here on were not read")


def test_the_first_policy_not_built_is_where_the_finding_points_even_before_an_unread_rest(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(document_limit, "MAX_DOCUMENTS_PER_FILE", 2)
    item = "  - displayName: P{number}\n    conditions: {{}}\n    grantControls: {{}}\n"
    first = "value:\n" + "".join(item.format(number=number) for number in range(3))
    result = loaded("p.yaml", first + YAML_POLICY * 2)
    [(line, column, message)] = limit_problems(result)
    assert (line, column) == (8, 5)  # the third item, not the unread third YAML document
    # The third item and the second YAML document's policy, not built; the third YAML document, not composed.
    assert message.endswith("the 3 from here on were not read")
