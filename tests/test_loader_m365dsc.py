"""Microsoft365DSC configurations: resource blocks read into Graph documents, with exact spans."""

from __future__ import annotations

from pathlib import Path

import pytest

from linter.loaders import LoadResult, load_text
from linter.model import Document, Unresolved
from linter.model.source import decode_text
from tests.conftest import CORPUS, FIXTURES, needs_shared

DSC = FIXTURES / "m365dsc"
EXPORT = Path(__file__).resolve().parent / "rules" / "CA002" / "fail_all_resources_m365dsc.ps1"
M365DSC_CORPUS = CORPUS / "m365dsc"


def load(path: Path) -> LoadResult:
    result = load_text(str(path), decode_text(path.read_bytes()))
    assert result is not None
    assert result.source_format == "microsoft365dsc"
    return result


def at(document: Document, pointer: str) -> tuple[int, int, str]:
    """Line, column and the text of a span (to the end of its first line)."""
    span = document.span(pointer)
    line = decode_text(Path(document.path).read_bytes()).split("\n")[span.start_line - 1]
    end = span.end_column - 1 if span.end_line == span.start_line else len(line)
    return span.start_line, span.start_column, line[span.start_column - 1 : end]


def test_hand_written_blocks_any_case_normalized_without_problems() -> None:
    result = load(DSC / "hand_written.ps1")
    assert result.problems == ()
    location, policy, lifetime = result.documents
    assert location.kind == "namedLocation"
    assert location.data == {
        "displayName": "Offices",
        "ipRanges": [{"cidrAddress": "192.0.2.0/24"}, {"cidrAddress": "2001:db8::/32"}],
        "isTrusted": True,
    }
    assert at(location, "/ipRanges/1/cidrAddress") == (11, 45, '"2001:db8::/32"')
    assert policy.data == {
        "displayName": "Admins - require MFA",
        "state": "enabled",
        "conditions": {
            "users": {
                "includeRoles": ["Global Administrator", Unresolved("$PrivilegedRole")],
                "includeUsers": ["None"],
            },
            "applications": {"includeApplications": ["All"]},
            "platforms": {"includePlatforms": ["iOS", "android"]},
            "clientAppTypes": ["exchangeActiveSync"],
        },
        "grantControls": {"builtInControls": ["mfa"]},
    }
    assert at(policy, "") == (14, 9, 'aadconditionalaccesspolicy "Admins MFA"')
    assert at(policy, "/state") == (17, 29, '"Enabled"')
    assert at(policy, "/conditions/users/includeRoles/1") == (18, 55, "$PrivilegedRole")
    assert at(policy, "/conditions/platforms/includePlatforms/0") == (21, 34, '"IOS"')
    assert at(policy, "/grantControls/builtInControls") == (23, 31, '@("Mfa")')
    assert lifetime.definitions[0].value == {
        "TokenLifetimePolicy": {"Version": 1, "MaxAgeSessionMultiFactor": "01:00:00"}
    }
    # Inside the definition: the value after its backtick escapes, where it is written.
    offset = lifetime.data["definition"][0].index("01:00:00")
    span = lifetime.span_in_string("/definition/0", offset)
    assert (span.start_line, span.start_column) == (29, 111)  # past `"TokenLifetimePolicy`" and the other escapes


def test_absent_block_is_not_part_of_the_tenant() -> None:
    result = load(DSC / "hand_written.ps1")
    assert "Old policy" not in {document.name for document in result.documents}


def test_export_every_property_present_not_set_values_dropped() -> None:
    [policy] = load(EXPORT).documents
    assert policy.identity == "2b31ac51-0000-4000-8000-00000000dc02"
    assert "sessionControls" not in policy.data  # $False switches and "" modes: no session control at all
    assert policy.data["grantControls"] == {"operator": "OR", "builtInControls": ["block"]}
    assert policy.data["conditions"]["authenticationFlows"] == {"transferMethods": ["deviceCodeFlow"]}
    assert policy.data["conditions"]["users"] == {"includeUsers": ["All"], "excludeRoles": ["Global Administrator"]}
    assert at(policy, "/conditions/authenticationFlows/transferMethods") == (49, 56, '"deviceCodeFlow"')
    assert at(policy, "/id") == (32, 56, '"2b31ac51-0000-4000-8000-00000000dc02"')


# Every resource block a person sees in the corpus, by file suffix: (kind, display name, line of the block).
CORPUS_BLOCKS = {
    "AADAuthenticationContextClassReference__1-Create.ps1": [],  # not a policy resource
    "AADAuthenticationStrengthPolicy__1-Create.ps1": [("authenticationStrengthPolicy", "Example", 25)],
    "AADAuthenticationStrengthPolicy__2-Update.ps1": [("authenticationStrengthPolicy", "Example", 25)],
    "AADConditionalAccessPolicy__2-Update.ps1": [("conditionalAccessPolicy", "Example CAP", 25)],
    "AADConditionalAccessPolicy__3-Remove.ps1": [],  # Ensure = 'Absent'
    "AADNamedLocationPolicy__1-Create.ps1": [("namedLocation", "Company Network", 25)],
    "AADNamedLocationPolicy__2-Update.ps1": [("namedLocation", "Company Network", 25)],
    "AADTokenLifetimePolicy__1-Create.ps1": [("tokenLifetimePolicy", "PolicyDisplayName", 25)],
    "AADTokenLifetimePolicy__3-Remove.ps1": [],  # Ensure = "Absent"
}


@needs_shared("corpus/m365dsc")
@pytest.mark.parametrize("suffix", sorted(CORPUS_BLOCKS))
def test_corpus_yields_every_policy_at_its_line(suffix: str) -> None:
    [path] = M365DSC_CORPUS.glob(f"*__{suffix}")
    result = load_text(str(path), decode_text(path.read_bytes()))
    documents = result.documents if result is not None else ()
    assert result is None or result.problems == ()
    assert [(document.kind, document.name, document.line) for document in documents] == CORPUS_BLOCKS[suffix]


@needs_shared("corpus/m365dsc")
def test_corpus_computed_values_stay_unresolved() -> None:
    [path] = M365DSC_CORPUS.glob("*__AADConditionalAccessPolicy__2-Update.ps1")
    [policy] = load(path).documents
    assert policy.data["conditions"]["users"]["excludeUsers"] == [Unresolved('"admin@$Domain"')]
    assert policy.data["sessionControls"]["signInFrequency"]["value"] == 2


HOSTILE = {
    "deep nesting": "AADConditionalAccessPolicy 'x' {\n IncludeUsers = " + "@(" * 5000 + "\n}\n",
    "unterminated string": "AADConditionalAccessPolicy 'x' {\n DisplayName = \"never closed\n}\n",
    "unterminated here-string": "AADConditionalAccessPolicy 'x' {\n DisplayName = @\"\nnever closed\n}\n",
    "unclosed block": "AADConditionalAccessPolicy 'x' {\n DisplayName = 'x'\n IncludeUsers = @('All'\n",
    "no body": "AADConditionalAccessPolicy\n",
}


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_hostile_input_is_a_problem_not_a_crash(name: str) -> None:
    result = load_text("hostile.ps1", HOSTILE[name])
    if result is not None:
        assert result.documents == ()
        assert {problem.code for problem in result.problems} <= {"IN001", "IN002"}


def test_huge_array_is_read_whole() -> None:
    users = ", ".join(f"'user{number}@contoso.com'" for number in range(50_000))
    body = f" DisplayName = 'x'\n IncludeUsers = @({users})\n IncludeApplications = 'All'\n"
    text = "AADConditionalAccessPolicy 'x' {\n" + body + "}\n"
    [policy] = load_text("huge.ps1", text).documents  # type: ignore[union-attr]
    assert len(policy.data["conditions"]["users"]["includeUsers"]) == 50_000
