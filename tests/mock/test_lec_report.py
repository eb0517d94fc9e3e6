"""RPT318 export of the mock LEC, read back with openpyxl."""

from __future__ import annotations

from io import BytesIO

from openpyxl import load_workbook
from starlette.testclient import TestClient

from tests.mock.helpers import login, save, student

GROUPS = ("บิดา", "มารดา", "ผู้ปกครอง", "ที่อยู่ตามทะเบียนบ้าน", "ที่อยู่ปัจจุบัน")


def test_rpt318_layout_and_data(client: TestClient) -> None:
    login(client, "school")
    values = student(father_first_name="สมชาย", cur_house_no="7")
    save(client, values)
    response = client.get("/report/rpt318.do")
    assert "RPT318" in response.headers["content-disposition"]
    sheet = load_workbook(BytesIO(response.content)).active
    assert sheet.title == "Sheet1"
    assert sheet["A1"].value == "รายงานรายละเอียดข้อมูลนักเรียน"
    merged = {str(r) for r in sheet.merged_cells.ranges}
    row2 = [c.value for c in sheet[2]]
    row3 = [c.value for c in sheet[3]]
    assert row2[:7] == ["ลำดับที่", "จังหวัด", "อำเภอ", "อปท.", "สถานศึกษา", "ปีการศึกษา", "ภาคเรียน"]
    assert "A2:A3" in merged  # single headers span both header rows
    for group in GROUPS:
        col = row2.index(group) + 1
        span = next(r for r in sheet.merged_cells.ranges if r.min_row == 2 and r.min_col == col)
        assert span.max_row == 2 and span.max_col - span.min_col + 1 in (7, 8)
    father = row2.index("บิดา")
    assert row3[father : father + 3] == ["คำนำหน้า", "ชื่อ", "นามสกุล"]
    header = {h: i for i, h in enumerate(row2) if h}
    data = [c.value for c in sheet[4]]
    assert data[:7] == [
        1,
        "ขอนแก่น",
        "เมืองขอนแก่น",
        "เทศบาลตำบลบ้านเป็ด",
        "โรงเรียนเทศบาลบ้านเป็ด",
        2568,
        2,
    ]
    assert data[header["เลขประจำตัวประชาชน"]] == values["national_id"]
    assert data[header["วันเดือนปีเกิด"]] == "05/03/2562"
    assert data[header["สถานภาพ (ครอบครัว)"]] is None or data[header["สถานภาพ (ครอบครัว)"]] == ""
    assert data[father + 1] == "สมชาย"
    assert data[row2.index("ที่อยู่ปัจจุบัน")] == "7"
    assert sheet.max_row == 4


def test_rpt318_holds_only_the_schools_students(
    client: TestClient, other_client: TestClient
) -> None:
    login(client, "school")
    save(client, student())
    login(other_client, "cdc")
    sheet = load_workbook(BytesIO(other_client.get("/report/rpt318.do").content)).active
    assert sheet.max_row == 3


def test_rpt318_needs_a_session(client: TestClient) -> None:
    assert client.get("/report/rpt318.do").url.query == b"expired=1"
