"""The text of a new policy in each format entralint writes one in: Graph JSON and YAML, Terraform (azuread,
msgraph), Microsoft365DSC. What the tenant's own files show (indentation, `api_version`, the DSC preamble and
credentials) is copied from the first of them (`own`)."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from typing import Any

from linter.model import Document, Unresolved

__all__ = ["REFERENCE", "RENDERERS", "TERRAFORM_RESOURCES", "resource_type", "slug"]

REFERENCE = re.compile(r"^[A-Za-z_][\w-]*(\.[\w-]+|\[\d+\])+$")
_PLAIN_YAML = re.compile(r"^[A-Za-z][\w .,()-]*[\w)]$")


def slug(name: str, separator: str) -> str:
    return separator.join(re.findall(r"[a-z0-9]+", name.lower()))


def resource_type(document: Document) -> str:
    translation = getattr(document.positions, "translation", None)
    parts = translation.get("", "").split("/") if isinstance(translation, Mapping) else []
    return parts[2] if len(parts) > 2 else ""


def _json(policy: Mapping[str, Any], own: Sequence[Document]) -> str:
    return json.dumps(policy, indent=_indent(own), ensure_ascii=False) + "\n"


def _indent(own: Sequence[Document]) -> int:
    text = getattr(own[0].positions, "text", "")
    match = re.search(r"\n( +)\S", text) if isinstance(text, str) else None
    return len(match.group(1)) if match else 2


def _yaml(policy: Mapping[str, Any], own: Sequence[Document]) -> str:
    lines: list[str] = []
    _yaml_mapping(policy, 0, lines)
    return "\n".join(lines) + "\n"


def _yaml_scalar(value: Any) -> str:
    if isinstance(value, str) and _PLAIN_YAML.match(value) and value.lower() not in ("yes", "no", "on", "off", "null"):
        return value
    return json.dumps(value, ensure_ascii=False)


def _yaml_mapping(mapping: Mapping[str, Any], depth: int, lines: list[str]) -> None:
    pad = "  " * depth
    for key, value in mapping.items():
        if isinstance(value, Mapping):
            lines.append(f"{pad}{key}:")
            _yaml_mapping(value, depth + 1, lines)
        elif isinstance(value, list):
            lines.append(f"{pad}{key}: [{', '.join(_yaml_scalar(item) for item in value)}]")
        else:
            lines.append(f"{pad}{key}: {_yaml_scalar(value)}")


def _hcl_value(value: Any) -> str:
    if isinstance(value, list):
        return "[" + ", ".join(_hcl_value(item) for item in value) + "]"
    if isinstance(value, Unresolved) and REFERENCE.match(value):
        return str(value)  # a reference to the account's resource or variable, as the tenant's policies write it
    return json.dumps(str(value), ensure_ascii=False)


def _hcl_block(lines: list[str], depth: int, attributes: Sequence[tuple[str, Any]]) -> None:
    pad = "  " * depth
    width = max(len(name) for name, _ in attributes)
    lines.extend(f"{pad}{name.ljust(width)} = {_hcl_value(value)}" for name, value in attributes)


def _resource_name(policy: Mapping[str, Any], own: Sequence[Document]) -> str:
    """A Terraform resource name no policy of the tenant has (`block_device_code_flow`)."""
    name = slug(str(policy["displayName"]), "_")
    name = name if name[:1].isalpha() else "policy_" + name
    taken = {document.identity.rsplit(".", 1)[-1] for document in own}
    return next(
        candidate
        for number in range(1, len(taken) + 2)
        if (candidate := name if number == 1 else f"{name}_{number}") not in taken
    )


def _terraform(policy: Mapping[str, Any], own: Sequence[Document]) -> str:
    if resource_type(own[0]) == "msgraph_resource":
        return _msgraph(policy, own)
    conditions = policy["conditions"]
    users, applications = conditions["users"], conditions["applications"]
    lines = [f'resource "azuread_conditional_access_policy" "{_resource_name(policy, own)}" {{']
    _hcl_block(lines, 1, [("display_name", policy["displayName"]), ("state", policy["state"])])
    lines += ["", "  conditions {"]
    top = [("client_app_types", conditions["clientAppTypes"])]
    if "authenticationFlows" in conditions:
        top.append(("authentication_flow_transfer_methods", [conditions["authenticationFlows"]["transferMethods"]]))
    _hcl_block(lines, 2, top)
    lines += ["", "    applications {"]
    _hcl_block(lines, 3, [(_AZUREAD[key], value) for key, value in applications.items()])
    lines += ["    }", "", "    users {"]
    _hcl_block(lines, 3, [(_AZUREAD[key], value) for key, value in users.items()])
    lines += ["    }", "  }", "", "  grant_controls {"]
    grant = policy["grantControls"]
    _hcl_block(lines, 2, [("operator", grant["operator"]), ("built_in_controls", grant["builtInControls"])])
    lines += ["  }", "}"]
    return "\n".join(lines) + "\n"


def _msgraph(policy: Mapping[str, Any], own: Sequence[Document]) -> str:
    """A `msgraph_resource` whose body is the Graph policy, as the tenant's others are written."""
    text = getattr(own[0].positions, "text", "")
    version = re.search(r'^\s*api_version\s*=\s*"([^"]+)"', text if isinstance(text, str) else "", re.MULTILINE)
    lines = [f'resource "msgraph_resource" "{_resource_name(policy, own)}" {{']
    _hcl_block(
        lines,
        1,
        [("url", "identity/conditionalAccess/policies"), ("api_version", version.group(1) if version else "v1.0")],
    )
    lines.append("  body = jsonencode({")
    _hcl_object(lines, 2, policy)
    lines += ["  })", "}"]
    return "\n".join(lines) + "\n"


def _hcl_object(lines: list[str], depth: int, mapping: Mapping[str, Any]) -> None:
    pad = "  " * depth
    scalars = [(key, value) for key, value in mapping.items() if not isinstance(value, Mapping)]
    if scalars:
        _hcl_block(lines, depth, scalars)
    for key, value in mapping.items():
        if isinstance(value, Mapping):
            lines.append(f"{pad}{key} = {{")
            _hcl_object(lines, depth + 1, value)
            lines.append(f"{pad}}}")


_AZUREAD = {
    "includeApplications": "included_applications",
    "excludeApplications": "excluded_applications",
    "includeUsers": "included_users",
    "excludeUsers": "excluded_users",
    "excludeGroups": "excluded_groups",
}


_DSC_CREDENTIALS = (
    "ApplicationId",
    "ApplicationSecret",
    "CertificateThumbprint",
    "Credential",
    "ManagedIdentity",
    "TenantId",
)
_DSC_PREAMBLE = re.compile(
    r"^Configuration\s+(?P<name>\S+)\s*\{[ \t]*\n(?P<preamble>.*?)^[ \t]*Node\s",
    re.DOTALL | re.MULTILINE | re.IGNORECASE,
)


def _dsc(policy: Mapping[str, Any], own: Sequence[Document]) -> str:
    conditions = policy["conditions"]
    text = getattr(own[0].positions, "text", "")
    text = text if isinstance(text, str) else ""
    # How the tenant's resources sign in (`ApplicationId = $ConfigurationData...`), copied as written.
    credentials = [
        (name, match.group(1))
        for name in _DSC_CREDENTIALS
        if (match := re.search(rf"^\s*{name}\s*=\s*(.+?);?\s*$", text, re.MULTILINE | re.IGNORECASE))
    ]
    properties: list[tuple[str, Any]] = [
        ("DisplayName", policy["displayName"]),
        ("Ensure", "Present"),
        ("State", policy["state"]),
        ("IncludeUsers", conditions["users"]["includeUsers"]),
        ("ExcludeUsers", conditions["users"].get("excludeUsers", [])),
        ("ExcludeGroups", conditions["users"].get("excludeGroups", [])),
        ("IncludeApplications", conditions["applications"]["includeApplications"]),
        ("ExcludeApplications", conditions["applications"].get("excludeApplications", [])),
        ("ClientAppTypes", conditions["clientAppTypes"]),
        ("GrantControlOperator", policy["grantControls"]["operator"]),
        ("BuiltInControls", policy["grantControls"]["builtInControls"]),
    ]
    if "authenticationFlows" in conditions:
        properties.append(("TransferMethods", conditions["authenticationFlows"]["transferMethods"]))
    width = max(len(name) for name, _ in [*properties, *credentials])

    def quoted(text: Any) -> str:
        return '"' + str(text).replace("`", "``").replace('"', '`"').replace("$", "`$") + '"'

    def value(item: Any) -> str:
        return f"@({', '.join(quoted(part) for part in item)})" if isinstance(item, list) else quoted(item)

    lines = [f"            {name.ljust(width)} = {value(item)};" for name, item in properties]
    lines += [f"            {name.ljust(width)} = {written};" for name, written in credentials]
    preamble = _DSC_PREAMBLE.search(text)
    head = (
        preamble.group("preamble")
        if preamble
        else "    param ()\n\n    Import-DscResource -ModuleName 'Microsoft365DSC'\n\n"
    )
    name = "".join(part.title() for part in re.findall(r"[A-Za-z0-9]+", str(policy["displayName"])))
    name = name if name[:1].isalpha() else "Policy" + name
    body = "\n".join(lines)
    # The line that compiles the configuration (`M365TenantConfig -ConfigurationData .\\ConfigurationData.psd1`).
    compiled = re.search(rf"^{re.escape(preamble.group('name'))}[ \t]+(-.*)$", text, re.MULTILINE) if preamble else None
    return (
        f"Configuration {name}\n{{\n{head}"
        "    Node localhost\n    {\n"
        f"        AADConditionalAccessPolicy {quoted('AADConditionalAccessPolicy-' + str(policy['displayName']))}\n"
        f"        {{\n{body}\n        }}\n    }}\n}}\n" + (f"\n{name} {compiled.group(1)}\n" if compiled else "")
    )


TERRAFORM_RESOURCES = ("azuread_conditional_access_policy", "msgraph_resource")
RENDERERS = {"graph-json": _json, "graph-yaml": _yaml, "terraform-hcl": _terraform, "microsoft365dsc": _dsc}
