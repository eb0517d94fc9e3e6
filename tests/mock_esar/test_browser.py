"""The mock's pages in a real browser: labels, the file input and the confirm() dialogs."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Browser, Dialog, Page, expect, sync_playwright

from mock_portals.esar import create_app
from mock_portals.serve import ServedApp, serve_in_thread
from tests.mock_esar.conftest import YEARS, pdf_bytes

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


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context()
    yield context.new_page()
    context.close()


@pytest.fixture
def esar(tmp_path: Path) -> Iterator[ServedApp]:
    with serve_in_thread(create_app(tmp_path / "state", academic_years=YEARS)) as served:
        yield served


def _submissions(esar: ServedApp) -> list[dict[str, object]]:
    found: list[dict[str, object]] = httpx.get(f"{esar.url}/_mock/state").json()["submissions"]
    return found


def test_upload_then_confirm_dialog_guards_the_submission(
    page: Page, esar: ServedApp, tmp_path: Path
) -> None:
    pdf = tmp_path / "sar-2567.pdf"
    pdf.write_bytes(pdf_bytes())
    page.goto(esar.url)
    page.get_by_label("ชื่อผู้ใช้ (รหัสสถานศึกษา)", exact=True).fill("qa")
    page.get_by_label("รหัสผ่าน", exact=True).fill("demo")
    page.get_by_role("button", name="เข้าสู่ระบบ").click()
    page.get_by_label("สถานศึกษา", exact=True).select_option("3040010002")
    page.get_by_label("ปีการศึกษา", exact=True).select_option("2567")
    page.get_by_label("ระดับการศึกษา", exact=True).select_option("ขั้นพื้นฐาน")
    page.get_by_label("ไฟล์รายงาน SAR (PDF)", exact=True).set_input_files(pdf)
    page.get_by_role("button", name="อัปโหลด").click()
    expect(page.get_by_role("status")).to_contain_text("อัปโหลดไฟล์เรียบร้อยแล้ว")

    messages: list[str] = []

    def dismiss(dialog: Dialog) -> None:
        messages.append(dialog.message)
        dialog.dismiss()

    page.once("dialog", dismiss)
    page.get_by_role("button", name="ยืนยันการส่ง").click()
    expect(page.get_by_role("button", name="ยืนยันการส่ง")).to_be_visible()
    assert messages == ["ยืนยันการส่งรายงาน SAR ของ โรงเรียนเทศบาลบ้านเป็ด ปีการศึกษา 2567 ระดับขั้นพื้นฐาน?"]
    assert _submissions(esar)[0]["status"] == "draft"

    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="ยืนยันการส่ง").click()
    row = page.get_by_test_id("status-3040010002-2567-ขั้นพื้นฐาน")
    expect(row).to_contain_text("ส่งแล้ว")
    expect(row).to_contain_text("sar-2567.pdf")
    assert _submissions(esar)[0]["status"] == "submitted"

    page.once("dialog", lambda dialog: dialog.accept())
    row.get_by_role("button", name="ขอแก้ไขไฟล์").click()
    expect(page.get_by_role("status")).to_contain_text("เปิดให้แก้ไขไฟล์แล้ว")
    expect(page.get_by_label("ระดับการศึกษา", exact=True)).to_have_value("ขั้นพื้นฐาน")
