"""A click returns on the page it opened, even when a handler submits the form a moment later.

The vendor framework's buttons are `type=button` with `onclick="doCmd(...)"`, which sets a field
and calls `form.submit()`; Chromium runs that submission in a task of its own, so Playwright's
click may return while the old page is still shown, and a `fill_form` right after would fill
the page that is leaving. Here the handler submits in a later task on purpose, and the answer
is slow: the step after the click must see the new page at once.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.routing import Route

from bot.engine.actions import ActionEnv, StepState, perform
from bot.flow.binding import Bindings
from bot.flow.model import Click, Locator
from mock_portals.serve import serve_in_thread

pytestmark = pytest.mark.e2e

LIST = (
    '<form method="post" action="/form"><input type="hidden" name="cmd" value="">'
    '<input type="button" value=" เพิ่มข้อมูล " onclick="later(this.form)"></form>'
    "<script>function later(form) { form.cmd.value = 'goCreate';"
    " setTimeout(() => form.submit(), 0); }</script>"
)


@pytest.fixture
def portal() -> Iterator[str]:
    async def listing(request: Request) -> Response:
        return HTMLResponse(LIST)

    async def form(request: Request) -> Response:
        await asyncio.sleep(0.4)  # a portal's usual answer time
        cmd = (await request.form())["cmd"]
        return HTMLResponse(f"<h1>แบบฟอร์ม {cmd}</h1>")

    app = Starlette(routes=[Route("/", listing), Route("/form", form, methods=["POST"])])
    with serve_in_thread(app) as served:
        yield served.url


def test_a_form_a_handler_submits_later_is_the_page_the_click_returns_on(
    portal: str, own_page: Page, tmp_path: Path
) -> None:
    own_page.goto(portal + "/")
    env = ActionEnv(Bindings(), tmp_path, allow_irreversible=False, timeout_ms=5000)

    perform(own_page, Click(locator=Locator(role="button", name="เพิ่มข้อมูล")), env, StepState())

    assert own_page.url.endswith("/form")
    assert own_page.evaluate("() => document.body.innerText") == "แบบฟอร์ม goCreate"
