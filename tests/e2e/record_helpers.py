"""What the recorder's tests share: the person at the terminal, a fresh browser context as
`edubot record` opens one, the person's hands on the mock LEC in either rendering, and a
stand-in for a portal that is not edubot's mock."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import BrowserContext, Locator, Page
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse
from starlette.routing import Route

from bot.browser.launch import LaunchedBrowser
from bot.cli import record as record_cmd
from mock_portals.lec.markup import FRAMEWORK
from mock_portals.serve import ServedApp, serve_in_thread
from tests.conftest import browser_page


class FakePrompt:
    """The person at the terminal: answers every question with `answer`, noting each."""

    def __init__(self, answer: bool, before: object = None) -> None:
        self.answer, self.questions, self.before = answer, list[str](), before
        self.seen: list[object] = []

    def __call__(self, question: str) -> bool:
        self.questions.append(question)
        if callable(self.before):
            self.seen.append(self.before())
        return self.answer


@contextmanager
def recording_context() -> Iterator[BrowserContext]:
    """A fresh context of the browser edubot launches, as `edubot record` opens one."""
    with browser_page() as spare:
        browser = spare.context.browser
        assert browser is not None
        context = browser.new_context(locale="th-TH")
        context.set_default_timeout(10_000)
        yield context
        context.close()


# Select `text` where a shown text of the page holds it, as a person drags across the words.
_SELECT_WORDS = """text => {
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const at = node.data.indexOf(text);
    if (at < 0 || !node.parentElement.getClientRects().length) continue;
    const range = document.createRange();
    range.setStart(node, at);
    range.setEnd(node, at + text.length);
    getSelection().removeAllRanges();
    getSelection().addRange(range);
    return true;
  }
  return false;
}"""


def mark_expected(page: Page, text: str) -> None:
    """Select the words on the page and press the recorder's key, as the person would."""
    assert page.evaluate(_SELECT_WORDS, text), f"no shown text holds {text!r}"
    page.keyboard.press("Control+Shift+E")


def settled(page: Page) -> None:
    """One more round trip to the page: every report sent before it has been handled."""
    page.evaluate("() => 0")


class LecPerson:
    """An officer's hands on the mock LEC: what they click and type, in the rendering it shows.

    The accessible rendering names its fields with `<label for>`; the vendor framework's have
    the words in the column before them, and log in by placeholders (Username, Password).
    """

    def __init__(self, page: Page, markup: str) -> None:
        self.page, self.framework = page, markup == FRAMEWORK

    def log_in(self, username: str = "school", password: str = "demo") -> None:
        page = self.page
        if self.framework:
            page.get_by_placeholder("Username").fill(username)
            page.get_by_placeholder("Password").fill(password)
            page.get_by_role("button", name="Sign in").click()
        else:
            page.get_by_label("ชื่อผู้ใช้").fill(username)
            page.get_by_label("รหัสผ่าน").fill(password)
            page.get_by_role("button", name="เข้าสู่ระบบ").click()

    def is_logged_in(self) -> bool:
        page = self.page
        logout = "Logout" if self.framework else "ออกจากระบบ"
        password = "Password" if self.framework else "รหัสผ่าน"
        return page.get_by_role("link", name=logout).is_visible() and not (
            page.get_by_placeholder(password).count() or page.get_by_label(password).count()
        )

    def open_the_add_form(self) -> None:
        page = self.page
        page.get_by_role("link", name="ฐานข้อมูลนักเรียน/เด็กเล็ก").click()
        if self.framework:
            page.get_by_role("button", name="เพิ่มข้อมูล").click()
        else:
            page.get_by_role("link", name="เพิ่มข้อมูลนักเรียน/เด็กเล็ก").click()

    def field(self, label: str) -> Locator:
        """The form's field a person finds by the words `label` shown beside it."""
        page = self.page
        if not self.framework:
            return page.get_by_label(label, exact=True)
        row = page.locator(".row.form-group").filter(
            has=page.locator("label", has_text=f"{label}:")
        )
        return row.locator("input, select").first

    def press_ok_in_the_message_box(self) -> None:
        self.page.get_by_role("dialog").get_by_role("button", name="ตกลง").click()


@contextmanager
def not_the_mock() -> Iterator[tuple[ServedApp, list[str]]]:
    """A stand-in for a portal that is not edubot's mock (no /_mock/hello): one confirm button
    on a cmd-style form, as the vendor framework draws it; `posts` notes each confirmation."""
    posts: list[str] = []

    async def home(_request: Request) -> HTMLResponse:
        return HTMLResponse(
            '<html><body><form name="mainForm" method="post" action="/send">'
            '<input type="hidden" name="cmd" value="">'
            '<button type="button" class="btn btn-warning"'
            " onclick=\"this.form.elements['cmd'].value='doConfirm'; this.form.submit()\">"
            "ยืนยันข้อมูล</button></form></body></html>"
        )

    async def send(_request: Request) -> HTMLResponse:
        posts.append("sent")
        return HTMLResponse("<html><body><p>ส่งข้อมูลแล้ว</p></body></html>")

    routes = [Route("/", home), Route("/send", send, methods=["POST"])]
    with serve_in_thread(Starlette(routes=routes)) as served:
        yield served, posts


def record_headless_in(folder: Path, recorder: type[Any], monkeypatch: pytest.MonkeyPatch) -> None:
    """`edubot record` as the tests run it: in `folder`, its window headless (this machine has
    no display), the person at the window played by `recorder`."""
    monkeypatch.chdir(folder)
    monkeypatch.setattr(record_cmd, "has_display", lambda: True)
    monkeypatch.setattr(record_cmd, "LaunchedBrowser", lambda **_: LaunchedBrowser(headless=True))
    monkeypatch.setattr(record_cmd, "Recorder", recorder)
