"""azuread provider resources (3.x) mapped onto Graph: what the provider would send, with where each value came from.

The input is a resource body in Terraform JSON form (blocks are a list of objects, or one object
in .tf.json); the output is the Graph-shaped dict plus a translation `Graph pointer -> source
pointer`. Empty strings, zero and false are the provider's "not set" (plans and state are full
of them) and map to nothing, as the provider's expand functions do:
https://github.com/hashicorp/terraform-provider-azuread/blob/main/internal/services/conditionalaccess/conditionalaccess.go
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any, NamedTuple, Union

from linter.model import Unresolved

__all__ = [
    "META_ARGUMENTS",
    "Translation",
    "UnknownAttribute",
    "block",
    "conditional_access_attribute",
    "map_authentication_strength",
    "map_conditional_access",
    "map_named_location",
]

Translation = dict[str, str]


class UnknownAttribute(NamedTuple):
    """An attribute or block the provider's schema does not have: Terraform refuses it (`Unsupported argument`)."""

    pointer: str  # where it is written, in the resource body's pointers
    name: str
    block: str  # the block it sits in, as `conditions.applications`; "" for the resource itself
    graph: str  # the Graph pointer of that block: the finding's pointer is it and the name as written
    known: tuple[str, ...]


Unknowns = list[UnknownAttribute]

# Terraform meta-arguments and provider-only settings: never part of the Graph object.
META_ARGUMENTS = frozenset({"count", "for_each", "depends_on", "lifecycle", "provider", "timeouts", "provisioner"})
_SESSION_CONTROLS = (
    "application_enforced_restrictions_enabled",
    "cloud_app_security_policy",
    "disable_resilience_defaults",
    "persistent_browser_mode",
    "sign_in_frequency",
    "sign_in_frequency_authentication_type",
    "sign_in_frequency_interval",
    "sign_in_frequency_period",
)
# source attribute -> (Graph key, None for a value | a nested spec for a block | a value transform)
Spec = dict[str, tuple[str, Union["Spec", Callable[[Any], Any], None]]]

_FILTER: Spec = {"mode": ("mode", None), "rule": ("rule", None)}
_EXTERNAL_TENANTS: Spec = {"membership_kind": ("membershipKind", None), "members": ("members", None)}
_GUESTS: Spec = {
    "guest_or_external_user_types": ("guestOrExternalUserTypes", None),
    "external_tenants": ("externalTenants", _EXTERNAL_TENANTS),
}
_USERS: Spec = {
    "included_users": ("includeUsers", None),
    "excluded_users": ("excludeUsers", None),
    "included_groups": ("includeGroups", None),
    "excluded_groups": ("excludeGroups", None),
    "included_roles": ("includeRoles", None),
    "excluded_roles": ("excludeRoles", None),
    "included_guests_or_external_users": ("includeGuestsOrExternalUsers", _GUESTS),
    "excluded_guests_or_external_users": ("excludeGuestsOrExternalUsers", _GUESTS),
}
_CONDITIONS: Spec = {
    "client_app_types": ("clientAppTypes", None),
    "sign_in_risk_levels": ("signInRiskLevels", None),
    "user_risk_levels": ("userRiskLevels", None),
    "service_principal_risk_levels": ("servicePrincipalRiskLevels", None),
    "insider_risk_levels": ("insiderRiskLevels", None),
    # A set in Terraform, one comma-joined flags string in Graph; normalize would split it again.
    "authentication_flow_transfer_methods": ("authenticationFlows/transferMethods", None),
    "applications": (
        "applications",
        {
            "included_applications": ("includeApplications", None),
            "excluded_applications": ("excludeApplications", None),
            "included_user_actions": ("includeUserActions", None),
            "filter": ("applicationFilter", _FILTER),
        },
    ),
    "users": ("users", _USERS),
    "client_applications": (
        "clientApplications",
        {
            "included_service_principals": ("includeServicePrincipals", None),
            "excluded_service_principals": ("excludeServicePrincipals", None),
            "filter": ("servicePrincipalFilter", _FILTER),
        },
    ),
    "devices": ("devices", {"filter": ("deviceFilter", _FILTER)}),
    "locations": (
        "locations",
        {"included_locations": ("includeLocations", None), "excluded_locations": ("excludeLocations", None)},
    ),
    "platforms": (
        "platforms",
        {"included_platforms": ("includePlatforms", None), "excluded_platforms": ("excludePlatforms", None)},
    ),
}


def _strength_id(value: Any) -> Any:
    # The provider takes `/policies/authenticationStrengthPolicies/<id>` and sends only <id>.
    if isinstance(value, str) and not isinstance(value, Unresolved):
        return value.rsplit("/", 1)[-1]
    return value


_GRANT: Spec = {
    "operator": ("operator", None),
    "built_in_controls": ("builtInControls", None),
    "custom_authentication_factors": ("customAuthenticationFactors", None),
    "terms_of_use": ("termsOfUse", None),
    "authentication_strength_policy_id": ("authenticationStrength/id", _strength_id),
}


def _unset(value: Any) -> bool:
    return value is None or value == "" or value is False or (value == 0 and not isinstance(value, bool))


def block(body: Mapping[str, Any], key: str, pointer: str) -> tuple[Any, str]:
    """The one block `key` of a body (a list of one object, or the object itself) and its pointer."""
    value = body.get(key)
    pointer = f"{pointer}/{key}"
    if value is None:
        return None, pointer
    if isinstance(value, list):
        if not value:
            return None, pointer
        value, pointer = value[0], pointer + "/0"
    if isinstance(value, (dict, Unresolved, Mapping)):
        return value, pointer
    return None, pointer


def _place(out: dict[str, Any], graph_key: str, value: Any) -> None:
    if "/" not in graph_key:
        out[graph_key] = value
        return
    *parents, last = graph_key.split("/")
    for parent in parents:
        out = out.setdefault(parent, {})
    out[last] = value


def unknown_attributes(
    body: Mapping[str, Any], pointer: str, known: Iterable[str], where: str, graph: str, unknown: Unknowns | None
) -> None:
    """Add to `unknown` the keys of body that are not `known` (nothing when `unknown` is None)."""
    if unknown is None or isinstance(body, Unresolved):
        return
    names = tuple(known)
    for key in body:
        if key not in names:
            unknown.append(UnknownAttribute(f"{pointer}/{key}", key, where, graph, names))


def map_spec(
    body: Mapping[str, Any],
    pointer: str,
    spec: Spec,
    graph: str,
    translation: Translation,
    unknown: Unknowns | None = None,
    where: str = "",
) -> dict[str, Any]:
    """Map the attributes and blocks of `spec` from body; copies lists so documents never share them.

    With `unknown`, the keys of the nested blocks that `spec` does not know are added to it; `where` names
    the block body is.
    """
    out: dict[str, Any] = {}
    for key, (graph_key, nested) in spec.items():
        if key not in body:
            continue
        target = f"{graph}/{graph_key}"
        if isinstance(nested, dict):
            value, source = block(body, key, pointer)
            if value is None:
                continue
            if not isinstance(value, Unresolved):
                inner = f"{where}.{key}" if where else key
                unknown_attributes(value, source, nested, inner, target, unknown)
                value = map_spec(value, source, nested, target, translation, unknown, inner)
        else:
            value, source = body[key], f"{pointer}/{key}"
            if _unset(value):
                continue
            if nested is not None:
                value = nested(value)
            elif isinstance(value, list):
                value = list(value)
        translation[target] = source
        _place(out, graph_key, value)
    return out


def _session_controls(body: Mapping[str, Any], pointer: str, translation: Translation) -> dict[str, Any] | None:
    """expandConditionalAccessSessionControls: what the provider sends, None when it sends nothing."""
    graph = "/sessionControls"
    result: dict[str, Any] = {}

    def source(key: str) -> str:
        return f"{pointer}/{key}"

    cloud_app_security = body.get("cloud_app_security_policy")
    if not _unset(cloud_app_security):
        result["cloudAppSecurity"] = {"isEnabled": True, "cloudAppSecurityType": cloud_app_security}
        translation[graph + "/cloudAppSecurity"] = source("cloud_app_security_policy")
    persistent_browser = body.get("persistent_browser_mode")
    if not _unset(persistent_browser):
        result["persistentBrowser"] = {"isEnabled": True, "mode": persistent_browser}
        translation[graph + "/persistentBrowser"] = source("persistent_browser_mode")
    frequency: dict[str, Any] = {}
    value = body.get("sign_in_frequency")
    if not _unset(value):
        frequency = {
            "isEnabled": True if not isinstance(value, Unresolved) else value,
            "type": body.get("sign_in_frequency_period"),
            "value": value,
            "authenticationType": "primaryAndSecondaryAuthentication",
            "frequencyInterval": "timeBased",
        }
        translation[graph + "/signInFrequency"] = source("sign_in_frequency")
        translation[graph + "/signInFrequency/type"] = source("sign_in_frequency_period")
    authentication_type = body.get("sign_in_frequency_authentication_type")
    if not _unset(authentication_type):
        frequency["authenticationType"] = authentication_type
        translation[graph + "/signInFrequency/authenticationType"] = source("sign_in_frequency_authentication_type")
    interval = body.get("sign_in_frequency_interval")
    if not _unset(interval):
        frequency.setdefault("authenticationType", "primaryAndSecondaryAuthentication")
        # Plans and state always hold the computed "timeBased": alone, it enables nothing.
        if interval != "timeBased":
            frequency["isEnabled"] = True
        frequency["frequencyInterval"] = interval
        translation.setdefault(graph + "/signInFrequency", source("sign_in_frequency_interval"))
        translation[graph + "/signInFrequency/frequencyInterval"] = source("sign_in_frequency_interval")
    # Graph rejects a signInFrequency left at its defaults, so the provider leaves it out.
    if (
        frequency.get("isEnabled")
        or frequency.get("frequencyInterval", "timeBased") != "timeBased"
        or frequency.get("authenticationType", "primaryAndSecondaryAuthentication")
        != "primaryAndSecondaryAuthentication"
    ):
        result["signInFrequency"] = frequency
    every_time = frequency.get("frequencyInterval") == "everyTime"
    # Both are refused together with an everyTime sign-in frequency (azuread issue #1225); false is "not set".
    enforced = body.get("application_enforced_restrictions_enabled")
    if not every_time and not _unset(enforced):
        result["applicationEnforcedRestrictions"] = {"isEnabled": enforced}
        translation[graph + "/applicationEnforcedRestrictions"] = source("application_enforced_restrictions_enabled")
    resilience = body.get("disable_resilience_defaults")
    if not every_time and not _unset(resilience):
        result["disableResilienceDefaults"] = resilience
        translation[graph + "/disableResilienceDefaults"] = source("disable_resilience_defaults")
    return result or None


def _drop_members_unless_enumerated(users: Any) -> None:
    # Only membership_kind "enumerated" sends members (expandExternalTenants).
    if not isinstance(users, dict):
        return
    for key in ("includeGuestsOrExternalUsers", "excludeGuestsOrExternalUsers"):
        tenants = users.get(key, {}).get("externalTenants") if isinstance(users.get(key), dict) else None
        kind = tenants.get("membershipKind") if isinstance(tenants, dict) else None
        if isinstance(tenants, dict) and kind != "enumerated" and not isinstance(kind, Unresolved):
            tenants.pop("members", None)


def map_conditional_access(
    body: Mapping[str, Any], pointer: str, unknown: Unknowns | None = None
) -> tuple[dict[str, Any], Translation]:
    """azuread_conditional_access_policy -> Graph conditionalAccessPolicy; attributes it lacks go to `unknown`."""
    translation: Translation = {"": pointer}
    top: Spec = {
        "display_name": ("displayName", None),
        "state": ("state", None),
        "grant_controls": ("grantControls", _GRANT),
    }
    unknown_attributes(body, pointer, (*top, "conditions", "session_controls", *META_ARGUMENTS), "", "", unknown)
    graph = map_spec(body, pointer, top, "", translation, unknown)
    conditions, source = block(body, "conditions", pointer)
    if conditions is not None:
        translation["/conditions"] = source
        if isinstance(conditions, Unresolved):
            graph["conditions"] = conditions
        else:
            unknown_attributes(conditions, source, _CONDITIONS, "conditions", "/conditions", unknown)
            graph["conditions"] = map_spec(
                conditions, source, _CONDITIONS, "/conditions", translation, unknown, "conditions"
            )
            _drop_members_unless_enumerated(graph["conditions"].get("users"))
    session, source = block(body, "session_controls", pointer)
    if session is not None:
        translation["/sessionControls"] = source
        unknown_attributes(session, source, _SESSION_CONTROLS, "session_controls", "/sessionControls", unknown)
        graph["sessionControls"] = (
            session if isinstance(session, Unresolved) else _session_controls(session, source, translation)
        )
    return graph, translation


def map_named_location(
    body: Mapping[str, Any], pointer: str, unknown: Unknowns | None = None
) -> tuple[dict[str, Any], Translation]:
    """azuread_named_location -> Graph ipNamedLocation or countryNamedLocation (annotations left out)."""
    translation: Translation = {"": pointer}
    unknown_attributes(body, pointer, ("display_name", "ip", "country", *META_ARGUMENTS), "", "", unknown)
    graph = map_spec(body, pointer, {"display_name": ("displayName", None)}, "", translation)
    ip, source = block(body, "ip", pointer)
    if isinstance(ip, Mapping):
        unknown_attributes(ip, source, ("ip_ranges", "trusted"), "ip", "", unknown)
        ranges = ip.get("ip_ranges")
        if isinstance(ranges, list):
            graph["ipRanges"] = [{"cidrAddress": cidr} for cidr in ranges]
            for index in range(len(ranges)):
                translation[f"/ipRanges/{index}"] = f"{source}/ip_ranges/{index}"
                translation[f"/ipRanges/{index}/cidrAddress"] = f"{source}/ip_ranges/{index}"
        elif ranges is not None:
            graph["ipRanges"] = ranges
        translation["/ipRanges"] = f"{source}/ip_ranges"
        graph["isTrusted"] = ip.get("trusted") or False
        translation["/isTrusted"] = f"{source}/trusted" if "trusted" in ip else source
    country, source = block(body, "country", pointer)
    if isinstance(country, Mapping):
        known = ("countries_and_regions", "include_unknown_countries_and_regions", "country_lookup_method")
        unknown_attributes(country, source, known, "country", "", unknown)
        graph.update(
            map_spec(country, source, {"countries_and_regions": ("countriesAndRegions", None)}, "", translation)
        )
        graph["includeUnknownCountriesAndRegions"] = country.get("include_unknown_countries_and_regions") or False
        graph["countryLookupMethod"] = country.get("country_lookup_method") or "clientIpAddress"
        for graph_key, key in (
            ("includeUnknownCountriesAndRegions", "include_unknown_countries_and_regions"),
            ("countryLookupMethod", "country_lookup_method"),
        ):
            translation["/" + graph_key] = f"{source}/{key}" if key in country else source
    return graph, translation


def map_authentication_strength(
    body: Mapping[str, Any], pointer: str, unknown: Unknowns | None = None
) -> tuple[dict[str, Any], Translation]:
    """azuread_authentication_strength_policy (the microsoft365 provider's too: same names) -> Graph's."""
    translation: Translation = {"": pointer}
    spec: Spec = {
        "display_name": ("displayName", None),
        "description": ("description", None),
        "allowed_combinations": ("allowedCombinations", None),
    }
    unknown_attributes(body, pointer, (*spec, *META_ARGUMENTS), "", "", unknown)
    return map_spec(body, pointer, spec, "", translation), translation


def conditional_access_attribute(graph_pointer: str) -> str | None:
    """The azuread attribute that sets a Graph pointer of a policy (`/conditions/users/excludeUsers` ->
    `excluded_users`), through the same table the mapping reads; None for one it has no attribute for."""
    spec: Spec | None = {"conditions": ("conditions", _CONDITIONS), "grant_controls": ("grantControls", _GRANT)}
    name = None
    for token in graph_pointer.strip("/").split("/"):
        if not isinstance(spec, dict):
            return None
        name = next((key for key, (graph_key, _) in spec.items() if graph_key == token), None)
        if name is None:
            return None
        nested = spec[name][1]
        spec = nested if isinstance(nested, dict) else None
    return name
