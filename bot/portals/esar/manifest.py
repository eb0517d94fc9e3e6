"""Read the SAR manifest (xlsx or YAML): which PDF goes to e-SAR for which school, year and level.

Every bad cell is reported, named by row and column (or YAML line and key), in Thai and English;
rows without errors become frozen :class:`SarEntry` records. Dates are read with
:func:`bot.data.thai.parse_thai_date` (BE text, Thai digits, Excel date cells).
"""

from __future__ import annotations

import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import yaml
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import InvalidFileException
from pydantic import BaseModel, ConfigDict

from bot.data.errors import RuleError
from bot.data.problems import Problem
from bot.portals.esar.fields import (
    COLUMN_BY_FIELD,
    COLUMNS,
    Level,
    column_for_header,
    read_academic_year,
    read_level,
    read_optional_date,
    read_pdf_path,
    read_school_code,
    read_school_name,
)
from bot.portals.esar.template import write_sar_template

__all__ = ["Origin", "SarEntry", "SarManifest", "read_manifest", "write_sar_template"]

SHEET_NAME = "SAR"
_HEADER_SEARCH_ROWS = 10
_YAML_LIST_KEYS = ("entries", "รายการ")


class Origin(BaseModel):
    """Where an entry came from: file, sheet and row, or YAML line per key.

    `unreadable` lists the optional fields whose cell could not be read (already reported);
    they are None in the entry, and the checks do not report them again as missing.
    """

    model_config = ConfigDict(frozen=True)

    file: str
    sheet: str = ""
    row: int
    letters: tuple[tuple[str, str], ...] = ()
    lines: tuple[tuple[str, int], ...] = ()
    unreadable: tuple[str, ...] = ()

    def where(self, field: str = "") -> dict[str, Any]:
        """Location keywords for a :class:`Problem` about `field` (or the whole entry)."""
        column = COLUMN_BY_FIELD.get(field)
        return {
            "file": self.file,
            "sheet": self.sheet,
            "row": dict(self.lines).get(field, self.row),
            "column": f"{column.thai} ({column.field})" if column else "",
            "column_letter": dict(self.letters).get(field, ""),
            "field": field,
        }


class SarEntry(BaseModel):
    """One SAR to upload: a school's report for one academic year (BE) and level."""

    model_config = ConfigDict(frozen=True)

    origin: Origin
    school_code: str
    school_name: str
    academic_year: int
    level: Level
    pdf: str
    board_approved: date | None = None
    executive_received: date | None = None


class SarManifest(BaseModel):
    """A read manifest: the good entries and every problem found; PDFs are relative to folder.

    `entries` holds only rows read without error. `checkable` adds the rows whose only
    errors were unreadable dates, so that their files can still be checked in the same pass.
    """

    model_config = ConfigDict(frozen=True)

    path: Path
    entries: tuple[SarEntry, ...]
    problems: tuple[Problem, ...]
    checkable: tuple[SarEntry, ...] = ()

    @property
    def folder(self) -> Path:
        """The folder PDF paths are relative to."""
        return self.path.parent


@dataclass(frozen=True)
class _RawRow:
    origin: Origin
    values: dict[str, object]


_Readers = dict[str, Callable[[object], object]]


def read_manifest(path: Path, *, today: date | None = None) -> SarManifest:
    """Read an .xlsx or .yaml/.yml manifest; problems are collected, never raised."""
    today = today or date.today()
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        rows, problems = _xlsx_rows(path)
    elif suffix in (".yaml", ".yml"):
        rows, problems = _yaml_rows(path)
    else:
        rows, problems = [], [_file_problem(path, *_UNKNOWN_KIND)]
    entries: list[SarEntry] = []
    checkable: list[SarEntry] = []
    for raw in rows:
        entry, row_problems = _entry(raw, today)
        problems += row_problems
        if entry is not None:
            checkable.append(entry)
            if not row_problems:
                entries.append(entry)
    problems += _duplicates(entries)
    return SarManifest(
        path=path, entries=tuple(entries), problems=tuple(problems), checkable=tuple(checkable)
    )


def _readers(today: date) -> _Readers:
    return {
        "school_code": read_school_code,
        "school_name": read_school_name,
        "academic_year": lambda v: read_academic_year(v, today=today),
        "level": read_level,
        "pdf": read_pdf_path,
        "board_approved": lambda v: read_optional_date(v, today=today),
        "executive_received": lambda v: read_optional_date(v, today=today),
    }


def _entry(raw: _RawRow, today: date) -> tuple[SarEntry | None, list[Problem]]:
    """The row's entry and problems; the entry is None unless every required field was read."""
    values: dict[str, object] = {}
    problems = []
    unreadable = []
    for field, reader in _readers(today).items():
        cell = raw.values.get(field)
        try:
            values[field] = reader(cell)
        except RuleError as error:
            shown = "" if cell is None else str(cell)
            problems.append(Problem.from_rule(error, value=shown, **raw.origin.where(field)))
            unreadable.append(field)
    if any(COLUMN_BY_FIELD[field].required for field in unreadable):
        return None, problems
    origin = raw.origin.model_copy(update={"unreadable": tuple(unreadable)})
    return SarEntry.model_validate({"origin": origin, **values}), problems


def _duplicates(entries: list[SarEntry]) -> list[Problem]:
    seen: dict[tuple[str, int, str], SarEntry] = {}
    problems = []
    for entry in entries:
        key = (entry.school_code, entry.academic_year, entry.level)
        first = seen.setdefault(key, entry)
        if first is entry:
            continue
        row = first.origin.row
        problems.append(
            Problem(
                **entry.origin.where(),
                message_th=f"ซ้ำกับแถว {row}: {key[0]} ปีการศึกษา {key[1]} ระดับ{key[2]}",
                message_en=f"Repeats row {row}: {key[0]}, year {key[1]}, level {key[2]}.",
                fix_th="ลบแถวที่ซ้ำ (หนึ่งสถานศึกษา หนึ่งปี หนึ่งระดับ ส่งได้หนึ่งไฟล์)",
                fix_en="Delete the repeated row: one file per school, year and level.",
            )
        )
    return problems


# -- xlsx ---------------------------------------------------------------------------------

_UNKNOWN_KIND = (
    "ไม่รู้จักชนิดไฟล์รายการ ใช้ได้เฉพาะ .xlsx หรือ .yaml",
    "Unknown manifest type; use .xlsx or .yaml.",
    "บันทึกรายการเป็น Excel (.xlsx) จากแม่แบบ",
    "Save the list as Excel (.xlsx) from the template.",
)


def _file_problem(path: Path, th: str, en: str, fix_th: str, fix_en: str) -> Problem:
    return Problem(file=path.name, message_th=th, message_en=en, fix_th=fix_th, fix_en=fix_en)


def _xlsx_rows(path: Path) -> tuple[list[_RawRow], list[Problem]]:
    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except (OSError, zipfile.BadZipFile, InvalidFileException, KeyError, ValueError) as error:
        return [], [
            _file_problem(
                path,
                f"เปิดไฟล์ Excel ไม่ได้ ({type(error).__name__})",
                f"Cannot open the Excel file ({type(error).__name__}: {error}).",
                "บันทึกไฟล์เป็น Excel (.xlsx) ใหม่ แล้วลองอีกครั้ง",
                "Save the file again as Excel (.xlsx) and retry.",
            )
        ]
    try:
        sheet = book[SHEET_NAME] if SHEET_NAME in book.sheetnames else book.worksheets[0]
        cells = [list(r) for r in sheet.iter_rows(values_only=True)]
        return _rows_from_cells(path, sheet.title, cells)
    finally:
        book.close()


def _rows_from_cells(
    path: Path, sheet: str, cells: list[list[object]]
) -> tuple[list[_RawRow], list[Problem]]:
    header_at, columns = _find_header(cells)
    missing = [c for c in COLUMNS if c.required and c.field not in columns.values()]
    if missing:
        names = ", ".join(f"{c.thai} ({c.field})" for c in missing)
        problem = Problem(
            file=path.name,
            sheet=sheet,
            row=header_at + 1 if columns else None,
            message_th=f"ไม่พบหัวคอลัมน์: {names}",
            message_en=f"Missing column headers: {names}.",
            fix_th="ใช้แถวหัวตารางจากแม่แบบ (`edubot template sar`)",
            fix_en="Use the header row of the template.",
        )
        return [], [problem]
    letters = tuple((field, get_column_letter(i + 1)) for i, field in columns.items())
    rows = []
    for number, row in enumerate(cells[header_at + 1 :], start=header_at + 2):
        values = {field: row[i] if i < len(row) else None for i, field in columns.items()}
        if all(v is None or str(v).strip() == "" for v in values.values()):
            continue
        origin = Origin(file=path.name, sheet=sheet, row=number, letters=letters)
        rows.append(_RawRow(origin, values))
    return rows, []


def _find_header(cells: list[list[object]]) -> tuple[int, dict[int, str]]:
    """The header row's index and column index → field, for the first row naming ≥ 2 fields."""
    for index, row in enumerate(cells[:_HEADER_SEARCH_ROWS]):
        columns: dict[int, str] = {}
        for i, header in enumerate(row):
            column = column_for_header(header)
            if column is not None and column.field not in columns.values():
                columns[i] = column.field
        if len(columns) >= 2:
            return index, columns
    return 0, {}


# -- YAML ---------------------------------------------------------------------------------


def _yaml_rows(path: Path) -> tuple[list[_RawRow], list[Problem]]:
    try:
        node, data = _load_yaml(path)
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as error:
        line = getattr(getattr(error, "problem_mark", None), "line", None)
        problem = Problem(
            file=path.name,
            row=None if line is None else line + 1,
            message_th="อ่านไฟล์ YAML ไม่ได้",
            message_en=f"Cannot read the YAML file: {error}",
            fix_th="ตรวจการย่อหน้าและเครื่องหมาย : ในบรรทัดที่ระบุ",
            fix_en="Check indentation and colons on the named line.",
        )
        return [], [problem]
    items, item_nodes = _yaml_items(data, node)
    if items is None:
        example = "entries:\n  - school_code: '3040010002'\n    school_name: ...\n"
        problem = _file_problem(
            path,
            "ไฟล์ YAML ต้องมีรายการใต้คีย์ entries",
            "The YAML file must hold a list under the key 'entries'.",
            f"เขียนตามตัวอย่าง:\n{example}",
            f"Write it like:\n{example}",
        )
        return [], [problem]
    rows, problems = [], []
    for number, (item, item_node) in enumerate(zip(items, item_nodes, strict=True), start=1):
        row, item_problems = _yaml_row(path, number, item, item_node)
        problems += item_problems
        if row is not None:
            rows.append(row)
    return rows, problems


def _load_yaml(path: Path) -> tuple[yaml.Node | None, object]:
    loader = yaml.SafeLoader(path.read_text(encoding="utf-8"))
    try:
        node = loader.get_single_node()
        return node, None if node is None else loader.construct_document(node)
    finally:
        loader.dispose()


def _yaml_items(data: object, node: yaml.Node | None) -> tuple[list[object] | None, list[Any]]:
    if isinstance(data, dict) and isinstance(node, yaml.MappingNode):
        for key in _YAML_LIST_KEYS:
            if key in data:
                data = data[key]
                node = next(v for k, v in node.value if k.value == key)
                break
    if isinstance(data, list) and isinstance(node, yaml.SequenceNode):
        return data, list(node.value)
    return None, []


def _yaml_row(
    path: Path, number: int, item: object, node: Any
) -> tuple[_RawRow | None, list[Problem]]:
    line = node.start_mark.line + 1
    if not isinstance(item, dict):
        return None, [
            Problem(
                file=path.name,
                row=line,
                message_th=f"รายการที่ {number} ต้องเป็นชุดคีย์: ค่า",
                message_en=f"Entry {number} must be a mapping of key: value.",
                fix_th="ขึ้นต้นรายการด้วย - แล้วตามด้วย school_code: ...",
                fix_en="Start the entry with '- ' followed by 'school_code: ...'.",
            )
        ]
    values: dict[str, object] = {}
    lines: list[tuple[str, int]] = []
    problems = []
    for key_node, _ in node.value:
        column = column_for_header(key_node.value)
        if column is None:
            known = ", ".join(c.field for c in COLUMNS)
            problems.append(
                Problem(
                    file=path.name,
                    row=key_node.start_mark.line + 1,
                    field=str(key_node.value),
                    message_th=f"ไม่รู้จักคีย์ '{key_node.value}' ในรายการที่ {number}",
                    message_en=f"Unknown key '{key_node.value}' in entry {number}.",
                    fix_th=f"ใช้คีย์เหล่านี้: {known}",
                    fix_en=f"Use these keys: {known}.",
                )
            )
            continue
        values[column.field] = item[key_node.value]
        lines.append((column.field, key_node.start_mark.line + 1))
    origin = Origin(file=path.name, row=line, lines=tuple(lines))
    return _RawRow(origin, values), problems
