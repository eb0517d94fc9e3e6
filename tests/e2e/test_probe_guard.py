"""The probe's guard on a real browser: outside the login, only reads reach the portal.

On both renderings of the mock LEC: the accessible one, whose form posts to its own save URL,
and the framework's (how LEC is built), where one URL serves the list and its form and the
posted `cmd` says what to do: a read command (`goCreate`) passes, any other is stopped."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Page

from bot.flow.binding import Bindings
from bot.flow.locator import Locator
from bot.flow.model import Click
from bot.portals.lec.commands import COMMANDS
from bot.probe.guard import RequestGuard
from bot.probe.resolve import press_is_safe
from mock_portals.lec.markup import MARKUPS
from mock_portals.serve import ServedApp
from tests.conftest import mock_state

pytestmark = pytest.mark.e2e

# The words of each rendering's login button and of the link shown once logged in.
SIGN_IN = {"accessible": ("เข้าสู่ระบบ", "ออกจากระบบ"), "framework": ("Sign in", "Logout")}
ENTITY = "/student/student.do"
LOGIN_COMMAND = {
    "accessible": "",
    "framework": " cmd=doLogin",
}  # the framework's one URL for the student list and form


@pytest.fixture(params=MARKUPS)
def markup(request: pytest.FixtureRequest) -> str:
    name: str = request.param
    return name


def _stored(state: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in state.items() if key != "requests"}


def _portal(state: dict[str, Any]) -> dict[str, int]:
    """The mock's request counts, without the test's own reads of its state."""
    counts: dict[str, int] = state["requests"]
    return {route: n for route, n in counts.items() if "/_mock/" not in route}


def _log_in(page: Page, lec: ServedApp, guard: RequestGuard, markup: str) -> None:
    page.goto(f"{lec.url}/index.jsp")
    page.get_by_placeholder("Username").fill("school")
    page.get_by_placeholder("Password").fill("demo")
    button, logged_in = SIGN_IN[markup]
    with guard.logging_in():
        page.get_by_role("button", name=button).click()
        page.get_by_role("link", name=logged_in).wait_for()


def test_the_guard_lets_the_login_post_through_and_stops_a_save(
    own_page: Page, lec: ServedApp, markup: str
) -> None:
    page = own_page  # the test's own Playwright: the CLI's tests may run after it
    page.set_default_timeout(10_000)
    guard = RequestGuard(COMMANDS)
    guard.install(page.context)
    _log_in(page, lec, guard, markup)
    if markup == "framework":
        page.goto(f"{lec.url}{ENTITY}")
        # The add button posts cmd=goCreate: a read, let through, and the blank form opens.
        page.get_by_role("button", name="เพิ่มข้อมูล").click()
        page.get_by_role("button", name="บันทึก").wait_for()
    else:
        page.goto(f"{lec.url}/student/form.do")
    before = mock_state(lec)
    # What no probe step does, and the guard must stop all the same: the form sent as it is
    # (on the framework's page with its hidden cmd still empty: no command is no read).
    with page.expect_event("requestfailed") as failed:
        page.evaluate("document.querySelector('form[method=post]').submit()")
    assert failed.value.method == "POST"
    after = mock_state(lec)
    assert guard.let_through == ["POST /login.do cmd=doLogin"]
    if markup == "framework":
        assert guard.reads == [f"POST {ENTITY} cmd=goCreate"]
        assert guard.stopped == [f"POST {ENTITY} cmd="]
    else:
        assert guard.reads == [] and guard.stopped == ["POST /student/save.do"]
    assert _portal(after) == _portal(before)  # the stopped post never reached the mock
    assert _stored(after) == _stored(before)


@pytest.mark.parametrize("markup", ["framework"])
def test_the_framework_commands_that_store_are_stopped_whatever_their_name(
    own_page: Page, lec: ServedApp, markup: str
) -> None:
    """doCreate and doUpdate are no commands of the framework (the mock shows a list for an
    unknown one, as a portal might do anything): the guard stops what it does not know."""
    page = own_page
    page.set_default_timeout(10_000)
    guard = RequestGuard(COMMANDS)
    guard.install(page.context)
    _log_in(page, lec, guard, markup)
    before = mock_state(lec)
    commands = ("doCreate", "doUpdate", "doDelete", "doSave", "doConfirm")
    for command in commands:
        # A stopped navigation leaves Chromium's error page: the form is opened each time.
        page.goto(f"{lec.url}{ENTITY}")
        page.get_by_role("button", name="เพิ่มข้อมูล").click()
        page.get_by_role("button", name="บันทึก").wait_for()
        with page.expect_event("requestfailed"):
            page.evaluate(
                "c => { const f = document.forms[0]; f.elements['cmd'].value = c; f.submit(); }",
                command,
            )
        page.wait_for_url(lambda url: url.startswith("chrome-error:"))
    # Struts reads a command from the query too: a GET naming one that is not a read.
    with pytest.raises(PlaywrightError):
        page.goto(f"{lec.url}{ENTITY}?cmd=doDelete&data_index=0")
    after = mock_state(lec)
    assert guard.stopped == [f"POST {ENTITY} cmd={c}" for c in commands] + [
        f"GET {ENTITY} cmd=doDelete"
    ]
    # None of them reached the portal: only the list's GETs and the blank forms' goCreate did.
    reached = {k: n - before["requests"].get(k, 0) for k, n in after["requests"].items()}
    assert reached[f"POST {ENTITY}"] == len(commands)
    assert guard.reads == [f"POST {ENTITY} cmd=goCreate"] * len(commands)
    assert _stored(after) == _stored(before)


# The framework's ways of sending a command, as the vendor's list and form pages write them
# (docs/lec-portal-facts.md), and one button of each kind the walk must not press.
BUTTONS = """
<form name="mainForm" method="post" action="/student/student.do">
  <input type="hidden" name="cmd" value="">
  <button type="button" id="add" onclick="doCmd('goCreate')">เพิ่มข้อมูล</button>
  <button type="button" id="search" onclick="doGoto(0)">ค้นหา</button>
  <a id="edit" title="แก้ไข" href="javascript:doCmd('goUpdate', 0)"><i></i></a>
  <a id="delete" title="ลบข้อมูล" href="javascript:doCmd('doDelete', 0)"><i></i></a>
  <button type="button" id="enable"
          onclick="if(confirm('ยืนยันการเปิดการใช้งาน')) doCmd('goUpdate')">เปิด</button>
  <input type="button" id="node" value=" ตกลง " onclick="doCmd('doSetNode')">
  <a id="next" href="javascript:doGoto(20)"><img alt=""></a>
  <a id="twice" href="javascript:doCmd('doDelete', 1)" onclick="doCmd('list')">รายการ</a>
  <button type="button" id="silent">แสดง</button>
</form>
"""


@pytest.mark.parametrize(
    ("element", "sends"),
    [
        ("add", "cmd=goCreate"),
        ("search", "cmd=list"),
        ("edit", "cmd=goUpdate"),
        ("next", "cmd=list"),
    ],
)
def test_a_button_whose_one_call_reads_is_pressed(own_page: Page, element: str, sends: str) -> None:
    own_page.set_content(BUTTONS)
    press = press_is_safe(own_page, Click(locator=Locator(css=f"#{element}")), Bindings(), COMMANDS)
    assert press.safe and press.sends == sends


@pytest.mark.parametrize("element", ["delete", "enable", "node", "twice", "silent"])
def test_a_button_that_may_store_or_does_what_no_one_can_tell_is_not(
    own_page: Page, element: str
) -> None:
    own_page.set_content(BUTTONS)
    press = press_is_safe(own_page, Click(locator=Locator(css=f"#{element}")), Bindings(), COMMANDS)
    assert not press.safe and press.sends == "" and press.why[1], press
