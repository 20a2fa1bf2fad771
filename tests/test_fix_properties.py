"""Every fix entralint offers, applied to generated and to mutated real policies (issue 22).

Each example is one Graph JSON policy written to a temporary file and fixed by `check --fix --unsafe-fixes`,
as a user runs it. Whatever the policy holds, the fixed file parses, its policy reads as the one the applied
fixes mean (the policy before, with only each fix's own path changed as the table below says) and it has no
finding the file did not have before. Real policies come from ../shared/corpus's Graph JSON files, read
here and never copied into the repository; they are mutated at the pointers the rules read.
"""

from __future__ import annotations

import copy
import json
import tempfile
from collections.abc import Callable
from functools import cache
from pathlib import Path
from types import MappingProxyType
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from linter.loaders import load_text
from linter.model import CONDITIONAL_ACCESS_POLICY, to_plain
from linter.model.source import split_pointer
from tests.conftest import CORPUS, needs_shared, run_cli
from tests.policy_strategies import VOCABULARY, _place, plausible, policies, values

DEVICE_REGISTRATION = "01cb2876-7ebd-4aa4-9cc9-d28bd4d359a9"


def _holder(data: dict[str, Any], pointer: str, create: bool) -> tuple[Any, str]:
    *parents, last = split_pointer(pointer)
    holder: Any = data
    for token in parents:
        holder = holder.setdefault(token, {}) if create else holder.get(token, {})
    return holder, last


def _exclude_device_registration(data: dict[str, Any], finding: dict[str, Any]) -> None:
    holder, key = _holder(data, "/conditions/applications/excludeApplications", create=True)
    holder[key] = [*(holder.get(key) or []), DEVICE_REGISTRATION]


def _require_app_protection(data: dict[str, Any], finding: dict[str, Any]) -> None:
    holder, key = _holder(data, "/grantControls/builtInControls", create=False)
    holder[key] = ["compliantApplication" if value == "approvedApplication" else value for value in holder[key]]


def _canonical_spelling(data: dict[str, Any], finding: dict[str, Any]) -> None:
    """IN005's spellings mean the same member: the policy as read does not change."""


def _new_policy_file(data: dict[str, Any], finding: dict[str, Any]) -> None:
    """CA001, CA003 and CA007 write a new policy file beside it (when emergency access accounts are inferred):
    the policy itself does not change."""
    assert [edit.get("new_file") for edit in finding["fix"]["edits"]] == [True], finding


# The policy a fix means, from the policy before it: each applied fix's code changes only its own path.
INTENDED: dict[str, Callable[[dict[str, Any], dict[str, Any]], None]] = {
    "CA001": _new_policy_file,
    "CA002": _exclude_device_registration,
    "CA003": _new_policy_file,
    "CA007": _new_policy_file,
    "CA023": _require_app_protection,
    "IN005": _canonical_spelling,
}


def _plain(value: Any) -> Any:
    if isinstance(value, MappingProxyType):
        return dict(value)
    raise TypeError(type(value).__name__)


# Values that make the fixing rules report, so that most examples have a fix to apply.
BAITS: tuple[dict[str, Any], ...] = (
    {  # CA002: a report-only block of device code flow for all resources.
        "/state": "enabledForReportingButNotEnforced",
        "/conditions/authenticationFlows/transferMethods": "deviceCodeFlow",
        "/conditions/applications/includeApplications": ["All"],
        "/grantControls/builtInControls": ["block"],
    },
    {"/grantControls/builtInControls": ["approvedApplication"]},  # CA023
    {"/grantControls/builtInControls": ["mfa", "approvedApplication"], "/grantControls/operator": "OR"},  # CA023
    {"/state": "Enabled"},  # IN005
    {"/conditions/clientAppTypes": ["All", "ExchangeActiveSync"]},  # IN005
)


def baited(data: Any, baits: list[dict[str, Any]]) -> Any:
    data = json.loads(json.dumps(data, default=_plain))  # a deep copy that takes read-only mappings
    for bait in baits:
        for pointer, value in bait.items():
            _place(data, split_pointer(pointer), copy.deepcopy(value))
    return data


def _policy_read(text: str) -> dict[str, Any]:
    result = load_text("policy.json", text)
    # IN001 is a file that does not parse; other load problems (a wrong type, a misspelling) are findings.
    assert result is not None and all(problem.code != "IN001" for problem in result.problems), result
    (document,) = [document for document in result.documents if document.kind == CONDITIONAL_ACCESS_POLICY]
    plain: dict[str, Any] = to_plain(document.data)
    return plain


def _report(folder: Path, *flags: str) -> dict[str, Any]:
    result = run_cli(["check", "--isolated", "--format", "json", *flags, "policy.json"], cwd=folder)
    assert result.code in (0, 1), result.stderr
    report: dict[str, Any] = result.json()
    return report


def _keyed(finding: dict[str, Any]) -> tuple[str, str, str]:
    # Not the message: a tenant finding's "still open" list names the sign-ins a new exclusion opens, and
    # that is the same finding (its fingerprint does not change either).
    return finding["code"], finding["policy"], finding["pointer"]


def check_fixing(data: Any) -> None:
    text = json.dumps(data, indent=2, default=_plain) + "\n"
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "policy.json"
        path.write_text(text, encoding="utf-8")
        before = _report(Path(folder))["findings"]
        fixable = [
            finding
            for finding in before
            if finding.get("fix", {}).get("applicability") in ("safe", "unsafe") and finding["fix"]["edits"]
        ]
        after = _report(Path(folder), "--fix", "--unsafe-fixes")
        fixed_text = path.read_text(encoding="utf-8")

    assert [note for note in after["notifications"] if "rolled back" in note["message"]] == []
    if not fixable:
        assert fixed_text == text
        return
    intended = copy.deepcopy(_policy_read(text))
    for finding in fixable:
        assert finding["code"] in INTENDED, f"say in INTENDED what {finding['code']}'s fix means"
        INTENDED[finding["code"]](intended, finding)
    assert _policy_read(fixed_text) == intended
    fixed = {_keyed(finding) for finding in fixable}
    # A new policy file's own findings (the follow-up "only report-only: turn it on") are the applier's to prove.
    kept = [finding for finding in after["findings"] if finding["path"] == "policy.json"]
    assert {_keyed(finding) for finding in kept} <= {_keyed(finding) for finding in before} - fixed


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(policies, st.lists(st.sampled_from(BAITS), max_size=3))
def test_fixing_a_generated_policy_keeps_it_readable_changes_only_the_fixed_path_and_adds_no_finding(
    policy: Any, baits: list[dict[str, Any]]
) -> None:
    check_fixing(baited(policy.data, baits))


@cache
def corpus_policies() -> tuple[dict[str, Any], ...]:
    """The Conditional Access policies of the corpus's Graph JSON files, as plain data."""
    found: list[dict[str, Any]] = []
    for path in sorted((CORPUS / "graph-json").glob("*.json")):
        result = load_text(str(path), path.read_bytes().decode("utf-8", errors="replace"))
        if result is not None:
            found.extend(to_plain(doc.data) for doc in result.documents if doc.kind == CONDITIONAL_ACCESS_POLICY)
    return tuple(found)


@st.composite
def mutated_corpus_policies(draw: st.DrawFn) -> dict[str, Any]:
    data: dict[str, Any] = baited(draw(st.sampled_from(corpus_policies())), draw(st.lists(st.sampled_from(BAITS))))
    for pointer in draw(st.lists(st.sampled_from(sorted(VOCABULARY)), max_size=6)):
        _place(data, split_pointer(pointer), draw(plausible(pointer) | values))
    return data


@needs_shared("corpus")
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutated_corpus_policies())
def test_fixing_a_mutated_corpus_policy_keeps_it_readable_changes_only_the_fixed_path_and_adds_no_finding(
    policy: dict[str, Any],
) -> None:
    check_fixing(policy)
