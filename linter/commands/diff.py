"""`entralint diff BASE [HEAD]`: what a change of the policies changes for sign-ins, tenant by tenant."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from linter.commands.diff_report import TenantDiff
from linter.commands.shared import UsageError, fail

if TYPE_CHECKING:
    from linter.commands.diff_sources import SourceText
    from linter.engine.config import Config
    from linter.model import Document

__all__ = ["FAIL_ON", "TenantDiff", "compare_tenant", "exit_code", "run"]

FAIL_ON = ("weaker", "different", "any", "never")


def compare_tenant(
    name: str,
    base_documents: Sequence[Document],
    head_documents: Sequence[Document],
    emergency_access: tuple[str, ...] | None = None,
) -> TenantDiff:
    """Compare one tenant's two states: the classes whose outcome changes, and the safety checks after it."""
    from linter.model import Tenant
    from linter.policy.evaluate import Evaluator
    from linter.policy.safety import safety_checks
    from linter.policy.semantic_diff import changes

    base, head = Evaluator(base_documents), Evaluator(head_documents)
    files = tuple(dict.fromkeys(document.path for document in head_documents))
    head_tenant = Tenant(name, tuple(head_documents), files, emergency_access_setting=emergency_access)
    return TenantDiff(
        name,
        changes(base, head, base_documents, head_documents),
        tuple(safety_checks(head_tenant, base, head)),
        (len(base.policies), len(head.policies)),
    )


def exit_code(results: Iterable[TenantDiff], fail_on: str) -> int:
    """1 when a change `--fail-on` names, or a safety check the change brings about; else 0."""
    if fail_on == "never":
        return 0
    failing = {"weaker": {"weaker"}, "different": {"weaker", "different"}, "any": {"weaker", "different", "stronger"}}
    for result in results:
        if any(check.failed for check in result.checks):
            return 1
        if any(change.kind in failing[fail_on] for change in result.changes):
            return 1
    return 0


def _config(args: argparse.Namespace) -> Config:
    from linter.engine.config import load_config

    config = load_config(args.config, isolated=args.isolated)
    if args.exclude:
        config = config._replace(exclude=(*config.exclude, *args.exclude))
    return config


def _anchor(args: argparse.Namespace, config: Config, top: Path | None, cwd: Path) -> Path:
    """Where the files of every side are placed for tenant assignment: HEAD's directory, BASE's, or the project."""
    from linter.commands.diff_sources import GIT_PREFIX

    for side in (args.head, args.base):
        if side is not None and not side.startswith(GIT_PREFIX):
            return Path(os.path.realpath(cwd / side))
    if config.source is not None:
        return config.root
    return top if top is not None else cwd


def _texts(side: str, anchor: Path, top: Path | None, config: Config, cwd: Path) -> Sequence[SourceText]:
    from linter.commands.diff_sources import GIT_PREFIX, directory_texts, git_texts

    if side.startswith(GIT_PREFIX):
        if top is None:
            raise UsageError(f"{side}: not inside a git repository")
        inside = anchor == top or str(anchor).startswith(str(top) + os.sep)
        prefix = Path(os.path.relpath(anchor, top)).as_posix() if inside and anchor != top else ""
        return git_texts(top, side.removeprefix(GIT_PREFIX), prefix, config)
    directory = cwd / side
    if not directory.is_dir():
        raise UsageError(f"{side}: not a directory (give a directory or git:REV)")
    return list(directory_texts(directory, config, cwd))


def _documents(
    texts: Sequence[SourceText], anchor: Path, config: Config, cwd: Path
) -> tuple[dict[str, list[Document]], int]:
    """The documents of one side by tenant, and how many files could not be read or parsed (said on stderr)."""
    from linter.engine.tenancy import tenant_of
    from linter.loaders import forget_directories, load_text
    from linter.model.display import neutral, neutral_line_start

    forget_directories()
    by_tenant: dict[str, list[Document]] = {}
    errors = 0
    for text in texts:
        if text.text is None:
            sys.stderr.write(f"{neutral_line_start(text.shown)}: IN001 {neutral(text.error)}\n")
            errors += 1
            continue
        result = load_text(text.shown, text.text, config.var_files)
        if result is None:
            continue
        for problem in result.problems:
            where = f"{problem.span.start_line}:{problem.span.start_column}"
            sys.stderr.write(f"{neutral_line_start(text.shown)}:{where}: {problem.code} {neutral(problem.message)}\n")
            errors += problem.code == "IN001"
        tenant = tenant_of(str(anchor / text.relative), config, cwd)
        by_tenant.setdefault(tenant, []).extend(result.documents)
    return by_tenant, errors


def run(args: argparse.Namespace) -> int:
    """Read both sides, compare them tenant by tenant, write the report; exit as `--fail-on` says."""
    from linter.commands.diff_report import WRITERS
    from linter.commands.diff_sources import SideError, git_toplevel
    from linter.policy.classes_walk import LimitReached

    cwd = Path.cwd()
    config = _config(args)
    top = git_toplevel(cwd)
    anchor = _anchor(args, config, top, cwd)
    head_side = args.head if args.head is not None else str(anchor)
    try:
        base, base_errors = _documents(_texts(args.base, anchor, top, config, cwd), anchor, config, cwd)
        head, head_errors = _documents(_texts(head_side, anchor, top, config, cwd), anchor, config, cwd)
    except SideError as error:
        return fail(str(error))
    if base_errors or head_errors:
        return fail("a file could not be read or parsed: a diff without it would be wrong")
    try:
        results = [
            compare_tenant(name, base.get(name, []), head.get(name, []), config.emergency_access_of(name))
            for name in sorted(set(base) | set(head))
        ]
    except LimitReached as error:
        return fail(str(error))
    WRITERS[args.format](results, args.base, args.head or "the working tree", sys.stdout)
    return exit_code(results, args.fail_on)


def add_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> argparse.ArgumentParser:
    parser = commands.add_parser(
        "diff", help="what a change of the policies changes for sign-ins (BASE to HEAD)", description=__doc__
    )
    parser.add_argument("base", metavar="BASE", help="a directory, or git:REV (e.g. git:origin/main)")
    parser.add_argument("head", nargs="?", metavar="HEAD", help="a directory, or git:REV (default: the working tree)")
    parser.add_argument("--format", choices=("text", "markdown", "json"), default="text", help="default: text")
    parser.add_argument(
        "--fail-on",
        choices=FAIL_ON,
        default="weaker",
        help="exit 1 on a weaker change (default), a weaker or different one, any change, or never; "
        "a failed safety check exits 1 unless never",
    )
    parser.add_argument("--config", type=Path, metavar="FILE", help="configuration file (default: the nearest one)")
    parser.add_argument("--isolated", action="store_true", help="ignore every configuration file")
    parser.add_argument("--exclude", action="append", metavar="GLOB", help="skip paths matching GLOB (repeatable)")
    return parser
