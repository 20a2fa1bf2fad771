"""Hypothesis strategies for Conditional Access policies as rules see them, odd values included.

A generated policy starts from a real one (the CA and PA rule fixtures and the examples, in every
format, so findings happen) and then gets values at the pointers the rules read: plausible ones,
computed ones (`Unresolved`) and wrong types; any block on the way may become computed, null, a
list, or a read-only mapping, the shapes the fast paths must leave to the general reading.
"""

from __future__ import annotations

import copy
import functools
from types import MappingProxyType
from typing import Any

from hypothesis import strategies as st

from linter.engine.files import read_text
from linter.loaders import load_text
from linter.model import CONDITIONAL_ACCESS_POLICY, Document, Unresolved
from linter.model.source import split_pointer
from tests.conftest import FIXTURES, REPO

SHAREPOINT = "00000003-0000-0ff1-ce00-000000000000"
FLOW = "7df0a125-d3be-4c96-aa54-591f83ff541c"
DEVICE_REGISTRATION = "01cb2876-7ebd-4aa4-9cc9-d28bd4d359a9"

USERS = ["All", "None", " none ", "GuestsOrExternalUsers", "x"]
APPS = ["All", "None", " none ", "Office365", " office365", SHAREPOINT, FLOW, FLOW.upper(), DEVICE_REGISTRATION, "x"]
BOOLEANS: list[Any] = [True, False]
# Each pointer a rule reads, with the values it plausibly holds.
VOCABULARY: dict[str, list[Any]] = {
    "/state": ["enabled", "disabled", "enabledForReportingButNotEnforced"],
    **{f"/conditions/users/{key}": USERS for key in ("includeUsers", "includeGroups", "includeRoles")},
    **{f"/conditions/users/{key}": USERS for key in ("excludeUsers", "excludeGroups")},
    "/conditions/users/includeGuestsOrExternalUsers/guestOrExternalUserTypes": ["internalGuest", "none"],
    "/conditions/clientApplications/includeServicePrincipals": ["All", "None", "x"],
    "/conditions/clientApplications/includeAgentIdServicePrincipals": ["All", "None"],
    **{f"/conditions/applications/{key}": APPS for key in ("includeApplications", "excludeApplications")},
    "/conditions/applications/includeUserActions": ["urn:user:registersecurityinfo", "None"],
    "/conditions/applications/includeAuthenticationContextClassReferences": ["c1", "none"],
    "/conditions/applications/globalSecureAccess/includeTrafficProfiles": ["internet", "None"],
    "/conditions/applications/networkAccess/includeTrafficProfiles": ["internet", "None"],
    "/conditions/authenticationFlows/transferMethods": ["deviceCodeFlow", " deviceCodeFlow ", "authenticationTransfer"],
    "/conditions/clientAppTypes": ["all", "exchangeActiveSync", "other", "browser"],
    "/conditions/platforms/includePlatforms": ["all", "android", "iOS"],
    "/conditions/locations/includeLocations": ["All", "all", "AllTrusted", "x"],
    "/conditions/locations/excludeLocations": ["AllTrusted", "x"],
    "/conditions/signInRiskLevels": ["high", "none"],
    "/conditions/devices/deviceFilter/mode": ["include", "exclude"],
    "/grantControls/builtInControls": ["block", " Block ", "mfa", "compliantDevice", "domainJoinedDevice"],
    "/grantControls/operator": ["AND", "OR", "and"],
    "/grantControls/termsOfUse": ["t1"],
    "/grantControls/customAuthenticationFactors": ["f1"],
    "/grantControls/authenticationStrength": [{"id": "s"}, {"displayName": "Phishing-resistant MFA"}, "s"],
    "/sessionControls/signInFrequency/isEnabled": BOOLEANS,
    "/sessionControls/signInFrequency/value": [1, 12],
    "/sessionControls/signInFrequency/type": ["hours", "days"],
    "/sessionControls/signInFrequency/frequencyInterval": ["everyTime", "timeBased"],
    "/sessionControls/applicationEnforcedRestrictions/isEnabled": BOOLEANS,
}
# Every block on the way to a value, where an odd shape may stand instead.
BLOCKS = sorted(
    {pointer[:index] for pointer in VOCABULARY for index in range(1, len(pointer)) if pointer[index] == "/"}
)

WORDS = {text for words in VOCABULARY.values() for text in words if isinstance(text, str)}
texts = st.sampled_from(sorted({"", *WORDS}))
strings = texts | texts.map(Unresolved)
scalars = strings | st.none() | st.booleans() | st.integers(-1, 3)
# Anything at all where a rule reads: computed lists and items, wrong types, objects, tuples.
values: st.SearchStrategy[Any] = st.one_of(
    st.lists(strings, max_size=4),
    st.lists(scalars, max_size=3),
    scalars,
    st.tuples(strings),
    st.dictionaries(texts, scalars, max_size=2),
)
odd_blocks = st.sampled_from([Unresolved('dynamic "block"'), Unresolved(""), None, ["All"], "All", MappingProxyType])


SINGLE_VALUES = {"/state", "/grantControls/operator", "/conditions/devices/deviceFilter/mode"}


def plausible(pointer: str) -> st.SearchStrategy[Any]:
    """What the pointer holds in real policies: one word or a list of them, sometimes computed."""
    words = st.sampled_from(VOCABULARY[pointer])
    if pointer in SINGLE_VALUES:
        return words | words | words.map(Unresolved)
    if not all(isinstance(word, str) for word in VOCABULARY[pointer]):
        return words
    computed = words.map(Unresolved)
    return words | st.lists(words, min_size=1, max_size=3) | computed | st.lists(words | computed, max_size=3)


@functools.cache
def seeds() -> tuple[Document, ...]:
    """The Conditional Access policies of the CA and PA rule fixtures and of the examples."""
    paths = sorted(FIXTURES.glob("rules/[CP]A*/*")) + sorted((REPO / "examples").rglob("*"))
    found: list[Document] = []
    for path in paths:
        if path.suffix in (".json", ".yaml", ".tf"):
            result = load_text(str(path), read_text(str(path), 1 << 20))
            documents = result.documents if result is not None else ()
            found.extend(doc._replace(positions=None) for doc in documents if doc.kind == CONDITIONAL_ACCESS_POLICY)
    return tuple(found)


def _place(data: dict[str, Any], tokens: tuple[str, ...], value: Any) -> None:
    """Put value at tokens, making the objects on the way; a non-object already on the way wins."""
    current: Any = data
    for token in tokens[:-1]:
        current = current.setdefault(token, {})
        if type(current) is not dict:
            return
    current[tokens[-1]] = value


def _replace(data: dict[str, Any], tokens: tuple[str, ...], odd: Any) -> None:
    """Replace the object at tokens, if there is one, with odd (or the same members, read-only)."""
    parent: Any = data
    for token in tokens[:-1]:
        parent = parent.get(token)
        if type(parent) is not dict:
            return
    block = parent.get(tokens[-1])
    if type(block) is dict:
        parent[tokens[-1]] = MappingProxyType(block) if odd is MappingProxyType else odd


@st.composite
def policy_data(draw: st.DrawFn, pointers: tuple[str, ...]) -> dict[str, Any]:
    data: dict[str, Any] = copy.deepcopy(dict(draw(st.sampled_from(seeds())).data))
    for pointer in draw(st.lists(st.sampled_from(pointers), min_size=1, max_size=12)):
        _place(data, split_pointer(pointer), draw(plausible(pointer) | plausible(pointer) | values))
    blocks = sorted({block for block in BLOCKS if any(pointer.startswith(block + "/") for pointer in pointers)})
    for pointer in draw(st.lists(st.sampled_from(blocks), max_size=3)):
        _replace(data, split_pointer(pointer), draw(odd_blocks))
    return data


def graph_policy(data: Any) -> Document:
    return Document(CONDITIONAL_ACCESS_POLICY, data, "p.json", "graph-json", "p", "P")


def policies_changed_at(*pointers: str) -> st.SearchStrategy[Document]:
    """Real policies with values changed at these pointers (and blocks on their way)."""
    return policy_data(pointers).map(graph_policy)


policies = policies_changed_at(*sorted(VOCABULARY))


def _small_policy(
    state: str,
    users: dict[str, list[str]],
    apps: list[str],
    client_apps: list[str],
    platforms: list[str],
    locations: list[str],
    risks: list[str],
    grant: tuple[str, list[str]],
    frequency: int | None,
) -> dict[str, Any]:
    conditions: dict[str, Any] = {
        "users": users,
        "applications": {"includeApplications": apps},
        "clientAppTypes": client_apps,
    }
    if platforms:
        conditions["platforms"] = {"includePlatforms": platforms}
    if locations:
        conditions["locations"] = {"includeLocations": ["All"], "excludeLocations": locations}
    if risks:
        conditions["signInRiskLevels"] = risks
    operator, controls = grant
    data: dict[str, Any] = {
        "state": state,
        "conditions": conditions,
        "grantControls": {"operator": operator, "builtInControls": controls} if controls else None,
    }
    if frequency is not None:
        data["sessionControls"] = {"signInFrequency": {"isEnabled": True, "type": "hours", "value": frequency}}
    return data


PRINCIPALS = ["u1", "u2"]
GROUPS = ["g1", "g2"]
STATES = ["enabled", "enabled", "enabledForReportingButNotEnforced", "disabled"]
# Small tenants whose policies overlap often: what `entralint diff` compares, state against state.
tenant_policy_data = st.builds(
    _small_policy,
    st.sampled_from(STATES),
    st.fixed_dictionaries(
        {
            "includeUsers": st.lists(st.sampled_from(["All", *PRINCIPALS]), min_size=1, max_size=2),
            "includeGroups": st.lists(st.sampled_from(GROUPS), max_size=1),
            "excludeUsers": st.lists(st.sampled_from(PRINCIPALS), max_size=1),
            "excludeGroups": st.lists(st.sampled_from(GROUPS), max_size=1),
        }
    ),
    st.lists(st.sampled_from(["All", "Office365", SHAREPOINT]), min_size=1, max_size=2),
    st.lists(st.sampled_from(["all", "browser", "exchangeActiveSync", "other"]), min_size=1, max_size=2),
    st.lists(st.sampled_from(["android", "iOS", "windows"]), max_size=2),
    st.lists(st.sampled_from(["AllTrusted", "office-network"]), max_size=1),
    st.lists(st.sampled_from(["high", "medium"]), max_size=1),
    st.tuples(
        st.sampled_from(["AND", "OR"]),
        st.lists(st.sampled_from(["mfa", "compliantDevice", "block", "passwordChange"]), max_size=2),
    ),
    st.none() | st.sampled_from([1, 4, 12]),
)


def tenant_documents(items: list[dict[str, Any]]) -> list[Document]:
    """Policies as one tenant's Graph JSON documents, named by position."""
    return [
        Document(CONDITIONAL_ACCESS_POLICY, data, "t.json", "graph-json", f"p{index}", f"p{index}")
        for index, data in enumerate(items)
    ]
