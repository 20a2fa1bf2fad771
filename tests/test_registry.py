"""Rule plug-ins: installed packages register rules under the `entralint.rules` entry-point group."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from linter.engine.registry import RuleLoadError, load_rules
from tests.conftest import FIXTURES, run_cli

POLICY = '{"displayName": "Block legacy auth", "state": "enabled", "conditions": {}, "grantControls": {}}\n'


def install_plugin(site: Path, module: str, target: str) -> None:
    """A distribution as pip leaves it: a module plus dist-info with entry_points.txt."""
    info = site / f"{module}-1.0.dist-info"
    info.mkdir(parents=True)
    (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {module}\nVersion: 1.0\n", encoding="utf-8")
    (info / "entry_points.txt").write_text(f"[entralint.rules]\nnaming = {target}\n", encoding="utf-8")


@pytest.fixture
def site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    directory = tmp_path / "site-packages"
    directory.mkdir()
    monkeypatch.syspath_prepend(str(directory))
    yield directory
    for name in [name for name in sys.modules if name.startswith("acme_")]:
        del sys.modules[name]


def test_entry_point_module_adds_its_rules(site: Path, tmp_path: Path) -> None:
    source = (FIXTURES / "cli" / "custom_rules" / "cx001_display_name_prefix.py").read_text(encoding="utf-8")
    (site / "acme_entra_rules.py").write_text(source, encoding="utf-8")
    install_plugin(site, "acme_entra_rules", "acme_entra_rules")
    assert "CX001" in load_rules()
    (tmp_path / "policy.json").write_text(POLICY, encoding="utf-8")
    result = run_cli(
        ["check", "--isolated", "--allow-custom-rules", "--select", "CX001", "--format", "json", "policy.json"],
        cwd=tmp_path,
    )
    [finding] = result.json()["findings"]
    assert (finding["code"], finding["line"]) == ("CX001", 1)
    assert "Block legacy auth" in finding["message"]


def test_entry_point_rule_class_works_too(site: Path) -> None:
    source = (FIXTURES / "cli" / "custom_rules" / "cx001_display_name_prefix.py").read_text(encoding="utf-8")
    (site / "acme_class_rules.py").write_text(source, encoding="utf-8")
    install_plugin(site, "acme_class_rules", "acme_class_rules:DisplayNamePrefix")
    assert load_rules()["CX001"].__name__ == "DisplayNamePrefix"


def test_entry_point_reusing_a_builtin_code_is_rejected(site: Path) -> None:
    source = (FIXTURES / "cli" / "custom_rules" / "cx001_display_name_prefix.py").read_text(encoding="utf-8")
    (site / "acme_clash_rules.py").write_text(source.replace('"CX001"', '"CA001"'), encoding="utf-8")
    install_plugin(site, "acme_clash_rules", "acme_clash_rules")
    with pytest.raises(RuleLoadError, match="rule code CA001 is already used"):
        load_rules()


def test_broken_entry_point_names_itself(site: Path, tmp_path: Path) -> None:
    (site / "acme_broken_rules.py").write_text("raise ImportError('missing dependency acme-sdk')\n", encoding="utf-8")
    install_plugin(site, "acme_broken_rules", "acme_broken_rules")
    result = run_cli(["check", "--isolated", "--allow-custom-rules", "."], cwd=tmp_path)
    assert result.code == 2
    assert "entry point naming (acme_broken_rules)" in result.stderr
    assert "missing dependency acme-sdk" in result.stderr
