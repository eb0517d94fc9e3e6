"""Legacy .xls files (BIFF, as LEC exports and old Excel save them) read as their .xlsx twins."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest

from bot.data.problems import Problem
from bot.data.readers import StudentTable, read_students
from bot.data.sources import ReadLimits, load_sheets, spreadsheet_kind

from .builders import TODAY, VALID_IDS, valid_row, write_flat, write_flat_xls


def read(path: Path, **kwargs: object) -> StudentTable:
    return read_students(path, today=TODAY, **kwargs)  # type: ignore[arg-type]


def where(problems: tuple[Problem, ...]) -> list[tuple[object, ...]]:
    """Each problem without its file name (the twins are named .xls and .xlsx)."""
    return [
        (p.sheet, p.row, p.column, p.column_letter, p.field, p.message_en.replace(p.file, "?"))
        for p in problems
    ]


def officer_rows() -> list[dict[str, object]]:
    """Thai text, BE dates typed and stored as dates, IDs and phones as numbers and as text."""
    return [
        valid_row(national_id=int(VALID_IDS[0]), guardian_phone=812345678),
        valid_row(
            national_id=VALID_IDS[1],
            prefix="ด.ญ.",
            gender="",
            first_name="น้ำฝน",
            birth_date=date(2562, 3, 15),  # 15/03/2562 typed into a date cell: year 2562
            admission_date=date(2026, 5, 16),
            height_cm=121.5,
        ),
        valid_row(national_id="G644200000001", last_name="ศรีสุข", room=2),
    ]


def test_an_officers_xls_reads_as_the_same_xlsx(tmp_path: Path) -> None:
    rows = officer_rows()
    old = read(write_flat_xls(tmp_path / "children.xls", rows))
    new = read(write_flat(tmp_path / "children.xlsx", rows))
    assert old.students == new.students and len(old.students) == 3
    assert where(old.problems) == where(new.problems)
    first, second, third = old.students
    assert first.national_id == VALID_IDS[0] and first.guardian_phone == "0812345678"
    assert second.first_name == "น้ำฝน" and second.birth_date == date(2019, 3, 15)
    assert second.admission_date == date(2026, 5, 16) and str(second.height_cm) == "121.5"
    assert third.key == "G644200000001" and third.room == "2"


def test_a_13_digit_number_keeps_every_digit(tmp_path: Path) -> None:
    path = write_flat_xls(tmp_path / "ids.xls", [valid_row(national_id=int(VALID_IDS[0]))])
    value = load_sheets(path)[0].rows[1][0]
    assert value == int(VALID_IDS[0]) and isinstance(value, int)  # never 1.103702071005e12


def test_dates_of_a_1904_workbook(tmp_path: Path) -> None:
    rows = [valid_row(birth_date=date(2019, 3, 15))]
    table = read(write_flat_xls(tmp_path / "mac.xls", rows, dates_1904=True))
    assert table.students[0].birth_date == date(2019, 3, 15)


def test_a_number_that_lost_its_leading_zero_is_named_with_the_fix(tmp_path: Path) -> None:
    rows = [valid_row(school_code=40100101)]  # 0040100101 typed into a number cell
    table = read(write_flat_xls(tmp_path / "codes.xls", rows))
    [problem] = [p for p in table.problems if p.field == "school_code"]
    assert (problem.file, problem.sheet, problem.row) == ("codes.xls", "Sheet1", 2)
    assert problem.column == "รหัสสถานศึกษา" and problem.column_letter
    assert "must be 10 digits (found '40100101')" in problem.message_en
    assert "leading 0" in problem.fix_en and not table.students


def test_bad_cells_are_named_by_file_sheet_row_and_column(tmp_path: Path) -> None:
    rows = [valid_row(), valid_row(national_id=VALID_IDS[1], prefix="คุณ")]
    table = read(write_flat_xls(tmp_path / "bad.xls", rows, title="ป.1"))
    [problem] = [p for p in table.problems if p.severity == "error"]
    assert (problem.file, problem.sheet, problem.row, problem.column_letter) == (
        "bad.xls", "ป.1", 3, "C"
    )  # fmt: skip
    assert problem.field == "prefix" and "Unknown prefix" in problem.message_en


def test_an_xlsx_named_xls_is_read_by_what_it_is(tmp_path: Path) -> None:
    renamed = tmp_path / "children.xls"
    shutil.copy(write_flat(tmp_path / "children.xlsx", officer_rows()), renamed)
    assert spreadsheet_kind(renamed) == "xlsx"
    assert len(read(renamed).students) == 3


@pytest.mark.parametrize(
    ("content", "says"),
    [
        (b"<html><table><tr><td>1</td></tr></table></html>", "This is not an Excel file"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, "Cannot open RPT318.xls"),
    ],
)
def test_a_file_named_xls_that_is_none_says_so_and_the_fix(
    tmp_path: Path, content: bytes, says: str
) -> None:
    path = tmp_path / "RPT318.xls"
    path.write_bytes(content)
    [problem] = read(path).problems
    assert problem.file == "RPT318.xls" and says in problem.message_en
    assert "save it" in problem.fix_en and ".xlsx" in problem.fix_en


def test_the_row_limit_holds_for_xls(tmp_path: Path) -> None:
    path = write_flat_xls(tmp_path / "many.xls", [valid_row()] * 5)
    problems = read(path, limits=ReadLimits(max_rows=3)).problems
    assert "more than 3 rows" in problems[0].message_en
