"""One function per Conditional Access condition: does it hold for this sign-in, and why.

Each answers like one entry of Graph's `analysisReasons`, three-valued: a value the source computes
(`azuread_group.finance.object_id`) makes the answer None and is named in `depends`.
Semantics: https://learn.microsoft.com/entra/identity/conditional-access/concept-conditional-access-conditions
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import NamedTuple

from linter.policy.apps import groups_of
from linter.policy.compiled import CompiledPolicy, NamedLocation, Values
from linter.policy.context import SignInContext, is_authentication_context, is_user_action

__all__ = ["CONDITIONS", "Match", "Tri", "include_exclude"]

Tri = bool | None
MFA_TRUSTED_IPS = "00000000-0000-0000-0000-000000000000"


class Match(NamedTuple):
    """Whether one condition of a policy matches a sign-in (None: it depends), and why."""

    value: Tri
    reason: str
    depends: tuple[str, ...] = ()


ANY = Match(True, "not configured")


def include_exclude(included: tuple[Tri, str, tuple[str, ...]], excluded: tuple[Tri, str, tuple[str, ...]]) -> Match:
    """Exclusions beat inclusions; an unresolved value on either side leaves the answer open."""
    (inc, inc_how, inc_refs), (exc, exc_how, exc_refs) = included, excluded
    if exc is True:
        return Match(False, f"excluded by {exc_how}")
    if inc is False:
        return Match(False, f"not included{f' ({inc_how})' if inc_how else ''}")
    if inc is True and exc is False:
        return Match(True, f"included by {inc_how}")
    return Match(None, "depends on unresolved values", inc_refs + exc_refs)


def _listed(values: Values, tokens: list[str], label: str) -> tuple[Tri, str, tuple[str, ...]]:
    found, token = values.match(tokens)
    return found, f"{label} {token}" if token else label, values.unresolved if found is None else ()


def _any_of(*answers: tuple[Tri, str, tuple[str, ...]]) -> tuple[Tri, str, tuple[str, ...]]:
    for answer in answers:
        if answer[0] is True:
            return answer
    depends = tuple(ref for answer in answers if answer[0] is None for ref in answer[2])
    return (None, "", depends) if depends else (False, "", ())


def _guests(policy: CompiledPolicy, side: str, context: SignInContext) -> tuple[Tri, str, tuple[str, ...]]:
    prefix = f"/conditions/users/{side}GuestsOrExternalUsers"
    types = policy.values(f"{prefix}/guestOrExternalUserTypes")
    if context.guest_type is None or not types:
        return (False, "", ())
    found, _ = types.match([context.guest_type])
    if found is not True:
        return (found, "", types.unresolved if found is None else ())
    kind = policy.document.get(f"{prefix}/externalTenants/membershipKind")
    if kind != "enumerated":
        return (True, f"guest type {context.guest_type}", ())
    members = policy.values(f"{prefix}/externalTenants/members")
    if context.guest_tenant is None:
        return (None, "", ("the guest's home tenant",))
    tenant, _ = members.match([context.guest_tenant])
    return (tenant, f"guest type {context.guest_type} from tenant {context.guest_tenant}", members.unresolved)


# The values of includeUsers that name no one user.
SPECIAL_USERS = frozenset({"all", "none", "guestsorexternalusers"})


def _users_side(policy: CompiledPolicy, name: str, context: SignInContext) -> tuple[Tri, str, tuple[str, ...]]:
    people = policy.values(f"/conditions/users/{name}Users")
    if name == "include" and people.has("None"):
        return (False, "includeUsers None", ())
    answers = [
        (True, f"{name}Users All", ()) if name == "include" and people.has("All") else (False, "", ()),
        _listed(people, [context.user] if context.user else [], f"{name}Users"),
        _listed(policy.values(f"/conditions/users/{name}Groups"), sorted(context.groups), f"{name}Groups"),
        _listed(policy.values(f"/conditions/users/{name}Roles"), sorted(context.roles), f"{name}Roles"),
        _guests(policy, name, context),
    ]
    if context.guest_type is not None and people.has("GuestsOrExternalUsers"):
        answers.append((True, f"{name}Users GuestsOrExternalUsers", ()))
    return _any_of(*answers)


def users(policy: CompiledPolicy, context: SignInContext, _: Mapping[str, NamedLocation]) -> Match:
    principals = policy.values("/conditions/clientApplications/includeServicePrincipals")
    if principals.known:
        return Match(False, "targets workload identities, not users")
    match = include_exclude(_users_side(policy, "include", context), _users_side(policy, "exclude", context))
    if principals.unresolved and match.value is True:  # a computed block may make it a workload identity policy
        return Match(None, "depends on unresolved values", principals.unresolved)
    return match


def users_included(policy: CompiledPolicy, context: SignInContext) -> Tri:
    """Whether the policy's user inclusions take in the signer, its exclusions set aside."""
    if policy.values("/conditions/clientApplications/includeServicePrincipals").known:
        return False
    return _users_side(policy, "include", context)[0]


def carved_out(policy: CompiledPolicy, excluded: SignInContext) -> list[SignInContext]:
    """The signers an exclusion takes out of a policy: the excluded principal alone, or also one principal
    or guest type the policy includes (memberships are unknown offline), wherever the inclusions may take
    them in."""
    candidates = [excluded]
    if excluded.user is None:
        people = policy.values("/conditions/users/includeUsers").known
        candidates += [excluded._replace(user=user) for user in sorted(people - SPECIAL_USERS)]
    for field, pointer in (("groups", "includeGroups"), ("roles", "includeRoles")):
        for value in sorted(policy.values(f"/conditions/users/{pointer}").known):
            candidates.append(excluded._replace(**{field: getattr(excluded, field) | {value}}))
    guest_types = sorted(policy.values("/conditions/users/includeGuestsOrExternalUsers/guestOrExternalUserTypes").known)
    if "guestsorexternalusers" in policy.values("/conditions/users/includeUsers").known:
        guest_types.append("b2bcollaborationguest")
    candidates += [excluded._replace(guest_type=guest_type) for guest_type in dict.fromkeys(guest_types)]
    return [signer for signer in candidates if users_included(policy, signer) is not False]


def application(policy: CompiledPolicy, context: SignInContext, _: Mapping[str, NamedLocation]) -> Match:
    target = context.target
    if target is not None and is_user_action(target):
        actions = policy.values("/conditions/applications/includeUserActions")
        return include_exclude(_listed(actions, [target], "includeUserActions"), (False, "", ()))
    if target is not None and is_authentication_context(target):
        contexts = policy.values("/conditions/applications/includeAuthenticationContextClassReferences")
        found = _listed(contexts, [target], "includeAuthenticationContextClassReferences")
        return include_exclude(found, (False, "", ()))
    included = policy.values("/conditions/applications/includeApplications")
    excluded = policy.values("/conditions/applications/excludeApplications")
    tokens = ([target] if target is not None else []) + list(groups_of(target or ""))
    app_filter = policy.document.get("/conditions/applications/applicationFilter/mode")
    filtered = (None, "", ("the application filter (custom security attributes)",))
    inc = _any_of(
        (True, "includeApplications All", ()) if included.has("All") else (False, "", ()),
        _listed(included, tokens, "includeApplications"),
        filtered if app_filter == "include" else (False, "", ()),
    )
    exc = _any_of(
        _listed(excluded, tokens, "excludeApplications"),
        filtered if app_filter == "exclude" else (False, "", ()),
    )
    return include_exclude(inc, exc)


def client_app(policy: CompiledPolicy, context: SignInContext, _: Mapping[str, NamedLocation]) -> Match:
    types = policy.values("/conditions/clientAppTypes")
    if not types or types.has("all"):
        return Match(True, "all client apps")
    wanted = [context.client_app] + (["easSupported"] if context.client_app == "exchangeActiveSync" else [])
    found = types.match(wanted)[0]
    if found is None:
        return Match(None, "depends on unresolved values", types.unresolved)
    return Match(found, f"clientAppTypes {'include' if found else 'exclude'} {context.client_app}")


def platform(policy: CompiledPolicy, context: SignInContext, _: Mapping[str, NamedLocation]) -> Match:
    included = policy.values("/conditions/platforms/includePlatforms")
    excluded = policy.values("/conditions/platforms/excludePlatforms")
    if not included and not excluded:
        return ANY
    # "Any device" includes platforms Entra cannot detect; a list of platforms does not.
    name = context.platform or "unknown platform"
    tokens = [context.platform] if context.platform else []
    inc = _any_of(
        (True, "includePlatforms all", ()) if included.has("all") else (False, "", ()),
        _listed(included, tokens, "includePlatforms"),
    )
    exc = _any_of(
        (True, "excludePlatforms all", ()) if excluded.has("all") else (False, "", ()),
        _listed(excluded, tokens, "excludePlatforms"),
    )
    match = include_exclude(inc, exc)
    return Match(match.value, f"{match.reason} ({name})", match.depends)


def _where(context: SignInContext, locations: Mapping[str, NamedLocation]) -> tuple[list[str], Tri, str]:
    """The named locations a sign-in is in, whether it is trusted, and a label."""
    matched: list[str] = []
    trusted: Tri = False
    label = "an untrusted network"
    if context.location is not None:
        matched.append(context.location)
        known = locations.get(context.location.casefold())
        label = f"location {known.name if known else context.location}"
        if known is not None:
            matched.append(known.id)
        trusted = known.trusted if known is not None else (True if context.location == MFA_TRUSTED_IPS else None)
    if context.country is not None:
        country = context.country.casefold()
        for location in locations.values():
            if country in location.countries or (country == "unknown" and location.unknown_countries):
                matched.append(location.id)
        label += f" in {context.country}"
    if context.trusted is not None:
        trusted = context.trusted
    return matched, trusted, label


def location(policy: CompiledPolicy, context: SignInContext, locations: Mapping[str, NamedLocation]) -> Match:
    included = policy.values("/conditions/locations/includeLocations")
    excluded = policy.values("/conditions/locations/excludeLocations")
    if not included and not excluded:
        return ANY
    matched, trusted, label = _where(context, locations)
    trust_unknown = (f"whether {context.location} is a trusted location",)

    def side(values: Values, name: str) -> tuple[Tri, str, tuple[str, ...]]:
        all_trusted: tuple[Tri, str, tuple[str, ...]] = (False, "", ())
        if values.has("AllTrusted"):
            all_trusted = (trusted, f"{name} AllTrusted", trust_unknown if trusted is None else ())
        every = (True, f"{name} All", ()) if values.has("All") else (False, "", ())
        return _any_of(every, all_trusted, _listed(values, matched, name))

    match = include_exclude(side(included, "includeLocations"), side(excluded, "excludeLocations"))
    return Match(match.value, f"{match.reason} ({label})", match.depends)


def _risk(pointer: str, level: str, label: str) -> Callable[[CompiledPolicy, SignInContext], Match]:
    def check(policy: CompiledPolicy, context: SignInContext) -> Match:
        levels = policy.values(pointer)
        if not levels:
            return ANY
        value = getattr(context, level)
        found, _ = levels.match([value])
        if found is None:
            return Match(None, "depends on unresolved values", levels.unresolved)
        return Match(found, f"{label} {value} {'is' if found else 'is not'} listed")

    return check


_sign_in_risk = _risk("/conditions/signInRiskLevels", "sign_in_risk", "sign-in risk")
_user_risk = _risk("/conditions/userRiskLevels", "user_risk", "user risk")


def sign_in_risk(policy: CompiledPolicy, context: SignInContext, _: Mapping[str, NamedLocation]) -> Match:
    return _sign_in_risk(policy, context)


def user_risk(policy: CompiledPolicy, context: SignInContext, _: Mapping[str, NamedLocation]) -> Match:
    return _user_risk(policy, context)


def insider_risk(policy: CompiledPolicy, context: SignInContext, _: Mapping[str, NamedLocation]) -> Match:
    if not policy.values("/conditions/insiderRiskLevels"):
        return ANY
    return Match(None, "insider risk is not part of the sign-in", ("the user's insider risk level",))


# Deprecated device states, as the filter rules Microsoft migrated them to.
_DEVICE_STATES = {"compliant": "device.isCompliant -eq True", "domainjoined": 'device.trustType -eq "ServerAD"'}


def devices(policy: CompiledPolicy, context: SignInContext, _: Mapping[str, NamedLocation]) -> Match:
    rule = policy.document.get("/conditions/devices/deviceFilter/rule")
    mode = policy.document.get("/conditions/devices/deviceFilter/mode")
    if not isinstance(rule, str):
        states = policy.values("/conditions/devices/excludeDeviceStates").known
        rules = [_DEVICE_STATES[state] for state in sorted(states) if state in _DEVICE_STATES]
        if not rules:
            return ANY
        rule, mode = " -or ".join(rules), "exclude"
    # Imported here: rule modules import this one, and most runs never meet a device filter.
    from linter.policy.devicefilter import DeviceFilterError, evaluate, parse

    try:
        matches = evaluate(parse(rule), context.device)
    except DeviceFilterError as error:
        return Match(None, f"device filter cannot be evaluated: {error}", (f"the device filter {rule!r}",))
    if matches is None:
        return Match(None, "device filter needs device attributes not given", (f"the device filter {rule!r}",))
    applies = matches if mode == "include" else not matches
    verb = "matches" if matches else "does not match"
    return Match(applies, f"device {verb} the {mode} filter")


def authentication_flow(policy: CompiledPolicy, context: SignInContext, _: Mapping[str, NamedLocation]) -> Match:
    methods = policy.values("/conditions/authenticationFlows/transferMethods")
    if not methods:
        return ANY
    # A session that once used a listed flow stays protocol-tracked through later refreshes.
    found, token = methods.match([m for m in (context.transfer_method, context.original_transfer_method) if m])
    if found is None:
        return Match(None, "depends on unresolved values", methods.unresolved)
    if found and token != context.transfer_method:
        return Match(True, f"session protocol-tracked from {token}")
    return Match(found, f"transfer method {token}" if found else "no listed transfer method in the session")


Condition = Callable[[CompiledPolicy, SignInContext, Mapping[str, NamedLocation]], Match]

# In the order Graph reports analysisReasons; the first failing one is the deciding condition.
CONDITIONS: tuple[tuple[str, Condition], ...] = (
    ("users", users),
    ("application", application),
    ("clientApp", client_app),
    ("platform", platform),
    ("location", location),
    ("devices", devices),
    ("signInRisk", sign_in_risk),
    ("userRisk", user_risk),
    ("insiderRisk", insider_risk),
    ("authenticationFlow", authentication_flow),
)

DIMENSION_KEYS: dict[str, Callable[[SignInContext], object]] = {
    "users": SignInContext.users_key,
    "application": lambda context: context.target,
    "clientApp": lambda context: context.client_app,
    "platform": lambda context: context.platform,
    "location": SignInContext.location_key,
    "devices": SignInContext.device_key,
    "signInRisk": lambda context: context.sign_in_risk,
    "userRisk": lambda context: context.user_risk,
    "insiderRisk": lambda context: None,
    "authenticationFlow": SignInContext.flow_key,
}
