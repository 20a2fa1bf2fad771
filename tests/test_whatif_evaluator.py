"""The what-if evaluator: one fixture per Microsoft semantic, plus combination and CLI tests."""

from __future__ import annotations

import json
from pathlib import Path
from types import MappingProxyType
from typing import Any

import pytest

from linter.loaders import load_text
from linter.model import CONDITIONAL_ACCESS_POLICY, Document, Unresolved
from linter.policy.combine import Session, outcome
from linter.policy.context import SignInContext
from linter.policy.devicefilter import DeviceFilterError, evaluate, parse
from linter.policy.evaluate import Evaluator
from tests.conftest import FIXTURES, REPO, run_cli

CASES = sorted((FIXTURES / "whatif").glob("*.json"))
APPLIES = {"yes": True, "no": False, "depends": None}


def documents(path: Path) -> tuple[Document, ...]:
    result = load_text(str(path), path.read_text(encoding="utf-8"))
    assert result is not None and not result.problems, result
    return result.documents


def context_of(raw: dict[str, Any]) -> SignInContext:
    names = set(SignInContext._fields)
    values: dict[str, Any] = {key: value for key, value in raw.items() if key in names}
    for key in ("groups", "roles"):
        if key in values:
            values[key] = frozenset(values[key])
    if "device" in values:
        values["device"] = MappingProxyType(values["device"])
    return SignInContext(**values)


@pytest.mark.parametrize("case", CASES, ids=[case.stem for case in CASES])
def test_condition(case: Path) -> None:
    spec = json.loads(case.read_text(encoding="utf-8"))
    (result,) = Evaluator(documents(case)).evaluate(context_of(spec["context"]))
    assert (result.applies, result.condition) == (APPLIES[spec["applies"]], spec["condition"]), result.reason


def policy(name: str, grant: dict[str, Any] | None = None, state: str = "enabled", **users: Any) -> dict[str, Any]:
    return {
        "displayName": name,
        "state": state,
        "conditions": {"users": users or {"includeUsers": ["All"]}, "applications": {"includeApplications": ["All"]}},
        "grantControls": grant or {"operator": "OR", "builtInControls": ["mfa"]},
    }


def tenant(tmp_path: Path, *policies: dict[str, Any]) -> Evaluator:
    path = tmp_path / "policies.json"
    path.write_text(json.dumps({"value": list(policies)}), encoding="utf-8")
    return Evaluator(documents(path))


def test_block_wins_and_report_only_is_listed_apart(tmp_path: Path) -> None:
    evaluator = tenant(
        tmp_path,
        policy("mfa"),
        policy("block", {"operator": "OR", "builtInControls": ["block"]}),
        policy("audit", {"operator": "OR", "builtInControls": ["block"]}, "enabledForReportingButNotEnforced"),
        policy("off", {"operator": "OR", "builtInControls": ["block"]}, "disabled"),
    )
    result = outcome(evaluator, SignInContext(user="u1"))
    assert result.verdict == "blocked"
    assert [p.name for p in result.blocked_by] == ["block"]
    assert [p.name for p in result.report_only] == ["audit"]


def test_grant_controls_and_or_and_shortest_sign_in_frequency(tmp_path: Path) -> None:
    frequent = policy("8h", {"operator": "AND", "builtInControls": ["mfa", "compliantDevice"]})
    frequent["sessionControls"] = {"signInFrequency": {"isEnabled": True, "type": "hours", "value": 8}}
    daily = policy("1d", {"operator": "OR", "builtInControls": ["mfa", "approvedApplication"]})
    daily["sessionControls"] = {
        "signInFrequency": {"isEnabled": True, "type": "days", "value": 1},
        "persistentBrowser": {"isEnabled": True, "mode": "never"},
    }
    result = outcome(tenant(tmp_path, frequent, daily), SignInContext())
    assert [(r.operator, r.controls) for r in result.requirements] == [
        ("AND", ("mfa", "compliantDevice")),
        ("OR", ("mfa", "approvedApplication")),
    ]
    assert result.session.describe() == "sign-in frequency: 8 hours, persistent browser: never"


def test_unresolved_group_makes_the_answer_depend_on_it(tmp_path: Path) -> None:
    path = tmp_path / "main.tf"
    path.write_text(
        'resource "azuread_conditional_access_policy" "p" {\n'
        '  display_name = "Finance MFA"\n  state = "enabled"\n'
        '  conditions {\n    client_app_types = ["all"]\n'
        '    applications { included_applications = ["All"] }\n'
        "    users { included_groups = [azuread_group.finance.object_id] }\n  }\n"
        '  grant_controls {\n    operator = "OR"\n    built_in_controls = ["mfa"]\n  }\n}\n',
        encoding="utf-8",
    )
    evaluator = Evaluator(documents(path))
    (result,) = evaluator.evaluate(SignInContext(user="u1"))
    assert (result.applies, result.depends) == (None, ("azuread_group.finance.object_id",))
    (same,) = evaluator.evaluate(SignInContext(groups=frozenset(["azuread_group.finance.object_id"])))
    assert same.applies is True
    assert outcome(evaluator, SignInContext(user="u1")).verdict == "depends"


@pytest.mark.parametrize(
    ("rule", "device", "expected"),
    [
        ('device.trustType -eq "ServerAD"', {"trustType": "serverad"}, True),
        ('device.trustType -ne "ServerAD"', {"trustType": "AzureAD"}, True),
        ('device.model -endsWith "Pro"', {"model": "Surface Pro"}, True),
        ('device.model -notEndsWith "Pro"', {"model": "Surface Pro"}, False),
        ('device.model -notStartsWith "Surf"', {"model": "Surface"}, False),
        ('device.model -contains "face"', {"model": "Surface"}, True),
        ('device.model -notContains "face"', {"model": "Surface"}, False),
        ('device.deviceId -notIn ["a","b"]', {"deviceId": "c"}, True),
        ('device.isCompliant -eq True -and device.model -eq "x"', {"isCompliant": "False"}, False),
        ('device.isCompliant -eq True -or device.model -eq "x"', {"isCompliant": "False"}, None),
        (
            'device.isCompliant -eq True -or (device.model -eq "x" -and device.a -eq "b")',
            {"model": "x", "a": "b"},
            True,
        ),
    ],
)
def test_device_filter(rule: str, device: dict[str, str], expected: bool | None) -> None:
    assert evaluate(parse(rule), device) is expected


@pytest.mark.parametrize("rule", ["device.model -like x", "(device.model -eq x", "model -eq x", "device.id -in x"])
def test_device_filter_rejects_what_it_cannot_read(rule: str) -> None:
    with pytest.raises(DeviceFilterError):
        parse(rule)


def test_whatif_command_on_examples() -> None:
    result = run_cli(
        ["whatif", "examples/graph", "--app", "00000002-0000-0ff1-ce00-000000000000", "--format", "json"], REPO
    )
    assert result.code == 0, result.stderr
    answer = result.json()
    rows = {row["policy"]: row for row in answer["policies"]}
    mfa = rows["CA004 - All users - Exchange and SharePoint - Require MFA"]
    assert (mfa["applies"], mfa["grant"]) == ("yes", "mfa")
    legacy = rows["CA002 - All users - All apps - Block legacy authentication"]
    assert (legacy["applies"], legacy["condition"]) == ("no", "clientApp")
    assert answer["result"]["verdict"] == "depends"
    assert answer["result"]["dependsOn"] == [
        "CA005 - All users - All apps - Sign-in every 8 hours on unmanaged devices"
    ]


def test_whatif_text_table() -> None:
    result = run_cli(["whatif", "examples/graph", "--client-app", "exchangeActiveSync"], REPO)
    assert result.code == 0, result.stderr
    assert "Result: blocked" in result.stdout
    assert "blocked by: CA002 - All users - All apps - Block legacy authentication" in result.stdout
    assert "Report-only policies (evaluated, not enforced)" in result.stdout


def test_computed_session_controls_impose_no_known_control() -> None:
    # A Terraform `dynamic "session_controls"` block: which controls is unknown, and nothing crashes.
    data = {
        "state": "enabled",
        "conditions": {"users": {"includeUsers": ["All"]}, "applications": {"includeApplications": ["All"]}},
        "grantControls": {"operator": "OR", "builtInControls": ["mfa"]},
        "sessionControls": Unresolved('dynamic "session_controls"'),
    }
    evaluator = Evaluator([Document(CONDITIONAL_ACCESS_POLICY, data, "p.tf", "terraform", "p", "p")])
    result = outcome(evaluator, SignInContext())
    assert [r.controls for r in result.requirements] == [("mfa",)]
    assert result.session == Session()
