"""The `entralint` command line."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, NoReturn

from linter import __version__
from linter.arguments import COMMANDS, parser_for

if TYPE_CHECKING:
    from linter.engine.config import Config
    from linter.engine.files import StandardInput
    from linter.model.findings import Report

__all__ = ["main", "run"]


def _is_terminal(stream: IO[str]) -> bool:
    return hasattr(stream, "isatty") and stream.isatty()


def _use_color(choice: str, stream: IO[str]) -> bool:
    """ANSI colors: `always`, or `auto` on a terminal unless NO_COLOR is set (https://no-color.org)."""
    if choice != "auto":
        return choice == "always"
    if os.environ.get("NO_COLOR"):
        return False
    return _is_terminal(stream)


def _use_excerpts(choice: str, stream: IO[str]) -> bool:
    """Source lines with a caret: for people, so on a terminal (colored or not) or when colors are forced."""
    return choice == "always" or _is_terminal(stream)


def _fail(message: str) -> int:
    from linter.model.display import neutral

    sys.stderr.write(f"entralint: error: {neutral(message)}\n")
    return 2


def _exit_code(report: Report, fail_on: str) -> int:
    if report.tool_failed:
        return 2
    if fail_on == "never":
        return 0
    from linter.rule import Level

    threshold = Level(fail_on).rank
    active = (finding for finding in report.findings if finding.suppression is None)
    return 1 if any(finding.level.rank >= threshold for finding in active) else 0


def _check_config(args: argparse.Namespace) -> Config:
    from linter.engine.config import custom_rules_allowed, load_config

    config = load_config(args.config, isolated=args.isolated)
    changes: dict[str, Any] = {}
    if args.select is not None:
        changes["select"] = tuple(args.select)
    if args.extend_select:
        changes["extend_select"] = (*config.extend_select, *args.extend_select)
    if args.ignore:
        changes["ignore"] = (*config.ignore, *args.ignore)
    if args.fail_on:
        changes["fail_on"] = args.fail_on
    if args.exclude:
        changes["exclude"] = (*config.exclude, *args.exclude)
    if args.rules_dir:
        changes["command_line_rules_dirs"] = tuple(dict.fromkeys(path.resolve() for path in args.rules_dir))
    changes["allow_custom_rules"] = custom_rules_allowed(args.allow_custom_rules, os.environ)
    if args.max_file_size:
        changes["max_file_size"] = args.max_file_size
    if args.var_file:
        changes["var_files"] = tuple(str(path.resolve()) for path in args.var_file)
    return config._replace(**changes)


def _missing_paths(paths: Sequence[str]) -> list[str]:
    """The given paths that do not exist (`-`, standard input, aside): a typo must not lint nothing and pass."""
    return [path for path in paths if path != "-" and not os.path.lexists(path)]


def _output_problem(path: Path) -> str | None:
    """Why a report cannot be written to path, said before any work is done; None when it can."""
    directory = path.resolve().parent
    if not directory.exists():
        return f"--output {path}: directory {directory} does not exist"
    if not directory.is_dir():
        return f"--output {path}: {directory} is not a directory"
    return None


def _write_output(path: Path | None, writer: Callable[[IO[str]], None]) -> None:
    """Write to stdout, or to a temporary file renamed over path so no reader sees half a report."""
    if path is None:
        writer(sys.stdout)
        return
    if path.exists() and not path.is_file():
        # /dev/null, /dev/stdout or a FIFO: renaming over it would replace the device itself.
        with path.open("w", encoding="utf-8") as stream:
            writer(stream)
        return
    import tempfile

    directory = path.resolve().parent
    try:
        temporary = tempfile.NamedTemporaryFile(  # noqa: SIM115 - entered just below, once it exists
            "w", encoding="utf-8", dir=directory, prefix=f".{path.name}.", suffix=".tmp", delete=False
        )
    except OSError as error:
        # The temporary file's name means nothing to the person who asked for path: name its directory.
        raise OSError(error.errno, error.strerror, str(directory)) from None
    with temporary as handle:
        try:
            writer(handle)
        except BaseException:
            handle.close()
            os.unlink(handle.name)
            raise
    # mkstemp creates the file 0600; give the report the permissions any new file would get.
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(handle.name, 0o666 & ~umask)
    os.replace(handle.name, path)


def _command_check(args: argparse.Namespace) -> int:
    import functools

    from linter.engine.ruleset import build_ruleset
    from linter.engine.run import lint
    from linter.reporters import get_reporter

    if args.output is not None and (problem := _output_problem(args.output)) is not None:
        return _fail(problem)
    config = _check_config(args)
    for var_file in config.var_files:
        if not os.path.isfile(var_file):
            return _fail(f"--var-file {var_file}: no such file")
    ruleset = build_ruleset(config)
    stdin = _standard_input(args, config.max_file_size)
    paths = [] if stdin is not None else args.paths
    build = functools.partial(build_ruleset, config)
    report = lint(paths, config, ruleset, build, jobs=args.jobs, stdin=stdin)
    if args.baseline is not None:
        from linter.engine.baseline import BaselineError, apply_baseline

        try:
            report = apply_baseline(report, args.baseline)
        except BaselineError as error:
            return _fail(str(error))
    to_terminal = args.output is None
    color = to_terminal and _use_color(args.color, sys.stdout)
    excerpts = to_terminal and _use_excerpts(args.color, sys.stdout)
    if args.format == "text" and args.quiet:
        from linter.reporters.text import write_findings

        _write_output(args.output, lambda out: write_findings(report, out, color=color, excerpts=excerpts))
    else:
        reporter = get_reporter(args.format)
        _write_output(
            args.output,
            lambda out: reporter(report, out, color=color, excerpts=excerpts, category=args.category),
        )
    if args.statistics:
        from linter.reporters.text import statistics

        stream = sys.stdout if args.format == "text" and args.output is None else sys.stderr
        stream.write(statistics(report))
    if args.output is not None or args.format != "text" or args.quiet:
        # The report itself may be a file or a format nobody reads in a terminal: say what went wrong.
        from linter.model.display import neutral, neutral_line_start

        for note in report.notifications:
            where = f"{neutral_line_start(note.path)}: " if note.path else ""
            sys.stderr.write(f"{where}entralint {note.level}: {neutral(note.message)}\n")
    if not report.policies and not report.findings:
        from linter.engine.files import NO_POLICY_FOUND

        sys.stderr.write(NO_POLICY_FOUND)
    return _exit_code(report, config.fail_on)


class _UsageError(Exception):
    """A command line whose parts do not go together; the message says why (exit 2)."""


def _standard_input(args: argparse.Namespace, max_size: int) -> StandardInput | None:
    """Standard input when `-` is the path, as ruff reads it; None when the paths are files."""
    from linter.engine.files import STDIN, read_standard_input

    if STDIN not in args.paths:
        if args.stdin_filename is not None:
            raise _UsageError("--stdin-filename names standard input: give `-` as the path")
        return None
    if len(args.paths) > 1:
        raise _UsageError("`-` (standard input) cannot be combined with other paths")
    return read_standard_input(args.stdin_filename, max_size)


def _entry_points_allowed(args: argparse.Namespace) -> bool:
    """Installed rule packs are code too: `rules` and `explain` load them only when allowed, as `check` does."""
    from linter.engine.config import custom_rules_allowed

    return custom_rules_allowed(args.allow_custom_rules, os.environ)


def _command_rules(args: argparse.Namespace) -> int:
    from linter.docs import rules_listing
    from linter.engine.registry import load_rules

    rules = load_rules(args.rules_dir or (), entry_points=_entry_points_allowed(args))
    sys.stdout.write(rules_listing(rules, args.format))
    return 0


def _command_explain(args: argparse.Namespace) -> int:
    from linter.docs import rule_page
    from linter.engine.registry import load_rules

    rules = load_rules(args.rules_dir or (), entry_points=_entry_points_allowed(args))
    code = args.code.upper()
    if code not in rules:
        matches = [rule for rule in rules.values() if rule.name == args.code]
        if not matches:
            return _fail(f"no rule {args.code!r}; `entralint rules` lists them")
        code = matches[0].code
    sys.stdout.write(rule_page(rules[code]))
    return 0


def _command_inspect(args: argparse.Namespace) -> int:
    from linter.commands.inspection import inspect_paths
    from linter.engine.config import DEFAULT_MAX_FILE_SIZE

    stdin = _standard_input(args, DEFAULT_MAX_FILE_SIZE)
    paths = [] if stdin is not None else args.paths
    return inspect_paths(paths, args.format, args.exclude or (), sys.stdout, stdin)


def _command_whatif(args: argparse.Namespace) -> int:
    from linter.commands.whatif import run
    from linter.engine.config import DEFAULT_MAX_FILE_SIZE

    stdin = _standard_input(args, DEFAULT_MAX_FILE_SIZE)
    return run(args, stdin)


def _command_init(args: argparse.Namespace) -> int:
    from linter.commands.init import InitError, init_config
    from linter.engine.config import find_config_file

    try:
        written, layout = init_config(args.directory)
    except InitError as error:
        return _fail(str(error))
    if layout.tenant_folders:
        tenants = f"{len(layout.tenant_folders)} tenants, one per folder of {layout.folder or '.'}"
    else:
        tenants = "one tenant" if layout.files else "no policy file found; tenants left commented"
    sys.stdout.write(f"entralint: wrote a starter configuration to {written} ({tenants})\n")
    outer = find_config_file(args.directory.resolve().parent)
    if outer is not None:
        sys.stdout.write(f"entralint: note: it takes precedence over {outer} for the files below it\n")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """Run entralint; returns the exit code."""
    from linter.engine.config import ConfigError
    from linter.engine.registry import RuleLoadError

    arguments = sys.argv[1:] if argv is None else list(argv)
    parser = parser_for(arguments[0] if arguments and arguments[0] in COMMANDS else None)
    try:
        args = parser.parse_args(arguments)
    except SystemExit as exit:
        return 0 if exit.code in (0, None) else 2
    if args.command is None:
        parser.print_help(sys.stderr)
        return 2
    missing = _missing_paths(getattr(args, "paths", ()))
    if missing:
        # Nothing is read: a report on the other paths would look like a complete one.
        for path in missing:
            _fail(f"{path}: no such file or directory")
        return 2
    handlers = {
        "check": _command_check,
        "rules": _command_rules,
        "explain": _command_explain,
        "inspect": _command_inspect,
        "whatif": _command_whatif,
        "init": _command_init,
    }
    try:
        return handlers[args.command](args)
    except (ConfigError, RuleLoadError, _UsageError) as error:
        return _fail(str(error))
    except BrokenPipeError:
        sys.stderr.close()
        return 2
    except OSError as error:
        where = f"{error.filename}: " if error.filename else ""
        return _fail(f"{where}{error.strerror or error}")
    except KeyboardInterrupt:
        return _fail("interrupted")
    except Exception as error:  # a bug in entralint: exit 2 as documented, with what a bug report needs
        _write_traceback(error)
        return _fail(f"internal error in entralint {__version__}; please report it with the traceback above")


def _write_traceback(error: BaseException) -> None:
    """The traceback on stderr, each line neutral: an exception's message may quote the input."""
    import traceback

    from linter.model.display import neutral_line_start

    for chunk in traceback.format_exception(error):
        for line in chunk.splitlines():
            sys.stderr.write(neutral_line_start(line) + "\n")


def run() -> NoReturn:
    """The `entralint` command: main(), and its exit status for the process.

    The interpreter's usual exit runs atexit handlers (coverage of subprocesses, logging, plug-ins);
    ending with os._exit instead saved under 1% of a pre-commit run (callgrind, docs/performance.md).
    """
    sys.exit(main())
