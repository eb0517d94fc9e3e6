"""Write the SAR manifest template: Thai headers, English aliases in comments, a level list."""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Font, PatternFill
from openpyxl.worksheet.datavalidation import DataValidation

from bot.portals.esar.fields import COLUMNS, LEVELS
from bot.portals.esar.files import open_owner_only

SHEET_NAME = "SAR"
_TEMPLATE_ROWS = 200
_TEXT_FIELDS = ("school_code", "academic_year", "pdf", "board_approved", "executive_received")
_INSTRUCTIONS = (
    "วิธีกรอก / How to fill in",
    "1. หนึ่งแถวต่อหนึ่งไฟล์ SAR: สถานศึกษา × ปีการศึกษา × ระดับการศึกษา",
    "   One row per SAR file: school × academic year × level.",
    "2. วางไฟล์ PDF ไว้ในโฟลเดอร์เดียวกับไฟล์นี้ (หรือโฟลเดอร์ย่อย) แล้วพิมพ์ชื่อไฟล์ในคอลัมน์ ไฟล์ PDF",
    "   Keep the PDFs in this file's folder (or a sub-folder) and type their names.",
    "3. วันที่เป็น วัน/เดือน/ปี พ.ศ. เช่น 10/04/2568",
    "   Dates are day/month/BE year, e.g. 10/04/2568.",
    "4. รายงาน SAR ต้องส่งภายในวันที่ 25 เมษายน ของปีถัดจากปีการศึกษา",
    "   The SAR is due by 25 April of the year after the academic year.",
)


def write_sar_template(path: Path) -> Path:
    """Write the manifest template to `path` (owner-only) and return it."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = SHEET_NAME
    for index, column in enumerate(COLUMNS, start=1):
        cell = sheet.cell(row=1, column=index, value=column.thai)
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="DDEBF7")
        note = f"{column.field}\n{column.hint_th}\n{column.hint_en}"
        cell.comment = Comment(note, "edubot", width=260, height=110)
        letter = cell.column_letter
        sheet.column_dimensions[letter].width = max(16, len(column.thai) + 6)
        if column.field in _TEXT_FIELDS:  # keep leading zeros and BE dates as typed
            for row in range(2, _TEMPLATE_ROWS + 2):
                sheet.cell(row=row, column=index).number_format = "@"
    level_letter = sheet.cell(row=1, column=_index_of("level")).column_letter
    levels = DataValidation(
        type="list",
        formula1='"' + ",".join(LEVELS) + '"',
        allow_blank=True,
        showErrorMessage=True,
        errorTitle="ระดับการศึกษา",
        error="เลือก ปฐมวัย หรือ ขั้นพื้นฐาน / Choose ปฐมวัย or ขั้นพื้นฐาน",
    )
    levels.add(f"{level_letter}2:{level_letter}{_TEMPLATE_ROWS + 1}")
    sheet.add_data_validation(levels)
    sheet.freeze_panes = "A2"
    help_sheet = book.create_sheet("คำอธิบาย")
    for row, line in enumerate(_INSTRUCTIONS, start=1):
        help_sheet.cell(row=row, column=1, value=line)
    help_sheet.column_dimensions["A"].width = 100
    with open_owner_only(path) as stream:
        book.save(stream)
    return path


def _index_of(field: str) -> int:
    return next(i for i, c in enumerate(COLUMNS, start=1) if c.field == field)
