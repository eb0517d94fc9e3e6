"""The Student model and the field catalogue."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from pydantic import ValidationError

from bot.data.fields import FIELDS_BY_KEY, ROUTING_FIELDS, STUDENT_FIELDS
from bot.data.records import Student

from .builders import TODAY, valid_row

CONTRACT = Path(__file__).resolve().parents[3] / "docs" / "student-fields.md"


def make(**overrides: object) -> Student:
    return Student.model_validate(valid_row(**overrides), context={"today": TODAY})


def test_valid_student_is_normalised() -> None:
    student = make(first_name=" สม\u200bชาย ", room=1, reg_postcode=40000)
    assert student.key == "1103702071005"
    assert student.prefix == "เด็กชาย"
    assert student.first_name == "สมชาย"
    assert student.grade == "ประถมศึกษาปีที่ 1"
    assert student.birth_date == date(2019, 3, 15)
    assert student.guardian_phone == "0812345678"
    assert student.height_cm == Decimal("118.5")
    assert student.room == "1" and student.reg_postcode == "40000"


def test_portal_values() -> None:
    values = make(height_cm=104.50, weight_kg="20.0").as_portal_values()
    assert values["birth_date"] == "15/03/2562"
    assert values["admission_date"] == "16/05/2569"
    assert values["height_cm"] == "104.5"
    assert values["weight_kg"] == "20"
    assert values["cur_postcode"] == ""
    assert values["academic_year"] == ""
    assert set(values) == {spec.key for spec in STUDENT_FIELDS + ROUTING_FIELDS}


def test_gender_follows_the_prefix_when_empty() -> None:
    assert make(gender="", prefix="ด.ญ.").gender == "หญิง"
    row = valid_row()
    del row["gender"]
    assert Student.model_validate(row, context={"today": TODAY}).gender == "ชาย"


def test_student_is_frozen_and_repr_is_masked() -> None:
    student = make()
    with pytest.raises(ValidationError):
        student.first_name = "x"  # type: ignore[misc]
    assert "1103702071005" not in repr(student) and "สมชาย" not in repr(student)


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"national_id": "1103702071004"}, "national_id"),
        ({"national_id": "G649900000001"}, "national_id"),
        ({"prefix": "นาง"}, "prefix"),
        ({"grade": "ป.7"}, "grade"),
        ({"reg_postcode": "4000"}, "reg_postcode"),
        ({"guardian_phone": "12345"}, "guardian_phone"),
        ({"birth_date": "31/02/2562"}, "birth_date"),
        ({"birth_date": "15/03/2570"}, "birth_date"),
        ({"first_name": ""}, "first_name"),
        ({"first_name": "สมชาย2"}, "first_name"),  # a digit: pasted into the wrong column?
        ({"last_name": "ใจดี๑"}, "last_name"),  # Thai digits count too
        ({"mother_first_name": "มาลี²"}, "mother_first_name"),  # and what isdigit calls one
        ({"religion": "jedi"}, "religion"),
        ({"height_cm": "tall"}, "height_cm"),
        ({"school_code": "123"}, "school_code"),
        ({"term": "3"}, "term"),
        ({"academic_year": "2020"}, "academic_year"),
    ],
)
def test_field_rules(overrides: dict[str, object], field: str) -> None:
    with pytest.raises(ValidationError) as caught:
        make(**overrides)
    assert [error["loc"] for error in caught.value.errors()] == [(field,)]


def test_cross_field_rules() -> None:
    with pytest.raises(ValidationError, match="does not match prefix"):
        make(gender="หญิง")
    with pytest.raises(ValidationError, match="before the birth date"):
        make(admission_date="01/01/2561")


def test_errors_do_not_echo_personal_data() -> None:
    with pytest.raises(ValidationError) as caught:
        make(national_id="1103702071004")
    assert "1103702071004" not in str(caught.value)


def test_gcode_student() -> None:
    assert make(national_id="G644200000001").key == "G644200000001"


def test_catalogue_matches_the_contract() -> None:
    text = CONTRACT.read_text(encoding="utf-8")
    keys = re.findall(r"^\| (\{?[a-z_{}]+) \|", text, flags=re.MULTILINE)
    expanded = []
    for key in keys:
        if key.startswith("{p}"):
            expanded += [key.replace("{p}", p) for p in ("father", "mother", "guardian")]
        elif key.startswith("{a}"):
            expanded += [key.replace("{a}", a) for a in ("reg", "cur")]
        else:
            expanded.append(key)
    expanded.remove("key")  # the table's own heading row
    assert sorted(expanded) == sorted(spec.key for spec in STUDENT_FIELDS)
    assert FIELDS_BY_KEY["guardian_phone"].form_label == "เบอร์โทรผู้ปกครอง"
    assert FIELDS_BY_KEY["reg_postcode"].form_label == "รหัสไปรษณีย์ (ตามทะเบียนบ้าน)"
    assert FIELDS_BY_KEY["height_cm"].form_label == "ส่วนสูง (ซม.)"
    assert FIELDS_BY_KEY["family_status"].rpt_header == "สถานภาพ (ครอบครัว)"
    assert FIELDS_BY_KEY["father_first_name"].rpt_label == "บิดา › ชื่อ"
    assert set(Student.model_fields) - {"cleared"} == set(FIELDS_BY_KEY)
