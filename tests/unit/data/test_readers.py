"""read_students: layouts, encodings, schools, and every problem in one pass."""

from __future__ import annotations

import zipfile
from datetime import date, datetime
from pathlib import Path

import pytest
from openpyxl import Workbook

from bot.data.problems import Problem
from bot.data.readers import StudentTable, read_students
from bot.data.sources import ReadLimits
from bot.data.thai import national_id_check_digit

from .builders import TODAY, VALID_IDS, valid_row, write_csv, write_flat, write_rpt318, write_sheets


def make_id(number: int) -> str:
    first12 = f"1{number:011d}"
    return first12 + str(national_id_check_digit(first12))


def read(path: Path, **kwargs: object) -> StudentTable:
    return read_students(path, today=TODAY, **kwargs)  # type: ignore[arg-type]


def cell_problems(table: StudentTable) -> tuple[Problem, ...]:
    """The problems besides the one warning that names the optional columns the file lacks."""
    return tuple(p for p in table.problems if "has no column for" not in p.message_en)


def errors(table: StudentTable) -> list[Problem]:
    return [p for p in table.problems if p.severity == "error"]


def three_rows() -> list[dict[str, object]]:
    return [
        valid_row(national_id=VALID_IDS[0]),
        valid_row(national_id=VALID_IDS[1], prefix="ด.ญ.", gender="", first_name="สมหญิง"),
        valid_row(national_id="G644200000001", nationality="เมียนมา"),
    ]


def test_flat_xlsx(tmp_path: Path) -> None:
    table = read(write_flat(tmp_path / "s.xlsx", three_rows(), lead_rows=2))
    assert cell_problems(table) == ()
    assert [row.row for row in table.rows] == [4, 5, 6]
    assert table.rows[1].student.gender == "หญิง"
    assert table.students[2].key == "G644200000001"
    assert table.rows[0].sheet == "Sheet1"


def test_english_alias_headers(tmp_path: Path) -> None:
    rows = [valid_row()]
    headers = list(rows[0])  # the keys are the English aliases
    table = read(write_flat(tmp_path / "s.xlsx", rows, headers=headers))
    assert cell_problems(table) == () and len(table.rows) == 1


def test_excel_date_cells_and_number_cells(tmp_path: Path) -> None:
    row = valid_row(
        birth_date=datetime(2562, 3, 15),  # BE year typed into a date cell
        admission_date=datetime(2026, 5, 16),
        reg_postcode=40000,
        guardian_phone=812345678,  # the leading zero lost to a number cell
        room=2,
        height_cm=118.0,
    )
    table = read(write_flat(tmp_path / "s.xlsx", [row]))
    assert cell_problems(table) == ()
    student = table.students[0]
    assert student.birth_date == date(2019, 3, 15)
    assert student.as_portal_values()["height_cm"] == "118"
    assert (student.guardian_phone, student.reg_postcode, student.room) == (
        "0812345678",
        "40000",
        "2",
    )


def test_rpt318_with_merged_group_headers(tmp_path: Path) -> None:
    row = valid_row(
        father_first_name="สมหมาย", mother_phone="0899999999", cur_postcode="40001",
        guardian_relationship="มารดา",
    )  # fmt: skip
    table = read(write_rpt318(tmp_path / "rpt318.xlsx", [row, valid_row(national_id=VALID_IDS[1])]))
    assert cell_problems(table) == ()
    assert [r.row for r in table.rows] == [4, 5]
    student = table.students[0]
    assert student.father_first_name == "สมหมาย"
    assert student.mother_phone == "0899999999"
    assert student.cur_postcode == "40001"
    assert student.guardian_relationship == "มารดา"
    assert (student.academic_year, student.term) == (2569, 1)
    assert student.school_name == "โรงเรียนเทศบาลบ้านเป็ด"


def test_rpt318_refuses_mixed_years_and_terms(tmp_path: Path) -> None:
    rows = [
        valid_row(academic_year=2568, term=2),
        valid_row(national_id=VALID_IDS[1], academic_year=2569, term=1),
    ]
    table = read(write_rpt318(tmp_path / "rpt318.xlsx", rows))
    messages = [p.message_en for p in errors(table)]
    assert messages == [
        "The file mixes academic years (2568, 2569).",
        "The file mixes terms (1, 2).",
    ]
    assert all(p.row is None for p in errors(table))


def test_rpt318_problem_names_group_header(tmp_path: Path) -> None:
    table = read(write_rpt318(tmp_path / "r.xlsx", [valid_row(reg_postcode="400")]))
    [problem] = errors(table)
    assert problem.column == "ที่อยู่ตามทะเบียนบ้าน › รหัสไปรษณีย์"
    assert problem.row == 4 and problem.field == "reg_postcode"


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp874", "utf-16"])
def test_csv_encodings(tmp_path: Path, encoding: str) -> None:
    table = read(write_csv(tmp_path / "s.csv", three_rows(), encoding=encoding))
    assert cell_problems(table) == ()
    assert [s.first_name for s in table.students] == ["สมชาย", "สมหญิง", "สมชาย"]
    assert [r.row for r in table.rows] == [2, 3, 4] and table.rows[0].sheet == ""


def test_csv_formula_text_is_refused(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "s.csv", [valid_row(first_name='=HYPERLINK("http://x")')])
    assert any("formula" in p.message_en for p in errors(read(path)))


def test_sheet_per_school(tmp_path: Path) -> None:
    path = write_sheets(
        tmp_path / "schools.xlsx",
        {
            "3040010001 โรงเรียนบ้านเป็ด": [valid_row()],
            "โรงเรียนบ้านโนนทัน": [valid_row(national_id=VALID_IDS[1])],
        },
    )
    table = read(path)
    assert cell_problems(table) == ()
    first, second = table.students
    assert (first.school_code, first.school_name) == ("3040010001", "โรงเรียนบ้านเป็ด")
    assert (second.school_code, second.school_name) == ("", "โรงเรียนบ้านโนนทัน")
    assert read(path, sheet="โรงเรียนบ้านโนนทัน").students[0].key == VALID_IDS[1]


def test_school_code_column(tmp_path: Path) -> None:
    rows = [
        valid_row(school_code="3040010001"),
        valid_row(national_id=VALID_IDS[1], school_code="3040010002"),
        valid_row(national_id=VALID_IDS[2], school_code=""),
    ]
    table = read(write_flat(tmp_path / "s.xlsx", rows))
    assert [s.school_code for s in table.students] == ["3040010001", "3040010002", ""]
    [problem] = errors(table)
    assert (problem.row, problem.field) == (4, "school_code")


def test_missing_sheet(tmp_path: Path) -> None:
    table = read(write_flat(tmp_path / "s.xlsx", [valid_row()]), sheet="nope")
    assert table.has_errors and table.rows == ()


def test_one_of_each_error(tmp_path: Path) -> None:
    rows = [
        valid_row(national_id="1103702071004"),  # row 2: bad checksum
        valid_row(national_id="G649900000001"),  # row 3: G-Code province
        valid_row(national_id=VALID_IDS[1], birth_date="15/03/2652"),  # row 4: BE year
        valid_row(national_id=VALID_IDS[2], admission_date="31/02/2569"),  # row 5: no such day
        valid_row(national_id=make_id(1), first_name=None),  # row 6: missing value
        valid_row(national_id=VALID_IDS[1]),  # row 7: duplicate of row 4
        valid_row(national_id=make_id(2), reg_postcode="4000"),  # row 8: postcode
        valid_row(national_id=make_id(3), guardian_phone="12-34"),  # row 9: phone
        valid_row(national_id=make_id(4), grade="ม.6"),  # row 10: age vs grade, warning
        valid_row(national_id=make_id(5), gender="หญิง"),  # row 11: prefix vs gender
    ]
    table = read(write_flat(tmp_path / "bad.xlsx", rows))
    found = [(p.row, p.field, p.severity, p.column_letter) for p in cell_problems(table)]
    assert found == [
        (2, "national_id", "error", "A"),
        (3, "national_id", "error", "A"),
        (4, "birth_date", "error", "G"),
        (5, "admission_date", "error", "L"),
        (6, "first_name", "error", "D"),
        (7, "national_id", "error", "A"),
        (8, "reg_postcode", "error", "U"),
        (9, "guardian_phone", "error", "P"),
        (10, "birth_date", "warning", "G"),
        (11, "gender", "error", "F"),
    ]
    duplicate = cell_problems(table)[5]
    assert "row 4" in duplicate.message_en and "row 7" in duplicate.message_en
    assert duplicate.value == "3-xxxx-xxxxx-xx-1"  # personal data masked
    assert cell_problems(table)[0].column == "เลขประจำตัวประชาชน"
    assert [r.row for r in table.rows] == [10]  # a warning does not stop a row
    assert table.has_errors


def test_unknown_and_missing_headers(tmp_path: Path) -> None:
    row = valid_row()
    del row["guardian_phone"]
    headers = ["หมายเหตุ" if h == "เลขประจำตัวนักเรียน" else h for h in _headers(row)]
    table = read(write_flat(tmp_path / "s.xlsx", [row], headers=headers))
    warning, error = cell_problems(table)
    assert (warning.severity, warning.column, warning.column_letter) == ("warning", "หมายเหตุ", "B")
    assert error.severity == "error" and "เบอร์โทรผู้ปกครอง" in error.message_th
    assert table.rows == ()  # no row is valid without a required column


def _headers(row: dict[str, object]) -> list[str]:
    from bot.data.fields import FIELDS_BY_KEY

    return [FIELDS_BY_KEY[key].header_th for key in FIELDS_BY_KEY if key in row]


def test_no_header_row(tmp_path: Path) -> None:
    workbook = Workbook()
    workbook.active.append(["hello", "world"])
    workbook.save(tmp_path / "x.xlsx")
    table = read(tmp_path / "x.xlsx")
    assert table.has_errors and "No header row" in table.problems[0].message_en


def test_formula_cells(tmp_path: Path) -> None:
    path = write_flat(tmp_path / "f.xlsx", [valid_row(room="=1+1")])
    table = read(path)
    [problem] = cell_problems(table)  # openpyxl never computes: no cached value
    assert problem.severity == "error" and "formula" in problem.message_en
    assert (problem.row, problem.field) == (2, "room")


def test_formula_with_a_computed_value_is_a_warning(tmp_path: Path) -> None:
    path = write_flat(tmp_path / "f.xlsx", [valid_row(room="=1+1")])
    _set_cached_values(path, b"<v>2</v>")
    table = read(path)
    [problem] = cell_problems(table)
    assert problem.severity == "warning" and problem.field == "room"
    assert table.students[0].room == "2"


def _set_cached_values(path: Path, cached: bytes) -> None:
    """Give every formula the value Excel would have stored (openpyxl writes none)."""
    with zipfile.ZipFile(path) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    name = "xl/worksheets/sheet1.xml"
    parts[name] = parts[name].replace(b"<v />", cached)
    with zipfile.ZipFile(path, "w") as archive:
        for part, data in parts.items():
            archive.writestr(part, data)


def test_size_limit(tmp_path: Path) -> None:
    path = write_flat(tmp_path / "s.xlsx", [valid_row()])
    table = read(path, limits=ReadLimits(max_file_bytes=100))
    assert table.has_errors and "too large" in table.problems[0].message_en


def test_zip_bomb_is_refused_before_opening(tmp_path: Path) -> None:
    path = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b"\0" * 5_000_000)
    assert path.stat().st_size < 100_000
    table = read(path, limits=ReadLimits(max_uncompressed_bytes=1_000_000))
    assert "unsafe" in table.problems[0].message_en


def test_row_limit(tmp_path: Path) -> None:
    path = write_flat(tmp_path / "s.xlsx", [valid_row()] * 5)
    assert "more than 3 rows" in read(path, limits=ReadLimits(max_rows=3)).problems[0].message_en


@pytest.mark.parametrize(
    ("content", "needle"),
    [
        (b"\xd0\xcf\x11\xe0" + b"\0" * 100, "Cannot open x.xlsx"),
        (b"PK\x03\x04broken", "Cannot open"),
    ],
)
def test_unreadable_files(tmp_path: Path, content: bytes, needle: str) -> None:
    path = tmp_path / "x.xlsx"
    path.write_bytes(content)
    assert needle in read(path).problems[0].message_en


def test_blank_rows_are_skipped(tmp_path: Path) -> None:
    blank: dict[str, object] = dict.fromkeys(valid_row())
    rows = [valid_row(), blank, valid_row(national_id=VALID_IDS[1])]
    table = read(write_flat(tmp_path / "s.xlsx", rows))
    assert [r.row for r in table.rows] == [2, 4] and cell_problems(table) == ()
