"""The runner's tab hygiene: a forced garbage collection every N page loads; a dead tab."""

from __future__ import annotations

from pathlib import Path
from typing import Any, cast

from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Page

from bot.engine.runner import RunListener, Runner
from bot.flow.binding import Bindings
from bot.flow.model import Flow


class _DevTools:
    def __init__(self) -> None:
        self.sent: list[str] = []

    def send(self, method: str) -> dict[str, Any]:
        self.sent.append(method)
        return {}


class _Context:
    def __init__(self, tab_closed: bool = False) -> None:
        self.tab_closed = tab_closed
        self.sessions: list[_DevTools] = []

    def new_cdp_session(self, page: object) -> _DevTools:
        if self.tab_closed:
            raise PlaywrightError("Target page, context or browser has been closed")
        self.sessions.append(_DevTools())
        return self.sessions[-1]


class _Page:
    def __init__(self, context: _Context) -> None:
        self.context = context

    def on(self, event: str, handler: object) -> None:
        pass


def _runner(context: _Context, collect_every: int) -> Runner:
    return Runner(
        flow=cast(Flow, None),
        page=cast(Page, _Page(context)),
        bindings=cast(Bindings, None),
        artefacts_dir=Path("."),
        listener=cast(RunListener, None),
        renew_page_every=0,
        collect_garbage_every=collect_every,
    )


def test_a_tab_collects_before_every_third_load_through_one_devtools_session() -> None:
    context = _Context()
    runner = _runner(context, collect_every=3)
    for _ in range(7):
        runner._tidy_tab_if_due()
    [devtools] = context.sessions
    assert devtools.sent == ["HeapProfiler.collectGarbage"] * 2  # before loads 3 and 6


def test_off_means_no_devtools_session_at_all() -> None:
    context = _Context()
    runner = _runner(context, collect_every=0)
    for _ in range(12):
        runner._tidy_tab_if_due()
    assert context.sessions == []


def test_a_closed_tab_skips_the_collection_and_leaves_the_failure_to_the_page_load() -> None:
    context = _Context(tab_closed=True)
    runner = _runner(context, collect_every=2)
    for _ in range(4):
        runner._tidy_tab_if_due()  # raises nothing: the load after it fails and is retried
    context.tab_closed = False
    runner._tidy_tab_if_due()
    runner._tidy_tab_if_due()
    [devtools] = context.sessions  # asked again once the tab answers
    assert devtools.sent == ["HeapProfiler.collectGarbage"]
