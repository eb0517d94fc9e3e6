"""The framework rendering of the school home, basic data, buildings, the LGO home and its
confirmations over HTTP: framework conventions, the accessible rendering's texts and rules."""

from __future__ import annotations

import re
import warnings

import httpx
import pytest
from starlette.applications import Starlette

from tests.mock.conftest import FakeClock
from tests.mock.fw_helpers import form_data, fw_lgo_login, fw_login, popup_of
from tests.mock.helpers import (
    CDC,
    EXPANSION_SCHOOL,
    MUNICIPAL_SCHOOL,
    OBEC_SCHOOL,
    basic_data,
    building,
    form_token,
    state,
)

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from starlette.testclient import TestClient

BASIC, BUILDINGS, STUDENTS = "/school/basic.do", "/building/building.do", "/student/student.do"
P1_TO_P6 = ("K1", "K2", "K3", "P1", "P2", "P3", "P4", "P5", "P6")
LABEL_ROW = re.compile(r'<div class="col-sm-2 text-right"><label> ([^<]+): </label></div>')


def _school(client: TestClient, code: str) -> dict[str, object]:
    school: dict[str, object] = next(s for s in state(client)["schools"] if s["code"] == code)
    return school


def _confirm_school(client: TestClient, page: str = "/school/home.do") -> httpx.Response:
    html = client.get(page).text
    response: httpx.Response = client.post(
        "/school/confirm.do", data={"urlToken": form_token(html, "/school/confirm.do")}
    )
    return response


def _save_building(client: TestClient, values: dict[str, str]) -> httpx.Response:
    client.post(BUILDINGS, data={"cmd": "goCreate"})
    response: httpx.Response = client.post(BUILDINGS, data={"cmd": "doSave", **form_data(values)})
    return response


# --- school home -----------------------------------------------------------------------------


def test_school_home_shows_status_areas_and_confirm_asked_with_confirm(fw: TestClient) -> None:
    html = fw_login(fw, "school").text
    assert '<span class="badge">HOME</span>' in html
    assert "สถานะ: ยังไม่ยืนยันข้อมูล" in html and "เปิดระบบ 10/11/2568" in html
    for href, text in (
        (BASIC, "ข้อมูลพื้นฐานโรงเรียน/ศูนย์เด็กฯ"),
        (STUDENTS, "ฐานข้อมูลนักเรียน/เด็กเล็ก"),
        (BUILDINGS, "ฐานข้อมูลอาคารสถานที่"),
    ):
        assert f'<a href="{href}">{text}</a>' in html
    assert (
        "onclick=\"if(confirm('ยืนยันข้อมูลของสถานศึกษา? เมื่อยืนยันแล้วจะแก้ไขข้อมูลไม่ได้'))"
        ' this.form.submit()">ยืนยันข้อมูล</button>' in html
    )
    home = _confirm_school(fw)
    assert home.url.path == "/school/home.do"
    assert popup_of(home.text) == ("", "ยืนยันข้อมูลเรียบร้อย")
    assert "สถานะ: ยืนยันข้อมูลแล้ว เมื่อ" in home.text
    assert "สถานศึกษายืนยันข้อมูลแล้ว ไม่สามารถแก้ไขได้" in home.text
    assert ">ยืนยันข้อมูล</button>" not in home.text
    assert _school(fw, MUNICIPAL_SCHOOL)["confirmed"] is True


def test_status_and_lock_carry_no_test_id_as_the_real_portal_would_not(fw: TestClient) -> None:
    """The flows read สถานะ: … and the lock's words; the framework pages give them nothing
    else to hold on to (the accessible rendering keeps its test ids)."""
    fw_login(fw, "school")
    _confirm_school(fw)
    for url in ("/school/home.do", BASIC, STUDENTS, BUILDINGS):
        html = fw.get(url).text
        assert "สถานศึกษายืนยันข้อมูลแล้ว ไม่สามารถแก้ไขได้" in html, url
        assert 'data-testid="locked"' not in html and 'data-testid="confirm-status"' not in html
    assert "สถานะ: ยืนยันข้อมูลแล้ว เมื่อ" in fw.get(STUDENTS).text


def test_a_refused_confirmation_pops_in_a_framework_page(fw: TestClient) -> None:
    fw_login(fw, "school")
    html = fw.get("/school/home.do").text
    token = form_token(html, "/school/confirm.do")
    assert _confirm_school(fw).status_code == 200
    again = fw.post("/school/confirm.do", data={"urlToken": token})
    assert again.status_code == 403 and '<span class="badge">' in again.text  # the menu frame
    assert popup_of(again.text) == ("", "สถานศึกษายืนยันข้อมูลแล้ว ไม่สามารถแก้ไขได้")
    assert "alert-danger" not in again.text  # not the accessible error page


# --- basic data ------------------------------------------------------------------------------


def test_basic_data_form_has_framework_rows_and_saves_with_a_popup(fw: TestClient) -> None:
    fw_login(fw, "school")
    html = fw.get(BASIC).text
    assert "<label for" not in html and '<span class="badge">SCH101</span>' in html
    labels = LABEL_ROW.findall(html)
    assert labels[:2] == ["รหัสสถานศึกษา", "ชื่อสถานศึกษา"]
    assert {"ที่อยู่สถานศึกษา", "โทรศัพท์", "ชื่อผู้บริหารสถานศึกษา"} <= set(labels)
    assert "จำนวนนักเรียน ประถมศึกษาปีที่ 6" in labels
    assert 'name="formData.classroomsK1"' in html and 'name="formData.headName"' in html
    assert "lang=\"property['ที่อยู่สถานศึกษา',required,,,]\"" in html
    assert "lang=\"property['อีเมล',,,,]\"" in html
    assert "onclick=\"doCmd('doSave')\">บันทึก</button>" in html
    saved = fw.post(BASIC, data={"cmd": "doSave", **form_data(basic_data(P1_TO_P6))})
    assert saved.status_code == 200 and saved.url.path == BASIC
    assert popup_of(saved.text) == ("00001", "บันทึกข้อมูลเรียบร้อย")
    assert 'name="formData.phone" value="043123456"' in saved.text
    stored = _school(fw, MUNICIPAL_SCHOOL)["basic"]
    assert isinstance(stored, dict) and stored["students"]["ประถมศึกษาปีที่ 6"] == 28
    assert 'name="formData.teachers" value="12"' in fw.get(BASIC).text


def test_basic_data_errors_pop_00502_and_stand_beside_their_fields(fw: TestClient) -> None:
    fw_login(fw, "cdc")
    bad = basic_data(phone="043-123456", head_name="", students_K1="many")
    response = fw.post(BASIC, data={"cmd": "doSave", **form_data(bad)})
    code, text = popup_of(response.text)
    assert code == "00502" and "ไม่สามารถบันทึกข้อมูลได้เนื่องจากข้อมูลไม่ครบถ้วน" in text
    assert "กรุณากรอก ชื่อผู้บริหารสถานศึกษา" in text
    assert "โทรศัพท์ ต้องเป็นตัวเลข 9 หรือ 10 หลัก" in text
    assert (
        '<div id="formData.studentsK1_id_0" class="error">'
        "จำนวนนักเรียน อนุบาล 1 ต้องเป็นจำนวนเต็มตั้งแต่ 0 ขึ้นไป</div>" in response.text
    )
    assert 'name="formData.phone" value="043-123456"' in response.text  # kept as typed
    assert _school(fw, CDC)["basic"] is None


def test_basic_data_is_locked_after_confirmation(fw: TestClient) -> None:
    fw_login(fw, "cdc")
    _confirm_school(fw)
    html = fw.get(BASIC).text
    assert "สถานศึกษายืนยันข้อมูลแล้ว ไม่สามารถแก้ไขได้" in html
    assert "doCmd('doSave')" not in html and 'name="formData.address" value="" lang' in html
    assert re.search(r'name="formData.address"[^>]* disabled>', html)
    refused = fw.post(BASIC, data={"cmd": "doSave", **form_data(basic_data())})
    assert popup_of(refused.text) == ("", "สถานศึกษายืนยันข้อมูลแล้ว ไม่สามารถแก้ไขได้")
    assert _school(fw, CDC)["basic"] is None


def test_basic_data_is_for_a_school_not_the_lgo_level(fw: TestClient) -> None:
    fw_lgo_login(fw)
    response = fw.get(BASIC)
    assert response.status_code == 403
    assert popup_of(response.text)[1].startswith("เมนูนี้ใช้ได้เฉพาะสังกัดระดับสถานศึกษา")


# --- buildings -------------------------------------------------------------------------------


def test_buildings_create_update_view_and_delete_by_cmd_and_data_index(fw: TestClient) -> None:
    fw_login(fw, "school")
    empty = fw.get(BUILDINGS).text
    assert '<span class="badge">BLD101</span>' in empty and "ไม่พบข้อมูลตามเงื่อนไข" in empty
    assert "onclick=\"doCmd('goCreate')\">เพิ่มข้อมูลอาคาร</button>" in empty
    form = fw.post(BUILDINGS, data={"cmd": "goCreate"}).text
    assert "<label for" not in form and LABEL_ROW.findall(form) == [
        "ชื่ออาคาร",
        "ประเภทอาคาร",
        "ปีที่สร้าง (พ.ศ.)",
        "จำนวนห้อง",
        "สภาพอาคาร",
    ]
    assert "<option>อาคารอเนกประสงค์</option>" in form and 'name="formData.yearBuilt"' in form
    saved = fw.post(BUILDINGS, data={"cmd": "doSave", **form_data(building())})
    assert saved.url.path == BUILDINGS and "1 ถึง 1 จากทั้งหมด 1" in saved.text
    assert popup_of(saved.text) == ("00001", "บันทึกข้อมูลเรียบร้อย")
    for title, cmd in (("ดูข้อมูล", "goView"), ("แก้ไข", "goUpdate"), ("ลบข้อมูล", "doDelete")):
        assert f'title="{title}" href="javascript:doCmd(\'{cmd}\', 0)"' in saved.text
    [row] = state(fw)["buildings"]
    edit = fw.post(BUILDINGS, data={"cmd": "goUpdate", "data_index": "0"}).text
    assert 'name="formData.buildingName" value="อาคารเรียน 1"' in edit
    again = fw.post(BUILDINGS, data={"cmd": "doSave", **form_data(building(rooms="8"))})
    assert popup_of(again.text)[0] == "00001"
    assert [(b["id"], b["rooms"]) for b in state(fw)["buildings"]] == [(row["id"], 8)]
    view = fw.post(BUILDINGS, data={"cmd": "goView", "data_index": "0"}).text
    assert "disabled" in view and "doCmd('doSave')" not in view
    gone = fw.post(BUILDINGS, data={"cmd": "doDelete", "data_index": "0"})
    assert popup_of(gone.text) == ("00002", "ลบข้อมูลเรียบร้อย")
    assert state(fw)["buildings"] == []


def test_building_refusals_pop_00501_and_00502(fw: TestClient) -> None:
    fw_login(fw, "school")
    _save_building(fw, building())
    duplicate = _save_building(fw, building(rooms="2"))
    code, text = popup_of(duplicate.text)
    assert code == "00501" and "ชื่ออาคารนี้มีอยู่แล้ว" in text
    bad = _save_building(fw, building(building_name="โรงอาหาร", year_built="2999", condition="x"))
    code, text = popup_of(bad.text)
    assert code == "00502" and "ปีที่สร้าง (พ.ศ.) ต้องเป็นปี พ.ศ. 4 หลัก ไม่เกินปีปัจจุบัน" in text
    assert '<div id="formData.yearBuilt_id_0" class="error">' in bad.text
    assert len(state(fw)["buildings"]) == 1


def test_buildings_list_ten_a_page_with_the_cursor(fw_app: Starlette, fw: TestClient) -> None:
    db = fw_app.state.portal.db
    for n in range(12):
        values = {"type": "อื่นๆ", "year_built": 2540, "rooms": n, "condition": "ดี"}
        db.save_building(MUNICIPAL_SCHOOL, f"อาคาร {n:02d}", values, None)
    fw_login(fw, "school")
    first = fw.get(BUILDINGS).text
    assert first.count('title="แก้ไข"') == 10 and "1 ถึง 10 จากทั้งหมด 12" in first
    assert re.search(r'<option value="25"[^>]*> หน้าละ 25 รายการ</option>', first)
    last = fw.post(BUILDINGS, data={"cmd": "list", "searchCondition.position": "10"}).text
    assert last.count('title="แก้ไข"') == 2 and "11 ถึง 12 จากทั้งหมด 12" in last
    edit = fw.post(BUILDINGS, data={"cmd": "goUpdate", "data_index": "1"}).text
    assert 'name="formData.buildingName" value="อาคาร 11"' in edit
    found = fw.post(BUILDINGS, data={"cmd": "list", "searchCondition.keyword": "อาคาร 03"}).text
    assert "1 ถึง 1 จากทั้งหมด 1" in found


def test_buildings_lock_after_confirmation(fw: TestClient) -> None:
    fw_login(fw, "school")
    _save_building(fw, building())
    _confirm_school(fw)
    html = fw.get(BUILDINGS).text
    assert "สถานศึกษายืนยันข้อมูลแล้ว ไม่สามารถแก้ไขได้" in html
    assert "เพิ่มข้อมูลอาคาร" not in html and 'title="แก้ไข"' not in html
    assert 'title="ดูข้อมูล"' in html
    refused = fw.post(BUILDINGS, data={"cmd": "doDelete", "data_index": "0"})
    assert popup_of(refused.text) == ("", "สถานศึกษายืนยันข้อมูลแล้ว ไม่สามารถแก้ไขได้")
    assert len(state(fw)["buildings"]) == 1


# --- the accessible URLs in the framework markup ---------------------------------------------


def test_accessible_lists_redirect_to_entity_pages_and_their_forms_are_unknown(
    fw: TestClient,
) -> None:
    fw_login(fw, "school")
    moved = fw.get("/building/list.do", follow_redirects=False)
    assert moved.status_code == 303 and moved.headers["location"] == BUILDINGS
    assert fw.get("/building/list.do").url.path == BUILDINGS
    for url in ("/student/form.do", "/building/form.do"):
        assert fw.get(url).status_code == 404
    for url in ("/student/save.do", "/building/save.do"):
        assert fw.post(url, data={}).status_code == 404
    counts = state(fw)["requests"]
    assert counts["GET /building/list.do"] == 2 and counts["GET /building/building.do"] == 1
    assert counts["POST /student/save.do"] == 1


# --- LGO level -------------------------------------------------------------------------------


def test_lgo_home_lists_every_school_with_status_and_entry(fw: TestClient) -> None:
    html = fw_lgo_login(fw).text
    assert "สถานะระดับ อปท.: ยังไม่ยืนยันข้อมูล" in html and "<th>สถานะการยืนยัน</th>" in html
    for code in (CDC, MUNICIPAL_SCHOOL, OBEC_SCHOOL, EXPANSION_SCHOOL):
        assert f"<td>{code}</td>" in html
    assert html.count("<td>ยังไม่ยืนยันข้อมูล</td>") == 4
    assert "สังกัด อปท. (DLA)" in html and "สังกัดอื่น (OBEC)" in html
    assert f'<a href="/student/student.do?school={OBEC_SCHOOL}">ข้อมูลนักเรียน</a>' in html
    assert f"/student/student.do?school={MUNICIPAL_SCHOOL}" not in html
    assert 'data-testid="school-' not in html  # the framework marks no rows
    assert "if(confirm('ยืนยันข้อมูลระดับ อปท.? การยกเลิกต้องดำเนินการโดยเจ้าหน้าที่ระดับจังหวัด'))" in html


def test_lgo_level_student_entry_and_confirmation_land_on_the_entity_page(
    fw: TestClient,
) -> None:
    fw_lgo_login(fw)
    entry = fw.get("/student/list.do", params={"school": OBEC_SCHOOL})
    assert entry.url.path == STUDENTS and entry.url.query == f"school={OBEC_SCHOOL}".encode()
    assert '<span class="badge">STD101</span>' in entry.text
    confirmed = fw.post(
        "/school/confirm.do",
        data={"urlToken": form_token(entry.text, "/school/confirm.do"), "school": OBEC_SCHOOL},
    )
    assert confirmed.url.path == STUDENTS
    assert popup_of(confirmed.text) == ("", "ยืนยันข้อมูลเรียบร้อย")
    assert "สถานะ: ยืนยันข้อมูลแล้ว" in confirmed.text
    assert _school(fw, OBEC_SCHOOL)["confirmed"] is True
    refused = fw.get(STUDENTS, params={"school": MUNICIPAL_SCHOOL})
    assert refused.status_code == 403
    assert popup_of(refused.text)[1] == "สถานศึกษาในสังกัด อปท. บันทึกข้อมูลนักเรียนที่ระดับสถานศึกษา"


def test_lgo_confirm_is_refused_with_a_popup_until_every_school_confirmed(
    fw_app: Starlette, fw: TestClient
) -> None:
    html = fw_lgo_login(fw).text
    refused = fw.post("/lgo/confirm.do", data={"urlToken": form_token(html, "/lgo/confirm.do")})
    assert refused.status_code == 409 and '<span class="badge">HOME</span>' in refused.text
    code, text = popup_of(refused.text)
    assert text.startswith("ยังมีสถานศึกษาที่ยังไม่ยืนยันข้อมูล: ") and "โรงเรียนเทศบาลบ้านเป็ด" in text
    db = fw_app.state.portal.db
    for code in (CDC, MUNICIPAL_SCHOOL, OBEC_SCHOOL, EXPANSION_SCHOOL):
        db.confirm(code)
    html = fw.get("/school/home.do").text
    done = fw.post("/lgo/confirm.do", data={"urlToken": form_token(html, "/lgo/confirm.do")})
    assert done.url.path == "/school/home.do"
    assert popup_of(done.text) == ("", "ยืนยันข้อมูลระดับ อปท. เรียบร้อย")
    assert "สถานะระดับ อปท.: ยืนยันข้อมูลแล้ว" in done.text
    assert "ยืนยันระดับ อปท. แล้ว การยกเลิกต้องติดต่อเจ้าหน้าที่ระดับจังหวัด" in done.text
    assert "ยกเลิกการยืนยัน</button>" not in done.text
    assert state(fw)["lgo"]["confirmed"] is True


def test_lgo_unconfirms_a_school_after_confirm_then_pops(fw_app: Starlette, fw: TestClient) -> None:
    fw_app.state.portal.db.confirm(MUNICIPAL_SCHOOL)
    html = fw_lgo_login(fw).text
    assert "if(confirm('ยกเลิกการยืนยันข้อมูลของ โรงเรียนเทศบาลบ้านเป็ด?'))" in html
    assert html.count(">ยกเลิกการยืนยัน</button>") == 1
    token = form_token(html, "/lgo/unconfirm-school.do", MUNICIPAL_SCHOOL)
    data = {"urlToken": token, "school": MUNICIPAL_SCHOOL}
    done = fw.post("/lgo/unconfirm-school.do", data=data)
    assert done.url.path == "/school/home.do"
    assert popup_of(done.text) == ("", "ยกเลิกการยืนยันข้อมูลเรียบร้อย")
    assert _school(fw, MUNICIPAL_SCHOOL)["confirmed"] is False
    stale = fw.post("/lgo/unconfirm-school.do", data=data)
    assert stale.status_code == 400 and popup_of(stale.text)[1] == "urlToken ไม่ถูกต้อง หรือหมดอายุ"


@pytest.mark.parametrize("path", ["/lgo/confirm.do", "/lgo/unconfirm-school.do"])
def test_a_school_user_on_lgo_actions_gets_a_framework_refusal(fw: TestClient, path: str) -> None:
    fw_login(fw, "school")
    response = fw.post(path, data={})
    assert response.status_code == 403
    assert popup_of(response.text) == ("", "เมนูนี้ใช้ได้เฉพาะสังกัดระดับ อปท.")


@pytest.mark.parametrize("path", [BASIC, BUILDINGS, "/school/home.do"])
def test_an_expired_session_on_a_converted_page_answers_401(
    fw: TestClient, clock: FakeClock, path: str
) -> None:
    fw_login(fw, "school")
    assert fw.get(path).status_code == 200
    clock.advance(601)
    response = fw.get(path)
    assert response.status_code == 401 and "กรุณา login ใหม่" in response.text
