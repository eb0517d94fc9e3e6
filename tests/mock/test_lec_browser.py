"""The mock LEC in a real Chromium: every contract label is found with get_by_label(exact=True)."""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Dialog, Page, expect, sync_playwright

from mock_portals.lec.app import create_app
from mock_portals.serve import serve_in_thread
from tests.mock.helpers import MUNICIPAL_SCHOOL, OBEC_SCHOOL, student
from tests.mock.test_lec_fields import contract_rows

pytestmark = pytest.mark.e2e
CHROMIUM = next(
    (p for p in map(shutil.which, ("chromium", "chromium-browser", "google-chrome")) if p), None
)


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    if CHROMIUM is None:
        pytest.skip("no system Chromium or Chrome on PATH")
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM)
        yield launched
        launched.close()


def _login(page: Page, url: str, username: str) -> None:
    page.goto(f"{url}/index.jsp")
    page.get_by_label("ชื่อผู้ใช้", exact=True).fill(username)
    page.get_by_label("รหัสผ่าน", exact=True).fill("demo")
    page.get_by_role("button", name="เข้าสู่ระบบ").click()


def test_enter_a_student_by_labels(browser: Browser, tmp_path: Path) -> None:
    values = student(father_first_name="สมชาย", cur_postcode="40000")
    labels = {key: label for key, label, _, _ in contract_rows()}
    with serve_in_thread(create_app(tmp_path, seed=False)) as served:
        page = browser.new_page()
        _login(page, served.url, "school")
        page.get_by_role("link", name="ฐานข้อมูลนักเรียน/เด็กเล็ก").click()
        page.get_by_label("ค้นหาเลขประจำตัวประชาชน", exact=True).fill(values["national_id"])
        page.get_by_role("button", name="ค้นหา").click()
        expect(page.get_by_text("ไม่พบข้อมูล")).to_be_visible()
        page.get_by_role("link", name="เพิ่มข้อมูลนักเรียน/เด็กเล็ก").click()
        for key in labels:
            field = page.get_by_label(labels[key], exact=True)
            if key in ("prefix", "gender", "religion", "grade"):
                field.select_option(label=values[key])
            else:
                field.fill(values.get(key, ""))
        page.get_by_role("button", name="บันทึก").click()
        expect(page.get_by_role("status")).to_have_text("บันทึกข้อมูลเรียบร้อย")
        page.get_by_role("link", name="แก้ไข").click()
        expect(page.get_by_label("วันเดือนปีเกิด", exact=True)).to_have_value("05/03/2562")
        expect(page.get_by_label("ระดับชั้น", exact=True)).to_have_value(values["grade"])
        page.get_by_label("วันเดือนปีเกิด", exact=True).fill("2019-03-05")
        page.get_by_role("button", name="บันทึก").click()
        expect(page.get_by_role("alert")).to_contain_text("รูปแบบวันที่ไม่ถูกต้อง")
        state = page.request.get(f"{served.url}/_mock/state").json()
        [row] = state["students"]
        assert row["school_code"] == MUNICIPAL_SCHOOL and row["birth_date"] == "05/03/2562"
        assert row["father_first_name"] == "สมชาย"


def test_org_picker_in_the_browser(browser: Browser, tmp_path: Path) -> None:
    with serve_in_thread(create_app(tmp_path, seed=False)) as served:
        page = browser.new_page()
        _login(page, served.url, "lgo")
        expect(page).to_have_title("เลือกสังกัดในการใช้ระบบ")
        page.get_by_label("สังกัด", exact=True).select_option(OBEC_SCHOOL)
        page.get_by_role("button", name="ตกลง").click()
        expect(page.get_by_role("heading", name="โรงเรียนบ้านหนองไผ่ (สพฐ.)")).to_be_visible()
        page.get_by_role("link", name="ออกจากระบบ").click()
        expect(page.get_by_label("ชื่อผู้ใช้", exact=True)).to_be_visible()


def test_confirm_dialog_then_status(browser: Browser, tmp_path: Path) -> None:
    dialogs: list[str] = []

    def answer(accept: bool) -> Callable[[Dialog], None]:
        def handle(dialog: Dialog) -> None:
            dialogs.append(dialog.message)
            if accept:
                dialog.accept()
            else:
                dialog.dismiss()

        return handle

    with serve_in_thread(create_app(tmp_path, seed=False)) as served:
        page = browser.new_page()
        _login(page, served.url, "school")
        status = page.get_by_test_id("confirm-status")
        expect(status).to_contain_text("สถานะ: ยังไม่ยืนยันข้อมูล")
        page.once("dialog", answer(accept=False))
        page.get_by_role("button", name="ยืนยันข้อมูล").click()
        expect(status).to_contain_text("สถานะ: ยังไม่ยืนยันข้อมูล")  # dismissed: nothing sent
        page.once("dialog", answer(accept=True))
        page.get_by_role("button", name="ยืนยันข้อมูล").click()
        expect(status).to_contain_text("สถานะ: ยืนยันข้อมูลแล้ว")
        expect(page.get_by_role("button", name="ยืนยันข้อมูล")).to_have_count(0)
        assert dialogs == ["ยืนยันข้อมูลของสถานศึกษา? เมื่อยืนยันแล้วจะแก้ไขข้อมูลไม่ได้"] * 2
        state = page.request.get(f"{served.url}/_mock/state").json()
        school = next(s for s in state["schools"] if s["code"] == MUNICIPAL_SCHOOL)
        assert school["confirmed"] is True
        page.get_by_role("link", name="ฐานข้อมูลนักเรียน/เด็กเล็ก").click()
        expect(page.get_by_test_id("locked")).to_have_text("สถานศึกษายืนยันข้อมูลแล้ว ไม่สามารถแก้ไขได้")
