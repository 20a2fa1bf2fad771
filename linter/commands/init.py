"""`entralint init`: a starter configuration that records the tenant layout of a repository's policies."""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from linter.model import Document
    from linter.policy.emergency import InferredAccount

__all__ = ["TenantLayout", "find_layout", "init_config", "run", "starter_config"]

_BARE_KEY = re.compile(r"^[A-Za-z0-9_-]+$")


class InitError(Exception):
    """Nothing was written; the message says why (exit 2)."""


class PolicyFile(NamedTuple):
    """What a file found under the directory holds: its path relative to it, formats and documents."""

    path: str
    source_format: str
    documents: tuple[Document, ...]

    @property
    def names(self) -> frozenset[str]:
        return frozenset(document.name for document in self.documents)


class TenantLayout(NamedTuple):
    """Where the policies are: the folder holding them all, its sub-folders when each is a tenant, and the
    emergency access accounts the policies show (linter.policy.emergency), to confirm in configuration."""

    files: int
    policies: int
    folder: str  # forward-slash path relative to the directory; "" for the directory itself
    tenant_folders: tuple[str, ...] = ()  # names of the folder's sub-folders, one tenant each; () for one tenant
    emergency_access: tuple[InferredAccount, ...] = ()


def _policy_files(directory: Path) -> list[PolicyFile]:
    from linter.engine.documents import load_paths

    return [
        PolicyFile(shown, result.source_format, result.documents)
        for shown, result in load_paths(["."], (), directory)
        if result.documents
    ]


def _common_folder(paths: Iterable[str]) -> str:
    folders = [path.split("/")[:-1] for path in paths]
    common: list[str] = []
    for parts in zip(*folders, strict=False):
        if len(set(parts)) != 1:
            break
        common.append(parts[0])
    return "/".join(common)


def _one_tenant_each(groups: dict[str, list[PolicyFile]]) -> bool:
    """Sub-folders clearly hold one tenant each: the same formats in each, and each repeats another's policies.

    One tenant kept in several formats (graph/, terraform/) differs in formats; one tenant split by
    subject (ca/, token-lifetime/) shares no policy name. Tenants kept alike share both.
    """
    if len(groups) < 2:
        return False
    formats = {frozenset(file.source_format for file in files) for files in groups.values()}
    names = {folder: frozenset().union(*(file.names for file in files)) for folder, files in groups.items()}
    return len(formats) == 1 and all(
        any(names[folder] & names[other] for other in names if other != folder) for folder in names
    )


def find_layout(directory: Path) -> TenantLayout:
    """The tenant layout of the policy files under directory."""
    files = _policy_files(directory)
    policies = sum(len(file.documents) for file in files)
    folder = _common_folder(file.path for file in files)
    depth = len(folder.split("/")) if folder else 0
    groups: dict[str, list[PolicyFile]] = {}
    for file in files:
        parts = file.path.split("/")
        if len(parts) == depth + 1:  # a policy file beside the sub-folders: they are not the tenants
            return TenantLayout(len(files), policies, folder, (), _inferred([files]))
        groups.setdefault(parts[depth], []).append(file)
    if _one_tenant_each(groups):
        return TenantLayout(len(files), policies, folder, tuple(sorted(groups)), _inferred(groups.values()))
    return TenantLayout(len(files), policies, folder, (), _inferred([files]))


def _inferred(tenants: Iterable[list[PolicyFile]]) -> tuple[InferredAccount, ...]:
    """The emergency access accounts each tenant's policies show, once each, in the order found."""
    from linter.model import CONDITIONAL_ACCESS_POLICY
    from linter.policy.emergency import infer

    found: dict[str, InferredAccount] = {}
    for files in tenants:
        policies = [doc for file in files for doc in file.documents if doc.kind == CONDITIONAL_ACCESS_POLICY]
        for account in infer(policies):
            found.setdefault(account.value, account)
    return tuple(found.values())


def _key(name: str) -> str:
    return name if _BARE_KEY.match(name) else json.dumps(name)


def _tenant_lines(layout: TenantLayout, tenant_name: str, prefix: str) -> tuple[list[str], list[str]]:
    """(top-level lines, table lines) that record the tenants; tables are named below prefix."""
    found = (
        f"`entralint init` found {layout.policies} polic{'y' if layout.policies == 1 else 'ies'} "
        f"in {layout.files} file{'' if layout.files == 1 else 's'}"
    )
    where = f"{layout.folder}/" if layout.folder else "this folder"
    intro = [
        "# Tenants. Tenant rules (scope `tenant` in `entralint rules`) judge a tenant's policies together,",
        "# so entralint must know which files belong to which tenant. With tenants named here, a run on some",
        "# files (pre-commit passes only the changed ones) still reads the rest of their tenant.",
    ]
    if layout.tenant_folders:
        pattern = f"{layout.folder}/*" if layout.folder else "*"
        shown = ", ".join(layout.tenant_folders[:5]) + (", ..." if len(layout.tenant_folders) > 5 else "")
        return [
            *intro,
            f"# {found}. The sub-folders of {where} ({shown})",
            "# hold the same formats and repeat each other's policy names: each is one tenant, named by its path.",
            "# Each directory matching one of these globs (relative to this file) is one tenant:",
            f"tenant-directories = [{json.dumps(pattern)}]",
        ], []
    if not layout.files:
        return [], [
            *intro,
            "# `entralint init` found no policy file here. Name each tenant and the globs of its files:",
            f"# [{prefix}tenants]",
            f"# {_key(tenant_name)} = [{json.dumps('policies/**')}]",
        ]
    glob = f"{layout.folder}/**" if layout.folder else "**"
    return [], [
        *intro,
        f"# {found} under {where} and took them for one tenant.",
        '# If they describe several tenants, give each its own line, or use tenant-directories = ["tenants/*"]',
        "# when each sub-folder of tenants/ holds one tenant.",
        f"[{prefix}tenants]",
        f"{_key(tenant_name)} = [{json.dumps(glob)}]   # tenant name = [globs of its files, relative to this file]",
    ]


def _emergency_access_lines(accounts: tuple[InferredAccount, ...]) -> list[str]:
    lines = [
        '# Emergency access ("break-glass") accounts: the accounts that must still be able to sign in when',
        "# Conditional Access goes wrong (a misfiring block, an MFA outage). CA008 reports a policy for all users",
        "# that blocks without excluding them; CA010 and CA011 do not report the gaps their exclusion leaves.",
    ]
    if not accounts:
        return [
            *lines,
            "# The policies here show none (no user or group is excluded from nearly every enabled policy). List",
            "# their object ids, or the references your policies use (azuread_group.break_glass.object_id):",
            '# emergency-access = ["00000000-0000-0000-0000-000000000000"]',
        ]
    lines += [
        "# Without this setting entralint infers them from the policies on every run; these are what it infers",
        "# now. Confirm them by uncommenting (then a new exclusion never changes which accounts they are):",
        "# emergency-access = [",
    ]
    for account in accounts:
        value = json.dumps(" ".join(account.value.split()))
        lines.append(f"#     {value},  # {account.kind}, {' '.join(account.reason.split())}")
    return [*lines, "# ]"]


def starter_config(layout: TenantLayout, tenant_name: str, *, in_pyproject: bool) -> str:
    """The text of a starter configuration: for `[tool.entralint]` in pyproject.toml, or a whole .entralint.toml."""
    # In pyproject.toml the tables live under tool.entralint.
    prefix = "tool.entralint." if in_pyproject else ""
    top, tables = _tenant_lines(layout, tenant_name, prefix)
    header = [
        "# entralint configuration, written by `entralint init`. Every setting:",
        "# https://github.com/entralint/entralint/blob/main/docs/configuration.md",
    ]
    lines = [*header, "[tool.entralint]"] if in_pyproject else header
    for block in (_emergency_access_lines(layout.emergency_access), top, tables):
        if block:
            lines += ["", *block]
    return "\n".join(lines) + "\n"


def _parses(text: str) -> bool:
    import tomllib

    try:
        tomllib.loads(text)
    except tomllib.TOMLDecodeError:
        return False
    return True


def init_config(directory: Path) -> tuple[Path, TenantLayout]:
    """Write the starter configuration in directory; (the file written, the layout it records)."""
    from linter.engine.config import config_file_in

    if not directory.is_dir():
        raise InitError(f"{directory}: no such directory")
    existing = config_file_in(directory)
    if existing is not None:
        raise InitError(f"{existing} already configures entralint; `entralint init` never overwrites it")
    layout = find_layout(directory)
    tenant_name = directory.resolve().name or "default"
    pyproject = directory / "pyproject.toml"
    if not pyproject.is_file():
        target = directory / ".entralint.toml"
        with target.open("x", encoding="utf-8") as handle:  # "x": a file created meanwhile is not replaced
            handle.write(starter_config(layout, tenant_name, in_pyproject=False))
        return target, layout
    before = pyproject.read_bytes().decode("utf-8")
    separator = "\n" if before.endswith("\n") or not before else "\n\n"
    section = starter_config(layout, tenant_name, in_pyproject=True)
    if not _parses(before + separator + section):
        raise InitError(f"{pyproject}: appending [tool.entralint] would not leave valid TOML; nothing written")
    if "\r\n" in before:  # keep the file's line ends
        separator, section = separator.replace("\n", "\r\n"), section.replace("\n", "\r\n")
    with pyproject.open("a", encoding="utf-8", newline="") as handle:
        handle.write(separator + section)
    return pyproject, layout


def run(args: argparse.Namespace) -> int:
    """Write the starter configuration and say what it found; exit 2 when nothing was written."""
    from linter.commands.shared import fail
    from linter.engine.config import find_config_file

    try:
        written, layout = init_config(args.directory)
    except InitError as error:
        return fail(str(error))
    if layout.tenant_folders:
        tenants = f"{len(layout.tenant_folders)} tenants, one per folder of {layout.folder or '.'}"
    else:
        tenants = "one tenant" if layout.files else "no policy file found; tenants left commented"
    sys.stdout.write(f"entralint: wrote a starter configuration to {written} ({tenants})\n")
    outer = find_config_file(args.directory.resolve().parent)
    if outer is not None:
        sys.stdout.write(f"entralint: note: it takes precedence over {outer} for the files below it\n")
    return 0
