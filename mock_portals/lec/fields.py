"""The student form's fields, transcribed from docs/student-fields.md (the binding contract).

The mock keeps its own copy rather than importing the bot's: if the bot mislabels a field, the
mock must not quietly agree with it.
"""

from __future__ import annotations

from dataclasses import dataclass

GRADES: tuple[str, ...] = (
    *(f"อนุบาล {n}" for n in range(1, 4)),
    *(f"ประถมศึกษาปีที่ {n}" for n in range(1, 7)),
    *(f"มัธยมศึกษาปีที่ {n}" for n in range(1, 7)),
)
PREFIXES = ("เด็กชาย", "เด็กหญิง", "นาย", "นางสาว")
GENDERS = ("ชาย", "หญิง")
RELIGIONS = ("พุทธ", "อิสลาม", "คริสต์", "ฮินดู", "ซิกข์", "อื่นๆ", "ไม่นับถือศาสนา")
DATE_KEYS = frozenset({"birth_date", "admission_date"})
NUMBER_KEYS = frozenset({"height_cm", "weight_kg"})
POSTCODE_KEYS = frozenset({"reg_postcode", "cur_postcode"})


@dataclass(frozen=True)
class Field:
    """One form field: storage key, exact form label, RPT318 header, options for a select."""

    key: str
    label: str
    header: str
    required: bool = False
    options: tuple[str, ...] = ()
    hint: str = ""

    @property
    def is_select(self) -> bool:
        return bool(self.options)


@dataclass(frozen=True)
class Fieldset:
    """A group of fields: fieldset legend on the form, merged group cell in RPT318 (if any)."""

    legend: str
    group: str | None
    fields: tuple[Field, ...]


_DATE_HINT = "วว/ดด/ปปปป พ.ศ."

_STUDENT = Fieldset(
    "ข้อมูลนักเรียน",
    None,
    (
        Field("student_number", "เลขประจำตัวนักเรียน", "เลขประจำตัวนักเรียน"),
        Field("prefix", "คำนำหน้า", "คำนำหน้า", True, PREFIXES),
        Field("first_name", "ชื่อ", "ชื่อ", True),
        Field("last_name", "นามสกุล", "นามสกุล", True),
        Field("birth_date", "วันเดือนปีเกิด", "วันเดือนปีเกิด", True, hint=_DATE_HINT),
        Field("gender", "เพศ", "เพศ", True, GENDERS),
        Field("race", "เชื้อชาติ", "เชื้อชาติ"),
        Field("nationality", "สัญชาติ", "สัญชาติ", True),
        Field("religion", "ศาสนา", "ศาสนา", True, RELIGIONS),
        Field(
            "national_id",
            "เลขประจำตัวประชาชน",
            "เลขประจำตัวประชาชน",
            True,
            hint="13 หลัก หรือ G-Code",
        ),
        Field("admission_date", "วันเดือนปีที่เข้าศึกษา", "วันเดือนปีที่เข้าศึกษา", True, hint=_DATE_HINT),
        Field("height_cm", "ส่วนสูง (ซม.)", "ส่วนสูง"),
        Field("weight_kg", "น้ำหนัก (กก.)", "น้ำหนัก"),
        Field("student_status", "สภาพนักเรียน", "สภาพนักเรียน"),
        Field("family_status", "สถานภาพครอบครัว", "สถานภาพ (ครอบครัว)"),
        Field("tuition_entitlement", "สิทธิการเบิกค่าเล่าเรียน", "สิทธิการเบิกค่าเล่าเรียน"),
        Field("medical_entitlement", "สิทธิการเบิกค่ารักษาพยาบาล", "สิทธิการเบิกค่ารักษาพยาบาล"),
        Field("grade", "ระดับชั้น", "ระดับชั้น", True, GRADES),
        Field("room", "ห้องเรียน", "ห้องเรียน", True),
    ),
)

_PERSON_PARTS = (
    ("prefix", "คำนำหน้า"),
    ("first_name", "ชื่อ"),
    ("last_name", "นามสกุล"),
    ("religion", "ศาสนา"),
    ("occupation", "อาชีพ"),
    ("income", "รายได้"),
    ("phone", "เบอร์โทร"),
    ("relationship", "ความเกี่ยวข้อง"),
)
_GUARDIAN_REQUIRED = frozenset({"first_name", "last_name", "phone"})

_ADDRESS_PARTS = (
    ("house_no", "เลขที่"),
    ("village_no", "หมู่ที่"),
    ("road", "ถนน"),
    ("subdistrict", "ตำบล"),
    ("district", "อำเภอ"),
    ("province", "จังหวัด"),
    ("postcode", "รหัสไปรษณีย์"),
)
_REG_REQUIRED = frozenset({"house_no", "subdistrict", "district", "province", "postcode"})


def _person(p: str, thai: str) -> Fieldset:
    fields = tuple(
        Field(f"{p}_{part}", f"{name}{thai}", name, p == "guardian" and part in _GUARDIAN_REQUIRED)
        for part, name in _PERSON_PARTS
    )
    return Fieldset(thai, thai, fields)


def _address(a: str, thai: str, legend: str) -> Fieldset:
    fields = tuple(
        Field(f"{a}_{part}", f"{name} ({thai})", name, a == "reg" and part in _REG_REQUIRED)
        for part, name in _ADDRESS_PARTS
    )
    return Fieldset(legend, legend, fields)


FIELDSETS: tuple[Fieldset, ...] = (
    _STUDENT,
    _person("father", "บิดา"),
    _person("mother", "มารดา"),
    _person("guardian", "ผู้ปกครอง"),
    _address("reg", "ตามทะเบียนบ้าน", "ที่อยู่ตามทะเบียนบ้าน"),
    _address("cur", "ที่อยู่ปัจจุบัน", "ที่อยู่ปัจจุบัน"),
)
FIELDS: tuple[Field, ...] = tuple(f for fs in FIELDSETS for f in fs.fields)
FIELD_BY_KEY: dict[str, Field] = {f.key: f for f in FIELDS}
KEYS: tuple[str, ...] = tuple(FIELD_BY_KEY)
