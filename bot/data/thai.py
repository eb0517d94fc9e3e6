"""Thai data rules as pure functions: IDs, G-Codes, BE dates, grades, prefixes, phones.

This module is the one import for callers; identity numbers live in ``thai_ids``, dates in
``thai_dates`` and text clean-up in ``thai_text``, and are re-exported here.
"""

from __future__ import annotations

import re
from datetime import date

from bot.data.errors import RuleError
from bot.data.thai_dates import (
    BE_OFFSET,
    THAI_MONTHS_SHORT,
    format_be_date,
    format_thai_date,
    parse_thai_date,
)
from bot.data.thai_ids import (
    PROVINCES,
    GCode,
    check_national_id,
    check_student_id,
    is_valid_national_id,
    mask_name,
    mask_national_id,
    national_id_check_digit,
    normalise_id,
    parse_gcode,
)
from bot.data.thai_text import clean_text, compact, to_arabic_digits

__all__ = [
    "BE_OFFSET",
    "GENDERS",
    "GRADES",
    "PREFIXES",
    "PROVINCES",
    "RELIGIONS",
    "THAI_MONTHS_SHORT",
    "GCode",
    "RuleError",
    "academic_year_of",
    "age_on",
    "check_national_id",
    "check_student_id",
    "clean_text",
    "format_be_date",
    "format_thai_date",
    "gender_for_prefix",
    "grade_entry_age",
    "is_valid_national_id",
    "mask_name",
    "mask_national_id",
    "national_id_check_digit",
    "normalise_gender",
    "normalise_grade",
    "normalise_id",
    "normalise_phone",
    "normalise_prefix",
    "normalise_religion",
    "parse_gcode",
    "parse_thai_date",
    "to_arabic_digits",
]

GRADES: tuple[str, ...] = (
    *(f"อนุบาล {n}" for n in range(1, 4)),
    *(f"ประถมศึกษาปีที่ {n}" for n in range(1, 7)),
    *(f"มัธยมศึกษาปีที่ {n}" for n in range(1, 7)),
)
_GRADE_STAGES = {"K": ("อนุบาล", 3), "P": ("ประถมศึกษาปีที่", 6), "M": ("มัธยมศึกษาปีที่", 6)}
# Longest first, so that "ประถมศึกษาปีที่" wins over "ประถม" and "ป".
_GRADE_WORDS = sorted(
    [
        *(("K", w) for w in ("อนุบาลปีที่", "อนุบาล", "อ", "k", "kg", "kindergarten")),
        *(("P", w) for w in ("ประถมศึกษาปีที่", "ประถมศึกษา", "ประถมปีที่", "ประถม", "ป", "p")),
        *(("P", w) for w in ("prathom", "prathomsuksa", "grade")),
        *(("M", w) for w in ("มัธยมศึกษาปีที่", "มัธยมศึกษา", "มัธยมปีที่", "มัธยม", "ม", "m")),
        *(("M", w) for w in ("mathayom", "matthayom", "mattayom")),
    ],
    key=lambda item: -len(item[1]),
)
# Nominal age (completed years on 16 May of the academic year) of a child entering each grade.
_NOMINAL_AGE = {"K": 3, "P": 6, "M": 12}
# Late entry, repeated years and children arriving from abroad are common: warn, never refuse.
_AGE_TOLERANCE_BELOW = 1
_AGE_TOLERANCE_ABOVE = 3

PREFIXES: tuple[str, ...] = ("เด็กชาย", "เด็กหญิง", "นาย", "นางสาว", "นาง")
_PREFIX_ALIASES = {
    "ดช": "เด็กชาย", "ดญ": "เด็กหญิง", "นส": "นางสาว", "master": "เด็กชาย", "mr": "นาย",
    "miss": "นางสาว", "ms": "นางสาว", "mrs": "นาง",
}  # fmt: skip
GENDERS: tuple[str, ...] = ("ชาย", "หญิง")
_GENDER_ALIASES = {
    "ชาย": "ชาย", "ช": "ชาย", "เพศชาย": "ชาย", "m": "ชาย", "male": "ชาย", "1": "ชาย",
    "หญิง": "หญิง", "ญ": "หญิง", "เพศหญิง": "หญิง", "f": "หญิง", "female": "หญิง", "2": "หญิง",
}  # fmt: skip
RELIGIONS: tuple[str, ...] = ("พุทธ", "อิสลาม", "คริสต์", "ฮินดู", "ซิกข์", "อื่นๆ", "ไม่นับถือศาสนา")
_RELIGION_ALIASES = {
    "พุทธ": "พุทธ", "ศาสนาพุทธ": "พุทธ", "buddhism": "พุทธ", "buddhist": "พุทธ",
    "อิสลาม": "อิสลาม", "ศาสนาอิสลาม": "อิสลาม", "islam": "อิสลาม", "muslim": "อิสลาม",
    "คริสต์": "คริสต์", "คริสต": "คริสต์", "ศาสนาคริสต์": "คริสต์", "คริสเตียน": "คริสต์",
    "christian": "คริสต์", "christianity": "คริสต์", "ฮินดู": "ฮินดู", "hindu": "ฮินดู",
    "ซิกข์": "ซิกข์", "ซิกซ์": "ซิกข์", "sikh": "ซิกข์", "อื่นๆ": "อื่นๆ", "อื่น": "อื่นๆ",
    "อื่นๆ(ระบุ)": "อื่นๆ", "other": "อื่นๆ", "ไม่นับถือศาสนา": "ไม่นับถือศาสนา",
    "ไม่มี": "ไม่นับถือศาสนา", "ไม่มีศาสนา": "ไม่นับถือศาสนา", "none": "ไม่นับถือศาสนา",
}  # fmt: skip
_MOBILE_PREFIXES = ("06", "08", "09")
_LANDLINE_PREFIXES = ("02", "03", "04", "05", "07")


def normalise_grade(text: object) -> str:
    """Return the portal's grade name for ``ป.1``, ``อนุบาล2``, ``M3``, ``ประถม 1`` …"""
    raw = compact(text).replace(".", "").replace("ชั้น", "", 1)
    for stage, word in _GRADE_WORDS:
        if raw.startswith(word) and raw[len(word) :].isdigit():
            name, last = _GRADE_STAGES[stage]
            number = int(raw[len(word) :])
            if 1 <= number <= last:
                return f"{name} {number}"
    raise RuleError(
        f"ไม่รู้จักระดับชั้น '{clean_text(text)}'",
        f"Unknown grade '{clean_text(text)}'.",
        fix_th="ใช้ อนุบาล 1–3, ประถมศึกษาปีที่ 1–6 หรือ มัธยมศึกษาปีที่ 1–6 (เช่น ป.1, ม.3)",
        fix_en="Use อนุบาล 1–3, ประถมศึกษาปีที่ 1–6 or มัธยมศึกษาปีที่ 1–6 (e.g. P1, M3).",
    )


def grade_entry_age(grade: str) -> tuple[int, int]:
    """Return the plausible (min, max) age in years on 16 May for a child in ``grade``."""
    name = normalise_grade(grade)
    stage = next(key for key, (word, _) in _GRADE_STAGES.items() if name.startswith(word))
    nominal = _NOMINAL_AGE[stage] + int(name.rsplit(" ", 1)[1]) - 1
    return nominal - _AGE_TOLERANCE_BELOW, nominal + _AGE_TOLERANCE_ABOVE


def academic_year_of(day: date) -> int:
    """Return the BE academic year that ``day`` falls in (a Thai school year starts 16 May)."""
    start = date(day.year, 5, 16)
    return day.year + BE_OFFSET - (0 if day >= start else 1)


def age_on(birth: date, day: date) -> int:
    """Return the age in completed years on ``day``."""
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


def normalise_prefix(text: object) -> str:
    """Return a child's or adult's prefix in full: ``ด.ช.`` → ``เด็กชาย``, ``น.ส.`` → ``นางสาว``."""
    raw = compact(text).replace(".", "")
    if raw in PREFIXES:
        return raw
    if raw in _PREFIX_ALIASES:
        return _PREFIX_ALIASES[raw]
    raise RuleError(
        f"ไม่รู้จักคำนำหน้า '{clean_text(text)}'",
        f"Unknown prefix '{clean_text(text)}'.",
        fix_th="ใช้ เด็กชาย, เด็กหญิง, นาย, นางสาว หรือ นาง (หรือ ด.ช., ด.ญ., น.ส.)",
        fix_en="Use เด็กชาย, เด็กหญิง, นาย, นางสาว or นาง (or ด.ช., ด.ญ., น.ส.).",
    )


def gender_for_prefix(prefix: str) -> str:
    """Return ``ชาย`` or ``หญิง`` for a prefix."""
    return "ชาย" if normalise_prefix(prefix) in ("เด็กชาย", "นาย") else "หญิง"


def normalise_gender(text: object) -> str:
    """Return ``ชาย`` or ``หญิง`` for ``ช``, ``male``, ``F`` …"""
    gender = _GENDER_ALIASES.get(compact(text))
    if gender is None:
        raise RuleError(
            f"ไม่รู้จักเพศ '{clean_text(text)}'",
            f"Unknown gender '{clean_text(text)}'.",
            fix_th="ใช้ ชาย หรือ หญิง (หรือเว้นว่างให้ใช้ตามคำนำหน้า)",
            fix_en="Use ชาย or หญิง (or leave empty to follow the prefix).",
        )
    return gender


def normalise_religion(text: object) -> str:
    """Return the portal's religion option for ``ศาสนาพุทธ``, ``Islam`` …"""
    religion = _RELIGION_ALIASES.get(compact(text))
    if religion is None:
        raise RuleError(
            f"ไม่รู้จักศาสนา '{clean_text(text)}'",
            f"Unknown religion '{clean_text(text)}'.",
            fix_th="ใช้ " + ", ".join(RELIGIONS),
            fix_en="Use one of " + ", ".join(RELIGIONS) + ".",
        )
    return religion


def normalise_phone(text: object) -> str:
    """Return a Thai phone number as digits (``0812345678``); accept +66, dashes, spaces."""
    raw = compact(text)
    if raw.endswith(".0"):  # a number cell read as float
        raw = raw[:-2]
    digits = re.sub(r"[\-()./]", "", raw)
    if digits.startswith("+66"):
        digits = "0" + digits[3:]
    elif digits.startswith("66") and len(digits) in (10, 11):
        digits = "0" + digits[2:]
    elif len(digits) in (8, 9) and not digits.startswith("0"):
        digits = "0" + digits  # Excel dropped the leading zero of a number cell
    if digits.isascii() and digits.isdigit():
        if len(digits) == 10 and digits.startswith(_MOBILE_PREFIXES):
            return digits
        if len(digits) == 9 and digits.startswith(_LANDLINE_PREFIXES):
            return digits
    raise RuleError(
        # The number itself stays out of the message: it is personal data.
        "เบอร์โทรไม่ถูกต้อง (มือถือ 10 หลักขึ้นต้น 06/08/09, บ้าน 9 หลัก)",
        "The phone number is invalid (mobile: 10 digits from 06/08/09; landline: 9).",
        fix_th="ใส่เบอร์เดียว เช่น 081-234-5678 หรือ 02-123-4567",
        fix_en="Give one number, e.g. 081-234-5678 or 02-123-4567.",
    )
