"""Time a whole process and read its peak memory: the median of fresh runs, each through a small parent.

Each run goes through its own parent process so that RUSAGE_CHILDREN holds that run alone: its
ru_maxrss is the largest resident set of the measured process or any of its workers.
"""

from __future__ import annotations

import json
import os
import resource
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

__all__ = ["BenchError", "Measurement", "measure"]


class BenchError(Exception):
    """The measured command failed: its exit code and the end of its stderr."""


@dataclass(frozen=True)
class Measurement:
    seconds: float  # median wall time
    peak_kb: int  # largest resident set over all runs


def measure(command: list[str], runs: int, stdout: Path | None = None) -> Measurement:
    """Run command `runs` times; exit codes 0 and 1 (findings) are fine, anything else is an error.

    PYTHONDONTWRITEBYTECODE is dropped: an installed entralint has its bytecode compiled, and a
    process that recompiles every module at start measures the compiler, not entralint.
    """
    seconds = []
    peak = 0
    environment = {key: value for key, value in os.environ.items() if key != "PYTHONDONTWRITEBYTECODE"}
    for _ in range(runs):
        parent = [sys.executable, __file__, str(stdout or ""), *command]
        completed = subprocess.run(parent, capture_output=True, text=True, check=True, env=environment)
        result = json.loads(completed.stdout)
        if result["returncode"] not in (0, 1):
            raise BenchError(f"{' '.join(command)} exited {result['returncode']}: {result['stderr']}")
        seconds.append(result["seconds"])
        peak = max(peak, result["peak_kb"])
    return Measurement(statistics.median(seconds), peak)


def _run_child(stdout: str, command: list[str]) -> None:
    with open(stdout or os.devnull, "wb") as sink:
        started = time.perf_counter()
        process = subprocess.run(command, stdout=sink, stderr=subprocess.PIPE, check=False)
        elapsed = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    if sys.platform == "darwin":  # bytes there, kilobytes on Linux
        peak //= 1024
    stderr = process.stderr.decode("utf-8", "replace")[-2000:]
    print(json.dumps({"seconds": elapsed, "peak_kb": peak, "returncode": process.returncode, "stderr": stderr}))


if __name__ == "__main__":
    _run_child(sys.argv[1], sys.argv[2:])
