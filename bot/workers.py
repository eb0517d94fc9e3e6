"""Share a run's records among N workers, each record handed out exactly once.

A worker is a logged-in browser context with its own tab and runner. All of them live in one
browser driven from one thread: `BrowserSession.run_together` runs each worker in a greenlet on
Playwright's event loop, so while one waits for its page the others go on. A worker is only
ever suspended inside a browser call, so the queue below needs no lock.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import AbstractContextManager

from bot.runner import PlannedRecord, Runner

RunTogether = Callable[[Sequence[Callable[[], None]]], list[BaseException]]


def loads_per_tab(renew_every: int, workers: int) -> int:
    """How many page loads each worker's tab serves before a fresh one (0: never renew).

    The setting is the whole browser's budget, shared among the workers' tabs: every tab keeps
    what it has shown until it closes, so N tabs renewed every `renew_every` loads would hold N
    times one tab's memory. Split, N workers hold about what one does (1000 children, 2 workers:
    benchmarks/README.md).
    """
    if renew_every <= 0:
        return 0
    return -(-renew_every // max(workers, 1))  # rounded up: a tab serves at least one load


class WorkQueue:
    """Hands out records in input order; each to one worker only."""

    def __init__(self, records: Sequence[PlannedRecord]) -> None:
        self._records = records
        self._next = 0

    def __iter__(self) -> Iterator[PlannedRecord]:
        while self._next < len(self._records):
            record = self._records[self._next]
            self._next += 1
            yield record


def run_in_workers(
    count: int,
    make_runner: Callable[[], AbstractContextManager[Runner]],
    records: Sequence[PlannedRecord],
    run_together: RunTogether,
) -> None:
    """Run the records on `count` workers; re-raise the first error a worker met.

    One worker runs straight in the caller's greenlet; several run together, and a worker that
    fails leaves its records to the others (each is still taken once).
    """
    queue = WorkQueue(records)
    if count <= 1:
        with make_runner() as runner:
            runner.run(queue)
        return

    def work() -> None:
        with make_runner() as runner:
            runner.run(queue)

    errors = run_together([work] * count)
    if errors:
        raise errors[0]
