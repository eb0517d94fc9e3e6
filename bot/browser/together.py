"""Several workers side by side on one sync Playwright: the one place edubot leans on its
internals.

Playwright's sync API blocks each call: while it waits for the browser, a greenlet it keeps
(the "dispatcher") runs its asyncio event loop, and the answer switches back to the caller.
Playwright runs its sync event handlers the same way (its `_greenlets.py`). Starting each
worker in a greenlet of its own from that loop lets N workers share one driver and one browser
on one thread, with no locks: a worker is only ever suspended inside a Playwright call.

The public API has no way in: the alternatives are a thread, a driver and a browser for each
worker (twice the memory at two workers, and the report, journal and press log shared across
threads), or the async API throughout the engine. So this module reads the loop and the
dispatcher greenlet every sync object carries (`_loop`, `_dispatcher_fiber`) and restores the
running loop as Playwright's own `_sync` does. pyproject pins Playwright to the versions tested;
tests/e2e/test_browser.py fails loudly if an upgrade drops them.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from playwright.sync_api import Playwright

Task = Callable[[], None]
Start = Callable[[Task], None]


def run_together(pw: Playwright, first: Callable[[Start], None]) -> list[BaseException]:
    """Run `first`, and every task it starts with the `Start` it is given, side by side;
    return when all have ended, with the errors they raised.

    A task may start others at any moment (the first worker starts the rest once it has
    logged in); each runs in a greenlet of its own and may make any sync Playwright call.
    """
    from greenlet import greenlet

    loop, fiber = _event_loop_of(pw)
    errors: list[BaseException] = []
    all_done = loop.create_future()
    pending = 0

    def begin(task: Task) -> None:
        def body() -> None:
            nonlocal pending
            try:
                task()
            except BaseException as exc:  # handed to the caller below
                errors.append(exc)
            finally:
                pending -= 1
                if pending == 0 and not all_done.done():
                    all_done.set_result(None)

        # Started from a loop callback, so the dispatcher is its parent: when the task
        # returns, the loop carries on where it left off.
        greenlet(body).switch()

    def start(task: Task) -> None:
        nonlocal pending
        pending += 1
        loop.call_soon(begin, task)

    start(lambda: first(start))
    _wait_in_loop(loop, fiber, all_done)
    return errors


def pause(pw: Playwright, seconds: float) -> None:
    """Wait without stopping the other tasks of `run_together` (a retry's backoff)."""
    loop, fiber = _event_loop_of(pw)
    _wait_in_loop(loop, fiber, loop.create_task(asyncio.sleep(seconds)))


def _event_loop_of(pw: Playwright) -> tuple[asyncio.AbstractEventLoop, Any]:
    """The event loop and dispatcher greenlet behind Playwright's sync API (module docstring)."""
    return pw._loop, pw._dispatcher_fiber


def _wait_in_loop(loop: asyncio.AbstractEventLoop, fiber: Any, future: asyncio.Future[Any]) -> None:
    """Let the event loop run until `future` is done, as every sync Playwright call does."""
    from greenlet import getcurrent

    me = getcurrent()
    waiting = True

    def resume(_: object) -> None:
        if waiting:
            me.switch()

    future.add_done_callback(resume)
    try:
        while not future.done():
            if fiber.dead:
                raise RuntimeError("Playwright's connection to the browser closed")
            fiber.switch()
    finally:
        waiting = False
        future.remove_done_callback(resume)
        if not future.done():
            future.cancel()
        if not fiber.dead:
            asyncio._set_running_loop(loop)  # as Playwright leaves it between sync calls
    future.result()
