"""Recorded actions → flow text: bindings, locators, irreversible presses, the loop."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from bot.engine.pipeline import record_fields
from bot.flow.checks import check_flow
from bot.flow.loader import load_flow
from bot.flow.model import Click, FillForm, ForEach
from bot.record.catalogue import (
    dialog_words,
    is_irreversible,
    is_username,
    looks_personal,
    meaning,
)
from bot.record.events import (
    Clicked,
    ExpectMarked,
    FieldChanged,
    Goto,
    Recorded,
    parse,
    relative,
)
from bot.record.writer import TODO_VERIFY, unbound_labels, write_flow

BASE = "https://lec.example.go.th"


def _load(tmp_path: Path, text: str) -> object:
    path = tmp_path / "recorded.yaml"
    path.write_text(text, encoding="utf-8")
    flow = load_flow(path)
    assert check_flow(flow, record_fields(flow)) == []
    return flow


@pytest.mark.parametrize(
    ("name", "irreversible"),
    [
        ("ยืนยันข้อมูล", True),
        ("ยกเลิกการยืนยัน", True),  # Thai writes words together
        ("บันทึกและส่ง", True),
        ("ส่งรายงาน", True),
        ("ลบ", True),
        ("Delete row", True),
        ("Submit", True),
        ("บันทึก", False),
        ("กรมส่งเสริมการปกครองท้องถิ่น", False),
        ("ส่งออก Excel", False),
        ("กลับหน้าหลัก", False),
        ("Sender list", False),
    ],
)
def test_irreversible_words(name: str, irreversible: bool) -> None:
    assert is_irreversible(name) is irreversible


def test_labels_match_the_catalogue_of_their_portal_only() -> None:
    found = meaning(" ชื่อ: ", "lec")
    assert found is not None and found.key == "first_name"
    assert meaning("ส่วนสูง (ซม.) *", "lec") is not None
    level = meaning("ระดับการศึกษา", "esar")
    assert level is not None and level.key == "level"
    assert meaning("ระดับการศึกษา", "lec") is None
    assert meaning("ค้นหาเลขประจำตัวประชาชน", "lec") is None


def test_addresses_lose_tokens_and_become_relative() -> None:
    assert relative(f"{BASE}/student/form.do?urlToken=abc&school=1", BASE) == (
        "student/form.do?school=1"
    )
    assert relative(f"{BASE}/home.do;jsessionid=XYZ", BASE) == "home.do"
    assert relative("https://elsewhere.example/x", BASE) == "https://elsewhere.example/x"
    # A GET search carries what was typed: the address keeps only the place.
    searched = f"{BASE}/student/list.do?q=1103700012345&page=2&school=3040010002"
    assert relative(searched, BASE) == "student/list.do?page=2&school=3040010002"
    assert relative(f"{BASE}/list.do?x=1103700012345&name=a", BASE) == "list.do"
    assert relative(f"{BASE}/list.do?filter=%E0%B8%AA%E0%B8%A1", BASE) == "list.do"


def test_a_report_keeps_only_the_keys_it_knows() -> None:
    event = parse(
        {"kind": "field", "page": f"{BASE}/f.do", "control": "text", "by": "label",
         "name": "ชื่อ", "value": "สมชาย"},
        BASE,
    )  # fmt: skip
    assert event == FieldChanged("f.do", "text", "label", "ชื่อ")
    assert "สมชาย" not in repr(event)


def test_dialog_words_stop_before_a_long_number() -> None:
    assert dialog_words("ลบข้อมูลของ 1234567890123 ใช่หรือไม่\nบรรทัดสอง") == "ลบข้อมูล"
    assert dialog_words("ยืนยันข้อมูลของสถานศึกษา?") == "ยืนยันข้อมูลของสถานศึกษา?"
    # Whose record it is (a school's name after ของ) is one record's words, not the flow's.
    asked = "ยืนยันการส่งรายงาน SAR ของ โรงเรียนเทศบาลบ้านเป็ด ปีการศึกษา 2568 ระดับปฐมวัย?"
    assert dialog_words(asked) == "ยืนยันการส่งรายงาน SAR"
    assert dialog_words("ยกเลิกการยืนยันข้อมูลของ โรงเรียนเทศบาลบ้านเป็ด?") == "ยกเลิกการยืนยันข้อมูล"


def test_an_irreversible_press_without_a_marked_text_gets_a_verify_to_complete(
    tmp_path: Path,
) -> None:
    steps: list[Recorded] = [
        Goto("school/home.do"),
        Clicked("school/home.do", "role", "button", "ยืนยันข้อมูล", dialog="ยืนยันข้อมูล?"),
    ]
    written = write_flow("confirm", "lec", steps)
    assert written.todo == ("verify of “ยืนยันข้อมูล”",)
    flow = _load(tmp_path, written.text)
    click = flow.steps[1]  # type: ignore[attr-defined]
    assert isinstance(click, Click) and click.irreversible
    assert click.expected_dialog == "ยืนยันข้อมูล?"
    assert click.verify is not None and click.verify.visible.text == TODO_VERIFY
    assert "# ย้อนกลับไม่ได้" in written.text


def test_fields_outside_the_catalogue_are_asked_for_or_left_as_vars(tmp_path: Path) -> None:
    steps: list[Recorded] = [
        Goto("search.do"),
        FieldChanged("search.do", "text", "placeholder", "ค้นหาเลขประจำตัวประชาชน"),
        FieldChanged("search.do", "select", "label", "ภาคเรียน", option="2"),
        FieldChanged("search.do", "text", "css", "#q2", why="unnamed"),
        Clicked("search.do", "css", None, "#go", why="unnamed"),
    ]
    assert unbound_labels(steps, "lec") == ["ค้นหาเลขประจำตัวประชาชน", "#q2"]
    written = write_flow("search", "lec", steps, {"#q2": "record.national_id"})
    flow = yaml.safe_load(written.text)
    assert flow["vars"] == ["field_1"]
    assert flow["input"] == {"records": "student", "key": "national_id"}
    assert written.unbound == ("ค้นหาเลขประจำตัวประชาชน",)
    # The field and the button, each flagged in Thai and in English.
    assert written.text.count("# CSS: ไม่มีข้อความ") == 2
    assert written.text.count("# CSS: nothing visible") == 2
    # The page the first record field is on opens each record: here, the whole recording.
    [loop] = flow["steps"]
    assert loop["steps"][0] == {"goto": "search.do"}
    assert {"select": {"label": "ภาคเรียน", "option": "2"}} in loop["steps"]
    assert {"fill": {"css": "#q2", "value": "${record.national_id}"}} in loop["steps"]
    path = tmp_path / "search.yaml"
    path.write_text(written.text, encoding="utf-8")
    assert load_flow(path).vars == ("field_1",)


def test_the_form_becomes_one_fill_form_inside_the_loop(tmp_path: Path) -> None:
    steps: list[Recorded] = [
        Goto("index.jsp"),
        FieldChanged("index.jsp", "text", "label", "ชื่อผู้ใช้"),
        FieldChanged("index.jsp", "password", "label", "รหัสผ่าน"),
        Clicked("index.jsp", "role", "button", "เข้าสู่ระบบ"),
        Clicked("list.do", "role", "link", "เพิ่ม"),
        FieldChanged("form.do", "text", "label", "ชื่อ"),
        FieldChanged("form.do", "select", "label", "ระดับชั้น"),
        FieldChanged("form.do", "text", "label", "ชื่อ"),  # back to it: counted once
        Clicked("form.do", "role", "button", "บันทึก"),
        ExpectMarked("list.do", "บันทึกข้อมูลเรียบร้อย"),
        Clicked("list.do", "role", "link", "ออกจากระบบ"),
    ]
    flow = _load(tmp_path, write_flow("add", "lec", steps).text)
    kinds = [type(s).__name__ for s in flow.steps]  # type: ignore[attr-defined]
    assert kinds == ["Goto", "Fill", "Fill", "Click", "ForEach", "Click"]
    loop = flow.steps[4]  # type: ignore[attr-defined]
    assert isinstance(loop, ForEach)
    assert [type(s).__name__ for s in loop.steps] == [
        "Goto",
        "Click",
        "FillForm",
        "Click",
        "Expect",
    ]
    form = loop.steps[2]
    assert isinstance(form, FillForm)
    assert form.fields == {"ชื่อ": "${record.first_name}", "ระดับชั้น": "${record.grade}"}


@pytest.mark.parametrize(
    ("text", "personal"),
    [
        ("บันทึกข้อมูลเรียบร้อย", False),
        ("ทั้งหมด 25 รายการ", False),
        ("ปีการศึกษา 2568", False),
        ("1 1037 00123 45 6", True),
        ("โทร 081-234-5678", True),
    ],
)
def test_a_marked_text_with_a_long_number_is_not_kept(text: str, personal: bool) -> None:
    assert looks_personal(text) is personal


def test_a_message_box_press_is_a_popup_step(tmp_path: Path) -> None:
    steps: list[Recorded] = [
        Clicked("form.do", "role", "button", "บันทึก"),
        Clicked("form.do", "role", "button", "ตกลง", popup="บันทึกข้อมูลเรียบร้อย"),
    ]
    written = yaml.safe_load(write_flow("save", "lec", steps).text)["steps"]
    assert written[1] == {"popup": {"expect": "บันทึกข้อมูลเรียบร้อย", "press": "ตกลง"}}


def test_a_message_box_that_says_confirmed_closes_and_the_state_marked_after_is_the_verify(
    tmp_path: Path,
) -> None:
    steps: list[Recorded] = [
        Goto("school/home.do"),
        Clicked("school/home.do", "role", "button", "ยืนยันข้อมูล", irreversible=True, dialog="ยืนยัน?"),
        # The framework's answer: a box with one button; its words say ยืนยัน, its ตกลง only
        # closes it (the page did not call it irreversible).
        Clicked("school/home.do", "role", "button", "ตกลง", popup="ยืนยันข้อมูลเรียบร้อย"),
        ExpectMarked("school/home.do", "สถานะ: ยืนยันข้อมูลแล้ว", exact=False),
    ]
    written = write_flow("confirm", "lec", steps)
    assert written.todo == ()
    flow = yaml.safe_load(written.text)["steps"]
    assert flow[1]["click"]["verify"] == {
        "goto": "school/home.do",
        "visible": {"text": "สถานะ: ยืนยันข้อมูลแล้ว", "exact": False},
    }
    assert flow[2] == {"popup": {"expect": "ยืนยันข้อมูลเรียบร้อย", "press": "ตกลง"}}
    _load(tmp_path, written.text)


def test_the_yes_of_a_box_that_asks_is_irreversible(tmp_path: Path) -> None:
    steps: list[Recorded] = [
        Goto("list.do"),
        Clicked("list.do", "role", "link", "ลบข้อมูล", irreversible=True),
        # The page found two buttons in the box (ตกลง / ยกเลิก) and its words say ลบ.
        Clicked("list.do", "role", "button", "ตกลง", popup="ต้องการลบข้อมูล?", irreversible=True),
    ]
    written = write_flow("delete", "lec", steps)
    flow = yaml.safe_load(written.text)["steps"]
    assert flow[2] == {"expect": {"text": "ต้องการลบข้อมูล?", "exact": False}}
    assert flow[3]["click"]["irreversible"] is True
    assert written.todo == ("verify of “ลบข้อมูล”", "verify of “ตกลง”")
    _load(tmp_path, written.text)


@pytest.mark.parametrize("portal", ["lec", "esar"])
def test_a_recording_begun_logged_in_runs_the_login_first_outside_the_loop(
    tmp_path: Path, portal: str
) -> None:
    steps: list[Recorded] = [
        Goto("school/home.do"),
        Clicked("school/home.do", "role", "link", "เพิ่ม"),
        FieldChanged("form.do", "text", "label", "ชื่อ"),
    ]
    text = write_flow("add", portal, steps, login=True).text
    written = yaml.safe_load(text)
    assert written["steps"][0] == {"run": f"{portal}/login"}
    assert "run:" not in text.split(f"run: {portal}/login", 1)[1]  # once, and only first
    flow = _load(tmp_path, text)
    assert type(flow.steps[0]).__name__ == "RunFlow"  # type: ignore[attr-defined]
    assert "run:" not in write_flow("add", portal, steps).text


@pytest.mark.parametrize(
    ("label", "username"),
    [
        ("ชื่อผู้ใช้", True),
        ("Username", True),
        ("ชื่อผู้ใช้ (รหัสสถานศึกษา)", True),  # e-SAR's login: what to type, in brackets
        ("ชื่อผู้ใช้งาน:", True),
        ("ชื่อ", False),
        ("รหัสสถานศึกษา", False),
    ],
)
def test_a_login_name_field_is_told_by_its_words(label: str, username: bool) -> None:
    assert is_username(label) is username
