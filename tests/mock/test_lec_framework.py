"""The mock LEC's framework rendering over HTTP: the vendor framework's pages, commands and
messages (docs/lec-portal-facts.md), on the same data and rules as the accessible rendering."""

from __future__ import annotations

import re
import warnings
from pathlib import Path

import httpx
import pytest
import xlrd
from starlette.applications import Starlette

from mock_portals.lec.app import create_app
from tests.mock.conftest import FakeClock
from tests.mock.fw_helpers import form_data, fw_login, popup_of
from tests.mock.helpers import MUNICIPAL_SCHOOL, OBEC_SCHOOL, student, thai_id

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from starlette.testclient import TestClient

STUDENTS = "/student/student.do"


def create(client: TestClient, values: dict[str, str]) -> httpx.Response:
    client.post(STUDENTS, data={"cmd": "goCreate"})
    response: httpx.Response = client.post(STUDENTS, data={"cmd": "doSave", **form_data(values)})
    return response


def students(client: TestClient) -> list[dict[str, str]]:
    rows: list[dict[str, str]] = client.get("/_mock/state").json()["students"]
    return rows


def test_framework_is_the_default_and_the_environment_selects_accessible(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("EDUBOT_LEC_MARKUP", raising=False)
    with TestClient(create_app(tmp_path / "a", seed=False)) as client:
        assert client.get("/_mock/settings").json() == {"markup": "framework"}
        assert "Sign in" in client.get("/index.jsp").text
    monkeypatch.setenv("EDUBOT_LEC_MARKUP", "accessible")
    with TestClient(create_app(tmp_path / "b", seed=False)) as client:
        assert "<label for=" in client.get("/index.jsp").text
        assert client.get("/_mock/settings").json() == {"markup": "accessible"}
        assert client.get(STUDENTS).status_code == 404
    monkeypatch.setenv("EDUBOT_LEC_MARKUP", "jsp")
    with pytest.raises(ValueError, match="unknown markup"):
        create_app(tmp_path / "c", seed=False)


def test_settings_switch_the_markup_and_reset_keeps_it(client: TestClient) -> None:
    assert client.post("/_mock/settings", json={"markup": "framework"}).json() == {
        "markup": "framework"
    }
    client.post("/_mock/reset")
    assert 'placeholder="Username"' in client.get("/index.jsp").text
    assert "<label for=" not in client.get("/index.jsp").text
    bad = client.post("/_mock/settings", json={"markup": "xml"})
    assert bad.status_code == 400 and "unknown markup" in bad.json()["error"]
    assert client.post("/_mock/settings", json={"theme": "x"}).status_code == 400
    client.post("/_mock/settings", json={"markup": "accessible"})
    assert "<label for=" in client.get("/index.jsp").text


def test_login_page_has_placeholders_and_no_labels(fw: TestClient) -> None:
    html = fw.get("/index.jsp").text
    assert '<input type="hidden" name="cmd" value="doLogin">' in html
    assert '<input type="hidden" name="urlToken" value="">' in html
    assert re.search(r'<input type="text" name="login"[^>]*placeholder="Username"', html)
    assert re.search(r'<input type="password" name="password"[^>]*placeholder="Password"', html)
    assert 'name="rememberLogin" value="Y"' in html
    assert (
        '<button type="submit" class="btn btn-primary" style="width:100%">Sign in</button>' in html
    )
    assert "<label for" not in html and "ชื่อผู้ใช้" not in html


@pytest.mark.parametrize(
    ("username", "password", "code", "text"),
    [
        ("nobody", "demo", "00510", "ไม่พบรหัสผู้ใช้ในระบบ"),
        ("school", "wrong", "00512", "รหัสผ่านไม่ถูกต้อง"),
        ("locked", "demo", "00513", "รหัสผู้ใช้ถูกระงับการใช้งาน"),
    ],
)
def test_login_refusals_are_popups_with_the_framework_messages(
    fw: TestClient, username: str, password: str, code: str, text: str
) -> None:
    response = fw_login(fw, username, password)
    assert response.status_code == 200 and 'name="login"' in response.text
    assert popup_of(response.text) == (code, text)
    assert "JSESSIONID" not in fw.cookies


def test_remember_me_sets_the_framework_cookie(fw: TestClient) -> None:
    data = {"cmd": "doLogin", "login": "school", "password": "demo", "rememberLogin": "Y"}
    fw.post("/login.do", data=data, follow_redirects=False)
    number = int(fw.cookies["df.login.token"], 36)
    assert number.to_bytes((number.bit_length() + 7) // 8, "big").endswith(b"\nschool")


def test_url_token_is_a_base36_return_url(fw: TestClient) -> None:
    html = fw.get("/index.jsp", params={"url": "/report/rpt318.do"}).text
    token = re.search(r'name="urlToken" value="([0-9a-z]+)"', html)
    assert token is not None
    number = int(token.group(1), 36)
    text = number.to_bytes((number.bit_length() + 7) // 8, "big").decode()
    assert text.split("\n")[2] == "/report/rpt318.do"  # TokenUtil: random, time, value
    data = {"cmd": "doLogin", "urlToken": token.group(1), "login": "school", "password": "demo"}
    response = fw.post("/login.do", data=data, follow_redirects=False)
    assert response.headers["location"] == "/report/rpt318.do"


def test_org_picker_is_a_cell_and_a_select_of_numeric_node_ids(fw: TestClient) -> None:
    html = fw_login(fw, "lgo").text
    assert "<td>สังกัดในการใช้ระบบ</td>" in html and "<label" not in html
    options = dict(re.findall(r'<option value="([^"]*)"[^>]*>([^<]+)</option>', html))
    assert all(node.isdigit() for node in options)
    # Each node named with its code in brackets (invented: LEC's node labels are not known).
    assert set(options.values()) == {
        "เทศบาลตำบลบ้านเป็ด (6400101)",
        "โรงเรียนบ้านหนองไผ่ (สพฐ.) (1040010003)",
    }
    assert "onclick=\"doCmd('doSetNode')\"" in html and 'value=" ตกลง "' in html
    assert OBEC_SCHOOL not in options  # ids, not the organisation codes
    refused = fw.post("/login.do", data={"cmd": "doSetNode", "orgId": "999"})
    assert popup_of(refused.text)[1] == "กรุณาเลือก สังกัดในการใช้ระบบ"
    node = next(n for n, name in options.items() if name.startswith("โรงเรียนบ้านหนองไผ่"))
    home = fw.post("/login.do", data={"cmd": "doSetNode", "orgId": node})
    assert home.url.path == "/school/home.do" and "โรงเรียนบ้านหนองไผ่ (สพฐ.)" in home.text


@pytest.mark.parametrize(("username", "code"), [("expired", "00520"), ("newuser", "00521")])
def test_an_expired_password_gets_the_password_page(
    fw: TestClient, username: str, code: str
) -> None:
    html = fw_login(fw, username).text
    assert popup_of(html)[0] == code
    assert all(f'name="password{n}"' in html for n in range(3))
    assert "doCmd('doSavePassword')" in html
    wrong = {"cmd": "doSavePassword", "login": username, "password0": "nope"}
    assert popup_of(fw.post("/login.do", data=wrong).text) == ("00515", "รหัสผ่านเดิมไม่ถูกต้อง")
    ok = {**wrong, "password0": "demo", "password1": "n3wpass", "password2": "n3wpass"}
    assert popup_of(fw.post("/login.do", data=ok).text) == ("00001", "บันทึกข้อมูลเรียบร้อย")
    assert popup_of(fw_login(fw, username).text)[0] == code  # the mock stores no change
    assert "JSESSIONID" not in fw.cookies


def test_an_expired_session_answers_401_with_the_alert(fw: TestClient, clock: FakeClock) -> None:
    fw_login(fw, "school")
    assert fw.get(STUDENTS).status_code == 200
    clock.advance(601)
    response = fw.get(STUDENTS)
    assert response.status_code == 401
    assert "alert('ไม่ได้ใช้งานเกินเวลา!!! \\n กรุณา login ใหม่');" in response.text
    assert 'window.location.href = "/index.jsp";' in response.text
    fw_login(fw, "school")
    fw.post("/_mock/session-expire")
    assert fw.post(STUDENTS, data={"cmd": "doSave"}).status_code == 401
    # login.do is outside the 401 filter: LoginAction answers a lost session with 00505.
    node = fw.post("/login.do", data={"cmd": "doSetNode", "orgId": "101"})
    assert node.status_code == 200 and 'name="login"' in node.text
    assert popup_of(node.text) == ("00505", "ไม่ได้ใช้งานระบบเกินเวลาที่กำหนด กรุณาเข้าสู่ระบบอีกครั้ง")


def test_form_labels_have_no_for_and_checks_come_from_lang(fw: TestClient) -> None:
    fw_login(fw, "school")
    html = fw.post(STUDENTS, data={"cmd": "goCreate"}).text
    assert "<label for" not in html
    assert re.search(
        r'<div class="col-sm-2 text-right"><label> ชื่อ: </label></div>\s*'
        r'<div class="col-sm-3">\s*<input type="text" class="form-control"'
        r' name="formData.firstName"',
        html,
    )
    assert "lang=\"property['ชื่อ',required,,,]\"" in html
    assert "lang=\"property['เลขประจำตัวประชาชน',required,,,isPsnId]\"" in html
    assert "lang=\"property['วันเดือนปีเกิด',required,,,isDate]\"" in html
    assert (
        '<button type="button" class="btn btn-success" onclick="doCmd(\'doSave\')">บันทึก</button>'
        in html
    )
    assert all(text in html for text in ("กรุณากรอกข้อมูล", "กรุณาเลือก", "วันที่ไม่ถูกต้อง"))


def test_create_update_and_delete_by_cmd_and_data_index(fw: TestClient) -> None:
    fw_login(fw, "school")
    saved = create(fw, student())
    assert saved.status_code == 200 and saved.url.path == STUDENTS
    assert popup_of(saved.text) == ("00001", "บันทึกข้อมูลเรียบร้อย")
    assert "1 ถึง 1 จากทั้งหมด 1" in saved.text  # doSave forwarded to the list, one response
    [row] = students(fw)
    assert row["school_code"] == MUNICIPAL_SCHOOL and row["first_name"] == "ปิยะดา"
    form = fw.post(STUDENTS, data={"cmd": "goUpdate", "data_index": "0"}).text
    assert 'name="formData.firstName" value="ปิยะดา"' in form
    # The record in hand is the bean's, in the session: the posted form names no id.
    again = fw.post(STUDENTS, data={"cmd": "doSave", **form_data(student(first_name="ปิยะนุช"))})
    assert popup_of(again.text)[0] == "00001"
    assert [(r["id"], r["first_name"]) for r in students(fw)] == [(row["id"], "ปิยะนุช")]
    view = fw.post(STUDENTS, data={"cmd": "goView", "data_index": "0"}).text
    assert "disabled" in view and "doCmd('doSave')" not in view
    gone = fw.post(STUDENTS, data={"cmd": "doDelete", "data_index": "0"})
    assert popup_of(gone.text) == ("00002", "ลบข้อมูลเรียบร้อย")
    assert students(fw) == []
    stale = fw.post(STUDENTS, data={"cmd": "goUpdate", "data_index": "5"})
    assert popup_of(stale.text) == ("", "ไม่พบข้อมูล")


def test_row_icons_carry_titles_and_delete_and_logout_ask_first(fw: TestClient) -> None:
    fw_login(fw, "school")
    html = create(fw, student()).text
    assert 'title="ดูข้อมูล" href="javascript:doCmd(\'goView\', 0)"' in html
    assert 'title="แก้ไข" href="javascript:doCmd(\'goUpdate\', 0)"' in html
    assert 'title="ลบข้อมูล" href="javascript:doCmd(\'doDelete\', 0)"' in html
    assert "confirm('ยืนยันการลบข้อมูล')" in html  # struts.js asks before every doDelete
    assert "ต้องการการออกจากระบบ ?" in html and "/login.do?cmd=doLogout&ts=" in html
    assert '<span class="badge">STD101</span>' in html


def test_server_refuses_a_duplicate_missing_fields_and_ids_starting_with_0_or_9(
    fw: TestClient,
) -> None:
    fw_login(fw, "school")
    create(fw, student())
    duplicate = create(fw, student(first_name="อื่น"))
    assert popup_of(duplicate.text) == ("00501", "ไม่สามารถบันทึกข้อมูลได้เนื่องจากข้อมูลซ้ำซ้อน")
    missing = create(fw, student(national_id=thai_id("110370207101"), first_name=""))
    code, text = popup_of(missing.text)
    assert code == "00502" and "กรุณากรอก ชื่อ" in text
    nine = create(fw, student(national_id=thai_id("910370207100")))
    assert popup_of(nine.text)[0] == "00502" and "เลขประจำตัวประชาชนไม่ถูกต้อง" in nine.text
    assert len(students(fw)) == 1


def _seed_students(app: Starlette, count: int) -> None:
    db = app.state.portal.db
    for n in range(count):
        body = f"1103702{n:05d}"
        db.save_student(MUNICIPAL_SCHOOL, student(national_id=thai_id(body), room=str(n)), None)


def test_lists_show_ten_rows_a_page_and_data_index_is_the_row_shown(
    fw_app: Starlette, fw: TestClient
) -> None:
    _seed_students(fw_app, 23)
    fw_login(fw, "school")
    first = fw.get(STUDENTS).text
    assert first.count('title="แก้ไข"') == 10 and "1 ถึง 10 จากทั้งหมด 23" in first
    sizes = re.findall(r"<option value=\"(\d+)\"[^>]*> หน้าละ (\d+) รายการ</option>", first)
    assert [int(n) for n, _ in sizes] == [10, 25, 50, 100]
    last = fw.post(STUDENTS, data={"cmd": "list", "searchCondition.position": "20"}).text
    assert last.count('title="แก้ไข"') == 3 and "21 ถึง 23 จากทั้งหมด 23" in last
    form = fw.post(STUDENTS, data={"cmd": "goUpdate", "data_index": "1"}).text
    assert 'name="formData.room" value="21"' in form  # row 2 of the page shown: the 22nd child
    back = fw.post(
        STUDENTS,
        data={"cmd": "list", "searchCondition.pageSize": "25", "searchCondition.position": "0"},
    ).text
    assert back.count('title="แก้ไข"') == 23 and "1 ถึง 23 จากทั้งหมด 23" in back
    found = fw.post(
        STUDENTS, data={"cmd": "list", "searchCondition.keyword": thai_id("110370200007")}
    ).text
    assert "1 ถึง 1 จากทั้งหมด 1" in found


def test_export_is_a_legacy_xls_named_by_page_code(fw_app: Starlette, fw: TestClient) -> None:
    _seed_students(fw_app, 2)
    fw_login(fw, "school")
    page = fw.get("/report/rpt318.do").text
    assert '<span class="badge">RPT318</span>' in page and "doCmd('exportExcel')" in page
    response = fw.post("/report/rpt318.do", data={"cmd": "exportExcel"})
    assert response.headers["content-disposition"] == "attachment; filename=RPT318.xls"
    assert response.content[:8] == bytes.fromhex("d0cf11e0a1b11ae1")  # an OLE2 (BIFF) file
    sheet = xlrd.open_workbook(file_contents=response.content, formatting_info=True).sheet_by_name(
        "Sheet1"
    )
    assert sheet.cell_value(0, 0) == "รายงานรายละเอียดข้อมูลนักเรียน"
    assert sheet.cell_value(1, 0) == "ลำดับที่" and (1, 3, 0, 1) in sheet.merged_cells
    headers = sheet.row_values(1)
    national_id = headers.index("เลขประจำตัวประชาชน")
    assert sheet.cell_value(3, 4) == "โรงเรียนเทศบาลบ้านเป็ด"
    assert [sheet.cell_value(r, national_id) for r in (3, 4)] == [
        thai_id("110370200000"),
        thai_id("110370200001"),
    ]
    listed = fw.post(STUDENTS, data={"cmd": "exportExcel"})
    assert listed.headers["content-disposition"] == "attachment; filename=STD101.xls"


def test_lgo_level_enters_an_other_affiliation_school(fw: TestClient) -> None:
    html = fw_login(fw, "lgo").text
    options = dict(re.findall(r'<option value="([^"]*)"[^>]*>([^<]+)</option>', html))
    lgo_node = next(n for n, name in options.items() if name == "เทศบาลตำบลบ้านเป็ด (6400101)")
    home = fw.post("/login.do", data={"cmd": "doSetNode", "orgId": lgo_node}).text
    assert f"/student/student.do?school={OBEC_SCHOOL}" in home
    fw.get(STUDENTS, params={"school": OBEC_SCHOOL})
    fw.post(STUDENTS, data={"cmd": "goCreate", "school": OBEC_SCHOOL})
    values = {"cmd": "doSave", "school": OBEC_SCHOOL, **form_data(student())}
    saved = fw.post(STUDENTS, data=values)
    assert popup_of(saved.text)[0] == "00001"
    assert [r["school_code"] for r in students(fw)] == [OBEC_SCHOOL]


def test_framework_routes_are_counted(fw: TestClient) -> None:
    fw_login(fw, "school")
    fw.get(STUDENTS)
    fw.post(STUDENTS, data={"cmd": "goCreate"})
    fw.post("/report/rpt318.do", data={"cmd": "exportExcel"})
    counts = fw.get("/_mock/state").json()["requests"]
    assert counts["GET /student/student.do"] == 1 and counts["POST /student/student.do"] == 1
    assert counts["POST /report/rpt318.do"] == 1 and counts["POST /login.do"] == 1


def test_confirm_from_the_list_asks_with_confirm_then_pops_on_home(fw: TestClient) -> None:
    fw_login(fw, "school")
    html = create(fw, student()).text
    assert "if(confirm('ยืนยันข้อมูลของสถานศึกษา? เมื่อยืนยันแล้วจะแก้ไขข้อมูลไม่ได้'))" in html
    token = re.search(r'name="urlToken" value="([^"]+)"', html)
    assert token is not None
    home = fw.post("/school/confirm.do", data={"urlToken": token.group(1)})
    assert home.url.path == "/school/home.do"
    assert popup_of(home.text) == ("", "ยืนยันข้อมูลเรียบร้อย")
    assert "สถานะ: ยืนยันข้อมูลแล้ว" in home.text
    locked = fw.post(STUDENTS, data={"cmd": "doDelete", "data_index": "0"})
    assert popup_of(locked.text) == ("", "สถานศึกษายืนยันข้อมูลแล้ว ไม่สามารถแก้ไขได้")
    assert len(students(fw)) == 1
