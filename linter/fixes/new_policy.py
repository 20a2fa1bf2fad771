"""A new policy file written as the tenant writes its own: its format, its folder, its file and display names.

The tenant's format is that of most of its Conditional Access documents; the folder the one holding most of
them; the file name follows theirs (the display name as the name, a slug, a `CA001-` number) and the display
name the tenant's `CA0xx - ` numbering when its policies have one. Formats entralint cannot write a whole
policy in (plans, state, ARM, Microsoft365DSC data files, Terraform providers other than azuread) get no fix.
"""

from __future__ import annotations

import json
import os
import re
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from linter.model import CONDITIONAL_ACCESS_POLICY, Document, Unresolved
from linter.model.fixes import Edit, Fix, FixRequest, NewPolicy
from linter.model.source import Span

__all__ = ["create_policy_file"]

_WRITTEN = ("graph-json", "graph-yaml", "terraform-hcl", "microsoft365dsc")
_NUMBERED = re.compile(r"^(?P<prefix>[A-Za-z]{2,4})(?P<number>\d{2,4})(?P<separator>\s*[-_.:]\s*|\s+)")
_REFERENCE = re.compile(r"^[A-Za-z_][\w-]*(\.[\w-]+|\[\d+\])+$")
_PLAIN_YAML = re.compile(r"^[A-Za-z][\w .,()-]*[\w)]$")


def create_policy_file(documents: Sequence[Document], request: FixRequest) -> Fix | str:
    """The fix that writes the request's new policy as a new file of the tenant, or why there is none."""
    new_policy: NewPolicy = request.changes[0].value
    policies = [document for document in documents if document.kind == CONDITIONAL_ACCESS_POLICY]
    if not policies:
        return "the tenant has no policy file to take its format from"
    formats = Counter(document.source_format for document in policies)
    source_format = formats.most_common(1)[0][0]
    if source_format not in _WRITTEN:
        return f"entralint does not write new policies as {source_format} (the format of most of the tenant's)"
    own = [document for document in policies if document.source_format == source_format]
    if source_format == "terraform-hcl":
        resource_types = Counter(_resource_type(document) for document in own)
        resource_type = resource_types.most_common(1)[0][0]
        if resource_type not in _TERRAFORM:
            return f"entralint does not write new {resource_type or 'Terraform'} resources"
        own = [document for document in own if _resource_type(document) == resource_type]
    if len(own) > 1 and all(_in_own_folder(document.path) for document in own):
        return "the tenant keeps each policy in a folder named as its file (its id), which a new policy has not got"
    folders = Counter(os.path.dirname(document.path) for document in own)
    folder = folders.most_common(1)[0][0]
    names = [document.data.get("displayName") for document in own]
    plain = str(new_policy.policy["displayName"])
    display_name = _display_name(plain, [name for name in names if isinstance(name, str)], new_policy.place)
    policy = {**new_policy.policy, "displayName": display_name, "conditions": _references_marked(new_policy.policy)}
    if source_format != "terraform-hcl" and _has_computed(policy):
        return "an emergency access account is a computed value"
    path = _file_name(folder, display_name, own, source_format)
    if path is None:
        return "every file name entralint would give the new policy is taken"
    text = _RENDERERS[source_format](policy, own)
    edit = Edit(path, Span(1, 1, 1, 1), text, new_file=True)
    return Fix(request.applicability, request.description, (edit,), request.follow_ups)


def _in_own_folder(path: str) -> bool:
    """`<id>/<id>.json`, as Graph exports write a policy."""
    stem = os.path.basename(path).split(".", 1)[0]
    return stem == os.path.basename(os.path.dirname(path))


def _resource_type(document: Document) -> str:
    translation = getattr(document.positions, "translation", None)
    parts = translation.get("", "").split("/") if isinstance(translation, Mapping) else []
    return parts[2] if len(parts) > 2 else ""


def _references_marked(policy: Mapping[str, Any]) -> dict[str, Any]:
    """The policy's conditions with each excluded account that is a Terraform reference (`var.break_glass`,
    `azuread_group.x.object_id`: configured as text, or read) marked as the computed value it is."""
    conditions = dict(policy["conditions"])
    users = dict(conditions["users"])
    for key in ("excludeUsers", "excludeGroups"):
        if key in users:
            users[key] = [
                Unresolved(value) if isinstance(value, str) and _REFERENCE.match(value) else value
                for value in users[key]
            ]
    conditions["users"] = users
    return conditions


def _has_computed(value: Any) -> bool:
    if isinstance(value, Unresolved):
        return True
    if isinstance(value, Mapping):
        return any(_has_computed(item) for item in value.values())
    if isinstance(value, list):
        return any(_has_computed(item) for item in value)
    return False


def _display_name(plain: str, names: Sequence[str], place: int) -> str:
    """`CA014 - Block device code flow` when most of the tenant's names are numbered so, else the plain name."""
    numbered = [match for name in names if (match := _NUMBERED.match(name))]
    if not numbered or len(numbered) * 2 <= len(names):
        return plain
    last = max(numbered, key=lambda match: int(match["number"]))
    width = len(last["number"])
    return f"{last['prefix']}{int(last['number']) + place:0{width}d}{last['separator']}{plain}"


def _slug(name: str, separator: str) -> str:
    return separator.join(re.findall(r"[a-z0-9]+", name.lower()))


_NAMINGS: tuple[Callable[[str], str], ...] = (
    lambda name: re.sub(r'[\\/:*?"<>|]', "-", name),  # the display name itself, as far as a file name may hold it
    lambda name: "-".join(re.findall(r"[A-Za-z0-9]+", name)),  # `CA001-Require-MFA-for-admins`
    lambda name: "_".join(re.findall(r"[A-Za-z0-9]+", name)),
    lambda name: _slug(name, "_"),
    lambda name: _slug(name, "-"),
)


def _file_name(folder: str, display_name: str, own: Sequence[Document], source_format: str) -> str | None:
    """A path that names no known file: the display name as the tenant's files are named after theirs."""
    extension = _extension(own)
    pairs = [
        (os.path.basename(document.path).removesuffix(extension), document.data.get("displayName")) for document in own
    ]
    # The tenant's own way from display name to file name, when all its files follow one; else a slug.
    naming = next(
        (name_file for name_file in _NAMINGS if all(stem == name_file(str(name)) for stem, name in pairs)),
        _NAMINGS[-2] if _underscored(pairs) else _NAMINGS[-1],
    )
    stem = naming(display_name)
    taken = {document.path for document in own}
    candidates = [stem, *(f"{stem}-{number}" for number in range(2, 10))]
    for candidate in candidates:
        path = os.path.join(folder, candidate + extension)
        if path not in taken:
            return path
    return None


def _underscored(pairs: Sequence[tuple[str, Any]]) -> bool:
    """Whether the tenant's file names join words with underscores rather than hyphens (`require_mfa.tf`)."""
    return any("_" in stem for stem, _ in pairs) and not any("-" in stem for stem, _ in pairs)


def _extension(own: Sequence[Document]) -> str:
    suffixes = Counter(
        ".tf.json" if document.path.endswith(".tf.json") else os.path.splitext(document.path)[1] for document in own
    )
    return suffixes.most_common(1)[0][0]


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
    if isinstance(value, Unresolved) and _REFERENCE.match(value):
        return str(value)  # a reference to the account's resource or variable, as the tenant's policies write it
    return json.dumps(str(value), ensure_ascii=False)


def _hcl_block(lines: list[str], depth: int, attributes: Sequence[tuple[str, Any]]) -> None:
    pad = "  " * depth
    width = max(len(name) for name, _ in attributes)
    lines.extend(f"{pad}{name.ljust(width)} = {_hcl_value(value)}" for name, value in attributes)


def _resource_name(policy: Mapping[str, Any], own: Sequence[Document]) -> str:
    """A Terraform resource name no policy of the tenant has (`block_device_code_flow`)."""
    name = _slug(str(policy["displayName"]), "_")
    name = name if name[:1].isalpha() else "policy_" + name
    taken = {document.identity.rsplit(".", 1)[-1] for document in own}
    return next(
        candidate
        for number in range(1, len(taken) + 2)
        if (candidate := name if number == 1 else f"{name}_{number}") not in taken
    )


def _terraform(policy: Mapping[str, Any], own: Sequence[Document]) -> str:
    if _resource_type(own[0]) == "msgraph_resource":
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


_TERRAFORM = ("azuread_conditional_access_policy", "msgraph_resource")
_RENDERERS = {"graph-json": _json, "graph-yaml": _yaml, "terraform-hcl": _terraform, "microsoft365dsc": _dsc}
