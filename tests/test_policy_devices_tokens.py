"""The evaluator's answers CA019, CA022 and CA025 ask: a managed-device grant, token protection, device exclusions."""

from __future__ import annotations

from typing import Any

import pytest

from linter.model import CONDITIONAL_ACCESS_POLICY, Document, Unresolved
from linter.policy.combine import outcome
from linter.policy.context import SignInContext
from linter.policy.coverage import uncovered
from linter.policy.evaluate import Evaluator
from linter.policy.questions import grant_requires_managed_device, policy_of
from linter.policy.session import token_protection
from rules.ca025_token_protection_missing import (
    DESKTOP_CLIENTS,
    PROTECTED_RESOURCES,
    WINDOWS,
    blocks_or_binds_tokens,
)


def document(data: dict[str, Any], name: str = "p") -> Document:
    return Document(CONDITIONAL_ACCESS_POLICY, data, f"{name}.json", "graph-json", name, name)


def policy(grant: Any = None, session: Any = None, **conditions: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "displayName": "p",
        "state": "enabled",
        "conditions": {
            "users": {"includeUsers": ["All"]},
            "applications": {"includeApplications": ["All"]},
            **conditions,
        },
    }
    if grant is not None:
        data["grantControls"] = grant
    if session is not None:
        data["sessionControls"] = session
    return data


@pytest.mark.parametrize(
    ("grant", "expected"),
    [
        ({"operator": "OR", "builtInControls": ["compliantDevice"]}, True),
        ({"operator": "OR", "builtInControls": ["compliantDevice", "domainJoinedDevice"]}, True),
        ({"operator": "AND", "builtInControls": ["mfa", "compliantDevice"]}, True),
        ({"operator": "OR", "builtInControls": ["block"]}, True),
        ({"operator": "OR", "builtInControls": ["mfa", "compliantDevice"]}, False),
        ({"operator": "AND", "builtInControls": ["mfa"]}, False),
        (
            {
                "operator": "OR",
                "builtInControls": ["compliantDevice"],
                "authenticationStrength": {"id": "00000000-0000-0000-0000-000000000002"},
            },
            False,
        ),
        ({"operator": "OR", "builtInControls": []}, False),
        ({"operator": "OR", "builtInControls": Unresolved("var.controls")}, None),
        ({"operator": "OR", "builtInControls": ["compliantDevice", Unresolved("var.extra")]}, None),
        ({"operator": "AND", "builtInControls": ["compliantDevice", Unresolved("var.extra")]}, True),
    ],
)
def test_managed_device_grant(grant: dict[str, Any], expected: bool | None) -> None:
    assert grant_requires_managed_device(policy_of(document(policy(grant)))) is expected


@pytest.mark.parametrize(
    ("session", "expected"),
    [
        (None, False),
        ({"secureSignInSession": {"isEnabled": True}}, True),
        ({"secureSignInSession": {"isEnabled": False}}, False),
        ({"secureSignInSession": {}}, True),
        ({"secureSignInSession": None}, False),
        ({"secureSignInSession": Unresolved("var.token_protection")}, None),
        ({"secureSignInSession": {"isEnabled": Unresolved("var.on")}}, None),
        ({"signInFrequency": {"isEnabled": True, "type": "hours", "value": 4}}, False),
    ],
)
def test_token_protection(session: dict[str, Any] | None, expected: bool | None) -> None:
    assert token_protection(document(policy(session=session))) is expected


def test_whatif_lists_token_protection_among_the_session_controls() -> None:
    evaluator = Evaluator((document(policy(session={"secureSignInSession": {"isEnabled": True}})),))
    answer = outcome(evaluator, SignInContext(target=PROTECTED_RESOURCES[0]))
    assert answer.session.others == ("secureSignInSession",)


def _token_coverage(*policies: dict[str, Any], device_exclusions_allowed: bool = True) -> bool:
    evaluator = Evaluator(tuple(document(data, f"p{index}") for index, data in enumerate(policies)))
    return uncovered(
        evaluator,
        blocks_or_binds_tokens,
        fixed={"application": PROTECTED_RESOURCES, "clientApp": DESKTOP_CLIENTS, "platform": WINDOWS},
        device_exclusions_allowed=device_exclusions_allowed,
    ).complete


CLOUD_PCS = {"deviceFilter": {"mode": "exclude", "rule": 'device.systemLabels -eq "CloudPC"'}}
TOKEN_PROTECTION = {"secureSignInSession": {"isEnabled": True}}


def test_device_filter_exclusions_alone_may_be_allowed() -> None:
    protected = policy(session=TOKEN_PROTECTION, devices=CLOUD_PCS)
    assert _token_coverage(protected)
    assert not _token_coverage(protected, device_exclusions_allowed=False)
    # Allowing device exclusions does not allow user exclusions.
    excluding = policy(session=TOKEN_PROTECTION, devices=CLOUD_PCS)
    excluding["conditions"]["users"]["excludeGroups"] = ["pilot-exceptions"]
    assert not _token_coverage(excluding)


def test_a_computed_session_control_covers_and_a_browser_only_policy_does_not() -> None:
    assert _token_coverage(policy(session={"secureSignInSession": Unresolved("var.tp")}))
    assert not _token_coverage(policy(session=TOKEN_PROTECTION, clientAppTypes=["browser"]))
