"""Meta-tests: every rule is complete (metadata, help, docs page, fixtures) and the CLI path stays light."""

from __future__ import annotations

import importlib.util
import json
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from linter.docs import rule_page, write_rule_docs
from linter.registry import ENTRY_POINT_GROUP, builtin_rules_dir, group_may_be_declared, load_rules
from linter.rule import Rule
from tests.conftest import FIXTURES, REPO, run_cli

RULES = load_rules(entry_points=False)
SECTIONS = ("What it checks", "Why it matters", "Example", "How to fix", "References")
RULE_FIXTURES = FIXTURES / "rules"
# The IN rules' fixtures: file -> findings of that rule (line, column, words of the message).
IN_EXPECTED: dict[str, list[tuple[int, int, str]]] = {
    "IN001/fail_missing_comma.json": [(4, 38, "invalid JSON: Expecting ',' delimiter")],
    "IN001/fail_duplicate_key.json": [(4, 3, "duplicate key 'state'")],
    "IN001/fail_yaml_indentation.yaml": [(6, 4, "invalid YAML")],
    "IN002/fail_state_enable.json": [(3, 12, "'enable' at /state is not one of 'enabled'")],
    "IN002/fail_wrong_type.yaml": [(5, 19, "/conditions/users/includeUsers must be an array or null, not a string")],
    "IN003/fail_no_reason.yaml": [(1, 27, "suppression of CA009 gives no reason")],
    "IN003/fail_no_reason.tf": [(1, 54, "suppression of CA009 gives no reason")],
    "IN004/fail_unused.yaml": [(2, 17, "suppression of CA004 matches no finding")],
    "IN004/fail_unused.ps1": [(1, 1, "suppression of TL001 matches no finding")],
}


def rule_ids() -> list[str]:
    return list(RULES)


def test_codes_are_unique_and_well_formed() -> None:
    modules = sorted(path for path in builtin_rules_dir().glob("*.py") if not path.name.startswith("_"))
    codes = []
    for path in modules:
        defined = [rule for rule in RULES.values() if rule.__module__ == f"linter.rules.{path.stem}"]
        assert len(defined) == 1, f"{path.name} must define exactly one rule"
        [rule] = defined
        assert path.stem == f"{rule.code.lower()}_{rule.name.replace('-', '_')}", path.name
        codes.append(rule.code)
    assert len(codes) == len(set(codes)) == len(RULES)
    assert all(re.fullmatch(r"[A-Z]{2}\d{3}", code) for code in codes), codes


@pytest.mark.parametrize("code", rule_ids())
def test_rule_metadata(code: str) -> None:
    rule = RULES[code]
    assert re.fullmatch(r"[a-z][a-z0-9]*(-[a-z0-9]+)*", rule.name), rule.name
    assert rule.summary and rule.summary[0].isupper() and not rule.summary.endswith("."), rule.summary
    assert len(rule.tags) <= 20
    if rule.security_severity is not None:
        assert 0 < rule.security_severity <= 10
    assert rule.precision in ("very-high", "high", "medium", "low")
    assert len({option.name for option in rule.options}) == len(rule.options)


@pytest.mark.parametrize("code", rule_ids())
def test_rule_help_has_every_section_in_order(code: str) -> None:
    help_text = RULES[code].help()
    headings = re.findall(r"^## (.+)$", help_text, re.MULTILINE)
    assert tuple(heading for heading in headings if heading in SECTIONS) == SECTIONS, headings
    for section in SECTIONS:
        body = help_text.split(f"## {section}\n", 1)[1].split("\n## ", 1)[0]
        assert body.strip(), f"{code}: empty section {section}"
    references = help_text.split("## References\n", 1)[1]
    assert re.search(r"https://\S+", references), f"{code}: References needs a link"


@pytest.mark.parametrize("code", rule_ids())
def test_rule_has_pass_and_fail_fixtures(code: str) -> None:
    folder = RULE_FIXTURES / code
    names = [path.name for path in folder.iterdir()] if folder.is_dir() else []
    assert any(name.startswith("pass_") for name in names), f"tests/fixtures/rules/{code}/pass_* is missing"
    assert any(name.startswith("fail_") for name in names), f"tests/fixtures/rules/{code}/fail_* is missing"


def test_rule_docs_are_current(tmp_path: Path) -> None:
    write_rule_docs(RULES, tmp_path)
    expected = {path.name: path.read_text(encoding="utf-8") for path in tmp_path.iterdir()}
    docs = REPO / "docs" / "rules"
    actual = {path.name: path.read_text(encoding="utf-8") for path in docs.glob("*.md")}
    assert sorted(actual) == sorted(expected), "run `python -m linter.docs` to regenerate docs/rules/"
    stale = [name for name in expected if actual[name] != expected[name]]
    assert stale == [], "run `python -m linter.docs` to regenerate docs/rules/"
    assert all(expected[f"{code}.md"] == rule_page(RULES[code]) for code in RULES)


def test_help_uris_name_existing_pages() -> None:
    from linter import rule_doc_url

    for code in RULES:
        url = rule_doc_url(code)
        assert url.endswith(f"/docs/rules/{code}.md")
        assert (REPO / "docs" / "rules" / f"{code}.md").is_file()


def in_fixtures() -> list[Path]:
    return sorted(path for path in RULE_FIXTURES.glob("IN00*/*") if path.name.startswith(("pass_", "fail_")))


@pytest.mark.parametrize("path", in_fixtures(), ids=lambda path: f"{path.parent.name}/{path.name}")
def test_in_rule_fixture(path: Path) -> None:
    code = path.parent.name
    # The rules a suppression names must run, or it could not have matched anything.
    selection = f"{code},CA,TL,MF"
    result = run_cli(["check", "--isolated", "--select", selection, "--format", "json", str(path)], cwd=REPO)
    report = result.json()
    assert report["notifications"] == []
    found = [
        (entry["line"], entry["column"], entry["message"]) for entry in report["findings"] if entry["code"] == code
    ]
    expected = IN_EXPECTED.get(f"{code}/{path.name}", [])
    assert [(line, column) for line, column, _ in found] == [(line, column) for line, column, _ in expected]
    for (_, _, message), (_, _, words) in zip(found, expected, strict=True):
        assert words in message


def test_every_in_fail_fixture_has_expectations() -> None:
    fail = {f"{path.parent.name}/{path.name}" for path in in_fixtures() if path.name.startswith("fail_")}
    assert fail == set(IN_EXPECTED)


def test_importing_the_cli_stays_light() -> None:
    """`entralint --version` and argument errors must not pay for what a run may not need."""
    heavy = ["jsonschema", "yaml", "tree_sitter", "tree_sitter_hcl", "ruamel", "linter.reporters", "linter.engine"]
    probe = (
        "import sys, json, linter.cli; "
        f"print(json.dumps(sorted(name for name in {heavy!r} "
        "if name in sys.modules or any(m.startswith(name + '.') for m in sys.modules))))"
    )
    result = subprocess.run([sys.executable, "-c", probe], cwd=REPO, capture_output=True, text=True, check=True)
    assert json.loads(result.stdout) == []


def test_a_check_imports_only_what_it_uses(tmp_path: Path) -> None:
    """No plug-in metadata without a plug-in, no device filter parser without a device filter, no OpenSSL.

    No dataclasses either: creating one costs 0.5-1 ms at import, and the module imports inspect.
    """
    (tmp_path / "policy.json").write_text('{"displayName": "p", "state": "enabled"}\n', encoding="utf-8")
    probe = (
        "import sys, json\n"
        "from linter.cli import main\n"
        "main(['check', '--isolated', '--format', 'json', '--output', 'report.json', 'policy.json'])\n"
        "unexpected = {'importlib.metadata', 'linter.whatif.devicefilter', 'hashlib', 'dataclasses', 'inspect'}\n"
        "print(json.dumps(sorted(unexpected & set(sys.modules))))\n"
    )
    result = subprocess.run([sys.executable, "-c", probe], cwd=tmp_path, capture_output=True, text=True, check=True)
    expected = ["importlib.metadata"] if group_may_be_declared(ENTRY_POINT_GROUP) else []
    if not any(importlib.util.find_spec(name) for name in ("_sha256", "_sha2")):  # fingerprints need hashlib
        expected = ["hashlib", *expected]
    assert json.loads(result.stdout.splitlines()[-1]) == expected


def test_document_rules_alone_do_not_import_the_sign_in_evaluator(tmp_path: Path) -> None:
    """The what-if evaluator is for the tenant rules: a run without them (or skipping them) never loads it."""
    policy = {
        "displayName": "terms",
        "state": "enabled",
        "conditions": {"users": {"includeUsers": ["All"]}, "applications": {"includeApplications": ["All"]}},
        "grantControls": {"operator": "OR", "termsOfUse": ["agreement"]},
    }
    (tmp_path / "policy.json").write_text(json.dumps(policy), encoding="utf-8")
    probe = (
        "import sys, json\n"
        "from linter.cli import main\n"
        "main(['check', '--isolated', '--format', 'json', '--output', 'report.json', '--ignore', 'CA010,CA011,PA001',"
        " 'policy.json'])\n"
        "print(json.dumps(sorted(m for m in sys.modules if m.startswith('linter.whatif.'))))\n"
    )
    result = subprocess.run([sys.executable, "-c", probe], cwd=tmp_path, capture_output=True, text=True, check=True)
    assert json.loads(result.stdout.splitlines()[-1]) == [
        "linter.whatif.apps",
        "linter.whatif.combine",
        "linter.whatif.policy",
    ]
    report = json.loads((tmp_path / "report.json").read_text(encoding="utf-8"))
    assert "PA003" in {finding["code"] for finding in report["findings"]}


def test_version_does_not_load_rules_or_schemas() -> None:
    probe = (
        "import sys, json\n"
        "from linter.cli import main\n"
        "try:\n    main(['--version'])\nexcept SystemExit:\n    pass\n"
        "print(json.dumps(sorted(m for m in sys.modules if m.startswith(('jsonschema', 'yaml', 'tree_sitter', "
        "'linter.rules', 'linter.reporters')))))"
    )
    result = subprocess.run([sys.executable, "-c", probe], cwd=REPO, capture_output=True, text=True, check=True)
    assert json.loads(result.stdout.splitlines()[-1]) == []


def test_every_package_ships_in_the_wheel() -> None:
    """pyproject.toml lists packages explicitly (rules/ and schemas/ are mapped into linter/)."""
    listed = set(tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]["packages"])
    found = {".".join(path.parent.relative_to(REPO).parts) for path in (REPO / "linter").rglob("__init__.py")}
    assert found <= listed, f"add {sorted(found - listed)} to [tool.setuptools] packages"


def test_custom_rules_documentation_example_runs() -> None:
    """docs/custom-rules.md shows the rule in tests/fixtures/cli/custom_rules; it must load and run."""
    text = (REPO / "docs" / "custom-rules.md").read_text(encoding="utf-8")
    example = (FIXTURES / "cli" / "custom_rules" / "cx001_display_name_prefix.py").read_text(encoding="utf-8")
    assert example.strip() in text
    custom = load_rules([FIXTURES / "cli" / "custom_rules"], entry_points=False)
    assert issubclass(custom["CX001"], Rule) and custom["CX001"].options[0].name == "prefix"
