"""Files and tenants checked in parallel: this process and N-1 forks of it, sharing one queue of work.

Forked workers inherit everything this process holds: the rules, the compiled schemas, the list of
work itself, so nothing is sent to them and they start at once. Every process takes the next chunk
from one pipe of chunk numbers; workers send each chunk's results back as soon as it is done, and
this process reads them between its own chunks. Where fork does not exist, a process pool of
spawned workers does the work instead.
"""

from __future__ import annotations

import itertools
import math
import os
import struct
from collections.abc import Callable, Iterator, Sequence
from typing import Any, TypeVar

from linter.engine.file_check import FileOutcome, Task, check_file
from linter.engine.ruleset import RuleSet

__all__ = ["PARALLEL_THRESHOLD", "Workers", "default_jobs", "worker_ruleset"]

# Fewer files than this are linted in-process: starting workers costs more than it saves.
PARALLEL_THRESHOLD = 64
# Chunk numbers wait in a pipe, written before the workers start: they must fit in its buffer
# (64 KiB on Linux, 16 KiB on macOS), so many items make larger chunks instead of more.
MAX_CHUNKS = 2048
_NUMBER = struct.Struct("<I")
_FRAME = struct.Struct("<iI")  # chunk number (-1: the worker failed), then the length of its pickle

_WORKER: dict[str, Any] = {}
Item = TypeVar("Item")
Result = TypeVar("Result")


def _worker_init(build: Callable[[], RuleSet]) -> None:
    _WORKER["ruleset"] = build()  # a spawned worker builds its own ruleset


def _worker_check(task: Task) -> FileOutcome:
    # Documents stay in the worker: pickling them back would cost more than loading them again.
    return check_file(_WORKER["ruleset"], task, keep_documents=False)


def _each(function: Callable[[Item], Result], items: Sequence[Item]) -> list[Result]:
    return [function(item) for item in items]


def default_jobs(count: int) -> int:
    """How many processes check `count` files when the user does not say."""
    return (os.cpu_count() or 1) if count >= PARALLEL_THRESHOLD else 1


def worker_ruleset() -> RuleSet:
    """The ruleset of this worker process (or of the parent, which works too)."""
    ruleset: RuleSet = _WORKER["ruleset"]
    return ruleset


def chunk_sizes(count: int, jobs: int, largest: int) -> list[int]:
    """Sizes of consecutive chunks of `count` items: up to `largest`, shrinking towards the end.

    All processes finish together only if the last chunks are small (whoever takes the last one
    decides when the run ends); large ones before keep the hand-offs few.
    """
    smallest = max(1, math.ceil(count / MAX_CHUNKS))
    sizes = []
    left = count
    while left > 0:
        size = min(left, max(smallest, min(largest, math.ceil(left / (4 * jobs)))))
        sizes.append(size)
        left -= size
    return sizes


class Workers:
    """Checks a tenant's files in-process, or shares them with N-1 worker processes and this one."""

    def __init__(self, ruleset: RuleSet, build: Callable[[], RuleSet] | None = None, jobs: int = 1) -> None:
        self.ruleset = ruleset
        self.jobs = jobs if build is not None else 1
        self.build = build
        self.pool: Any = None
        _WORKER["ruleset"] = ruleset

    @property
    def parallel(self) -> bool:
        return self.jobs > 1

    def in_workers(self, tasks: Sequence[Task]) -> bool:
        return self.parallel and len(tasks) > 1

    def outcomes(self, tasks: Sequence[Task], keep: Callable[[], bool]) -> Iterator[FileOutcome]:
        """Each file's outcome, in task order; in-process, documents are kept while keep() says so."""
        if not self.in_workers(tasks):
            return (check_file(self.ruleset, task, keep_documents=keep()) for task in tasks)
        return iter(self.map(_worker_check, tasks, 16))

    def map(self, function: Callable[[Item], Result], items: Sequence[Item], largest: int = 1) -> list[Result]:
        """function over items, in order, shared between the workers and this process.

        Items are taken in list order: put the costliest first.
        """
        sizes = chunk_sizes(len(items), self.jobs, largest)
        ends = list(itertools.accumulate(sizes))
        chunks = [items[end - size : end] for end, size in zip(ends, sizes, strict=True)]
        if not hasattr(os, "fork"):
            return self._spawned_map(function, chunks)
        return _ForkedMap(function, chunks, self.jobs - 1).run()

    def _spawned_map(self, function: Callable[[Item], Result], chunks: list[Sequence[Item]]) -> list[Result]:
        if self.pool is None:
            from concurrent.futures import ProcessPoolExecutor

            assert self.build is not None
            self.pool = ProcessPoolExecutor(self.jobs, initializer=_worker_init, initargs=(self.build,))
        parts = self.pool.map(_each, [function] * len(chunks), chunks)
        return [result for part in parts for result in part]

    def close(self) -> None:
        if self.pool is not None:
            self.pool.shutdown(cancel_futures=True)


class _ForkedMap:
    """One map over chunks: forks, the shared queue, and the results coming back."""

    def __init__(self, function: Callable[[Any], Any], chunks: list[Sequence[Any]], workers: int) -> None:
        self.function = function
        self.chunks = chunks
        self.results: list[list[Any] | None] = [None] * len(chunks)
        queue_out, queue_in = os.pipe()
        os.write(queue_in, b"".join(_NUMBER.pack(number) for number in range(len(chunks))))
        os.close(queue_in)  # an empty read is then the end of the work, for every process
        self.queue = queue_out
        self.readers: dict[int, bytearray] = {}
        self.pids: list[int] = []
        try:
            for _ in range(min(workers, len(chunks) - 1)):
                self._fork()
        except BaseException:
            self._stop(kill=True)
            raise

    def _fork(self) -> None:
        results_out, results_in = os.pipe()
        pid = os.fork()
        if pid == 0:  # the worker: it never returns, and leaves this process's buffers and exit handlers alone
            status = 1
            try:
                os.close(results_out)
                for reader in self.readers:
                    os.close(reader)
                self._work_in_worker(results_in)
                status = 0
            finally:
                os._exit(status)
        os.close(results_in)
        os.set_blocking(results_out, False)
        self.readers[results_out] = bytearray()
        self.pids.append(pid)

    def _work_in_worker(self, results: int) -> None:
        import pickle

        try:
            for number in self._numbers():
                frame = pickle.dumps(_each(self.function, self.chunks[number]), pickle.HIGHEST_PROTOCOL)
                _write_all(results, _FRAME.pack(number, len(frame)) + frame)
        except BaseException as error:  # told to the parent, which raises it
            try:
                frame = pickle.dumps(error, pickle.HIGHEST_PROTOCOL)
            except Exception:
                frame = pickle.dumps(RuntimeError(f"{type(error).__name__}: {error}"))
            _write_all(results, _FRAME.pack(-1, len(frame)) + frame)

    def _numbers(self) -> Iterator[int]:
        while True:
            number = os.read(self.queue, _NUMBER.size)
            if not number:
                return
            yield _NUMBER.unpack(number)[0]

    def run(self) -> list[Any]:
        try:
            for number in self._numbers():
                self.results[number] = _each(self.function, self.chunks[number])
                self._receive(wait=False)
            self._receive(wait=True)
        except BaseException:
            self._stop(kill=True)
            raise
        self._stop(kill=False)
        return [result for part in self.results for result in part or ()]

    def _receive(self, *, wait: bool) -> None:
        """Read what the workers have sent; with `wait`, until every worker has closed its pipe."""
        for reader in list(self.readers):
            buffer = self.readers[reader]
            if wait:
                os.set_blocking(reader, True)
            while True:
                try:
                    data = os.read(reader, 1 << 20)
                except BlockingIOError:
                    break
                if not data:
                    del self.readers[reader]
                    os.close(reader)
                    break
                buffer += data
                self._take_frames(buffer)
        if wait and any(part is None for part in self.results):
            raise RuntimeError("a worker process ended before sending its results")

    def _take_frames(self, buffer: bytearray) -> None:
        import pickle

        while len(buffer) >= _FRAME.size:
            number, length = _FRAME.unpack_from(buffer)
            if len(buffer) < _FRAME.size + length:
                return
            value = pickle.loads(buffer[_FRAME.size : _FRAME.size + length])
            del buffer[: _FRAME.size + length]
            if number < 0:
                raise value
            self.results[number] = value

    def _stop(self, *, kill: bool) -> None:
        """Every worker waited for; with `kill` (after an error here), stopped first if still running."""
        import signal

        for reader in self.readers:
            os.close(reader)
        self.readers.clear()
        os.close(self.queue)
        for pid in self.pids:
            try:
                if kill and os.waitpid(pid, os.WNOHANG)[0] == 0:
                    os.kill(pid, signal.SIGTERM)
                os.waitpid(pid, 0)
            except ChildProcessError:  # already waited for
                pass
        self.pids.clear()


def _write_all(descriptor: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(descriptor, view) :]
