"""Share a run's records among N workers, each record handed out exactly once.

Playwright's sync API belongs to the thread that started it, so a worker is a thread with its
own Playwright, browser and logged-in context. One worker runs in the calling thread.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import AbstractContextManager

from bot.runner import PlannedRecord, Runner


class WorkQueue:
    """Hands out records in input order; each to one worker only."""

    def __init__(self, records: Sequence[PlannedRecord]) -> None:
        self._records = records
        self._next = 0
        self._lock = threading.Lock()

    def __iter__(self) -> Iterator[PlannedRecord]:
        while True:
            with self._lock:
                if self._next >= len(self._records):
                    return
                record = self._records[self._next]
                self._next += 1
            yield record


def run_in_workers(
    count: int,
    make_runner: Callable[[], AbstractContextManager[Runner]],
    records: Sequence[PlannedRecord],
) -> None:
    """Run the records on `count` workers; re-raise the first error a worker met."""
    queue = WorkQueue(records)
    if count <= 1:
        with make_runner() as runner:
            runner.run(queue)
        return
    errors: list[BaseException] = []

    def work() -> None:
        try:
            with make_runner() as runner:
                runner.run(queue)
        except BaseException as exc:  # handed to the caller's thread below
            errors.append(exc)

    threads = [threading.Thread(target=work, name=f"edubot-worker-{i}") for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if errors:
        raise errors[0]
