"""RPT318, LEC's own export: rows by ID as portal strings, from .xlsx and legacy .xls alike."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import pytest
import xlwt
from openpyxl import Workbook

from bot.data.errors import RuleError
from bot.portals.lec.rpt318 import (
    differing_fields,
    portal_string,
    read_portal_export,
    read_portal_rows,
)
from mock_portals.lec.db import Lgo, School, Student
from mock_portals.lec.report import build_rpt318
from mock_portals.lec.xls import build_rpt318_xls


def test_portal_strings_match_what_the_form_shows() -> None:
    assert portal_string(None) == ""
    assert portal_string(date(2019, 3, 5)) == "05/03/2562"
    assert portal_string(datetime(2019, 3, 5, 0, 0)) == "05/03/2562"
    assert portal_string(104.50) == "104.5"
    assert portal_string(Decimal("20")) == "20"
    assert portal_string(0.0) == "0"
    assert portal_string("  ห้อง 1 ") == "ห้อง 1"


def rpt318(path: Path) -> Path:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["รายงานรายละเอียดข้อมูลนักเรียน"])
    sheet.append(
        [
            "ลำดับที่",
            "สถานศึกษา",
            "ปีการศึกษา",
            "เลขประจำตัวประชาชน",
            "คำนำหน้า",
            "ชื่อ",
            "นามสกุล",
            "ห้องเรียน",
            "ผู้ปกครอง",
            None,
        ]
    )
    sheet.append([None, None, None, None, None, None, None, None, "ชื่อ", "เบอร์โทร"])
    sheet.append(
        [
            1,
            "โรงเรียนเทศบาลบ้านเป็ด",
            2568,
            "1-1037-02071-00-5",
            "เด็กชาย",
            "สมชาย",
            "ใจดี",
            1,
            "สมศรี",
            "0812345678",
        ]
    )
    sheet.append([2, "โรงเรียนเทศบาลบ้านเป็ด", 2568, None, "เด็กหญิง", "ไร้เลข", "ไม่มี", 1, None, None])
    book.save(path)
    return path


def test_rows_are_keyed_by_normalised_id_with_grouped_headers(tmp_path: Path) -> None:
    rows = read_portal_rows(rpt318(tmp_path / "rpt318.xlsx"))
    assert list(rows) == ["1103702071005"]  # the row without an ID cannot be matched: left out
    row = rows["1103702071005"]
    assert row["first_name"] == "สมชาย" and row["room"] == "1"
    assert row["guardian_first_name"] == "สมศรี" and row["guardian_phone"] == "0812345678"


def test_only_entered_fields_the_portal_shows_are_compared() -> None:
    portal = {"national_id": "1", "first_name": "สมชาย", "room": "1", "school_name": "X"}
    record = {"national_id": "1", "first_name": "สมชาย", "room": "2", "school_name": "", "x": "y"}
    assert differing_fields(record, portal) == ["room"]
    assert differing_fields({**record, "room": " 1 "}, portal) == []


def test_an_export_without_a_recognised_header_is_an_error_not_an_empty_portal(
    tmp_path: Path,
) -> None:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["Student report"])
    sheet.append(["No.", "Citizen", "Given", "Family"])
    sheet.append([1, "1103702071005", "สมชาย", "ใจดี"])
    book.save(tmp_path / "odd.xlsx")
    with pytest.raises(RuleError) as raised:
        read_portal_export(tmp_path / "odd.xlsx")
    assert "เลขประจำตัวประชาชน (national_id)" in raised.value.en  # what was expected
    assert "Student report" in raised.value.en  # what was found


def test_an_export_with_a_header_and_no_rows_still_names_its_columns(tmp_path: Path) -> None:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["เลขประจำตัวประชาชน", "ชื่อ", "นามสกุล", "ห้องเรียน"])
    book.save(tmp_path / "empty.xlsx")
    export = read_portal_export(tmp_path / "empty.xlsx")
    assert export.rows == {}
    assert {"national_id", "first_name", "last_name", "room"} <= export.columns


# --- RPT318 as LEC's framework exports it: a legacy .xls named RPT318.xls ---------------------

KIDS = (
    {"national_id": "1103702071005", "prefix": "เด็กชาย", "first_name": "สมชาย",
     "last_name": "ใจดี", "birth_date": "15/03/2562", "room": "1",
     "guardian_first_name": "สมศรี", "guardian_phone": "0812345678", "reg_postcode": "40000"},
    {"national_id": "3309900123451", "prefix": "เด็กหญิง", "first_name": "น้ำฝน",
     "last_name": "ศรีสุข", "birth_date": "01/12/2561", "room": "2", "height_cm": "121.5",
     "guardian_first_name": "มาลี", "guardian_phone": "021234567", "reg_postcode": "40000"},
)  # fmt: skip


def mock_exports(tmp_path: Path) -> tuple[Path, Path]:
    """The mock LEC's RPT318 of the same children, as .xls and as .xlsx."""
    lgo = Lgo("6400101", "ทต.บ้านเป็ด", "เมืองขอนแก่น", "ขอนแก่น")
    school = School("1040100101", "โรงเรียนเทศบาลบ้านเป็ด", "", "", lgo.code, ())
    kids = [Student(n, school.code, dict(v), "", "") for n, v in enumerate(KIDS, start=1)]
    xls, xlsx = tmp_path / "RPT318.xls", tmp_path / "RPT318.xlsx"
    xls.write_bytes(build_rpt318_xls(school, lgo, 2569, 1, kids))
    xlsx.write_bytes(build_rpt318(school, lgo, 2569, 1, kids))
    return xls, xlsx


def test_the_xls_export_reads_back_as_the_xlsx_export(tmp_path: Path) -> None:
    xls, xlsx = mock_exports(tmp_path)
    old, new = read_portal_export(xls), read_portal_export(xlsx)
    assert old == new and set(old.rows) == {"1103702071005", "3309900123451"}
    girl = old.rows["3309900123451"]
    assert girl["first_name"] == "น้ำฝน" and girl["birth_date"] == "01/12/2561"
    assert girl["guardian_phone"] == "021234567" and girl["height_cm"] == "121.5"


def test_numbers_and_date_cells_of_an_xls_read_as_the_form_shows_them(tmp_path: Path) -> None:
    # The export's writer may keep IDs, phones and dates as number and date cells: the
    # strings must still be the form's, or every child would look changed.
    book = xlwt.Workbook(encoding="utf-8")
    sheet = book.add_sheet("Sheet1")
    headers = ["เลขประจำตัวประชาชน", "ชื่อ", "นามสกุล", "วันเกิด", "ห้องเรียน", "เบอร์โทรผู้ปกครอง"]
    for column, header in enumerate(headers):
        sheet.write(0, column, header)
    cells = [1103702071005, "สมชาย", "ใจดี", date(2019, 3, 15), 1, 812345678]
    for column, value in enumerate(cells):
        style = xlwt.easyxf(num_format_str="DD/MM/YYYY") if isinstance(value, date) else None
        sheet.write(1, column, value, *([style] if style else []))
    book.save(str(tmp_path / "RPT318.xls"))
    row = read_portal_rows(tmp_path / "RPT318.xls")["1103702071005"]
    assert row["birth_date"] == "15/03/2562" and row["room"] == "1"
    assert row["guardian_phone"] == "0812345678"  # the 0 a number cell cannot keep
