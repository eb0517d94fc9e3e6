"""The flat input template: Thai headers, drop-down lists and typing hints, no example row."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from bot.data.fields import ALL_FIELDS, FieldSpec
from bot.data.files import save_workbook_private

DATA_SHEET = "นักเรียน"
GUIDE_SHEET = "คำอธิบาย"
LISTS_SHEET = "lists"
TEMPLATE_ROWS = 5000
NATIONALITIES = ("ไทย", "เมียนมา", "ลาว", "กัมพูชา", "เวียดนาม", "จีน", "อื่นๆ")
_REQUIRED_FILL = PatternFill("solid", fgColor="FFE4B5")
_OPTIONAL_FILL = PatternFill("solid", fgColor="EEEEEE")
_HINTS: dict[str, str] = {
    "id": "13 หลัก เช่น 1103702071005 หรือรหัส G เช่น G644200000001 / 13 digits or a G-Code",
    "date": "วว/ดด/ปปปป พ.ศ. เช่น 16/05/2567 / day/month/BE year",
    "birth_date": "วว/ดด/ปปปป พ.ศ. เช่น 15/03/2562 / day/month/BE year",
    "number": "ตัวเลขอย่างเดียว เช่น 104.5 / number only",
    "phone": "เบอร์เดียว เช่น 081-234-5678 / one phone number",
    "postcode": "5 หลัก เช่น 40000 / 5 digits",
    "school_code": "10 หลัก เช่น 3040010001 (ไม่บังคับ) / 10 digits, optional",
    "academic_year": "ปี พ.ศ. เช่น 2567 (ไม่บังคับ) / BE year, optional",
    "term": "1 หรือ 2 (ไม่บังคับ) / 1 or 2, optional",
    "prefix": "เลือก: เด็กชาย เด็กหญิง นาย นางสาว (ด.ช./ด.ญ./น.ส. ก็ได้)",
    "gender": "ชาย/หญิง หรือเว้นว่างให้ใช้ตามคำนำหน้า / empty: from the prefix",
    "grade": "เลือกจากรายการ หรือพิมพ์ ป.1, อ.2, ม.3 / pick, or type P1, K2, M3",
    "religion": "เลือกจากรายการ / pick from the list",
}
# A blank never erases what the portal holds; a dash is the officer's explicit "clear it".
_BLANK_AND_CLEAR_TH = [
    "ช่องว่าง / ขีด (-)",
    "",
    "",
    "เว้นว่าง หรือไม่มีคอลัมน์ = ค่าในระบบคงเดิม ไม่ถูกลบ; ใส่ - ในช่องไม่บังคับ = ลบค่าในระบบให้ว่าง",
]
_BLANK_AND_CLEAR_EN = [
    "blank / dash (-)",
    "",
    "",
    "A blank cell or a missing column leaves the portal's value as it is; "
    "a - in an optional column clears the value on the portal.",
]
# Cells Excel must keep as typed: leading zeros, long numbers and BE dates.
_TEXT_KINDS = frozenset({"id", "phone", "postcode", "school_code", "date", "birth_date"})
_LISTS: dict[str, tuple[str, ...]] = {"nationality": NATIONALITIES}


def write_student_template(path: Path) -> None:
    """Write the empty student template to ``path`` (owner-only)."""
    save_workbook_private(build_template_workbook(), path)


def build_template_workbook() -> Any:
    """Return the template as an openpyxl workbook: data sheet, guide and hidden lists."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = DATA_SHEET
    lists = workbook.create_sheet(LISTS_SHEET)
    lists.sheet_state = "hidden"
    for index, spec in enumerate(ALL_FIELDS, start=1):
        _write_header(sheet, index, spec)
        options = spec.options or _LISTS.get(spec.key, ())
        if options:
            _add_list(sheet, lists, index, spec, options)
        else:
            _add_hint(sheet, index, spec)
    sheet.freeze_panes = "B2"
    _write_guide(workbook.create_sheet(GUIDE_SHEET, 1))
    return workbook


def hint_for(spec: FieldSpec) -> str:
    """The typing hint shown for a column."""
    return _HINTS.get(spec.kind, "ข้อความ / text")


def _write_header(sheet: Any, index: int, spec: FieldSpec) -> None:
    cell = sheet.cell(row=1, column=index, value=spec.header_th)
    cell.font = Font(bold=spec.required)
    cell.fill = _REQUIRED_FILL if spec.required else _OPTIONAL_FILL
    cell.alignment = Alignment(wrap_text=True, vertical="top")
    need = "จำเป็น / required" if spec.required else "ไม่บังคับ / optional"
    comment = Comment(f"{spec.alias_en}\n{need}\n{hint_for(spec)}", "edubot")
    comment.width, comment.height = 300, 120
    cell.comment = comment
    letter = get_column_letter(index)
    sheet.column_dimensions[letter].width = max(12, len(spec.header_th) + 4)
    if spec.kind in _TEXT_KINDS:
        sheet.column_dimensions[letter].number_format = "@"


def _data_range(index: int) -> str:
    letter = get_column_letter(index)
    return f"{letter}2:{letter}{TEMPLATE_ROWS + 1}"


def _add_list(
    sheet: Any, lists: Any, index: int, spec: FieldSpec, options: tuple[str, ...]
) -> None:
    # Lists live on a hidden sheet: an inline list is capped at 255 characters in Excel.
    letter = get_column_letter(index)
    for row, option in enumerate(options, start=1):
        lists.cell(row=row, column=index, value=option)
    validation = DataValidation(
        type="list",
        formula1=f"{LISTS_SHEET}!${letter}$1:${letter}${len(options)}",
        allow_blank=True,
        # Nationality is free text on the form: the list only helps.
        showErrorMessage=spec.key != "nationality",
        errorTitle="ค่าไม่อยู่ในรายการ",
        error="เลือกจากรายการ / pick a value from the list",
        promptTitle=spec.header_th[:32],
        prompt=hint_for(spec)[:255],
        showInputMessage=True,
    )
    validation.add(_data_range(index))
    sheet.add_data_validation(validation)


def _add_hint(sheet: Any, index: int, spec: FieldSpec) -> None:
    validation = DataValidation(
        promptTitle=spec.header_th[:32], prompt=hint_for(spec)[:255], showInputMessage=True
    )
    validation.add(_data_range(index))
    sheet.add_data_validation(validation)


def _write_guide(guide: Any) -> None:
    guide.append(["คอลัมน์ / column", "English", "จำเป็น / required", "วิธีกรอก / how to fill"])
    for spec in ALL_FIELDS:
        guide.append([spec.header_th, spec.alias_en, "✓" if spec.required else "", hint_for(spec)])
    guide.append([])
    guide.append(_BLANK_AND_CLEAR_TH)
    guide.append(_BLANK_AND_CLEAR_EN)
    for letter, width in zip("ABCD", (34, 24, 16, 70), strict=True):
        guide.column_dimensions[letter].width = width
    guide.cell(row=1, column=1).font = Font(bold=True)
