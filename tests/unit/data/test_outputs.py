"""Annotated copies, the template and the demo generator, read back by the reader."""

from __future__ import annotations

import stat
from pathlib import Path

from openpyxl import load_workbook

from bot.data.annotate import PROBLEMS_SHEET, write_annotated_copy
from bot.data.demo import demo_students, write_students_xlsx
from bot.data.fields import ALL_FIELDS, FIELDS_BY_KEY
from bot.data.readers import read_students
from bot.data.template import DATA_SHEET, write_student_template
from bot.data.thai import GRADES, is_valid_national_id

from .builders import TODAY, VALID_IDS, valid_row, write_csv, write_flat, write_flat_xls


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_annotated_xlsx_copy(tmp_path: Path) -> None:
    rows = [
        valid_row(national_id="1103702071004"),
        valid_row(national_id=VALID_IDS[1], grade="ม.6"),
    ]
    source = write_flat(tmp_path / "in.xlsx", rows)
    table = read_students(source, today=TODAY)
    dest = tmp_path / "out.xlsx"
    write_annotated_copy(source, table.problems, dest)
    assert mode(dest) == 0o600
    workbook = load_workbook(dest)
    sheet = workbook["Sheet1"]
    bad_id, young = sheet["A2"], sheet["G3"]
    assert bad_id.fill.fgColor.rgb.endswith("FF9999")
    assert "check digit" in bad_id.comment.text and "ตรวจทาน" in bad_id.comment.text
    assert young.fill.fgColor.rgb.endswith("FFF2A8")
    assert sheet["B2"].comment is None
    assert sheet["A2"].value == "1103702071004"  # the data is kept as it was
    listing = workbook[PROBLEMS_SHEET]
    assert listing.max_row == 1 + len(table.problems)
    # The annotated copy reads back with the same problems (the listing sheet is skipped).
    again = read_students(dest, today=TODAY)
    assert [(p.row, p.field) for p in again.problems] == [(p.row, p.field) for p in table.problems]


def test_annotated_csv_becomes_xlsx(tmp_path: Path) -> None:
    source = write_csv(tmp_path / "in.csv", [valid_row(reg_postcode="400")], encoding="cp874")
    table = read_students(source, today=TODAY)
    dest = tmp_path / "out.xlsx"
    write_annotated_copy(source, table.problems, dest)
    sheet = load_workbook(dest)["CSV"]
    letter = next(p.column_letter for p in table.problems if p.column_letter)
    assert sheet[f"{letter}2"].comment is not None
    assert sheet["D2"].value == "สมชาย"


def test_annotated_xls_becomes_xlsx_with_its_sheet_names(tmp_path: Path) -> None:
    rows = [valid_row(), valid_row(national_id="1103702071004")]
    source = write_flat_xls(tmp_path / "in.xls", rows, title="ป.1")
    table = read_students(source, today=TODAY)
    dest = tmp_path / "out.xlsx"
    write_annotated_copy(source, table.problems, dest)
    sheet = load_workbook(dest)["ป.1"]
    assert "check digit" in sheet["A3"].comment.text and sheet["A2"].comment is None
    assert sheet["A3"].value == "1103702071004" and sheet["D2"].value == "สมชาย"


def test_file_level_problems_are_listed(tmp_path: Path) -> None:
    source = tmp_path / "in.xlsx"
    write_flat(source, [{"hello": 1}], headers=["hello"])
    table = read_students(source, today=TODAY)
    dest = tmp_path / "out.xlsx"
    write_annotated_copy(source, table.problems, dest)
    assert load_workbook(dest)[PROBLEMS_SHEET]["G2"].value == table.problems[0].message_en


def test_template_round_trip(tmp_path: Path) -> None:
    path = tmp_path / "template.xlsx"
    write_student_template(path)
    assert mode(path) == 0o600
    table = read_students(path, today=TODAY)
    assert table.rows == () and table.problems == ()
    workbook = load_workbook(path)
    sheet = workbook[DATA_SHEET]
    headers = [cell.value for cell in sheet[1]]
    assert headers == [spec.header_th for spec in ALL_FIELDS]
    assert sheet["A1"].comment is not None and "national_id" in sheet["A1"].comment.text
    assert sheet.max_row == 1  # no example row
    validations = {str(v.sqref).split(":")[0]: v for v in sheet.data_validations.dataValidation}
    keys = [spec.key for spec in ALL_FIELDS]
    for key in ("prefix", "gender", "grade", "religion", "nationality"):
        letter = sheet.cell(row=1, column=keys.index(key) + 1).column_letter
        assert validations[f"{letter}2"].type == "list", key
    birth = sheet.cell(row=1, column=keys.index("birth_date") + 1).column_letter
    assert "พ.ศ." in validations[f"{birth}2"].prompt
    assert workbook["lists"].sheet_state == "hidden"


def test_demo_students_are_valid_and_deterministic(tmp_path: Path) -> None:
    students = demo_students(60, seed=7, school_grades=GRADES, today=TODAY)
    assert students == demo_students(60, seed=7, school_grades=GRADES, today=TODAY)
    assert len({s.key for s in students}) == 60
    assert len({s.first_name for s in students}) > 10
    assert all(is_valid_national_id(s.key) for s in students if not s.key.startswith("G"))
    assert {s.grade for s in students} == set(GRADES)
    path = tmp_path / "demo.xlsx"
    write_students_xlsx(path, students)
    assert mode(path) == 0o600
    table = read_students(path, today=TODAY)
    assert table.problems == ()  # not even an age warning
    assert table.students == tuple(students)


def test_demo_for_a_school(tmp_path: Path) -> None:
    students = demo_students(
        5, school_grades=["อ.1", "ป.1"], school_code="3040010001", school_name="โรงเรียนบ้านเป็ด"
    )
    assert {s.grade for s in students} == {"อนุบาล 1", "ประถมศึกษาปีที่ 1"}
    assert all(s.school_code == "3040010001" for s in students)
    assert FIELDS_BY_KEY["school_code"].header_th == "รหัสสถานศึกษา"
