"""Workbook and CSV builders for the data tests."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import xlwt
from openpyxl import Workbook

from bot.data.fields import ADDRESSES, FIELDS_BY_KEY, PERSONS, STUDENT_FIELDS

TODAY = date(2026, 11, 29)  # academic year 2569
VALID_IDS = ("1103702071005", "3309900123451", "1234567890121")


def valid_row(**overrides: object) -> dict[str, object]:
    """A valid Prathom 1 child as an officer would type it."""
    row: dict[str, object] = {
        "national_id": "1103702071005",
        "student_number": "10234",
        "prefix": "ด.ช.",
        "first_name": "สมชาย",
        "last_name": "ใจดี",
        "gender": "ชาย",
        "birth_date": "15/03/2562",
        "nationality": "ไทย",
        "religion": "พุทธ",
        "grade": "ป.1",
        "room": "1",
        "admission_date": "16/05/2569",
        "height_cm": "118.5",
        "guardian_first_name": "สมศรี",
        "guardian_last_name": "ใจดี",
        "guardian_phone": "081-234-5678",
        "reg_house_no": "12/3",
        "reg_subdistrict": "บ้านเป็ด",
        "reg_district": "เมืองขอนแก่น",
        "reg_province": "ขอนแก่น",
        "reg_postcode": "40000",
    }
    row.update(overrides)
    return row


def keys_of(rows: list[dict[str, object]]) -> list[str]:
    """Every key used by any row, in catalogue order."""
    used = {key for row in rows for key in row}
    return [key for key in FIELDS_BY_KEY if key in used]


def write_flat(
    path: Path,
    rows: list[dict[str, object]],
    *,
    headers: list[str] | None = None,
    title: str = "Sheet1",
    lead_rows: int = 0,
) -> Path:
    """Write a flat workbook: optional lead rows, then Thai headers, then one line per row."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = title
    _fill_flat(sheet, rows, headers=headers, lead_rows=lead_rows)
    workbook.save(path)
    return path


def _fill_flat(
    sheet: Any, rows: list[dict[str, object]], *, headers: list[str] | None, lead_rows: int
) -> None:
    keys = keys_of(rows)
    for _ in range(lead_rows):
        sheet.append(["รายชื่อนักเรียน"])
    sheet.append(headers or [FIELDS_BY_KEY[key].header_th for key in keys])
    for row in rows:
        sheet.append([row.get(key) for key in keys])


def write_flat_xls(
    path: Path, rows: list[dict[str, object]], *, title: str = "Sheet1", dates_1904: bool = False
) -> Path:
    """`write_flat` as a legacy .xls (BIFF8, as LEC's JExcelAPI and old Excel write it)."""
    book = xlwt.Workbook(encoding="utf-8")
    book.set_dates_1904(dates_1904)
    sheet = book.add_sheet(title)
    date_style = xlwt.easyxf(num_format_str="DD/MM/YYYY")
    keys = keys_of(rows)
    for column, key in enumerate(keys):
        sheet.write(0, column, FIELDS_BY_KEY[key].header_th)
    for number, row in enumerate(rows, start=1):
        for column, key in enumerate(keys):
            value = row.get(key)
            if isinstance(value, date):
                sheet.write(number, column, value, date_style)
            elif value is not None:
                sheet.write(number, column, value)
    book.save(str(path))
    return path


def write_sheets(path: Path, sheets: dict[str, list[dict[str, object]]]) -> Path:
    """Write one flat sheet per name."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    for title, rows in sheets.items():
        _fill_flat(workbook.create_sheet(title), rows, headers=None, lead_rows=0)
    workbook.save(path)
    return path


_RPT_LEAD = ("ลำดับที่", "จังหวัด", "อำเภอ", "อปท.", "สถานศึกษา", "ปีการศึกษา", "ภาคเรียน")


def write_rpt318(
    path: Path, rows: list[dict[str, object]], *, year: object = 2569, term: object = 1
) -> Path:
    """Write LEC's RPT318 layout: title row, two header rows with merged groups, data at row 4."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Sheet1"
    sheet.cell(row=1, column=1, value="รายงานรายละเอียดข้อมูลนักเรียน (RPT318)")
    plain = [spec for spec in STUDENT_FIELDS if not spec.rpt_group]
    groups = [(th, f"{en}_") for en, th in PERSONS] + [(g, f"{a}_") for a, _, g in ADDRESSES]
    column = 1
    for header in (*_RPT_LEAD, *(spec.rpt_header for spec in plain)):
        sheet.cell(row=2, column=column, value=header)
        sheet.merge_cells(start_row=2, start_column=column, end_row=3, end_column=column)
        column += 1
    layout: list[str] = []
    for group, prefix in groups:
        parts = [spec for spec in STUDENT_FIELDS if spec.key.startswith(prefix)]
        sheet.cell(row=2, column=column, value=group)
        sheet.merge_cells(
            start_row=2, start_column=column, end_row=2, end_column=column + len(parts) - 1
        )
        for spec in parts:
            sheet.cell(row=3, column=column, value=spec.rpt_header)
            layout.append(spec.key)
            column += 1
    for number, row in enumerate(rows, start=1):
        year_value = row.get("academic_year", year)
        term_value = row.get("term", term)
        lead = [number, "ขอนแก่น", "เมืองขอนแก่น", "ทต.บ้านเป็ด", "โรงเรียนเทศบาลบ้านเป็ด"]
        values = [*lead, year_value, term_value]
        values += [row.get(spec.key) for spec in plain] + [row.get(key) for key in layout]
        sheet.append(values)
    workbook.save(path)
    return path


def write_csv(path: Path, rows: list[dict[str, object]], *, encoding: str = "utf-8") -> Path:
    """Write a CSV file with Thai headers in ``encoding`` (``utf-8-sig`` adds a BOM)."""
    keys = keys_of(rows)
    lines = [",".join(FIELDS_BY_KEY[key].header_th for key in keys)]
    lines += [",".join(str(row.get(key) or "") for key in keys) for row in rows]
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode(encoding))
    return path
