"""Output neutralizes input (issue 19 cases 5, 6 and 11; docs/security.md).

A pull request controls file names, displayNames and values. Whatever they hold, entralint's output
never carries a raw control character, bidi control or line separator from them, no line it prints
starts a GitHub workflow command and no `##[` (the runner's older syntax, matched anywhere in a line)
appears, and SARIF message text cannot form an embedded link.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest

from linter.model.display import neutral, neutral_line_start, sarif_text
from tests.conftest import run_cli
from tests.sarif_checks import assert_valid_sarif

TITLE = "\x1b]0;pwned\x07"
CURSOR_UP = "\x1b[2A"
OSC8_LINK = "\x1b]8;;https://evil.example/\x1b\\click here\x1b]8;;\x1b\\"
RIGHT_TO_LEFT = "\u202e"
C1_CSI = "\x9b31m"
COMMANDS = "\n::error::injected\r::add-mask::secret\n::stop-commands::token\u2028::warning::x ##[error]legacy"
LINK = "[Security exception approved](https://evil.example/x)"
HOSTILE = f"Block DCF {TITLE}{CURSOR_UP}{OSC8_LINK}{RIGHT_TO_LEFT}{C1_CSI}{COMMANDS} {LINK}"
# A file name cannot hold "/" or NUL; everything else of the hostile text it can.
HOSTILE_NAME = f"{TITLE}{RIGHT_TO_LEFT}\n::error::file {C1_CSI}##[error]x.json"

UNSAFE = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
OUR_COLORS = re.compile(r"\x1b\[(?:0|1|2|31|33|36)m")
OUR_COMMAND = re.compile(r"::(error|warning|notice) [^\n]*")


def policy(display_name: str) -> str:
    """A Graph policy whose state is invalid: IN002 names the policy and quotes the value."""
    return json.dumps(
        {
            "displayName": display_name,
            "state": display_name,
            "conditions": {"users": {"includeUsers": ["All"]}, "applications": {"includeApplications": ["All"]}},
            "grantControls": {"operator": "OR", "builtInControls": ["block"]},
        },
        ensure_ascii=False,
    )


@pytest.fixture
def hostile_tree(tmp_path: Path) -> Path:
    tree = tmp_path / "repo"
    tree.mkdir()
    (tree / "named.json").write_text(policy(HOSTILE), encoding="utf-8")
    (tree / HOSTILE_NAME).write_text(policy("plain"), encoding="utf-8")
    yaml_policy = (
        "conditions: {users: {includeUsers: [All]}}\ngrantControls: {operator: OR, builtInControls: [block]}\n"
    )
    # Raw control characters make the file unparsable: IN001, whose excerpt is the raw line.
    (tree / "raw.yaml").write_text(f"displayName: {HOSTILE.splitlines()[0]}\n{yaml_policy}", encoding="utf-8")
    (tree / "bidi.yaml").write_text(f"displayName: x\nstate: 'on{RIGHT_TO_LEFT}'\n{yaml_policy}", encoding="utf-8")
    # A link out of the tree is a notification naming the link: stderr when the report is not text.
    outside = tmp_path / "outside.json"
    outside.write_text(policy("outside"), encoding="utf-8")
    os.symlink(outside, tree / f"{HOSTILE_NAME}.link.json")
    return tree


def assert_neutral(output: str, *, github: bool = False) -> None:
    shown = OUR_COLORS.sub("", output)
    assert not UNSAFE.search(shown), repr(UNSAFE.search(shown))
    assert "##[" not in shown
    for line in shown.split("\n"):
        command = line.lstrip()
        if github and command.startswith("::"):
            # One command of ours per line, its data after the second `::`; nothing else starts one.
            assert OUR_COMMAND.fullmatch(command), line
        else:
            assert not command.startswith("::"), line
    assert "pwned\x07" not in output and RIGHT_TO_LEFT not in output


def test_neutral_writes_unsafe_characters_as_escapes() -> None:
    assert neutral("a\nb\rc\td\x1b]0;t\x07\x7f\x85\x9b\u202e\u2066\u2028\u200f") == (
        "a\\nb\\rc\\td\\x1b]0;t\\x07\\x7f\\x85\\x9b\\u202e\\u2066\\u2028\\u200f"
    )
    assert neutral("Zoë ☃ %0A \\ [x](y) ::error::") == "Zoë ☃ %0A \\ [x](y) ::error::"
    assert neutral("###[x] ##[y") == "###\\[x] ##\\[y"


def test_a_line_never_starts_a_workflow_command() -> None:
    assert neutral_line_start("::error::x.json") == "\\x3a:error::x.json"
    assert neutral_line_start("\u00a0 ::warning::x") == "\u00a0 \\x3a:warning::x"
    assert neutral_line_start("\n::error::x") == "\\n::error::x"
    assert neutral_line_start("policies/a:b.json") == "policies/a:b.json"


def test_sarif_text_escapes_link_markup() -> None:
    assert sarif_text(LINK) == "\\[Security exception approved\\](https://evil.example/x)"
    # A backslash of the input cannot escape the escape: `\[x\](u)` stays no link under either reading.
    assert sarif_text("\\[x\\](u)") == "\\\\\\[x\\\\\\](u)"
    assert sarif_text("[x](0) \x1b") == "\\[x\\](0) \\\\x1b"


@pytest.mark.parametrize("color", ["never", "always", "auto"])
@pytest.mark.parametrize("terminal", [True, False])
def test_text_output_is_neutral_on_a_terminal_or_not(
    hostile_tree: Path, monkeypatch: pytest.MonkeyPatch, color: str, terminal: bool
) -> None:
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.setattr("linter.commands.output._is_terminal", lambda stream: terminal)
    result = run_cli(["check", "--isolated", "--color", color, "."], cwd=hostile_tree)
    assert result.code == 1
    assert_neutral(result.stdout)
    assert_neutral(result.stderr)
    assert "Block DCF \\x1b]0;pwned\\x07\\x1b[2A" in result.stdout
    assert "\\x1b]0;pwned\\x07\\u202e\\n::error::file \\x9b31m##\\[error]x.json:1:" in result.stdout
    if terminal or color == "always":
        assert "| state: 'on\\u202e'" in OUR_COLORS.sub("", result.stdout)  # the excerpt


def test_an_excerpt_caret_stays_under_its_span(hostile_tree: Path) -> None:
    result = run_cli(["check", "--isolated", "--select", "IN002", "--color", "always", "bidi.yaml"], cwd=hostile_tree)
    lines = OUR_COLORS.sub("", result.stdout).splitlines()
    excerpt = next(index for index, line in enumerate(lines) if line.endswith("| state: 'on\\u202e'"))
    caret = lines[excerpt + 1]
    text_start = lines[excerpt].index("| ") + 2
    assert caret.index("^") == text_start + len("state: ")
    assert caret.strip() == "^" * len("'on\\u202e'")


@pytest.mark.parametrize("report_format", ["json", "sarif", "github"])
def test_machine_formats_and_stderr_are_neutral(hostile_tree: Path, report_format: str) -> None:
    result = run_cli(["check", "--isolated", "--format", report_format, "."], cwd=hostile_tree)
    assert result.code == 1
    assert_neutral(result.stdout, github=report_format == "github")
    assert_neutral(result.stderr)
    assert "symbolic link leaves the scanned directory" in result.stderr
    assert "\\x1b]0;pwned\\x07\\u202e\\n::error::file" in result.stderr
    if report_format == "github":
        return
    decoded = json.dumps(json.loads(result.stdout), ensure_ascii=False)
    assert_neutral(decoded)


def test_json_carries_the_neutral_text(hostile_tree: Path) -> None:
    report = run_cli(["check", "--isolated", "--format", "json", "."], cwd=hostile_tree).json()
    messages = [finding["message"] for finding in report["findings"] if finding["code"] == "IN002"]
    text = run_cli(["check", "--isolated", "--format", "text", "."], cwd=hostile_tree).stdout
    assert messages and all(message in text for message in messages)
    paths = {finding["path"] for finding in report["findings"]}
    assert neutral(HOSTILE_NAME) in paths


def test_sarif_message_text_cannot_form_a_link(hostile_tree: Path) -> None:
    log = run_cli(["check", "--isolated", "--format", "sarif", "."], cwd=hostile_tree).json()
    assert_valid_sarif(log)
    texts = [result["message"]["text"] for result in log["runs"][0]["results"]]
    texts += [note["message"]["text"] for note in log["runs"][0]["invocations"][0]["toolExecutionNotifications"]]
    unescaped_bracket = re.compile(r"(?<!\\)(?:\\\\)*[\[\]]")
    for text in texts:
        assert not unescaped_bracket.search(text.replace("\\\\", "")), text
    assert any("\\[Security exception approved\\](https://evil.example/x)" in text for text in texts)


def test_errors_on_stderr_are_neutral(tmp_path: Path) -> None:
    result = run_cli(["check", "--isolated", f"missing{TITLE}\n::error::gone"], cwd=tmp_path)
    assert result.code == 2
    assert_neutral(result.stderr)
    assert "missing\\x1b]0;pwned\\x07\\n::error::gone: no such file or directory" in result.stderr


def test_a_traceback_is_neutral(hostile_tree: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def explode(*args: object, **kwargs: object) -> None:
        raise ValueError(f"bad value {HOSTILE}")

    monkeypatch.setattr("linter.engine.run.lint", explode)
    result = run_cli(["check", "--isolated", "."], cwd=hostile_tree)
    assert result.code == 2
    assert "Traceback" in result.stderr
    assert_neutral(result.stderr)
