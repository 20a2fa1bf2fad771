"""Write schemas/ for Graph's policy entities from Microsoft Graph's published CSDL metadata.

    python scripts/generate_schemas.py --v1 V1_CSDL --beta BETA_CSDL [--beta MORE_BETA_CSDL] \
        [--source-commit SHA] [--out schemas]

The CSDL files come from https://github.com/microsoftgraph/msgraph-metadata (`clean_v10_metadata/`,
`clean_beta_metadata/`, `schemas/*.csdl`); this script reads the paths it is given and never downloads.
A property, derived type or enumeration member known to any given file is allowed: the schemas are the
union of v1.0 and beta. What entralint adds on top of Graph is in the tables below (ENTRALINT_*), and
nowhere else. The token lifetime *definition* and the MFA service settings schemas are entralint's own
and are not written here.
"""

from __future__ import annotations

import argparse
import copy
import json
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

Schema = dict[str, Any]

_EDM = "{http://docs.oasis-open.org/odata/ns/edm}"
_GRAPH = "microsoft.graph"
_JSON_TYPES = {
    "string": ("String", "DateTimeOffset", "Date", "TimeOfDay", "Duration", "Guid", "Binary", "Stream"),
    "boolean": ("Boolean",),
    "integer": ("Int16", "Int32", "Int64", "Byte", "SByte"),
    "number": ("Double", "Single", "Decimal"),
}
_SCALARS = {edm: json_type for json_type, edm_types in _JSON_TYPES.items() for edm in edm_types}

# The entities entralint reads: schema file -> (root entity, title, description).
ENTITIES: dict[str, tuple[str, str, str]] = {
    "conditional-access-policy.schema.json": (
        "conditionalAccessPolicy",
        "Conditional Access policy (Microsoft Graph conditionalAccessPolicy, v1.0 and beta)",
        "The normalized document entralint checks: Graph property names and enum values, OData annotations"
        " removed, flags enums split into arrays.",
    ),
    "named-location.schema.json": (
        "namedLocation",
        "Named location (Microsoft Graph namedLocation and its subtypes, v1.0 and beta)",
        "OData annotations are removed before validation, so the subtype's @odata.type is gone: one schema"
        " holds the properties of every subtype. https://learn.microsoft.com/graph/api/resources/namedlocation",
    ),
    "authentication-strength-policy.schema.json": (
        "authenticationStrengthPolicy",
        "Authentication strength policy (Microsoft Graph authenticationStrengthPolicy, v1.0 and beta)",
        "Each allowedCombinations item is a comma-joined set of authenticationMethodModes members, e.g."
        ' "password,microsoftAuthenticatorPush". https://learn.microsoft.com/graph/api/resources/authenticationstrengthpolicy',
    ),
    "token-lifetime-policy.schema.json": (
        "tokenLifetimePolicy",
        "Token lifetime policy (Microsoft Graph tokenLifetimePolicy, v1.0 and beta)",
        "definition holds JSON text; its parsed value is checked against token-lifetime-definition.schema.json."
        " https://learn.microsoft.com/graph/api/resources/tokenlifetimepolicy",
    ),
}

# ---- what entralint adds to Graph: every difference between Graph's metadata and schemas/ is here ----

# Flags enums linter/shape.py splits into arrays (its FLAG_POINTERS): the schema sees a list of members.
# Every other flags enum stays Graph's comma-joined string, checked by a pattern.
ENTRALINT_SPLIT_FLAGS: dict[str, tuple[str, ...]] = {
    "conditional-access-policy.schema.json": (
        "/conditions/authenticationFlows/transferMethods",
        "/conditions/users/includeGuestsOrExternalUsers/guestOrExternalUserTypes",
        "/conditions/users/excludeGuestsOrExternalUsers/guestOrExternalUserTypes",
        "/conditions/insiderRiskLevels",
        "/conditions/agentIdRiskLevels",
    ),
}

# Properties whose null entralint rejects although exports write null for unset values: the document's
# identity of kind (conditions, definition), its state, and values a rule cannot do without. Every other
# property accepts null, which normalization removes (Graph exports and SDK serialisations are full of it).
ENTRALINT_NOT_NULL: dict[str, tuple[str, ...]] = {
    "conditional-access-policy.schema.json": ("/conditions", "/state"),
    "named-location.schema.json": ("/ipRanges/*/cidrAddress",),
    "token-lifetime-policy.schema.json": ("/definition",),
}

# Keywords added at a pointer (`*` is any array item): requirements Graph states only in prose.
ENTRALINT_CONSTRAINTS: dict[str, dict[str, Schema]] = {
    "conditional-access-policy.schema.json": {
        # Graph: "conditions ... Required." A document without it is not a policy entralint can read.
        "": {"required": ["conditions"]},
        # Graph types operator as a String; its documented values are AND and OR.
        "/grantControls/operator": {"enum": ["AND", "OR"]},
        # Graph: "The number of days or hours"; 0 or less is rejected by the service.
        "/sessionControls/signInFrequency/value": {"minimum": 1},
    },
    "named-location.schema.json": {
        # Graph: "List of countries and/or regions in two-letter format specified by ISO 3166-2."
        "/countriesAndRegions/*": {"pattern": "^[A-Z]{2}$"},
        # Every ipRange subtype (iPv4CidrRange, iPv6CidrRange) has exactly this one property.
        "/ipRanges/*": {"required": ["cidrAddress"]},
    },
    "token-lifetime-policy.schema.json": {
        "": {"required": ["definition"]},
        # Graph: "A string collection containing a JSON string that defines the rules"; empty defines nothing.
        "/definition": {"minItems": 1},
    },
}

# Graph beta properties that the metadata this was generated from lacks: the production beta CSDL
# (clean_beta_metadata/) was not in the snapshot, only the national clouds' beta (schemas/beta-US*.csdl).
# Each is in Microsoft's beta reference or in real beta exports; its shape is what entralint knows of it.
# The script says when the metadata has caught up with an entry, so the entry can go.
ENTRALINT_BETA_SUPPLEMENT: dict[str, dict[str, Schema]] = {
    "conditional-access-policy.schema.json": {
        # https://learn.microsoft.com/graph/api/resources/conditionalaccesspolicy?view=graph-rest-beta
        "/partialEnablementStrategy": {"type": "string"},
        # Agent policies (https://learn.microsoft.com/entra/identity/conditional-access/agent-id): seen in beta exports.
        "/conditions/agentContext": {"type": "object"},
        "/conditions/agents": {"type": "object"},
        # Deprecated time condition, still in old beta exports.
        "/conditions/times": {"type": "object"},
        # Global Secure Access traffic profiles (includeTrafficProfiles), read by linter/policy/questions.py.
        "/conditions/applications/globalSecureAccess": {"type": "object"},
        "/conditions/applications/networkAccess": {"type": "object"},
        "/sessionControls/globalSecureAccessFilteringProfile": {"type": "object"},
        "/sessionControls/networkAccessSecurity": {"type": "object"},
        # https://learn.microsoft.com/graph/api/resources/conditionalaccesssessioncontrols?view=graph-rest-beta
        "/sessionControls/blockSensitiveActions": {
            "type": "object",
            "additionalProperties": False,
            "properties": {
                "includeSensitiveActions": {
                    "anyOf": [{"type": "array", "items": {"type": "string"}}, {"type": "null"}]
                },
                "isEnabled": {"anyOf": [{"type": "boolean"}, {"type": "null"}]},
            },
        },
    },
    "named-location.schema.json": {
        # compliantNetworkNamedLocation, https://learn.microsoft.com/graph/api/resources/compliantnetworknamedlocation?view=graph-rest-beta
        "/compliantNetworkType": {"enum": ["allTenantCompliantNetworks", "unknownFutureValue"]},
    },
}
# Enumeration members in the same position: enum type -> members the metadata lacks.
ENTRALINT_BETA_ENUM_MEMBERS: dict[str, tuple[str, ...]] = {
    "microsoft.graph.persistentBrowserSessionMode": ("unknownFutureValue",),
}

# Flags strings that Graph writes with ", " between members, as well as ",".
ENTRALINT_SPACED_FLAGS: dict[str, tuple[str, ...]] = {
    "authentication-strength-policy.schema.json": ("/requirementsSatisfied",),
}


# ---- reading CSDL ------------------------------------------------------------------------------


@dataclass
class Property:
    name: str
    type_name: str  # qualified; `Collection(...)` removed
    collection: bool
    navigation: bool


@dataclass
class StructuredType:
    name: str
    base: str | None
    properties: dict[str, Property] = field(default_factory=dict)


@dataclass
class EnumType:
    name: str
    members: list[str]
    flags: bool


@dataclass
class Model:
    """The union of every CSDL file read: types by qualified name."""

    structured: dict[str, StructuredType] = field(default_factory=dict)
    enums: dict[str, EnumType] = field(default_factory=dict)

    def derived(self, name: str) -> list[str]:
        """Every type whose base chain reaches `name`, in name order."""
        found = []
        for candidate in sorted(self.structured):
            base = self.structured[candidate].base
            while base is not None and base != name:
                base = self.structured[base].base if base in self.structured else None
            if base == name:
                found.append(candidate)
        return found

    def properties(self, name: str) -> dict[str, Property]:
        """A type's own properties and its bases', base first."""
        chain = []
        current: str | None = name
        while current is not None and current in self.structured:
            chain.append(self.structured[current])
            current = self.structured[current].base
        merged: dict[str, Property] = {}
        for structured in reversed(chain):
            merged.update(structured.properties)
        return merged


def _qualify(type_name: str, aliases: dict[str, str], namespace: str) -> str:
    if type_name.startswith("Edm."):
        return type_name
    prefix, _, local = type_name.rpartition(".")
    if not prefix:
        return f"{namespace}.{local}"
    return f"{aliases.get(prefix, prefix)}.{local}"


def read_csdl(path: Path, model: Model) -> None:
    """Add one CSDL file's enum, complex and entity types to the model (properties and members united)."""
    root = ElementTree.parse(path).getroot()
    schemas = list(root.iter(f"{_EDM}Schema"))
    aliases = {schema.get("Alias", ""): schema.get("Namespace", "") for schema in schemas if schema.get("Alias")}
    for schema in schemas:
        namespace = schema.get("Namespace", "")
        for element in schema:
            tag = element.tag.removeprefix(_EDM)
            name = f"{namespace}.{element.get('Name')}"
            if tag == "EnumType":
                members = [member.get("Name", "") for member in element.iter(f"{_EDM}Member")]
                known = model.enums.setdefault(name, EnumType(name, [], element.get("IsFlags") == "true"))
                known.members += [member for member in members if member not in known.members]
            elif tag in ("ComplexType", "EntityType"):
                base = element.get("BaseType")
                structured = model.structured.setdefault(
                    name, StructuredType(name, _qualify(base, aliases, namespace) if base else None)
                )
                for child in element:
                    child_tag = child.tag.removeprefix(_EDM)
                    if child_tag not in ("Property", "NavigationProperty"):
                        continue
                    written = child.get("Type", "")
                    collection = written.startswith("Collection(")
                    inner = written.removeprefix("Collection(").removesuffix(")")
                    property_name = child.get("Name", "")
                    structured.properties.setdefault(
                        property_name,
                        Property(
                            property_name,
                            _qualify(inner, aliases, namespace),
                            collection,
                            child_tag == "NavigationProperty",
                        ),
                    )


# ---- writing JSON Schema -----------------------------------------------------------------------


class _Writer:
    def __init__(self, model: Model, file_name: str) -> None:
        self.model = model
        self.split_flags = set(ENTRALINT_SPLIT_FLAGS.get(file_name, ()))
        self.not_null = set(ENTRALINT_NOT_NULL.get(file_name, ()))
        self.constraints = ENTRALINT_CONSTRAINTS.get(file_name, {})
        self.spaced_flags = set(ENTRALINT_SPACED_FLAGS.get(file_name, ()))
        self.supplement = ENTRALINT_BETA_SUPPLEMENT.get(file_name, {})
        # Where each complex type was written, to share identical ones through $defs.
        self.occurrences: dict[str, list[Schema]] = {}

    def entity(self, name: str) -> Schema:
        return self.structured(name, "", open_ended=False, stack=())

    def structured(self, name: str, pointer: str, *, open_ended: bool, stack: tuple[str, ...]) -> Schema:
        """An object of the type and every type derived from it (normalization removes @odata.type)."""
        merged: dict[str, Property] = {}
        for member in (name, *self.model.derived(name)):
            for property_name, prop in self.model.properties(member).items():
                merged.setdefault(property_name, prop)
        properties = {
            property_name: self.property(merged[property_name], f"{pointer}/{property_name}", (*stack, name))
            for property_name in sorted(merged)
        }
        for supplemented, value in self.supplement.items():
            parent, _, property_name = supplemented.rpartition("/")
            if parent != pointer:
                continue
            if property_name in properties:
                _note(f"the metadata now defines {supplemented}: drop it from ENTRALINT_BETA_SUPPLEMENT")
                continue
            properties[property_name] = {"anyOf": [copy.deepcopy(value), {"type": "null"}]}
        properties = dict(sorted(properties.items()))
        schema: Schema = {"type": "object"}
        if not open_ended:
            schema["additionalProperties"] = False
        schema["properties"] = properties
        schema.update(self.constraints.get(pointer, {}))
        return schema

    def property(self, prop: Property, pointer: str, stack: tuple[str, ...]) -> Schema:
        item_pointer = f"{pointer}/*" if prop.collection else pointer
        enum = self.model.enums.get(prop.type_name)
        if enum is not None and enum.flags and pointer in self.split_flags:
            value: Schema = {"type": "array", "items": {"enum": list(enum.members)}}
        else:
            value = self.value(prop, item_pointer, stack)
            if prop.collection:
                value = {"type": "array", "items": value}
        value.update(self.constraints.get(pointer, {}) if pointer != item_pointer else {})
        if pointer in self.not_null:
            return value
        return {"anyOf": [value, {"type": "null"}]}

    def value(self, prop: Property, pointer: str, stack: tuple[str, ...]) -> Schema:
        """The schema of one value (one item of a collection) of the property's type."""
        type_name = prop.type_name
        schema: Schema
        if type_name.startswith("Edm."):
            json_type = _SCALARS.get(type_name.removeprefix("Edm."))
            schema = {"type": json_type} if json_type else {}
        elif type_name in self.model.enums:
            enum = self.model.enums[type_name]
            if enum.flags:
                members = "|".join(enum.members)
                separator = ", ?" if pointer.removesuffix("/*") in self.spaced_flags else ","
                schema = {"type": "string", "pattern": f"^({members})({separator}({members}))*$"}
            else:
                schema = {"enum": list(enum.members)}
        elif type_name in self.model.structured and type_name not in stack:
            # An expanded navigation property holds an entity of any derived type: only its own are known.
            if prop.navigation:
                schema = {"type": "object", "properties": {}}
                for name, inner in sorted(self.model.properties(type_name).items()):
                    if not inner.navigation:
                        schema["properties"][name] = self.property(inner, f"{pointer}/{name}", (*stack, type_name))
            else:
                schema = self.structured(type_name, pointer, open_ended=False, stack=stack)
                self.occurrences.setdefault(type_name.removeprefix(f"{_GRAPH}."), []).append(schema)
        else:
            schema = {"type": "object"}  # a type the metadata does not describe, or a cycle: any object
        schema.update(self.constraints.get(pointer, {}))
        return schema

    def share_definitions(self) -> Schema:
        """Move complex types written identically in several places to $defs; the definitions."""
        definitions: Schema = {}
        shared = [
            (name, places)
            for name, places in sorted(self.occurrences.items())
            if len(places) > 1 and all(place == places[0] for place in places)
        ]
        for name, places in shared:
            definitions[name] = dict(places[0])
            for place in places:
                place.clear()
                place["$ref"] = f"#/$defs/{name}"
        return definitions


def generate(model: Model, file_name: str, header: str) -> Schema:
    """The JSON Schema of one of ENTITIES' files."""
    entity, title, description = ENTITIES[file_name]
    writer = _Writer(model, file_name)
    body = writer.entity(f"{_GRAPH}.{entity}")
    definitions = writer.share_definitions()
    schema: Schema = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": f"https://entralint.dev/schemas/{file_name}",
        "$comment": header,
        "title": title,
        "description": description,
        **body,
    }
    if definitions:
        schema["$defs"] = definitions
    return copy.deepcopy(schema)  # no dict shared between places: json.dump and tests see plain trees


def header_for(sources: Iterable[tuple[str, Path]], commit: str | None) -> str:
    """Where a generated file comes from and the command that made it (file names, not this machine's paths)."""
    sources = list(sources)
    origin = f"microsoftgraph/msgraph-metadata@{commit}" if commit else "microsoftgraph/msgraph-metadata"
    files = ", ".join(f"{label} {path.name}" for label, path in sources)
    command = " ".join(
        [
            "python scripts/generate_schemas.py",
            *(f"{'--v1' if label == 'v1.0' else '--beta'} {path.name}" for label, path in sources),
            *([f"--source-commit {commit}"] if commit else []),
        ]
    )
    return (
        f"Generated from {origin} ({files}) by `{command}`. Do not edit by hand: change the ENTRALINT_* tables"
        " of scripts/generate_schemas.py and regenerate."
    )


def _note(text: str) -> None:
    print(f"note: {text}", file=sys.stderr)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--v1", type=Path, required=True, help="Graph v1.0 CSDL (cleanMetadata...v1.0.xml)")
    parser.add_argument("--beta", type=Path, action="append", required=True, help="Graph beta CSDL (repeatable)")
    parser.add_argument("--source-commit", help="the msgraph-metadata commit the files come from")
    parser.add_argument("--out", type=Path, default=Path(__file__).resolve().parent.parent / "schemas")
    arguments = parser.parse_args(argv)
    sources = [("v1.0", arguments.v1), *(("beta", path) for path in arguments.beta)]
    model = Model()
    for _, path in sources:
        read_csdl(path, model)
    for enum_name, members in ENTRALINT_BETA_ENUM_MEMBERS.items():
        enum = model.enums.get(enum_name)
        if enum is None:
            continue
        for member in members:
            if member in enum.members:
                _note(f"the metadata now has {enum_name} {member}: drop it from ENTRALINT_BETA_ENUM_MEMBERS")
            else:
                enum.members.append(member)
    header = header_for(sources, arguments.source_commit)
    for file_name in ENTITIES:
        schema = generate(model, file_name, header)
        text = json.dumps(schema, indent=2, ensure_ascii=False) + "\n"
        (arguments.out / file_name).write_text(text, encoding="utf-8")
        _note(f"wrote {arguments.out / file_name}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
