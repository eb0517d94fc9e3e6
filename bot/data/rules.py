"""Per-field parsing and cross-field checks shared by :class:`Student` and the readers.

Each cell is parsed on its own so that a reader can report every bad cell of a row at once;
cross-field checks then run on whatever parsed cleanly.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation
from typing import Literal

from bot.data.fields import FieldSpec
from bot.data.thai import (
    BE_OFFSET,
    RuleError,
    academic_year_of,
    age_on,
    check_student_id,
    clean_text,
    format_be_date,
    gender_for_prefix,
    grade_entry_age,
    normalise_gender,
    normalise_grade,
    normalise_phone,
    normalise_prefix,
    normalise_religion,
    parse_thai_date,
    to_arabic_digits,
)

Severity = Literal["error", "warning"]
# Officers type a dash for "nothing to say"; the portal wants an empty box.
_EMPTY_MARKS = frozenset({"", "-", "–", "—", "--"})
# A dash is the officer's explicit "clear this on the portal"; a blank cell leaves it alone.
CLEAR_MARK = "-"
_CLEAR_MARKS = _EMPTY_MARKS - {""}
_OLDEST_STUDENT_YEARS = 30
_EXCEL_SERIAL_MAX = 2_958_465  # 31/12/9999
_NUMBER_UNITS = re.compile(r"(ซม\.?|เซนติเมตร|cm|กก\.?|กิโลกรัม|kg)$", re.IGNORECASE)
_NUMBER_RANGES = {"height_cm": (Decimal(40), Decimal(220)), "weight_kg": (Decimal(5), Decimal(200))}


@dataclass(frozen=True)
class Finding:
    """A cross-field finding: the key it belongs to, the rule broken, and how bad it is."""

    key: str
    error: RuleError
    severity: Severity


def plain_text(value: object) -> str:
    """Render a cell value as text: ``12.0`` → ``12``, ``104.5`` stays, ``None`` → ``""``."""
    if type(value) is str:  # most cells, and every text a record holds; none of the types below
        return clean_text(value)
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else format(Decimal(repr(value)), "f")
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    if isinstance(value, date):
        return format_be_date(value.date() if isinstance(value, datetime) else value)
    return clean_text(value)


def is_empty(value: object) -> bool:
    """Tell whether a cell holds nothing (or only a dash)."""
    if value is None or value == "":
        return True
    return not isinstance(value, date) and plain_text(value) in _EMPTY_MARKS


def is_clear_mark(value: object) -> bool:
    """Tell whether a cell asks to clear the field on the portal (a dash, not a blank)."""
    return isinstance(value, str) and plain_text(value) in _CLEAR_MARKS


def parse_value(spec: FieldSpec, value: object, *, today: date) -> object:
    """Parse one cell for ``spec``; return its typed value or raise :class:`RuleError`."""
    if is_empty(value):
        if spec.required and spec.kind != "gender":  # gender follows the prefix when empty
            raise RuleError(
                f"ต้องกรอก '{spec.header_th}'",
                f"'{spec.alias_en}' is required.",
                fix_th=f"กรอก {spec.header_th} ในช่องนี้",
                fix_en=f"Fill in {spec.alias_en}.",
            )
        return None if spec.kind in _NONE_WHEN_EMPTY else ""
    return _PARSERS[spec.kind](spec, value, today)


def _parse_id(spec: FieldSpec, value: object, today: date) -> object:
    return check_student_id(plain_text(value), today=today)


def _parse_text(spec: FieldSpec, value: object, today: date) -> object:
    return plain_text(value)


def _parse_name(spec: FieldSpec, value: object, today: date) -> object:
    text = plain_text(value)
    if any(map(str.isdigit, text)):  # Thai digits ๐-๙ are digits to isdigit too
        raise RuleError(
            f"'{spec.header_th}' มีตัวเลขปนอยู่",
            f"'{spec.alias_en}' contains digits.",
            fix_th="ตรวจว่าไม่ได้วางข้อมูลผิดคอลัมน์",
            fix_en="Check that the value was not pasted into the wrong column.",
        )
    return text


def _parse_prefix(spec: FieldSpec, value: object, today: date) -> object:
    prefix = normalise_prefix(value)
    if prefix not in spec.options:
        raise RuleError(
            f"คำนำหน้า '{prefix}' ไม่มีในระบบ LEC สำหรับนักเรียน",
            f"LEC offers no student prefix '{prefix}'.",
            fix_th="ใช้ " + ", ".join(spec.options),
            fix_en="Use one of " + ", ".join(spec.options) + ".",
        )
    return prefix


def _parse_parent_prefix(spec: FieldSpec, value: object, today: date) -> object:
    try:
        return normalise_prefix(value)
    except RuleError:
        return plain_text(value)  # ranks and titles (ว่าที่ ร.ต., ดร.) are kept as typed


def _parse_date(spec: FieldSpec, value: object, today: date) -> date:
    if isinstance(value, int | float) and not isinstance(value, bool):
        if value < 1_000_000:  # an Excel serial number in a cell not formatted as a date
            if not 0 < value <= _EXCEL_SERIAL_MAX:
                raise RuleError("ตัวเลขนี้ไม่ใช่วันที่", "This number is not a date.")
            value = datetime(1899, 12, 30) + timedelta(days=float(value))
        else:
            value = plain_text(value)
    if not isinstance(value, str | date):
        value = plain_text(value)
    parsed = parse_thai_date(value, today=today)
    if spec.kind == "date" and parsed > today + timedelta(days=366):
        raise RuleError(
            f"'{spec.header_th}' อยู่ในอนาคต ({format_be_date(parsed)})",
            f"'{spec.alias_en}' is in the future ({format_be_date(parsed)}).",
            fix_th="ตรวจปี พ.ศ.",
            fix_en="Check the BE year.",
        )
    return parsed


def _parse_birth_date(spec: FieldSpec, value: object, today: date) -> object:
    born = _parse_date(spec, value, today)
    if born > today:
        raise RuleError(
            f"วันเกิดอยู่ในอนาคต ({format_be_date(born)})",
            f"The birth date is in the future ({format_be_date(born)}).",
            fix_th="ตรวจปี พ.ศ. (เช่น 2562 ไม่ใช่ 2652)",
            fix_en="Check the BE year (e.g. 2562, not 2652).",
        )
    if age_on(born, today) > _OLDEST_STUDENT_YEARS:
        raise RuleError(
            f"วันเกิด {format_be_date(born)} ทำให้อายุเกิน {_OLDEST_STUDENT_YEARS} ปี",
            f"Birth date {format_be_date(born)} makes the student older than "
            f"{_OLDEST_STUDENT_YEARS}.",
            fix_th="ตรวจปี พ.ศ. (อาจพิมพ์ ค.ศ. หรือพิมพ์ผิด)",
            fix_en="Check the BE year (a Gregorian year or a typo?).",
        )
    return born


def _parse_number(spec: FieldSpec, value: object, today: date) -> object:
    text = _NUMBER_UNITS.sub("", to_arabic_digits(plain_text(value))).strip().replace(",", ".")
    try:
        number = Decimal(text)
    except InvalidOperation:
        number = Decimal("NaN")
    low, high = _NUMBER_RANGES.get(spec.key, (Decimal(0), Decimal(1_000_000)))
    if not number.is_finite() or not low <= number <= high:
        raise RuleError(
            f"'{spec.header_th}' ต้องเป็นตัวเลขระหว่าง {low}–{high} (พบ '{plain_text(value)}')",
            f"'{spec.alias_en}' must be a number from {low} to {high} "
            f"(found '{plain_text(value)}').",
            fix_th="ใส่ตัวเลขอย่างเดียว เช่น 104.5",
            fix_en="Type the number only, e.g. 104.5.",
        )
    return number.normalize() if number == number.to_integral() else number


def _parse_digits(spec: FieldSpec, value: object, length: int) -> str:
    text = to_arabic_digits(plain_text(value)).replace(" ", "").replace("-", "")
    if len(text) != length or not text.isascii() or not text.isdigit():
        raise RuleError(
            f"'{spec.header_th}' ต้องเป็นตัวเลข {length} หลัก (พบ '{plain_text(value)}')",
            f"'{spec.alias_en}' must be {length} digits (found '{plain_text(value)}').",
            fix_th=f"พิมพ์ตัวเลข {length} หลัก ถ้า Excel ตัดเลข 0 ข้างหน้า ให้จัดรูปแบบเซลล์เป็นข้อความ",
            fix_en=f"Type {length} digits; format the cell as text if Excel drops a leading 0.",
        )
    return text


def _parse_academic_year(spec: FieldSpec, value: object, today: date) -> object:
    year = int(_parse_digits(spec, value, 4))
    if not 2548 <= year <= today.year + BE_OFFSET + 1:
        raise RuleError(
            f"ปีการศึกษา {year} เป็นไปไม่ได้ (ใช้ปี พ.ศ. เช่น {academic_year_of(today)})",
            f"Academic year {year} is implausible (use the BE year, e.g. "
            f"{academic_year_of(today)}).",
        )
    return year


def _parse_term(spec: FieldSpec, value: object, today: date) -> object:
    text = to_arabic_digits(plain_text(value)).replace("ภาคเรียนที่", "").strip()
    text = text.split("/", 1)[0].strip()  # "1/2567" is term 1 of 2567
    if text not in ("1", "2"):
        raise RuleError(
            f"ภาคเรียนต้องเป็น 1 หรือ 2 (พบ '{plain_text(value)}')",
            f"The term must be 1 or 2 (found '{plain_text(value)}').",
        )
    return int(text)


_NONE_WHEN_EMPTY = frozenset({"date", "birth_date", "number", "academic_year", "term"})
_PARSERS: dict[str, Callable[[FieldSpec, object, date], object]] = {
    "id": _parse_id,
    "text": _parse_text,
    "name": _parse_name,
    "prefix": _parse_prefix,
    "parent_prefix": _parse_parent_prefix,
    "gender": lambda spec, value, today: normalise_gender(value),
    "date": _parse_date,
    "birth_date": _parse_birth_date,
    "religion": lambda spec, value, today: normalise_religion(value),
    "grade": lambda spec, value, today: normalise_grade(value),
    "number": _parse_number,
    "phone": lambda spec, value, today: normalise_phone(plain_text(value)),
    "postcode": lambda spec, value, today: _parse_digits(spec, value, 5),
    "school_code": lambda spec, value, today: _parse_digits(spec, value, 10),
    "academic_year": _parse_academic_year,
    "term": _parse_term,
}


def derive_gender(values: Mapping[str, object]) -> str:
    """Return the gender to use: the one given, else the one the prefix implies, else ``""``."""
    gender = values.get("gender")
    if isinstance(gender, str) and gender:
        return gender
    prefix = values.get("prefix")
    return gender_for_prefix(prefix) if isinstance(prefix, str) and prefix else ""


def cross_check(values: Mapping[str, object], *, today: date) -> list[Finding]:
    """Check rules spanning several fields; skip any whose inputs are missing or invalid."""
    findings: list[Finding] = []
    prefix, gender = values.get("prefix"), values.get("gender")
    if (
        isinstance(prefix, str)
        and prefix
        and isinstance(gender, str)
        and gender
        and gender_for_prefix(prefix) != gender
    ):
        findings.append(Finding("gender", _gender_mismatch(prefix, gender), "error"))
    born, admitted = values.get("birth_date"), values.get("admission_date")
    if isinstance(born, date) and isinstance(admitted, date) and admitted < born:
        error = RuleError(
            "วันที่เข้าศึกษาอยู่ก่อนวันเกิด",
            "The admission date is before the birth date.",
            fix_th="ตรวจปี พ.ศ. ของทั้งสองวัน",
            fix_en="Check the BE year of both dates.",
        )
        findings.append(Finding("admission_date", error, "error"))
    grade = values.get("grade")
    if isinstance(born, date) and isinstance(grade, str) and grade:
        year = values.get("academic_year")
        warning = age_for_grade_warning(born, grade, year if isinstance(year, int) else None, today)
        if warning is not None:
            findings.append(Finding("birth_date", warning, "warning"))
    return findings


def age_for_grade_warning(
    born: date, grade: str, academic_year: int | None, today: date
) -> RuleError | None:
    """Return a warning when the child's age on 16 May does not fit ``grade``."""
    year = academic_year or academic_year_of(today)
    age = age_on(born, date(year - BE_OFFSET, 5, 16))
    low, high = grade_entry_age(grade)
    if low <= age <= high:
        return None
    return RuleError(
        f"อายุ {age} ปี (ณ 16 พ.ค. {year}) ไม่เข้ากับชั้น {grade} (ปกติ {low}–{high} ปี)",
        f"Age {age} on 16 May {year} BE does not fit {grade} (usually {low}–{high}).",
        fix_th="ตรวจวันเกิดและระดับชั้น ถ้าถูกต้องแล้วไม่ต้องแก้",
        fix_en="Check the birth date and grade; if both are right, nothing to fix.",
    )


def _gender_mismatch(prefix: str, gender: str) -> RuleError:
    return RuleError(
        f"เพศ '{gender}' ไม่ตรงกับคำนำหน้า '{prefix}'",
        f"Gender '{gender}' does not match prefix '{prefix}'.",
        fix_th="แก้เพศหรือคำนำหน้าให้ตรงกัน (หรือเว้นเพศว่างให้ใช้ตามคำนำหน้า)",
        fix_en="Make gender and prefix agree (or leave gender empty to follow the prefix).",
    )
