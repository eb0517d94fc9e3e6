"""Write a copy of the input with every bad cell coloured and explained in a comment."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Font, PatternFill

from bot.data.files import save_workbook_private
from bot.data.problems import Problem
from bot.data.sources import check_zip, load_sheets, open_workbook, spreadsheet_kind

PROBLEMS_SHEET = "ปัญหา (problems)"
_FILLS = {
    "error": PatternFill("solid", fgColor="FF9999"),
    "warning": PatternFill("solid", fgColor="FFF2A8"),
}
_CSV_SHEET = "CSV"


def write_annotated_copy(source: Path, problems: Iterable[Problem], dest: Path) -> None:
    """Copy ``source`` to ``dest`` (xlsx, owner-only) marking each problem's cell.

    Errors are filled red, warnings yellow, each with a Thai + English comment and the fix;
    a sheet listing every problem (file-level ones too) is added. CSV and .xls input become
    xlsx.
    """
    problems = list(problems)
    workbook = _open_copy(source)
    by_cell: dict[tuple[str, str], list[Problem]] = defaultdict(list)
    for problem in problems:
        if problem.row is not None and problem.column_letter:
            by_cell[(problem.sheet, f"{problem.column_letter}{problem.row}")].append(problem)
    for (sheet_name, address), found in by_cell.items():
        sheet = _sheet_for(workbook, sheet_name)
        if sheet is not None:
            _mark(sheet[address], found)
    _write_problem_sheet(workbook, problems)
    save_workbook_private(workbook, dest)


def _open_copy(source: Path) -> Any:
    if spreadsheet_kind(source) == "xlsx":
        check_zip(source)  # the same zip-bomb guard as the reader
        return open_workbook(source, read_only=False, data_only=False)
    # CSV and legacy .xls: their values, sheet by sheet under the same names (CSV's one table
    # becomes the sheet "CSV"), so each problem finds its cell.
    workbook = Workbook()
    workbook.remove(workbook.active)
    for raw in load_sheets(source):
        sheet = workbook.create_sheet(raw.name or _CSV_SHEET)
        for row in raw.rows:
            sheet.append(list(row))
        for cells in sheet.iter_rows():
            for cell in cells:
                if isinstance(cell.value, str) and cell.value.startswith("="):
                    cell.data_type = "s"  # keep text as text: never turn it into a formula
    return workbook


def _sheet_for(workbook: Any, name: str) -> Any:
    if name in workbook.sheetnames:
        return workbook[name]
    return workbook[_CSV_SHEET] if not name and _CSV_SHEET in workbook.sheetnames else None


def _mark(cell: Any, problems: list[Problem]) -> None:
    worst = "error" if any(p.severity == "error" for p in problems) else "warning"
    cell.fill = _FILLS[worst]
    text = "\n\n".join(_comment_text(problem) for problem in problems)
    comment = Comment(text, "edubot")
    comment.width, comment.height = 360, 80 + 70 * len(problems)
    cell.comment = comment


def _comment_text(problem: Problem) -> str:
    lines = [problem.message_th]
    if problem.fix_th:
        lines.append(f"แก้ไข: {problem.fix_th}")
    lines.append(problem.message_en)
    if problem.fix_en:
        lines.append(f"Fix: {problem.fix_en}")
    return "\n".join(lines)


def _write_problem_sheet(workbook: Any, problems: list[Problem]) -> None:
    title = PROBLEMS_SHEET
    while title in workbook.sheetnames:
        title = f"{title[:28]}_"
    sheet = workbook.create_sheet(title, 0)
    sheet.append(["ระดับ / severity", "ชีต / sheet", "แถว / row", "คอลัมน์ / column",
                  "ปัญหา", "วิธีแก้", "Problem", "Fix"])  # fmt: skip
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for problem in problems:
        sheet.append(
            [problem.severity, problem.sheet, problem.row,
             f"{problem.column_letter} {problem.column}".strip(), problem.message_th,
             problem.fix_th, problem.message_en, problem.fix_en]
        )  # fmt: skip
        sheet.cell(row=sheet.max_row, column=1).fill = _FILLS[problem.severity]
    for letter, width in zip("ABCDEFGH", (16, 16, 10, 28, 50, 50, 50, 50), strict=True):
        sheet.column_dimensions[letter].width = width
