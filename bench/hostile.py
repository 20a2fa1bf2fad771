"""Hostile inputs for the readers (issue 19, case 7): each at growing sizes, with its time, peak memory and growth.

    python bench/hostile.py                 # every case at 1, 2 and 4 MB
    python bench/hostile.py --sizes 0.25 0.5 --case json-minified

Each case is written to a temporary folder and checked by
`entralint check --isolated --format json --jobs 1` in a subprocess. Peak memory is the child's maximum
resident set (VmHWM) at the largest size less that of the same case at 10 KB (the interpreter, entralint and
the modules the case's reader imports), over the bytes added.
Time is the child's own CPU time (user + system, from `os.wait4`: that process only, not the machine), so
a loaded machine stretches the wall-clock column but not the one the growth is read from.
The run fails (exit 1) when a case's CPU time grows more than GROWTH_LIMIT per doubling of its size or its
memory passes MEMORY_LIMIT times its input.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

GROWTH_LIMIT = 2.6  # per doubling: linear is 2, noise on a shared machine adds some
MEMORY_LIMIT = 20  # times the input size
HANG_TIMEOUT = 3600.0  # seconds of wall time per run: a loaded machine stretched a 4 MB run past 11 minutes
MB = 1_000_000

POLICY_JSON = (
    '{{"displayName": "P{n}", "state": "enabled", "conditions": {{"users": {{"includeUsers": ["All"]}},'
    ' "applications": {{"includeApplications": ["All"]}}, "clientAppTypes": ["all"]}},'
    ' "grantControls": {{"operator": "OR", "builtInControls": ["mfa"]}}, "sessionControls": null}}'
)
TF_HEAD = 'resource "azuread_conditional_access_policy" "p" {\n  display_name = "P"\n  state = "enabled"\n'


def _repeat(unit: str, size: int) -> str:
    return unit * max(1, size // len(unit))


YAML_POLICY = (
    "displayName: P\nstate: enabled\nconditions: {users: {includeUsers: [All]}, applications: {includeApplications:"
    " [All]}}\ngrantControls: {operator: OR, builtInControls: [mfa]}\n"
)


def _suppression_lines(size: int) -> dict[str, str]:
    return {"p.yaml": YAML_POLICY + _repeat("#entralint:ignore[\n", size)}


def _tf_variable_folder(size: int) -> dict[str, str]:
    # Each file reads a variable its neighbour declares: every file needs the directory's defaults.
    unit = (
        'variable "state_{n}" {{\n  default = "enabled"\n}}\n'
        'resource "azuread_conditional_access_policy" "p{n}" {{\n  display_name = "P{n}"\n  state = var.state_{m}\n'
        '  conditions {{\n    client_app_types = ["all"]\n    users {{\n      included_users = ["All"]\n    }}\n'
        '    applications {{\n      included_applications = ["All"]\n    }}\n  }}\n'
        '  grant_controls {{\n    operator = "OR"\n    built_in_controls = ["mfa"]\n  }}\n}}\n'
    )
    count = max(2, size // len(unit.format(n=1000, m=1001)))
    return {f"f{number:06d}.tf": unit.format(n=number, m=(number + 1) % count) for number in range(count)}


def _powershell_open_brackets(size: int) -> dict[str, str]:
    return {"p.ps1": "New-AzureADPolicy -DisplayName 'P' -Type 'TokenLifetimePolicy'\n" + _repeat("$a = [x\n", size)}


def _powershell_parentheses(size: int) -> dict[str, str]:
    return {"p.ps1": "New-AzureADPolicy -DisplayName 'P' -Type 'TokenLifetimePolicy'\n" + _repeat("((((", size)}


def _hcl_name_then_spaces(size: int) -> dict[str, str]:
    return {"main.tf": TF_HEAD + "}\n" + "a" + " " * size}


def _hcl_suppression_then_spaces(size: int) -> dict[str, str]:
    # A suppression comment has the file parsed again, for where its comments are: under the same guards.
    return {"main.tf": TF_HEAD + "}\n# entralint: ignore[CA001] reviewed\n" + "a" + " " * size}


def _hcl_form_feeds_in_heredoc(size: int) -> dict[str, str]:
    # Each form feed is looked up in the tree (Terraform takes it in a heredoc, not between tokens).
    return {"main.tf": TF_HEAD + "  description = <<EOT\n" + _repeat("\x0c\n", size) + "EOT\n}\n"}


def _hcl_heredoc_lines(size: int) -> dict[str, str]:
    # The same heredoc without form feeds: what a heredoc of many short lines costs on its own.
    return {"main.tf": TF_HEAD + "  description = <<EOT\n" + _repeat("a\n", size) + "EOT\n}\n"}


def _hcl_indented_heredoc_lines(size: int) -> dict[str, str]:
    # A `<<-` heredoc: each line's indentation is cut, a piece per line.
    return {"main.tf": TF_HEAD + "  description = <<-EOT\n" + _repeat("    a\n", size) + "  EOT\n}\n"}


def _hcl_comment_lines(size: int) -> dict[str, str]:
    # Blank lines and comments between attributes: one regular-expression match over all of them.
    return {"main.tf": TF_HEAD + _repeat("  # a\n", size) + "}\n"}


def _hcl_escaped_string(size: int) -> dict[str, str]:
    # A quoted string with escapes is decoded, not sliced.
    return {"main.tf": TF_HEAD + '  description = "' + _repeat("a\\n", size) + '"\n}\n'}


def _hcl_template_openers(size: int) -> dict[str, str]:
    return {"main.tf": TF_HEAD + '  description = "' + _repeat("${", size) + '"\n}\n'}


TF_VARIABLE_POLICY = (
    'variable "state" {\n  default = "enabled"\n}\n'
    'resource "azuread_conditional_access_policy" "p" {\n  display_name = "P"\n  state = var.state\n'
    '  conditions {\n    client_app_types = ["all"]\n    users {\n      included_users = ["All"]\n    }\n'
    '    applications {\n      included_applications = ["All"]\n    }\n  }\n'
    '  grant_controls {\n    operator = "OR"\n    built_in_controls = ["mfa"]\n  }\n}\n'
)


def _tfvars_name_then_spaces(size: int) -> dict[str, str]:
    # The variable files beside a policy are parsed by tree-sitter too, under the same guards as the policy's.
    return {"main.tf": TF_VARIABLE_POLICY, "terraform.tfvars": "a" + " " * size}


def _tfvars_template_openers(size: int) -> dict[str, str]:
    return {"main.tf": TF_VARIABLE_POLICY, "terraform.tfvars": 'state = "' + _repeat("${", size) + '"\n'}


def _tfvars_heredoc_lines(size: int) -> dict[str, str]:
    return {"main.tf": TF_VARIABLE_POLICY, "terraform.tfvars": "notes = <<EOT\n" + _repeat("a\n", size) + "EOT\n"}


def _json_one_line_many_findings(size: int) -> dict[str, str]:
    unit = POLICY_JSON.replace('"enabled"', '"on"')
    count = max(1, size // len(unit.format(n=1000)))
    return {"p.json": "[" + ",".join(unit.format(n=number) for number in range(count)) + "]"}


def _json_minified(size: int) -> dict[str, str]:
    count = max(1, size // len(POLICY_JSON.format(n=1000)))
    return {"p.json": "[" + ",".join(POLICY_JSON.format(n=number) for number in range(count)) + "]"}


def _json_deep(size: int) -> dict[str, str]:
    depth = 800  # under the 900-level limit: read, not refused
    unit = '{"a":' * depth + "1" + "}" * depth
    count = max(1, size // (len(unit) + 1))
    return {
        "p.json": '{"displayName": "P", "conditions": {}, "grantControls": {}, "x": [' + ",".join([unit] * count) + "]}"
    }


def _json_long_string(size: int) -> dict[str, str]:
    return {"p.json": '{"displayName": "' + "x" * size + '", "state": "on", "conditions": {}, "grantControls": {}}'}


def _json_many_keys(size: int) -> dict[str, str]:
    count = max(1, size // len('"k1000000": 1, '))
    keys = ", ".join(f'"k{number}": 1' for number in range(count))
    return {"p.json": '{"displayName": "P", "state": "on", "conditions": {' + keys + '}, "grantControls": {}}'}


def _json_long_array(size: int) -> dict[str, str]:
    # An element per 2 bytes in an array under the root, whose elements' offsets the parse records.
    head = '{"displayName": "P", "state": "enabled", "conditions": {}, "grantControls": {}, "x": ['
    return {"p.json": head + ",".join(["1"] * max(1, size // 2)) + "]}"}


def _json_many_bad_items(size: int) -> dict[str, str]:
    # An IN002 per 2 bytes in a nullable array (`anyOf`: jsonschema keeps every item's error until it reports).
    head = '{"displayName": "P", "state": "enabled", "conditions": {"clientAppTypes": ['
    return {"p.json": head + ",".join(["7"] * max(1, size // 2)) + ']}, "grantControls": {}}'}


def _yaml_aliases(size: int) -> dict[str, str]:
    head = "displayName: P\nstate: on\nconditions: {}\ngrantControls: {}\nanchors:\n  base: &b {users: [All]}\n"
    return {"p.yaml": head + "  list:\n" + _repeat("  - *b\n", size)}


def _yaml_many_policies(size: int) -> dict[str, str]:
    unit = "---\ndisplayName: P\nstate: on\nconditions: {users: {includeUsers: [All]}}\ngrantControls: {}\n"
    return {"p.yaml": _repeat(unit, size)}


CASES: dict[str, Callable[[int], dict[str, str]]] = {
    "suppression-comment-lines": _suppression_lines,
    "tf-folder-of-variables": _tf_variable_folder,
    "powershell-open-brackets": _powershell_open_brackets,
    "powershell-parentheses": _powershell_parentheses,
    "hcl-name-then-spaces": _hcl_name_then_spaces,
    "hcl-template-openers": _hcl_template_openers,
    "hcl-suppression-then-spaces": _hcl_suppression_then_spaces,
    "hcl-form-feeds-in-heredoc": _hcl_form_feeds_in_heredoc,
    "hcl-heredoc-lines": _hcl_heredoc_lines,
    "hcl-indented-heredoc-lines": _hcl_indented_heredoc_lines,
    "hcl-comment-lines": _hcl_comment_lines,
    "hcl-escaped-string": _hcl_escaped_string,
    "tfvars-name-then-spaces": _tfvars_name_then_spaces,
    "tfvars-template-openers": _tfvars_template_openers,
    "tfvars-heredoc-lines": _tfvars_heredoc_lines,
    "json-one-line-many-findings": _json_one_line_many_findings,
    "json-minified": _json_minified,
    "json-deep": _json_deep,
    "json-long-string": _json_long_string,
    "json-many-keys": _json_many_keys,
    "json-long-array": _json_long_array,
    "json-many-bad-items": _json_many_bad_items,
    "yaml-aliases": _yaml_aliases,
    "yaml-many-policies": _yaml_many_policies,
}


def write_case(name: str, size: int, directory: Path) -> int:
    """Write case name at about size bytes under directory; the bytes written."""
    written = 0
    for file_name, text in CASES[name](size).items():
        data = text.encode("utf-8")
        (directory / file_name).write_bytes(data)
        written += len(data)
    return written


# The child reports its own peak resident set. Not getrusage: Linux carries ru_maxrss across exec, so a child
# started by vfork reported the parent's peak (which grows as it reads large JSON reports) as its own; VmHWM
# is the high-water mark of the child's own address space, from exec on.
_CHILD = (
    "import resource, sys\n"
    "from linter.cli import main\n"
    "def peak():\n"
    "    try:\n"
    "        with open('/proc/self/status') as status:\n"
    "            return next(int(line.split()[1]) for line in status if line.startswith('VmHWM:'))\n"
    "    except (OSError, StopIteration):\n"
    "        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss\n"
    "try:\n"
    "    code = main(sys.argv[1:])\n"
    "finally:\n"
    "    sys.stderr.write(f'\\npeak-kib={peak()}\\n')\n"
    "sys.exit(code)\n"
)


@dataclass(frozen=True)
class Run:
    """One measured child process: its own CPU time, the wall time around it, its peak and what it printed."""

    cpu_seconds: float
    wall_seconds: float
    peak_bytes: int
    process: subprocess.CompletedProcess[str]


def run_measured(command: Sequence[str], cwd: Path, timeout: float | None = None) -> Run:
    """Run command in cwd and measure it; subprocess.TimeoutExpired (the child killed) past timeout seconds."""
    with tempfile.TemporaryFile("w+") as stdout, tempfile.TemporaryFile("w+") as stderr:
        start = time.perf_counter()
        # Files, not pipes: nothing to drain while this thread waits, so os.wait4 can reap the child itself
        # and hand back that child's resource usage (subprocess would reap it with waitpid and drop it).
        process = subprocess.Popen(command, cwd=cwd, stdout=stdout, stderr=stderr, text=True)
        killed = threading.Event()

        def kill() -> None:
            killed.set()
            process.kill()

        timer = threading.Timer(timeout, kill) if timeout is not None else None
        if timer is not None:
            timer.start()
        try:
            _, status, usage = os.wait4(process.pid, 0)
        finally:
            if timer is not None:
                timer.cancel()
        wall = time.perf_counter() - start
        process.returncode = os.waitstatus_to_exitcode(status)
        if killed.is_set():
            raise subprocess.TimeoutExpired(list(command), timeout or 0.0)
        stdout.seek(0)
        stderr.seek(0)
        completed = subprocess.CompletedProcess(list(command), process.returncode, stdout.read(), stderr.read())
    peak = int(completed.stderr.rsplit("peak-kib=", 1)[-1].split()[0]) * 1024 if "peak-kib=" in completed.stderr else 0
    return Run(usage.ru_utime + usage.ru_stime, wall, peak, completed)


def run_case(directory: Path, timeout: float | None = None) -> Run:
    """One `entralint check` of directory, measured."""
    command = [sys.executable, "-c", _CHILD, "check", "--isolated", "--format", "json", "--jobs", "1"]
    command += ["--max-file-size", str(64 * MB), "."]
    return run_measured(command, directory, timeout)


def growth_per_doubling(seconds: Sequence[float]) -> float:
    """The largest ratio of one size's time to the previous size's (sizes doubling): 2 is linear."""
    return max((later / max(earlier, 1e-3) for earlier, later in itertools.pairwise(seconds)), default=0.0)


FLOOR_SIZE = 10_000  # bytes: enough to import the case's reader and rules, too small to weigh


def case_floor(name: str, timeout: float | None = None) -> tuple[int, int]:
    """(bytes written, peak resident bytes) of the case at FLOOR_SIZE: the interpreter, entralint and the
    modules this case's reader imports, which an empty folder's check never loads."""
    with tempfile.TemporaryDirectory(prefix="entralint-hostile-") as folder:
        written = write_case(name, FLOOR_SIZE, Path(folder))
        return written, run_case(Path(folder), timeout).peak_bytes


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=float, nargs="+", default=[1, 2, 4], help="input sizes in MB (doubling)")
    parser.add_argument("--case", action="append", choices=sorted(CASES), help="run only these cases")
    parser.add_argument(
        "--timeout", type=float, default=HANG_TIMEOUT, help="seconds of wall time before a run counts as a hang"
    )
    args = parser.parse_args(argv)
    failed = False
    sizes = " | ".join(f"{size:g} MB" for size in args.sizes)
    print(f"| case | {sizes} | growth per doubling | peak memory / input | wall seconds |", flush=True)
    print("|---|" + "---|" * len(args.sizes) + "---|---|---|", flush=True)
    for name in args.case or CASES:
        cpu: list[float] = []
        wall: list[float] = []
        memory_ratio = 0.0
        try:
            floor_written, floor_peak = case_floor(name, args.timeout)
            for size in args.sizes:
                with tempfile.TemporaryDirectory(prefix="entralint-hostile-") as folder:
                    written = write_case(name, int(size * MB), Path(folder))
                    run = run_case(Path(folder), args.timeout)
                if run.process.returncode not in (0, 1) or "Traceback" in run.process.stderr:
                    print(f"{name}: exit {run.process.returncode}: {run.process.stderr[-500:]}", file=sys.stderr)
                    failed = True
                json.loads(run.process.stdout)
                cpu.append(run.cpu_seconds)
                wall.append(run.wall_seconds)
                # The largest size's, over what the floor's check already held: what the input itself costs.
                memory_ratio = (run.peak_bytes - floor_peak) / max(written - floor_written, 1)
        except subprocess.TimeoutExpired:
            print(f"| {name} | hang: a run passed {args.timeout:g} s of wall time |", flush=True)
            failed = True
            continue
        growth = growth_per_doubling(cpu)
        failed |= growth > GROWTH_LIMIT or memory_ratio > MEMORY_LIMIT
        cells = " | ".join(f"{seconds:.2f} s" for seconds in cpu)
        verdict = f"{growth:.2f}{' (over)' if growth > GROWTH_LIMIT else ''}"
        walls = ", ".join(f"{seconds:.1f}" for seconds in wall)
        print(f"| {name} | {cells} | {verdict} | {memory_ratio:.1f}× | {walls} |", flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
