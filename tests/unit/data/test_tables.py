"""A flow's plain table (buildings, basic data) reads alike from .xlsx and legacy .xls."""

from __future__ import annotations

from pathlib import Path

import xlwt
from openpyxl import Workbook

from bot.data.tables import read_table

COLUMNS = {"name": "ชื่ออาคาร", "year_built": "ปีที่สร้าง (พ.ศ.)", "rooms": "จำนวนห้อง"}
GRID: list[list[object]] = [
    ["อาคารของโรงเรียน"],
    ["ชื่ออาคาร", "ปีที่สร้าง (พ.ศ.)", "จำนวนห้อง"],
    ["อาคารเรียน 1", 2540, 12],
    ["โรงอาหาร", 2555.0, None],
    [None, None, None],
    ["อาคารเรียน 1", 2560, 4],
]


def as_xlsx(path: Path) -> Path:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    for row in GRID:
        sheet.append(row)
    book.save(path)
    return path


def as_xls(path: Path) -> Path:
    book = xlwt.Workbook(encoding="utf-8")
    sheet = book.add_sheet("อาคาร")
    for r, row in enumerate(GRID):
        for c, value in enumerate(row):
            if value is not None:
                sheet.write(r, c, value)
    book.save(str(path))
    return path


def test_the_same_table_from_xlsx_and_xls(tmp_path: Path) -> None:
    new_rows, new_problems = read_table(as_xlsx(tmp_path / "b.xlsx"), COLUMNS, "name")
    old_rows, old_problems = read_table(as_xls(tmp_path / "b.xls"), COLUMNS, "name")
    assert [(r.row, r.values) for r in old_rows] == [(r.row, r.values) for r in new_rows]
    assert [r.values for r in old_rows] == [
        {"name": "อาคารเรียน 1", "year_built": "2540", "rooms": "12"},
        {"name": "โรงอาหาร", "year_built": "2555", "rooms": ""},
    ]
    [repeated] = old_problems
    assert (repeated.file, repeated.sheet, repeated.row) == (str(tmp_path / "b.xls"), "อาคาร", 6)
    assert "repeats row 3" in repeated.message_en
    assert [p.message_en for p in new_problems] == [repeated.message_en]
