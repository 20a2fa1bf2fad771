"""Hostile input: every bad file gets a clear finding or notification, the rest of the run goes on.

Each case writes one hostile file beside a known-bad policy (`witness.json`, an IN002 at /state)
and checks: the hostile file's finding and position, that the witness is still reported, and
that the SARIF log is valid. Binary cases are generated here; they cannot live in git as text.
"""

from __future__ import annotations

import json
import os
import socket
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import run_cli
from tests.sarif_checks import assert_valid_sarif

WITNESS = (
    '{"displayName": "Witness", "state": "enable",\n'
    ' "conditions": {"users": {"includeUsers": ["All"]}, "applications": {"includeApplications": ["All"]}},\n'
    ' "grantControls": {"operator": "OR", "builtInControls": ["mfa"]}}\n'
)
POLICY_HEAD = '{"displayName": "P", "conditions": {}, "grantControls": {}'


def lint(directory: Path, *extra: str) -> tuple[int, dict[str, Any]]:
    (directory / "witness.json").write_text(WITNESS, encoding="utf-8")
    output = directory.parent / f"{directory.name}.sarif"
    command = ["check", "--isolated", "--select", "IN", "--format", "sarif", "--output", str(output), *extra, "."]
    result = run_cli(command, cwd=directory)
    assert "Traceback" not in result.stderr
    log = json.loads(output.read_text(encoding="utf-8"))
    assert_valid_sarif(log)
    assert log["runs"][0]["invocations"][0]["executionSuccessful"] is True
    return result.code, log


def results(log: dict[str, Any], path: str) -> list[tuple[str, int, int, str]]:
    found = []
    for result in log["runs"][0]["results"]:
        location = result["locations"][0]["physicalLocation"]
        if location["artifactLocation"]["uri"] == path:
            region = location["region"]
            found.append((result["ruleId"], region["startLine"], region["startColumn"], result["message"]["text"]))
    return found


def assert_witness(log: dict[str, Any]) -> None:
    assert [(code, line) for code, line, _, _ in results(log, "witness.json")] == [("IN002", 1)]


@pytest.mark.parametrize(
    ("name", "data", "line", "column", "words"),
    [
        ("binary.json", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", 1, 1, "invalid UTF-8"),
        ("nul.json", b'{"displayName": "x\x00"}', 1, 19, "binary"),
        ("invalid-utf8.json", POLICY_HEAD.encode() + b', "description": "\xc3\x28"}', 1, 77, "invalid UTF-8"),
        ("truncated-utf16.json", b"\xff\xfe" + POLICY_HEAD.encode("utf-16-le") + b"{", 1, 59, "truncated UTF-16"),
        ("surrogate.json", (POLICY_HEAD + ', "description": "\\ud800"}').encode(), 1, 77, "surrogate"),
        ("nan.json", (POLICY_HEAD + ', "sessionControls": {"x": NaN}}').encode(), 1, 86, "NaN"),
        ("infinity.json", (POLICY_HEAD + ', "x": -Infinity}').encode(), 1, 66, "Infinity"),
        ("duplicate.json", (POLICY_HEAD + ', "displayName": "Q"}').encode(), 1, 61, "duplicate key 'displayName'"),
        ("garbage.json", (POLICY_HEAD + "} trailing").encode(), 1, 61, "Extra data"),
        ("truncated.json", POLICY_HEAD.encode(), 1, 59, "invalid JSON"),
        ("huge-int.json", (POLICY_HEAD + ', "x": ' + "9" * 5000 + "}").encode(), 1, 66, "digits"),
        (
            "python-tag.yaml",
            b"conditions: !!python/object/apply:os.system [echo hi]\ngrantControls: {}\n",
            1,
            13,
            "tag",
        ),
        ("dup.yaml", b"conditions: {}\ngrantControls: {}\nconditions: {}\n", 3, 1, "duplicate key 'conditions'"),
        ("tabs.yaml", b"conditions:\n\t- grantControls\n", 2, 1, "invalid YAML"),
    ],
)
def test_unreadable_file_is_in001_at_its_position(
    tmp_path: Path, name: str, data: bytes, line: int, column: int, words: str
) -> None:
    (tmp_path / name).write_bytes(data)
    code, log = lint(tmp_path)
    found = results(log, name)
    assert len(found) == 1, found
    rule, found_line, found_column, message = found[0]
    assert (rule, found_line, found_column) == ("IN001", line, column), message
    assert words in message
    assert_witness(log)
    assert code == 1


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("empty.json", b""),
        ("lone-bom.json", b"\xef\xbb\xbf"),
        ("whitespace.yaml", b"\n\n  \n"),
        ("package.json", b'{"name": "x", "version": "1.0.0", "scripts": {"test": "jest"'),
        ("values.yaml", b"replicaCount: [1, 2\n"),
    ],
)
def test_file_that_holds_no_policy_is_skipped_silently(tmp_path: Path, name: str, data: bytes) -> None:
    (tmp_path / name).write_bytes(data)
    _, log = lint(tmp_path)
    assert results(log, name) == []
    assert log["runs"][0]["invocations"][0]["toolExecutionNotifications"] == []
    assert_witness(log)


def test_billion_laughs_is_bounded(tmp_path: Path) -> None:
    lines = ["a: &a [x, x, x, x, x, x, x, x, x]"]
    for index in range(1, 10):
        previous, current = chr(ord("a") + index - 1), chr(ord("a") + index)
        lines.append(f"{current}: &{current} [{', '.join(['*' + previous] * 9)}]")
    lines.append("conditions: *j\ngrantControls: {}")
    (tmp_path / "laughs.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    _, log = lint(tmp_path)
    [(rule, line, _, message)] = results(log, "laughs.yaml")
    assert (rule, line) == ("IN001", 1)
    assert "aliases expand to too many values" in message
    assert_witness(log)


def test_recursive_alias_is_in001(tmp_path: Path) -> None:
    (tmp_path / "loop.yaml").write_text("conditions: &c {self: *c}\ngrantControls: {}\n", encoding="utf-8")
    _, log = lint(tmp_path)
    [(rule, line, column, message)] = results(log, "loop.yaml")
    assert (rule, line, column) == ("IN001", 1, 13)
    assert "recursive YAML alias" in message


@pytest.mark.parametrize(
    ("name", "text", "column"),
    [
        ("deep.json", '{"conditions": ' + "[" * 60_000 + "]" * 60_000 + ', "grantControls": {}}', 915),
        ("deep.yaml", "conditions: " + "[" * 60_000 + "]" * 60_000 + "\ngrantControls: {}\n", 912),
        ("compact.yaml", "conditions:\n" + "- " * 60_000 + "x\ngrantControls: {}\n", 1799),
    ],
)
def test_deep_nesting_stops_with_a_position(tmp_path: Path, name: str, text: str, column: int) -> None:
    (tmp_path / name).write_text(text, encoding="utf-8")
    _, log = lint(tmp_path)
    [(rule, _, found_column, message)] = results(log, name)
    assert rule == "IN001"
    assert found_column == column
    assert "nested more than" in message
    assert_witness(log)


def test_file_over_max_size_is_reported(tmp_path: Path) -> None:
    (tmp_path / "big.json").write_text(POLICY_HEAD + ', "description": "' + "x" * 5000 + '"}', encoding="utf-8")
    _, log = lint(tmp_path, "--max-file-size", "4096")
    [(rule, line, _, message)] = results(log, "big.json")
    assert (rule, line) == ("IN001", 1)
    assert "4,096-byte limit" in message


def test_very_long_line_is_read(tmp_path: Path) -> None:
    padding = " " * 200_000
    (tmp_path / "long.json").write_text(
        '{"displayName": "Long",' + padding + '"state": "enable", "conditions": {}, "grantControls": {}}',
        encoding="utf-8",
    )
    _, log = lint(tmp_path)
    [(rule, line, column, _)] = results(log, "long.json")
    assert (rule, line, column) == ("IN002", 1, 200_033)


@pytest.mark.parametrize(
    ("pointer", "value", "words"),
    [
        ("conditions", None, "/conditions must be an object, not null"),
        ("conditions", "All", "/conditions must be an object, not a string"),
        ("grantControls", [], "/grantControls must be an object or null, not an array"),
        ("state", 1, "1 at /state is not one of"),
    ],
)
def test_wrong_shapes_are_in002_at_the_value(tmp_path: Path, pointer: str, value: Any, words: str) -> None:
    policy: dict[str, Any] = {
        "displayName": "Shape",
        "state": "enabled",
        "conditions": {"users": {"includeUsers": ["All"]}},
        "grantControls": {"builtInControls": ["block"]},
    }
    policy[pointer] = value
    (tmp_path / "shape.json").write_text(json.dumps(policy, indent=2), encoding="utf-8")
    _, log = lint(tmp_path)
    found = results(log, "shape.json")
    assert [rule for rule, *_ in found] == ["IN002"]
    assert words in found[0][3]
    line = (
        json.dumps(policy, indent=2)
        .splitlines()
        .index(next(text for text in json.dumps(policy, indent=2).splitlines() if text.startswith(f'  "{pointer}"')))
        + 1
    )
    assert found[0][1] == line


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this platform")
def test_fifo_socket_and_device_are_never_opened(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "pipe.json")
    server = socket.socket(socket.AF_UNIX)
    server.bind(str(tmp_path / "sock.json"))
    try:
        (tmp_path / "null.json").symlink_to("/dev/null")
        _, log = lint(tmp_path)
    finally:
        server.close()
    notes = {
        note["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]: note["message"]["text"]
        for note in log["runs"][0]["invocations"][0]["toolExecutionNotifications"]
    }
    # Asked to check them and could not: IN001, so the run fails (issue 19 case 3).
    assert [(code, text) for code, _, _, text in results(log, "pipe.json")] == [
        ("IN001", "not a regular file (FIFO, socket or device); never opened")
    ]
    assert [code for code, _, _, _ in results(log, "sock.json")] == ["IN001"]
    assert "leaves the scanned directory" in notes["null.json"]
    assert_witness(log)


def test_symlinks_out_of_root_and_loops_are_not_followed(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.json").write_text(WITNESS, encoding="utf-8")
    root = tmp_path / "root"
    root.mkdir()
    (root / "escape.json").symlink_to(outside / "secret.json")
    (root / "loop").symlink_to(root)
    (root / "a.json").symlink_to(root / "b.json")
    (root / "b.json").symlink_to(root / "a.json")
    _, log = lint(root)
    uris = {
        result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for result in log["runs"][0]["results"]
    }
    assert uris == {"witness.json", "a.json", "b.json"}  # the loop: IN001, not followed
    assert [code for code, _, _, text in results(log, "a.json") if "cannot be read" in text] == ["IN001"]
    notes = [note["message"]["text"] for note in log["runs"][0]["invocations"][0]["toolExecutionNotifications"]]
    assert any("leaves the scanned directory" in note for note in notes)


def test_unreadable_file_is_in001(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # CI runs as root, which reads any file: make the open fail the way chmod 000 would.
    locked = tmp_path / "locked.json"
    locked.write_text(WITNESS, encoding="utf-8")
    real_open = os.open

    def refusing_open(path: Any, flags: int, *args: Any) -> int:
        if Path(path).name == "locked.json":
            raise PermissionError(13, "Permission denied")
        return real_open(path, flags, *args)

    monkeypatch.setattr("linter.engine.files.os.open", refusing_open)
    _, log = lint(tmp_path)
    [(rule, line, _, message)] = results(log, "locked.json")
    assert (rule, line) == ("IN001", 1)
    assert "Permission denied" in message
    assert_witness(log)


@pytest.mark.parametrize(
    ("name", "uri"),
    [
        ("with space.json", "with%20space.json"),
        ("größe.json", "gr%C3%B6%C3%9Fe.json"),
        ("new\nline.json", "new%0Aline.json"),
        ("100%.json", "100%25.json"),
    ],
)
def test_odd_file_names_are_percent_encoded(tmp_path: Path, name: str, uri: str) -> None:
    (tmp_path / name).write_text(WITNESS, encoding="utf-8")
    _, log = lint(tmp_path)
    assert [rule for rule, *_ in results(log, uri)] == ["IN002"]


def test_output_is_identical_across_runs_jobs_and_order(tmp_path: Path) -> None:
    for index in range(80):
        state = "enable" if index % 7 == 0 else "enabled"
        (tmp_path / f"p{index:03}.json").write_text(WITNESS.replace('"enable"', f'"{state}"'), encoding="utf-8")
    (tmp_path / "broken.json").write_bytes(POLICY_HEAD.encode())
    names = sorted(path.name for path in tmp_path.iterdir())
    outputs = []
    for jobs, order in (("1", names), ("2", names), ("2", list(reversed(names))), ("1", list(reversed(names)))):
        output = tmp_path.parent / "out.sarif"
        result = run_cli(
            [
                "check",
                "--isolated",
                "--select",
                "IN",
                "--format",
                "sarif",
                "--output",
                str(output),
                "--jobs",
                jobs,
                *order,
            ],
            cwd=tmp_path,
        )
        assert result.code == 1
        outputs.append(output.read_bytes())
    assert len(set(outputs)) == 1


def test_output_file_is_not_half_written_when_the_run_fails(tmp_path: Path) -> None:
    output = tmp_path / "report.sarif"
    output.write_text("previous report", encoding="utf-8")
    result = run_cli(
        ["check", "--isolated", "--select", "XX999", "--format", "sarif", "--output", str(output), "."], cwd=tmp_path
    )
    assert result.code == 2
    assert output.read_text(encoding="utf-8") == "previous report"
    assert [path.name for path in tmp_path.iterdir()] == ["report.sarif"]


def test_deep_hcl_and_powershell_nesting_are_in001(tmp_path: Path) -> None:
    depth = 50_000
    (tmp_path / "deep.tf").write_text(
        'resource "azuread_conditional_access_policy" "x" {\n  display_name = ' + "[" * depth + "]" * depth + "\n}\n",
        encoding="utf-8",
    )
    (tmp_path / "deep.ps1").write_text(
        "New-MgPolicyTokenLifetimePolicy -Definition " + "@(" * depth + ")" * depth + "\n", encoding="utf-8"
    )
    _, log = lint(tmp_path)
    [(rule, _, _, message)] = results(log, "deep.tf")
    assert rule == "IN001"
    assert "nested too deeply" in message
    [(rule, _, _, message)] = results(log, "deep.ps1")
    assert rule == "IN001"
    assert "nested" in message
    assert_witness(log)
