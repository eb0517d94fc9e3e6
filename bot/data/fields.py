"""The student field catalogue: the single source of keys, headers and form labels.

Everything here follows ``docs/student-fields.md``. Readers map headers to keys with it, the
template writes its headers from it, flows and the mock LEC take their labels from it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

from bot.data.thai import GENDERS, GRADES, RELIGIONS

Kind = Literal[
    "id", "text", "name", "prefix", "parent_prefix", "gender", "date", "birth_date",
    "religion", "grade", "number", "phone", "postcode", "school_code", "academic_year", "term",
]  # fmt: skip


@dataclass(frozen=True)
class FieldSpec:
    """One field: its key, every header it goes by, its form label and how it is checked."""

    key: str
    header_th: str
    alias_en: str
    rpt_group: str
    rpt_header: str
    form_label: str
    required: bool
    kind: Kind = "text"
    options: tuple[str, ...] = ()
    # Personal data (PDPA): masked wherever a value is echoed in problems or logs.
    personal: bool = False
    extra_headers: tuple[str, ...] = ()

    @property
    def rpt_label(self) -> str:
        """The RPT318 header as ``group › header`` (or the header alone)."""
        return f"{self.rpt_group} › {self.rpt_header}" if self.rpt_group else self.rpt_header


def _plain(
    key: str,
    header: str,
    required: bool,
    kind: Kind = "text",
    *,
    label: str = "",
    rpt: str = "",
    options: tuple[str, ...] = (),
    personal: bool = False,
    extra: tuple[str, ...] = (),
) -> FieldSpec:
    return FieldSpec(
        key=key,
        header_th=header,
        alias_en=key,
        rpt_group="",
        rpt_header=rpt or header,
        form_label=label or header,
        required=required,
        kind=kind,
        options=options,
        personal=personal,
        extra_headers=extra,
    )


PERSONS: tuple[tuple[str, str], ...] = (
    ("father", "บิดา"),
    ("mother", "มารดา"),
    ("guardian", "ผู้ปกครอง"),
)
ADDRESSES: tuple[tuple[str, str, str], ...] = (
    ("reg", "ตามทะเบียนบ้าน", "ที่อยู่ตามทะเบียนบ้าน"),
    ("cur", "ที่อยู่ปัจจุบัน", "ที่อยู่ปัจจุบัน"),
)
_PERSON_PARTS: tuple[tuple[str, str, Kind], ...] = (
    ("prefix", "คำนำหน้า", "parent_prefix"),
    ("first_name", "ชื่อ", "name"),
    ("last_name", "นามสกุล", "name"),
    ("religion", "ศาสนา", "text"),
    ("occupation", "อาชีพ", "text"),
    ("income", "รายได้", "text"),
    ("phone", "เบอร์โทร", "phone"),
    ("relationship", "ความเกี่ยวข้อง", "text"),
)
_GUARDIAN_REQUIRED = frozenset({"first_name", "last_name", "phone"})
_ADDRESS_PARTS: tuple[tuple[str, str, Kind], ...] = (
    ("house_no", "เลขที่", "text"),
    ("village_no", "หมู่ที่", "text"),
    ("road", "ถนน", "text"),
    ("subdistrict", "ตำบล", "text"),
    ("district", "อำเภอ", "text"),
    ("province", "จังหวัด", "text"),
    ("postcode", "รหัสไปรษณีย์", "postcode"),
)
_REG_REQUIRED = frozenset({"house_no", "subdistrict", "district", "province", "postcode"})


def _person_fields() -> list[FieldSpec]:
    fields = []
    for person, person_th in PERSONS:
        for part, part_th, kind in _PERSON_PARTS:
            fields.append(
                FieldSpec(
                    key=f"{person}_{part}",
                    header_th=f"{part_th}{person_th}",
                    alias_en=f"{person}_{part}",
                    rpt_group=person_th,
                    rpt_header=part_th,
                    form_label=f"{part_th}{person_th}",
                    required=person == "guardian" and part in _GUARDIAN_REQUIRED,
                    kind=kind,
                    personal=kind in ("name", "phone"),
                )
            )
    return fields


def _address_fields() -> list[FieldSpec]:
    fields = []
    for address, address_th, group_th in ADDRESSES:
        for part, part_th, kind in _ADDRESS_PARTS:
            fields.append(
                FieldSpec(
                    key=f"{address}_{part}",
                    header_th=f"{part_th} ({address_th})",
                    alias_en=f"{address}_{part}",
                    rpt_group=group_th,
                    rpt_header=part_th,
                    form_label=f"{part_th} ({address_th})",
                    required=address == "reg" and part in _REG_REQUIRED,
                    kind=kind,
                )
            )
    return fields


STUDENT_FIELDS: tuple[FieldSpec, ...] = (
    _plain("national_id", "เลขประจำตัวประชาชน", True, "id", personal=True,
           extra=("เลขบัตรประชาชน", "เลขประชาชน", "เลขประจำตัวประชาชน/รหัสG", "รหัสG", "citizen_id")),
    _plain("student_number", "เลขประจำตัวนักเรียน", False, extra=("รหัสนักเรียน",)),
    _plain("prefix", "คำนำหน้า", True, "prefix", options=("เด็กชาย", "เด็กหญิง", "นาย", "นางสาว"),
           extra=("คำนำหน้าชื่อ",)),
    _plain("first_name", "ชื่อ", True, "name", personal=True),
    _plain("last_name", "นามสกุล", True, "name", personal=True),
    _plain("gender", "เพศ", True, "gender", options=GENDERS),
    _plain("birth_date", "วันเดือนปีเกิด", True, "birth_date", extra=("วันเกิด",)),
    _plain("race", "เชื้อชาติ", False),
    _plain("nationality", "สัญชาติ", True),
    _plain("religion", "ศาสนา", True, "religion", options=RELIGIONS),
    _plain("grade", "ระดับชั้น", True, "grade", options=GRADES, extra=("ชั้น",)),
    _plain("room", "ห้องเรียน", True, extra=("ห้อง",)),
    _plain("admission_date", "วันเดือนปีที่เข้าศึกษา", True, "date", extra=("วันที่เข้าศึกษา",)),
    _plain("height_cm", "ส่วนสูง", False, "number", label="ส่วนสูง (ซม.)"),
    _plain("weight_kg", "น้ำหนัก", False, "number", label="น้ำหนัก (กก.)"),
    _plain("student_status", "สภาพนักเรียน", False),
    _plain("family_status", "สถานภาพครอบครัว", False, rpt="สถานภาพ (ครอบครัว)",
           extra=("สถานภาพ",)),
    _plain("tuition_entitlement", "สิทธิการเบิกค่าเล่าเรียน", False),
    _plain("medical_entitlement", "สิทธิการเบิกค่ารักษาพยาบาล", False),
    *_person_fields(),
    *_address_fields(),
)  # fmt: skip

# Routing columns pick the school and the round; they are not typed into the student form.
ROUTING_FIELDS: tuple[FieldSpec, ...] = (
    _plain("school_code", "รหัสสถานศึกษา", False, "school_code", label="",
           extra=("รหัสโรงเรียน",)),
    _plain("school_name", "สถานศึกษา", False, label="",
           extra=("ชื่อสถานศึกษา", "โรงเรียน", "ชื่อโรงเรียน", "school")),
    _plain("academic_year", "ปีการศึกษา", False, "academic_year", label=""),
    _plain("term", "ภาคเรียน", False, "term", label="", extra=("ภาคเรียนที่",)),
)  # fmt: skip

ALL_FIELDS: tuple[FieldSpec, ...] = STUDENT_FIELDS + ROUTING_FIELDS
FIELDS_BY_KEY: dict[str, FieldSpec] = {spec.key: spec for spec in ALL_FIELDS}
# Fields an officer may empty on the portal with a dash: the optional ones of the form.
CLEARABLE_KEYS: frozenset[str] = frozenset(s.key for s in STUDENT_FIELDS if not s.required)

# What a portal message about a child may quote: names, phones, address parts (PDPA).
_QUOTABLE_KEYS: tuple[str, ...] = tuple(
    spec.key
    for spec in STUDENT_FIELDS
    if spec.kind in ("name", "phone") or spec.key[:4] in ("reg_", "cur_")
)


def personal_values(record: Mapping[str, str]) -> tuple[str, ...]:
    """The values of a record's fields that identify a child or a parent, to be masked."""
    return tuple(value for key in _QUOTABLE_KEYS if (value := record.get(key, "")))


# Columns of RPT318 (and common extras) that carry nothing for the student form.
IGNORED_HEADERS: tuple[str, ...] = (
    "ลำดับที่", "ลำดับ", "ที่", "no", "no.", "จังหวัด", "อำเภอ", "อปท.", "อปท", "สังกัด",
    "องค์กรปกครองส่วนท้องถิ่น",
)  # fmt: skip
