"""Coverage-guided fuzzing of every loader, and of the rules over whatever the loaders accept.

    pip install atheris
    python fuzz/fuzz_loaders.py --loader hcl fuzz/corpus-hcl -max_total_time=1800

A crash is any exception escaping `load_text`, a finding outside the file, or a rule raising.
Seeds come from examples/ and ../shared/corpus (copied into the corpus directory on first run).
"""

from __future__ import annotations

import argparse
import shutil
import sys
from pathlib import Path

import atheris

with atheris.instrument_imports():
    from linter.engine.config import Config
    from linter.engine.file_check import check_document_rules
    from linter.engine.ruleset import build_ruleset
    from linter.engine.run import check_tenant
    from linter.loaders import load_text
    from linter.model import SourceFile, Tenant
    from linter.model.source import DecodeError, decode_text, yaml_line_ends

REPO = Path(__file__).resolve().parent.parent
SUFFIXES = {
    "graph-json": ".json",
    "graph-yaml": ".yaml",
    "hcl": ".tf",
    "tf-json": ".tf.json",
    "plan": ".json",
    "arm": ".json",
    "powershell": ".ps1",
}
SEED_GLOBS = {
    "graph-json": [
        "examples/graph/**/*.json",
        "../shared/corpus/graph-json/*.json",
        "../shared/corpus/token-lifetime/*.json",
    ],
    "graph-yaml": ["examples/**/*.yaml", "../shared/corpus/yaml/*"],
    "hcl": ["examples/terraform/*.tf", "../shared/corpus/terraform-hcl/*.tf", "../shared/corpus/token-lifetime/*.tf"],
    "tf-json": ["examples/terraform-json/*.tf.json"],
    "plan": ["examples/terraform-json/plan.json"],
    "arm": ["examples/arm/*.json", "../shared/corpus/arm-bicep/*.json"],
    "powershell": ["examples/powershell/*.ps1", "tests/fixtures/powershell/**/*.ps1"],
}
RULES = build_ruleset(Config(root=REPO))


def check_one(data: bytes, name: str) -> None:
    try:
        text = decode_text(data)
    except DecodeError:
        return
    result = load_text(name, text)
    if result is None:
        return
    # YAML also ends lines at NEL/LS/PS; positions in a YAML file count those.
    lines = (yaml_line_ends(text) if name.endswith(".yaml") else text).count("\n") + 1
    for problem in result.problems:
        assert 1 <= problem.span.start_line <= lines + 1, (problem, lines)
    source = SourceFile(name, result.source_format, result.problems)
    findings, notifications = check_document_rules(RULES, source, result.documents)
    tenant_findings, tenant_notifications = check_tenant(RULES, Tenant("fuzz", result.documents, (name,)))
    assert not notifications and not tenant_notifications, [*notifications, *tenant_notifications]
    for finding in [*findings, *tenant_findings]:
        assert 1 <= finding.span.start_line <= lines + 1, (finding, lines)
        assert finding.span.start_column >= 1, finding


def seed(corpus: Path, loader: str) -> None:
    corpus.mkdir(parents=True, exist_ok=True)
    if any(corpus.iterdir()):
        return
    for pattern in SEED_GLOBS[loader]:
        base = REPO if not pattern.startswith("..") else REPO.parent
        for number, path in enumerate(sorted(base.glob(pattern.removeprefix("../")))):
            if path.is_file():
                shutil.copyfile(path, corpus / f"{path.stem}-{number}{path.suffix}")


def main() -> None:
    parser = argparse.ArgumentParser(add_help=False)
    parser.add_argument("--loader", choices=sorted(SUFFIXES), required=True)
    known, rest = parser.parse_known_args()
    name = "fuzz" + SUFFIXES[known.loader]
    corpora = [argument for argument in rest if not argument.startswith("-")]
    for corpus in corpora:
        seed(Path(corpus), known.loader)
    atheris.Setup([sys.argv[0], *rest], lambda data: check_one(data, name))
    atheris.Fuzz()


if __name__ == "__main__":
    main()
