"""PowerShell loader: token lifetime policies from AzureAD and Graph SDK cmdlets, with exact spans."""

from __future__ import annotations

from pathlib import Path

from linter.loaders import LoadResult, load_text
from linter.model import Document, Unresolved, to_plain
from linter.model.source import Span, decode_text
from tests.conftest import FIXTURES

PS = FIXTURES / "powershell"
TL = "/definition/0/TokenLifetimePolicy"
KB_DEFINITION = (
    '{"TokenLifetimePolicy":{"Version":1,"MaxAgeMultiFactor":"until-revoked","MaxAgeSessionMultiFactor":"14.00:00:00"}}'
)


def load(name: str) -> LoadResult | None:
    path = PS / name
    return load_text(str(path), decode_text(path.read_bytes()))


def documents(name: str) -> list[Document]:
    result = load(name)
    assert result is not None
    assert result.source_format == "powershell"
    return list(result.documents)


def at(document: Document, pointer: str) -> tuple[int, int, str]:
    """Line, column and the text of a span (to the end of its first line)."""
    span = document.span(pointer)
    line = decode_text(Path(document.path).read_bytes()).split("\n")[span.start_line - 1]
    end = span.end_column - 1 if span.end_line == span.start_line else len(line)
    return span.start_line, span.start_column, line[span.start_column - 1 : end]


def test_kb_new_azureadpolicy_verbatim() -> None:
    [policy] = documents("kb_new_azureadpolicy.ps1")
    assert (policy.kind, policy.identity, policy.name, policy.source_format) == (
        "tokenLifetimePolicy",
        "New-AzureADPolicy@2",
        "DefaultPolicyScenario",
        "powershell",
    )
    assert policy.data == {
        "definition": [KB_DEFINITION],
        "displayName": "DefaultPolicyScenario",
        "isOrganizationDefault": True,
    }
    assert policy.definitions[0].value == {
        "TokenLifetimePolicy": {
            "Version": 1,
            "MaxAgeMultiFactor": "until-revoked",
            "MaxAgeSessionMultiFactor": "14.00:00:00",
        }
    }
    assert at(policy, "/displayName") == (2, 164, '"DefaultPolicyScenario"')
    assert at(policy, "/isOrganizationDefault") == (2, 211, "$true")
    assert at(policy, "/definition/0") == (2, 33, f"'{KB_DEFINITION}'")
    assert at(policy, TL + "/MaxAgeMultiFactor") == (2, 90, '"until-revoked"')
    assert at(policy, TL + "/MaxAgeSessionMultiFactor") == (2, 133, '"14.00:00:00"')


def test_kb_set_azureadpolicy_malformed_definition_is_still_a_policy() -> None:
    result = load("kb_set_azureadpolicy.ps1")
    assert result is not None
    assert result.problems == ()
    [policy] = result.documents
    # No -Type: the definition's leading TokenLifetimePolicy key says what it is, despite the two stray braces.
    assert (policy.identity, policy.name) == ("<PoliycId>", "<PolicyName>")
    assert policy.data == {"displayName": "<PolicyName>", "definition": [KB_DEFINITION + "}}"]}
    [definition] = policy.definitions
    assert (definition.value, definition.error, definition.error_offset) == (None, "invalid JSON: Extra data", 114)
    assert policy.span_in_string("/definition/0", definition.error_offset) == Span(2, 191, 2, 192)
    assert at(policy, TL + "/MaxAgeMultiFactor") == (2, 133, '"until-revoked"')


def test_mg_named_parameters_here_string_variable_and_continuations() -> None:
    [policy] = documents("mg_here_string.ps1")
    assert (policy.identity, policy.name) == ("New-MgPolicyTokenLifetimePolicy@12", "Contoso 'strict' MFA tokens")
    assert policy.data == {
        "definition": [
            '{\n  "TokenLifetimePolicy": {\n    "Version": 1,\n    "MaxAgeMultiFactor": "1.00:00:00"\n  }\n}'
        ],
        "displayName": "Contoso 'strict' MFA tokens",
        "isOrganizationDefault": False,
    }
    assert at(policy, "/definition/0") == (3, 15, "@'")
    assert at(policy, TL + "/MaxAgeMultiFactor") == (7, 26, '"1.00:00:00"')
    assert at(policy, TL + "/Version") == (6, 16, "1")
    assert at(policy, "/displayName") == (13, 18, "'Contoso ''strict'' MFA tokens'")
    assert at(policy, "/isOrganizationDefault") == (14, 28, "$false")


def test_mg_body_parameter_hashtables_double_quotes_and_unresolved_variables() -> None:
    from_variable, inline = documents("mg_body_parameter.ps1")
    assert (from_variable.identity, from_variable.name) == ("New-MgPolicyTokenLifetimePolicy@9", 'Sessions "12h"')
    assert from_variable.data == {
        "definition": ['{"TokenLifetimePolicy":{"Version":1,"MaxAgeSessionMultiFactor":"12:00:00"}}'],
        "displayName": 'Sessions "12h"',
        "isOrganizationDefault": True,
    }
    # The hashtable is read where it is written, backtick escapes and all.
    assert at(from_variable, "/displayName") == (6, 19, '"Sessions `"12h`""')
    assert at(from_variable, TL + "/MaxAgeSessionMultiFactor") == (4, 79, '`"12:00:00`"')
    assert at(from_variable, "/isOrganizationDefault") == (7, 29, "$true")

    assert inline.identity == "4d2c6f1e-8b3a-4c5d-9e7f-1a2b3c4d5e6f"
    assert to_plain(inline.data) == {
        "definition": ['{"TokenLifetimePolicy":{"Version":1,"MaxInactiveTime":"30.00:00:00"}}'],
        "displayName": {"unresolved": '"Inactive $days days"'},
        "isOrganizationDefault": {"unresolved": "$isDefault"},
    }
    assert isinstance(inline.data["isOrganizationDefault"], Unresolved)
    assert at(inline, TL + "/MaxInactiveTime") == (11, 186, '"30.00:00:00"')


def test_splatted_azuread_policy_with_a_comma_list_and_other_policy_types_skipped() -> None:
    [policy] = documents("azuread_splat.ps1")
    assert (policy.identity, policy.name) == ("New-AzureADPolicy@7", "Splatted")
    assert policy.data == {
        "definition": [
            '{"TokenLifetimePolicy":{"Version":1,"MaxAgeSingleFactor":"until-revoked"}}',
            '{"TokenLifetimePolicy":{"Version":1}}',
        ],
        "displayName": "Splatted",
        "isOrganizationDefault": False,
    }
    assert at(policy, "/definition/1") == (2, 96, """'{"TokenLifetimePolicy":{"Version":1}}'""")
    assert at(policy, TL + "/MaxAgeSingleFactor") == (2, 76, '"until-revoked"')


def test_utf16_windows_powershell_file() -> None:
    assert (PS / "utf16_windows_powershell.ps1").read_bytes()[:2] == b"\xff\xfe"
    [policy] = documents("utf16_windows_powershell.ps1")
    assert (policy.identity, policy.name) == ("New-AzureADPolicy@2", "Jetons à durée courte")
    assert policy.data["definition"] == ['{"TokenLifetimePolicy":{"Version":1,"MaxAgeMultiFactor":"08:00:00"}}']
    assert policy.data["isOrganizationDefault"] is False
    assert at(policy, "/displayName") == (3, 16, '"Jetons à durée courte"')
    assert at(policy, "/isOrganizationDefault") == (2, 70, "$false")
    assert at(policy, TL + "/MaxAgeMultiFactor") == (4, 80, '`"08:00:00`"')


def test_wrong_types_become_in002() -> None:
    result = load("wrong_types.ps1")
    assert result is not None
    assert [(problem.code, problem.pointer, problem.span) for problem in result.problems] == [
        ("IN002", "/definition", Span(1, 64, 1, 103)),
        ("IN002", "/isOrganizationDefault", Span(1, 152, 1, 157)),
    ]
    assert "must be an array" in result.problems[0].message
    assert "boolean" in result.problems[1].message
    assert [document.data for document in result.documents] == [{"displayName": "Wrong"}]


def test_truncated_policy_script_is_in001_at_the_unterminated_string() -> None:
    result = load("truncated.ps1")
    assert result is not None
    assert result.documents == ()
    [problem] = result.problems
    assert (problem.code, problem.span, problem.identity) == ("IN001", Span(3, 86, 3, 87), "New-AzureADPolicy@3")
    assert "unterminated single-quoted string" in problem.message


def test_garbled_script_without_policy_cmdlets_is_skipped() -> None:
    assert load("unrelated_garbled.ps1") is None
    unclosed = load_text("x.ps1", "New-AzureADPolicy -Definition @(\n")
    assert unclosed is not None
    assert [(problem.code, problem.message, problem.span) for problem in unclosed.problems] == [
        ("IN001", "New-AzureADPolicy: unclosed array @( ... )", Span(1, 31, 1, 33))
    ]
    assert load_text("x.ps1", "") is None
