"""Sanitising a page in the browser: the words a flow uses stay, a child's data takes its shape."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page

from bot.probe.sanitise import MASK_ATTRIBUTE, UNMARK_JS, sanitised

pytestmark = pytest.mark.e2e

PAGE = """<!DOCTYPE html><html><head><title>แก้ไขข้อมูลของ มะลิ</title></head><body>
<h2>แก้ไขข้อมูลของ มะลิ</h2>
<table>
  <tr><td>ชื่อ :</td><td><input name="fname" value="ก้องภพ"></td></tr>
  <tr><td>วันเกิด</td><td>14/02/2560</td><td>เบอร์โทร</td><td>081-234-5678</td></tr>
</table>
<table>
  <tr><th>ชื่อ-นามสกุล</th><th>ระดับชั้น</th><th>จัดการ</th></tr>
  <tr><td><a href="/e?id=1">ด.ช.สมชาย ใจดี</a></td><td>ป.2</td>
      <td><a href="/e?id=1">แก้ไข</a></td></tr>
  <tr><td colspan="3">ไม่พบข้อมูลเพิ่มเติม</td></tr>
</table>
<label for="g">ระดับชั้น</label>
<select id="g" name="grade"><option>ป.1</option><option selected>ป.2</option></select>
<input type="password" name="pw" value="secret-pass">
<input type="hidden" name="urlToken" value="abc123">
<button>บันทึก</button>
<!-- พนักงาน: สมศรี -->
</body></html>"""


def test_a_page_keeps_its_words_and_shapes_its_data(own_page: Page) -> None:
    page = own_page  # the test's own Playwright: the CLI's tests may run after it
    page.set_content(PAGE)
    result = sanitised(page, known=["มะลิ"])
    html = str(result["html"])
    kept_words = (
        "ชื่อ :", "วันเกิด", "เบอร์โทร", "ชื่อ-นามสกุล", ">แก้ไข</a>", "ไม่พบข้อมูลเพิ่มเติม",
        ">ระดับชั้น</label>", "<option>ป.1</option>", ">บันทึก</button>", 'name="fname"',
    )  # fmt: skip
    for kept in kept_words:
        assert kept in html, kept
    for gone in ("ก้องภพ", "14/02/2560", "081-234-5678", "สมชาย", "ใจดี", "มะลิ", "selected",
                 "secret-pass", "abc123", "สมศรี"):  # fmt: skip
        assert gone not in html, gone
    assert 'value="xxxxxx"' in html and "99/99/9999" in html and "999-999-9999" in html
    assert ">x.x.xxxxx xxxx</a>" in html  # the name link: its column names people
    # The live page is only marked for the screenshot's mask, and unmarked after.
    assert page.locator(f"[{MASK_ATTRIBUTE}]").count() == result["marked"] > 0
    page.evaluate(UNMARK_JS)
    assert page.locator(f"[{MASK_ATTRIBUTE}]").count() == 0
    assert page.locator("input[name=fname]").input_value() == "ก้องภพ"  # the page itself unchanged
