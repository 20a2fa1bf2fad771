"""Coverage-guided fuzzing of every reader, and of the rules over whatever the readers accept.

    pip install atheris
    python fuzz/fuzz_loaders.py --loader hcl /tmp/fuzz-hcl -max_total_time=1800

A crash is any exception escaping the reader, a finding outside the file, or a rule raising.
Seeds come from examples/, tests/ and ../shared/corpus (copied into the corpus directory on first run).
"""

from __future__ import annotations

import argparse
import importlib
import os
import pkgutil
import shutil
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import NamedTuple

import atheris

with atheris.instrument_imports():
    # Readers are imported when a file needs them; importing every one here instruments them all.
    import linter.loaders
    import linter.policy
    from linter.engine.config import Config
    from linter.engine.file_check import check_document_rules
    from linter.engine.ruleset import build_ruleset
    from linter.engine.run import check_tenant
    from linter.loaders import forget_directories, load_text
    from linter.loaders.powershell.dsc import load as load_m365dsc
    from linter.loaders.powershell.script import load as load_powershell_script
    from linter.loaders.result import LoadResult
    from linter.model import SourceFile, Tenant
    from linter.model.source import DecodeError, decode_text, source_lines

    for _package in (linter.loaders, linter.policy):
        for _module in pkgutil.walk_packages(_package.__path__, f"{_package.__name__}."):
            importlib.import_module(_module.name)

REPO = Path(__file__).resolve().parent.parent

# A module whose policy takes its state and users from variables: the fuzzed `terraform.tfvars` sets them.
TFVARS_MODULE = """\
variable "dcf_state" {
  type    = string
  default = "enabled"
}
variable "users" {
  default = ["All"]
}
resource "azuread_conditional_access_policy" "dcf" {
  display_name = "Block device code flow"
  state        = var.dcf_state
  conditions {
    client_app_types = ["all"]
    users {
      included_users = var.users
    }
    applications {
      included_applications = ["All"]
    }
    authentication_flows {
      transfer_methods = "deviceCodeFlow"
    }
  }
  grant_controls {
    operator          = "OR"
    built_in_controls = ["block"]
  }
}
"""


class Target(NamedTuple):
    """One reader: the file name it is given, its seeds, and how a fuzzed text reaches it."""

    name: str
    seeds: tuple[str, ...]
    load: Callable[[str, str], LoadResult | None] = load_text


def _load_tfvars(name: str, text: str) -> LoadResult | None:
    """The fuzzed text is the module's `terraform.tfvars`; what is loaded is the module's policy file."""
    variables = os.path.join(_tfvars_module(), "terraform.tfvars")
    with open(variables, "w", encoding="utf-8", errors="surrogatepass") as file:
        file.write(text)
    forget_directories()
    return load_text(os.path.join(_tfvars_module(), name), TFVARS_MODULE)


_module_directory: list[str] = []


def _tfvars_module() -> str:
    if not _module_directory:
        _module_directory.append(tempfile.mkdtemp(prefix="fuzz-tfvars-module-"))
    return _module_directory[0]


TARGETS = {
    "graph-json": Target(
        "fuzz.json",
        ("examples/graph/**/*.json", "../shared/corpus/graph-json/*.json", "../shared/corpus/token-lifetime/*.json"),
    ),
    "graph-yaml": Target("fuzz.yaml", ("examples/**/*.yaml", "../shared/corpus/yaml/*")),
    "hcl": Target(
        "fuzz.tf",
        ("examples/terraform/*.tf", "../shared/corpus/terraform-hcl/*.tf", "../shared/corpus/token-lifetime/*.tf"),
    ),
    "tf-json": Target("fuzz.tf.json", ("examples/terraform-json/*.tf.json",)),
    "plan": Target("fuzz.json", ("examples/terraform-json/plan.json",)),
    "arm": Target("fuzz.json", ("examples/arm/*.json", "../shared/corpus/arm-bicep/*.json")),
    "powershell": Target("fuzz.ps1", ("examples/powershell/*.ps1", "tests/fixtures/powershell/**/*.ps1")),
    # Microsoft365DSC configurations: the reader is called directly, so a mutation that loses the resource
    # name (which picks the reader for a `.ps1`) still exercises it.
    "m365dsc": Target(
        "fuzz.ps1",
        ("../shared/corpus/m365dsc/*.ps1", "tests/fixtures/m365dsc/*.ps1", "tests/rules/*/*m365dsc*.ps1"),
        load_m365dsc,
    ),
    # Microsoft365DSC JSON reports and configuration snapshots, baselines and monitors.
    "dsc-json": Target(
        "fuzz.json",
        (
            "tests/fixtures/dsc-data/*.json",
            "tests/fixtures/equivalence/*.snapshot.json",
            "tests/fixtures/equivalence/*.m365dsc-report.json",
            "../shared/corpus/utcm/*.json",
        ),
    ),
    # DSC configuration data in YAML, whole and partial (environment layers).
    "dsc-yaml": Target("fuzz.yaml", ("tests/fixtures/dsc-data/*.yml", "tests/fixtures/equivalence/*.dsc.yaml")),
    # Graph PowerShell SDK cmdlets and Invoke-MgGraphRequest: the script reader, called directly.
    "graph-sdk": Target(
        "fuzz.ps1",
        (
            "../shared/corpus/powershell-graph/*.ps1",
            "tests/fixtures/equivalence/graph-*.ps1",
            "tests/fixtures/powershell/mg_*.ps1",
        ),
        load_powershell_script,
    ),
    "tfvars": Target("main.tf", ("fuzz/seeds/tfvars/*",), _load_tfvars),
    "jsonc": Target(
        "fuzz.jsonc", ("fuzz/seeds/jsonc/*", "examples/graph/Identity/Conditional/AccessPolicies/*/*.json")
    ),
}
RULES = build_ruleset(Config(root=REPO))


def check_one(data: bytes, target: Target) -> None:
    try:
        text = decode_text(data)
    except DecodeError:
        return
    result = target.load(target.name, text)
    if result is None:
        return
    # Positions are in the file loaded: the tfvars target loads its fixed module, not the fuzzed text.
    loaded = TFVARS_MODULE if target.load is _load_tfvars else text
    # Lines as the format counts them (YAML also at NEL/LS/PS, PowerShell at a lone CR): positions count those.
    lines = len(source_lines(target.name, loaded))
    for problem in result.problems:
        assert 1 <= problem.span.start_line <= lines + 1, (problem, lines)
    source = SourceFile(target.name, result.source_format, result.problems)
    findings, notifications = check_document_rules(RULES, source, result.documents)
    tenant_findings, tenant_notifications = check_tenant(RULES, Tenant("fuzz", result.documents, (target.name,)))
    assert not notifications and not tenant_notifications, [*notifications, *tenant_notifications]
    for finding in [*findings, *tenant_findings]:
        assert 1 <= finding.span.start_line <= lines + 1, (finding, lines)
        assert finding.span.start_column >= 1, finding


def seed(corpus: Path, target: Target) -> None:
    corpus.mkdir(parents=True, exist_ok=True)
    if any(corpus.iterdir()):
        return
    for pattern in target.seeds:
        base = REPO if not pattern.startswith("..") else REPO.parent
        for number, path in enumerate(sorted(base.glob(pattern.removeprefix("../")))):
            if path.is_file():
                shutil.copyfile(path, corpus / f"{path.stem}-{number}{path.suffix}")


def main() -> None:
    parser = argparse.ArgumentParser(add_help=False)
    parser.add_argument("--loader", choices=sorted(TARGETS), required=True)
    known, rest = parser.parse_known_args()
    target = TARGETS[known.loader]
    corpora = [argument for argument in rest if not argument.startswith("-")]
    for corpus in corpora:
        seed(Path(corpus), target)
    atheris.Setup([sys.argv[0], *rest], lambda data: check_one(data, target))
    atheris.Fuzz()


if __name__ == "__main__":
    main()
