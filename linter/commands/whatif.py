"""`entralint whatif`: which policies apply to one sign-in, as a portal-style table or JSON."""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

from linter.policy.context import CLIENT_APP_TYPES, GUEST_TYPES, PLATFORMS, RISK_LEVELS, TRANSFER_METHODS

if TYPE_CHECKING:
    from linter.engine.files import StandardInput

__all__ = ["add_parser", "run"]


# A Graph object id; a reference to one as the source computes it: Terraform (`azuread_group.admins.object_id`,
# `var.breakglass`, `data.azuread_user.x.id`, `module.m.ids[0]`) or ARM (`[parameters('admins')]`).
_GUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$", re.IGNORECASE)
_TERRAFORM_REFERENCE = re.compile(
    r"^(?:(?:var|local)\.[A-Za-z_][\w-]*"  # var.x, local.x
    r"|(?:data\.)?[A-Za-z_][\w-]*\.[A-Za-z_][\w-]*(?:\[[^\]\s]+\])?\.[A-Za-z_][\w-]*)"  # type.name.attribute
    r"(?:\.[A-Za-z_][\w-]*|\[[^\]\s]+\])*$"
)
_ARM_EXPRESSION = re.compile(r"^\[.+\]$", re.DOTALL)
_COUNTRY = re.compile(r"^[A-Za-z]{2}$")


def _object_id(what: str) -> Callable[[str], str]:
    """An argparse type: a GUID or a reference; the message says which value was refused and what fits."""

    def check(value: str) -> str:
        if _GUID.match(value) or _TERRAFORM_REFERENCE.match(value) or _ARM_EXPRESSION.match(value):
            return value
        raise argparse.ArgumentTypeError(
            f"{value!r} is not {what}: give a GUID or the reference the policies use "
            "(azuread_group.admins.object_id, var.x, [parameters('x')])"
        )

    return check


def _target(value: str) -> str:
    """--app: an application id, an app group keyword, a user action or an authentication context."""
    from linter.policy.apps import ADMIN_PORTALS, OFFICE_365
    from linter.policy.context import USER_ACTIONS, is_authentication_context

    keywords = (OFFICE_365, ADMIN_PORTALS, *USER_ACTIONS)
    known = next((keyword for keyword in keywords if keyword.casefold() == value.casefold()), None)
    if known is not None:
        return known
    if _GUID.match(value) or is_authentication_context(value) or _TERRAFORM_REFERENCE.match(value):
        return value
    raise argparse.ArgumentTypeError(
        f"{value!r} is not an application: give an application id (a GUID), {OFFICE_365}, {ADMIN_PORTALS}, "
        f"a user action ({', '.join(USER_ACTIONS)}) or an authentication context (c1..c99)"
    )


def _country(value: str) -> str:
    if not _COUNTRY.match(value):
        raise argparse.ArgumentTypeError(f"{value!r} is not a two-letter country code (ISO 3166-1 alpha-2)")
    return value


def add_parser(commands: Any) -> argparse.ArgumentParser:
    """Register the subcommand on the main parser's subparsers; the caller adds the options all commands share."""
    parser = commands.add_parser("whatif", help="evaluate the policies for one sign-in, offline")
    parser.add_argument("paths", nargs="+", metavar="PATH", help="files and directories, or - for stdin")
    parser.add_argument("--user", type=_object_id("a user id"), help="user object id (or Terraform reference)")
    parser.add_argument(
        "--group",
        action="append",
        default=[],
        type=_object_id("a group id"),
        help="a group the user is in, by object id or reference (repeatable)",
    )
    parser.add_argument(
        "--role",
        action="append",
        default=[],
        type=_object_id("a role template id"),
        help="a directory role template id (repeatable)",
    )
    parser.add_argument("--guest-type", choices=GUEST_TYPES, help="the user is a guest or external user of this type")
    parser.add_argument("--guest-tenant", type=_object_id("a tenant id"), help="the guest's home tenant id")
    parser.add_argument(
        "--app",
        type=_target,
        help="application id, Office365, MicrosoftAdminPortals, a user action (urn:user:registersecurityinfo) "
        "or an authentication context (c1..c99); default: a resource no policy names",
    )
    parser.add_argument(
        "--client-app", choices=CLIENT_APP_TYPES, default="browser", help="client app type (default: browser)"
    )
    parser.add_argument("--platform", choices=PLATFORMS, help="device platform (default: not detected)")
    parser.add_argument(
        "--location",
        type=_object_id("a named location id"),
        help="named location id (or reference) the sign-in comes from (default: none)",
    )
    parser.add_argument(
        "--trusted",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="the location is trusted, or not (default: as its namedLocation document says)",
    )
    parser.add_argument("--country", type=_country, help="two-letter country code of the sign-in")
    parser.add_argument(
        "--device-attr",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="a device attribute for device filters, e.g. isCompliant=True (repeatable)",
    )
    parser.add_argument(
        "--sign-in-risk", choices=RISK_LEVELS, default="none", help="sign-in risk level (default: none)"
    )
    parser.add_argument("--user-risk", choices=RISK_LEVELS, default="none", help="user risk level (default: none)")
    parser.add_argument("--flow", choices=TRANSFER_METHODS, help="authentication flow of this sign-in")
    parser.add_argument(
        "--protocol-tracked", choices=TRANSFER_METHODS, metavar="METHOD", help="the session used METHOD earlier"
    )
    parser.add_argument(
        "--format",
        choices=("text", "json"),
        default="text",
        help="text: a portal-style table; json: every policy's answer (default: text)",
    )
    parser.add_argument("--exclude", action="append", metavar="GLOB", help="skip paths matching GLOB (repeatable)")
    return parser  # type: ignore[no-any-return]


def _device(pairs: Sequence[str]) -> dict[str, str]:
    device = {}
    for pair in pairs:
        key, separator, value = pair.partition("=")
        if not separator or not key.strip():
            raise ValueError(f"--device-attr {pair!r} is not KEY=VALUE")
        device[key.strip().removeprefix("device.")] = value.strip()
    return device


def run(args: argparse.Namespace) -> int:
    """`entralint whatif`: which policies apply to the sign-in the options describe, and what they require."""
    from linter.commands.shared import standard_input
    from linter.engine.config import DEFAULT_MAX_FILE_SIZE
    from linter.policy.context import SignInContext

    stdin = standard_input(args, DEFAULT_MAX_FILE_SIZE)

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
    documents = _load([] if stdin is not None else args.paths, args.exclude or (), stdin)
    from linter.commands.whatif_report import write_json, write_table

    (write_json if args.format == "json" else write_table)(documents, context, sys.stdout)
    return 0


def _load(paths: Sequence[str], exclude: Sequence[str], stdin: StandardInput | None) -> list[Any]:
    from linter.engine.documents import load_paths

    documents: list[Any] = []
    problems = 0
    for shown, result in load_paths(paths, exclude, Path.cwd(), stdin):
        for problem in result.problems:
            line, column = problem.span.start_line, problem.span.start_column
            sys.stderr.write(f"{shown}:{line}:{column}: {problem.code} {problem.message}\n")
        problems += len(result.problems)
        documents.extend(result.documents)
    if not documents and not problems:
        from linter.engine.files import NO_POLICY_FOUND

        sys.stderr.write(NO_POLICY_FOUND)
    return documents
