"""A run that could not check what it was asked to check does not pass (issue 19 case 3).

Each thing entralint could not check is an error-level finding, so the exit code says so: tenant
rules skipped (IN006), a file or a directory that could not be read (IN001).
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import run_cli

HARMLESS = {
    "state": "enabled",
    "conditions": {
        "users": {"includeUsers": ["All"]},
        "applications": {"includeApplications": ["All"]},
        "clientAppTypes": ["all"],
    },
    "grantControls": {"operator": "OR", "builtInControls": ["mfa"]},
}


def harmless(count: int) -> str:
    return json.dumps({"value": [{"displayName": f"Harmless {number}", **HARMLESS} for number in range(count)]})


def codes(report: dict[str, Any]) -> list[tuple[str, str, str]]:
    return [(finding["code"], finding["level"], finding["path"]) for finding in report["findings"]]


def test_filler_past_the_tenant_limit_fails_the_run(tmp_path: Path) -> None:
    (tmp_path / "filler.json").write_text(harmless(196), encoding="utf-8")
    result = run_cli(["check", "--isolated", "--format", "json", "filler.json"], cwd=tmp_path)
    assert result.code == 1
    assert codes(result.json()) == [("IN006", "error", "filler.json")]


def test_the_same_policies_within_the_limit_pass(tmp_path: Path) -> None:
    (tmp_path / "filler.json").write_text(harmless(195), encoding="utf-8")
    result = run_cli(["check", "--isolated", "--select", "IN", "filler.json"], cwd=tmp_path)
    assert result.code == 0, result.stdout


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_paths_that_cannot_be_read_fail_the_run(tmp_path: Path) -> None:
    (tmp_path / "policy.json").write_text(harmless(1), encoding="utf-8")
    (tmp_path / "dangling.json").symlink_to(tmp_path / "gone.json")
    os.mkfifo(tmp_path / "pipe.yaml")
    result = run_cli(["check", "--isolated", "--select", "IN", "--format", "json", "."], cwd=tmp_path)
    assert result.code == 1
    report = result.json()
    assert codes(report) == [("IN001", "error", "dangling.json"), ("IN001", "error", "pipe.yaml")]
    assert report["notifications"] == []


def test_a_directory_that_cannot_be_listed_fails_the_run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Root lists any directory: the refusal is simulated where the walk lists it.
    (tmp_path / "policy.json").write_text(harmless(1), encoding="utf-8")
    (tmp_path / "locked").mkdir()
    (tmp_path / "locked" / "hidden.json").write_text(harmless(1), encoding="utf-8")
    listing = os.scandir

    def refuse(path: Any) -> Any:
        if str(path).endswith("locked"):
            raise PermissionError(13, "Permission denied", str(path))
        return listing(path)

    monkeypatch.setattr("linter.engine.files.os.scandir", refuse)
    result = run_cli(["check", "--isolated", "--select", "IN", "--format", "json", "."], cwd=tmp_path)
    assert result.code == 1
    report = result.json()
    assert codes(report) == [("IN001", "error", "locked")]
    assert report["findings"][0]["message"] == "directory cannot be listed: Permission denied"


@pytest.mark.parametrize(
    ("name", "data", "words"),
    [
        ("big.json", b'{"displayName": "x"}' + b" " * 2048, "over the 1,024-byte limit"),
        ("latin1.json", '{"displayName": "Zoë", "conditions": {}}'.encode("latin-1"), "invalid UTF-8"),
    ],
)
def test_a_file_too_large_or_not_text_fails_the_run(tmp_path: Path, name: str, data: bytes, words: str) -> None:
    (tmp_path / name).write_bytes(data)
    result = run_cli(["check", "--isolated", "--max-file-size", "1024", "--format", "json", name], cwd=tmp_path)
    assert result.code == 1
    [finding] = result.json()["findings"]
    assert (finding["code"], finding["level"]) == ("IN001", "error")
    assert words in finding["message"]


def test_an_ignored_in001_is_the_person_running_entralints_choice(tmp_path: Path) -> None:
    (tmp_path / "dangling.json").symlink_to(tmp_path / "gone.json")
    (tmp_path / "policy.json").write_text(harmless(1), encoding="utf-8")
    result = run_cli(["check", "--isolated", "--select", "IN", "--ignore", "IN001", "."], cwd=tmp_path)
    assert result.code == 0, result.stdout


def test_a_tenant_rule_that_cannot_finish_its_walk_fails_the_run_instead_of_answering_in_part(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from linter.policy import sign_in_classes

    # Past the limit of classes a walk visits, the gaps found so far are not the tenant's gaps (the walk
    # stopped before the rest): the rule gives no answer and IN006 says so.
    monkeypatch.setattr(sign_in_classes.gaps, "__defaults__", (1,))
    policy = {**HARMLESS, "conditions": {**HARMLESS["conditions"], "users": {"includeUsers": ["u1", "u2"]}}}
    (tmp_path / "policies.json").write_text(json.dumps({"value": [{"displayName": "Some users", **policy}]}))
    result = run_cli(["check", "--isolated", "--select", "CA011,IN", "--format", "json", "."], cwd=tmp_path)
    assert result.code == 1
    [finding] = result.json()["findings"]
    assert (finding["code"], finding["level"]) == ("IN006", "error")
    assert finding["message"].startswith(
        "Tenant rule CA011 was skipped for tenant 'default': it could not finish (more than 1 classes of sign-in"
    )
    monkeypatch.undo()
    answered = run_cli(["check", "--isolated", "--select", "CA011,IN", "--format", "json", "."], cwd=tmp_path)
    assert [finding["code"] for finding in answered.json()["findings"]] == ["CA011"]
