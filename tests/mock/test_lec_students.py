"""Student list, add/edit form and server-side validation of the mock LEC."""

from __future__ import annotations

import threading

import pytest
from starlette.testclient import TestClient

from tests.mock.helpers import (
    MUNICIPAL_SCHOOL,
    login,
    save,
    saved,
    state,
    student,
    thai_id,
    token_of,
)


@pytest.fixture
def school(client: TestClient) -> TestClient:
    assert state(client)["students"] == []  # the fixture app has no demo students
    login(client, "school")
    return client


def _ours(client: TestClient, national_id: str) -> list[dict[str, object]]:
    return [s for s in state(client)["students"] if s["national_id"] == national_id]


def test_add_stores_every_field_and_forwards_to_the_list_with_flash(school: TestClient) -> None:
    values = student(father_occupation="รับจ้าง", cur_postcode="40000")
    page = save(school, values)
    # One request: the save renders the list itself (a Struts forward), no redirect to follow.
    assert page.url.path == "/student/save.do" and not page.history
    assert saved(page) and "ฐานข้อมูลนักเรียน/เด็กเล็ก" in page.text
    [row] = _ours(school, values["national_id"])
    assert row["school_code"] == MUNICIPAL_SCHOOL
    assert {k: row[k] for k in values} == values
    assert row["mother_first_name"] == ""
    assert row["created_at"] and row["updated_at"]


def test_edit_prefills_and_updates_in_place(school: TestClient) -> None:
    values = student()
    save(school, values)
    [row] = _ours(school, values["national_id"])
    form = school.get("/student/form.do", params={"id": row["id"]})
    assert f'name="id" value="{row["id"]}"' in form.text
    assert 'value="05/03/2562"' in form.text
    assert '<option value="ประถมศึกษาปีที่ 1" selected>' in form.text
    page = save(school, {**values, "room": "2"}, student_id=int(str(row["id"])))
    assert saved(page)
    [updated] = _ours(school, values["national_id"])
    assert updated["id"] == row["id"] and updated["room"] == "2"


def test_duplicate_id_in_the_same_school_is_refused(school: TestClient) -> None:
    values = student()
    save(school, values)
    page = save(school, {**values, "first_name": "อื่น"})
    assert "เลขประจำตัวประชาชนนี้มีอยู่แล้วในสถานศึกษา" in page.text
    assert len(_ours(school, values["national_id"])) == 1


def test_same_id_in_another_school_is_allowed(school: TestClient, other_client: TestClient) -> None:
    values = student(grade="อนุบาล 2")
    save(school, values)
    login(other_client, "cdc")
    assert saved(save(other_client, values))
    assert len(_ours(school, values["national_id"])) == 2


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"national_id": "1103702071006"}, "เลขประจำตัวประชาชนไม่ถูกต้อง"),
        ({"national_id": "110370207100"}, "เลขประจำตัวประชาชนไม่ถูกต้อง"),
        ({"national_id": "๑๑๐๓๗๐๒๐๗๑๐๐๕"}, "เลขประจำตัวประชาชนไม่ถูกต้อง"),
        ({"national_id": "G64420000001"}, "เลขประจำตัวประชาชนไม่ถูกต้อง"),
        ({"national_id": "g644200000001"}, "เลขประจำตัวประชาชนไม่ถูกต้อง"),
        ({"first_name": ""}, "กรุณากรอก ชื่อ"),
        ({"prefix": ""}, "กรุณากรอก คำนำหน้า"),
        ({"guardian_phone": " "}, "กรุณากรอก เบอร์โทรผู้ปกครอง"),
        ({"reg_subdistrict": ""}, "กรุณากรอก ตำบล (ตามทะเบียนบ้าน)"),
        ({"grade": "มัธยมศึกษาปีที่ 1"}, "ระดับชั้นนี้ไม่เปิดสอนในสถานศึกษา"),
        ({"birth_date": "2019-03-05"}, "รูปแบบวันที่ไม่ถูกต้อง (วว/ดด/ปปปป พ.ศ.)"),
        ({"birth_date": "05/03/2019"}, "รูปแบบวันที่ไม่ถูกต้อง (วว/ดด/ปปปป พ.ศ.)"),
        ({"admission_date": "31/02/2567"}, "รูปแบบวันที่ไม่ถูกต้อง (วว/ดด/ปปปป พ.ศ.)"),
        ({"reg_postcode": "4000"}, "รหัสไปรษณีย์ (ตามทะเบียนบ้าน) ต้องเป็นตัวเลข 5 หลัก"),
        ({"cur_postcode": "40OOO"}, "รหัสไปรษณีย์ (ที่อยู่ปัจจุบัน) ต้องเป็นตัวเลข 5 หลัก"),
        ({"prefix": "นาง"}, "คำนำหน้าไม่ถูกต้อง"),
        ({"height_cm": "104,5"}, "ส่วนสูง (ซม.) ต้องเป็นตัวเลข"),
    ],
)
def test_validation_messages(school: TestClient, overrides: dict[str, str], message: str) -> None:
    values = student(**overrides)
    page = save(school, values)
    assert page.status_code == 200 and page.url.path == "/student/save.do"
    alert = page.text.split('role="alert" class="alert alert-danger"', 1)[1].split("</div>", 1)[0]
    assert message in alert
    key = next(iter(overrides))
    assert f'<div class="invalid-feedback" id="{key}-error">{message}</div>' in page.text
    assert f'value="{values["last_name"]}"' in page.text  # posted values are kept
    assert state(school)["students"] == []


def test_g_code_is_accepted(school: TestClient) -> None:
    assert saved(save(school, student(national_id="G644200000001")))


def test_grade_allowed_in_the_centre_only_up_to_kindergarten(
    other_client: TestClient,
) -> None:
    login(other_client, "cdc")
    refused = save(other_client, student(grade="ประถมศึกษาปีที่ 1"))
    assert "ระดับชั้นนี้ไม่เปิดสอนในสถานศึกษา" in refused.text
    assert saved(save(other_client, student(grade="อนุบาล 3")))


def test_replayed_save_token_stores_nothing_twice(school: TestClient) -> None:
    token = token_of(school.get("/student/form.do").text)
    values = student()
    assert school.post("/student/save.do", data={**values, "urlToken": token}).status_code == 200
    second = {**values, "national_id": thai_id("110370207101"), "urlToken": token}
    replay = school.post("/student/save.do", data=second)
    assert replay.status_code == 400
    assert "urlToken ไม่ถูกต้อง หรือหมดอายุ" in replay.text
    assert len(state(school)["students"]) == 1


def test_token_of_another_session_is_refused(school: TestClient, other_client: TestClient) -> None:
    login(other_client, "school")
    token = token_of(other_client.get("/student/form.do").text)
    page = school.post("/student/save.do", data={**student(), "urlToken": token})
    assert page.status_code == 400


def test_editing_a_student_of_another_school_is_not_found(
    school: TestClient, other_client: TestClient
) -> None:
    save(school, student())
    [row] = state(school)["students"]
    login(other_client, "cdc")
    assert other_client.get("/student/form.do", params={"id": row["id"]}).status_code == 404


def test_search_and_pagination(school: TestClient) -> None:
    ids = [thai_id(f"3{n:011d}") for n in range(1, 46)]
    for n, national_id in enumerate(ids):
        save(school, student(national_id=national_id, first_name=f"เด็ก{n}"))
    first = school.get("/student/list.do")
    assert first.text.count(">แก้ไข</a>") == 20
    assert ">ถัดไป</a>" in first.text and ">ก่อนหน้า</a>" not in first.text
    assert '<a href="/student/list.do?page=3">3</a>' in first.text
    last = school.get("/student/list.do", params={"page": 3})
    assert last.text.count(">แก้ไข</a>") == 5
    assert (
        "<td>41</td>" in last.text and ">ก่อนหน้า</a>" in last.text and ">ถัดไป</a>" not in last.text
    )
    assert ids[44] in last.text
    beyond = school.get("/student/list.do", params={"page": 99})
    assert '<span aria-current="page">3</span>' in beyond.text
    hit = school.get("/student/list.do", params={"q": ids[7]})
    assert hit.text.count(">แก้ไข</a>") == 1 and "เด็ก7" in hit.text
    miss = school.get("/student/list.do", params={"q": thai_id("999999999999")})
    assert "ไม่พบข้อมูล" in miss.text and ">แก้ไข</a>" not in miss.text


def test_form_has_urltoken_save_and_cancel(school: TestClient) -> None:
    form = school.get("/student/form.do").text
    assert 'action="/student/save.do"' in form
    assert '<button type="submit" class="btn btn-primary">บันทึก</button>' in form
    assert 'href="/student/list.do">ยกเลิก</a>' in form
    assert 'name="id"' not in form
    for legend in ("ข้อมูลนักเรียน", "บิดา", "มารดา", "ผู้ปกครอง"):
        assert f"<legend>{legend}</legend>" in form
    for legend in ("ที่อยู่ตามทะเบียนบ้าน", "ที่อยู่ปัจจุบัน"):
        assert f"<legend>{legend}</legend>" in form


def test_two_sessions_save_at_once(client: TestClient, other_client: TestClient) -> None:
    login(client, "school")
    login(other_client, "school")
    errors: list[BaseException] = []

    def enter(c: TestClient, first: int) -> None:
        try:
            for n in range(first, first + 8):
                assert saved(save(c, student(national_id=thai_id(f"5{n:011d}"))))
        except BaseException as exc:  # handed to the main thread
            errors.append(exc)

    threads = [
        threading.Thread(target=enter, args=(c, f)) for c, f in [(client, 0), (other_client, 100)]
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert len(state(client)["students"]) == 16
