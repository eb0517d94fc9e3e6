"""Buddhist-Era dates as officers type them, as Excel stores them, and as edubot writes them.

The one home of the BE offset and the Thai month names.
"""

from __future__ import annotations

import re
from datetime import date, datetime

from bot.data.errors import RuleError
from bot.data.thai_text import clean_text, compact, to_arabic_digits

BE_OFFSET = 543  # BE year = CE year + 543
# Excel accepts a BE year typed into a date cell as a Gregorian year; anything above this is one.
_BE_THRESHOLD = 2400
# No school record predates this; older years are typing mistakes (BE 2462 for 2562, …).
_OLDEST_CE_YEAR = 1900

_MONTH_NAMES = (
    ("มกราคม", "ม.ค.", "jan", "january"),
    ("กุมภาพันธ์", "ก.พ.", "feb", "february"),
    ("มีนาคม", "มี.ค.", "mar", "march"),
    ("เมษายน", "เม.ย.", "apr", "april"),
    ("พฤษภาคม", "พ.ค.", "may", "may"),
    ("มิถุนายน", "มิ.ย.", "jun", "june"),
    ("กรกฎาคม", "ก.ค.", "jul", "july"),
    ("สิงหาคม", "ส.ค.", "aug", "august"),
    ("กันยายน", "ก.ย.", "sep", "september"),
    ("ตุลาคม", "ต.ค.", "oct", "october"),
    ("พฤศจิกายน", "พ.ย.", "nov", "november"),
    ("ธันวาคม", "ธ.ค.", "dec", "december"),
)
THAI_MONTHS_SHORT = tuple(names[1] for names in _MONTH_NAMES)  # ม.ค. … ธ.ค.
_MONTHS = {
    compact(name).replace(".", ""): number
    for number, names in enumerate(_MONTH_NAMES, start=1)
    for name in names
}
_TIME_SUFFIX = re.compile(r"[ T]\d{1,2}:\d{2}(:\d{2}(\.\d+)?)?$")
_DMY = re.compile(r"^(\d{1,2})[/\-.](\d{1,2})[/\-.](\d{4}|\d{2})$")
_YMD = re.compile(r"^(\d{4})[/\-.](\d{1,2})[/\-.](\d{1,2})$")
_D_MONTH_Y = re.compile(r"^(\d{1,2})\s*([^\d\s]+(?:\s[^\d\s]+)?)\s*(\d{4}|\d{2})$")
_DIGITS_ONLY = re.compile(r"^\d{7,8}$")
_FORMAT_FIX_TH = "พิมพ์เป็น วัน/เดือน/ปี พ.ศ. เช่น 15/03/2562"
_FORMAT_FIX_EN = "Type day/month/BE year, e.g. 15/03/2562."


def format_be_date(value: date) -> str:
    """Format a date as the portal shows it: ``dd/mm/yyyy`` in the Buddhist Era."""
    return f"{value.day:02d}/{value.month:02d}/{value.year + BE_OFFSET}"


def format_thai_date(value: date) -> str:
    """Format a date as an officer writes it: ``10 ธ.ค. 2569``."""
    return f"{value.day} {THAI_MONTHS_SHORT[value.month - 1]} {value.year + BE_OFFSET}"


def parse_thai_date(value: str | date | datetime, *, today: date | None = None) -> date:
    """Read a BE date typed by an officer or stored by Excel; refuse impossible ones."""
    today = today or date.today()
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, date):
        return _from_cell_date(value, today)
    text = to_arabic_digits(clean_text(value))
    if not text:
        raise RuleError("ไม่ได้กรอกวันที่", "The date is empty.", fix_th=_FORMAT_FIX_TH)
    day, month, year, year_digits, era = _split(text)
    ce_year = _resolve_year(year, year_digits, era, today, original=text)
    return _make_date(ce_year, month, day, original=text)


def _split(text: str) -> tuple[int, int, int, int, str]:
    """Split a date text into day, month, year, the year's digit count and its era."""
    era = ""
    if "ค.ศ" in text:
        era = "CE"
    elif "พ.ศ" in text:
        era = "BE"
    bare = re.sub(r"[พค]\.?ศ\.?", " ", text)
    bare = clean_text(_TIME_SUFFIX.sub("", bare))
    if match := _DMY.match(bare):
        return int(match[1]), int(match[2]), int(match[3]), len(match[3]), era
    if match := _YMD.match(bare):
        return int(match[3]), int(match[2]), int(match[1]), 4, era
    if _DIGITS_ONLY.match(bare):  # 15032562 typed without separators; 7 digits lost a 0
        bare = bare.zfill(8)
        return int(bare[:2]), int(bare[2:4]), int(bare[4:]), 4, era
    if match := _D_MONTH_Y.match(bare):
        month = _MONTHS.get(compact(match[2]).replace(".", ""))
        if month is not None:
            return int(match[1]), month, int(match[3]), len(match[3]), era
    raise RuleError(
        f"อ่านวันที่ '{text}' ไม่ได้",
        f"Cannot read the date '{text}'.",
        fix_th=_FORMAT_FIX_TH,
        fix_en=_FORMAT_FIX_EN,
    )


def _resolve_year(year: int, digits: int, era: str, today: date, *, original: str) -> int:
    """Return the Gregorian year for a typed year: BE unless clearly Gregorian."""
    this_be_year = today.year + BE_OFFSET
    if digits == 2:
        be_year = 2500 + year
        # "98" is 2498, not 2598: a two-digit year never points beyond next year.
        ce_year = (be_year if be_year <= this_be_year + 1 else be_year - 100) - BE_OFFSET
    elif era == "CE" or (era != "BE" and year < _BE_THRESHOLD):
        ce_year = year
    else:
        ce_year = year - BE_OFFSET
    _check_year(ce_year, today, original=original)
    return ce_year


def _check_year(ce_year: int, today: date, *, original: str) -> None:
    """Refuse years before 1900 or after next year (typing mistakes)."""
    if not _OLDEST_CE_YEAR <= ce_year <= today.year + 1:
        raise RuleError(
            f"ปีในวันที่ '{original}' เป็นไปไม่ได้ (ต้องอยู่ระหว่าง พ.ศ. "
            f"{_OLDEST_CE_YEAR + BE_OFFSET}–{today.year + 1 + BE_OFFSET})",
            f"The year in '{original}' is implausible (expected BE "
            f"{_OLDEST_CE_YEAR + BE_OFFSET}–{today.year + 1 + BE_OFFSET}).",
            fix_th="ตรวจปี พ.ศ. (4 หลัก เช่น 2562)",
            fix_en="Check the BE year (4 digits, e.g. 2562).",
        )


def _from_cell_date(value: date, today: date) -> date:
    """Undo the BE-year-in-a-date-cell trap: Excel stores 15/03/2562 as the year 2562."""
    original = f"{value.day:02d}/{value.month:02d}/{value.year}"
    if value.year > _BE_THRESHOLD:
        ce_year = value.year - BE_OFFSET
        _check_year(ce_year, today, original=original)
        return _make_date(ce_year, value.month, value.day, original=original)
    _check_year(value.year, today, original=original)
    return value


def _make_date(year: int, month: int, day: int, *, original: str) -> date:
    """Build a date or explain why it does not exist (31/02, 29/02 of a non-leap year)."""
    try:
        return date(year, month, day)
    except ValueError:
        raise RuleError(
            f"ไม่มีวันที่ '{original}' ในปฏิทิน",
            f"The date '{original}' does not exist.",
            fix_th="ตรวจวันและเดือน (เช่น เดือนกุมภาพันธ์มี 28 หรือ 29 วัน)",
            fix_en="Check the day and month (February has 28 or 29 days).",
        ) from None
