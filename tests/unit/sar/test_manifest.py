from __future__ import annotations

import os
from datetime import date, datetime
from pathlib import Path

from openpyxl import load_workbook

from bot.data.problems import has_errors
from bot.portals.esar.manifest import read_manifest, write_sar_template
from tests.unit.sar.conftest import GOOD_ROW, SCHOOL_CODE, TODAY, write_xlsx


def test_xlsx_with_thai_headers_gives_frozen_entries(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "m.xlsx", [GOOD_ROW])
    manifest = read_manifest(path, today=TODAY)
    assert manifest.problems == ()
    [entry] = manifest.entries
    assert (entry.school_code, entry.academic_year, entry.level) == (SCHOOL_CODE, 2567, "ขั้นพื้นฐาน")
    assert entry.board_approved == date(2025, 4, 10)
    assert entry.executive_received == date(2025, 4, 11)
    assert entry.origin.row == 2
    assert manifest.folder == tmp_path


def test_english_aliases_excel_dates_numbers_and_thai_digits(tmp_path: Path) -> None:
    headers = ("school_code", "school_name", "academic_year", "level", "pdf", "board_approved")
    row = (3040010002, "โรงเรียน", "๒๕๖๗", "basic", "a.pdf", datetime(2568, 4, 10))
    path = write_xlsx(tmp_path / "m.xlsx", [row], headers)
    manifest = read_manifest(path, today=TODAY)
    assert manifest.problems == ()
    [entry] = manifest.entries
    assert entry.school_code == SCHOOL_CODE
    assert entry.academic_year == 2567
    assert entry.board_approved == date(2025, 4, 10)  # the BE year typed into a date cell
    assert entry.executive_received is None  # optional column absent: the checks report it


def test_bad_cells_are_all_named_by_row_and_column(tmp_path: Path) -> None:
    bad = ("30400", "", "2024", "มัธยม", "", "31/02/2568", "soon")
    path = write_xlsx(tmp_path / "m.xlsx", [GOOD_ROW, bad])
    manifest = read_manifest(path, today=TODAY)
    assert len(manifest.entries) == 1
    cells = {(p.column_letter, p.row) for p in manifest.problems}
    assert cells == {("A", 3), ("B", 3), ("C", 3), ("D", 3), ("E", 3), ("F", 3), ("G", 3)}
    year = next(p for p in manifest.problems if p.column_letter == "C")
    assert "2024 + 543 = 2567" in year.fix_th
    assert all(p.message_th and p.message_en and p.fix_th for p in manifest.problems)


def test_missing_required_columns_are_one_problem(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "m.xlsx", [("x", "y")], ("รหัสสถานศึกษา", "ชื่อสถานศึกษา"))
    manifest = read_manifest(path, today=TODAY)
    [problem] = manifest.problems
    assert "ปีการศึกษา (academic_year)" in problem.message_th
    assert "pdf" in problem.message_en


def test_repeated_slot_is_refused_on_the_second_row(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "m.xlsx", [GOOD_ROW, GOOD_ROW])
    [problem] = read_manifest(path, today=TODAY).problems
    assert problem.row == 3
    assert "ซ้ำกับแถว 2" in problem.message_th


def test_not_an_excel_file(tmp_path: Path) -> None:
    path = tmp_path / "m.xlsx"
    path.write_text("hello")
    [problem] = read_manifest(path).problems
    assert "เปิดไฟล์ Excel ไม่ได้" in problem.message_th


YAML = """\
# SAR list
entries:
  - school_code: "3040010002"
    school_name: โรงเรียนเทศบาลบ้านเป็ด
    academic_year: 2567
    level: ขั้นพื้นฐาน
    pdf: sar.pdf
    board_approved: 10/04/2568
    executive_received: 2025-04-11
  - รหัสสถานศึกษา: "3040010001"
    ชื่อสถานศึกษา: ศูนย์พัฒนาเด็กเล็ก
    ปีการศึกษา: 2567
    ระดับการศึกษา: ปฐมวัย
    ไฟล์ PDF: centre.pdf
"""


def test_yaml_with_english_or_thai_keys(tmp_path: Path) -> None:
    path = tmp_path / "sar.yaml"
    path.write_text(YAML, encoding="utf-8")
    manifest = read_manifest(path, today=TODAY)
    assert manifest.problems == ()
    first, second = manifest.entries
    assert first.executive_received == date(2025, 4, 11)
    assert first.origin.row == 3
    assert second.level == "ปฐมวัย" and second.pdf == "centre.pdf"


def test_yaml_problems_name_the_line_and_key(tmp_path: Path) -> None:
    path = tmp_path / "sar.yml"
    text = YAML.replace("level: ขั้นพื้นฐาน", "levle: ขั้นพื้นฐาน").replace(
        "2567\n    ระดับ", "67\n    ระดับ"
    )
    path.write_text(text, encoding="utf-8")
    manifest = read_manifest(path, today=TODAY)
    by_line = {p.row: p for p in manifest.problems}
    assert "ไม่รู้จักคีย์ 'levle'" in by_line[6].message_th
    assert "ต้องเป็นปี พ.ศ. 4 หลัก" in by_line[12].message_th
    assert has_errors(list(manifest.problems))


def test_yaml_without_a_list_shows_an_example(tmp_path: Path) -> None:
    path = tmp_path / "sar.yaml"
    path.write_text("school_code: 1\n", encoding="utf-8")
    [problem] = read_manifest(path).problems
    assert "entries:" in problem.fix_en


def test_broken_yaml_names_its_line(tmp_path: Path) -> None:
    path = tmp_path / "sar.yaml"
    path.write_text("entries:\n  - a: [1\n  - b: 2\n", encoding="utf-8")
    [problem] = read_manifest(path).problems
    assert problem.row is not None
    assert "YAML" in problem.message_en


def test_template_is_owner_only_with_thai_headers_aliases_and_level_list(tmp_path: Path) -> None:
    path = write_sar_template(tmp_path / "template.xlsx")
    assert os.stat(path).st_mode & 0o777 == 0o600
    sheet = load_workbook(path)["SAR"]
    assert sheet["A1"].value == "รหัสสถานศึกษา"
    assert sheet["A1"].comment.text.startswith("school_code")
    assert sheet["G1"].value == "วันที่เสนอผู้บริหารท้องถิ่น"
    [validation] = sheet.data_validations.dataValidation
    assert validation.formula1 == '"ปฐมวัย,ขั้นพื้นฐาน"'
    assert "D2" in str(validation.sqref)
    assert read_manifest(path).problems == ()  # an empty template reads cleanly


def test_a_row_with_only_a_bad_date_is_checkable_but_not_an_entry(tmp_path: Path) -> None:
    row = (*GOOD_ROW[:5], "31/02/2568", GOOD_ROW[6])
    manifest = read_manifest(write_xlsx(tmp_path / "m.xlsx", [row]), today=TODAY)
    assert manifest.entries == ()
    [checkable] = manifest.checkable
    assert checkable.board_approved is None
    assert checkable.origin.unreadable == ("board_approved",)
    [problem] = manifest.problems
    assert problem.column_letter == "F" and "ไม่มีวันที่ '31/02/2568'" in problem.message_th
