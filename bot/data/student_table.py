"""The students read from one file, and the checks that span its rows.

One file is one collection round of one or more schools: a mix of years or terms is refused,
and with several schools every row must say which school it belongs to.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.data.errors import RuleError
from bot.data.problems import Problem, has_errors
from bot.data.records import Student


@dataclass(frozen=True)
class StudentRow:
    """A valid student and where it came from (sheet name and 1-based Excel row)."""

    sheet: str
    row: int
    student: Student


@dataclass(frozen=True)
class StudentTable:
    """The students read from a file and every problem found in it."""

    rows: tuple[StudentRow, ...]
    problems: tuple[Problem, ...]

    @property
    def has_errors(self) -> bool:
        """True when any problem is an error: the file must be fixed before a run."""
        return has_errors(self.problems)

    @property
    def students(self) -> tuple[Student, ...]:
        """The students alone, in file order."""
        return tuple(row.student for row in self.rows)


def mixed_rounds(rows: list[StudentRow], file: str) -> list[Problem]:
    """One file is one collection round: refuse a mix of academic years or terms."""
    problems = []
    for key, th, en in (("academic_year", "ปีการศึกษา", "academic years"),
                        ("term", "ภาคเรียน", "terms")):  # fmt: skip
        found = sorted({getattr(row.student, key) for row in rows} - {None})
        if len(found) > 1:
            listed = ", ".join(str(value) for value in found)
            error = RuleError(
                f"ไฟล์นี้มีข้อมูลหลาย{th} ({listed}) ในไฟล์เดียว",
                f"The file mixes {en} ({listed}).",
                fix_th=f"ดาวน์โหลดรายงานแยกทีละ{th} หรือลบแถวที่ไม่ใช่รอบนี้",
                fix_en=f"Export one file per {en[:-1]}, or delete rows of other rounds.",
            )
            problems.append(Problem.from_rule(error, file=file, field=key))
    return problems


def rows_without_school(rows: list[StudentRow], file: str) -> list[Problem]:
    """With several schools in one file, every row must say which school it belongs to."""
    schools = {(r.student.school_code, r.student.school_name) for r in rows} - {("", "")}
    if len(schools) <= 1:
        return []
    error = RuleError(
        "ไฟล์นี้มีหลายสถานศึกษา แต่แถวนี้ไม่ได้ระบุรหัสสถานศึกษา",
        "The file holds several schools but this row names none.",
        fix_th="กรอกรหัสสถานศึกษา (10 หลัก) หรือแยกชีตตามโรงเรียน",
        fix_en="Fill in the 10-digit school code, or use one sheet per school.",
    )
    return [
        Problem.from_rule(error, file=file, sheet=row.sheet, row=row.row, field="school_code")
        for row in rows
        if not row.student.school_code and not row.student.school_name
    ]
