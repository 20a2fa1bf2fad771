"""The `entralint` command line: parse the arguments and hand them to the subcommand's module."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Sequence
from typing import NoReturn

from linter import __version__
from linter.arguments import COMMANDS, parser_for
from linter.commands.shared import UsageError, fail

__all__ = ["main", "run"]

Command = Callable[[argparse.Namespace], int]


def _missing_paths(paths: Sequence[str]) -> list[str]:
    """The given paths that do not exist (`-`, standard input, aside): a typo must not lint nothing and pass."""
    return [path for path in paths if path != "-" and not os.path.lexists(path)]


def _command(name: str) -> Command:
    """The subcommand's `run`, imported only for the command that runs (each pulls in different code)."""
    if name == "check":
        from linter.commands.check import run as check

        return check
    if name == "rules":
        from linter.commands.rules import run as rules

        return rules
    if name == "explain":
        from linter.commands.explain import run as explain

        return explain
    if name == "benchmark":
        from linter.commands.benchmark import run as benchmark

        return benchmark
    if name == "inspect":
        from linter.commands.inspection import run as inspect

        return inspect
    if name == "whatif":
        from linter.commands.whatif import run as whatif

        return whatif
    if name == "diff":
        from linter.commands.diff import run as diff

        return diff
    from linter.commands.init import run as init

    return init


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
            fail(f"{path}: no such file or directory")
        return 2
    try:
        return _command(args.command)(args)
    except (ConfigError, RuleLoadError, UsageError) as error:
        return fail(str(error))
    except BrokenPipeError:
        sys.stderr.close()
        return 2
    except OSError as error:
        where = f"{error.filename}: " if error.filename else ""
        return fail(f"{where}{error.strerror or error}")
    except KeyboardInterrupt:
        return fail("interrupted")
    except Exception as error:  # a bug in entralint: exit 2 as documented, with what a bug report needs
        _write_traceback(error)
        return fail(f"internal error in entralint {__version__}; please report it with the traceback above")


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
