"""The framework rendering in a real Chromium: placeholders, the node picker, popups, browser-side
checks, row icons, modals, the 401 alert, the .xls download, confirm() before a confirmation,
the buildings and basic data forms, and the LGO's un-confirm work as a person meets them."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Dialog, Page, expect, sync_playwright

from mock_portals.lec.app import create_app
from mock_portals.lec.seed import ROUND_OPENS
from mock_portals.serve import ServedApp, serve_in_thread
from tests.mock.helpers import student, thai_id

pytestmark = pytest.mark.e2e
CHROMIUM = next(
    (p for p in map(shutil.which, ("chromium", "chromium-browser", "google-chrome")) if p), None
)
SELECTS = ("prefix", "gender", "religion", "grade")


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    if CHROMIUM is None:
        pytest.skip("no system Chromium or Chrome on PATH")
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM)
        yield launched
        launched.close()


@pytest.fixture
def served(tmp_path: Path) -> Iterator[ServedApp]:
    app = create_app(tmp_path, seed=False, round_opens=ROUND_OPENS, markup="framework")
    app.state.portal.today = lambda: ROUND_OPENS  # inside the round whatever the calendar says
    with serve_in_thread(app) as running:
        yield running


def _login(page: Page, url: str, username: str, password: str = "demo") -> None:
    page.goto(f"{url}/index.jsp")
    page.get_by_placeholder("Username").fill(username)
    page.get_by_placeholder("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()


def _popup(page: Page) -> None:
    """Close the SweetAlert-style popup with its ตกลง button."""
    dialog = page.get_by_role("dialog")
    dialog.get_by_role("button", name="ตกลง").click()
    expect(dialog).to_be_hidden()


def _posts(page: Page, url: str, path: str) -> int:
    counts: dict[str, int] = page.request.get(f"{url}/_mock/state").json()["requests"]
    return counts.get(f"POST {path}", 0)


def test_login_by_placeholders_and_the_node_picker(browser: Browser, served: ServedApp) -> None:
    page = browser.new_page()
    _login(page, served.url, "school", "wrong")
    expect(page.get_by_role("dialog", name="รหัสผ่านไม่ถูกต้อง", exact=True)).to_be_visible()
    _popup(page)
    _login(page, served.url, "lgo")
    row = page.locator("tr", has_text="สังกัดในการใช้ระบบ")
    row.locator("select").select_option(label="โรงเรียนบ้านหนองไผ่ (สพฐ.) (1040010003)")
    row.get_by_role("button", name="ตกลง").click()
    expect(page).to_have_url(f"{served.url}/school/home.do")
    expect(page.locator(".colorNav")).to_contain_text("โรงเรียนบ้านหนองไผ่ (สพฐ.)")
    page.get_by_role("link", name="Logout").click()
    ask = page.get_by_role("dialog", name="ต้องการการออกจากระบบ ?")
    ask.get_by_role("button", name="ยืนยัน").click()
    expect(page.get_by_placeholder("Username")).to_be_visible()


def test_an_expired_password_shows_its_page(browser: Browser, served: ServedApp) -> None:
    page = browser.new_page()
    _login(page, served.url, "expired")
    expect(page.get_by_role("dialog")).to_contain_text("รหัสผ่านหมดอายุ")
    _popup(page)
    expect(page.locator("input[name=password1]")).to_be_visible()


def test_browser_checks_stop_a_bad_save_before_it_is_sent(
    browser: Browser, served: ServedApp
) -> None:
    page = browser.new_page()
    _login(page, served.url, "school")
    page.get_by_role("link", name="ข้อมูลนักเรียน").first.click()
    page.get_by_role("button", name="เพิ่มข้อมูล").click()
    page.locator("[name='formData.nationalId']").fill(thai_id("910370207100"))
    page.locator("[name='formData.birthDate']").fill("31/02/2562")
    before = _posts(page, served.url, "/student/student.do")
    page.get_by_role("button", name="บันทึก").click()
    for name, text in (
        ("firstName", "กรุณากรอกข้อมูล"),
        ("prefix", "กรุณาเลือก"),
        ("birthDate", "วันที่ไม่ถูกต้อง"),
        ("nationalId", "เลขประจำตัวประชาชนไม่ถูกต้อง"),
    ):
        expect(page.locator(f"[id='formData.{name}_id_0']")).to_have_text(text)
    expect(page.locator("[id='formData.race_id_0']")).to_be_hidden()
    assert _posts(page, served.url, "/student/student.do") == before


def _fill(page: Page, values: dict[str, str]) -> None:
    for key, value in values.items():
        first, *rest = key.split("_")
        field = page.locator(f"[name='formData.{first}{''.join(p.title() for p in rest)}']")
        if key in SELECTS:
            field.select_option(label=value)
        else:
            field.fill(value)


def test_add_edit_and_delete_with_popups_icons_and_confirm(
    browser: Browser, served: ServedApp
) -> None:
    page = browser.new_page()
    _login(page, served.url, "school")
    page.get_by_role("link", name="ข้อมูลนักเรียน").first.click()
    page.get_by_role("button", name="เพิ่มข้อมูล").click()
    _fill(page, student())
    page.get_by_role("button", name="บันทึก").click()
    expect(page.get_by_role("dialog", name="บันทึกข้อมูลเรียบร้อย", exact=True)).to_be_visible()
    _popup(page)
    expect(page.get_by_text("1 ถึง 1 จากทั้งหมด 1")).to_be_visible()
    page.get_by_title("แก้ไข").click()
    page.locator("[name='formData.firstName']").fill("ปิยะนุช")
    page.get_by_role("button", name="บันทึก").click()
    _popup(page)
    [row] = page.request.get(f"{served.url}/_mock/state").json()["students"]
    assert row["first_name"] == "ปิยะนุช"
    asked: list[str] = []

    def accept(dialog: Dialog) -> None:
        asked.append(dialog.message)
        dialog.accept()

    page.on("dialog", accept)
    page.get_by_title("ลบข้อมูล").click()
    expect(page.get_by_role("dialog")).to_contain_text("ลบข้อมูลเรียบร้อย")
    assert asked == ["ยืนยันการลบข้อมูล"]
    assert page.request.get(f"{served.url}/_mock/state").json()["students"] == []


def test_expiry_alerts_then_loads_the_login_page(browser: Browser, served: ServedApp) -> None:
    page = browser.new_page()
    _login(page, served.url, "school")
    page.get_by_role("link", name="ข้อมูลนักเรียน").first.click()
    page.request.post(f"{served.url}/_mock/session-expire")
    alerts: list[str] = []

    def accept(dialog: Dialog) -> None:
        alerts.append(dialog.message)
        dialog.accept()

    page.on("dialog", accept)
    page.get_by_role("button", name="ค้นหา").click()
    expect(page.get_by_placeholder("Username")).to_be_visible()
    assert alerts == ["ไม่ได้ใช้งานเกินเวลา!!! \n กรุณา login ใหม่"]


def test_rpt318_downloads_as_xls(browser: Browser, served: ServedApp) -> None:
    page = browser.new_page()
    _login(page, served.url, "school")
    page.get_by_role("link", name="รายงานรายละเอียดข้อมูลนักเรียน").first.click()
    expect(page.locator(".breadcrumb")).to_have_text("RPT318")
    with page.expect_download() as download:
        page.get_by_role("button", name="ส่งออกไฟล์ Excel").click()
    assert download.value.suggested_filename == "RPT318.xls"


def _answer_confirms(page: Page, *answers: bool) -> list[str]:
    """Answer the page's next JS confirm()s in order (True: OK); the list collects their texts."""
    asked: list[str] = []
    pending = list(answers)

    def answer(dialog: Dialog) -> None:
        asked.append(dialog.message)
        if pending.pop(0):
            dialog.accept()
        else:
            dialog.dismiss()

    page.on("dialog", answer)
    return asked


def test_school_confirms_from_home_after_confirm_then_a_popup(
    browser: Browser, served: ServedApp
) -> None:
    page = browser.new_page()
    _login(page, served.url, "school")
    expect(page.get_by_text("สถานะ: ยังไม่ยืนยันข้อมูล")).to_be_visible()
    asked = _answer_confirms(page, False, True)
    page.get_by_role("button", name="ยืนยันข้อมูล").click()  # declined: nothing is sent
    assert asked == ["ยืนยันข้อมูลของสถานศึกษา? เมื่อยืนยันแล้วจะแก้ไขข้อมูลไม่ได้"]
    assert _posts(page, served.url, "/school/confirm.do") == 0
    page.get_by_role("button", name="ยืนยันข้อมูล").click()
    expect(page.get_by_role("dialog", name="ยืนยันข้อมูลเรียบร้อย", exact=True)).to_be_visible()
    _popup(page)
    expect(page.get_by_text("สถานะ: ยืนยันข้อมูลแล้ว")).to_be_visible()
    expect(page.get_by_role("button", name="ยืนยันข้อมูล")).to_have_count(0)
    assert len(asked) == 2 and _posts(page, served.url, "/school/confirm.do") == 1


def test_buildings_and_basic_data_by_their_framework_forms(
    browser: Browser, served: ServedApp
) -> None:
    page = browser.new_page()
    _login(page, served.url, "cdc")
    page.get_by_role("link", name="ฐานข้อมูลอาคารสถานที่").click()
    page.get_by_role("button", name="เพิ่มข้อมูลอาคาร").click()
    page.get_by_role("button", name="บันทึก").click()  # validateForm stops it in the browser
    expect(page.locator("[id='formData.buildingName_id_0']")).to_have_text("กรุณากรอกข้อมูล")
    expect(page.locator("[id='formData.buildingType_id_0']")).to_have_text("กรุณาเลือก")
    assert _posts(page, served.url, "/building/building.do") == 1  # goCreate only
    page.locator("[name='formData.buildingName']").fill("อาคารเรียนอนุบาล")
    page.locator("[name='formData.buildingType']").select_option(label="อาคารเรียน")
    page.locator("[name='formData.yearBuilt']").fill("2550")
    page.locator("[name='formData.rooms']").fill("3")
    page.locator("[name='formData.condition']").select_option(label="พอใช้")
    page.get_by_role("button", name="บันทึก").click()
    expect(page.get_by_role("dialog", name="บันทึกข้อมูลเรียบร้อย", exact=True)).to_be_visible()
    _popup(page)
    expect(page.get_by_text("1 ถึง 1 จากทั้งหมด 1")).to_be_visible()
    page.get_by_role("link", name="หน้าหลัก").click()
    page.get_by_role("link", name="ข้อมูลพื้นฐานโรงเรียน/ศูนย์เด็กฯ").click()
    page.locator("[name='formData.address']").fill("1 หมู่ 1 ตำบลบ้านเป็ด")
    page.locator("[name='formData.phone']").fill("043000000")
    page.locator("[name='formData.headName']").fill("นางสมศรี ใจดี")
    for name in (
        "teachers",
        "staff",
        *(f"{k}K{n}" for k in ("classrooms", "students") for n in (1, 2, 3)),
    ):
        page.locator(f"[name='formData.{name}']").fill("2")
    page.get_by_role("button", name="บันทึก").click()
    expect(page.get_by_role("dialog", name="บันทึกข้อมูลเรียบร้อย", exact=True)).to_be_visible()
    [building] = page.request.get(f"{served.url}/_mock/state").json()["buildings"]
    assert building["name"] == "อาคารเรียนอนุบาล" and building["condition"] == "พอใช้"
    schools = page.request.get(f"{served.url}/_mock/state").json()["schools"]
    basic = next(s["basic"] for s in schools if s["code"] == "3040010001")
    assert basic["head_name"] == "นางสมศรี ใจดี" and basic["students"]["อนุบาล 3"] == 2


def test_lgo_unconfirms_a_school_after_confirm_then_a_popup(
    browser: Browser, served: ServedApp
) -> None:
    page = browser.new_page()
    _login(page, served.url, "school")
    _answer_confirms(page, True)
    page.get_by_role("button", name="ยืนยันข้อมูล").click()
    _popup(page)
    lgo = browser.new_page()
    _login(lgo, served.url, "lgo")
    row = lgo.locator("tr", has_text="สังกัดในการใช้ระบบ")
    row.locator("select").select_option(label="เทศบาลตำบลบ้านเป็ด (6400101)")
    row.get_by_role("button", name="ตกลง").click()
    school_row = lgo.locator("tr", has_text="โรงเรียนเทศบาลบ้านเป็ด")
    expect(school_row).to_contain_text("ยืนยันข้อมูลแล้ว")
    asked = _answer_confirms(lgo, True)
    school_row.get_by_role("button", name="ยกเลิกการยืนยัน").click()
    expect(lgo.get_by_role("dialog")).to_contain_text("ยกเลิกการยืนยันข้อมูลเรียบร้อย")
    assert asked == ["ยกเลิกการยืนยันข้อมูลของ โรงเรียนเทศบาลบ้านเป็ด?"]
    _popup(lgo)
    expect(lgo.locator("tr", has_text="โรงเรียนเทศบาลบ้านเป็ด")).to_contain_text("ยังไม่ยืนยันข้อมูล")
