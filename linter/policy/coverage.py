"""Which sign-ins a tenant's enforced policies leave uncovered: the question tenant rules ask the evaluator.

The sign-ins are fixed on some parts (a transfer method, the legacy client apps) and range over
the others as the tenant's policies tell them apart (`linter.policy.sign_in_classes`). A class is covered
when an enforced policy (enabled, or with a computed state) that meets the rule's requirement may
apply to it. A value the source computes counts as covering, so a rule never guesses a gap.
Exempt classes (emergency-access accounts, the Device Registration Service for device code flow,
or whatever the covering policies exclude, when exclusions are allowed) are not asked about.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any, NamedTuple

from linter.model import Unresolved
from linter.model.source import split_pointer
from linter.policy.compiled import CompiledPolicy
from linter.policy.conditions import MFA_TRUSTED_IPS
from linter.policy.context import DIMENSIONS, GUEST_TYPES, SignInContext
from linter.policy.evaluate import Evaluator, bits_of
from linter.policy.sign_in_classes import BASE, Atom, atoms, candidates, gaps
from linter.policy.strength import enforced_bits
from linter.policy.values import lookup

__all__ = ["DIMENSIONS", "Coverage", "Gap", "exclusions", "trusted_locations", "uncovered"]

# Conditions the sign-in classes do not enumerate: one class each, "any device", "any insider risk".
DEVICES, INSIDER_RISK = "devices", "insiderRisk"
FIELDS = {
    "application": "target",
    "clientApp": "client_app",
    "platform": "platform",
    "location": "location",
    "signInRisk": "sign_in_risk",
    "userRisk": "user_risk",
    "authenticationFlow": "transfer_method",
}
_UNNAMED = {
    "application": "any other resource",
    "platform": "an undetected platform",
    "location": "untrusted networks",
    "authenticationFlow": "neither device code flow nor authentication transfer",
}
_EXCLUDE_LISTS = {
    "users": (
        "/conditions/users/excludeUsers",
        "/conditions/users/excludeGroups",
        "/conditions/users/excludeRoles",
        "/conditions/users/excludeGuestsOrExternalUsers/guestOrExternalUserTypes",
    ),
    "application": ("/conditions/applications/excludeApplications",),
    "platform": ("/conditions/platforms/excludePlatforms",),
    "location": ("/conditions/locations/excludeLocations",),
}
_TRUSTED = "alltrusted"
_DEVICE_FILTER = split_pointer("/conditions/devices/deviceFilter")


class Gap(NamedTuple):
    """One box of uncovered sign-ins: an atom per dimension; `unbounded[i]`: any value of dimension i is uncovered."""

    atoms: tuple[Atom, ...]
    unbounded: tuple[bool, ...]
    described: tuple[bool, ...]  # which dimensions a description names

    def context(self, base: SignInContext = BASE) -> SignInContext:
        """One sign-in of the box, for `entralint whatif` and for tests."""
        fields: dict[str, Any] = {}
        for atom in self.atoms:
            fields.update(atom.fields)
        return base._replace(**fields)

    @property
    def subject(self) -> str:
        return "all users" if self.unbounded[0] else self.atoms[0].label

    @property
    def resource(self) -> str:
        return "all resources" if self.unbounded[1] else self.atoms[1].label

    @property
    def conditions(self) -> tuple[str, ...]:
        return tuple(
            atom.label
            for atom, is_unbounded, named in zip(self.atoms[2:], self.unbounded[2:], self.described[2:], strict=True)
            if named and not is_unbounded
        )

    @property
    def everything(self) -> bool:
        """Is every sign-in of the question in this box (nothing but the fixed parts named)?"""
        return self.unbounded[0] and self.unbounded[1] and not self.conditions

    def describe(self) -> str:
        conditions = self.conditions
        detail = f" ({', '.join(conditions)})" if conditions else ""
        return f"{self.subject} signing in to {self.resource}{detail}"


class Coverage(NamedTuple):
    """The answer: the policies that count as covering, and the boxes of sign-ins none of them covers."""

    evaluator: Evaluator
    cover: int
    gaps: tuple[Gap, ...]

    @property
    def complete(self) -> bool:
        return not self.gaps

    @property
    def gaps_are_whole(self) -> bool:
        """Does every gap span all users and resources under any condition, so that naming it says nothing?"""
        return bool(self.gaps) and all(gap.everything for gap in self.gaps)

    def leaves_open(self, dimension: str, **fields: Any) -> bool:
        """Is some sign-in with these fields (one value of the dimension) in a gap?"""
        index = DIMENSIONS.index(dimension)
        dimension_bits = self.evaluator.dimension(dimension, BASE._replace(**fields))
        signature = (dimension_bits.true_bits & self.cover, dimension_bits.maybe_bits & self.cover)
        return any(
            gap.unbounded[index] or (gap.atoms[index].true_bits, gap.atoms[index].maybe_bits) == signature
            for gap in self.gaps
        )


def exclusions(evaluator: Evaluator, policies: int) -> dict[str, frozenset[str]]:
    """What the policies exclude, per dimension, casefolded: users, groups, roles, guest types, apps, ..."""
    found: dict[str, set[str]] = {name: set() for name in _EXCLUDE_LISTS}
    for policy in evaluator.results(policies):
        for dimension, pointers in _EXCLUDE_LISTS.items():
            for pointer in pointers:
                values = policy.values(pointer)
                found[dimension].update(values.known, (item.casefold() for item in values.unresolved))
        if policy.values("/conditions/users/excludeUsers").has("GuestsOrExternalUsers"):
            found["users"].update(kind.casefold() for kind in GUEST_TYPES)
    return {dimension: frozenset(values) for dimension, values in found.items()}


_INCLUDE_LISTS = tuple(
    pointer.replace("/exclude", "/include") for lists in _EXCLUDE_LISTS.values() for pointer in lists
)


def _computed_includes(evaluator: Evaluator) -> set[str]:
    """References (casefolded source text) any policy includes: a class named by one is not known to exist apart.

    A reference on an include list (or a computed block read under every pointer) may be anyone: asking
    whether "the users `var.x` names" are covered would guess a gap.
    """
    found: set[str] = set()
    for policy in evaluator.policies:
        for pointer in _INCLUDE_LISTS:
            found.update(item.casefold() for item in policy.values(pointer).unresolved)
    return found


def _names(fields: Mapping[str, Any]) -> set[str]:
    """The casefolded ids a class is known by: its user, groups, roles, guest type, app, location, platform."""
    names: set[str] = set()
    for key, value in fields.items():
        if key == "trusted" and value is True:
            names.add(_TRUSTED)
        elif isinstance(value, str):
            names.add(value.casefold())
        elif isinstance(value, frozenset):
            names.update(item.casefold() for item in value if isinstance(item, str))
    return names


def _choices(evaluator: Evaluator, dimension: str, values: Sequence[Any] | None) -> list[tuple[str, dict[str, Any]]]:
    if values is None:
        return candidates(evaluator, dimension)
    if dimension == "users":  # users are fixed to guests and external users, by guest type
        return [(f"guests ({kind})", {"guest_type": kind}) for kind in values]
    field = FIELDS[dimension]
    return [
        (str(value) if value is not None else _UNNAMED.get(dimension, "none"), {field: value} if value else {})
        for value in values
    ]


def _device_atom(evaluator: Evaluator, mask: int, exclusions_allowed: bool) -> Atom:
    """Devices: a filter in include mode leaves out the devices it does not match, so it covers none for sure."""
    true_bits = maybe_bits = 0
    for policy in evaluator.results(mask):
        bit = 1 << policy.index
        device_filter = lookup(policy.document.data, _DEVICE_FILTER)
        rule = lookup(device_filter, ("rule",)) if isinstance(device_filter, Mapping) else device_filter
        mode = lookup(device_filter, ("mode",)) if isinstance(device_filter, Mapping) else None
        if isinstance(rule, Unresolved) or isinstance(mode, Unresolved):
            maybe_bits |= bit
        elif isinstance(rule, str) and mode == "include":
            continue
        elif isinstance(rule, str) or policy.values("/conditions/devices/excludeDeviceStates").known:
            if exclusions_allowed:  # an exclude-mode filter is an exclusion like any other
                true_bits |= bit
        else:
            true_bits |= bit
    return Atom(DEVICES, "devices outside a device filter", (), true_bits, true_bits | maybe_bits)


def _insider_atom(evaluator: Evaluator, mask: int) -> Atom:
    """Insider risk is not part of a sign-in: a policy that lists levels covers only some users, so none for sure."""
    true_bits = maybe_bits = 0
    for policy in evaluator.results(mask):
        levels = policy.values("/conditions/insiderRiskLevels")
        if not levels:
            true_bits |= 1 << policy.index
        elif not levels.known:
            maybe_bits |= 1 << policy.index
    return Atom(INSIDER_RISK, "users without the listed insider risk", (), true_bits, true_bits | maybe_bits)


def uncovered(
    evaluator: Evaluator,
    meets: Callable[[CompiledPolicy], bool | None],
    *,
    fixed: Mapping[str, Sequence[Any]] | None = None,
    exempt: Mapping[str, Iterable[str]] | None = None,
    exclusions_allowed: bool = False,
    excluding: Callable[[CompiledPolicy], bool] | None = None,
    subjects: Sequence[tuple[str, dict[str, Any]]] | None = None,
    device_exclusions_allowed: bool | None = None,
    also_enforced: int = 0,
) -> Coverage:
    """The sign-ins fixed on `fixed` (dimension -> allowed values) that no enforced policy meeting `meets` covers.

    `fixed["users"]` holds guest types (`GUEST_TYPES`): the question is about guests and external users.

    `meets` answers None when a computed value decides (a Terraform `dynamic "grant_controls"`): such a
    policy counts as meeting it.

    `exempt` names classes not asked about (dimension -> ids: `{"users": emergency accounts}`); with
    `exclusions_allowed`, whatever a covering policy excludes (users, resources, platforms,
    locations, devices by filter) is exempt too: of the covering policies `excluding` picks (those
    about the question, say), or of all of them. `subjects` replaces the classes of users asked about
    ((label, sign-in fields) each: the holders of a role, say). `device_exclusions_allowed` (by default as
    `exclusions_allowed`) exempts the devices an exclude-mode device filter leaves out, alone: for a
    control Microsoft asks to keep off device types that cannot satisfy it (token protection).
    `also_enforced` (policy bits) counts those policies as enforced whatever their state: what turning them on would do.
    """
    fixed = fixed or {}
    exempt = exempt or {}
    meeting = bits_of(policy.index for policy in evaluator.policies if meets(policy) is not False)
    cover = (enforced_bits(evaluator) | also_enforced) & meeting
    skipped: dict[str, set[str]] = {name: {value.casefold() for value in exempt.get(name, ())} for name in DIMENSIONS}
    if exclusions_allowed:
        chosen = (
            cover if excluding is None else cover & bits_of(p.index for p in evaluator.results(cover) if excluding(p))
        )
        for dimension, values in exclusions(evaluator, chosen).items():
            skipped[dimension].update(values)
    computed = _computed_includes(evaluator)
    if computed:
        for name in DIMENSIONS:
            skipped[name] |= computed
    dimensions: list[list[Atom]] = []
    for name in DIMENSIONS:
        choices = [
            (label, fields)
            for label, fields in (
                subjects if name == "users" and subjects is not None else _choices(evaluator, name, fixed.get(name))
            )
            if not (skipped[name] and _names(fields) & skipped[name])
        ]
        dimensions.append(atoms(evaluator, name, cover, choices=choices))
    devices_exempt = exclusions_allowed if device_exclusions_allowed is None else device_exclusions_allowed
    dimensions += [[_device_atom(evaluator, cover, devices_exempt)], [_insider_atom(evaluator, cover)]]
    described = tuple(
        index < 2
        or (len(dimension) > 1 and DIMENSIONS[index] not in fixed)
        or (index >= len(DIMENSIONS) and dimension[0].maybe_bits & cover != cover)
        for index, dimension in enumerate(dimensions)
    )
    # Fixed users (guests) or resources (a user action) are what the question names, never "all users/resources".
    named = [index < 2 and DIMENSIONS[index] in fixed for index in range(len(dimensions))]
    whole = [dimension[0]._replace(label=" or ".join(atom.label for atom in dimension)) for dimension in dimensions]
    found = []
    for box in gaps(dimensions, cover):
        filled = tuple(
            atom if atom is not None else (whole[index] if named[index] else dimensions[index][0])
            for index, atom in enumerate(box)
        )
        # A dimension the policies do not split (one class) is "any value", named as such; but the one class of
        # devices or insider risk is what a filter or a level leaves out, which a box that reached it names.
        unbounded = tuple(
            not named[index] and (atom is None or (len(dimensions[index]) == 1 and index < len(DIMENSIONS)))
            for index, atom in enumerate(box)
        )
        found.append(Gap(filled, unbounded, described))
    return Coverage(evaluator, cover, tuple(found))


def trusted_locations(evaluator: Evaluator) -> tuple[str, ...]:
    """The names a sign-in from a trusted location is known by: `AllTrusted`, MFA trusted IPs, trusted named locations.

    For `exempt={"location": ...}`: a question that leaves sign-ins from trusted networks to the tenant.
    """
    # Every name the table knows a trusted location by: a Terraform policy writes `azuread_named_location.x.id`.
    named = (name for name, location in evaluator.locations.items() if location.trusted is True)
    return tuple(dict.fromkeys((_TRUSTED, MFA_TRUSTED_IPS.casefold(), *named)))
