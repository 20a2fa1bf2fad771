"""The `entralint` command line's grammar: its commands, options and help."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from linter import __version__

__all__ = ["COMMANDS", "parser_for"]

EXIT_CODES = """\
exit codes:
  0  no finding at or above --fail-on
  1  findings at or above --fail-on
  2  usage, configuration or internal error (a rule that crashed included)
"""
FAIL_ON = ("error", "warning", "note", "never")


def _terminal_columns() -> int:
    """shutil.get_terminal_size().columns, without importing shutil (and bz2 and lzma with it) to ask."""
    try:
        columns = int(os.environ["COLUMNS"])
    except (KeyError, ValueError):
        columns = 0
    if columns <= 0:
        try:
            columns = os.get_terminal_size(sys.__stdout__.fileno()).columns  # type: ignore[union-attr]
        except (AttributeError, ValueError, OSError):
            columns = 0
    return columns or 80


class _HelpFormatter(argparse.RawDescriptionHelpFormatter):
    """argparse's formatter at argparse's width: argparse builds one per argument, each importing shutil."""

    def __init__(
        self, prog: str, indent_increment: int = 2, max_help_position: int = 24, width: int | None = None
    ) -> None:
        width = _terminal_columns() - 2 if width is None else width
        super().__init__(prog, indent_increment, max_help_position, width)


def parser_for(command: str | None = None) -> argparse.ArgumentParser:
    """entralint's command line; given the command about to run, with that command's subparser only.

    argparse looks up message translations for every parser it builds, which costs a run more than
    linting a small file: help and usage errors get every command, a run only its own.
    """
    parser = argparse.ArgumentParser(
        prog="entralint",
        description="Lint Entra ID Conditional Access, token lifetime and MFA settings kept as code.",
        epilog=EXIT_CODES,
        formatter_class=_HelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"entralint {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", help="one of:")
    for name, add_parser in COMMANDS.items():
        if command is None or command == name:
            add_parser(commands)
    return parser


def _add_check_parser(commands: Any) -> None:
    check = commands.add_parser(
        "check",
        help="lint files and directories",
        epilog=EXIT_CODES,
        formatter_class=_HelpFormatter,
    )
    check.add_argument(
        "paths", nargs="*", default=["."], metavar="PATH", help="files and directories, or - for stdin (default: .)"
    )
    add_stdin_filename(check)
    check.add_argument(
        "--format", choices=("text", "json", "sarif", "github", "rdjson"), default="text", help="default: text"
    )
    check.add_argument(
        "--output", type=Path, metavar="FILE", help="write the report to FILE (atomically) instead of stdout"
    )
    check.add_argument(
        "--select", type=_codes, metavar="CODES", help="comma-separated rule codes or prefixes to enable"
    )
    check.add_argument(
        "--extend-select", type=_codes, metavar="CODES", help="codes or prefixes to enable on top of the selection"
    )
    check.add_argument("--ignore", type=_codes, metavar="CODES", help="codes or prefixes to disable")
    check.add_argument("--fail-on", choices=FAIL_ON, help="lowest level that makes the exit code 1 (default: warning)")
    check.add_argument("--config", type=Path, metavar="FILE", help="configuration file (default: the nearest one)")
    check.add_argument("--isolated", action="store_true", help="ignore every configuration file")
    check.add_argument("--exclude", action="append", metavar="GLOB", help="skip paths matching GLOB (repeatable)")
    check.add_argument(
        "--jobs", type=_positive, metavar="N", help="worker processes (default: CPU count for many files, else 1)"
    )
    check.add_argument("--rules-dir", action="append", type=Path, metavar="DIR", help="load extra rules from DIR")
    add_allow_custom_rules(check)
    check.add_argument(
        "--baseline", type=Path, metavar="FILE", help="hide findings whose fingerprint is in this SARIF or JSON report"
    )
    check.add_argument(
        "--color",
        choices=("auto", "always", "never"),
        default="auto",
        help="auto: colors on a terminal unless NO_COLOR is set; source excerpts on a terminal or with always",
    )
    check.add_argument("--quiet", action="store_true", help="print findings only, no summary")
    check.add_argument("--statistics", action="store_true", help="print the number of findings per rule")
    check.add_argument("--category", help="SARIF automationDetails.id, to upload several runs for one commit")
    check.add_argument(
        "--max-file-size", type=_positive, metavar="BYTES", help="largest file read, in bytes (default: 10 MiB)"
    )
    check.add_argument(
        "--var-file",
        action="append",
        type=Path,
        default=[],
        metavar="FILE",
        help="Terraform variable values (.tfvars or .tfvars.json), after the module's own; repeatable, in order",
    )
    _add_fix_options(check)


def _add_fix_options(check: argparse.ArgumentParser) -> None:
    """ruff's fix options: what `--fix` applies, and how it shows what it did or would do."""
    fixing = check.add_argument_group("fixes")
    fixing.add_argument("--fix", action="store_true", help="apply safe fixes, then report what remains")
    fixing.add_argument("--unsafe-fixes", action="store_true", help="also apply (and mark) unsafe fixes")
    fixing.add_argument(
        "--diff", action="store_true", help="print the fixes as a unified diff and write nothing (exit 1 if any)"
    )
    fixing.add_argument("--fix-only", action="store_true", help="apply fixes and report nothing else")
    fixing.add_argument("--show-fixes", action="store_true", help="list the fixes applied (or available), per file")


def add_allow_custom_rules(parser: argparse.ArgumentParser) -> None:
    """--allow-custom-rules: the configuration's rules-dirs and installed entry points are code; only this runs it."""
    parser.add_argument(
        "--allow-custom-rules",
        action="store_true",
        help="load the rules-dirs the configuration names and installed entralint.rules packages "
        "(also ENTRALINT_ALLOW_CUSTOM_RULES=1); never on an untrusted checkout",
    )


def add_stdin_filename(parser: argparse.ArgumentParser) -> None:
    """--stdin-filename, for every command that reads paths: the name of what `-` reads, as in ruff."""
    parser.add_argument(
        "--stdin-filename",
        metavar="NAME",
        help="with the path -: the name standard input is shown under and whose format and config it takes",
    )


def _add_rules_parser(commands: Any) -> None:
    rules = commands.add_parser("rules", help="list every rule")
    rules.add_argument(
        "--format",
        choices=("text", "json", "markdown"),
        default="text",
        help="text: one line per rule; json: with tags and options; markdown: the README's table (default: text)",
    )
    rules.add_argument(
        "--rules-dir", action="append", type=Path, metavar="DIR", help="list the rules in DIR too (repeatable)"
    )
    rules.add_argument(
        "--benchmark",
        metavar="NAME",
        help="list that benchmark's controls and the rules that decide them (docs/benchmarks.md names them)",
    )
    add_allow_custom_rules(rules)


BENCHMARK_EXIT_CODES = """\
exit codes:
  0  no decidable control fails
  1  a control entralint decides from the files fails
  2  usage, configuration or internal error, an unknown benchmark, or a tenant that could not be checked
"""


def _add_benchmark_parser(commands: Any) -> None:
    benchmark = commands.add_parser(
        "benchmark",
        help="one line per control of a security benchmark: pass, fail, or what a live check needs",
        epilog=BENCHMARK_EXIT_CODES,
        formatter_class=_HelpFormatter,
    )
    benchmark.add_argument(
        "name", metavar="NAME", help="cis-m365-v4 ... cis-m365-v7, scubagear, maester, prowler, zero-trust"
    )
    benchmark.add_argument(
        "paths", nargs="*", default=["."], metavar="PATH", help="files and directories, or - for stdin (default: .)"
    )
    add_stdin_filename(benchmark)
    benchmark.add_argument(
        "--format",
        choices=("text", "markdown", "json"),
        default="text",
        help="markdown: a table for a job summary; json: stable keys, see docs/cli.md (default: text)",
    )
    benchmark.add_argument(
        "--output", type=Path, metavar="FILE", help="write the listing to FILE (atomically) instead of stdout"
    )
    benchmark.add_argument("--config", type=Path, metavar="FILE", help="configuration file (default: the nearest one)")
    benchmark.add_argument("--isolated", action="store_true", help="ignore every configuration file")
    benchmark.add_argument("--exclude", action="append", metavar="GLOB", help="skip paths matching GLOB (repeatable)")
    benchmark.add_argument(
        "--jobs", type=_positive, metavar="N", help="worker processes (default: CPU count for many files, else 1)"
    )
    benchmark.add_argument(
        "--max-file-size", type=_positive, metavar="BYTES", help="largest file read, in bytes (default: 10 MiB)"
    )
    benchmark.add_argument(
        "--var-file",
        action="append",
        type=Path,
        default=[],
        metavar="FILE",
        help="Terraform variable values (.tfvars or .tfvars.json), after the module's own; repeatable, in order",
    )


def _add_explain_parser(commands: Any) -> None:
    explain = commands.add_parser("explain", help="print one rule's documentation")
    explain.add_argument("code", metavar="ID", help="a rule code (CA002) or kebab-case name")
    explain.add_argument(
        "--rules-dir", action="append", type=Path, metavar="DIR", help="look for the rule in DIR too (repeatable)"
    )
    add_allow_custom_rules(explain)


def _add_inspect_parser(commands: Any) -> None:
    inspect = commands.add_parser("inspect", help="print the documents entralint found, normalized")
    inspect.add_argument("paths", nargs="+", metavar="PATH", help="files and directories, or - for stdin")
    add_stdin_filename(inspect)
    inspect.add_argument(
        "--format",
        choices=("text", "json"),
        default="text",
        help="text: a table of documents; json: each document normalized (default: text)",
    )
    inspect.add_argument("--exclude", action="append", metavar="GLOB", help="skip paths matching GLOB (repeatable)")


def _add_init_parser(commands: Any) -> None:
    init = commands.add_parser("init", help="write a starter configuration; never overwrites one")
    init.add_argument(
        "directory",
        nargs="?",
        default=".",
        type=Path,
        metavar="DIR",
        help="the repository's policy directory; the configuration is written there (default: .)",
    )


def _add_whatif_parser(commands: Any) -> None:
    from linter.commands.whatif import add_parser

    add_stdin_filename(add_parser(commands))


def _add_diff_parser(commands: Any) -> None:
    from linter.commands.diff import add_parser

    add_parser(commands)


COMMANDS: dict[str, Callable[[Any], None]] = {
    "check": _add_check_parser,
    "rules": _add_rules_parser,
    "explain": _add_explain_parser,
    "benchmark": _add_benchmark_parser,
    "inspect": _add_inspect_parser,
    "whatif": _add_whatif_parser,
    "diff": _add_diff_parser,
    "init": _add_init_parser,
}


def _codes(value: str) -> list[str]:
    return [part.strip().upper() for part in value.split(",") if part.strip()]


def _positive(value: str) -> int:
    number = int(value)
    if number < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return number
