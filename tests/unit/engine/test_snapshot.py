"""The portal snapshot: RPT318 rows by ID, portal strings, and which fields differ."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import Workbook

from bot.data.errors import RuleError
from bot.data.snapshot import (
    differing_fields,
    portal_string,
    read_portal_export,
    read_portal_rows,
)


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
