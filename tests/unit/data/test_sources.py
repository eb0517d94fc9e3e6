"""Workbook cells as the checks see them: openpyxl's values, formulas listed, limits kept."""

from __future__ import annotations

import zipfile
from datetime import date, datetime, time, timedelta
from pathlib import Path

import pytest
from openpyxl import Workbook
from openpyxl.cell.rich_text import CellRichText, TextBlock
from openpyxl.cell.text import InlineFont
from openpyxl.styles import Font

from bot.data.errors import RuleError
from bot.data.sources import ReadLimits, load_sheets

THAI_DATE_FORMATS = [
    "[$-1070000]d/m/yyyy;@",  # Excel's Thai Buddhist-Era date
    "[$-th-TH,107]d mmmm yyyy",
    "B2dd/mm/yyyy",
    "dd/mm/yyyy",
    '"วันที่ "d',
    "yyyy-mm-dd hh:mm",
]


def tricky_workbook(path: Path) -> Path:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "นักเรียน"
    sheet["C3"], sheet["D3"], sheet["E3"] = "หัว", 104, 104.5
    sheet["F3"] = 1402656877339  # an ID typed as a number
    sheet["C4"], sheet["D4"] = datetime(2022, 11, 5), date(2022, 11, 5)
    sheet["E4"], sheet["F4"] = time(8, 30), True
    sheet["E5"], sheet["F5"] = "  ข้อความ\u00a0 ", timedelta(hours=30)
    sheet["C6"] = CellRichText("ab", TextBlock(InlineFont(b=True), "cd"))
    sheet["D6"], sheet["E6"], sheet["F6"] = "0812345678", 1e20, "   "
    sheet["G7"] = datetime(2022, 1, 1, 13, 45)
    sheet["D8"].font = Font(bold=True)  # styled, empty
    sheet.merge_cells("C9:D9")
    sheet["C9"] = "merged"
    for row, number_format in enumerate([*THAI_DATE_FORMATS, "0.00", "@"], start=10):
        cell = sheet.cell(row, 2, 44880.0)
        cell.number_format = number_format
    sheet["B30"].font = Font(bold=True)  # formatted rows after the data are not data
    workbook.create_sheet("ว่าง")
    hidden = workbook.create_sheet("lists")
    hidden["A1"], hidden.sheet_state = "ชาย", "hidden"
    workbook.save(path)
    return path


def test_tricky_cells_read_as_their_values(tmp_path: Path) -> None:
    sheets = load_sheets(tricky_workbook(tmp_path / "t.xlsx"))
    assert [(s.name, s.formulas) for s in sheets] == [
        ("นักเรียน", frozenset()), ("ว่าง", frozenset()), ("lists", frozenset())
    ]  # fmt: skip
    rows = sheets[0].rows
    assert rows[0] == rows[1] == ()  # rows before the first value are kept, empty
    assert rows[2] == (None, None, "หัว", 104, 104.5, 1402656877339)
    assert isinstance(rows[2][3], int) and isinstance(rows[2][5], int)  # no float, no digit lost
    assert rows[3][2:4] == (datetime(2022, 11, 5), datetime(2022, 11, 5))  # dates as datetimes
    assert rows[3][4:] == (time(8, 30), True)
    assert rows[4][4] == "  ข้อความ\u00a0 "  # cleaned by the field rules, not here
    assert rows[5][2:] == ("abcd", "0812345678", 1e20)  # the blank text cell is no value
    assert rows[8] == (None, None, "merged")
    assert rows[9][1] == datetime(2022, 11, 15)  # a serial in a Thai date format
    assert len(rows) == 17  # up to the "@" row; the formatted row 30 is dropped
    assert sheets[1].rows == () and sheets[2].rows == (("ชาย",),)


def rewrite_sheet(path: Path, old: bytes, new: bytes) -> None:
    with zipfile.ZipFile(path) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    name = "xl/worksheets/sheet1.xml"
    assert old in parts[name]
    parts[name] = parts[name].replace(old, new)
    with zipfile.ZipFile(path, "w") as archive:
        for part, data in parts.items():
            archive.writestr(part, data)


def one_cell(path: Path, ref: str, value: object) -> Path:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet["A1"] = "หัว"
    sheet[ref] = value
    workbook.save(path)
    return path


def test_an_error_value_reads_as_its_text(tmp_path: Path) -> None:
    path = one_cell(tmp_path / "e.xlsx", "B2", 7)
    rewrite_sheet(path, b'<c r="B2" t="n"><v>7</v></c>', b'<c r="B2" t="e"><v>#DIV/0!</v></c>')
    assert load_sheets(path)[0].rows[1] == (None, "#DIV/0!")


def test_a_formula_is_listed_and_reads_as_the_value_excel_computed(tmp_path: Path) -> None:
    path = one_cell(tmp_path / "f.xlsx", "B2", "=1+1")
    rewrite_sheet(path, b"<f>1+1</f><v />", b"<f>1+1</f><v>2</v>")  # as Excel saves it
    sheet = load_sheets(path)[0]
    assert sheet.formulas == frozenset({(2, 2)})
    assert sheet.rows == (("หัว",), (None, 2))


def test_a_formula_never_computed_reads_as_no_value(tmp_path: Path) -> None:
    sheet = load_sheets(one_cell(tmp_path / "f.xlsx", "B2", "=1+1"))[0]  # openpyxl saves none
    assert sheet.formulas == frozenset({(2, 2)}) and sheet.rows == (("หัว",),)


def test_text_that_starts_with_an_equals_sign_is_not_a_formula(tmp_path: Path) -> None:
    path = one_cell(tmp_path / "t.xlsx", "B2", "x")
    rewrite_sheet(path, b'<c r="B2" t="inlineStr"><is><t>x</t></is></c>',
                  '<c r="B2" t="inlineStr"><is><t>=ไม่ใช่สูตร</t></is></c>'.encode())  # fmt: skip
    sheet = load_sheets(path)[0]
    assert sheet.formulas == frozenset() and sheet.rows[1] == (None, "=ไม่ใช่สูตร")


def test_a_stray_far_cell_stops_at_the_row_limit(tmp_path: Path) -> None:
    path = one_cell(tmp_path / "far.xlsx", "XFD1048576", "x")
    with pytest.raises(RuleError, match="more than 100 rows"):
        load_sheets(path, ReadLimits(max_rows=100))


def test_columns_beyond_the_limit_are_cut(tmp_path: Path) -> None:
    path = one_cell(tmp_path / "wide.xlsx", "Z2", "far")
    assert load_sheets(path, ReadLimits(max_columns=3))[0].rows == (("หัว",),)


def test_an_unaddressed_cell_reads_in_its_place(tmp_path: Path) -> None:
    path = one_cell(tmp_path / "u.xlsx", "B2", 7)
    rewrite_sheet(path, b'<c r="B2" t="n">', b'<c t="n">')
    assert load_sheets(path)[0].rows[1] == (7,)  # openpyxl counts it from column A
