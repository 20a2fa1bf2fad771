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

__all__ = ["BenchError", "Measurement", "measure", "measure_alone_and_two_at_once", "measure_pair"]


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
    runs_of = [_run(command, stdout) for _ in range(runs)]
    return Measurement(statistics.median(seconds for seconds, _ in runs_of), max(peak for _, peak in runs_of))


def measure_pair(
    first: list[str], second: list[str], runs: int, stdouts: tuple[Path | None, Path | None] = (None, None)
) -> tuple[Measurement, Measurement]:
    """Two commands whose ratio is reported, run alternately, so that a noisy spell slows both alike."""
    pairs = [(_run(first, stdouts[0]), _run(second, stdouts[1])) for _ in range(runs)]
    one, two = (
        Measurement(statistics.median(pair[side][0] for pair in pairs), max(pair[side][1] for pair in pairs))
        for side in (0, 1)
    )
    return one, two


def measure_alone_and_two_at_once(command: list[str], runs: int) -> tuple[float, float]:
    """Median seconds of command run alone, and of two copies started together (alternately).

    Two processes on two cores are as fast as one only if the cores share nothing that the work
    needs (SMT siblings share their core; VMs share their host): this is the most `--jobs 2` can
    gain on the machine, whatever the linter does.
    """
    import concurrent.futures

    alone, together = [], []
    with concurrent.futures.ThreadPoolExecutor(2) as threads:
        for _ in range(runs):
            alone.append(_run(command, None)[0])
            started = time.perf_counter()
            list(threads.map(_run, (command, command), (None, None)))
            together.append(time.perf_counter() - started)
    return statistics.median(alone), statistics.median(together)


def _run(command: list[str], stdout: Path | None) -> tuple[float, int]:
    """(seconds, peak kilobytes) of one run, through its own parent process."""
    environment = {key: value for key, value in os.environ.items() if key != "PYTHONDONTWRITEBYTECODE"}
    parent = [sys.executable, __file__, str(stdout or ""), *command]
    completed = subprocess.run(parent, capture_output=True, text=True, check=True, env=environment)
    result = json.loads(completed.stdout)
    if result["returncode"] not in (0, 1):
        raise BenchError(f"{' '.join(command)} exited {result['returncode']}: {result['stderr']}")
    return result["seconds"], result["peak_kb"]


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
