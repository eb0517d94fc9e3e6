"""The `popup` step in a real Chromium: a SweetAlert-style box or a native dialog is read, judged
and answered; an error fails the record in the portal's words; a text the flow did not expect
is never accepted blindly. First on pages of our own, then on the mock LEC's framework markup."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from bot.engine.actions import ActionEnv, StepState, perform
from bot.errors import PortalRejected, StepFailed
from bot.flow.binding import Bindings
from bot.flow.loader import load_flow
from bot.flow.model import Popup
from mock_portals.lec.app import create_app
from mock_portals.lec.seed import ROUND_OPENS
from mock_portals.serve import ServedApp, serve_in_thread
from tests.mock.helpers import student

pytestmark = pytest.mark.e2e
SAVED = "บันทึกข้อมูลเรียบร้อย"
DUPLICATE = "ไม่สามารถบันทึกข้อมูลได้"
SAVE_POPUP = Popup(expect=(SAVED,), press="ตกลง", errors=(DUPLICATE, "กรุณากรอกข้อมูล"), line=12)


def _box(title: str, text: str = "", shown: bool = True, box_id: str = "swal") -> str:
    """A SweetAlert-like box whose ตกลง hides it and counts the press in window.pressed."""
    style = "" if shown else ' style="display:none"'
    return (
        f'<div id="{box_id}" class="swal2-popup" role="dialog"{style}>'
        f'<h2 class="swal2-title">{title}</h2><div class="swal2-html-container">{text}</div>'
        f'<button onclick="window.pressed=(window.pressed||0)+1;'
        f"document.getElementById('{box_id}').style.display='none'\">ตกลง</button></div>"
    )


def _answer(page: Page, tmp_path: Path, step: Popup = SAVE_POPUP, timeout: int = 5000) -> None:
    env = ActionEnv(Bindings(), tmp_path, allow_irreversible=False, timeout_ms=timeout)
    perform(page, step, env, StepState())


def _pressed(page: Page) -> int:
    return int(page.evaluate("window.pressed || 0"))


def test_the_expected_message_is_pressed_away(own_page: Page, tmp_path: Path) -> None:
    # The framework keeps a hidden logout question in every page: only a shown box counts.
    own_page.set_content(_box("ต้องการการออกจากระบบ ?", shown=False, box_id="ask") + _box(SAVED))
    _answer(own_page, tmp_path)
    assert _pressed(own_page) == 1
    expect(own_page.locator("#swal")).to_be_hidden()


def test_a_box_that_opens_later_is_waited_for(own_page: Page, tmp_path: Path) -> None:
    own_page.set_content(
        _box(SAVED, shown=False)
        + "<script>setTimeout(() => document.getElementById('swal').style.display='', 400)"
        "</script>"
    )
    _answer(own_page, tmp_path)
    assert _pressed(own_page) == 1


def test_an_error_fails_the_record_in_the_portals_words(own_page: Page, tmp_path: Path) -> None:
    own_page.set_content(_box("", f"{DUPLICATE}เนื่องจากข้อมูลซ้ำซ้อน"))
    with pytest.raises(PortalRejected) as refused:
        _answer(own_page, tmp_path)
    assert str(refused.value) == f"{DUPLICATE}เนื่องจากข้อมูลซ้ำซ้อน"
    assert _pressed(own_page) == 0  # nothing is pressed on an error


def test_a_message_not_expected_is_not_accepted(own_page: Page, tmp_path: Path) -> None:
    own_page.set_content(_box("ต้องการลบข้อมูลทั้งหมด ?"))
    with pytest.raises(PortalRejected) as refused:
        _answer(own_page, tmp_path)
    reason = str(refused.value)
    assert "ต้องการลบข้อมูลทั้งหมด ?" in reason and "line 12" in reason
    assert "expect:" in reason  # says the fix
    assert _pressed(own_page) == 0


def test_a_box_without_the_button_is_told(own_page: Page, tmp_path: Path) -> None:
    own_page.set_content(_box(SAVED))
    with pytest.raises(StepFailed, match=r"no button “Close”.*ตกลง"):
        _answer(own_page, tmp_path, Popup(expect=(SAVED,), press="Close", line=3))


def test_no_popup_at_all_fails_the_step(own_page: Page, tmp_path: Path) -> None:
    own_page.set_content("<p>nothing to say</p>")
    with pytest.raises(StepFailed, match=f"no popup appeared within 600 ms.*{SAVED}"):
        _answer(own_page, tmp_path, timeout=600)


def test_a_native_alert_is_read_and_accepted(own_page: Page, tmp_path: Path) -> None:
    own_page.set_content(
        f"<script>setTimeout(() => {{ alert('{SAVED}'); window.pressed = 1 }}, 300)</script>"
    )
    _answer(own_page, tmp_path)
    expect(own_page.locator("body")).to_be_attached()
    own_page.wait_for_function("window.pressed === 1")  # the page went on after the alert


def test_a_native_question_not_expected_is_dismissed(own_page: Page, tmp_path: Path) -> None:
    own_page.set_content(
        "<script>setTimeout(() => { window.answer = confirm('ลบข้อมูลทั้งหมด?') }, 300)</script>"
    )
    with pytest.raises(PortalRejected, match="ลบข้อมูลทั้งหมด"):
        _answer(own_page, tmp_path)
    own_page.wait_for_function("window.answer === false")  # answered no


@pytest.fixture
def framework_lec(tmp_path: Path) -> Iterator[ServedApp]:
    app = create_app(tmp_path / "lec", seed=False, round_opens=ROUND_OPENS, markup="framework")
    app.state.portal.today = lambda: ROUND_OPENS  # inside the round whatever the calendar says
    with serve_in_thread(app) as served:
        yield served


def _save_new_child(page: Page, values: dict[str, str]) -> None:
    page.get_by_role("link", name="ข้อมูลนักเรียน").first.click()
    page.get_by_role("button", name="เพิ่มข้อมูล").click()
    for key, value in values.items():
        first, *rest = key.split("_")
        field = page.locator(f"[name='formData.{first}{''.join(p.title() for p in rest)}']")
        if key in ("prefix", "gender", "religion", "grade"):
            field.select_option(label=value)
        else:
            field.fill(value)
    page.get_by_role("button", name="บันทึก").click()


def _step_from_yaml(tmp_path: Path) -> Popup:
    """The popup step as a flow writes it, through the loader."""
    flow = tmp_path / "save.yaml"
    flow.write_text(
        "name: save\nportal: lec\nsteps:\n"
        "  - popup: {expect: บันทึกข้อมูลเรียบร้อย, press: ตกลง,"
        " errors: [ไม่สามารถบันทึกข้อมูลได้, กรุณากรอกข้อมูล]}\n",
        encoding="utf-8",
    )
    [step] = load_flow(flow).steps
    assert isinstance(step, Popup)
    return step


def test_the_framework_mock_save_and_duplicate_popups(
    own_page: Page, framework_lec: ServedApp, tmp_path: Path
) -> None:
    step = _step_from_yaml(tmp_path)
    own_page.goto(f"{framework_lec.url}/index.jsp")
    own_page.get_by_placeholder("Username").fill("school")
    own_page.get_by_placeholder("Password").fill("demo")
    own_page.get_by_role("button", name="Sign in").click()
    child = student()

    _save_new_child(own_page, child)
    _answer(own_page, tmp_path, step)  # บันทึกข้อมูลเรียบร้อย, ตกลง pressed
    expect(own_page.get_by_role("dialog", name=SAVED)).to_be_hidden()
    expect(own_page.get_by_text("1 ถึง 1 จากทั้งหมด 1")).to_be_visible()  # the list, usable

    _save_new_child(own_page, child)  # the same ID again: 00501
    with pytest.raises(PortalRejected) as refused:
        _answer(own_page, tmp_path, step)
    assert "ข้อมูลซ้ำซ้อน" in str(refused.value)
    rows = own_page.request.get(f"{framework_lec.url}/_mock/state").json()["students"]
    assert len(rows) == 1  # nothing doubled
