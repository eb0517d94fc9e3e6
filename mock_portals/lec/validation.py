"""Server-side checks of a posted student form, with the portal's Thai messages.

The ID checks are a small implementation of their own, deliberately not imported from `bot/`:
a bug in the bot's checksum must be caught by the mock, not mirrored by it.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from mock_portals.lec.fields import DATE_KEYS, FIELDS, NUMBER_KEYS, POSTCODE_KEYS, Field

MSG_BAD_ID = "เลขประจำตัวประชาชนไม่ถูกต้อง"
MSG_DUPLICATE_ID = "เลขประจำตัวประชาชนนี้มีอยู่แล้วในสถานศึกษา"
MSG_GRADE_NOT_OFFERED = "ระดับชั้นนี้ไม่เปิดสอนในสถานศึกษา"
MSG_BAD_DATE = "รูปแบบวันที่ไม่ถูกต้อง (วว/ดด/ปปปป พ.ศ.)"
BE_OFFSET = 543

# ASCII digits only: `\d` would also accept Thai digits (๐-๙), which the portal does not.
_THAI_ID = re.compile(r"[0-9]{13}")
_G_CODE = re.compile(r"G[0-9]{12}")
_BE_DATE = re.compile(r"([0-9]{2})/([0-9]{2})/([0-9]{4})")
_POSTCODE = re.compile(r"[0-9]{5}")
_NUMBER = re.compile(r"[0-9]+(\.[0-9]+)?")


def msg_required(label: str) -> str:
    return f"กรุณากรอก {label}"


def msg_postcode(label: str) -> str:
    return f"{label} ต้องเป็นตัวเลข 5 หลัก"


def msg_number(label: str) -> str:
    return f"{label} ต้องเป็นตัวเลข"


def msg_option(label: str) -> str:
    return f"{label}ไม่ถูกต้อง"


def is_valid_thai_id(value: str) -> bool:
    """13 ASCII digits whose last digit is the mod-11 check digit of the first twelve."""
    if not _THAI_ID.fullmatch(value):
        return False
    total = sum(int(d) * (13 - i) for i, d in enumerate(value[:12]))
    return (11 - total % 11) % 10 == int(value[12])


def is_valid_student_id(value: str) -> bool:
    """A Thai national ID or a G-Code (`G` + 12 digits, no check digit)."""
    return is_valid_thai_id(value) or bool(_G_CODE.fullmatch(value))


def is_valid_be_date(value: str) -> bool:
    """`dd/mm/yyyy` in the Buddhist Era, a real calendar day, year 2400–2700."""
    match = _BE_DATE.fullmatch(value)
    if not match:
        return False
    day, month, year = (int(g) for g in match.groups())
    if not 2400 <= year <= 2700:  # a Gregorian year typed by mistake lands far outside
        return False
    try:
        date(year - BE_OFFSET, month, day)
    except ValueError:
        return False
    return True


@dataclass(frozen=True)
class FieldError:
    """One message about one field; `summary` is the line shown in the alert at the top."""

    key: str
    message: str
    summary: str


def _check_field(field: Field, value: str) -> str | None:
    if not value.strip():
        return msg_required(field.label) if field.required else None
    if field.options and value not in field.options:
        return msg_option(field.label)
    if field.key == "national_id" and not is_valid_student_id(value):
        return MSG_BAD_ID
    if field.key in DATE_KEYS and not is_valid_be_date(value):
        return MSG_BAD_DATE
    if field.key in POSTCODE_KEYS and not _POSTCODE.fullmatch(value):
        return msg_postcode(field.label)
    if field.key in NUMBER_KEYS and not _NUMBER.fullmatch(value):
        return msg_number(field.label)
    return None


def _error(field: Field, message: str) -> FieldError:
    # The date message does not name its field, so the top summary adds the label.
    summary = f"{field.label}: {message}" if message == MSG_BAD_DATE else message
    return FieldError(field.key, message, summary)


def validate_student(
    values: Mapping[str, str], allowed_grades: tuple[str, ...], duplicate_id: bool
) -> list[FieldError]:
    """Every problem with a posted student, in form order; empty when it may be stored."""
    errors: list[FieldError] = []
    for field in FIELDS:
        value = values.get(field.key, "")
        message = _check_field(field, value)
        if message is None and field.key == "national_id" and duplicate_id:
            message = MSG_DUPLICATE_ID
        if message is None and field.key == "grade" and value not in allowed_grades:
            message = MSG_GRADE_NOT_OFFERED
        if message is not None:
            errors.append(_error(field, message))
    return errors
