"""The classes of sign-in a tenant's own policies tell apart, for gap and consistency analysis.

Every condition depends on one part of the sign-in, so a policy applies to a product of sets. For
each part we take one representative per value the policies name (each user, group, role, app,
location, platform, ...) plus "anything else", and merge representatives no policy tells apart.
Enumeration prunes a whole subtree as soon as no covering policy can apply any more: deterministic,
and bounded by `LIMIT` visited classes: past it `LimitReached`, never a partial answer.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, NamedTuple

from linter.policy.apps import app_label
from linter.policy.context import CLIENT_APP_TYPES, GUEST_TYPES, PLATFORMS, RISK_LEVELS, TRANSFER_METHODS, SignInContext
from linter.policy.directory_names import role_label
from linter.policy.evaluate import Evaluator

__all__ = ["LIMIT", "Atom", "LimitReached", "atoms", "candidates", "gaps"]

LIMIT = 200_000


class LimitReached(Exception):
    """More classes than `LIMIT` to visit: an answer would be partial, so none is given."""


_SPECIAL = {"all", "none", "guestsorexternalusers", "office365", "microsoftadminportals", "alltrusted"}
BASE = SignInContext()


class Atom(NamedTuple):
    """A class of one part of the sign-in: its label, its fields, and the policies it lets apply."""

    dimension: str
    label: str
    fields: tuple[tuple[str, Any], ...]
    true_bits: int
    maybe_bits: int


def _mentioned(evaluator: Evaluator, pointers: Sequence[str]) -> list[str]:
    found: dict[str, str] = {}
    for policy in evaluator.policies:
        for pointer in pointers:
            values = policy.values(pointer)
            for value in sorted(values.known) + list(values.unresolved):
                if value.casefold() not in _SPECIAL:
                    found.setdefault(value.casefold(), value)
    return list(found.values())


def _has_special(evaluator: Evaluator, pointers: Sequence[str], special: str) -> bool:
    return any(policy.values(pointer).has(special) for policy in evaluator.policies for pointer in pointers)


def candidates(evaluator: Evaluator, dimension: str) -> list[tuple[str, dict[str, Any]]]:
    """(label, sign-in fields) for each value of the dimension the policies name, and for the rest."""
    users = "/conditions/users/"
    apps = "/conditions/applications/"
    if dimension == "users":
        found: list[tuple[str, dict[str, Any]]] = []
        for value in _mentioned(evaluator, [users + "includeUsers", users + "excludeUsers"]):
            found.append((f"user {value}", {"user": value}))
        for value in _mentioned(evaluator, [users + "includeGroups", users + "excludeGroups"]):
            found.append((f"members of group {value}", {"groups": frozenset([value])}))
        for value in _mentioned(evaluator, [users + "includeRoles", users + "excludeRoles"]):
            found.append((f"holders of role {role_label(value)}", {"roles": frozenset([value])}))
        guest_pointers = [
            users + f"{side}GuestsOrExternalUsers/guestOrExternalUserTypes" for side in ("include", "exclude")
        ]
        guest_types = _mentioned(evaluator, guest_pointers)
        if not guest_types and _has_special(
            evaluator, [users + "includeUsers", users + "excludeUsers"], "GuestsOrExternalUsers"
        ):
            guest_types = ["b2bCollaborationGuest"]
        found += [(f"{_GUESTS} ({_GUEST_NAMES.get(kind, kind)})", {"guest_type": kind}) for kind in guest_types]
        return [*found, (_REST[0], {})]
    if dimension == "application":
        pointers = [apps + "includeApplications", apps + "excludeApplications"]
        found = [(f"app {app_label(value)}", {"target": value}) for value in _mentioned(evaluator, pointers)]
        for group in ("Office365", "MicrosoftAdminPortals"):
            if _has_special(evaluator, pointers, group):
                found.append((f"other {group} apps", {"target": group}))
        return [*found, (_REST[1], {})]
    if dimension == "clientApp":
        return [(value, {"client_app": value}) for value in CLIENT_APP_TYPES]
    if dimension == "platform":
        return [*((value, {"platform": value}) for value in PLATFORMS), ("an undetected platform", {})]
    if dimension == "location":
        locations = "/conditions/locations/"
        pointers = [locations + "includeLocations", locations + "excludeLocations"]
        found = [(f"location {value}", {"location": value}) for value in _mentioned(evaluator, pointers)]
        if _has_special(evaluator, pointers, "AllTrusted"):
            found.append(("other trusted locations", {"location": "(trusted)", "trusted": True}))
        return [*found, ("untrusted networks", {})]
    if dimension in ("signInRisk", "userRisk"):
        field = "sign_in_risk" if dimension == "signInRisk" else "user_risk"
        return [(f"{dimension} {value}", {field: value}) for value in RISK_LEVELS]
    if dimension == "authenticationFlow":
        return [
            ("neither device code flow nor authentication transfer", {}),
            *((value, {"transfer_method": value}) for value in TRANSFER_METHODS),
        ]
    raise ValueError(dimension)


def atoms(
    evaluator: Evaluator,
    dimension: str,
    mask: int,
    base: SignInContext = BASE,
    choices: Sequence[tuple[str, dict[str, Any]]] | None = None,
) -> list[Atom]:
    """One atom per class of this dimension that the policies in mask tell apart, first label kept.

    `choices` replaces the classes the policies name (`candidates`) with given ones.
    """
    merged: dict[tuple[int, int], tuple[list[str], dict[str, Any]]] = {}
    for label, fields in candidates(evaluator, dimension) if choices is None else choices:
        true_bits, maybe_bits = evaluator.bits(dimension, base._replace(**fields))
        signature = (true_bits & mask, maybe_bits & mask)
        merged.setdefault(signature, ([], fields))[0].append(label)
    return [
        Atom(dimension, _joined(labels), tuple(fields.items()), *signature)
        for signature, (labels, fields) in merged.items()
    ]


# The classes that stand for every user or resource no policy names.
_REST = ("all other users", "all other resources")
_GUESTS = "guests"
_GUEST_NAMES = {kind.casefold(): kind for kind in GUEST_TYPES}


def _joined(labels: list[str]) -> str:
    # Named values treated like the unnamed rest are part of it: "group x and 44 more" would hide that
    # everyone else is in the class too.
    for rest in _REST:
        if rest in labels:
            return rest
    if len(labels) > 1 and all(label.startswith(f"{_GUESTS} (") for label in labels):
        kinds = [label[len(_GUESTS) + 2 : -1] for label in labels]
        every = len(kinds) == len(GUEST_TYPES)
        return f"{_GUESTS} ({'every type' if every else ', '.join(kinds)})"
    if len(labels) <= 3:
        return " or ".join(labels)
    return f"{labels[0]} and {len(labels) - 1} more"


def gaps(dimensions: Sequence[Sequence[Atom]], cover: int, limit: int = LIMIT) -> list[tuple[Atom | None, ...]]:
    """Boxes of classes no policy in `cover` may apply to; None in a box means "any value"."""
    if any(not dimension for dimension in dimensions):
        return []
    full = [cover] * (len(dimensions) + 1)
    for depth in range(len(dimensions) - 1, -1, -1):
        every = cover
        for atom in dimensions[depth]:
            every &= atom.maybe_bits
        full[depth] = full[depth + 1] & every
    found: list[tuple[Atom | None, ...]] = []
    visited = 0

    def walk(depth: int, bits: int, chosen: tuple[Atom, ...]) -> None:
        nonlocal visited
        visited += 1
        if visited > limit:
            raise LimitReached(f"more than {limit:,} classes of sign-in to compare")
        if not bits & cover:
            found.append((*chosen, *([None] * (len(dimensions) - depth))))
            return
        if depth == len(dimensions) or bits & full[depth]:
            return
        for atom in dimensions[depth]:
            walk(depth + 1, bits & atom.maybe_bits, (*chosen, atom))

    walk(0, cover, ())
    return found
