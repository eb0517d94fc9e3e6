"""Pages that arrive in pieces: what a step reads is the whole page, not the part parsed so far.

A busy portal flushes a page's top before its bottom, and a click returns once the new page is
committed — on its first bytes. Every step that looks at the page without waiting for an
element (fill_form, `when`, `require`, `extract`) must first let the page finish arriving.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response, StreamingResponse
from starlette.routing import Route

from bot.engine.actions import ActionEnv, StepState, condition_holds, perform
from bot.errors import PortalError
from bot.flow.binding import Bindings
from bot.flow.model import Click, Condition, Extract, FillForm, Locator
from mock_portals.serve import serve_in_thread

pytestmark = pytest.mark.e2e

TOP = (
    "<!doctype html><html><body><h1>แบบฟอร์ม</h1>"
    '<label for="a">ชื่อ</label><input id="a">'
    "<table><tr><td>1</td></tr><tr><td>2</td></tr>"
)
BOTTOM = (
    "<tr><td>3</td></tr></table>"
    '<label for="b">นามสกุล</label><input id="b">'
    '<p class="alert-danger">ข้อมูลไม่ถูกต้อง</p></body></html>'
)
START = '<!doctype html><html><body><a href="/slow.do">ต่อไป</a></body></html>'


@pytest.fixture
def slow_site() -> Iterator[tuple[str, list[float]]]:
    """`/start.do` links to `/slow.do`, whose bottom half comes a while after its top; the
    pause (seconds) is the list's last item, so a test can make the page stall."""
    pause = [0.5]

    async def halves() -> AsyncIterator[bytes]:
        yield (TOP + " " * 2048).encode()  # enough for Chromium to parse and show the top
        await asyncio.sleep(pause[-1])  # the slow server
        yield BOTTOM.encode()

    async def slow(request: Request) -> Response:
        return StreamingResponse(halves(), media_type="text/html; charset=utf-8")

    async def start(request: Request) -> Response:
        return HTMLResponse(START)

    app = Starlette(routes=[Route("/start.do", start), Route("/slow.do", slow)])
    with serve_in_thread(app) as served:
        yield served.url, pause


def _open_slow_page(page: Page, url: str, env: ActionEnv) -> None:
    page.goto(url + "/start.do")
    perform(page, Click(locator=Locator(role="link", name="ต่อไป")), env, StepState())
    assert page.url.endswith("/slow.do")


@pytest.fixture
def env(tmp_path: Path) -> ActionEnv:
    return ActionEnv(Bindings(), tmp_path, False, 5_000)


def test_fill_form_waits_for_the_fields_still_to_come(
    own_page: Page, slow_site: tuple[str, list[float]], env: ActionEnv
) -> None:
    url, _ = slow_site
    for typing in (False, True):
        _open_slow_page(own_page, url, env)
        step = FillForm(fields={"ชื่อ": "สมใจ", "นามสกุล": "ใจดี"}, typing=typing)
        state = StepState()
        perform(own_page, step, env, state)
        assert state.changed is True
        assert own_page.locator("#b").input_value() == "ใจดี"


def test_a_when_sees_what_the_bottom_of_the_page_shows(
    own_page: Page, slow_site: tuple[str, list[float]], env: ActionEnv
) -> None:
    url, _ = slow_site
    error_box = Locator(css=".alert-danger")
    _open_slow_page(own_page, url, env)
    assert condition_holds(own_page, Condition(visible=error_box), Bindings(), StepState())
    _open_slow_page(own_page, url, env)
    assert not condition_holds(own_page, Condition(not_visible=error_box), Bindings(), StepState())


def test_extract_reads_every_row(
    own_page: Page, slow_site: tuple[str, list[float]], env: ActionEnv
) -> None:
    url, _ = slow_site
    _open_slow_page(own_page, url, env)
    perform(own_page, Extract(name="rows", rows=Locator(css="tr")), env, StepState())
    assert env.run.extracted["rows"] == [["1"], ["2"], ["3"]]


def test_a_page_that_never_finishes_fails_the_fill_within_the_timeout(
    slow_site: tuple[str, list[float]], own_page: Page, tmp_path: Path
) -> None:  # the page closes first: the server then drops the stalled answer at once
    url, pause = slow_site
    pause.append(30.0)  # the server stalls far longer than the step may wait
    quick = ActionEnv(Bindings(), tmp_path, False, 1_000)
    _open_slow_page(own_page, url, quick)
    with pytest.raises(PortalError, match="still loading after 1 s"):
        perform(own_page, FillForm(fields={"ชื่อ": "สมใจ"}), quick, StepState())
