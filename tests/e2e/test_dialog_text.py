"""`dialog: {accept: WORDS}` accepts only the dialog that says them (issue 23, point 10).

A page of our own asks its confirm() question before posting; a click that expects other words
dismisses it, nothing is posted, and the record fails with the dialog's words (IDs masked).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.routing import Route

from bot.engine.actions import ActionEnv, StepState, perform
from bot.errors import PortalRejected
from bot.flow.binding import Bindings
from bot.flow.model import Click, DialogAnswer, Locator, ReadBack
from mock_portals.serve import serve_in_thread

pytestmark = pytest.mark.e2e
QUESTION = "ลบข้อมูลของนักเรียน 1103702071005 ทั้งหมด?"  # not the question the flow expects


def _form(question: str) -> str:
    return (
        '<form method="post" action="/confirm" onsubmit="return confirm(this.dataset.q)"'
        f' data-q="{question}"><button type="submit">ยืนยันข้อมูล</button></form>'
    )


@pytest.fixture
def portal() -> Iterator[tuple[str, list[str]]]:
    """A page whose button asks `?q=` before posting; the posts it received."""
    posts: list[str] = []

    async def form(request: Request) -> Response:
        return HTMLResponse(_form(request.query_params.get("q", "")))

    async def confirm(request: Request) -> Response:
        posts.append("confirm")
        return HTMLResponse("<p>ยืนยันข้อมูลเรียบร้อย</p>")

    app = Starlette(routes=[Route("/", form), Route("/confirm", confirm, methods=["POST"])])
    with serve_in_thread(app) as served:
        yield served.url, posts


def _press(page: Page, tmp_path: Path, expected: str) -> None:
    click = Click(
        locator=Locator(role="button", name="ยืนยันข้อมูล"),
        dialog=DialogAnswer(accept=expected),
        irreversible=True,
        verify=ReadBack(visible=Locator(text="ยืนยันข้อมูลเรียบร้อย")),
        line=7,
    )
    env = ActionEnv(Bindings(), tmp_path, allow_irreversible=True, timeout_ms=5000)
    perform(page, click, env, StepState())


def test_a_dialog_asking_something_else_is_dismissed_and_fails_with_its_words(
    portal: tuple[str, list[str]], own_page: Page, tmp_path: Path
) -> None:
    url, posts = portal
    own_page.goto(f"{url}/?q={QUESTION}")

    with pytest.raises(PortalRejected) as refused:
        _press(own_page, tmp_path, "ยืนยันข้อมูลของสถานศึกษา")

    assert posts == []  # dismissed: nothing was sent
    reason = str(refused.value)
    assert "ลบข้อมูลของนักเรียน" in reason and "ยืนยันข้อมูลของสถานศึกษา" in reason
    assert "1103702071005" not in reason  # the dialog's words, IDs masked
    assert "dismissed and nothing was pressed" in reason


def test_the_dialog_the_flow_expects_is_accepted(
    portal: tuple[str, list[str]], own_page: Page, tmp_path: Path
) -> None:
    url, posts = portal
    own_page.goto(f"{url}/?q=ยืนยันข้อมูลของสถานศึกษา? เมื่อยืนยันแล้วจะแก้ไขข้อมูลไม่ได้")

    _press(own_page, tmp_path, "ยืนยันข้อมูลของสถานศึกษา")

    own_page.get_by_text("ยืนยันข้อมูลเรียบร้อย").wait_for()
    assert posts == ["confirm"]
