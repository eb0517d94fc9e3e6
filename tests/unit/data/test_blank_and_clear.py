"""Blank never erases: a blank cell or a missing column leaves the portal's value; a dash clears."""

from __future__ import annotations

from pathlib import Path

from bot.data.readers import read_students
from bot.data.records import Student
from bot.data.rules import CLEAR_MARK
from bot.portals.lec.rpt318 import differing_fields

from .builders import TODAY, valid_row, write_flat


def make(**overrides: object) -> Student:
    return Student.model_validate(valid_row(**overrides), context={"today": TODAY})


def test_a_blank_optional_field_is_left_alone_and_a_dash_asks_to_clear() -> None:
    values = make(father_phone=None, mother_first_name="-", weight_kg="–").as_portal_values()
    assert values["father_phone"] == ""  # blank: the portal's value stays
    assert values["mother_first_name"] == CLEAR_MARK
    assert values["weight_kg"] == CLEAR_MARK  # any dash an officer types
    assert values["height_cm"] == "118.5"


def test_a_dash_in_a_required_field_is_still_a_missing_value(tmp_path: Path) -> None:
    table = read_students(write_flat(tmp_path / "s.xlsx", [valid_row(first_name="-")]), today=TODAY)
    assert table.has_errors and not table.rows
    assert any(p.field == "first_name" and p.severity == "error" for p in table.problems)


def test_the_reader_keeps_blank_and_dash_apart(tmp_path: Path) -> None:
    row = valid_row(father_first_name="", mother_phone="-", guardian_occupation="ค้าขาย")
    table = read_students(write_flat(tmp_path / "s.xlsx", [row]), today=TODAY)
    [student] = table.students
    assert student.cleared == frozenset({"mother_phone"})
    values = student.as_portal_values()
    assert values["mother_phone"] == CLEAR_MARK
    assert values["father_first_name"] == ""
    assert values["school_code"] != CLEAR_MARK  # routing columns are never "cleared"


def test_a_file_without_optional_columns_is_named_once_as_a_warning(tmp_path: Path) -> None:
    rows = [valid_row(), valid_row(national_id="G644200000001", nationality="เมียนมา")]
    headers = [h for h in rows[0] if not h.startswith(("father_", "mother_"))]
    table = read_students(write_flat(tmp_path / "kids.xlsx", rows, headers=headers), today=TODAY)
    absent = [p for p in table.problems if "has no column for" in p.message_en]
    assert len(absent) == 1 and absent[0].severity == "warning"
    assert "kids.xlsx" in absent[0].message_th and "kids.xlsx" in absent[0].message_en
    assert "father_phone" in absent[0].message_en and "ชื่อบิดา" in absent[0].message_th
    assert "national_id" not in absent[0].message_en  # required columns are errors, not here
    assert not table.has_errors and len(table.rows) == 2
    for student in table.students:
        assert student.as_portal_values()["father_first_name"] == ""


def test_the_snapshot_comparison_agrees_with_what_is_typed() -> None:
    portal = {"father_phone": "0812345678", "mother_phone": "", "room": "1", "road": "สุขุมวิท"}
    # A blank in the file is no difference: the portal's value stays.
    assert differing_fields({"father_phone": "", "room": "1"}, portal) == []
    # A dash equals an empty portal value, and differs from a filled one.
    assert differing_fields({"mother_phone": CLEAR_MARK}, portal) == []
    assert differing_fields({"road": CLEAR_MARK}, portal) == ["road"]
    assert differing_fields({"room": "2"}, portal) == ["room"]


def test_the_template_guide_explains_blank_and_dash() -> None:
    from bot.data.template import GUIDE_SHEET, build_template_workbook

    guide = build_template_workbook()[GUIDE_SHEET]
    text = "\n".join(str(cell.value) for row in guide.iter_rows() for cell in row if cell.value)
    assert "ใส่ - ในช่องไม่บังคับ = ลบค่าในระบบ" in text
    assert "a - in an optional column clears the value on the portal" in text
