"""Clone HEAD into an empty temporary folder and run README.md's set-up commands there, verbatim.

The commands are the ```sh blocks under "## Set-up", read out of README.md so that the README and this
check cannot drift; each must exit with the code the paragraph right after it states ("exits with code N"),
or 0 when it states none. Nothing is beside the clone (no ../shared), as on a new user's machine.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import NamedTuple

SETUP_HEADING = "## Set-up"
_SH_BLOCK = re.compile(r"^```sh\n(.*?)^```\n", re.MULTILINE | re.DOTALL)
_EXIT_CODE = re.compile(r"\bexits with code (\d+)\b")
# Set by .ci/run for its own test runs; a new user has none of them.
_NOT_ON_A_NEW_MACHINE = ("ENTRALINT_REQUIRE_SHARED", "VIRTUAL_ENV", "PYTHONPATH", "PYTHONHOME")


class SetupCommand(NamedTuple):
    command: str
    exit_code: int


def setup_commands(readme: str) -> list[SetupCommand]:
    """The one-line ```sh blocks of the Set-up section, each with the exit code the next paragraph states."""
    heading = re.search(f"^{re.escape(SETUP_HEADING)}$", readme, re.MULTILINE)
    if heading is None:
        raise ValueError(f"README.md has no '{SETUP_HEADING}' section")
    end = readme.find("\n## ", heading.end())
    parts = _SH_BLOCK.split(readme[heading.end() : end if end >= 0 else len(readme)])
    commands = []
    for block, after in zip(parts[1::2], parts[2::2], strict=True):
        lines = block.strip().splitlines()
        if len(lines) != 1:
            raise ValueError(f"a Set-up command must be one line, not {len(lines)}: {block.strip()!r}")
        paragraph = after.strip().split("\n\n")[0]
        stated = _EXIT_CODE.search(paragraph)
        commands.append(SetupCommand(lines[0], int(stated[1]) if stated else 0))
    if not commands:
        raise ValueError(f"README.md's '{SETUP_HEADING}' section has no ```sh block")
    return commands


def new_user_environment() -> dict[str, str]:
    """This process's environment without what CI adds: its variables and its active virtual environment."""
    environment = {key: value for key, value in os.environ.items() if key not in _NOT_ON_A_NEW_MACHINE}
    active = os.environ.get("VIRTUAL_ENV")
    if active:
        active_bin = str(Path(active) / "bin")
        path = environment.get("PATH", "").split(os.pathsep)
        environment["PATH"] = os.pathsep.join(entry for entry in path if entry != active_bin)
    return environment


def main() -> int:
    repository = Path(__file__).resolve().parent.parent
    commands = setup_commands((repository / "README.md").read_text(encoding="utf-8"))
    with tempfile.TemporaryDirectory(prefix="entralint-fresh-clone-") as folder:
        clone = Path(folder) / "entralint"
        subprocess.run(["git", "clone", "--quiet", str(repository), str(clone)], check=True)
        for command, expected in commands:
            print(f"== fresh clone in {clone}: {command}  (expects exit {expected})", flush=True)
            found = subprocess.run(["sh", "-c", command], cwd=clone, env=new_user_environment(), check=False)
            if found.returncode != expected:
                print(f"fresh clone: exit {found.returncode}, README.md says {expected}: {command}", file=sys.stderr)
                return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
