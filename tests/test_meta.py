"""Meta-tests: every rule is complete (metadata, help, docs page) and the CLI path stays light.

That every rule has a firing and a silent fixture is checked beside the fixtures, in tests/test_rules.py.
"""

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
from linter.engine.registry import ENTRY_POINT_GROUP, builtin_rules_dir, group_may_be_declared, load_rules
from linter.rule import Rule, Scope
from tests.conftest import FIXTURES, REPO

RULES = load_rules(entry_points=False)
SECTIONS = ("What it checks", "Why it matters", "Example", "How to fix", "References")


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
def test_rule_is_not_a_scaffold_left_as_written(code: str) -> None:
    """scripts/new_rule.py marks the help it writes; a rule whose help still says so is not ready to ship."""
    assert "Scaffolded by scripts/new_rule.py" not in RULES[code].help(), f"{code}: rewrite the scaffold's help"


def test_built_in_rules_are_the_rule_modules_in_file_order() -> None:
    """Adding a rule needs its module only: the registry lists what rules/*.py define, in file-name order."""
    modules = sorted(path.stem for path in builtin_rules_dir().glob("*.py") if not path.name.startswith("_"))
    listed = [rule.__module__.removeprefix("linter.rules.") for rule in RULES.values()]
    assert listed == modules
    assert (builtin_rules_dir() / "__init__.py").read_text(encoding="utf-8").count("\n") <= 1, "no list of rules there"


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


def test_importing_the_cli_stays_light() -> None:
    """`entralint --version` and argument errors must not pay for what a run may not need."""
    heavy = ["jsonschema", "yaml", "tree_sitter", "tree_sitter_hcl", "ruamel", "linter.reporters", "linter.engine.run"]
    probe = (
        "import sys, json, linter.cli; "
        f"print(json.dumps(sorted(name for name in {heavy!r} "
        "if name in sys.modules or any(m.startswith(name + '.') for m in sys.modules))))"
    )
    result = subprocess.run([sys.executable, "-c", probe], cwd=REPO, capture_output=True, text=True, check=True)
    assert json.loads(result.stdout) == []


def test_a_check_imports_only_what_it_uses(tmp_path: Path) -> None:
    """No plug-in metadata without a plug-in, no device filter parser without a device filter, no OpenSSL, no
    fix applier without `--fix`.

    No dataclasses either: creating one costs 0.5-1 ms at import, and the module imports inspect.
    """
    (tmp_path / "policy.json").write_text('{"displayName": "p", "state": "enabled"}\n', encoding="utf-8")
    probe = (
        "import sys, json\n"
        "from linter.cli import main\n"
        "main(['check', '--isolated', '--format', 'json', '--output', 'report.json', 'policy.json'])\n"
        "unexpected = {'importlib.metadata', 'linter.policy.devicefilter', 'hashlib', 'dataclasses', 'inspect',\n"
        "    'linter.engine.apply_fixes'}\n"
        "print(json.dumps(sorted(unexpected & set(sys.modules))))\n"
    )
    result = subprocess.run([sys.executable, "-c", probe], cwd=tmp_path, capture_output=True, text=True, check=True)
    expected = ["importlib.metadata"] if group_may_be_declared(ENTRY_POINT_GROUP) else []
    if not any(importlib.util.find_spec(name) for name in ("_sha256", "_sha2")):  # fingerprints need hashlib
        expected = ["hashlib", *expected]
    assert json.loads(result.stdout.splitlines()[-1]) == expected


def test_document_rules_alone_do_not_import_the_sign_in_evaluator(tmp_path: Path) -> None:
    """Document rules ask one policy through the evaluator's conditions; the tenant machinery is never loaded."""
    policy = {
        "displayName": "terms",
        "state": "enabled",
        "conditions": {"users": {"includeUsers": ["All"]}, "applications": {"includeApplications": ["All"]}},
        "grantControls": {"operator": "OR", "termsOfUse": ["agreement"]},
    }
    (tmp_path / "policy.json").write_text(json.dumps(policy), encoding="utf-8")
    # Every tenant rule that reads policies is left out; TL005 and IN006 need no evaluator.
    tenant_rules = sorted(
        code
        for code, rule in load_rules(entry_points=False).items()
        if rule.scope is Scope.TENANT and code.startswith(("CA", "PA"))
    )
    probe = (
        "import sys, json\n"
        "from linter.cli import main\n"
        "main(['check', '--isolated', '--format', 'json', '--output', 'report.json', '--ignore',"
        f" '{','.join(tenant_rules)}', 'policy.json'])\n"
        "print(json.dumps(sorted(m for m in sys.modules if m.startswith('linter.policy.'))))\n"
    )
    result = subprocess.run([sys.executable, "-c", probe], cwd=tmp_path, capture_output=True, text=True, check=True)
    loaded = set(json.loads(result.stdout.splitlines()[-1]))
    # Document rules ask single policies (questions, conditions); enumerating sign-in classes is for tenant rules.
    evaluator = {
        "linter.policy.coverage",
        "linter.policy.evaluate",
        "linter.policy.sign_in_classes",
        "linter.policy.strength",
        "linter.policy.usersindex",
    }
    assert loaded & evaluator == set()
    assert "linter.policy.questions" in loaded
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
