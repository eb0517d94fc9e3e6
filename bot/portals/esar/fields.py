"""The SAR manifest's columns, and how each cell's value is read and checked."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from typing import Literal, get_args

from bot.data.errors import RuleError
from bot.data.thai import BE_OFFSET, clean_text, parse_thai_date, to_arabic_digits
from bot.data.thai_text import compact

Level = Literal["ปฐมวัย", "ขั้นพื้นฐาน"]
LEVELS: tuple[Level, ...] = get_args(Level)

_LEVEL_ALIASES: dict[str, Level] = {
    "ปฐมวัย": "ปฐมวัย",
    "การศึกษาปฐมวัย": "ปฐมวัย",
    "earlychildhood": "ปฐมวัย",
    "early_childhood": "ปฐมวัย",
    "ขั้นพื้นฐาน": "ขั้นพื้นฐาน",
    "การศึกษาขั้นพื้นฐาน": "ขั้นพื้นฐาน",
    "basic": "ขั้นพื้นฐาน",
    "basiceducation": "ขั้นพื้นฐาน",
    "basic_education": "ขั้นพื้นฐาน",
}
_SCHOOL_CODE = re.compile(r"^\d{10}$")
_BE_THRESHOLD = 2400


@dataclass(frozen=True)
class Column:
    """One manifest column: its field name (the English alias), Thai header and a hint."""

    field: str
    thai: str
    hint_th: str
    hint_en: str
    required: bool = True


COLUMNS: tuple[Column, ...] = (
    Column("school_code", "รหัสสถานศึกษา", "ตัวเลข 10 หลัก", "10 digits, e.g. 3040010002"),
    Column("school_name", "ชื่อสถานศึกษา", "ชื่อเต็มตามที่ปรากฏในรายงาน", "full name as in the report"),
    Column("academic_year", "ปีการศึกษา", "ปี พ.ศ. เช่น 2567", "Buddhist-era year, e.g. 2567"),
    Column("level", "ระดับการศึกษา", "ปฐมวัย หรือ ขั้นพื้นฐาน", "ปฐมวัย or ขั้นพื้นฐาน"),
    Column(
        "pdf",
        "ไฟล์ PDF",
        "ชื่อไฟล์ในโฟลเดอร์เดียวกับไฟล์นี้ เช่น pdf/sar-2567.pdf",
        "path relative to this file's folder, e.g. pdf/sar-2567.pdf",
    ),
    Column(
        "board_approved",
        "วันที่คณะกรรมการสถานศึกษาเห็นชอบ",
        "วว/ดด/ปปปป พ.ศ. เช่น 10/04/2568",
        "day/month/BE year, e.g. 10/04/2568",
        required=False,
    ),
    Column(
        "executive_received",
        "วันที่เสนอผู้บริหารท้องถิ่น",
        "วว/ดด/ปปปป พ.ศ. เช่น 11/04/2568",
        "day/month/BE year, e.g. 11/04/2568",
        required=False,
    ),
)
COLUMN_BY_FIELD = {c.field: c for c in COLUMNS}
_HEADER_KEYS = {compact(name): c for c in COLUMNS for name in (c.thai, c.field)}


def column_for_header(header: object) -> Column | None:
    """The column a header names, in Thai or by its English alias; None when unknown."""
    return _HEADER_KEYS.get(compact(header))


def _plain(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # Excel keeps typed numbers as floats: 3040010002.0
    return to_arabic_digits(clean_text(value))


def read_school_code(value: object) -> str:
    """A 10-digit school code; dashes and spaces typed between digits are dropped."""
    text = re.sub(r"[\s\-]", "", _plain(value))
    if not _SCHOOL_CODE.match(text):
        raise RuleError(
            f"รหัสสถานศึกษา '{text}' ต้องเป็นตัวเลข 10 หลัก",
            f"School code '{text}' must be 10 digits.",
            fix_th="กรอกรหัสสถานศึกษา 10 หลัก เช่น 3040010002",
            fix_en="Type the 10-digit school code, e.g. 3040010002.",
        )
    return text


def read_school_name(value: object) -> str:
    """The school's name, cleaned; never empty."""
    text = clean_text(value)
    if not text:
        raise RuleError(
            "ไม่ได้กรอกชื่อสถานศึกษา",
            "The school name is empty.",
            fix_th="กรอกชื่อสถานศึกษาตามที่ปรากฏในรายงาน SAR",
            fix_en="Type the school's name as it appears in the SAR.",
        )
    return text


def read_academic_year(value: object, *, today: date) -> int:
    """A Buddhist-era academic year, no later than the current one."""
    text = _plain(value)
    this_year = today.year + BE_OFFSET
    if not text.isdigit() or len(text) != 4:
        raise RuleError(
            f"ปีการศึกษา '{text}' ต้องเป็นปี พ.ศ. 4 หลัก",
            f"Academic year '{text}' must be a 4-digit Buddhist-era year.",
            fix_th=f"กรอกปี พ.ศ. เช่น {this_year - 1}",
            fix_en=f"Type the BE year, e.g. {this_year - 1}.",
        )
    year = int(text)
    if year < _BE_THRESHOLD:
        raise RuleError(
            f"ปีการศึกษา '{year}' เป็นปี ค.ศ.",
            f"Academic year '{year}' is a Gregorian (CE) year.",
            fix_th=f"ใช้ปี พ.ศ.: {year} + 543 = {year + BE_OFFSET}",
            fix_en=f"Use the BE year: {year} + 543 = {year + BE_OFFSET}.",
        )
    if not this_year - 20 <= year <= this_year:
        raise RuleError(
            f"ปีการศึกษา '{year}' เป็นไปไม่ได้ (ต้องอยู่ระหว่าง {this_year - 20}–{this_year})",
            f"Academic year '{year}' is implausible (expected {this_year - 20}–{this_year}).",
            fix_th="ตรวจปีการศึกษา พ.ศ.",
            fix_en="Check the BE academic year.",
        )
    return year


def read_level(value: object) -> Level:
    """ปฐมวัย or ขั้นพื้นฐาน, also from the English names."""
    level = _LEVEL_ALIASES.get(compact(value))
    if level is None:
        raise RuleError(
            f"ระดับการศึกษา '{clean_text(value)}' ไม่ถูกต้อง",
            f"Education level '{clean_text(value)}' is not known.",
            fix_th="เลือก ปฐมวัย หรือ ขั้นพื้นฐาน",
            fix_en="Choose ปฐมวัย (early childhood) or ขั้นพื้นฐาน (basic education).",
        )
    return level


def read_pdf_path(value: object) -> str:
    """The PDF's path as written; never empty."""
    text = clean_text(value)
    if not text:
        raise RuleError(
            "ไม่ได้ระบุไฟล์ PDF",
            "The PDF file is not given.",
            fix_th="พิมพ์ชื่อไฟล์ PDF ที่อยู่ในโฟลเดอร์เดียวกับไฟล์รายการนี้",
            fix_en="Type the name of the PDF, kept in the same folder as this list.",
        )
    return text


def read_optional_date(value: object, *, today: date) -> date | None:
    """A BE date (text or Excel date); None when the cell is empty."""
    if value is None or (isinstance(value, str) and not clean_text(value)):
        return None
    if isinstance(value, datetime | date):
        return parse_thai_date(value, today=today)
    return parse_thai_date(str(value), today=today)
