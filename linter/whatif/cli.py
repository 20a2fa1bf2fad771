"""`entralint whatif`: which policies apply to one sign-in, as a portal-style table or JSON."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path
from types import MappingProxyType
from typing import Any

from linter.whatif.context import CLIENT_APP_TYPES, GUEST_TYPES, PLATFORMS, RISK_LEVELS, TRANSFER_METHODS

__all__ = ["add_parser", "run"]


def add_parser(commands: Any) -> None:
    """Register the subcommand on the main parser's subparsers."""
    parser = commands.add_parser("whatif", help="evaluate the policies for one sign-in, offline")
    parser.add_argument("paths", nargs="+", metavar="PATH")
    parser.add_argument("--user", help="user object id (or Terraform reference)")
    parser.add_argument("--group", action="append", default=[], help="a group the user is in (repeatable)")
    parser.add_argument("--role", action="append", default=[], help="a directory role template id (repeatable)")
    parser.add_argument("--guest-type", choices=GUEST_TYPES, help="the user is a guest or external user of this type")
    parser.add_argument("--guest-tenant", help="the guest's home tenant id")
    parser.add_argument(
        "--app",
        help="application id, Office365, MicrosoftAdminPortals, a user action (urn:user:registersecurityinfo) "
        "or an authentication context (c1..c99); default: a resource no policy names",
    )
    parser.add_argument("--client-app", choices=CLIENT_APP_TYPES, default="browser")
    parser.add_argument("--platform", choices=PLATFORMS, help="device platform (default: not detected)")
    parser.add_argument("--location", help="named location id the sign-in comes from (default: none)")
    parser.add_argument("--trusted", action=argparse.BooleanOptionalAction, default=None, help="location trust")
    parser.add_argument("--country", help="two-letter country code of the sign-in")
    parser.add_argument("--device-attr", action="append", default=[], metavar="KEY=VALUE", help="device attribute")
    parser.add_argument("--sign-in-risk", choices=RISK_LEVELS, default="none")
    parser.add_argument("--user-risk", choices=RISK_LEVELS, default="none")
    parser.add_argument("--flow", choices=TRANSFER_METHODS, help="authentication flow of this sign-in")
    parser.add_argument(
        "--protocol-tracked", choices=TRANSFER_METHODS, metavar="METHOD", help="the session used METHOD earlier"
    )
    parser.add_argument("--format", choices=("text", "json"), default="text")
    parser.add_argument("--exclude", action="append", metavar="GLOB")


def _device(pairs: Sequence[str]) -> dict[str, str]:
    device = {}
    for pair in pairs:
        key, separator, value = pair.partition("=")
        if not separator or not key.strip():
            raise ValueError(f"--device-attr {pair!r} is not KEY=VALUE")
        device[key.strip().removeprefix("device.")] = value.strip()
    return device


def run(args: argparse.Namespace) -> int:
    from linter.whatif.context import SignInContext

    try:
        device = _device(args.device_attr)
    except ValueError as error:
        sys.stderr.write(f"entralint: error: {error}\n")
        return 2
    context = SignInContext(
        user=args.user,
        groups=frozenset(args.group),
        roles=frozenset(args.role),
        guest_type=args.guest_type,
        guest_tenant=args.guest_tenant,
        target=args.app,
        client_app=args.client_app,
        platform=args.platform,
        location=args.location,
        trusted=args.trusted,
        country=args.country,
        device=MappingProxyType(device),
        sign_in_risk=args.sign_in_risk,
        user_risk=args.user_risk,
        transfer_method=args.flow,
        original_transfer_method=args.protocol_tracked,
    )
    documents = _load(args.paths, args.exclude or ())
    from linter.whatif.report import write_json, write_table

    (write_json if args.format == "json" else write_table)(documents, context, sys.stdout)
    return 0


def _load(paths: Sequence[str], exclude: Sequence[str]) -> list[Any]:
    from linter.loaders import load_paths

    documents: list[Any] = []
    problems = 0
    for shown, result in load_paths(paths, exclude, Path.cwd()):
        for problem in result.problems:
            line, column = problem.span.start_line, problem.span.start_column
            sys.stderr.write(f"{shown}:{line}:{column}: {problem.code} {problem.message}\n")
        problems += len(result.problems)
        documents.extend(result.documents)
    if not documents and not problems:
        from linter.files import NO_POLICY_FOUND

        sys.stderr.write(NO_POLICY_FOUND)
    return documents
