"""Graph-shaped benchmark policies written as Terraform HCL, the way azuread 3.x users write them."""

from __future__ import annotations

import json
from typing import Any

__all__ = ["render_policy"]

# Graph name -> azuread argument or block name, per block (only what bench/generate.py produces).
_ATTRIBUTES = {
    "conditions": {
        "clientAppTypes": "client_app_types",
        "signInRiskLevels": "sign_in_risk_levels",
        "userRiskLevels": "user_risk_levels",
    },
    "applications": {
        "includeApplications": "included_applications",
        "excludeApplications": "excluded_applications",
        "includeUserActions": "included_user_actions",
    },
    "users": {
        "includeUsers": "included_users",
        "excludeUsers": "excluded_users",
        "includeGroups": "included_groups",
        "excludeGroups": "excluded_groups",
        "includeRoles": "included_roles",
        "excludeRoles": "excluded_roles",
    },
    "locations": {"includeLocations": "included_locations", "excludeLocations": "excluded_locations"},
    "platforms": {"includePlatforms": "included_platforms", "excludePlatforms": "excluded_platforms"},
    "grantControls": {"operator": "operator", "builtInControls": "built_in_controls"},
}
_BLOCKS = ("applications", "users", "locations", "platforms")


def _value(value: Any) -> str:
    if isinstance(value, list):
        return "[" + ", ".join(_value(item) for item in value) + "]"
    return json.dumps(value)


def _attributes(lines: list[str], indent: str, block: str, data: dict[str, Any]) -> None:
    names = _ATTRIBUTES[block]
    pairs = [(names[key], value) for key, value in data.items() if key in names and value not in ([], None)]
    width = max((len(name) for name, _ in pairs), default=0)
    lines.extend(f"{indent}{name.ljust(width)} = {_value(value)}" for name, value in pairs)


def _conditions(lines: list[str], conditions: dict[str, Any]) -> None:
    lines.append("  conditions {")
    _attributes(lines, "    ", "conditions", conditions)
    methods = conditions.get("authenticationFlows", {}).get("transferMethods")
    if methods:
        lines.append(f"    authentication_flow_transfer_methods = {_value(methods.split(','))}")
    for block in _BLOCKS:
        if block not in conditions:
            continue
        lines.append(f"\n    {block} {{")
        _attributes(lines, "      ", block, conditions[block])
        guests = conditions[block].get("includeGuestsOrExternalUsers")
        if guests:
            types = guests["guestOrExternalUserTypes"].split(",")
            lines.append("\n      included_guests_or_external_users {")
            lines.append(f"        guest_or_external_user_types = {_value(types)}")
            kind = guests["externalTenants"]["membershipKind"]
            lines.append(f"        external_tenants {{\n          membership_kind = {_value(kind)}\n        }}")
            lines.append("      }")
        lines.append("    }")
    device_filter = conditions.get("devices", {}).get("deviceFilter")
    if device_filter:
        lines.append("\n    devices {\n      filter {")
        lines.append(f"        mode = {_value(device_filter['mode'])}\n        rule = {_value(device_filter['rule'])}")
        lines.append("      }\n    }")
    lines.append("  }")


def _grant(lines: list[str], grant: dict[str, Any]) -> None:
    lines.append("\n  grant_controls {")
    _attributes(lines, "    ", "grantControls", grant)
    strength = grant.get("authenticationStrength")
    if strength:
        policy_id = f"/policies/authenticationStrengthPolicies/{strength['id']}"
        lines.append(f"    authentication_strength_policy_id = {_value(policy_id)}")
    lines.append("  }")


def _session(lines: list[str], session: dict[str, Any]) -> None:
    lines.append("\n  session_controls {")
    frequency = session.get("signInFrequency", {})
    pairs = {
        "sign_in_frequency": frequency.get("value"),
        "sign_in_frequency_period": frequency.get("type"),
        "sign_in_frequency_authentication_type": frequency.get("authenticationType"),
        "sign_in_frequency_interval": frequency.get("frequencyInterval"),
        "persistent_browser_mode": session.get("persistentBrowser", {}).get("mode"),
    }
    lines.extend(f"    {name} = {_value(value)}" for name, value in pairs.items() if value is not None)
    lines.append("  }")


def render_policy(policy: dict[str, Any]) -> str:
    """One resource block for a CA policy or a token lifetime policy."""
    name = "policy_" + policy["id"].replace("-", "")[:16]
    if "definition" in policy:
        return (
            f'resource "microsoft365_graph_beta_applications_token_lifetime_policy" "{name}" {{\n'
            f"  display_name            = {_value(policy['displayName'])}\n"
            f"  definition              = {_value(policy['definition'])}\n"
            f"  is_organization_default = {_value(policy['isOrganizationDefault'])}\n"
            "}\n"
        )
    lines = [
        f'resource "azuread_conditional_access_policy" "{name}" {{',
        f"  display_name = {_value(policy['displayName'])}",
        f"  state        = {_value(policy['state'])}\n",
    ]
    _conditions(lines, policy["conditions"])
    if policy["grantControls"]:
        _grant(lines, policy["grantControls"])
    if policy["sessionControls"]:
        _session(lines, policy["sessionControls"])
    lines.append("}\n")
    return "\n".join(lines)
