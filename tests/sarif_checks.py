"""SARIF assertions shared by tests: the OASIS schema plus what GitHub code scanning rejects."""

from __future__ import annotations

import functools
import json
from pathlib import Path
from typing import Any
from urllib.parse import unquote

from tests.conftest import shared_path


def schema_validator() -> Any:
    """The OASIS SARIF 2.1.0 schema's validator; the test skips (or fails in CI) without ../shared/sarif."""
    return _validator(shared_path("sarif/sarif-schema-2.1.0.json"))


@functools.cache
def _validator(schema: Path) -> Any:
    from jsonschema import Draft4Validator

    return Draft4Validator(json.loads(schema.read_text(encoding="utf-8")))


def assert_valid_sarif(log: dict[str, Any]) -> None:
    """Schema-valid, one run, relative URIs, regions from 1: what code scanning ingests."""
    errors = sorted(schema_validator().iter_errors(log), key=lambda error: list(error.absolute_path))
    assert not errors, [f"{list(error.absolute_path)}: {error.message}" for error in errors[:5]]
    assert len(log["runs"]) == 1
    run = log["runs"][0]
    rule_ids = [rule["id"] for rule in run["tool"]["driver"]["rules"]]
    for result in run["results"]:
        assert rule_ids[result["ruleIndex"]] == result["ruleId"]
        assert result["message"]["text"]
        for location in [*result["locations"], *result.get("relatedLocations", [])]:
            physical = location["physicalLocation"]
            uri = physical["artifactLocation"]["uri"]
            assert uri, "empty artifact URI"
            assert not uri.startswith("/") and ".." not in unquote(uri).split("/"), uri
            assert "\\" not in uri and " " not in uri and "\n" not in uri, uri
            region = physical["region"]
            assert region["startLine"] >= 1 and region["startColumn"] >= 1, region
