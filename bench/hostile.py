"""Hostile inputs for the readers (issue 19, case 7): each at growing sizes, with its time, peak memory and growth.

    python bench/hostile.py                 # every case at 1, 2 and 4 MB
    python bench/hostile.py --sizes 0.25 0.5 --case json-minified

Each case is written to a temporary folder and checked by
`entralint check --isolated --format json --jobs 1` in a subprocess. Peak memory is the child's maximum
resident set (VmHWM) at the largest size less that of the same case at 10 KB (the interpreter, entralint and
the modules the case's reader imports), over the bytes added.
The run fails (exit 1) when a case's time grows more than GROWTH_LIMIT per doubling of its size or its
memory passes MEMORY_LIMIT times its input. Times are wall-clock on whatever machine runs it: compare
ratios, not seconds.
"""

from __future__ import annotations

import argparse
import itertools
import json
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

GROWTH_LIMIT = 2.6  # per doubling: linear is 2, noise on a shared machine adds some
MEMORY_LIMIT = 20  # times the input size
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


def _hcl_template_openers(size: int) -> dict[str, str]:
    return {"main.tf": TF_HEAD + '  description = "' + _repeat("${", size) + '"\n}\n'}


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


def run_case(directory: Path, timeout: float | None = None) -> tuple[float, int, subprocess.CompletedProcess[str]]:
    """(seconds, peak resident bytes, the process) of one check of directory."""
    command = [sys.executable, "-c", _CHILD, "check", "--isolated", "--format", "json", "--jobs", "1"]
    command += ["--max-file-size", str(64 * MB), "."]
    start = time.perf_counter()
    process = subprocess.run(command, cwd=directory, capture_output=True, text=True, timeout=timeout, check=False)
    elapsed = time.perf_counter() - start
    peak = int(process.stderr.rsplit("peak-kib=", 1)[-1].split()[0]) * 1024 if "peak-kib=" in process.stderr else 0
    return elapsed, peak, process


FLOOR_SIZE = 10_000  # bytes: enough to import the case's reader and rules, too small to weigh


def case_floor(name: str) -> tuple[int, int]:
    """(bytes written, peak resident bytes) of the case at FLOOR_SIZE: the interpreter, entralint and the
    modules this case's reader imports, which an empty folder's check never loads."""
    with tempfile.TemporaryDirectory(prefix="entralint-hostile-") as folder:
        written = write_case(name, FLOOR_SIZE, Path(folder))
        return written, run_case(Path(folder))[1]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=float, nargs="+", default=[1, 2, 4], help="input sizes in MB (doubling)")
    parser.add_argument("--case", action="append", choices=sorted(CASES), help="run only these cases")
    args = parser.parse_args(argv)
    failed = False
    print(
        "| case | "
        + " | ".join(f"{size:g} MB" for size in args.sizes)
        + " | growth per doubling | peak memory / input |"
    )
    print("|---|" + "---|" * len(args.sizes) + "---|---|")
    for name in args.case or CASES:
        times: list[float] = []
        memory_ratio = 0.0
        floor_written, floor_peak = case_floor(name)
        for size in args.sizes:
            with tempfile.TemporaryDirectory(prefix="entralint-hostile-") as folder:
                written = write_case(name, int(size * MB), Path(folder))
                elapsed, peak, process = run_case(Path(folder))
            if process.returncode not in (0, 1) or "Traceback" in process.stderr:
                print(f"{name}: exit {process.returncode}: {process.stderr[-500:]}", file=sys.stderr)
                failed = True
            json.loads(process.stdout)
            times.append(elapsed)
            # The largest size's, over what the floor's check already held: what the input itself costs.
            memory_ratio = (peak - floor_peak) / max(written - floor_written, 1)
        growth = max((later / max(earlier, 1e-3) for earlier, later in itertools.pairwise(times)), default=0)
        bad = growth > GROWTH_LIMIT or memory_ratio > MEMORY_LIMIT
        failed |= bad
        cells = " | ".join(f"{seconds:.2f} s" for seconds in times)
        print(f"| {name} | {cells} | {growth:.2f}{' (over)' if growth > GROWTH_LIMIT else ''} | {memory_ratio:.1f}× |")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
