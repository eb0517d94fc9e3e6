"""Problem rendering."""

from __future__ import annotations

import pytest

from bot.data.errors import RuleError
from bot.data.problems import Problem, column_letter, has_errors


def test_one_line_names_place_value_and_fix_in_both_languages() -> None:
    problem = Problem.from_rule(
        RuleError("ผิด", "wrong", fix_th="แก้", fix_en="fix it"),
        file="a.xlsx", sheet="Sheet1", row=5, column="ชื่อ", column_letter="D", value="ส****",
    )  # fmt: skip
    line = problem.one_line()
    assert line.startswith("[ผิดพลาด/error] a.xlsx › Sheet1 › D5 (ชื่อ) 'ส****': ผิด แก้ไข: แก้")
    assert line.endswith("ผิด แก้ไข: แก้ (wrong Fix: fix it)")
    assert "\n" not in line


def test_file_level_problem_and_warnings() -> None:
    problem = Problem(file="a.csv", message_th="ผิด", message_en="wrong", severity="warning")
    assert problem.location == "a.csv"
    assert problem.one_line().startswith("[คำเตือน/warning] a.csv: ผิด")
    assert not has_errors([problem])
    row_only = Problem(file="a.csv", row=3, message_th="x", message_en="x")
    assert row_only.location == "a.csv › แถว 3"


def test_column_letters_agree_with_openpyxl_for_every_excel_column() -> None:
    from openpyxl.utils import get_column_letter

    # Every column a sheet can have (A … XFD): the letters name the cell the officer must fix.
    assert [column_letter(n) for n in range(1, 16385)] == [
        get_column_letter(n) for n in range(1, 16385)
    ]


@pytest.mark.parametrize("number", [0, -1])
def test_there_is_no_column_before_a(number: int) -> None:
    with pytest.raises(ValueError, match="start at 1"):
        column_letter(number)
