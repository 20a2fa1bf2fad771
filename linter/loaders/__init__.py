"""One loader per input format; this module picks one by file name and, for JSON, by shape.

Loader modules are imported only when a file needs them: a run over JSON never pays for
tree-sitter, a run over HCL never pays for YAML.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Mapping
from typing import Any

from linter.loaders.document_limit import begin_file, end_file
from linter.loaders.result import LoadResult, looks_like_policy, parse_problem
from linter.model.source import powershell_line_ends

__all__ = ["LoadResult", "forget_directories", "format_name", "is_candidate", "load_text", "opentofu_override"]

# `.tofu` and `.tofu.json` are OpenTofu's names for Terraform HCL and Terraform JSON; `.jsonc` is JSON with comments.
SUFFIXES = (".json", ".jsonc", ".yaml", ".yml", ".tf", ".tofu", ".ps1")


def is_candidate(name: str) -> bool:
    return name.lower().endswith(SUFFIXES)


def forget_directories() -> None:
    """Forget what loaders read beside the files (Terraform variables): a new run reads it again."""
    variables = sys.modules.get("linter.loaders.hcl.tfvars")
    if variables is not None:
        variables.forget()


def opentofu_override(name: str) -> str | None:
    """The name of the file that replaces this one when it is beside it: `x.tofu` for `x.tf`, `x.tofu.json` for
    `x.tf.json`. OpenTofu then reads only the `.tofu` file (https://opentofu.org/docs/language/files/)."""
    if name.endswith(".tf"):
        return name[: -len(".tf")] + ".tofu"
    if name.endswith(".tf.json"):
        return name[: -len(".tf.json")] + ".tofu.json"
    return None


# Text without a telling name (standard input without --stdin-filename): the first line a format starts with.
_HCL_BLOCK = re.compile(r"^[ \t]*(?:resource|data|variable|locals|module|provider|terraform|output)\b[^\n]*\{", re.M)
_POWERSHELL = re.compile(
    r"^[ \t]*(?:\$[\w:]+\s*=|(?:New|Set|Update|Get|Remove|Connect|Import)-\w+|param\s*\(|#requires\b)",
    re.IGNORECASE | re.M,
)

# A Microsoft365DSC resource block opens a line with the resource's name: such a script is a configuration.
_DSC_RESOURCE = re.compile(
    r"^[ \t]*AAD(?:ConditionalAccess|TokenLifetime|NamedLocation|AuthenticationStrength)Policy\b", re.I | re.M
)


def format_name(text: str) -> str:
    """A file name whose suffix picks the loader for text that comes without one: JSON, HCL, PowerShell or YAML."""
    start = text.lstrip("\ufeff \t\r\n")[:1]
    if start in ("{", "["):
        return "stdin.json"
    if _HCL_BLOCK.search(text):
        return "stdin.tf"
    if _POWERSHELL.search(text):
        return "stdin.ps1"
    return "stdin.yaml"


def _is_plan(data: Mapping[str, Any]) -> bool:
    return "format_version" in data and any(key in data for key in ("planned_values", "values", "resource_changes"))


def _is_arm(data: Mapping[str, Any]) -> bool:
    schema = data.get("$schema")
    if isinstance(schema, str) and "deploymentTemplate" in schema:
        return True
    return "resources" in data and ("contentVersion" in data or "languageVersion" in data)


def _may_be_resource_data(data: Any) -> bool:
    """A first look for Microsoft365DSC reports and configuration snapshots: a key or two, nothing deeper."""
    if type(data) is list:
        return bool(data) and type(data[0]) is dict and "ResourceName" in data[0]
    return type(data) is dict and ("resourceType" in data or "resources" in data or "baseline" in data)


def load_text(path: str, text: str, var_files: tuple[str, ...] = ()) -> LoadResult | None:
    """Documents and problems of one file; None for a file that holds no policy.

    `var_files`: Terraform variable definition files given on the command line (`--var-file`), in order.
    Past `MAX_DOCUMENTS_PER_FILE` documents no more are built, and an IN001 says how many were not read.
    """
    limit, token = begin_file()
    try:
        result = _load(path, text, var_files)
    finally:
        end_file(token)
    problem = limit.problem()
    if problem is None:
        return result
    if result is None:
        # Nothing found in what was read, only a YAML stream's unread rest (a long multi-document manifest):
        # reported, as a file that fails to parse is, only when it mentions a policy.
        return LoadResult("graph-yaml", problems=(problem,)) if looks_like_policy(text) else None
    return result._replace(problems=(*result.problems, problem))


def _load(path: str, text: str, var_files: tuple[str, ...]) -> LoadResult | None:
    # Loaders are imported from their modules, not as `from linter.loaders import x`: importing from
    # a package runs importlib's Python code on every call, which a fleet's thousands of files feel.
    # `-` is standard input without --stdin-filename (linter.engine.files.STDIN): its content picks the loader.
    lower = path.lower() if path != "-" else format_name(text)
    if lower.endswith((".tf", ".tofu")):
        from linter.loaders.hcl.terraform import load as load_hcl

        return load_hcl(path, text, var_files)
    if lower.endswith(".ps1") and _DSC_RESOURCE.search(powershell_line_ends(text)):  # `^` after a lone CR too
        from linter.loaders.powershell.dsc import load as load_dsc

        return load_dsc(path, text)
    if lower.endswith(".ps1"):
        from linter.loaders.powershell.script import load as load_powershell

        return load_powershell(path, text)
    if lower.endswith((".yaml", ".yml")):
        from linter.loaders.graph import load_yaml

        return load_yaml(path, text)
    if lower.endswith(".jsonc"):
        from linter.loaders.json.comments import blank_comments

        text = blank_comments(text)
    elif not lower.endswith(".json"):
        return None
    if not text.strip():
        return None
    from linter.loaders.json.parse import ParseError, parse_json, parse_json_located

    is_tf_json = lower.endswith((".tf.json", ".tofu.json"))
    try:
        data, locator = (parse_json(text), None) if is_tf_json else parse_json_located(text)
    except ParseError as error:
        if is_tf_json or looks_like_policy(text):
            return parse_problem("terraform-json" if is_tf_json else "graph-json", str(error), error.span)
        return None
    if is_tf_json:
        from linter.loaders.terraform.json_files import load_config

        return load_config(path, text, data)
    if isinstance(data, Mapping) and _is_plan(data):
        from linter.loaders.terraform.json_files import load_plan

        return load_plan(path, text, data)
    if isinstance(data, Mapping) and _is_arm(data):
        from linter.loaders.arm import load as load_arm

        return load_arm(path, text, data)
    if _may_be_resource_data(data):
        from linter.loaders.dsc.json_data import is_resource_data
        from linter.loaders.dsc.json_data import load as load_resource_data

        if is_resource_data(data):
            return load_resource_data(path, text, data, locator)
    from linter.loaders.graph import load_json

    return load_json(path, text, data, locator)
