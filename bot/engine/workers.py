"""Share a run's records among N workers, each record handed out exactly once.

A worker is a logged-in browser context with its own tab and runner. All of them live in one
browser driven from one thread: `BrowserSession.run_together` runs each worker in a greenlet on
Playwright's event loop (`bot.browser.together`), so while one waits for its page the others go
on. A worker is only ever suspended inside a browser call, so the queue below needs no lock.

The first worker goes alone until it has logged in and read what the portal holds; only then
does it start the others, which open their contexts and log in. A refused password is then
typed once, not once a worker (many portals count failed logins against the account), and the
first page is asked for as soon as one context is ready rather than after all of them have
been opened.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager

from bot.engine.records import PlannedRecord
from bot.engine.runner import Runner
from bot.errors import LoginRefused, RunStopped

Task = Callable[[], None]
# Runs a first task, which may start others, side by side; returns the errors they raised.
RunTogether = Callable[[Callable[[Callable[[Task], None]], None]], list[BaseException]]


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

    def stop(self) -> None:
        """Hand out nothing more: the portal takes no record this run (`RunStopped`)."""
        self._next = len(self._records)

    def __iter__(self) -> Iterator[PlannedRecord]:
        while self._next < len(self._records):
            record = self._records[self._next]
            self._next += 1
            yield record


def _stopping(
    make_runner: Callable[[], AbstractContextManager[Runner]], queue: WorkQueue
) -> Callable[[], AbstractContextManager[Runner]]:
    """Runners whose `RunStopped` or `LoginRefused` empties the shared queue, so that the other
    workers stop after their current record instead of each meeting the same refusal (or
    typing a refused password again)."""

    @contextmanager
    def make() -> Iterator[Runner]:
        try:
            with make_runner() as runner:
                yield runner
        except (RunStopped, LoginRefused):
            queue.stop()
            raise

    return make


def run_in_workers(
    count: int,
    make_runner: Callable[[], AbstractContextManager[Runner]],
    records: Sequence[PlannedRecord],
    run_together: RunTogether,
) -> None:
    """Run the records on `count` workers; re-raise the first error a worker met.

    One worker runs straight in the caller's greenlet; several run together, the others
    started by the first once it is logged in (module docstring). A worker that fails later
    leaves its records to the others (each is still taken once); when the first cannot log
    in, the others never start and its error ends the run.
    """
    queue = WorkQueue(records)
    make_runner = _stopping(make_runner, queue)
    if count <= 1:
        with make_runner() as runner:
            runner.run(queue)
        return

    def follow() -> None:
        with make_runner() as runner:
            runner.run(queue)

    def lead(start: Callable[[Task], None]) -> None:
        started = False

        def start_the_others() -> None:
            nonlocal started
            if not started:  # `ready` comes once a loop; the others start once a run
                started = True
                for _ in range(count - 1):
                    start(follow)

        with make_runner() as runner:
            runner.run(queue, ready=start_the_others)

    errors = run_together(lead)
    if errors:
        raise errors[0]
