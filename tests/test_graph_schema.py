"""schemas/ follow Graph's metadata: the generator, the committed files, and IN002/IN005 through the CLI."""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from tests.conftest import FIXTURES, REPO, run_cli, write


def _generator() -> ModuleType:
    spec = importlib.util.spec_from_file_location("generate_schemas", REPO / "scripts" / "generate_schemas.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up by name
    spec.loader.exec_module(module)
    return module


GENERATOR = _generator()
CSDL = FIXTURES / "csdl"


def at(schema: dict[str, Any], pointer: str) -> Any:
    """The schema of the value at a document pointer (`*` an array item), through $ref and nullable anyOf."""
    node: Any = schema
    for token in [token for token in pointer.split("/") if token]:
        node = _resolved(schema, node)
        node = node["items"] if token == "*" else node["properties"][token]
    return _resolved(schema, node)


def _resolved(root: dict[str, Any], node: Any) -> Any:
    while True:
        if "$ref" in node:
            node = root["$defs"][node["$ref"].rsplit("/", 1)[1]]
        elif "anyOf" in node and node["anyOf"][1:] == [{"type": "null"}]:
            node = node["anyOf"][0]
        else:
            return node


def nullable(schema: dict[str, Any], pointer: str) -> bool:
    parent, _, name = pointer.rpartition("/")
    holder = at(schema, parent)["properties"][name]
    return "anyOf" in holder and {"type": "null"} in holder["anyOf"]


# ---- the generator, on metadata of our own writing ------------------------------------------------


@pytest.fixture(scope="module")
def tiny(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    out = tmp_path_factory.mktemp("schemas")
    argv = ["--v1", str(CSDL / "v1.xml"), "--beta", str(CSDL / "beta.xml"), "--source-commit", "0" * 40]
    assert GENERATOR.main([*argv, "--out", str(out)]) == 0
    schema: dict[str, Any] = json.loads((out / "conditional-access-policy.schema.json").read_text(encoding="utf-8"))
    return schema


def test_a_property_of_either_version_is_allowed_and_nothing_else(tiny: dict[str, Any]) -> None:
    conditions = at(tiny, "/conditions")
    assert conditions["additionalProperties"] is False
    # authenticationFlows and users from v1.0, signInRiskLevels and externalTenants from beta; the supplement's own.
    assert set(conditions["properties"]) == {
        "authenticationFlows",
        "users",
        "signInRiskLevels",
        "externalTenants",
        *(
            name.rsplit("/", 1)[1]
            for name in GENERATOR.ENTRALINT_BETA_SUPPLEMENT[_CA]
            if name.startswith("/conditions/") and name.count("/") == 2
        ),
    }
    assert set(at(tiny, "/conditions/users")["properties"]) == {"includeUsers", "excludeUsers"}


_CA = "conditional-access-policy.schema.json"


def _in_conditions(pointer: str) -> bool:
    return pointer.startswith("/conditions/") and pointer.count("/") == 2


def test_types_enums_collections_and_derived_types(tiny: dict[str, Any]) -> None:
    assert at(tiny, "/id") == {"type": "string"}
    assert at(tiny, "/conditions/users/includeUsers") == {"type": "array", "items": {"type": "string"}}
    assert at(tiny, "/sessionControls/signInFrequency/value") == {"type": "integer", "minimum": 1}
    # Members of both versions, in the metadata's order.
    assert at(tiny, "/state") == {"enum": ["enabled", "disabled", "enabledForReportingButNotEnforced"]}
    assert at(tiny, "/conditions/signInRiskLevels/*") == {"enum": ["low", "high"]}
    # An abstract type holds the properties of the types derived from it (@odata.type is removed).
    assert set(at(tiny, "/conditions/externalTenants")["properties"]) == {"membershipKind", "members"}


def test_flags_enums_as_the_normalizer_leaves_them(tiny: dict[str, Any]) -> None:
    assert at(tiny, "/conditions/authenticationFlows/transferMethods") == {
        "type": "array",
        "items": {"enum": ["none", "deviceCodeFlow"]},
    }


def test_entralint_additions_come_from_the_tables(tiny: dict[str, Any]) -> None:
    assert tiny["required"] == ["conditions"]
    assert at(tiny, "/grantControls/operator") == {"type": "string", "enum": ["AND", "OR"]}
    assert not nullable(tiny, "/state") and not nullable(tiny, "/conditions")
    assert nullable(tiny, "/id") and nullable(tiny, "/conditions/users/includeUsers")
    assert at(tiny, "/conditions/agentContext") == {"type": "object"}


def test_the_header_says_generated_from_what_by_which_command(tiny: dict[str, Any]) -> None:
    assert tiny["$comment"].startswith(
        f"Generated from microsoftgraph/msgraph-metadata@{'0' * 40} (v1.0 v1.xml, beta beta.xml)"
    )
    assert "`python scripts/generate_schemas.py --v1 v1.xml --beta beta.xml --source-commit" in tiny["$comment"]


# ---- the committed schemas: what can be checked without the metadata ------------------------------


COMMITTED = {name: json.loads((REPO / "schemas" / name).read_text(encoding="utf-8")) for name in GENERATOR.ENTITIES}


@pytest.mark.parametrize("name", sorted(COMMITTED))
def test_committed_schema_is_generated_with_the_tables(name: str) -> None:
    schema = COMMITTED[name]
    assert schema["$comment"].startswith("Generated from microsoftgraph/msgraph-metadata@")
    assert "python scripts/generate_schemas.py --v1 " in schema["$comment"]
    for pointer, keywords in GENERATOR.ENTRALINT_CONSTRAINTS.get(name, {}).items():
        node = at(schema, pointer)
        assert {key: node.get(key) for key in keywords} == keywords, pointer
    for pointer in GENERATOR.ENTRALINT_NOT_NULL.get(name, ()):
        assert not nullable(schema, pointer), pointer
    for pointer in GENERATOR.ENTRALINT_SPLIT_FLAGS.get(name, ()):
        assert at(schema, pointer)["type"] == "array", pointer
    for pointer, value in GENERATOR.ENTRALINT_BETA_SUPPLEMENT.get(name, {}).items():
        assert at(schema, pointer) == value, pointer


def test_split_flags_table_is_the_normalizers() -> None:
    from linter.loaders.normalize.graph_shape import FLAG_POINTERS
    from linter.model import CONDITIONAL_ACCESS_POLICY

    split_flags = GENERATOR.ENTRALINT_SPLIT_FLAGS
    assert split_flags == {_CA: FLAG_POINTERS[CONDITIONAL_ACCESS_POLICY]}


# ---- through the command line --------------------------------------------------------------------


def lint(tmp_path: Path, name: str, document: dict[str, Any] | str) -> list[dict[str, Any]]:
    text = document if isinstance(document, str) else json.dumps(document, indent=2)
    path = write(tmp_path, name, text)
    result = run_cli(["check", "--isolated", "--format", "json", str(path)])
    assert result.code in (0, 1), result.stderr
    findings: list[dict[str, Any]] = result.json()["findings"]
    return findings


def policy(**changes: Any) -> dict[str, Any]:
    document: dict[str, Any] = {
        "displayName": "Block agents",
        "state": "enabled",
        "conditions": {
            "users": {"includeUsers": ["All"]},
            "applications": {"includeApplications": ["All"]},
            "clientAppTypes": ["all"],
        },
        "grantControls": {"operator": "OR", "builtInControls": ["block"]},
    }
    for key, value in changes.items():
        document[key] = value
    return document


def codes(findings: list[dict[str, Any]], *wanted: str) -> list[tuple[str, str]]:
    return [(finding["code"], finding["pointer"]) for finding in findings if finding["code"] in wanted]


def test_beta_agent_properties_are_not_in002(tmp_path: Path) -> None:
    conditions = {
        "users": {"includeUsers": ["None"]},
        "applications": {"includeApplications": ["All"]},
        "clientApplications": {
            "includeAgentIdServicePrincipals": ["All"],
            "agentIdServicePrincipalFilter": {"mode": "include", "rule": 'CustomSecurityAttribute.x -eq "y"'},
        },
        "agentIdRiskLevels": "high",
        "agentContext": {"agentType": "autonomous"},
        "clientAppTypes": ["all"],
    }
    findings = lint(tmp_path, "agents.json", policy(conditions=conditions))
    assert codes(findings, "IN002", "IN005", "CA009") == []


def test_named_location_deleted_date_time_is_graph(tmp_path: Path) -> None:
    location = {
        "@odata.type": "#microsoft.graph.countryNamedLocation",
        "displayName": "Blocked countries",
        "deletedDateTime": None,
        "countriesAndRegions": ["KP"],
        "includeUnknownCountriesAndRegions": False,
    }
    assert codes(lint(tmp_path, "location.json", location), "IN002") == []


def test_what_graph_rejects_stays_in002(tmp_path: Path) -> None:
    document = policy(state="enable", colour="blue")
    document["conditions"]["clientAppTypes"] = "all"
    findings = lint(tmp_path, "wrong.json", document)
    assert sorted(codes(findings, "IN002", "IN005")) == [
        ("IN002", "/colour"),  # in neither v1.0 nor beta
        ("IN002", "/conditions/clientAppTypes"),  # a string where Graph has a collection
        ("IN002", "/state"),  # outside the enumeration
    ]


def test_in005_names_graphs_spelling_and_is_not_also_in002(tmp_path: Path) -> None:
    findings = lint(tmp_path, "case.json", (REPO / "tests" / "rules" / "IN005" / "fail_letter_case.json").read_text())
    reported = [
        (f["code"], f["level"], f["line"], f["column"], f["message"]) for f in findings if f["code"][:2] == "IN"
    ]
    case = "written in other letter case"
    assert reported == [
        (
            "IN005",
            "warning",
            3,
            12,
            "Block legacy authentication: 'Enabled' at /state is Graph's 'enabled' " + case,
        ),
        (
            "IN005",
            "warning",
            7,
            46,
            "Block legacy authentication: 'Other' at /conditions/clientAppTypes/1 is Graph's 'other' " + case,
        ),
        (
            "IN005",
            "warning",
            9,
            59,
            "Block legacy authentication: 'Block' at /grantControls/builtInControls/0 is Graph's 'block' " + case,
        ),
    ]
    # The rules read the member Graph reads: the policy blocks, so CA007 sees legacy authentication blocked.
    assert codes(findings, "CA007") == []


def test_in005_pass_fixture_has_no_finding(tmp_path: Path) -> None:
    findings = lint(tmp_path, "ok.json", (REPO / "tests" / "rules" / "IN005" / "pass_canonical.json").read_text())
    assert codes(findings, "IN002", "IN005") == []


def test_in002_names_a_key_as_written(tmp_path: Path) -> None:
    text = json.dumps({**{key[:1].upper() + key[1:]: value for key, value in policy().items()}, "REF": "x"}, indent=2)
    findings = lint(tmp_path, "pascal.json", text)
    reported = [(f["code"], f["line"], f["message"], f["pointer"]) for f in findings if f["code"] == "IN002"]
    assert reported == [("IN002", 25, "Block agents: unknown property 'REF' at the document", "/rEF")]


def test_ca009_counts_agent_identities(tmp_path: Path) -> None:
    conditions = {
        "applications": {"includeApplications": ["All"]},
        "clientApplications": {"includeAgentIdServicePrincipals": ["All"]},
        "clientAppTypes": ["all"],
    }
    assert codes(lint(tmp_path, "only-agents.json", policy(conditions=conditions)), "CA009") == []
    conditions["clientApplications"] = {"includeAgentIdServicePrincipals": ["None"]}
    assert codes(lint(tmp_path, "no-one.json", policy(conditions=conditions)), "CA009") == [("CA009", "/conditions")]
