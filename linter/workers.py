"""Files and tenants checked in parallel: N-1 worker processes and this one, sharing one list of work."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator, Sequence
from typing import Any, TypeVar

from linter.file_check import FileOutcome, Task, check_file
from linter.ruleset import RuleSet

__all__ = ["PARALLEL_THRESHOLD", "Workers", "default_jobs", "worker_ruleset"]

# Fewer files than this are linted in-process: starting workers costs more than it saves.
PARALLEL_THRESHOLD = 64

_WORKER: dict[str, Any] = {}
Item = TypeVar("Item")
Result = TypeVar("Result")


def _worker_init(build: Callable[[], RuleSet] | None) -> None:
    # A forked worker inherits the parent's ruleset (None here); a spawned one builds its own.
    if build is not None:
        _WORKER["ruleset"] = build()


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


class Workers:
    """Checks a tenant's files in-process, or shares them with a pool of workers kept for the whole run.

    With `jobs` N, N - 1 worker processes take chunks of work from the front of the list while this
    process takes chunks nobody has started from the back: all N cores work, and this process's share
    is never pickled.
    """

    def __init__(self, ruleset: RuleSet, build: Callable[[], RuleSet] | None = None, jobs: int = 1) -> None:
        self.ruleset = ruleset
        self.jobs = jobs
        self.pool: Any = None
        if jobs > 1 and build is not None:
            import multiprocessing
            from concurrent.futures import ProcessPoolExecutor

            method = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
            context = multiprocessing.get_context(method)
            _WORKER["ruleset"] = ruleset
            initargs = (None if method == "fork" else build,)
            self.pool = ProcessPoolExecutor(jobs - 1, mp_context=context, initializer=_worker_init, initargs=initargs)

    def in_workers(self, tasks: Sequence[Task]) -> bool:
        return self.pool is not None and len(tasks) > 1

    def outcomes(self, tasks: Sequence[Task], keep: Callable[[], bool]) -> Iterator[FileOutcome]:
        """Each file's outcome, in task order; in-process, documents are kept while keep() says so."""
        if not self.in_workers(tasks):
            return (check_file(self.ruleset, task, keep_documents=keep()) for task in tasks)
        # Small chunks: the last one decides when the run ends, and a chunk of files costs little to send.
        return iter(self.map(_worker_check, tasks, max(1, min(16, len(tasks) // (self.jobs * 16)))))

    def map(self, function: Callable[[Item], Result], items: Sequence[Item], chunk: int = 1) -> list[Result]:
        """function over items, in order, shared between the workers and this process."""
        chunks = self._chunks(items, chunk)
        futures = [self.pool.submit(_each, function, part) for part in chunks]
        stolen: dict[int, list[Result]] = {}
        for index in reversed(range(len(chunks))):
            if not futures[index].cancel():  # a worker has it: so it has every chunk before it
                break
            stolen[index] = _each(function, chunks[index])
        return [
            result
            for index, future in enumerate(futures)
            for result in (stolen[index] if index in stolen else future.result())
        ]

    def largest_at_the_ends(self, items: Sequence[Item], cost: Callable[[Item], int]) -> list[Item]:
        """Items ordered for map: the workers' share costliest first from the front, this process's
        costliest first from the back, the cheapest where they meet (each worker also holds one item
        queued, which nobody else can take)."""
        ranked = sorted(items, key=cost, reverse=True)
        mine = ranked[self.jobs - 1 :: self.jobs]
        theirs = [item for index, item in enumerate(ranked) if index % self.jobs != self.jobs - 1]
        return theirs + mine[::-1]

    def _chunks(self, items: Sequence[Item], largest: int) -> list[Sequence[Item]]:
        """Chunks up to `largest` items, shrinking to one where the workers and this process should meet.

        Whoever finishes first waits for the chunks the other has started: small ones there keep
        that wait short, large ones elsewhere keep the hand-offs few.
        """
        meeting = len(items) * (self.jobs - 1) // self.jobs
        chunks = []
        start = 0
        while start < len(items):
            size = max(1, min(largest, abs(meeting - start) // 4))
            chunks.append(items[start : start + size])
            start += size
        return chunks

    def close(self) -> None:
        if self.pool is not None:
            self.pool.shutdown(cancel_futures=True)  # after an error, chunks nobody started are dropped
