"""The recorder names what the person touched as the engine finds it, in the engine's order,
and falls back to CSS (flagged) only when no visible words name the element alone."""

from __future__ import annotations

import pytest
from playwright.sync_api import Route

from bot.record.events import Clicked, ExpectMarked, FieldChanged, Goto
from bot.record.session import Recorder
from tests.e2e.record_helpers import FakePrompt, recording_context, settled

pytestmark = pytest.mark.e2e
PORTAL = "https://portal.test"

PAGE = """<!doctype html><html><body><form onsubmit="return false">
<label for="a">เลขประจำตัวประชาชน</label><input id="a">
<label>นามสกุล <input id="b"></label>
<input id="c" aria-label="ห้องเรียน">
<div class="row"><div class="col-sm-2"><label> ชื่อ: </label></div>
  <div class="col-sm-3"><input name="formData.firstName" id="d"></div></div>
<table><tr><td>สังกัดในการใช้ระบบ *</td><td><select id="e"><option value="">--</option>
  <option value="1">เทศบาลตำบลบ้านเป็ด</option></select></td></tr></table>
<input id="f" placeholder="ค้นหา">
<input id="g" title="รหัสไปรษณีย์">
<div><span>หมายเหตุ</span><input id="h1"></div><div><span>หมายเหตุ</span><input id="h2"></div>
<input id="p" type="password" aria-label="รหัสผ่าน">
<button type="button"><i class="icon"></i> บันทึก </button>
<input type="submit" value="ค้นหาข้อมูล">
<a href="#x" title="ลบรายการ"><i style="display:inline-block;width:16px;height:16px"></i></a>
<a href="#y">แก้ไข</a><a href="#z">แก้ไข</a>
<table><tr><td>1</td><td><a href="#r">ด.ช. สมชาย ใจดี</a></td>
  <td><a href="#d">ลบ</a></td></tr></table>
</form></body></html>"""


def test_fields_and_buttons_are_named_as_a_person_sees_them() -> None:
    with recording_context() as context:

        def serve(route: Route) -> None:
            route.fulfill(content_type="text/html; charset=utf-8", body=PAGE)

        context.route(f"{PORTAL}/**", serve)
        recorder = Recorder(
            context, portal="lec", base_url=PORTAL, hold=False, ask=FakePrompt(False)
        )
        page = recorder.page
        recorder.start(f"{PORTAL}/form.do")
        for css in ("#a", "#b", "#c", "#d", "#f", "#g", "#h2", "#p"):
            page.locator(css).fill("สมชาย 1234567890123")
        page.locator("#e").select_option(label="เทศบาลตำบลบ้านเป็ด")
        page.get_by_role("button", name="บันทึก").click()
        page.locator("input[type=submit]").click()
        page.locator("a[title]").click()
        page.locator("a[href='#z']").click()
        page.locator("a[href='#r']").click()
        page.locator("a[href='#d']").click()
        page.evaluate("() => 0")  # every report before this round trip has arrived

    assert recorder.steps[0] == Goto("form.do")
    fields = [(s.by, s.name) for s in recorder.steps if isinstance(s, FieldChanged)]
    assert fields == [
        ("label", "เลขประจำตัวประชาชน"),  # <label for>
        ("label", "นามสกุล"),  # a wrapping label
        ("label", "ห้องเรียน"),  # aria-label
        ("label", "ชื่อ"),  # the vendor framework: the label in the column before
        ("placeholder", "ค้นหา"),
        ("label", "รหัสไปรษณีย์"),  # title
        ("css", "#h2"),  # two fields say หมายเหตุ: no words name it alone
        ("label", "รหัสผ่าน"),
        ("label", "สังกัดในการใช้ระบบ"),  # a table's cell before, the asterisk dropped
    ]
    crowded = next(s for s in recorder.steps if isinstance(s, FieldChanged) and s.by == "css")
    assert "หมายเหตุ (2)" in crowded.why
    select = [s for s in recorder.steps if isinstance(s, FieldChanged) and s.control == "select"]
    assert select[0].option == "เทศบาลตำบลบ้านเป็ด"  # not a data field: its choice is kept
    assert [s.control for s in recorder.steps if isinstance(s, FieldChanged)][7] == "password"
    clicks = [(s.by, s.role, s.name) for s in recorder.steps if isinstance(s, Clicked)]
    assert (
        clicks
        == [
            ("role", "button", "บันทึก"),
            ("role", "button", "ค้นหาข้อมูล"),  # a submit input by its value
            ("role", "link", "ลบรายการ"),  # an icon link by its title
            *clicks[3:],
        ]
    )
    # Two links say แก้ไข: the second is named by CSS (the writer flags it in a comment).
    assert clicks[3][:2] == ("css", "link") and clicks[3][2] != "แก้ไข"
    # A link in a row of data may say a child's name: CSS, its words left in the page; a
    # row's ลบ is still known to be irreversible.
    row_link, row_delete = [s for s in recorder.steps if isinstance(s, Clicked)][4:]
    assert (row_link.by, row_link.why, row_link.irreversible) == ("css", "in a row of data", False)
    assert (row_delete.by, row_delete.irreversible) == ("css", True)
    # Nothing that was typed came out of the page.
    assert "สมชาย" not in repr(recorder.steps) and "1234567890123" not in repr(recorder.steps)


def test_a_data_fields_choice_stays_in_the_page() -> None:
    page_html = (
        '<label for="g">ระดับชั้น</label><select id="g"><option>อนุบาล 1</option>'
        "<option>อนุบาล 2</option></select>"
    )
    with recording_context() as context:
        context.route(
            f"{PORTAL}/**",
            lambda route: route.fulfill(content_type="text/html; charset=utf-8", body=page_html),
        )
        recorder = Recorder(
            context, portal="lec", base_url=PORTAL, hold=False, ask=FakePrompt(False)
        )
        recorder.start(f"{PORTAL}/f.do")
        recorder.page.get_by_label("ระดับชั้น").select_option(label="อนุบาล 2")
        recorder.page.evaluate("() => 0")
    [chosen] = [s for s in recorder.steps if isinstance(s, FieldChanged)]
    assert chosen.name == "ระดับชั้น" and chosen.option is None


PAGES = {
    "a.do": '<a href="/b.do">ต่อไป</a><p>หน้าแรก</p>',
    "b.do": "<p>บันทึกข้อมูลเรียบร้อย</p>",
    "c.do": "<p>หน้าที่พิมพ์ที่อยู่</p>",
}


def test_a_typed_address_is_a_goto_and_the_toolbar_marks_a_selected_text() -> None:
    with recording_context() as context:

        def serve(route: Route) -> None:
            body = PAGES[route.request.url.rsplit("/", 1)[1]]
            route.fulfill(content_type="text/html; charset=utf-8", body=body)

        context.route(f"{PORTAL}/**", serve)
        recorder = Recorder(
            context, portal="lec", base_url=PORTAL, hold=False, ask=FakePrompt(False)
        )
        page = recorder.page
        recorder.start(f"{PORTAL}/a.do")
        page.get_by_role("link", name="ต่อไป").click()  # a page a click led to: no goto
        page.get_by_text("บันทึกข้อมูลเรียบร้อย").wait_for()
        # The edubot bar's button, its last part (a closed shadow root: pressed where seen).
        page.get_by_text("บันทึกข้อมูลเรียบร้อย").evaluate("el => getSelection().selectAllChildren(el)")
        bar = page.locator("edubot-recorder").bounding_box()
        assert bar is not None
        page.mouse.click(bar["x"] + bar["width"] - 40, bar["y"] + bar["height"] / 2)
        page.reload()  # a reload is not a step
        page.goto(f"{PORTAL}/c.do")  # the person typed this address
        settled(page)

    assert recorder.steps == [
        Goto("a.do"),
        Clicked("a.do", "role", "link", "ต่อไป"),
        ExpectMarked("b.do", "บันทึกข้อมูลเรียบร้อย"),
        Goto("c.do"),
    ]
