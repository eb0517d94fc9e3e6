"""The probe's guard on a real browser: outside the login, only GETs reach the portal."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page

from bot.probe.guard import RequestGuard
from mock_portals.serve import ServedApp
from tests.conftest import mock_state

pytestmark = pytest.mark.e2e


@pytest.fixture
def markup() -> str:
    """This test drives the accessible rendering's login and form pages directly."""
    return "accessible"


def test_the_guard_lets_the_login_post_through_and_stops_a_save(
    own_page: Page, lec: ServedApp
) -> None:
    page = own_page  # the test's own Playwright: the CLI's tests may run after it
    page.set_default_timeout(10_000)
    guard = RequestGuard()
    guard.install(page.context)
    page.goto(f"{lec.url}/index.jsp")
    page.get_by_label("ชื่อผู้ใช้").fill("school")
    page.get_by_label("รหัสผ่าน").fill("demo")
    with guard.logging_in():
        page.get_by_role("button", name="เข้าสู่ระบบ").click()
        page.get_by_role("link", name="ออกจากระบบ").wait_for()
    page.goto(f"{lec.url}/student/form.do")
    before = mock_state(lec)["requests"]
    # What no probe step does, and the guard must stop all the same: the form sent.
    with page.expect_event("requestfailed") as failed:
        page.evaluate("document.querySelector('form[method=post]').submit()")
    assert failed.value.method == "POST"
    after = mock_state(lec)["requests"]
    assert guard.let_through == ["POST /login.do"]
    assert guard.stopped == ["POST /student/save.do"]
    assert after.get("POST /student/save.do", 0) == before.get("POST /student/save.do", 0)
