"""Basic school data and building forms: their fields and server-side checks. Invented.

The LEC manual names the areas (basic data, buildings) but not their fields; the school header
fields (ที่อยู่สถานศึกษา, โทรศัพท์, อีเมล, เว็บไซต์) appear in RPT318's header block
(docs/lec-portal-facts.md), the others are the mock's guess.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from mock_portals.lec.fields import Field
from mock_portals.lec.validation import FieldError, msg_option, msg_required

MSG_BAD_EMAIL = "รูปแบบอีเมลไม่ถูกต้อง"
MSG_BAD_PHONE = "โทรศัพท์ ต้องเป็นตัวเลข 9 หรือ 10 หลัก"
MSG_DUPLICATE_BUILDING = "ชื่ออาคารนี้มีอยู่แล้ว"
BUILDING_TYPES = ("อาคารเรียน", "อาคารอเนกประสงค์", "โรงอาหาร", "ห้องน้ำ", "อื่นๆ")
CONDITIONS = ("ดี", "พอใช้", "ต้องซ่อมแซม")

_COUNT = re.compile(r"[0-9]{1,6}")
_PHONE = re.compile(r"0[0-9]{8,9}")
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
_YEAR = re.compile(r"[0-9]{4}")
# Stable ids for the per-grade fields: K1–K3, P1–P6, M1–M6 (the codes LAO-EMS maps grades to).
GRADE_CODES: dict[str, str] = {
    **{f"อนุบาล {n}": f"K{n}" for n in range(1, 4)},
    **{f"ประถมศึกษาปีที่ {n}": f"P{n}" for n in range(1, 7)},
    **{f"มัธยมศึกษาปีที่ {n}": f"M{n}" for n in range(1, 7)},
}


def msg_count(label: str) -> str:
    return f"{label} ต้องเป็นจำนวนเต็มตั้งแต่ 0 ขึ้นไป"


def msg_year(label: str) -> str:
    return f"{label} ต้องเป็นปี พ.ศ. 4 หลัก ไม่เกินปีปัจจุบัน"


# --- basic school data ----------------------------------------------------------------------

CONTACT_FIELDS = (
    Field("address", "ที่อยู่สถานศึกษา", "", True),
    Field("phone", "โทรศัพท์", "", True, hint="ตัวเลข 9–10 หลัก"),
    Field("email", "อีเมล", ""),
    Field("website", "เว็บไซต์", ""),
    Field("head_name", "ชื่อผู้บริหารสถานศึกษา", "", True),
)
PERSONNEL_FIELDS = (
    Field("teachers", "จำนวนครู", "", True),
    Field("staff", "จำนวนบุคลากรทางการศึกษา", "", True),
)


def grade_fields(grades: tuple[str, ...]) -> tuple[Field, ...]:
    """Per grade the school teaches: number of classrooms, then number of students."""
    return tuple(
        field
        for grade in grades
        for field in (
            Field(f"classrooms_{GRADE_CODES[grade]}", f"จำนวนห้องเรียน {grade}", grade, True),
            Field(f"students_{GRADE_CODES[grade]}", f"จำนวนนักเรียน {grade}", grade, True),
        )
    )


def _count_keys(grades: tuple[str, ...]) -> set[str]:
    return {f.key for f in (*PERSONNEL_FIELDS, *grade_fields(grades))}


def _basic_problem(field: Field, value: str, counts: set[str]) -> str | None:
    if not value.strip():
        return msg_required(field.label) if field.required else None
    if field.key in counts and not _COUNT.fullmatch(value):
        return msg_count(field.label)
    if field.key == "phone" and not _PHONE.fullmatch(value):
        return MSG_BAD_PHONE
    if field.key == "email" and not _EMAIL.fullmatch(value):
        return MSG_BAD_EMAIL
    return None


def validate_basic(values: Mapping[str, str], grades: tuple[str, ...]) -> list[FieldError]:
    """Every problem with posted basic data, in form order."""
    counts = _count_keys(grades)
    errors = []
    for field in (*CONTACT_FIELDS, *PERSONNEL_FIELDS, *grade_fields(grades)):
        message = _basic_problem(field, values.get(field.key, ""), counts)
        if message is not None:
            errors.append(FieldError(field.key, message, message))
    return errors


def basic_keys(grades: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(f.key for f in (*CONTACT_FIELDS, *PERSONNEL_FIELDS, *grade_fields(grades)))


def basic_to_state(values: Mapping[str, str], grades: tuple[str, ...]) -> dict[str, Any]:
    """Valid posted basic data as stored: counts as ints, per-grade counts keyed by grade."""
    stored: dict[str, Any] = {f.key: values.get(f.key, "") for f in CONTACT_FIELDS}
    stored.update({f.key: int(values[f.key]) for f in PERSONNEL_FIELDS})
    for kind in ("classrooms", "students"):
        stored[kind] = {g: int(values[f"{kind}_{GRADE_CODES[g]}"]) for g in grades}
    return stored


def basic_to_form(stored: Mapping[str, Any] | None) -> dict[str, str]:
    """Stored basic data back into form values (ids as keys, every value a string)."""
    if stored is None:
        return {}
    values = {f.key: str(stored.get(f.key, "")) for f in (*CONTACT_FIELDS, *PERSONNEL_FIELDS)}
    for kind in ("classrooms", "students"):
        for grade, count in dict(stored.get(kind, {})).items():
            values[f"{kind}_{GRADE_CODES[grade]}"] = str(count)
    return values


# --- buildings ------------------------------------------------------------------------------

BUILDING_FIELDS = (
    Field("building_name", "ชื่ออาคาร", "", True),
    Field("building_type", "ประเภทอาคาร", "", True, BUILDING_TYPES),
    Field("year_built", "ปีที่สร้าง (พ.ศ.)", "", True, hint="เช่น 2545"),
    Field("rooms", "จำนวนห้อง", "", True),
    Field("condition", "สภาพอาคาร", "", True, CONDITIONS),
)
BUILDING_KEYS = tuple(f.key for f in BUILDING_FIELDS)


def _building_problem(field: Field, value: str, this_year_be: int) -> str | None:
    if not value.strip():
        return msg_required(field.label)
    if field.options and value not in field.options:
        return msg_option(field.label)
    if field.key == "year_built" and not (
        _YEAR.fullmatch(value) and 2400 <= int(value) <= this_year_be
    ):
        return msg_year(field.label)
    if field.key == "rooms" and not _COUNT.fullmatch(value):
        return msg_count(field.label)
    return None


def validate_building(
    values: Mapping[str, str], this_year_be: int, duplicate_name: bool
) -> list[FieldError]:
    """Every problem with a posted building, in form order."""
    errors = []
    for field in BUILDING_FIELDS:
        message = _building_problem(field, values.get(field.key, ""), this_year_be)
        if message is None and field.key == "building_name" and duplicate_name:
            message = MSG_DUPLICATE_BUILDING
        if message is not None:
            errors.append(FieldError(field.key, message, message))
    return errors


def building_to_state(values: Mapping[str, str]) -> dict[str, Any]:
    """A valid posted building as stored (the name is its own column)."""
    return {
        "type": values["building_type"],
        "year_built": int(values["year_built"]),
        "rooms": int(values["rooms"]),
        "condition": values["condition"],
    }


def building_to_form(name: str, stored: Mapping[str, Any]) -> dict[str, str]:
    return {
        "building_name": name,
        "building_type": str(stored["type"]),
        "year_built": str(stored["year_built"]),
        "rooms": str(stored["rooms"]),
        "condition": str(stored["condition"]),
    }
