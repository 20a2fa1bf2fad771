"""Graph PowerShell SDK calls that create or update Conditional Access policies and named locations.

`New-MgIdentityConditionalAccessPolicy` / `Update-…` (and the `MgBeta` cmdlets) with `-BodyParameter` (a
hashtable, a `$variable` holding one, or a `[MicrosoftGraphConditionalAccessPolicy]::new()` object filled by
property assignments) or with individual parameters; `Invoke-MgGraphRequest -Method POST|PATCH` to
`…/identity/conditionalAccess/policies`, `…/namedLocations` or `…/policies/tokenLifetimePolicies` with `-Body` as
a hashtable or a JSON string. Keys are Graph's, so the Graph normalizer reads them. Nothing is run.
https://learn.microsoft.com/powershell/module/microsoft.graph.identity.signins/new-mgidentityconditionalaccesspolicy
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any, NamedTuple

from linter.loaders.dsc.properties import ALWAYS_LISTS
from linter.loaders.powershell.values import Node, Parser
from linter.model import CONDITIONAL_ACCESS_POLICY, NAMED_LOCATION, TOKEN_LIFETIME_POLICY, Unresolved

__all__ = ["CMDLETS", "Call", "assign_member", "cmdlet_call", "request_call", "typed_object"]

_CA_ID = "conditionalaccesspolicyid"
_LOCATION_ID = "namedlocationid"
# cmdlet in lower case -> (document kind, the parameter naming the object an update changes)
CMDLETS = {
    f"{verb}-mg{beta}identityconditionalaccess{noun}": (kind, id_parameter)
    for verb in ("new", "update")
    for beta in ("", "beta")
    for noun, kind, id_parameter in (
        ("policy", CONDITIONAL_ACCESS_POLICY, _CA_ID),
        ("namedlocation", NAMED_LOCATION, _LOCATION_ID),
    )
}
REQUEST_CMDLET = "invoke-mggraphrequest"

# The cmdlets' own parameters for the policy's top-level properties.
_INDIVIDUAL = {
    "displayname": "displayName",
    "state": "state",
    "conditions": "conditions",
    "grantcontrols": "grantControls",
    "sessioncontrols": "sessionControls",
    "id": "id",
    "ipranges": "ipRanges",
    "istrusted": "isTrusted",
    "additionalproperties": "",  # merged into the body: the SDK sends its keys as they are
}
_URL = re.compile(
    r"/(?P<collection>identity/conditionalAccess/policies|identity/conditionalAccess/namedLocations"
    r"|policies/tokenLifetimePolicies)(?:/(?P<id>[^/?\s\"']+))?/?(?:[?\s\"']|$)",
    re.IGNORECASE,
)
_URL_KINDS = {
    "identity/conditionalaccess/policies": CONDITIONAL_ACCESS_POLICY,
    "identity/conditionalaccess/namedlocations": NAMED_LOCATION,
    "policies/tokenlifetimepolicies": TOKEN_LIFETIME_POLICY,
}
_WRITES = frozenset({"post", "patch"})
# [Microsoft.Graph.PowerShell.Models.MicrosoftGraph…]::new(): the SDK model classes a script fills property by property.
TYPED_OBJECTS = frozenset(
    {
        "microsoftgraphconditionalaccesspolicy",
        "microsoftgraphipnamedlocation",
        "microsoftgraphcountrynamedlocation",
        "microsoftgraphtokenlifetimepolicy",
    }
)
# The model's `string[]` properties, by Graph path: assigning one string makes a one-item array. Guest and
# external user types are one comma-joined string in Graph, not an array.
_TYPED_LISTS = frozenset(path for path in ALWAYS_LISTS if not path.endswith("guestOrExternalUserTypes"))


class Call(NamedTuple):
    """A call that writes a policy: what kind, its body (a value node), and the id it names, if any."""

    kind: str
    body: Node
    policy_id: Any


def _lower_first(name: str) -> str:
    return name[:1].lower() + name[1:]


def typed_object(parser: Parser, index: int) -> tuple[Node, int] | None:
    """`[…MicrosoftGraphConditionalAccessPolicy]::new()` at index: an empty object and the index after it."""
    if parser.kind(index) != "[" or parser.kind(index + 1) != "word" or parser.kind(index + 2) != "]":
        return None
    type_name = parser.tokens[index + 1].value.rsplit(".", maxsplit=1)[-1].lower()
    constructor = parser.tokens[index + 3] if index + 3 < len(parser.tokens) else None
    if type_name not in TYPED_OBJECTS or constructor is None or constructor.value.lower() != "::new":
        return None
    after = index + 4
    if parser.kind(after) == "(" and parser.kind(after + 1) == ")":
        after += 2
    return Node({}, parser.tokens[index].start, parser.tokens[after - 1].end), after


def assign_member(root: Node, names: list[str], value: Node, typed: bool, statement: tuple[int, int]) -> None:
    """`$policy.Conditions.Users.IncludeUsers = value`: set the value, creating the objects on the way.

    The SDK's model objects create their nested objects on first access; a hashtable needs them to exist,
    which a script that runs has made sure of, so both are read alike.
    """
    keys = [_lower_first(name) if typed else name for name in names]
    if typed and "/".join(keys) in _TYPED_LISTS and not isinstance(value.value, (list, Unresolved)):
        value = Node([value], value.start, value.end)
    # The objects on the way span the statements that set them; the value keeps where it is written
    # (a variable's value, where the variable was assigned).
    start, end = statement
    current = root
    for key in keys[:-1]:
        current.start, current.end = min(current.start, start), max(current.end, end)
        child = current.value.get(key)
        if child is None or not isinstance(child.value, dict):
            child = current.value[key] = Node({}, start, end)
        current = child
    current.start, current.end = min(current.start, start), max(current.end, end)
    current.value[keys[-1]] = value


def cmdlet_call(cmdlet: str, arguments: Mapping[str, Node], start: int, end: int) -> Call | None:
    """The policy a `New-MgIdentityConditionalAccess…` or `Update-…` call sends."""
    kind, id_parameter = CMDLETS[cmdlet]
    policy_id = arguments[id_parameter].value if id_parameter in arguments else None
    body = arguments.get("bodyparameter")
    if body is not None:
        return Call(kind, body, policy_id) if isinstance(body.value, dict) else None
    entries: dict[str, Node] = {}
    for name, value in arguments.items():
        key = _INDIVIDUAL.get(name)
        if key == "" and isinstance(value.value, dict):
            entries.update(value.value)
        elif key:
            entries[key] = value
    return Call(kind, Node(entries, start, end), policy_id) if entries else None


def request_call(arguments: Mapping[str, Node]) -> tuple[str, Node, Any, str] | None:
    """(kind, body, id, method in lower case) of an `Invoke-MgGraphRequest` that writes a policy; else None."""
    method, uri, body = (arguments.get(name) for name in ("method", "uri", "body"))
    if method is None or not isinstance(method.value, str) or method.value.lower() not in _WRITES:
        return None
    if uri is None or body is None or not isinstance(uri.value, str):
        return None
    found = _URL.search(uri.value)
    if found is None:
        return None
    kind = _URL_KINDS[found.group("collection").lower()]
    policy_id = found.group("id")
    if policy_id is not None and isinstance(uri.value, Unresolved):
        policy_id = Unresolved(policy_id)
    return kind, body, policy_id, method.value.lower()
