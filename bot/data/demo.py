"""Plausible, valid demo children for the demo, the mocks and the benchmarks.

Names, IDs and addresses are made up; the IDs have correct check digits but are random.
The default address is the seed manual's municipality, เทศบาลตำบลบ้านเป็ด, ขอนแก่น.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from datetime import date, timedelta
from pathlib import Path

from bot.data.fields import ALL_FIELDS
from bot.data.files import save_workbook_private
from bot.data.records import Student
from bot.data.template import DATA_SHEET, build_template_workbook
from bot.data.thai import (
    BE_OFFSET,
    academic_year_of,
    grade_entry_age,
    national_id_check_digit,
    normalise_grade,
)

_BOYS = (
    "ธนกร", "ณัฐพล", "ภูมิพัฒน์", "กิตติพัฒน์", "ธีรภัทร", "ปัณณวัฒน์", "วรเมธ", "ศุภกร", "พีรพัฒน์",
    "อชิตะ", "ภานุวัฒน์", "จิรายุ", "ชยพล", "ธนภัทร", "กันตพงศ์", "ปกรณ์", "สิรวิชญ์", "ณภัทร",
)  # fmt: skip
_GIRLS = (
    "ณัฐธิดา", "พิมพ์ชนก", "กัญญาณัฐ", "ปุณยวีร์", "ชนัญชิดา", "ธัญชนก", "สุภัสสรา", "อรปรียา",
    "ณิชาภัทร", "พรรษชล", "วรัญญา", "กมลชนก", "ปภาวรินทร์", "เบญญาภา", "ศิริประภา", "ขวัญข้าว",
)  # fmt: skip
_SURNAMES = (
    "ศรีสุข", "บุญมา", "แสนคำ", "พลอาษา", "ทองดี", "ชัยประเสริฐ", "วงศ์ใหญ่", "สุวรรณศรี",
    "ภูมิสุข", "จันทร์แก้ว", "พรหมวงศ์", "อินทรสุวรรณ", "ศรีบุญเรือง", "คำภูเมือง", "นามวงศ์",
    "ไชยมาตย์", "โคตรชมภู", "แก้วมณี", "ประทุมวัน", "สมบูรณ์ชัย",
)  # fmt: skip
_MEN = ("สมชาย", "ประเสริฐ", "วิชัย", "บุญเลิศ", "สมศักดิ์", "อำนาจ", "ทองใบ", "สุริยา")
_WOMEN = ("สมศรี", "มาลี", "บุญเรือน", "วันเพ็ญ", "สุดารัตน์", "อรุณี", "จันทร์เพ็ญ", "ละเอียด")
_JOBS = ("รับจ้าง", "เกษตรกร", "ค้าขาย", "รับราชการ", "พนักงานบริษัท", "ธุรกิจส่วนตัว")
_SUBDISTRICTS = ("บ้านเป็ด", "ในเมือง", "ศิลา", "พระลับ")
_MOBILE_PREFIXES = ("081", "082", "086", "089", "061", "062", "092", "095")
_KHON_KAEN = 40


def demo_students(
    count: int,
    *,
    seed: int = 1,
    school_grades: Sequence[str],
    academic_year: int | None = None,
    school_code: str = "",
    school_name: str = "",
    today: date | None = None,
) -> list[Student]:
    """Return ``count`` valid children spread over ``school_grades``, the same for a seed."""
    today = today or date.today()
    year = academic_year or academic_year_of(today)
    grades = [normalise_grade(grade) for grade in school_grades]
    rng = random.Random(seed)
    used: set[str] = set()
    students = []
    for index in range(count):
        data = _child(rng, grades[index % len(grades)], year, today, used)
        data.update(school_code=school_code, school_name=school_name)
        students.append(Student.model_validate(data, context={"today": today}))
    return students


def write_students_xlsx(path: Path, students: Sequence[Student]) -> None:
    """Write students in the flat template layout (text cells, BE dates), owner-only."""
    workbook = build_template_workbook()
    sheet = workbook[DATA_SHEET]
    for student in students:
        values = student.as_portal_values()
        sheet.append([values[spec.key] or None for spec in ALL_FIELDS])
    save_workbook_private(workbook, path)


def _child(
    rng: random.Random, grade: str, year: int, today: date, used: set[str]
) -> dict[str, object]:
    boy = rng.random() < 0.5
    nominal = grade_entry_age(grade)[0] + 1
    cutoff = date(year - BE_OFFSET, 5, 16)
    born = cutoff - timedelta(days=365 * nominal + rng.randrange(1, 360))
    born = min(born, today - timedelta(days=400))
    years_in_school = int(grade.rsplit(" ", 1)[1]) - 1
    admitted = max(date(cutoff.year - years_in_school, 5, 16), born + timedelta(days=700))
    surname = rng.choice(_SURNAMES)
    stateless = rng.random() < 0.04
    adult = nominal >= 15
    prefix = ("นาย" if adult else "เด็กชาย") if boy else ("นางสาว" if adult else "เด็กหญิง")
    subdistrict = rng.choice(_SUBDISTRICTS)
    mother, father = rng.choice(_WOMEN), rng.choice(_MEN)
    return {
        "national_id": _gcode(rng, today, used) if stateless else _national_id(rng, used),
        "student_number": str(10000 + rng.randrange(90000)),
        "prefix": prefix,
        "first_name": rng.choice(_BOYS if boy else _GIRLS),
        "last_name": surname,
        "birth_date": born,
        "race": "เมียนมา" if stateless else "ไทย",
        "nationality": "เมียนมา" if stateless else "ไทย",
        "religion": "พุทธ" if rng.random() < 0.95 else "คริสต์",
        "grade": grade,
        "room": str(1 + rng.randrange(2)),
        "admission_date": admitted,
        "height_cm": str(80 + 6 * nominal + rng.randrange(-8, 9)),
        "weight_kg": str(12 + 3 * nominal + rng.randrange(-4, 5)),
        "student_status": "กำลังศึกษา",
        "family_status": "บิดามารดาอยู่ด้วยกัน",
        "father_prefix": "นาย",
        "father_first_name": father,
        "father_last_name": surname,
        "father_occupation": rng.choice(_JOBS),
        "father_income": str(rng.randrange(6, 30) * 1000),
        "father_phone": _phone(rng),
        "mother_prefix": "นาง",
        "mother_first_name": mother,
        "mother_last_name": surname,
        "mother_occupation": rng.choice(_JOBS),
        "mother_income": str(rng.randrange(6, 30) * 1000),
        "mother_phone": _phone(rng),
        "guardian_prefix": "นาง",
        "guardian_first_name": mother,
        "guardian_last_name": surname,
        "guardian_phone": _phone(rng),
        "guardian_relationship": "มารดา",
        "reg_house_no": f"{rng.randrange(1, 300)}/{rng.randrange(1, 20)}",
        "reg_village_no": str(rng.randrange(1, 15)),
        "reg_subdistrict": subdistrict,
        "reg_district": "เมืองขอนแก่น",
        "reg_province": "ขอนแก่น",
        "reg_postcode": "40000",
    }


def _national_id(rng: random.Random, used: set[str]) -> str:
    while True:
        first12 = f"1{_KHON_KAEN}{rng.randrange(10**9):09d}"
        value = first12 + str(national_id_check_digit(first12))
        if value not in used:
            used.add(value)
            return value


def _gcode(rng: random.Random, today: date, used: set[str]) -> str:
    while True:
        be_year = rng.randrange(2560, min(today.year + BE_OFFSET, 2567) + 1)
        value = f"G{be_year % 100:02d}{_KHON_KAEN}{rng.randrange(1, 10**6):08d}"
        if value not in used:
            used.add(value)
            return value


def _phone(rng: random.Random) -> str:
    return rng.choice(_MOBILE_PREFIXES) + f"{rng.randrange(10**7):07d}"
